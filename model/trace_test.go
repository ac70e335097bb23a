package model

import (
	"math"
	"testing"
)

func TestGraphAndPartial(t *testing.T) {
	m := mustParse(t, logistic+`
[aux.smoothed]
eq = "smth1(births, 2)"
`)
	g := m.Graph()
	has := func(from, to string, sign int) bool {
		for _, e := range g.Edges {
			if e.From == from && e.To == to && e.Sign == sign {
				return true
			}
		}
		return false
	}
	if !has("births", "population", 1) || !has("population", "births", 0) || !has("r", "births", 0) {
		t.Errorf("missing edges in %+v", g.Edges)
	}
	var hidden []Node
	for _, n := range g.Nodes {
		if n.Hidden {
			hidden = append(hidden, n)
		}
	}
	if len(hidden) != 2 || hidden[0].Owner != "smoothed" || hidden[0].Kind != NodeStock || hidden[1].Kind != NodeFlow {
		t.Errorf("hidden nodes %+v, want the smooth's stock and flow owned by smoothed", hidden)
	}

	r := mustRun(t, m, RunOptions{Trace: true})
	tr := r.Trace()
	if tr == nil || tr.Len() != len(r.Times) {
		t.Fatal("no trace")
	}
	// births = r * P * (1 - P/K): moving only P from save point i-1 to i.
	i := 40
	p1, _ := tr.Value("population", i)
	got, _, err := tr.Partial("births", "population", i, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 0.3 * p1 * (1 - p1/1000); math.Abs(got-want) > 1e-12*want {
		t.Errorf("Partial = %.15g, want %.15g", got, want)
	}
	if _, _, err := tr.Partial("population", "births", i, nil); err == nil {
		t.Error("Partial of a stock gave no error")
	}
}

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

// TestPartialOfAlias checks an aux whose equation is another variable's
// name (it shares that variable's slot): moving that variable alone moves
// the aux with it, and moving anything else does not.
func TestPartialOfAlias(t *testing.T) {
	m := mustParse(t, logistic+`
[aux.pop_copy]
eq = "population"
`)
	if v := m.prog.vars[m.prog.byName["pop_copy"]]; v.aliasOf == nil {
		t.Fatal("pop_copy is not an alias of population")
	}
	tr := mustRun(t, m, RunOptions{Trace: true}).Trace()
	got, _, err := tr.Partial("pop_copy", "population", 10, nil)
	want, _ := tr.Value("population", 10)
	if err != nil || got != want {
		t.Errorf("Partial(pop_copy, population) = %g, %v; want %g", got, err, want)
	}
	got, _, _ = tr.Partial("pop_copy", "births", 10, nil)
	if want, _ := tr.Value("population", 9); got != want {
		t.Errorf("Partial(pop_copy, births) = %g, want %g", got, want)
	}
	p, err := tr.Perturb("pop_copy", []string{"population", "births"})
	if err != nil {
		t.Fatal(err)
	}
	state, _ := tr.Snapshot(9, nil)
	out, err := p.At(10, state, nil)
	w10, _ := tr.Value("population", 10)
	w9, _ := tr.Value("population", 9)
	if err != nil || out[0] != w10 || out[1] != w9 {
		t.Errorf("Perturb.At = %v, %v; want [%g %g]", out, err, w10, w9)
	}
}
