package compile

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stockflow/stockflow/model/internal/vm"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

type compiler struct {
	d       *decl.Model
	partial bool // d came with reader errors: report only what the compiler alone finds
	p       *vm.Program
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
	fixedVars map[int32]bool   // slots of params and of values fixed at the start
	funcRecs  map[string]int32 // the records of vector function calls, by function and argument slots (vecfuncs.go)
	varying   []bool
}

func Compile(d *decl.Model, partial bool) (*vm.Program, syntax.ErrorList) {
	return CompileTimed(d, partial, nil)
}

// Durations is how long Compile's two halves took: checking (declaring
// the variables, expanding builtins into hidden stocks, checking every
// equation) and generating (ordering the evaluation and writing the
// program).
type Durations struct {
	Check, Generate time.Duration
}

// CompileTimed is Compile, recording in t, when it is not nil, how long
// each half took.
func CompileTimed(d *decl.Model, partial bool, t *Durations) (*vm.Program, syntax.ErrorList) {
	t0 := time.Now()
	c := &compiler{d: d, partial: partial, p: &vm.Program{ByName: map[string]int{}}}
	c.declare()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	c.expandAll()
	c.check()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	t1 := time.Now()
	flowOrder, initOrder := c.order()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	c.generate(flowOrder, initOrder)
	if t != nil {
		t.Check, t.Generate = t1.Sub(t0), time.Since(t1)
	}
	return c.p, c.errs
}

// reserved names are builtins read as values; no variable may take them.
var reserved = []string{"time", "dt", "starttime", "stoptime", "pi", "inf"}

func (c *compiler) add(v *vm.Var) int {
	i := len(c.p.Vars)
	c.p.Vars = append(c.p.Vars, v)
	c.p.ByName[v.Name] = i
	return i
}

func (c *compiler) errorAt(v *vm.Var, off int, format string, args ...any) {
	pos := v.Src.Pos
	key := v.Key
	if v.Src.Eq.Expr != nil || v.Src.Eq.Text != "" {
		pos = v.Src.Eq.PosAt(off)
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

// EqKey returns the key that errors in v's equation name: "stocks.x.initial",
// "flows.x.eq", "aux.x.eq", or v's own key.
func EqKey(v *decl.Var) string {
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
		v := &vm.Var{Name: dv.Name, Src: dv, Key: EqKey(dv), NonNeg: dv.NonNegative}
		switch dv.Kind {
		case decl.Param:
			v.Role = vm.Param
		case decl.Stock:
			v.Role = vm.Stock
			v.Init = dv.Eq.Expr
		case decl.Flow:
			v.Role = vm.Flow
			v.Eq = dv.Eq.Expr
		case decl.Aux:
			v.Role = vm.Aux
			v.Eq = dv.Eq.Expr
		case decl.Lookup:
			v.Role = vm.Lookup
			xs := make([]float64, len(dv.Points))
			ys := make([]float64, len(dv.Points))
			for i, pt := range dv.Points {
				xs[i], ys[i] = pt[0], pt[1]
			}
			if len(xs) < 2 {
				c.structural(dv.Pos, dv.Key+".points", "a lookup needs at least 2 points")
				continue
			}
			v.Table = len(c.p.Tables)
			c.p.Tables = append(c.p.Tables, vm.Table{Xs: xs, Ys: ys, Extrapolate: dv.Extrapolate})
		case decl.Data:
			if !c.declareData(v, dv) {
				continue
			}
		default:
			c.errs.Addf(dv.Pos, dv.Key, "unknown kind of variable")
			continue
		}
		if _, dup := c.p.ByName[dv.Name]; dup {
			c.structural(dv.Pos, dv.Key, "%q is defined twice", dv.Name)
			continue
		}
		if (v.Role == vm.Flow || v.Role == vm.Aux || v.Role == vm.Stock) && dv.Kind != decl.Data && v.Src.Eq.Expr == nil && c.partial {
			// Its equation did not parse; a stand-in keeps the name known.
			zero := &syntax.Num{Text: "0"}
			v.Eq, v.Init = nil, nil
			if v.Role == vm.Stock {
				v.Init = zero
			} else {
				v.Eq = zero
			}
		}
		if (v.Role == vm.Flow || v.Role == vm.Aux || v.Role == vm.Stock) && dv.Kind != decl.Data && v.Src.Eq.Expr == nil && !c.partial {
			what := "eq"
			if v.Role == vm.Stock {
				what = "initial"
			}
			c.structural(dv.Pos, dv.Key, "missing %s", what)
			continue
		}
		c.add(v)
	}
	for _, v := range c.p.Vars {
		if v.Role != vm.Stock {
			continue
		}
		link := func(names []string, field string) []int {
			var out []int
			for _, n := range names {
				i, ok := c.p.ByName[n]
				if !ok || c.p.Vars[i].Role != vm.Flow {
					c.structural(v.Src.FieldPosOr(field), v.Src.Key+"."+field, "%q is not a flow", n)
					continue
				}
				out = append(out, i)
			}
			return out
		}
		v.Inflows = link(v.Src.Inflows, "inflows")
		v.Outflows = link(v.Src.Outflows, "outflows")
	}
}

// exprs returns the expressions of v: its equation and its initial value.
func exprs(v *vm.Var) []syntax.Expr {
	var xs []syntax.Expr
	if v.Eq != nil {
		xs = append(xs, v.Eq)
	}
	if v.InitEq != nil {
		xs = append(xs, v.InitEq)
	}
	if v.Init != nil {
		xs = append(xs, v.Init)
	}
	return xs
}

// check resolves every name and function in every expression.
func (c *compiler) check() {
	var names []string
	for _, v := range c.p.Vars {
		if !v.Hidden {
			names = append(names, v.Name)
		}
	}
	fnames := builtinNames()
	for _, v := range c.p.Vars {
		if v.Role == vm.Lookup {
			fnames = append(fnames, v.Name)
		}
	}
	for _, v := range c.p.Vars {
		for _, x := range exprs(v) {
			syntax.Walk(x, func(e syntax.Expr) bool { return c.walkCheck(v, e, names, fnames) })
		}
	}
}

func (c *compiler) walkCheck(v *vm.Var, e syntax.Expr, names, fnames []string) bool {
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

func (c *compiler) checkIdent(v *vm.Var, e *syntax.Ident, names []string) {
	if i, ok := c.p.ByName[e.Name]; ok {
		if c.p.Vars[i].Role == vm.Lookup {
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

func (c *compiler) checkCall(v *vm.Var, e *syntax.Call, fnames []string) {
	name := e.Fn.Name
	if i, ok := c.p.ByName[name]; ok {
		cv := c.p.Vars[i]
		if cv.Role != vm.Lookup {
			c.errorAt(v, e.Fn.At, "%q is %s, not a lookup or function", name, article(cv.Src.Kind.String()))
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
	if b.fn != 0 {
		m := n - 1 // after the position of the result
		if vm.Single(b.fn) {
			m = n
		}
		if _, _, _, ok := vm.FuncSizes(b.fn, m); !ok {
			c.errorAt(v, e.Fn.At, "%s cannot take %d arguments: %s", b.name, n, b.sig)
			return
		}
	}
	if b.tableArg {
		id, ok := e.Args[0].(*syntax.Ident)
		if i, found := c.p.ByName[identName(id)]; !ok || !found || c.p.Vars[i].Role != vm.Lookup {
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
func Refs(p *vm.Program, x syntax.Expr, f func(i int)) {
	syntax.Walk(x, func(e syntax.Expr) bool {
		switch e := e.(type) {
		case *syntax.Ident:
			if i, ok := p.ByName[e.Name]; ok {
				f(i)
			}
		case *syntax.Call:
			for _, a := range builtins[strings.ToLower(e.Fn.Name)].valueArgs(e.Args) {
				Refs(p, a, f)
			}
			return false
		}
		return true
	})
}

// order returns the evaluation order of the aux and flows, and of every
// value at the start time.
func (c *compiler) order() (flowOrder, initOrder []int) {
	vars := c.p.Vars
	// Flows and aux, with stocks, params and discrete state as inputs.
	var nodes []int
	edges := map[int][]int{}
	for i, v := range vars {
		if !v.Role.IsFlowLike() {
			continue
		}
		nodes = append(nodes, i)
		Refs(c.p, v.Eq, func(j int) {
			if vars[j].Role.IsFlowLike() {
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
		if v.Role == vm.Param || v.Role == vm.Lookup {
			continue
		}
		nodes = append(nodes, i)
		var x syntax.Expr
		switch v.Role {
		case vm.Flow, vm.Aux, vm.HiddenFlow:
			x = v.Eq
			if v.InitEq != nil {
				x = v.InitEq
			}
		case vm.Stock, vm.HiddenStock, vm.Previous, vm.Pipeline, vm.Initial:
			x = v.Init
		}
		if v.Role == vm.Pipeline && v.Pipe == vm.FixedPipe {
			edges[i] = append(edges[i], v.DelayT)
		}
		Refs(c.p, x, func(j int) {
			if r := vars[j].Role; r != vm.Param && r != vm.Lookup {
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
	g := newDepGraph(len(c.p.Vars), nodes)
	var selfs []int
	seen := make([]int, len(c.p.Vars)) // i+1 where j is already an edge j → i
	for _, i := range nodes {
		for _, j := range deps[i] {
			if i == j {
				selfs = append(selfs, i)
				continue
			}
			if seen[j] != i+1 {
				g.from[j] = append(g.from[j], simple.Node(i))
				seen[j] = i + 1
			}
		}
	}
	for _, i := range selfs {
		v := c.p.Vars[i]
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
			v := c.p.Vars[ids[0]]
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
	v := c.p.Vars[i]
	if v.Hidden {
		b, _, _ := strings.Cut(v.Builtin, ".")
		return fmt.Sprintf("%s (%s in %s)", v.Src.Name, b, v.Src.Name)
	}
	return v.Name
}

// depGraph is the graph of what depends on what that sort hands to
// topo.SortStabilized: edges from a variable to the variables that use
// it, held as a slice of successors per variable index. gonum's
// simple.DirectedGraph holds them in maps, which took longer to fill than
// the sort took to run.
type depGraph struct {
	nodes []graph.Node
	from  [][]graph.Node // by variable index
}

// newDepGraph returns a graph of the nodes, without edges, over n
// variables.
func newDepGraph(n int, nodes []int) *depGraph {
	g := &depGraph{nodes: make([]graph.Node, len(nodes)), from: make([][]graph.Node, n)}
	for k, i := range nodes {
		g.nodes[k] = simple.Node(i)
	}
	return g
}

// Node returns the node with the given id, or nil.
func (g *depGraph) Node(id int64) graph.Node {
	for _, n := range g.nodes {
		if n.ID() == id {
			return n
		}
	}
	return nil
}

// Nodes returns the graph's nodes.
func (g *depGraph) Nodes() graph.Nodes { return iterator.NewOrderedNodes(g.nodes) }

// From returns the nodes that use the node id.
func (g *depGraph) From(id int64) graph.Nodes {
	if id < 0 || id >= int64(len(g.from)) || len(g.from[id]) == 0 {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(g.from[id])
}

// To returns the nodes that the node id uses.
func (g *depGraph) To(id int64) graph.Nodes {
	var to []graph.Node
	for u, vs := range g.from {
		for _, v := range vs {
			if v.ID() == id {
				to = append(to, simple.Node(u))
			}
		}
	}
	if len(to) == 0 {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(to)
}

// HasEdgeFromTo reports whether the node v uses the node u.
func (g *depGraph) HasEdgeFromTo(uid, vid int64) bool { return g.Edge(uid, vid) != nil }

// HasEdgeBetween reports whether one of the nodes uses the other.
func (g *depGraph) HasEdgeBetween(xid, yid int64) bool {
	return g.HasEdgeFromTo(xid, yid) || g.HasEdgeFromTo(yid, xid)
}

// Edge returns the edge from u to v, or nil.
func (g *depGraph) Edge(uid, vid int64) graph.Edge {
	if uid < 0 || uid >= int64(len(g.from)) {
		return nil
	}
	for _, v := range g.from[uid] {
		if v.ID() == vid {
			return simple.Edge{F: simple.Node(uid), T: v}
		}
	}
	return nil
}
