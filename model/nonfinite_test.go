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

// clampedSrc is a model whose aux ratio is +Inf at t=2 only, where the
// lookup effect clamps it, so that the flow f and the stock x stay finite.
const clampedSrc = `
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

// TestNonFiniteHiddenWarning checks that an infinity that a lookup then
// clamps, so that the run goes on, gives a warning naming it when the run
// records it (as a run does by default).
func TestNonFiniteHiddenWarning(t *testing.T) {
	src := clampedSrc
	for _, vars := range [][]string{nil, {"x", "ratio"}} {
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

// hiddenSrc is clampedSrc with an aux g that carries ratio (+Inf too at
// t=2) into no stock, and an aux h finite throughout. It runs from 0 to 4,
// with dt 0.5 and a save point every step.
const hiddenSrc = clampedSrc + `
[aux.g]
eq = "2 * ratio + 1"

[aux.h]
eq = "3 + time"
`

// TestNonFiniteRecorded checks that a NaN or infinity in a recorded flow
// or aux, at a save point in the middle of the run, is reported whatever
// else the run records, under each fixed-step method, and that the
// warning names the first variable, in evaluation order, that was NaN or
// infinite (ratio, which g carries), at the time of that save point, even
// when the run does not record it.
func TestNonFiniteRecorded(t *testing.T) {
	want := "aux.ratio.eq: ratio was +Inf at t=2 (1 / (2 - time) with time = 2), yet the run went on"
	for _, method := range []string{"euler", "rk2", "rk4"} {
		for _, vars := range [][]string{{"ratio"}, {"g"}, {"h", "g"}, {"x", "h", "g"}, {"g", "x", "f", "h"}} {
			res, err := mustParse(t, hiddenSrc).Run(context.Background(), RunOptions{Method: method, Vars: vars})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], want) {
				t.Errorf("%s, vars %v: got warnings %q, want one starting %q", method, vars, res.Warnings, want)
			}
		}
	}
	// Saving every other step, t=2 is a save point; every third, it is
	// not, and nothing the run records is ever NaN or infinite.
	for _, c := range []struct {
		save float64
		warn bool
	}{{1, true}, {1.5, false}} {
		res, err := mustParse(t, hiddenSrc).Run(context.Background(), RunOptions{SaveEvery: c.save, Vars: []string{"h", "g"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(res.Warnings) == 1 && strings.HasPrefix(res.Warnings[0], want); got != c.warn {
			t.Errorf("save_every %g: got warnings %q, want a warning %v", c.save, res.Warnings, c.warn)
		}
	}
	// Finite recorded values whose sum overflows are no warning.
	src := hiddenSrc + "[aux.big1]\neq = \"1e308 + 0 * time\"\n[aux.big2]\neq = \"1e308 + 0 * time\"\n"
	res, err := mustParse(t, src).Run(context.Background(), RunOptions{Vars: []string{"big1", "h", "big2"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("finite outputs summing past the largest float: got warnings %q, want none", res.Warnings)
	}
}

// TestNonFiniteUnrecorded checks what a run reports of a NaN or infinity
// in a flow or aux it does not record. Between the first and the last save
// point, it looks at what it records and at the stocks: ratio, clamped by
// a lookup before it reaches the stock x, goes unreported when the run
// records only x, f or h (see docs/format.md). At the first save point, and
// at the last (after which no step lets a stock take it on), it looks at
// every flow and aux.
func TestNonFiniteUnrecorded(t *testing.T) {
	for _, vars := range [][]string{{"x"}, {"f"}, {"x", "f", "h"}} {
		res, err := mustParse(t, hiddenSrc).Run(context.Background(), RunOptions{Vars: vars})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 0 {
			t.Errorf("vars %v: got warnings %q, want none", vars, res.Warnings)
		}
	}
	for _, c := range []struct{ eq, at string }{{"1 / (0 - time)", "0"}, {"1 / (4 - time)", "4"}} {
		src := strings.Replace(hiddenSrc, "1 / (2 - time)", c.eq, 1)
		for _, method := range []string{"euler", "rk4", "rk45"} {
			res, err := mustParse(t, src).Run(context.Background(), RunOptions{Method: method, Vars: []string{"x"}})
			if err != nil {
				t.Fatal(err)
			}
			want := "aux.ratio.eq: ratio was "
			if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], want) || !strings.Contains(res.Warnings[0], " at t="+c.at+" ") {
				t.Errorf("ratio = %s, %s: got warnings %q, want one starting %q at t=%s", c.eq, method, res.Warnings, want, c.at)
			}
		}
	}
}

// TestNonFiniteUnrecordedFlow checks that a flow the run does not record
// that becomes NaN stops the run when its stock takes it on at the next
// step, with an error naming the flow, its equation and its inputs at
// the time of the evaluation that produced it, then the stock.
func TestNonFiniteUnrecordedFlow(t *testing.T) {
	const src = `
[sim]
stop = 4
dt = 0.5

[stocks.x]
initial = 1
inflows = ["f"]

[flows.f]
eq = "sqrt(1.5 - time)"

[stocks.y]
initial = 0
inflows = ["g"]

[flows.g]
eq = "1"
`
	for _, method := range []string{"euler", "rk2", "rk4"} {
		for _, vars := range [][]string{nil, {"y"}, {"g"}} {
			_, err := mustParse(t, src).Run(context.Background(), RunOptions{Method: method, Vars: vars})
			// Euler evaluates f at 2 for the step to 2.5; the step from
			// 1.5 to 2 evaluates it at 2 under rk2 (Heun) and at 1.75
			// under rk4.
			want := map[string]string{
				"euler": "flows.f.eq: f became NaN at t=2: sqrt(1.5 - time) with time = 2; stock x became NaN at t=2.5",
				"rk2":   "flows.f.eq: f became NaN at t=2: sqrt(1.5 - time) with time = 2; stock x became NaN at t=2",
				"rk4":   "flows.f.eq: f became NaN at t=1.75: sqrt(1.5 - time) with time = 1.75; stock x became NaN at t=2",
			}[method]
			if err == nil || err.Error() != want {
				t.Errorf("%s, vars %v: got error %v, want %s", method, vars, err, want)
			}
		}
	}
}
