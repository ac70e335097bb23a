package model

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestNonFiniteBlame checks that a run stopped by a NaN or infinity names
// the first variable, in evaluation order, that became one — the aux
// ln(throughput - 5), not the flow that carries it into a stock — with
// its equation and its inputs' values, under every fixed-step method.
func TestNonFiniteBlame(t *testing.T) {
	const src = `
[sim]
start = 2024
stop = 2030
dt = 0.25

[stocks.throughput]
initial = 8
outflows = ["decline"]

[flows.decline]
eq = "1"

[aux.physical_level]
eq = "ln(throughput - 5)"

[stocks.built]
initial = 0
inflows = ["completions"]

[flows.completions]
eq = "physical_level * 2"
`
	m := mustParse(t, src)
	for _, method := range []string{"euler", "rk2", "rk4"} {
		_, err := m.Run(context.Background(), RunOptions{Method: method})
		if err == nil {
			t.Fatalf("%s: the run succeeded, want an error", method)
		}
		want := "aux.physical_level.eq: physical_level became -Inf at t=2027: ln(throughput - 5) with throughput = 5; stock built became infinite at t="
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: got error\n\t%v\nwant it to start\n\t%s", method, err, want)
		}
	}
}

// TestNonFiniteHiddenWarning checks that an infinity that a lookup then
// clamps, so that the run goes on, gives a warning naming it.
func TestNonFiniteHiddenWarning(t *testing.T) {
	const src = `
[sim]
stop = 4
dt = 0.5

[stocks.x]
initial = 1
inflows = ["f"]

[aux.ratio]
eq = "1 / (2 - time)"

[lookups.effect]
points = [[0, 0], [10, 1]]

[flows.f]
eq = "effect(ratio)"
`
	for _, vars := range [][]string{nil, {"x"}} {
		res, err := mustParse(t, src).Run(context.Background(), RunOptions{Vars: vars})
		if err != nil {
			t.Fatal(err)
		}
		want := "aux.ratio.eq: ratio was +Inf at t=2 (1 / (2 - time) with time = 2), yet the run went on"
		if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], want) {
			t.Errorf("vars %v: got warnings %q, want one starting %q", vars, res.Warnings, want)
		}
	}
	// Finite, and finite too where the sum of the aux or of the stocks
	// overflows (1e308 twice).
	for _, eq := range []string{"3 + time", "1e308 + 0 * time"} {
		src := strings.Replace(src, "1 / (2 - time)", eq, 1) + "[aux.big]\neq = \"1e308 + 0 * time\"\n" +
			"[stocks.b1]\ninitial = 1e308\n[stocks.b2]\ninitial = 1e308\n"
		res, err := mustParse(t, src).Run(context.Background(), RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 0 {
			t.Errorf("ratio = %s: a finite run warns %q", eq, res.Warnings)
		}
	}
}

// TestNonFiniteStockSum checks the Euler step's check of the stocks by
// their sum: finite stocks whose sum overflows do not stop the run, and
// with nine stocks, the one that overflows in the first step (1e308 +
// 1·1e308) is named, at t=1, though the first stocks stay finite.
func TestNonFiniteStockSum(t *testing.T) {
	var b strings.Builder
	b.WriteString("[sim]\nstop = 3\ndt = 1\n")
	for i := range 9 {
		fmt.Fprintf(&b, "\n[stocks.s%d]\ninitial = 1e308\ninflows = [\"f%d\"]\n\n[flows.f%d]\neq = \"0\"\n", i, i, i)
	}
	m := mustParse(t, b.String())
	res, err := m.Run(context.Background(), RunOptions{Method: "euler"})
	if err != nil {
		t.Fatalf("finite stocks whose sum overflows: %v", err)
	}
	if got := res.Series("s8"); len(got) != 4 || got[3] != 1e308 {
		t.Errorf("s8 = %v, want 1e308 at each of the 4 times", got)
	}
	src := strings.Replace(b.String(), "[flows.f6]\neq = \"0\"", "[flows.f6]\neq = \"1e308\"", 1)
	_, err = mustParse(t, src).Run(context.Background(), RunOptions{Method: "euler"})
	if err == nil || !strings.Contains(err.Error(), "stock s6 became infinite at t=1") {
		t.Errorf("got error %v, want stock s6 became infinite at t=1", err)
	}
}
