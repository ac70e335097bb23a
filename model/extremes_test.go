package model_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// A drain whose time constant may go to 0 and whose fraction may exceed
// 1: Extremes finds the division by zero, the range left, and the failed
// check, and leaves out the check that sets the param itself.
func TestExtremes(t *testing.T) {
	src := `
[sim]
stop = 4
dt = 0.5

[params]
tau = { value = 2, min = 0, max = 4 }
frac = { value = 0.5, min = 0, max = 3 }
gain = 1

[stocks.s]
initial = 1
outflows = ["drain"]
non_negative = true
range = [0, 1]

[flows.drain]
eq = "frac * s / tau"

[aux.share]
eq = "frac * gain"
range = [0, 1]

[[checks]]
name = "drains"
expect = "s <= 1"

[[checks]]
name = "no_frac_no_drain"
given = { frac = 0 }
expect = "drain = 0"
`
	m, err := model.Parse("drain.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cases, err := m.Extremes(context.Background(), model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cases {
		line := c.Param + " " + c.At + ":"
		for _, p := range c.Problems {
			line += " " + p.Kind + "(" + p.Var + ")"
		}
		got = append(got, line)
	}
	want := []string{
		// tau = 0: frac * s / 0 divides by zero and the run stops; the
		// checks' runs fail with it, which is not reported again.
		"tau min: failed()",
		"tau max:", // tau x10 = 20 is above max = 4: no such case
		"frac min:",
		"frac max: range(share)", // frac x10 = 5 is above max = 3
		// gain has no min or max: 0 and 10.
		"gain zero:",
		"gain x10: range(share)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got cases\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := cases[0].Problems[0]; !strings.Contains(p.Text, "tau") {
		t.Errorf("the failed run's text %q does not name tau", p.Text)
	}
	if p := cases[3].Problems[0]; p.Value != 3 || p.Time != 0 {
		t.Errorf("got share at %v = %v, want 3 at 0", p.Time, p.Value)
	}

	// A check whose given sets the param keeps its own value: with frac's
	// extremes limited by --params, no_frac_no_drain is not run at frac = 3.
	m2, err := model.Parse("drain.toml", []byte(strings.Replace(src, `expect = "drain = 0"`, `expect = "drain = 0 and frac = 0"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	cases, err = m2.Extremes(context.Background(), model.RunOptions{}, []string{"frac"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		for _, p := range c.Problems {
			if p.Var == "no_frac_no_drain" {
				t.Errorf("frac %s: the check that sets frac itself was run: %s", c.At, p.Text)
			}
		}
	}
	if _, err := m.Extremes(context.Background(), model.RunOptions{}, []string{"tauu"}); err == nil || !strings.Contains(err.Error(), `no param "tauu" (did you mean "tau"?)`) {
		t.Errorf("got %v, want an error naming tauu and suggesting tau", err)
	}
}
