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
