package model

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/syntax"
)

// Temporaries are numbered from tempMark during code generation and moved
// after the constants when the layout is known; the stocks' rates are
// numbered from rateMark and moved after the temporaries.
const (
	tempMark = 1 << 30
	rateMark = 1 << 29
)

// generate lays out the slots and writes the init and flow code.
func (c *compiler) generate(flowOrder, initOrder []int) {
	p := c.p
	slot := int32(numFixedSlots)
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
	c.alias(flowOrder)
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

	// Which aux and flows change during a run.
	c.varying = make([]bool, len(p.vars))
	cut := map[int]bool{} // outflows of non-negative stocks are cut each evaluation
	for _, i := range p.stocks {
		v := p.vars[i]
		if v.nonNeg {
			for _, j := range v.outflows {
				cut[j] = true
			}
		}
	}
	for _, i := range flowOrder {
		v := p.vars[i]
		vary := cut[i] || v.initEq != nil
		syntax.Walk(v.eq, func(e syntax.Expr) bool {
			switch e := e.(type) {
			case *syntax.Ident:
				if j, ok := p.byName[e.Name]; ok {
					switch r := p.vars[j].role; {
					case r.isStock(), r == rPrevious, r == rPipeline, r == rUniform, r == rNormal:
						vary = true
					case r.isFlowLike():
						vary = vary || c.varying[j]
					}
				} else if strings.EqualFold(e.Name, "time") {
					vary = true
				}
			case *syntax.Call:
				if b, ok := builtins[strings.ToLower(e.Fn.Name)]; ok && b.varies {
					vary = true
				}
			}
			return true
		})
		c.varying[i] = vary
	}

	var initCode, flowCode []instr
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
	c.code = &flowCode
	c.hoist = &initCode
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
			c.refs(v.eq, func(j int) {
				if p.vars[j].role.isFlowLike() && c.varying[j] {
					v.deps = append(v.deps, j)
				}
			})
		}
	}

	flowCode = c.groupBlocks(flowCode)
	rateCode, rateBlocks := c.rates()

	// Relocate the temporaries after the constants, and the rates after
	// the temporaries.
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
	for _, code := range [][]instr{initCode, flowCode, rateCode} {
		for k := range code {
			in := &code[k]
			reloc(&in.dst)
			reloc(&in.a)
			reloc(&in.b)
			reloc(&in.c)
			if opTable[in.op].grid {
				p.gridOnly = true
			}
		}
	}
	p.nSlots = int(p.dyLo) + len(p.stocks)
	p.initCode, p.flowCode = initCode, flowCode
	p.rateCode, p.rateBlocks = rateCode, rateBlocks

	// Runs of array elements become loops; their temporaries, one slot
	// per element, go after everything else (vector.go).
	z := &vectorizer{code: flowCode, tempLo: base, tempHi: base + c.tempMax}
	for _, i := range p.flowVars {
		v := p.vars[i]
		z.blocks = append(z.blocks, [2]int32{v.codeLo, v.codeHi})
	}
	p.flowRuns = z.runs()
	var vecTemps int32
	for k := range p.flowRuns {
		vecTemps = max(vecTemps, z.lower(&p.flowRuns[k], &p.vecs, int32(p.nSlots)))
	}
	p.nSlots += int(vecTemps)
	p.fastCode = p.lowerFlow(nil)
	rz := &vectorizer{code: rateCode, blocks: rateBlocks, tempLo: base, tempHi: base + c.tempMax}
	p.rateRuns = rz.runs()
	p.fastRates = rz.lowerAll(p.rateRuns, &p.vecs)

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
	p.markRates()
	if len(p.prevs)+len(p.pipes)+len(p.randoms) > 0 {
		p.gridOnly = true
	}
}

// groupBlocks reorders the flow variables and their code so that blocks
// of the same shape (the same operations on different slots) sit
// together wherever the dependencies between them allow, and returns the
// reordered code. Runs of like blocks become loops (vector.go): the
// elements of an array already sit together, and this also gathers
// variables that are copies of one structure under different names, as
// in a model written out element by element. Among the blocks that are
// ready, it takes the next of the same array as the last, else the next
// of the same shape, else the first in the present order. Dependencies
// are read from the code: a block comes after the blocks that write the
// slots it reads.
func (c *compiler) groupBlocks(code []instr) []instr {
	p := c.p
	n := len(p.flowVars)
	block := func(k int) []instr {
		v := p.vars[p.flowVars[k]]
		return code[v.codeLo:v.codeHi]
	}
	writer := map[int32]int{}
	for k := range n {
		for _, in := range block(k) {
			if in.dst < tempMark {
				writer[in.dst] = k
			}
		}
	}
	indeg := make([]int, n)
	users := make([][]int, n)
	shapes := make([]string, n)
	families := make([]string, n)
	var key strings.Builder
	for k := range n {
		key.Reset()
		seen := map[int]bool{}
		for _, in := range block(k) {
			slot, lit := slotFields(in.op)
			f := fieldsOf(&in)
			key.WriteString(strconv.Itoa(int(in.op)))
			for q := range 4 {
				switch {
				case lit[q]:
					fmt.Fprintf(&key, " =%d", f[q])
				case slot[q] && f[q] >= tempMark:
					fmt.Fprintf(&key, " t%d", f[q]-tempMark)
				case slot[q]:
					key.WriteString(" s")
				}
				if q == 0 || !slot[q] || lit[q] || f[q] >= tempMark {
					continue
				}
				j, ok := writer[f[q]]
				if !ok || j == k {
					continue
				}
				from, to := j, k // j writes what k reads
				if j > k {
					from, to = k, j // k reads the value before j writes it
				}
				if !seen[j] {
					seen[j] = true
					indeg[to]++
					users[from] = append(users[from], to)
				}
			}
			key.WriteByte(';')
		}
		shapes[k] = key.String()
		families[k] = family(p.vars[p.flowVars[k]].name)
	}
	var ready intHeap
	byFamily := map[string]*intHeap{}
	byShape := map[string]*intHeap{}
	push := func(k int) {
		ready.push(k)
		for _, m := range []struct {
			heaps map[string]*intHeap
			key   string
		}{{byFamily, families[k]}, {byShape, shapes[k]}} {
			if m.heaps[m.key] == nil {
				m.heaps[m.key] = &intHeap{}
			}
			m.heaps[m.key].push(k)
		}
	}
	for k := range n {
		if indeg[k] == 0 {
			push(k)
		}
	}
	done := make([]bool, n)
	order := make([]int, 0, n)
	next := func(h *intHeap) int {
		for h != nil && len(*h) > 0 {
			if k := h.pop(); !done[k] {
				return k
			}
		}
		return -1
	}
	for len(order) < n {
		k := -1
		if len(order) > 0 {
			last := order[len(order)-1]
			if k = next(byFamily[families[last]]); k < 0 {
				k = next(byShape[shapes[last]])
			}
		}
		if k < 0 {
			k = next(&ready)
		}
		if k < 0 {
			return code // cannot happen: the present order satisfies the dependencies
		}
		done[k] = true
		order = append(order, k)
		for _, u := range users[k] {
			if indeg[u]--; indeg[u] == 0 {
				push(u)
			}
		}
	}
	out := make([]instr, 0, len(code))
	vars := make([]int, n)
	for pos, k := range order {
		v := p.vars[p.flowVars[k]]
		lo := int32(len(out))
		out = append(out, block(k)...)
		vars[pos] = p.flowVars[k]
		v.codeLo, v.codeHi = lo, int32(len(out))
	}
	p.flowVars = vars
	return out
}

// rates writes the code that computes each stock's rate of change, the
// sum of its inflows less its outflows, into its rate slot (numbered from
// rateMark): one block per stock, the blocks of an array's elements (and
// of each stage of arrayed delays) together.
func (c *compiler) rates() ([]instr, [][2]int32) {
	p := c.p
	order := make([]int, len(p.stocks))
	first := map[string]int{}
	for k, i := range p.stocks {
		order[k] = k
		f := family(p.vars[i].name)
		if _, ok := first[f]; !ok {
			first[f] = k
		}
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return first[family(p.vars[p.stocks[x]].name)] - first[family(p.vars[p.stocks[y]].name)]
	})
	var code []instr
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
				code = append(code, instr{op: opNeg, dst: dy, a: ^t})
			case t >= 0:
				code = append(code, instr{op: opAdd, dst: dy, a: acc, b: t})
			default:
				code = append(code, instr{op: opSub, dst: dy, a: acc, b: ^t})
			}
			if len(code) > int(lo) {
				acc = dy
			}
		}
		switch {
		case acc < 0:
			code = append(code, instr{op: opMov, dst: dy, a: c.konst(0)})
		case acc != dy:
			code = append(code, instr{op: opMov, dst: dy, a: acc})
		}
		blocks = append(blocks, [2]int32{lo, int32(len(code))})
	}
	return code, blocks
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
