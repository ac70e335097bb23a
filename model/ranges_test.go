package model

import (
	"context"
	"math"
	"strings"
	"testing"
)

// growth is s(0) = 1 growing 10 % a step under euler with dt 1, so
// s(n) = 1.1^n and share = s/10 first exceeds 1 at n = 25.
const growth = `
[sim]
stop = 40
dt = 1

[stocks.s]
initial = 1
inflows = ["g"]
range = [-inf, 1e6]

[flows.g]
eq = "0.1 * s"
range = [0, inf]

[aux.share]
eq = "s / 10"
range = [0, 1]
`

func TestRangeViolation(t *testing.T) {
	m := mustParse(t, growth)
	for _, tc := range []struct {
		name  string
		opt   RunOptions
		at    float64
		value float64
	}{
		{"every step", RunOptions{}, 25, math.Pow(1.1, 25) / 10},
		{"share not recorded", RunOptions{Vars: []string{"s"}}, 25, math.Pow(1.1, 25) / 10},
		// Ranges are checked at save points: with one every 10 steps the
		// first seen outside is at 30.
		{"save every 10", RunOptions{SaveEvery: 10}, 30, math.Pow(1.1, 30) / 10},
		{"rk4", RunOptions{Method: "rk4", Vars: []string{"s"}}, 24, math.NaN()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := m.Run(context.Background(), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.OutOfRange) != 1 {
				t.Fatalf("OutOfRange = %v, want one violation of share", res.OutOfRange)
			}
			v := res.OutOfRange[0]
			if v.Var != "share" || v.Range != [2]float64{0, 1} {
				t.Errorf("violation %+v, want share in [0, 1]", v)
			}
			if v.Value <= 1 {
				t.Errorf("value %v is not outside [0, 1]", v.Value)
			}
			if !math.IsNaN(tc.value) && (v.Time != tc.at || math.Abs(v.Value-tc.value) > 1e-12) {
				t.Errorf("first outside at %v with %v, want %v with %v", v.Time, v.Value, tc.at, tc.value)
			}
			// rk4's s(t) = e^{0.1 t} to 1e-6: share passes 1 at t = 23.03.
			if math.IsNaN(tc.value) && v.Time != tc.at {
				t.Errorf("rk4: first outside at %v, want %v", v.Time, tc.at)
			}
			want := "share left its range [0, 1] at time " + fmtNum(v.Time) + ": " + fmtNum(v.Value)
			if !containsString(res.Warnings, want) {
				t.Errorf("warnings %q lack %q", res.Warnings, want)
			}
		})
	}
}

func TestRangeHeld(t *testing.T) {
	m := mustParse(t, growth)
	res, err := m.Run(context.Background(), RunOptions{Stop: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.OutOfRange) != 0 || len(res.Warnings) != 0 {
		t.Errorf("a run within every range: OutOfRange %v, Warnings %q", res.OutOfRange, res.Warnings)
	}
}

func TestRangeOpenEnd(t *testing.T) {
	m := mustParse(t, strings.Replace(growth, "range = [-inf, 1e6]", "range = [-inf, 20]", 1))
	res, err := m.Run(context.Background(), RunOptions{Stop: 30})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range res.OutOfRange {
		names = append(names, v.Var)
	}
	// s = 1.1^n passes 20 at n = 32: within 30 only share leaves.
	if strings.Join(names, ",") != "share" {
		t.Errorf("left their ranges by 30: %v, want share", names)
	}
	res, err = m.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.OutOfRange) != 2 || res.OutOfRange[0].Var != "s" || res.OutOfRange[0].Time != 32 {
		t.Errorf("by 40: %v, want s at 32, then share", res.OutOfRange)
	}
}

func TestInitialRanges(t *testing.T) {
	m := mustParse(t, strings.Replace(growth, "initial = 1\n", "initial = 12\n", 1))
	got, err := m.InitialRanges(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Var != "share" || got[0].Time != 0 || got[0].Value != 1.2 {
		t.Errorf("InitialRanges = %v, want share at 0 with 1.2", got)
	}
	m = mustParse(t, growth)
	if got, err := m.InitialRanges(RunOptions{}); err != nil || len(got) != 0 {
		t.Errorf("InitialRanges of a model starting in range = %v, %v", got, err)
	}
}

// TestRangeCheckAllocatesNothing checks that watching ranges adds no
// allocation per step.
func TestRangeCheckAllocatesNothing(t *testing.T) {
	m := mustParse(t, growth)
	allocs := func(stop float64) float64 {
		return testing.AllocsPerRun(5, func() {
			m.Run(context.Background(), RunOptions{Stop: stop, Vars: []string{"s"}, SaveEvery: stop / 4})
		})
	}
	// Both runs leave both ranges (s passes 1e6 at 145), so both report
	// the same violations.
	if a, b := allocs(200), allocs(400); a != b {
		t.Errorf("%v allocations for 200 steps, %v for 400", a, b)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
