package model

import (
	"math"
	"testing"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// partial is what Perturbation.At must compute, the Δₓz of Loops That
// Matter plus z(i-1): z's equation evaluated on a fresh copy of the state
// at save point i-1 with only x at its value at save point i.
func partial(tr *Trace, z, x string, i int) float64 {
	zv, _ := tr.lookup(z)
	xv, _ := tr.lookup(x)
	prev := tr.states[i-1]
	switch {
	case zv.AliasOf != nil && xv == zv.AliasRef:
		return tr.states[i][zv.Slot] // z is its source's value
	case zv.AliasOf != nil, zv.CodeHi == zv.CodeLo:
		return prev[zv.Slot] // z does not move with x
	}
	state := append([]float64(nil), prev...)
	state[xv.Slot] = tr.states[i][xv.Slot]
	p := tr.m.prog
	vm.Exec(p.FlowCode[zv.CodeLo:zv.CodeHi], state, p.Tables, nil)
	return state[zv.Slot]
}

// TestPerturbation checks Perturbation.At against partial for every link
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
				want := partial(tr, p.z.Name, x.Name, i)
				if got := out[k]; got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("At(%d) of %s moving %s = %g, want %g", i, p.z.Name, x.Name, got, want)
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

// TestPerturbationValue checks At against the equation written out: for
// births = r * P * (1 - P/K), moving only P from save point i-1 to i
// gives births at P(i).
func TestPerturbationValue(t *testing.T) {
	m := mustParse(t, logistic)
	tr := mustRun(t, m, RunOptions{Trace: true}).Trace()
	i := 40
	p1, _ := tr.Value("population", i)
	p, err := tr.Perturb("births", []string{"population"})
	if err != nil {
		t.Fatal(err)
	}
	state, _ := tr.Snapshot(i-1, nil)
	out, err := p.At(i, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 0.3 * p1 * (1 - p1/1000); math.Abs(out[0]-want) > 1e-12*want {
		t.Errorf("At = %.15g, want %.15g", out[0], want)
	}
	if _, err := p.At(0, state, nil); err == nil {
		t.Error("At(0) gave no error")
	}
}

// TestPerturbationOfAlias checks an aux whose equation is another variable's
// name (it shares that variable's slot): moving that variable alone moves
// the aux with it, and moving anything else does not.
func TestPerturbationOfAlias(t *testing.T) {
	m := mustParse(t, logistic+`
[aux.pop_copy]
eq = "population"
`)
	if v := m.prog.Vars[m.prog.ByName["pop_copy"]]; v.AliasOf == nil {
		t.Fatal("pop_copy is not an alias of population")
	}
	tr := mustRun(t, m, RunOptions{Trace: true}).Trace()
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
