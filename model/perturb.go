package model

import (
	"fmt"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// Perturbation evaluates the equation of one aux or flow z with each of
// a list of inputs moved alone: the Δₓz of Loops That Matter for many x at
// once, without copying the state for each. Make one with
// Trace.Perturb; it is read-only and safe for concurrent use, but each
// goroutine needs its own state buffer.
type Perturbation struct {
	tr  *Trace
	z   *vm.Var
	xs  []*vm.Var
	fix bool // z's value is fixed for the run
	// time reports whether z's equation may read the time, so that
	// Partials must take its slope in time (readsTime, once).
	time bool
}

// Perturb prepares evaluations of z's equation with each input in xs
// moved alone (see Perturbation.At).
func (tr *Trace) Perturb(z string, xs []string) (*Perturbation, error) {
	zv, err := tr.lookup(z)
	if err != nil {
		return nil, err
	}
	if !zv.Role.IsFlowLike() {
		return nil, fmt.Errorf("%q has no equation to evaluate: it is a %s", z, nodeKind(zv.Role))
	}
	p := &Perturbation{tr: tr, z: zv, fix: zv.CodeHi == zv.CodeLo}
	p.time = readsTime(tr.m.prog.FlowCode[zv.CodeLo:zv.CodeHi])
	for _, x := range xs {
		xv, err := tr.lookup(x)
		if err != nil {
			return nil, err
		}
		p.xs = append(p.xs, xv)
	}
	return p, nil
}

// At sets out[k] to the value of z evaluated on the state at save point
// i-1 with only xs[k] at its value at save point i, for each k, and
// returns out (grown as needed). The state buffer must hold the state at
// save point i-1, as Trace.Snapshot returns it; At changes only scratch
// slots in it, so the same buffer serves every Perturbation at that save
// point.
func (p *Perturbation) At(i int, state, out []float64) ([]float64, error) {
	tr := p.tr
	if i < 1 || i >= len(tr.states) {
		return out, fmt.Errorf("save point %d is outside [1, %d)", i, len(tr.states))
	}
	if len(state) != len(tr.states[i]) {
		return out, fmt.Errorf("the state buffer holds %d slots, want %d", len(state), len(tr.states[i]))
	}
	out = out[:0]
	prev, cur := tr.states[i-1], tr.states[i]
	zs := p.z.Slot
	prog := tr.m.prog
	code := prog.FlowCode[p.z.CodeLo:p.z.CodeHi]
	for _, x := range p.xs {
		if a := p.z.AliasOf; a != nil {
			// z's equation is its source's name: z moves with it alone.
			if x == p.z.AliasRef {
				out = append(out, cur[zs])
			} else {
				out = append(out, prev[zs])
			}
			continue
		}
		if p.fix {
			out = append(out, prev[zs])
			continue
		}
		xs := x.Slot
		state[xs] = cur[xs]
		vm.Exec(code, state, prog.Tables, nil)
		out = append(out, state[zs])
		state[xs] = prev[xs]
		state[zs] = prev[zs]
	}
	return out, nil
}
