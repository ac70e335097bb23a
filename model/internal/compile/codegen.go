package compile

import (
	"math"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/internal/vm"

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
	p.InitCode, p.FlowCode = initCode, flowCode
	p.RateCode, p.RateBlocks = rateCode, rateBlocks
	c.vectorize()
	c.fixGuards()
	c.rateTables()
	markRates(p)
	if len(p.Prevs)+len(p.Pipes)+len(p.Randoms) > 0 {
		p.GridOnly = true
	}
}

// startCode readies the constant pool and what folding and hoisting
// need to know about slots.
func (c *compiler) startCode() {
	p := c.p
	c.lits = map[int32]bool{}
	p.Lits = c.lits
	c.hoisted = map[int32]bool{}
	c.fixedVars = map[int32]bool{}
	for _, v := range p.Vars {
		if v.Role == vm.Param || v.Role == vm.Initial {
			c.fixedVars[v.Slot] = true
		}
	}
	c.constSlot = map[uint64]int32{}
}

// emitInit writes the code computing every value at the start time.
func (c *compiler) emitInit(initOrder []int) []vm.Instr {
	p := c.p
	var initCode []vm.Instr
	c.code = &initCode
	for _, i := range initOrder {
		v := p.Vars[i]
		if v.AliasOf != nil {
			continue // shares its source's slot
		}
		switch v.Role {
		case vm.Flow, vm.Aux, vm.HiddenFlow:
			if v.InitEq != nil {
				c.assign(v, v.InitEq)
			} else {
				c.assign(v, v.Eq)
			}
		case vm.Stock, vm.HiddenStock, vm.Previous, vm.Pipeline, vm.Initial:
			c.assign(v, v.Init)
		}
	}
	return initCode
}

// emitFlows writes the code computing the aux and flows that vary, one
// block per variable, and records what each uses; what is fixed for the
// run is hoisted to the end of *initCode.
func (c *compiler) emitFlows(flowOrder []int, initCode *[]vm.Instr) []vm.Instr {
	p := c.p
	var flowCode []vm.Instr
	c.code = &flowCode
	c.hoist = initCode
	for _, i := range flowOrder {
		if v := p.Vars[i]; v.AliasOf != nil {
			if v.AliasOf.Role.IsFlowLike() && c.varying[p.ByName[v.AliasOf.Name]] {
				v.Deps = []int{p.ByName[v.AliasOf.Name]}
			}
			continue
		}
		if c.varying[i] {
			v := p.Vars[i]
			v.CodeLo = int32(len(flowCode))
			c.assign(v, v.Eq)
			v.CodeHi = int32(len(flowCode))
			p.FlowVars = append(p.FlowVars, i)
			Refs(c.p, v.Eq, func(j int) {
				if p.Vars[j].Role.IsFlowLike() && c.varying[j] {
					v.Deps = append(v.Deps, j)
				}
			})
		}
	}
	return flowCode
}

// assign emits code computing x into v's slot.
func (c *compiler) assign(v *vm.Var, x syntax.Expr) {
	c.tempNext = 0
	lo := len(*c.code)
	r := c.expr(v, x, v.Slot)
	if r != v.Slot {
		c.emit(vm.Instr{Op: vm.OpMov, Dst: v.Slot, A: r})
	}
	*c.code = append((*c.code)[:lo], fuse((*c.code)[lo:])...)
	if v.NonNeg && (v.Role == vm.Flow) {
		c.emit(vm.Instr{Op: vm.OpMax, Dst: v.Slot, A: v.Slot, B: c.konst(0)})
	}
}

func (c *compiler) emit(in vm.Instr) { *c.code = append(*c.code, in) }

// konst returns the slot of a constant, adding it if new. Constants are
// told apart by their bits, so NaN, -Inf, -0 and +0 each get their own.
func (c *compiler) konst(x float64) int32 {
	key := math.Float64bits(x)
	if s, ok := c.constSlot[key]; ok {
		return s
	}
	s := int32(len(c.p.Consts))
	c.p.Consts = append(c.p.Consts, x)
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
	if s == vm.SlotDT || s == vm.SlotStart || s == vm.SlotStop {
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

// emitOp emits dst = op(args...), folding it when its operands are constant.
// want, when not negative, is the slot the caller would like the result in.
func (c *compiler) emitOp(op vm.Opcode, want int32, args ...int32) int32 {
	if op == vm.OpLookup {
		return c.lookup(want, args[0], args[1])
	}
	var ops [3]int32
	copy(ops[:], args)
	fold := op.Pure()
	for _, a := range args {
		fold = fold && c.isConst(a)
	}
	if fold {
		var scratch [4]float64
		for k, a := range args {
			scratch[k+1] = c.p.Consts[a]
		}
		in := vm.Instr{Op: op, Dst: 0, A: 1, B: 2, C: 3}
		vm.Exec([]vm.Instr{in}, scratch[:], nil, nil)
		return c.konst(scratch[0])
	}
	if c.hoist != nil && want < 0 && op.Pure() {
		hoist := true
		for _, a := range args {
			hoist = hoist && c.isRunConst(a)
		}
		if hoist {
			// Fixed for the run: computed once, at the end of the init
			// code, into a slot of its own.
			dst := int32(len(c.p.Consts))
			c.p.Consts = append(c.p.Consts, 0)
			c.hoisted[dst] = true
			*c.hoist = append(*c.hoist, vm.Instr{Op: op, Dst: dst, A: ops[0], B: ops[1], C: ops[2]})
			return dst
		}
	}
	dst := want
	if dst < 0 {
		dst = c.temp()
	}
	c.emit(vm.Instr{Op: op, Dst: dst, A: ops[0], B: ops[1], C: ops[2]})
	return dst
}

// lookup emits dst = table(a). Of a literal it is a literal; of a value
// fixed for the run (a param) it is computed once, at the end of the init
// code, as emitOp hoists pure operations.
func (c *compiler) lookup(want, a, table int32) int32 {
	if c.isConst(a) {
		return c.konst(c.p.Tables[table].At(c.p.Consts[a]))
	}
	in := vm.Instr{Op: vm.OpLookup, A: a, B: table}
	if c.hoist != nil && want < 0 && c.isRunConst(a) {
		in.Dst = int32(len(c.p.Consts))
		c.p.Consts = append(c.p.Consts, 0)
		c.hoisted[in.Dst] = true
		*c.hoist = append(*c.hoist, in)
		return in.Dst
	}
	in.Dst = want
	if in.Dst < 0 {
		in.Dst = c.temp()
	}
	c.emit(in)
	return in.Dst
}

var binops = map[syntax.Token]vm.Opcode{
	syntax.ADD: vm.OpAdd, syntax.SUB: vm.OpSub, syntax.MUL: vm.OpMul, syntax.QUO: vm.OpDiv,
	syntax.POW: vm.OpPow, syntax.MOD: vm.OpMod,
	syntax.EQL: vm.OpEq, syntax.NEQ: vm.OpNe, syntax.LSS: vm.OpLt, syntax.LEQ: vm.OpLe,
	syntax.GTR: vm.OpGt, syntax.GEQ: vm.OpGe, syntax.AND: vm.OpAnd, syntax.OR: vm.OpOr,
}

// expr emits code for x and returns the slot holding its value.
func (c *compiler) expr(v *vm.Var, x syntax.Expr, want int32) int32 {
	p := c.p
	switch x := x.(type) {
	case *syntax.Num:
		return c.konst(x.Value)
	case *syntax.Paren:
		return c.expr(v, x.X, want)
	case *syntax.Ident:
		if i, ok := p.ByName[x.Name]; ok {
			return p.Vars[i].Slot
		}
		switch strings.ToLower(x.Name) {
		case "time":
			return vm.SlotTime
		case "dt":
			return vm.SlotDT
		case "starttime":
			return vm.SlotStart
		case "stoptime":
			return vm.SlotStop
		case "pi":
			return c.konst(math.Pi)
		case "inf":
			return c.konst(math.Inf(1))
		}
	case *syntax.Unary:
		a := c.expr(v, x.X, -1)
		switch x.Op {
		case syntax.SUB:
			return c.emitOp(vm.OpNeg, want, a)
		case syntax.NOT:
			return c.emitOp(vm.OpNot, want, a)
		}
		return a
	case *syntax.Binary:
		a := c.expr(v, x.X, -1)
		b := c.expr(v, x.Y, -1)
		return c.emitOp(binops[x.Op], want, a, b)
	case *syntax.If:
		cond := c.expr(v, x.Cond, -1)
		a := c.expr(v, x.Then, -1)
		b := c.expr(v, x.Else, -1)
		return c.emitOp(vm.OpIf, want, cond, a, b)
	case *syntax.Call:
		return c.call(v, x, want)
	}
	return c.konst(math.NaN()) // unreachable after check
}

// heldData reports whether a call of the lookup lk, whose table is t,
// with the argument arg reads a data variable's held series (hold, or
// look forward: steps either way) at the current time.
func heldData(lk *vm.Var, t vm.Table, arg syntax.Expr) bool {
	id, ok := arg.(*syntax.Ident)
	return ok && id.Name == "time" && (t.Mode == vm.InterpHold || t.Mode == vm.InterpForward) && lk.Src != nil && lk.Src.Kind == decl.Data
}

// call emits code for a call of a lookup or of a stateless builtin
// (stateful ones are expanded already) and returns the slot holding its
// value.
func (c *compiler) call(v *vm.Var, x *syntax.Call, want int32) int32 {
	p := c.p
	if i, ok := p.ByName[x.Fn.Name]; ok && p.Vars[i].Role == vm.Lookup {
		lk := p.Vars[i]
		var a int32
		if heldData(lk, p.Tables[lk.Table], x.Args[0]) {
			// A held series steps, as step() does: it is read at the
			// time of the step, so that it holds through a step's
			// stages and changes between steps, and rk45 lands on the
			// dt grid. Each integrator then sums the steps exactly.
			a = vm.SlotTStep
			p.GridOnly = true
		} else {
			a = c.expr(v, x.Args[0], -1)
		}
		return c.emitOp(vm.OpLookup, want, a, int32(lk.Table))
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
	case b.fn != 0:
		return c.lowerFunc(b.fn, args, want)
	case b.fold:
		r := args[0]
		for k := 1; k < len(args); k++ {
			w := int32(-1)
			if k == len(args)-1 {
				w = want
			}
			r = c.emitOp(b.Op, w, r, args[k])
		}
		return r
	}
	for _, x := range b.omitted[len(x.Args)-b.min:] {
		args = append(args, c.konst(x))
	}
	return c.emitOp(b.Op, want, args...)
}
