package model

import (
	"fmt"
	"math"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// partialStep is the relative step of the central differences of
// Perturbation.Partials: the cube root of the float64 epsilon, which
// balances truncation against rounding error.
const partialStep = 6.0554544523933395e-06

// Partials sets out[k] to the partial derivative ∂z/∂xs[k] of the
// perturbation's variable z at save point i, for each k, and
// out[len(xs)] to ∂z/∂t, z's change with time alone (through time,
// ramp, step or a lookup of time; 0, without evaluating, for an equation
// that does not read the time), and returns out (grown as needed).
// They are central differences on z's equation, with steps of about
// 6e-6 times each input's magnitude (6e-6 itself at 0). At a kink (min,
// max, if, a lookup's corner) the difference straddles it and gives the
// mean of the slopes either side; across a jump (step, pulse) it gives
// a large value.
//
// The state buffer must hold the state at save point i, as
// Trace.Snapshot returns it; Partials changes only scratch slots in it
// and puts them back, so the same buffer serves every Perturbation at
// that save point.
func (p *Perturbation) Partials(i int, state, out []float64) ([]float64, error) {
	tr := p.tr
	if i < 0 || i >= len(tr.states) {
		return out, fmt.Errorf("save point %d is outside the trace [0, %d)", i, len(tr.states))
	}
	if len(state) != len(tr.states[i]) {
		return out, fmt.Errorf("the state buffer holds %d slots, want %d", len(state), len(tr.states[i]))
	}
	out = out[:0]
	zs := p.z.Slot
	z0 := state[zs]
	if p.z.AliasOf != nil || p.fix {
		for _, x := range p.xs {
			d := 0.0
			if p.z.AliasOf != nil && x == p.z.AliasRef {
				d = 1 // z's equation is x's name
			}
			out = append(out, d)
		}
		return append(out, 0), nil
	}
	prog := tr.m.prog
	code := prog.FlowCode[p.z.CodeLo:p.z.CodeHi]
	eval := func() float64 {
		vm.Exec(code, state, prog.Tables, nil)
		return state[zs]
	}
	// slope moves slot a, and b (≥ 0) with it by as much.
	slope := func(a, b int32) float64 {
		x := state[a]
		h := partialStep * math.Abs(x)
		if h == 0 {
			h = partialStep
		}
		h = (x + h) - x // exactly representable
		var xb float64
		if b >= 0 {
			xb = state[b]
			state[b] = xb + h
		}
		state[a] = x + h
		up := eval()
		state[a] = x - h
		if b >= 0 {
			state[b] = xb - h
		}
		down := eval()
		state[a] = x
		if b >= 0 {
			state[b] = xb
		}
		state[zs] = z0
		return (up - down) / (2 * h)
	}
	for _, x := range p.xs {
		out = append(out, slope(x.Slot, -1))
	}
	if p.time {
		out = append(out, slope(vm.SlotTime, vm.SlotTStep))
	} else {
		out = append(out, 0)
	}
	return out, nil
}

// readsTime reports whether code may read the time: an instruction with
// the time as an operand, or one whose result does not depend on its
// operands alone (ramp, step, pulse, ... read the time themselves).
func readsTime(code []vm.Instr) bool {
	for k := range code {
		in := &code[k]
		if !in.Op.Pure() {
			return true
		}
		slot, _ := vm.SlotFields(in.Op)
		f := vm.Fields(in)
		for j := 1; j < 4; j++ {
			if slot[j] && (f[j] == vm.SlotTime || f[j] == vm.SlotTStep) {
				return true
			}
		}
	}
	return false
}
