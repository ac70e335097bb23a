package model

import "testing"

// TestGraph checks the causal graph of a model with a smooth: the flows'
// signed links to their stock, the equations' links, and the smooth's
// hidden stock and flow, owned by the aux whose equation holds it.
func TestGraph(t *testing.T) {
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
}
