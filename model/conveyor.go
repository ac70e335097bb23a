package model

import (
	"math"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// conveyor is the state, in one run, of a pipeline whose delay time may
// vary: delay_material or delay_information. The input recorded at the
// start of step k leaves at step k + n, n the delay time recorded then in
// whole steps (rounded, at least one, as delay rounds it). The buffers
// hold, for each step of the run, what leaves then; they are allocated
// once, when the run starts.
type conveyor struct {
	kind vm.PipeKind
	val  []float64 // per step: the sum of the inputs leaving then (material), or the latest-entered of them (information)
	from []int     // per step: 1 + the entry step of the latest input leaving then, 0 when none does

	// n0 is the delay time at the start in steps, or 0 before the first
	// step has been recorded: until step n0 the pipeline gives init, as
	// if its input had been init before the start with that delay time.
	n0            int
	init, missing float64
	t             float64 // the delay time recorded at the start of the step

	last     float64 // information: the latest-entered input that has left
	lastFrom int     // and 1 + its entry step; 0 before any has left
}

// newConveyor readies the pipeline pv for a run of steps steps, v
// holding the values at the start time.
func newConveyor(pv *vm.Var, v []float64, p *vm.Program, steps int) *conveyor {
	c := &conveyor{
		kind: pv.Pipe,
		val:  make([]float64, steps+1),
		from: make([]int, steps+1),
		init: v[pv.Slot],
	}
	if pv.Pipe == vm.MaterialPipe {
		c.missing = v[p.Vars[pv.Missing].Slot]
	}
	return c
}

// advance takes in x, the input recorded at the start of step k, and
// returns the pipeline's value at step k+1. The delay time was checked
// (CheckGuards) to be a number, 0 or more.
func (c *conveyor) advance(k int, x, dt float64, steps int) float64 {
	// Rounded to whole steps, at least one; an input leaving after the
	// last step is dropped, which the cap keeps from overflowing.
	n := max(1, int(min(math.Round(c.t/dt), float64(steps+1))))
	if k == 0 {
		c.n0 = n
	}
	if j := k + n; j <= steps {
		if c.kind == vm.MaterialPipe {
			c.val[j] += x
		} else {
			c.val[j] = x // entries come in order: the latest wins
		}
		c.from[j] = k + 1
	}
	j := k + 1
	if c.kind == vm.InformationPipe {
		if c.from[j] > c.lastFrom {
			c.last, c.lastFrom = c.val[j], c.from[j]
		}
		if c.lastFrom == 0 {
			return c.init
		}
		return c.last
	}
	switch {
	case j < c.n0:
		// What entered before the start leaves until n0, with whatever
		// has caught up with it.
		return c.init + c.val[j]
	case c.from[j] > 0:
		return c.val[j]
	}
	return c.missing
}
