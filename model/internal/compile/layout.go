package compile

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
	for _, v := range p.Vars {
		if v.Role == vm.Param {
			v.Slot = slot
			slot++
		}
	}
	p.StockLo = slot
	for i, v := range p.Vars {
		if v.Role.IsStock() {
			v.Slot = slot
			slot++
			p.Stocks = append(p.Stocks, i)
		}
	}
	for _, v := range p.Vars {
		if v.Role != vm.Param && v.Role != vm.Lookup && !v.Role.IsStock() {
			v.Slot = slot
			slot++
		}
	}
	p.Consts = make([]float64, slot)
}

// relocate moves the temporaries of the code after the constants and
// the rates after the temporaries, now that the constants are all known,
// and notes whether any instruction needs the dt grid.
func (c *compiler) relocate(codes ...[]vm.Instr) {
	p := c.p
	base := int32(len(p.Consts))
	p.TempLo, p.DyLo = base, base+c.tempMax
	reloc := func(s *int32) {
		switch {
		case *s >= tempMark:
			*s = base + *s - tempMark
		case *s >= rateMark:
			*s = p.DyLo + *s - rateMark
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
				p.GridOnly = true
			}
		}
	}
	p.NSlots = int(p.DyLo) + len(p.Stocks)
}

// alias is copy propagation: an aux or flow whose equation is just the
// name of another variable (as the output of a smooth or a delay is)
// shares that variable's slot and has no code of its own. Flows that are
// cut or clipped to stay non-negative keep their own slots, since the cut
// writes to them.
func (c *compiler) alias(flowOrder []int) {
	p := c.p
	cut := map[int]bool{}
	for _, i := range p.Stocks {
		if v := p.Vars[i]; v.NonNeg {
			for _, j := range v.Outflows {
				cut[j] = true
			}
		}
	}
	for _, i := range flowOrder {
		v := p.Vars[i]
		if !v.Role.IsFlowLike() || v.NonNeg || v.InitEq != nil || cut[i] {
			continue
		}
		id, ok := syntax.Unparen(v.Eq).(*syntax.Ident)
		if !ok {
			continue
		}
		j, ok := p.ByName[id.Name]
		if !ok || p.Vars[j].Role == vm.Lookup {
			continue
		}
		src := p.Vars[j]
		v.AliasRef = src // what the equation names, for loop scores
		if src.AliasOf != nil {
			src = src.AliasOf
		}
		v.Slot, v.AliasOf = src.Slot, src
	}
}
