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

// TestRatesLookup checks Trace.Rates on a model whose rate reads a
// lookup: the rate at a state is the lookup's value there.
func TestRatesLookup(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 10
dt = 1
[lookups.effect]
points = [[0, 1], [10, 3], [20, 4]]
[stocks.s]
initial = 2
inflows = ["grow"]
[flows.grow]
eq = "effect(s)"
`)
	tr := mustRun(t, m, RunOptions{Trace: true}).Trace()
	dy := make([]float64, 1)
	for _, c := range []struct{ s, want float64 }{{5, 2}, {15, 3.5}, {30, 4}} {
		if err := tr.Rates(3, []float64{c.s}, dy); err != nil {
			t.Fatal(err)
		}
		if math.Abs(dy[0]-c.want) > 1e-12 {
			t.Errorf("Rates at s=%g: %g, want %g", c.s, dy[0], c.want)
		}
	}
}
