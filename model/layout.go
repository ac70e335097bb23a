package model

import (
	"github.com/stockflow/stockflow/model/internal/vm"
	"github.com/stockflow/stockflow/model/syntax"
)

// Temporaries are numbered from tempMark during code generation and moved
// after the constants when the layout is known; the stocks' rates are
// numbered from rateMark and moved after the temporaries.
const (
	tempMark = 1 << 30
	rateMark = 1 << 29
)

// layout gives each variable its slot: after the fixed slots, the params,
// then the stocks (user then hidden, in the order of p.stocks), then
// everything else; lookups have none. The constants follow, as the code
// needs them, then the temporaries and the stocks' rates (relocate).
func (c *compiler) layout() {
	p := c.p
	slot := int32(vm.NumFixedSlots)
	for _, v := range p.vars {
		if v.role == rParam {
			v.slot = slot
			slot++
		}
	}
	p.stockLo = slot
	for i, v := range p.vars {
		if v.role.isStock() {
			v.slot = slot
			slot++
			p.stocks = append(p.stocks, i)
		}
	}
	for _, v := range p.vars {
		if v.role != rParam && v.role != rLookup && !v.role.isStock() {
			v.slot = slot
			slot++
		}
	}
	p.consts = make([]float64, slot)
}

// relocate moves the temporaries of the code after the constants and
// the rates after the temporaries, now that the constants are all known,
// and notes whether any instruction needs the dt grid.
func (c *compiler) relocate(codes ...[]vm.Instr) {
	p := c.p
	base := int32(len(p.consts))
	p.tempLo, p.dyLo = base, base+c.tempMax
	reloc := func(s *int32) {
		switch {
		case *s >= tempMark:
			*s = base + *s - tempMark
		case *s >= rateMark:
			*s = p.dyLo + *s - rateMark
		}
	}
	for _, code := range codes {
		for k := range code {
			in := &code[k]
			reloc(&in.Dst)
			reloc(&in.A)
			reloc(&in.B)
			reloc(&in.C)
			if vm.OpTable[in.Op].Grid {
				p.gridOnly = true
			}
		}
	}
	p.nSlots = int(p.dyLo) + len(p.stocks)
}

// alias is copy propagation: an aux or flow whose equation is just the
// name of another variable (as the output of a smooth or a delay is)
// shares that variable's slot and has no code of its own. Flows that are
// cut or clipped to stay non-negative keep their own slots, since the cut
// writes to them.
func (c *compiler) alias(flowOrder []int) {
	p := c.p
	cut := map[int]bool{}
	for _, i := range p.stocks {
		if v := p.vars[i]; v.nonNeg {
			for _, j := range v.outflows {
				cut[j] = true
			}
		}
	}
	for _, i := range flowOrder {
		v := p.vars[i]
		if !v.role.isFlowLike() || v.nonNeg || v.initEq != nil || cut[i] {
			continue
		}
		id, ok := syntax.Unparen(v.eq).(*syntax.Ident)
		if !ok {
			continue
		}
		j, ok := p.byName[id.Name]
		if !ok || p.vars[j].role == rLookup {
			continue
		}
		src := p.vars[j]
		v.aliasRef = src // what the equation names, for loop scores
		if src.aliasOf != nil {
			src = src.aliasOf
		}
		v.slot, v.aliasOf = src.slot, src
	}
}
