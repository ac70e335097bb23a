package examples_test

import (
	"math"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// Bass diffusion: adopters follow the exact solution
// M (1 - e^(-(p+q)t)) / (1 + (q/p) e^(-(p+q)t)); adoption peaks at
// ln(q/p)/(p+q); half the market has adopted at ln(2 + q/p)/(p+q).
func checkBass(t *testing.T, m *model.Model, res *model.Result) {
	M, p, q := param(t, m, "M"), param(t, m, "p"), param(t, m, "q")
	exact := func(t float64) float64 {
		e := math.Exp(-(p + q) * t)
		return M * (1 - e) / (1 + q/p*e)
	}
	A, P := series(t, res, "adopters"), series(t, res, "potential_adopters")
	const tol = 1e-7 // relative to M; rk4 with dt 1/16 comes within about 1e-9
	for i, tm := range res.Times {
		if got, want := A[i], exact(tm); math.Abs(got-want) > tol*M {
			t.Fatalf("adopters(%g) = %.9g, want %.9g (exact) within %g", tm, got, want, tol*M)
		}
		if got := A[i] + P[i]; math.Abs(got-M) > 1e-9*M {
			t.Fatalf("adopters + potential adopters = %.12g at t=%g, want M = %g", got, tm, M)
		}
	}

	adoption := series(t, res, "adoption")
	peak := 0
	for i := range adoption {
		if adoption[i] > adoption[peak] {
			peak = i
		}
	}
	// Sampled every 0.25 years: the sampled peak lies within half of that.
	if got, want := res.Times[peak], math.Log(q/p)/(p+q); math.Abs(got-want) > 0.125+1e-9 {
		t.Errorf("adoption peaks at t=%g, want %.4g (within 0.125)", got, want)
	}

	cs, err := res.Crossings("share_adopted", 0.5, model.Rising)
	if err != nil {
		t.Fatal(err)
	}
	if want := math.Log(2+q/p) / (p + q); len(cs) != 1 || math.Abs(cs[0].Time-want) > 1e-3 {
		t.Errorf("share adopted crosses 0.5 at %v, want once at t = %.6g (within 1e-3)", cs, want)
	}
}
