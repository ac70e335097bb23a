package model

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// role is what a compiled variable is. The first five mirror decl.Kind;
// the rest are hidden variables made by expanding stateful builtins.
type role int

const (
	rParam role = iota + 1
	rStock
	rFlow
	rAux
	rLookup
	rHiddenStock // a stage of a smooth or delay
	rHiddenFlow  // the rate of a hidden stock, or a value recorded each step
	rPrevious    // previous(x): x one step earlier
	rPipeline    // delay(x, T): x one delay time earlier
	rInitial     // init(x), and a pipeline's delay time
	rUniform     // a uniform random draw in [0, 1), fresh each step
	rNormal      // a standard normal random draw, fresh each step
)

func (r role) isStock() bool { return r == rStock || r == rHiddenStock }
func (r role) isFlowLike() bool {
	return r == rFlow || r == rAux || r == rHiddenFlow
}

// cvar is a variable of the compiled model.
type cvar struct {
	name string
	role role
	src  *decl.Var // the declared variable whose equation this came from
	key  string    // the key errors name, e.g. "flows.births.eq"
	slot int32

	eq   syntax.Expr // flows and aux: the equation
	init syntax.Expr // stocks, previous, pipeline, initial: the initial value

	// initEq, when not nil, is what a flow or aux computes at the start
	// time instead of eq: the initial argument of active_initial.
	initEq syntax.Expr

	inflows, outflows []int // stocks: indices of flow variables
	nonNeg            bool

	input  int   // previous and pipeline: the variable recorded each step
	delayT int   // pipeline: the variable holding its delay time
	seed   int64 // random draws: the call's own seed, or -1
	table  int   // lookups: index into program.tables

	codeLo, codeHi int32 // flows and aux: their instructions in program.flowCode
	deps           []int // flows and aux: the varying flows and aux their equation uses
	aliasOf        *cvar // flows and aux whose equation is another variable's name: the variable whose slot they share
	aliasRef       *cvar // and the variable the equation names (aliasOf, or another alias of it)
	builtin        string
}

// program is a compiled model's code and layout. It is never modified
// after compile, so runs may share it.
type program struct {
	vars   []*cvar
	byName map[string]int

	nSlots int
	consts []float64 // initial slot values: fixed slots are set per run

	initCode []instr // computes every value at the start time, in dependency order
	flowCode []instr // computes aux and flows from time and state
	flowVars []int   // the variables flowCode computes, in its order
	flowRuns []vrun  // runs of flowVars whose code is the same, as loops (vector.go)
	fastCode []instr // flowCode with the runs as vector instructions
	vecs     []vinstr

	// rateCode computes the stocks' rates into the slots from dyLo, one
	// block per stock (rateBlocks), the blocks of an array's elements
	// together; fastRates is it with the runs as vector instructions.
	// Neither is used when stocks are non-negative.
	rateCode   []instr
	rateBlocks [][2]int32
	rateRuns   []vrun
	fastRates  []instr
	dyLo       int32
	tempLo     int32 // the first slot of the temporaries, which end at dyLo

	stocks  []int // indices of stocks, user then hidden; stock i lives at slot stockBase+i
	stockLo int32
	inIdx   [][]int32 // per stock: slots of its inflows
	outIdx  [][]int32 // per stock: slots of its outflows
	nonNeg  []int     // stock positions (into stocks) that are non-negative

	// A stock's rate is the sum of rateSign[k] * v[rateSlot[k]] for k in
	// rateLo[i] to rateLo[i+1]: its inflows (+1) and outflows (-1).
	rateLo   []int32
	rateSlot []int32
	rateSign []float64
	rateOne  []int32 // per stock: the slot of its only inflow, or -1
	rateNeed []uint8 // per variable: forRates if the rates need it, else unneeded
	prevs    []int   // previous variables
	pipes    []int   // pipeline variables
	randoms  []int   // random draw variables
	gridOnly bool    // discrete state or step-time functions: rk45 must land on the dt grid

	tables []table
	lits   map[int32]bool // the slots of literal constants, for disassembly

	native *Native // generated code, when the model was loaded with LoadNative
	kernel *Kernel // the interpreter, for instructions native code leaves to it
}

type compiler struct {
	d       *decl.Model
	partial bool // d came with reader errors: report only what the compiler alone finds
	p       *program
	errs    syntax.ErrorList
	hidden  int

	// during codegen
	constSlot map[uint64]int32
	tempNext  int32
	tempMax   int32
	code      *[]instr
	hoist     *[]instr // where run-constant expressions go, when not nil
	lits      map[int32]bool
	hoisted   map[int32]bool
	fixedVars map[int32]bool // slots of params and of values fixed at the start
	varying   []bool
}

func compile(d *decl.Model, partial bool) (*program, syntax.ErrorList) {
	c := &compiler{d: d, partial: partial, p: &program{byName: map[string]int{}}}
	c.declare()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	c.expandAll()
	c.check()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	flowOrder, initOrder := c.order()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	c.generate(flowOrder, initOrder)
	return c.p, c.errs
}

// reserved names are builtins read as values; no variable may take them.
var reserved = []string{"time", "dt", "starttime", "stoptime", "pi", "inf"}

func (c *compiler) add(v *cvar) int {
	i := len(c.p.vars)
	c.p.vars = append(c.p.vars, v)
	c.p.byName[v.name] = i
	return i
}

func (c *compiler) errorAt(v *cvar, off int, format string, args ...any) {
	pos := v.src.Pos
	key := v.key
	if v.src.Eq.Expr != nil || v.src.Eq.Text != "" {
		pos = v.src.Eq.PosAt(off)
	}
	c.errs.Addf(pos, key, format, args...)
}

// structural reports a problem the readers normally catch; compiling a
// declaration that a reader already found faulty (to find more errors in
// it) leaves them unsaid.
func (c *compiler) structural(pos syntax.Pos, key, format string, args ...any) {
	if !c.partial {
		c.errs.Addf(pos, key, format, args...)
	}
}

func eqKey(v *decl.Var) string {
	switch v.Kind {
	case decl.Stock:
		return v.Key + ".initial"
	case decl.Flow, decl.Aux:
		return v.Key + ".eq"
	}
	return v.Key
}

// declare makes a compiled variable for each declared one.
func (c *compiler) declare() {
	for _, dv := range c.d.Vars {
		for _, r := range reserved {
			if strings.EqualFold(dv.Name, r) {
				c.errs.Addf(dv.Pos, dv.Key, "%q is the name of a builtin; rename the variable", dv.Name)
			}
		}
		v := &cvar{name: dv.Name, src: dv, key: eqKey(dv), nonNeg: dv.NonNegative}
		switch dv.Kind {
		case decl.Param:
			v.role = rParam
		case decl.Stock:
			v.role = rStock
			v.init = dv.Eq.Expr
		case decl.Flow:
			v.role = rFlow
			v.eq = dv.Eq.Expr
		case decl.Aux:
			v.role = rAux
			v.eq = dv.Eq.Expr
		case decl.Lookup:
			v.role = rLookup
			xs := make([]float64, len(dv.Points))
			ys := make([]float64, len(dv.Points))
			for i, pt := range dv.Points {
				xs[i], ys[i] = pt[0], pt[1]
			}
			if len(xs) < 2 {
				c.structural(dv.Pos, dv.Key+".points", "a lookup needs at least 2 points")
				continue
			}
			v.table = len(c.p.tables)
			c.p.tables = append(c.p.tables, table{xs: xs, ys: ys, extrapolate: dv.Extrapolate})
		default:
			c.errs.Addf(dv.Pos, dv.Key, "unknown kind of variable")
			continue
		}
		if _, dup := c.p.byName[dv.Name]; dup {
			c.structural(dv.Pos, dv.Key, "%q is defined twice", dv.Name)
			continue
		}
		if (v.role == rFlow || v.role == rAux || v.role == rStock) && v.src.Eq.Expr == nil && c.partial {
			// Its equation did not parse; a stand-in keeps the name known.
			zero := &syntax.Num{Text: "0"}
			v.eq, v.init = nil, nil
			if v.role == rStock {
				v.init = zero
			} else {
				v.eq = zero
			}
		}
		if (v.role == rFlow || v.role == rAux || v.role == rStock) && v.src.Eq.Expr == nil && !c.partial {
			what := "eq"
			if v.role == rStock {
				what = "initial"
			}
			c.structural(dv.Pos, dv.Key, "missing %s", what)
			continue
		}
		c.add(v)
	}
	for _, v := range c.p.vars {
		if v.role != rStock {
			continue
		}
		link := func(names []string, field string) []int {
			var out []int
			for _, n := range names {
				i, ok := c.p.byName[n]
				if !ok || c.p.vars[i].role != rFlow {
					c.structural(v.src.FieldPosOr(field), v.src.Key+"."+field, "%q is not a flow", n)
					continue
				}
				out = append(out, i)
			}
			return out
		}
		v.inflows = link(v.src.Inflows, "inflows")
		v.outflows = link(v.src.Outflows, "outflows")
	}
}

// expandAll replaces each stateful builtin call by a reference to hidden
// variables that implement it.
func (c *compiler) expandAll() {
	n := len(c.p.vars)
	for i := 0; i < n; i++ {
		v := c.p.vars[i]
		switch v.role {
		case rFlow, rAux:
			if x, ok := syntax.Unparen(v.eq).(*syntax.Call); ok && strings.EqualFold(x.Fn.Name, "active_initial") && len(x.Args) == 2 {
				v.eq, v.initEq = x.Args[0], c.expand(v, x.Args[1])
			}
			v.eq = c.expand(v, v.eq)
		case rStock:
			v.init = c.expand(v, v.init)
		}
	}
}

// newHidden adds a hidden variable made for the call at offset at in
// owner's equation.
func (c *compiler) newHidden(owner *cvar, r role, what string) *cvar {
	c.hidden++
	h := &cvar{
		name:    fmt.Sprintf("$%s·%s·%d", owner.name, what, c.hidden),
		role:    r,
		src:     owner.src,
		key:     owner.key,
		builtin: what,
		seed:    -1,
	}
	c.add(h)
	return h
}

func ident(name string, at int) *syntax.Ident { return &syntax.Ident{At: at, Name: name} }

func num(x float64, at int) *syntax.Num {
	return &syntax.Num{At: at, Text: strconv.FormatFloat(x, 'g', -1, 64), Value: x}
}

func bin(x syntax.Expr, op syntax.Token, y syntax.Expr) syntax.Expr {
	return &syntax.Binary{X: x, Op: op, OpAt: x.Start(), Y: y}
}

func call(name string, at int, args ...syntax.Expr) syntax.Expr {
	return &syntax.Call{Fn: ident(name, at), Args: args, Rparen: at}
}

// expand rewrites x bottom-up, expanding stateful builtins.
func (c *compiler) expand(owner *cvar, x syntax.Expr) syntax.Expr {
	switch x := x.(type) {
	case *syntax.Unary:
		return &syntax.Unary{At: x.At, Op: x.Op, X: c.expand(owner, x.X)}
	case *syntax.Binary:
		return &syntax.Binary{X: c.expand(owner, x.X), Op: x.Op, OpAt: x.OpAt, Y: c.expand(owner, x.Y)}
	case *syntax.Paren:
		return &syntax.Paren{Lparen: x.Lparen, X: c.expand(owner, x.X), Rparen: x.Rparen}
	case *syntax.If:
		return &syntax.If{At: x.At, Cond: c.expand(owner, x.Cond), Then: c.expand(owner, x.Then), Else: c.expand(owner, x.Else)}
	case *syntax.Index:
		return x
	case *syntax.Call:
		args := make([]syntax.Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = c.expand(owner, a)
		}
		y := &syntax.Call{Fn: x.Fn, Args: args, Rparen: x.Rparen}
		name := strings.ToLower(x.Fn.Name)
		b, ok := builtins[name]
		if !ok || len(args) < b.min || (b.max >= 0 && len(args) > b.max) {
			return y // check reports it
		}
		if r := c.expandCall(owner, name, y); r != nil {
			return r
		}
		return y
	}
	return x
}

// expandCall returns the expansion of a stateful builtin, or nil when the
// call is not stateful.
func (c *compiler) expandCall(owner *cvar, name string, x *syntax.Call) syntax.Expr {
	at := x.Start()
	a := x.Args
	arg := func(i int) syntax.Expr {
		if i < len(a) {
			return a[i]
		}
		return nil
	}
	switch name {
	case "smth1", "smooth", "smoothi":
		return c.smooth(owner, at, a[0], a[1], arg(2), 1)
	case "smth3", "smooth3", "smooth3i":
		return c.smooth(owner, at, a[0], a[1], arg(2), 3)
	case "smthn":
		n, ok := c.stageCount(owner, a[2])
		if !ok {
			return num(0, at)
		}
		return c.smooth(owner, at, a[0], a[1], arg(3), n)
	case "delay1", "delay1i":
		return c.delayN(owner, at, a[0], a[1], arg(2), 1)
	case "delay3", "delay3i":
		return c.delayN(owner, at, a[0], a[1], arg(2), 3)
	case "delayn":
		n, ok := c.stageCount(owner, a[2])
		if !ok {
			return num(0, at)
		}
		return c.delayN(owner, at, a[0], a[1], arg(3), n)
	case "trend":
		avg := c.trendAverage(owner, at, a[0], a[1], arg(2))
		return call("zidz", at, bin(a[0], syntax.SUB, avg), bin(a[1], syntax.MUL, call("abs", at, avg)))
	case "forcst", "forecast":
		avg := c.trendAverage(owner, at, a[0], a[1], arg(3))
		tr := call("zidz", at, bin(a[0], syntax.SUB, avg), bin(a[1], syntax.MUL, call("abs", at, avg)))
		return bin(a[0], syntax.MUL, bin(num(1, at), syntax.ADD, bin(tr, syntax.MUL, a[2])))
	case "delay":
		in := c.recorded(owner, at, a[0], "delay")
		dt := c.newHidden(owner, rInitial, "delay_time")
		dt.init = a[1]
		p := c.newHidden(owner, rPipeline, "delay")
		p.input = c.p.byName[in.name]
		p.delayT = c.p.byName[dt.name]
		p.init = arg(2)
		if p.init == nil {
			p.init = a[0]
		}
		c.p.pipes = append(c.p.pipes, c.p.byName[p.name])
		return ident(p.name, at)
	case "previous":
		in := c.recorded(owner, at, a[0], "previous")
		p := c.newHidden(owner, rPrevious, "previous")
		p.input = c.p.byName[in.name]
		p.init = arg(1)
		if p.init == nil {
			p.init = a[0]
		}
		c.p.prevs = append(c.p.prevs, c.p.byName[p.name])
		return ident(p.name, at)
	case "init":
		h := c.newHidden(owner, rInitial, "init")
		h.init = a[0]
		return ident(h.name, at)
	case "random":
		u := c.draw(owner, rUniform, arg(2))
		return bin(a[0], syntax.ADD, bin(&syntax.Paren{Lparen: at, X: bin(a[1], syntax.SUB, a[0]), Rparen: at}, syntax.MUL, ident(u, at)))
	case "normal":
		z := c.draw(owner, rNormal, arg(2))
		return bin(a[0], syntax.ADD, bin(a[1], syntax.MUL, ident(z, at)))
	case "exprnd":
		u := c.draw(owner, rUniform, arg(1))
		return bin(&syntax.Unary{At: at, Op: syntax.SUB, X: a[0]}, syntax.MUL, call("ln", at, bin(num(1, at), syntax.SUB, ident(u, at))))
	case "lognormal":
		// mean m and standard deviation s of the lognormal itself:
		// mu = ln(m^2/sqrt(s^2+m^2)), sigma = sqrt(ln(1+s^2/m^2)).
		z := c.draw(owner, rNormal, arg(2))
		m, s := a[0], a[1]
		m2 := bin(m, syntax.MUL, m)
		s2 := bin(s, syntax.MUL, s)
		mu := call("ln", at, bin(m2, syntax.QUO, call("sqrt", at, bin(s2, syntax.ADD, m2))))
		sigma := call("sqrt", at, call("ln", at, bin(num(1, at), syntax.ADD, bin(s2, syntax.QUO, m2))))
		return call("exp", at, bin(mu, syntax.ADD, bin(sigma, syntax.MUL, ident(z, at))))
	case "poisson":
		u := c.draw(owner, rUniform, arg(1))
		return call("$poisson", at, a[0], ident(u, at))
	}
	return nil
}

// stageCount evaluates the stage count of smthn or delayn, which must be a
// whole number written in the equation.
func (c *compiler) stageCount(owner *cvar, x syntax.Expr) (int, bool) {
	val, ok := constValue(x)
	if !ok || val < 1 || val > 1000 || val != math.Trunc(val) {
		c.errorAt(owner, x.Start(), "the order of smthn and delayn must be a whole number from 1 to 1000 written in the equation, got %s", syntax.Print(x))
		return 0, false
	}
	return int(val), true
}

// constValue evaluates an expression of number literals and arithmetic.
func constValue(x syntax.Expr) (float64, bool) {
	switch x := x.(type) {
	case *syntax.Num:
		return x.Value, true
	case *syntax.Paren:
		return constValue(x.X)
	case *syntax.Unary:
		v, ok := constValue(x.X)
		if ok && x.Op == syntax.SUB {
			return -v, true
		}
		return v, ok && x.Op == syntax.ADD
	case *syntax.Binary:
		a, ok1 := constValue(x.X)
		b, ok2 := constValue(x.Y)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch x.Op {
		case syntax.ADD:
			return a + b, true
		case syntax.SUB:
			return a - b, true
		case syntax.MUL:
			return a * b, true
		case syntax.QUO:
			return a / b, true
		}
	}
	return 0, false
}

// smooth expands an n-th order exponential smooth into n hidden stocks.
func (c *compiler) smooth(owner *cvar, at int, input, T, init syntax.Expr, n int) syntax.Expr {
	if init == nil {
		init = input
	}
	stage := T
	if n > 1 {
		stage = &syntax.Paren{Lparen: at, X: bin(T, syntax.QUO, num(float64(n), at)), Rparen: at}
	}
	prev := input
	var s *cvar
	for i := 0; i < n; i++ {
		s = c.newHidden(owner, rHiddenStock, fmt.Sprintf("smooth%d.%d", n, i+1))
		s.init = init
		f := c.newHidden(owner, rHiddenFlow, fmt.Sprintf("smooth%d.%d.rate", n, i+1))
		f.eq = bin(&syntax.Paren{Lparen: at, X: bin(prev, syntax.SUB, ident(s.name, at)), Rparen: at}, syntax.QUO, stage)
		s.inflows = []int{c.p.byName[f.name]}
		prev = ident(s.name, at)
	}
	return ident(s.name, at)
}

// delayN expands an n-th order material delay into a chain of n hidden
// stocks; its value is the outflow of the last.
func (c *compiler) delayN(owner *cvar, at int, input, T, init syntax.Expr, n int) syntax.Expr {
	if init == nil {
		init = input
	}
	stage := T
	if n > 1 {
		stage = &syntax.Paren{Lparen: at, X: bin(T, syntax.QUO, num(float64(n), at)), Rparen: at}
	}
	in := c.newHidden(owner, rHiddenFlow, fmt.Sprintf("delay%d.in", n))
	in.eq = input
	inflow := c.p.byName[in.name]
	var out *cvar
	for i := 0; i < n; i++ {
		s := c.newHidden(owner, rHiddenStock, fmt.Sprintf("delay%d.%d", n, i+1))
		s.init = bin(init, syntax.MUL, stage)
		out = c.newHidden(owner, rHiddenFlow, fmt.Sprintf("delay%d.%d.out", n, i+1))
		out.eq = bin(ident(s.name, at), syntax.QUO, stage)
		s.inflows = []int{inflow}
		s.outflows = []int{c.p.byName[out.name]}
		inflow = c.p.byName[out.name]
	}
	return ident(out.name, at)
}

// trendAverage is the smoothed input behind trend and forcst, started so
// that the initial trend is initTrend (default 0).
func (c *compiler) trendAverage(owner *cvar, at int, input, T, initTrend syntax.Expr) syntax.Expr {
	var init syntax.Expr = input
	if initTrend != nil {
		init = bin(input, syntax.QUO, &syntax.Paren{Lparen: at, X: bin(num(1, at), syntax.ADD, bin(initTrend, syntax.MUL, T)), Rparen: at})
	}
	return c.smooth(owner, at, input, T, init, 1)
}

// recorded makes a hidden variable holding x, so that its value can be
// recorded at the start of each step.
func (c *compiler) recorded(owner *cvar, at int, x syntax.Expr, what string) *cvar {
	h := c.newHidden(owner, rHiddenFlow, what+".input")
	h.eq = x
	return h
}

// draw makes a random draw variable, refreshed at each step.
func (c *compiler) draw(owner *cvar, r role, seed syntax.Expr) string {
	h := c.newHidden(owner, r, "random")
	if seed != nil {
		s, ok := constValue(seed)
		if !ok {
			c.errorAt(owner, seed.Start(), "a random function's seed must be a number written in the equation")
		} else {
			h.seed = int64(s)
			if h.seed < 0 {
				h.seed = -h.seed
			}
		}
	}
	c.p.randoms = append(c.p.randoms, c.p.byName[h.name])
	return h.name
}

// exprs returns the expressions of v: its equation and its initial value.
func (v *cvar) exprs() []syntax.Expr {
	var xs []syntax.Expr
	if v.eq != nil {
		xs = append(xs, v.eq)
	}
	if v.initEq != nil {
		xs = append(xs, v.initEq)
	}
	if v.init != nil {
		xs = append(xs, v.init)
	}
	return xs
}

// check resolves every name and function in every expression.
func (c *compiler) check() {
	var names []string
	for _, v := range c.p.vars {
		if !strings.HasPrefix(v.name, "$") {
			names = append(names, v.name)
		}
	}
	fnames := builtinNames()
	for _, v := range c.p.vars {
		if v.role == rLookup {
			fnames = append(fnames, v.name)
		}
	}
	for _, v := range c.p.vars {
		for _, x := range v.exprs() {
			syntax.Walk(x, func(e syntax.Expr) bool { return c.walkCheck(v, e, names, fnames) })
		}
	}
}

func (c *compiler) walkCheck(v *cvar, e syntax.Expr, names, fnames []string) bool {
	switch e := e.(type) {
	case *syntax.Ident:
		c.checkIdent(v, e, names)
	case *syntax.Index:
		c.errorAt(v, e.Start(), "%s: a subscript of a variable that has no dimensions", syntax.Print(e))
		return false
	case *syntax.Call:
		c.checkCall(v, e, fnames)
		args := e.Args
		if strings.EqualFold(e.Fn.Name, "lookup") && len(args) > 0 {
			args = args[1:] // the table's name
		}
		for _, a := range args {
			syntax.Walk(a, func(e syntax.Expr) bool { return c.walkCheck(v, e, names, fnames) })
		}
		return false
	}
	return true
}

func (c *compiler) checkIdent(v *cvar, e *syntax.Ident, names []string) {
	if i, ok := c.p.byName[e.Name]; ok {
		if c.p.vars[i].role == rLookup {
			c.errorAt(v, e.At, "%q is a lookup; call it as %s(x)", e.Name, e.Name)
		}
		return
	}
	lower := strings.ToLower(e.Name)
	for _, r := range reserved {
		if lower == r {
			return
		}
	}
	if b, ok := builtins[lower]; ok {
		c.errorAt(v, e.At, "%q is a function; call it as %s", e.Name, b.sig)
		return
	}
	msg := fmt.Sprintf("unknown variable %q", e.Name)
	if s := syntax.Suggest(e.Name, append(names, reserved...)); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	c.errorAt(v, e.At, "%s", msg)
}

func (c *compiler) checkCall(v *cvar, e *syntax.Call, fnames []string) {
	name := e.Fn.Name
	if name == "$poisson" {
		return
	}
	if i, ok := c.p.byName[name]; ok {
		cv := c.p.vars[i]
		if cv.role != rLookup {
			c.errorAt(v, e.Fn.At, "%q is %s, not a lookup or function", name, article(cv.src.Kind.String()))
			return
		}
		if len(e.Args) != 1 {
			c.errorAt(v, e.Fn.At, "lookup %s takes 1 argument, got %d", name, len(e.Args))
		}
		return
	}
	b, ok := builtins[strings.ToLower(name)]
	if !ok {
		msg := fmt.Sprintf("unknown function %q", name)
		if s := syntax.Suggest(name, fnames); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		c.errorAt(v, e.Fn.At, "%s", msg)
		return
	}
	n := len(e.Args)
	if n < b.min || (b.max >= 0 && n > b.max) {
		want := fmt.Sprintf("%d", b.min)
		switch {
		case b.max < 0:
			want = fmt.Sprintf("at least %d", b.min)
		case b.max != b.min:
			want = fmt.Sprintf("%d to %d", b.min, b.max)
		}
		plural := "s"
		if want == "1" {
			plural = ""
		}
		c.errorAt(v, e.Fn.At, "%s takes %s argument%s, got %d: %s", strings.ToLower(name), want, plural, n, b.sig)
		return
	}
	if strings.ToLower(name) == "active_initial" {
		c.errorAt(v, e.Fn.At, "active_initial must be the whole equation of an aux or flow")
		return
	}
	if strings.ToLower(name) == "lookup" {
		id, ok := e.Args[0].(*syntax.Ident)
		if i, found := c.p.byName[identName(id)]; !ok || !found || c.p.vars[i].role != rLookup {
			c.errorAt(v, e.Args[0].Start(), "the first argument of lookup must be the name of a lookup")
		}
	}
}

func identName(id *syntax.Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}

// refs calls f for each variable x refers to as a value.
func (c *compiler) refs(x syntax.Expr, f func(i int)) {
	syntax.Walk(x, func(e syntax.Expr) bool {
		switch e := e.(type) {
		case *syntax.Ident:
			if i, ok := c.p.byName[e.Name]; ok {
				f(i)
			}
		case *syntax.Call:
			args := e.Args
			if strings.ToLower(e.Fn.Name) == "lookup" && len(args) > 0 {
				args = args[1:]
			}
			for _, a := range args {
				c.refs(a, f)
			}
			return false
		}
		return true
	})
}

// order returns the evaluation order of the aux and flows, and of every
// value at the start time.
func (c *compiler) order() (flowOrder, initOrder []int) {
	vars := c.p.vars
	// Flows and aux, with stocks, params and discrete state as inputs.
	var nodes []int
	edges := map[int][]int{}
	for i, v := range vars {
		if !v.role.isFlowLike() {
			continue
		}
		nodes = append(nodes, i)
		c.refs(v.eq, func(j int) {
			if vars[j].role.isFlowLike() {
				edges[i] = append(edges[i], j)
			}
		})
	}
	flowOrder, ok := c.sort(nodes, edges, "algebraic loop",
		"a cycle of aux and flows with no stock in it; break it with a stock, a smooth or a delay")
	if !ok {
		return nil, nil
	}
	// Everything at the start time: a stock's value then is its initial
	// value, a previous or delay's its initial argument.
	nodes, edges = nil, map[int][]int{}
	for i, v := range vars {
		if v.role == rParam || v.role == rLookup {
			continue
		}
		nodes = append(nodes, i)
		var x syntax.Expr
		switch v.role {
		case rFlow, rAux, rHiddenFlow:
			x = v.eq
			if v.initEq != nil {
				x = v.initEq
			}
		case rStock, rHiddenStock, rPrevious, rPipeline, rInitial:
			x = v.init
		}
		if v.role == rPipeline {
			edges[i] = append(edges[i], v.delayT)
		}
		c.refs(x, func(j int) {
			if r := vars[j].role; r != rParam && r != rLookup {
				edges[i] = append(edges[i], j)
			}
		})
	}
	initOrder, ok = c.sort(nodes, edges, "circular initial values",
		"each needs another first; give one of them a number as its initial value")
	if !ok {
		return nil, nil
	}
	return flowOrder, initOrder
}

// sort orders nodes so that each comes after the nodes it depends on
// (edges[i] lists what i depends on), ties broken by index, which is
// declaration order. Cycles are reported as errors, one per cycle.
func (c *compiler) sort(nodes []int, deps map[int][]int, what, hint string) ([]int, bool) {
	g := simple.NewDirectedGraph()
	for _, i := range nodes {
		g.AddNode(simple.Node(i))
	}
	var selfs []int
	for _, i := range nodes {
		for _, j := range deps[i] {
			if i == j {
				selfs = append(selfs, i)
				continue
			}
			g.SetEdge(g.NewEdge(simple.Node(j), simple.Node(i)))
		}
	}
	for _, i := range selfs {
		v := c.p.vars[i]
		c.errorAt(v, 0, "%s: %s depends on itself (%s)", what, c.display(i), hint)
	}
	byIndex := func(ns []graph.Node) {
		slices.SortFunc(ns, func(a, b graph.Node) int { return int(a.ID() - b.ID()) })
	}
	sorted, err := topo.SortStabilized(g, byIndex)
	if err != nil {
		cycles, _ := err.(topo.Unorderable)
		for _, comp := range cycles {
			ids := make([]int, len(comp))
			for k, n := range comp {
				ids[k] = int(n.ID())
			}
			slices.Sort(ids)
			path := c.cycleThrough(ids, deps)
			names := make([]string, len(path))
			for k, i := range path {
				names[k] = c.display(i)
			}
			names = append(names, names[0])
			v := c.p.vars[ids[0]]
			c.errorAt(v, 0, "%s: %s (%s)", what, strings.Join(names, " → "), hint)
		}
		return nil, false
	}
	if len(selfs) > 0 {
		return nil, false
	}
	out := make([]int, len(sorted))
	for k, n := range sorted {
		out[k] = int(n.ID())
	}
	return out, true
}

// family returns the name of the array a variable is an element of: its
// name without subscripts, and for a hidden variable without the counter
// that makes its name unique ("$x[a]·smth1·7" gives "$x·smth1").
func family(name string) string {
	if k := strings.LastIndex(name, "·"); k > 0 && strings.HasPrefix(name, "$") {
		if _, err := strconv.Atoi(name[k+len("·"):]); err == nil {
			name = name[:k]
		}
	}
	lo := strings.IndexByte(name, '[')
	hi := strings.IndexByte(name, ']')
	if lo < 0 || hi < lo {
		return name
	}
	return name[:lo] + name[hi+1:]
}

// intHeap is a min-heap of ints.
type intHeap []int

func (h *intHeap) push(x int) {
	*h = append(*h, x)
	s := *h
	for k := len(s) - 1; k > 0; {
		p := (k - 1) / 2
		if s[p] <= s[k] {
			break
		}
		s[p], s[k] = s[k], s[p]
		k = p
	}
}

func (h *intHeap) pop() int {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	for k := 0; ; {
		m := k
		if l := 2*k + 1; l < n && s[l] < s[m] {
			m = l
		}
		if r := 2*k + 2; r < n && s[r] < s[m] {
			m = r
		}
		if m == k {
			break
		}
		s[k], s[m] = s[m], s[k]
		k = m
	}
	*h = s
	return top
}

// cycleThrough returns a cycle within the strongly connected set comp,
// starting at its first node, in causal order.
func (c *compiler) cycleThrough(comp []int, deps map[int][]int) []int {
	in := map[int]bool{}
	for _, i := range comp {
		in[i] = true
	}
	start := comp[0]
	// Breadth-first over "is used by" edges, from start back to start.
	users := map[int][]int{}
	for _, i := range comp {
		for _, j := range deps[i] {
			if in[j] {
				users[j] = append(users[j], i)
			}
		}
	}
	prev := map[int]int{}
	queue := []int{start}
	seen := map[int]bool{start: true}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, j := range users[i] {
			if j == start {
				path := []int{i}
				for k := i; k != start; {
					k = prev[k]
					path = append(path, k)
				}
				slices.Reverse(path)
				return path
			}
			if !seen[j] {
				seen[j] = true
				prev[j] = i
				queue = append(queue, j)
			}
		}
	}
	return comp
}

// display names a variable for a user: hidden ones by their builtin and
// owner.
func (c *compiler) display(i int) string {
	v := c.p.vars[i]
	if strings.HasPrefix(v.name, "$") {
		b, _, _ := strings.Cut(v.builtin, ".")
		return fmt.Sprintf("%s (%s in %s)", v.src.Name, b, v.src.Name)
	}
	return v.name
}
