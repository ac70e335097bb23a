package model

import (
	"context"
	"math"
	"strings"
	"testing"
)

// checked is growth (s = 1.1^n under euler, dt 1) with a param for its
// rate, a scenario that stops it, and reality checks about both.
const checked = `
[sim]
stop = 20

[params]
k = { value = 0.1, min = 0, max = 1 }

[stocks.s]
initial = 1
inflows = ["g"]

[flows.g]
eq = "k * s"

[scenarios.still]
set = { k = 0 }

[[checks]]
name = "still_stays"
given = "still"
expect = "s = 1"

[[checks]]
name = "zero_rate_stays"
given = { k = 0 }
expect = "s = 1 and g = 0"

[[checks]]
name = "below_two"
expect = "s < 2"

[[checks]]
name = "below_two_early"
expect = "s < 2"
within = [0, 7]

[[checks]]
name = "above_six_at_end"
expect = "s > 6"
at = "end"

[[checks]]
name = "above_seven_at_end"
expect = "s > 7"
at = "end"
`

func TestRunChecks(t *testing.T) {
	m := mustParse(t, checked)
	got, err := m.RunChecks(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 1.1^7 = 1.95 < 2 <= 1.1^8; 1.1^20 = 6.73.
	want := []struct {
		name string
		pass bool
		time float64
	}{
		{"still_stays", true, math.NaN()},
		{"zero_rate_stays", true, math.NaN()},
		{"below_two", false, 8},
		{"below_two_early", true, math.NaN()},
		{"above_six_at_end", true, math.NaN()},
		{"above_seven_at_end", false, 20},
	}
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Err != nil {
			t.Errorf("%s: %v", w.name, g.Err)
			continue
		}
		if g.Check.Name != w.name || g.Pass != w.pass || !(g.Time == w.time || math.IsNaN(g.Time) && math.IsNaN(w.time)) {
			t.Errorf("%s: pass %v at %v, want %s: pass %v at %v", g.Check.Name, g.Pass, g.Time, w.name, w.pass, w.time)
		}
	}
	fail := got[2]
	if len(fail.Names) != 1 || fail.Names[0] != "s" || math.Abs(fail.Values[0]-math.Pow(1.1, 8)) > 1e-12 {
		t.Errorf("below_two: values %v %v, want s = 1.1^8", fail.Names, fail.Values)
	}
	if s := fail.String(); !strings.HasPrefix(s, "FAIL below_two: s < 2 is false at time 8: s = 2.14358881") {
		t.Errorf("String() = %q", s)
	}
}

func TestRunChecksUnknownVariable(t *testing.T) {
	m := mustParse(t, checked+"\n[[checks]]\nname = \"typo\"\nexpect = \"ss < 2\"\n")
	_, err := m.RunChecks(context.Background(), RunOptions{})
	if err == nil || !strings.Contains(err.Error(), `unknown variable "ss"`) || !strings.Contains(err.Error(), "checks[7].expect") {
		t.Errorf("err = %v, want unknown variable \"ss\" at checks[7].expect", err)
	}
}
