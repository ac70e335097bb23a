package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model/internal/vm"

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
	name   string
	role   role
	hidden bool      // made by expanding a builtin; the name is "$owner·what·N"
	src    *decl.Var // the declared variable whose equation this came from
	key    string    // the key errors name, e.g. "flows.births.eq"
	slot   int32

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

	initCode []vm.Instr // computes every value at the start time, in dependency order
	flowCode []vm.Instr // computes aux and flows from time and state
	flowVars []int      // the variables flowCode computes, in its order
	flowRuns []vrun     // runs of flowVars whose code is the same, as loops (vector.go)
	fastCode []vm.Instr // flowCode with the runs as vector instructions
	vecs     []vm.VInstr

	// rateCode computes the stocks' rates into the slots from dyLo, one
	// block per stock (rateBlocks), the blocks of an array's elements
	// together; fastRates is it with the runs as vector instructions.
	// Neither is used when stocks are non-negative.
	rateCode   []vm.Instr
	rateBlocks [][2]int32
	rateRuns   []vrun
	fastRates  []vm.Instr
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
	guards   []guard // arguments that must not be negative (guards.go)

	tables []vm.Table
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
	guarded map[int]bool // the variables p.guards checks

	// during codegen
	constSlot map[uint64]int32
	tempNext  int32
	tempMax   int32
	code      *[]vm.Instr
	hoist     *[]vm.Instr // where run-constant expressions go, when not nil
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
			c.p.tables = append(c.p.tables, vm.Table{Xs: xs, Ys: ys, Extrapolate: dv.Extrapolate})
		case decl.Data:
			if !c.declareData(v, dv) {
				continue
			}
		default:
			c.errs.Addf(dv.Pos, dv.Key, "unknown kind of variable")
			continue
		}
		if _, dup := c.p.byName[dv.Name]; dup {
			c.structural(dv.Pos, dv.Key, "%q is defined twice", dv.Name)
			continue
		}
		if (v.role == rFlow || v.role == rAux || v.role == rStock) && dv.Kind != decl.Data && v.src.Eq.Expr == nil && c.partial {
			// Its equation did not parse; a stand-in keeps the name known.
			zero := &syntax.Num{Text: "0"}
			v.eq, v.init = nil, nil
			if v.role == rStock {
				v.init = zero
			} else {
				v.eq = zero
			}
		}
		if (v.role == rFlow || v.role == rAux || v.role == rStock) && dv.Kind != decl.Data && v.src.Eq.Expr == nil && !c.partial {
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
		if !v.hidden {
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
		for _, a := range builtins[strings.ToLower(e.Fn.Name)].valueArgs(e.Args) {
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
		plural := "s" // "1 argument", "at least 1 argument", "1 to 3 arguments"
		if b.max == 1 || b.max < 0 && b.min == 1 {
			plural = ""
		}
		c.errorAt(v, e.Fn.At, "%s takes %s argument%s, got %d: %s", strings.ToLower(name), want, plural, n, b.sig)
		return
	}
	if b.whole {
		c.errorAt(v, e.Fn.At, "%s must be the whole equation of an aux or flow", b.name)
		return
	}
	if b.tableArg {
		id, ok := e.Args[0].(*syntax.Ident)
		if i, found := c.p.byName[identName(id)]; !ok || !found || c.p.vars[i].role != rLookup {
			c.errorAt(v, e.Args[0].Start(), "the first argument of %s must be the name of a lookup", b.name)
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
func (p *program) refs(x syntax.Expr, f func(i int)) {
	syntax.Walk(x, func(e syntax.Expr) bool {
		switch e := e.(type) {
		case *syntax.Ident:
			if i, ok := p.byName[e.Name]; ok {
				f(i)
			}
		case *syntax.Call:
			for _, a := range builtins[strings.ToLower(e.Fn.Name)].valueArgs(e.Args) {
				p.refs(a, f)
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
		c.p.refs(v.eq, func(j int) {
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
		c.p.refs(x, func(j int) {
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
	if v.hidden {
		b, _, _ := strings.Cut(v.builtin, ".")
		return fmt.Sprintf("%s (%s in %s)", v.src.Name, b, v.src.Name)
	}
	return v.name
}
