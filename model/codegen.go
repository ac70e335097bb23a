package model

import (
	"math"
	"strings"

	"github.com/stockflow/stockflow/model/syntax"
)

// generate lays out the slots and writes the code: the phases after
// ordering, one function each.
func (c *compiler) generate(flowOrder, initOrder []int) {
	c.layout()
	c.alias(flowOrder)
	c.startCode()
	c.markVarying(flowOrder)
	initCode := c.emitInit(initOrder)
	flowCode := c.emitFlows(flowOrder, &initCode)
	flowCode = c.groupBlocks(flowCode)
	rateCode, rateBlocks := c.rates()
	c.relocate(initCode, flowCode, rateCode)
	p := c.p
	p.initCode, p.flowCode = initCode, flowCode
	p.rateCode, p.rateBlocks = rateCode, rateBlocks
	c.vectorize()
	c.rateTables()
	p.markRates()
	if len(p.prevs)+len(p.pipes)+len(p.randoms) > 0 {
		p.gridOnly = true
	}
}

// startCode readies the constant pool and what folding and hoisting
// need to know about slots.
func (c *compiler) startCode() {
	p := c.p
	c.lits = map[int32]bool{}
	p.lits = c.lits
	c.hoisted = map[int32]bool{}
	c.fixedVars = map[int32]bool{}
	for _, v := range p.vars {
		if v.role == rParam || v.role == rInitial {
			c.fixedVars[v.slot] = true
		}
	}
	c.constSlot = map[uint64]int32{}
}

// emitInit writes the code computing every value at the start time.
func (c *compiler) emitInit(initOrder []int) []instr {
	p := c.p
	var initCode []instr
	c.code = &initCode
	for _, i := range initOrder {
		v := p.vars[i]
		if v.aliasOf != nil {
			continue // shares its source's slot
		}
		switch v.role {
		case rFlow, rAux, rHiddenFlow:
			if v.initEq != nil {
				c.assign(v, v.initEq)
			} else {
				c.assign(v, v.eq)
			}
		case rStock, rHiddenStock, rPrevious, rPipeline, rInitial:
			c.assign(v, v.init)
		}
	}
	return initCode
}

// emitFlows writes the code computing the aux and flows that vary, one
// block per variable, and records what each uses; what is fixed for the
// run is hoisted to the end of *initCode.
func (c *compiler) emitFlows(flowOrder []int, initCode *[]instr) []instr {
	p := c.p
	var flowCode []instr
	c.code = &flowCode
	c.hoist = initCode
	for _, i := range flowOrder {
		if v := p.vars[i]; v.aliasOf != nil {
			if v.aliasOf.role.isFlowLike() && c.varying[p.byName[v.aliasOf.name]] {
				v.deps = []int{p.byName[v.aliasOf.name]}
			}
			continue
		}
		if c.varying[i] {
			v := p.vars[i]
			v.codeLo = int32(len(flowCode))
			c.assign(v, v.eq)
			v.codeHi = int32(len(flowCode))
			p.flowVars = append(p.flowVars, i)
			c.p.refs(v.eq, func(j int) {
				if p.vars[j].role.isFlowLike() && c.varying[j] {
					v.deps = append(v.deps, j)
				}
			})
		}
	}
	return flowCode
}

// assign emits code computing x into v's slot.
func (c *compiler) assign(v *cvar, x syntax.Expr) {
	c.tempNext = 0
	lo := len(*c.code)
	r := c.expr(v, x, v.slot)
	if r != v.slot {
		c.emit(instr{op: opMov, dst: v.slot, a: r})
	}
	*c.code = append((*c.code)[:lo], fuse((*c.code)[lo:])...)
	if v.nonNeg && (v.role == rFlow) {
		c.emit(instr{op: opMax, dst: v.slot, a: v.slot, b: c.konst(0)})
	}
}

func (c *compiler) emit(in instr) { *c.code = append(*c.code, in) }

// konst returns the slot of a constant, adding it if new. Constants are
// told apart by their bits, so NaN, -Inf, -0 and +0 each get their own.
func (c *compiler) konst(x float64) int32 {
	key := math.Float64bits(x)
	if s, ok := c.constSlot[key]; ok {
		return s
	}
	s := int32(len(c.p.consts))
	c.p.consts = append(c.p.consts, x)
	c.constSlot[key] = s
	c.lits[s] = true
	return s
}

// isConst reports whether slot s holds a literal constant.
func (c *compiler) isConst(s int32) bool { return c.lits[s] }

// isRunConst reports whether slot s holds a value fixed for a whole run:
// a literal, a param, a value fixed at the start, or a hoisted
// expression of those.
func (c *compiler) isRunConst(s int32) bool {
	if s >= tempMark {
		return false
	}
	if c.lits[s] || c.hoisted[s] {
		return true
	}
	if s == slotDT || s == slotStart || s == slotStop {
		return true
	}
	return c.fixedVars[s]
}

func (c *compiler) temp() int32 {
	t := tempMark + c.tempNext
	c.tempNext++
	if c.tempNext > c.tempMax {
		c.tempMax = c.tempNext
	}
	return t
}

// op emits dst = op(args...), folding it when its operands are constant.
// want, when not negative, is the slot the caller would like the result in.
func (c *compiler) op(op opcode, want int32, args ...int32) int32 {
	var ops [3]int32
	copy(ops[:], args)
	fold := op.pure()
	for _, a := range args {
		fold = fold && c.isConst(a)
	}
	if fold {
		var scratch [4]float64
		for k, a := range args {
			scratch[k+1] = c.p.consts[a]
		}
		in := instr{op: op, dst: 0, a: 1, b: 2, c: 3}
		exec([]instr{in}, scratch[:], nil, nil)
		return c.konst(scratch[0])
	}
	if c.hoist != nil && want < 0 && op.pure() {
		hoist := true
		for _, a := range args {
			hoist = hoist && c.isRunConst(a)
		}
		if hoist {
			// Fixed for the run: computed once, at the end of the init
			// code, into a slot of its own.
			dst := int32(len(c.p.consts))
			c.p.consts = append(c.p.consts, 0)
			c.hoisted[dst] = true
			*c.hoist = append(*c.hoist, instr{op: op, dst: dst, a: ops[0], b: ops[1], c: ops[2]})
			return dst
		}
	}
	dst := want
	if dst < 0 {
		dst = c.temp()
	}
	c.emit(instr{op: op, dst: dst, a: ops[0], b: ops[1], c: ops[2]})
	return dst
}

var binops = map[syntax.Token]opcode{
	syntax.ADD: opAdd, syntax.SUB: opSub, syntax.MUL: opMul, syntax.QUO: opDiv,
	syntax.POW: opPow, syntax.MOD: opMod,
	syntax.EQL: opEq, syntax.NEQ: opNe, syntax.LSS: opLt, syntax.LEQ: opLe,
	syntax.GTR: opGt, syntax.GEQ: opGe, syntax.AND: opAnd, syntax.OR: opOr,
}

// expr emits code for x and returns the slot holding its value.
func (c *compiler) expr(v *cvar, x syntax.Expr, want int32) int32 {
	p := c.p
	switch x := x.(type) {
	case *syntax.Num:
		return c.konst(x.Value)
	case *syntax.Paren:
		return c.expr(v, x.X, want)
	case *syntax.Ident:
		if i, ok := p.byName[x.Name]; ok {
			return p.vars[i].slot
		}
		switch strings.ToLower(x.Name) {
		case "time":
			return slotTime
		case "dt":
			return slotDT
		case "starttime":
			return slotStart
		case "stoptime":
			return slotStop
		case "pi":
			return c.konst(math.Pi)
		case "inf":
			return c.konst(math.Inf(1))
		}
	case *syntax.Unary:
		a := c.expr(v, x.X, -1)
		switch x.Op {
		case syntax.SUB:
			return c.op(opNeg, want, a)
		case syntax.NOT:
			return c.op(opNot, want, a)
		}
		return a
	case *syntax.Binary:
		a := c.expr(v, x.X, -1)
		b := c.expr(v, x.Y, -1)
		return c.op(binops[x.Op], want, a, b)
	case *syntax.If:
		cond := c.expr(v, x.Cond, -1)
		a := c.expr(v, x.Then, -1)
		b := c.expr(v, x.Else, -1)
		return c.op(opIf, want, cond, a, b)
	case *syntax.Call:
		return c.call(v, x, want)
	}
	return c.konst(math.NaN()) // unreachable after check
}

// call emits code for a call of a lookup or of a stateless builtin
// (stateful ones are expanded already) and returns the slot holding its
// value.
func (c *compiler) call(v *cvar, x *syntax.Call, want int32) int32 {
	p := c.p
	if i, ok := p.byName[x.Fn.Name]; ok && p.vars[i].role == rLookup {
		a := c.expr(v, x.Args[0], -1)
		return c.op(opLookup, want, a, int32(p.vars[i].table))
	}
	b, ok := builtins[strings.ToLower(x.Fn.Name)]
	if !ok || b.expand != nil || b.whole {
		return c.konst(math.NaN()) // unreachable after check and expansion
	}
	var args []int32
	for _, a := range b.valueArgs(x.Args) {
		args = append(args, c.expr(v, a, -1))
	}
	switch {
	case b.lower != nil:
		return b.lower(c, x, args, want)
	case b.fold:
		r := args[0]
		for k := 1; k < len(args); k++ {
			w := int32(-1)
			if k == len(args)-1 {
				w = want
			}
			r = c.op(b.op, w, r, args[k])
		}
		return r
	}
	for _, x := range b.omitted[len(x.Args)-b.min:] {
		args = append(args, c.konst(x))
	}
	return c.op(b.op, want, args...)
}
