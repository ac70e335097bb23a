package model

import (
	"math"
	"testing"
)

// TestPerturbation checks Perturbation.At against Partial for every link
// of a model with hidden variables, at every save point, sharing one state
// buffer between all the perturbations of a save point.
func TestPerturbation(t *testing.T) {
	m := mustParse(t, logistic+`
[aux.crowding]
eq = "population / K + 0 * smoothed"
[aux.smoothed]
eq = "smth3(births, 2) + max(population, births) * time"
[aux.lagged]
eq = "delay1(smoothed, 1) - previous(crowding)"
`)
	tr := mustRun(t, m, RunOptions{Trace: true}).Trace()
	if tr.Model() != m {
		t.Fatal("Trace.Model is not the model that ran")
	}
	g := m.Graph()
	inputs := map[string][]string{}
	var order []string
	for _, e := range g.Edges {
		if e.Sign != 0 {
			continue
		}
		if _, ok := inputs[e.To]; !ok {
			order = append(order, e.To)
		}
		inputs[e.To] = append(inputs[e.To], e.From)
	}
	var ps []*Perturbation
	for _, z := range order {
		p, err := tr.Perturb(z, inputs[z])
		if err != nil {
			continue // a discrete node: not an equation
		}
		ps = append(ps, p)
	}
	if len(ps) < 5 {
		t.Fatalf("only %d perturbations", len(ps))
	}
	var state, out []float64
	for i := 1; i < tr.Len(); i++ {
		var err error
		if state, err = tr.Snapshot(i-1, state); err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if out, err = p.At(i, state, out); err != nil {
				t.Fatal(err)
			}
			for k, x := range p.xs {
				want, _, err := tr.Partial(p.z.name, x.name, i, nil)
				if err != nil {
					t.Fatal(err)
				}
				if got := out[k]; got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("At(%d) of %s moving %s = %g, want Partial's %g", i, p.z.name, x.name, got, want)
				}
			}
		}
	}
	s, err := tr.Series("population")
	if err != nil || len(s) != tr.Len() {
		t.Fatalf("Series: %v, %d values", err, len(s))
	}
	if v, _ := tr.Value("population", 7); s[7] != v {
		t.Errorf("Series[7] = %g, want %g", s[7], v)
	}
	if _, err := tr.Perturb("population", []string{"births"}); err == nil {
		t.Error("Perturb of a stock gave no error")
	}
}
