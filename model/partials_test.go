package model

import (
	"math"
	"testing"
)

// TestPartials checks Perturbation.Partials against the derivatives of
// the equations worked by hand, at every save point: births = r·P·(1 −
// P/K) has ∂/∂P = r(1 − 2P/K), ∂/∂r = P(1 − P/K), no time slope; wave =
// P·sin(time) + ramp(2, 5) has ∂/∂P = sin(time) and ∂/∂t = P·cos(time)
// + 2 after time 5; an alias has slope 1 on its source.
func TestPartials(t *testing.T) {
	m := mustParse(t, logistic+`
[aux.wave]
eq = "population * sin(time) + ramp(2, 5)"
[aux.same]
eq = "births"
`)
	tr := mustRun(t, m, RunOptions{Trace: true}).Trace()
	births, err := tr.Perturb("births", []string{"population", "r"})
	if err != nil {
		t.Fatal(err)
	}
	wave, err := tr.Perturb("wave", []string{"population"})
	if err != nil {
		t.Fatal(err)
	}
	same, err := tr.Perturb("same", []string{"births"})
	if err != nil {
		t.Fatal(err)
	}
	near := func(what string, tm, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("%s at t=%g: got %.12g, want %.12g", what, tm, got, want)
		}
	}
	var state, out []float64
	for i, tm := range tr.Times {
		if state, err = tr.Snapshot(i, state); err != nil {
			t.Fatal(err)
		}
		P, _ := tr.Value("population", i)
		before := append([]float64(nil), state...) // scratch slots may change, variables not
		if out, err = births.Partials(i, state, out); err != nil {
			t.Fatal(err)
		}
		near("∂births/∂population", tm, out[0], 0.3*(1-2*P/1000))
		near("∂births/∂r", tm, out[1], P*(1-P/1000))
		near("∂births/∂t", tm, out[2], 0)
		if out, err = wave.Partials(i, state, out); err != nil {
			t.Fatal(err)
		}
		near("∂wave/∂population", tm, out[0], math.Sin(tm))
		if tm != 5 { // ramp's corner
			want := P * math.Cos(tm)
			if tm > 5 {
				want += 2
			}
			near("∂wave/∂t", tm, out[1], want)
		}
		if out, err = same.Partials(i, state, out); err != nil {
			t.Fatal(err)
		}
		near("∂same/∂births", tm, out[0], 1)
		for _, v := range m.prog.Vars {
			if k := v.Slot; math.Float64bits(state[k]) != math.Float64bits(before[k]) {
				t.Fatalf("t=%g: Partials left %s at %g, was %g", tm, v.Name, state[k], before[k])
			}
		}
	}
	if _, err := births.Partials(len(tr.Times), state, out); err == nil {
		t.Error("a save point past the end gave no error")
	}
}
