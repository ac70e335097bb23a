package compile

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
	order := make([]int, len(p.Stocks))
	first := map[string]int{}
	for k, i := range p.Stocks {
		order[k] = k
		f := family(p.Vars[i])
		if _, ok := first[f]; !ok {
			first[f] = k
		}
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return first[family(p.Vars[p.Stocks[x]])] - first[family(p.Vars[p.Stocks[y]])]
	})
	var code []vm.Instr
	var blocks [][2]int32
	for _, k := range order {
		v := p.Vars[p.Stocks[k]]
		dy := int32(rateMark + k)
		lo := int32(len(code))
		var terms []int32 // slots, outflows as ^slot
		for _, j := range v.Inflows {
			terms = append(terms, p.Vars[j].Slot)
		}
		for _, j := range v.Outflows {
			terms = append(terms, ^p.Vars[j].Slot)
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
	for _, i := range p.Stocks {
		v := p.Vars[i]
		var in, out []int32
		for _, j := range v.Inflows {
			in = append(in, p.Vars[j].Slot)
		}
		for _, j := range v.Outflows {
			out = append(out, p.Vars[j].Slot)
		}
		p.InIdx = append(p.InIdx, in)
		p.OutIdx = append(p.OutIdx, out)
		p.RateLo = append(p.RateLo, int32(len(p.RateSlot)))
		one := int32(-1)
		if len(in) == 1 && len(out) == 0 {
			one = in[0]
		}
		p.RateOne = append(p.RateOne, one)
		for _, s := range in {
			p.RateSlot = append(p.RateSlot, s)
			p.RateSign = append(p.RateSign, 1)
		}
		for _, s := range out {
			p.RateSlot = append(p.RateSlot, s)
			p.RateSign = append(p.RateSign, -1)
		}
		if v.NonNeg {
			p.NonNeg = append(p.NonNeg, len(p.InIdx)-1)
		}
	}
	p.RateLo = append(p.RateLo, int32(len(p.RateSlot)))
}

// markRates computes rateNeed: what the stocks' rates and the discrete
// state need at every evaluation. Compile calls it once.
func markRates(p *vm.Program) {
	p.RateNeed = make([]vm.Need, len(p.Vars))
	for _, i := range p.Stocks {
		v := p.Vars[i]
		for _, j := range v.Inflows {
			p.Mark(p.RateNeed, j, vm.ForRates)
		}
		for _, j := range v.Outflows {
			p.Mark(p.RateNeed, j, vm.ForRates)
		}
	}
	for _, i := range append(slices.Clone(p.Prevs), p.Pipes...) {
		p.Mark(p.RateNeed, p.Vars[i].Input, vm.ForRates)
		if v := p.Vars[i]; v.Role == vm.Pipeline && v.Pipe != vm.FixedPipe {
			p.Mark(p.RateNeed, v.DelayT, vm.ForRates) // read each step
		}
	}
}
