package model

import (
	"math"
	"testing"
)

func TestRates(t *testing.T) {
	m := mustParse(t, logistic)
	r := mustRun(t, m, RunOptions{Trace: true})
	tr := r.Trace()
	if got := tr.Stocks(); len(got) != 1 || got[0] != "population" {
		t.Fatalf("Stocks() = %v", got)
	}
	y, _ := tr.State(10)
	dy := make([]float64, 1)
	for _, p := range []float64{y[0], 100, 500, 1200} {
		if err := tr.Rates(10, []float64{p}, dy); err != nil {
			t.Fatal(err)
		}
		if want := 0.3 * p * (1 - p/1000); math.Abs(dy[0]-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("Rates at P=%g: %g, want %g", p, dy[0], want)
		}
	}
	if err := tr.Rates(10, []float64{1, 2}, dy); err == nil {
		t.Error("a state of the wrong length was accepted")
	}
}
