package model

import (
	"slices"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// The stocks' rates: code that computes each stock's rate of change
// from its flows (rates), and the tables the integrators use when the
// outflows of non-negative stocks are cut first (rateTables).

// rates writes the code that computes each stock's rate of change, the
// sum of its inflows less its outflows, into its rate slot (numbered from
// rateMark): one block per stock, the blocks of an array's elements (and
// of each stage of arrayed delays) together.
func (c *compiler) rates() ([]vm.Instr, [][2]int32) {
	p := c.p
	order := make([]int, len(p.stocks))
	first := map[string]int{}
	for k, i := range p.stocks {
		order[k] = k
		f := family(p.vars[i])
		if _, ok := first[f]; !ok {
			first[f] = k
		}
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return first[family(p.vars[p.stocks[x]])] - first[family(p.vars[p.stocks[y]])]
	})
	var code []vm.Instr
	var blocks [][2]int32
	for _, k := range order {
		v := p.vars[p.stocks[k]]
		dy := int32(rateMark + k)
		lo := int32(len(code))
		var terms []int32 // slots, outflows as ^slot
		for _, j := range v.inflows {
			terms = append(terms, p.vars[j].slot)
		}
		for _, j := range v.outflows {
			terms = append(terms, ^p.vars[j].slot)
		}
		acc := int32(-1) // the slot holding the sum so far; none yet
		for _, t := range terms {
			switch {
			case acc < 0 && t >= 0:
				acc = t // the first term, an inflow: nothing to compute yet
			case acc < 0:
				code = append(code, vm.Instr{Op: vm.OpNeg, Dst: dy, A: ^t})
			case t >= 0:
				code = append(code, vm.Instr{Op: vm.OpAdd, Dst: dy, A: acc, B: t})
			default:
				code = append(code, vm.Instr{Op: vm.OpSub, Dst: dy, A: acc, B: ^t})
			}
			if len(code) > int(lo) {
				acc = dy
			}
		}
		switch {
		case acc < 0:
			code = append(code, vm.Instr{Op: vm.OpMov, Dst: dy, A: c.konst(0)})
		case acc != dy:
			code = append(code, vm.Instr{Op: vm.OpMov, Dst: dy, A: acc})
		}
		blocks = append(blocks, [2]int32{lo, int32(len(code))})
	}
	return code, blocks
}

// rateTables writes, per stock, the slots of its inflows and outflows
// and the terms of its rate, which eval sums when the outflows of
// non-negative stocks are cut.
func (c *compiler) rateTables() {
	p := c.p
	for _, i := range p.stocks {
		v := p.vars[i]
		var in, out []int32
		for _, j := range v.inflows {
			in = append(in, p.vars[j].slot)
		}
		for _, j := range v.outflows {
			out = append(out, p.vars[j].slot)
		}
		p.inIdx = append(p.inIdx, in)
		p.outIdx = append(p.outIdx, out)
		p.rateLo = append(p.rateLo, int32(len(p.rateSlot)))
		one := int32(-1)
		if len(in) == 1 && len(out) == 0 {
			one = in[0]
		}
		p.rateOne = append(p.rateOne, one)
		for _, s := range in {
			p.rateSlot = append(p.rateSlot, s)
			p.rateSign = append(p.rateSign, 1)
		}
		for _, s := range out {
			p.rateSlot = append(p.rateSlot, s)
			p.rateSign = append(p.rateSign, -1)
		}
		if v.nonNeg {
			p.nonNeg = append(p.nonNeg, len(p.inIdx)-1)
		}
	}
	p.rateLo = append(p.rateLo, int32(len(p.rateSlot)))
}

// What the flow code of a run must compute, per variable.
const (
	unneeded  = iota
	forOutput // only for a requested output: at save points
	forRates  // for the stocks' rates or the discrete state: at every evaluation
)

// mark raises variable i, and what its equation uses, to level.
func (p *program) mark(need []uint8, i int, level uint8) {
	if need[i] >= level {
		return
	}
	need[i] = level
	for _, j := range p.vars[i].deps {
		p.mark(need, j, level)
	}
}

// markRates computes rateNeed: what the stocks' rates and the discrete
// state need at every evaluation. Compile calls it once.
func (p *program) markRates() {
	p.rateNeed = make([]uint8, len(p.vars))
	for _, i := range p.stocks {
		v := p.vars[i]
		for _, j := range v.inflows {
			p.mark(p.rateNeed, j, forRates)
		}
		for _, j := range v.outflows {
			p.mark(p.rateNeed, j, forRates)
		}
	}
	for _, i := range append(slices.Clone(p.prevs), p.pipes...) {
		p.mark(p.rateNeed, p.vars[i].input, forRates)
	}
}
