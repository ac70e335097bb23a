package decl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/syntax"
)

// Arrays (subscripts) are expanded away before compilation: Expand turns
// every arrayed variable into one scalar variable per element, named
// x[e1] or x[e1,e2], and rewrites every subscripted reference into a plain
// name. The compiler in package model sees only scalars.

// ElementName returns the name of one element of an arrayed variable as
// the expanded model and its output columns spell it: name[e1] for one
// dimension, name[e1,e2] for two, with no spaces.
func ElementName(name string, elements []string) string {
	return name + "[" + strings.Join(elements, ",") + "]"
}

// Expand returns the scalar model equivalent to m, in which each arrayed
// variable x over dimensions [d1, d2] is replaced, where it was declared,
// by one scalar variable per element, x[e1,e2], last dimension varying
// fastest. The model m is not modified. A model that declares no
// dimensions and uses no subscripts or array functions is returned as it
// is.
//
// In an equation of an arrayed variable, a subscript that names one of the
// variable's own dimensions stands for the element being defined
// (port[region]); a subscript naming an element picks that element
// (port[kazakhstan]); a whole number n picks the n-th element; * stands
// for every element and is allowed only inside an array function. An
// arrayed variable written without subscripts means the element being
// defined when all its dimensions are the defined variable's, and every
// element inside an array function.
//
// The array functions take one argument and reduce every * (and every
// dimension name that is not one of the defined variable's) in it:
// sum, prod, mean, min, max, size (the number of elements) and stddev
// (the population standard deviation, dividing by n, as XMILE's STDDEV
// in Simlin). min and max with two or more arguments are the scalar
// functions.
//
// An arrayed stock's inflows and outflows must have all of the stock's
// dimensions: flow element f[E] fills or drains the stock element whose
// elements are E's on the stock's dimensions. So a flow over the same
// dimensions connects element by element, and a flow with more dimensions
// (or an arrayed flow into a scalar stock) adds all its matching elements
// into the stock element. A scalar flow into an arrayed stock is an error:
// a flow may fill only one stock.
//
// In the result, each element keeps the Key, Pos, FieldPos, Units and Doc
// of its declaration; its Eq keeps the Text, Pos and Map of the equation it
// came from (the shared one, or its own per-element one), while Eq.Expr is
// the rewritten tree, whose nodes keep the offsets of the text they came
// from, so that later errors point at what the user wrote. Thresholds and
// loops may name elements (port[kazakhstan]); plots and scenarios may
// also name a whole arrayed variable (port or port[*]: all its elements;
// a scenario then sets every element of an arrayed param) or a slice of
// one (cargo[georgia,*]); their names are rewritten to the canonical
// spelling. The result has no Dimensions.
//
// Errors come as a syntax.ErrorList, each with the file position and the
// key of the entry concerned.
func Expand(m *Model) (*Model, error) {
	if !usesArrays(m) {
		return m, nil
	}
	x := &expander{m: m, dims: map[string]*Dimension{}, vars: map[string]*Var{}, lookups: map[string]bool{}}
	for _, v := range m.Vars {
		if _, dup := x.vars[v.Name]; !dup {
			x.vars[v.Name] = v
		}
		if v.Kind == Lookup {
			x.lookups[v.Name] = true
		}
	}
	x.checkDims()
	x.checkVars()
	x.checkFlows()
	if len(x.errs) > 0 {
		x.errs.RemoveDuplicates()
		return nil, x.errs
	}
	out := *m
	out.Dimensions = nil
	out.Vars = nil
	for _, v := range m.Vars {
		out.Vars = append(out.Vars, x.expandVar(v)...)
	}
	out.Thresholds = x.thresholds()
	out.Loops = x.loops()
	out.Plots = x.plots()
	out.Scenarios = x.scenarios()
	if len(x.errs) > 0 {
		x.errs.RemoveDuplicates()
		return nil, x.errs
	}
	return &out, nil
}

// usesArrays reports whether m has anything for Expand to do.
func usesArrays(m *Model) bool {
	if len(m.Dimensions) > 0 {
		return true
	}
	lookups := map[string]bool{}
	for _, v := range m.Vars {
		if len(v.Dims) > 0 || len(v.ElementEqs) > 0 {
			return true
		}
		if v.Kind == Lookup {
			lookups[v.Name] = true
		}
	}
	found := false
	for _, v := range m.Vars {
		syntax.Walk(v.Eq.Expr, func(e syntax.Expr) bool {
			switch e := e.(type) {
			case *syntax.Index:
				found = true
			case *syntax.Call:
				if isReduction(e, lookups) {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	var refs []string
	for _, th := range m.Thresholds {
		refs = append(refs, th.Var)
	}
	for _, l := range m.Loops {
		refs = append(refs, l.Path...)
	}
	for _, p := range m.Plots {
		refs = append(refs, p.Vars...)
	}
	for _, s := range m.Scenarios {
		refs = append(refs, s.Params...)
	}
	for _, r := range refs {
		if strings.Contains(r, "[") {
			return true
		}
	}
	return false
}

// isReduction reports whether call is an array function: sum, prod, mean,
// size and stddev with any arguments, min and max with one, unless the
// name is a lookup's.
func isReduction(call *syntax.Call, lookups map[string]bool) bool {
	if lookups[call.Fn.Name] {
		return false
	}
	switch strings.ToLower(call.Fn.Name) {
	case "sum", "prod", "mean", "size", "stddev":
		return true
	case "min", "max":
		return len(call.Args) == 1
	}
	return false
}

// MaxElements bounds the scalar variables a model's arrayed variables
// expand to, and the variables and module instances an XMILE file's
// modules expand to, so that a small file cannot ask for an unbounded
// amount of memory.
const MaxElements = 100_000

// maxNodes bounds the expression nodes made by rewriting equations.
const maxNodes = 2_000_000

// expander holds the state of one Expand call.
type expander struct {
	m    *Model
	dims map[string]*Dimension
	vars map[string]*Var // by name, first definition
	errs syntax.ErrorList

	lookups map[string]bool // the names of lookups
	nodes   int             // expression nodes made so far
	tooBig  bool            // nodes went over maxNodes

	// elemEqs holds the per-element equations of each arrayed variable
	// that has them, by ElementName("", elements).
	elemEqs map[*Var]map[string]*ElementEq

	// relatedCache holds related's answers, by the pair of dimensions.
	relatedCache map[[2]string]bool
}

func (x *expander) dimNames() []string {
	names := make([]string, 0, len(x.m.Dimensions))
	for _, d := range x.m.Dimensions {
		names = append(names, d.Name)
	}
	return names
}

func (x *expander) varNames() []string {
	names := make([]string, 0, len(x.m.Vars))
	for _, v := range x.m.Vars {
		names = append(names, v.Name)
	}
	return names
}

// isName reports whether s is a name of the equation language: letters,
// digits and _, not starting with a digit.
func isName(s string) bool {
	if s == "" || isDigitByte(s[0]) {
		return false
	}
	return isElementName(s)
}

// isElementName reports whether s can be an element name: letters, digits
// and _, so that it can be written as a subscript.
func isElementName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigitByte(c)) {
			return false
		}
	}
	return true
}

// elementIndex returns the index of element name in d, or -1.
func elementIndex(d *Dimension, name string) int {
	for i, e := range d.Elements {
		if e == name {
			return i
		}
	}
	return -1
}

// dimKey returns the key errors about d name.
func dimKey(d *Dimension) string {
	if d.Key != "" {
		return d.Key
	}
	return "dimensions." + d.Name
}

// checkDims checks the dimensions: valid, unique names; at least one
// element; valid elements, each listed once.
func (x *expander) checkDims() {
	for _, d := range x.m.Dimensions {
		key := dimKey(d)
		switch {
		case !isName(d.Name):
			x.errs.Addf(d.Pos, key, "invalid dimension name %q: a name is letters, digits and _, and does not start with a digit", d.Name)
			continue
		case x.dims[d.Name] != nil:
			x.errs.Addf(d.Pos, key, "dimension %q is defined twice (first at %s)", d.Name, x.dims[d.Name].Pos)
			continue
		case len(d.Elements) == 0:
			x.errs.Addf(d.Pos, key, "dimension %q has no elements", d.Name)
		}
		x.dims[d.Name] = d
		seen := map[string]bool{}
		for _, e := range d.Elements {
			if msg := elementProblem(d, e, seen); msg != "" {
				x.errs.Add(d.Pos, key, msg)
			}
		}
	}
	for _, d := range x.m.Dimensions {
		for _, t := range d.MapsTo {
			switch td := x.dims[t]; {
			case td == nil:
				msg := fmt.Sprintf("dimension %s maps to %q, which is not a dimension", d.Name, t)
				if s := syntax.Suggest(t, x.dimNames()); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				x.errs.Add(d.Pos, dimKey(d), msg)
			case len(td.Elements) != len(d.Elements):
				x.errs.Addf(d.Pos, dimKey(d), "dimension %s (%d elements) maps to %s (%d elements): a mapping pairs elements by position, so both need as many", d.Name, len(d.Elements), t, len(td.Elements))
			}
		}
	}
}

// elementProblem describes what is wrong with element e of d, given the
// elements seen before it, or returns "".
func elementProblem(d *Dimension, e string, seen map[string]bool) string {
	switch {
	case !isElementName(e):
		return fmt.Sprintf("invalid element name %q in dimension %s: an element is letters, digits and _", e, d.Name)
	case seen[e]:
		return fmt.Sprintf("element %q is listed twice in dimension %s", e, d.Name)
	}
	seen[e] = true
	return ""
}

// elemField returns the format's key for the per-element equations of a
// variable of kind k.
func elemField(k Kind) string {
	switch k {
	case Param:
		return "values"
	case Stock:
		return "initials"
	}
	return "eqs"
}

// eqField returns the format's key for the equation of a variable of
// kind k, "" for a param's value.
func eqField(k Kind) string {
	switch k {
	case Stock:
		return "initial"
	case Flow, Aux:
		return "eq"
	}
	return ""
}

func joinKey(key, field string) string {
	if field == "" {
		return key
	}
	return key + "." + field
}

// varDims returns v's dimensions, which checkVars has found valid.
func (x *expander) varDims(v *Var) []*Dimension {
	ds := make([]*Dimension, len(v.Dims))
	for i, name := range v.Dims {
		ds[i] = x.dims[name]
	}
	return ds
}

// tuples returns every combination of elements of ds, last dimension
// varying fastest; one empty tuple for no dimensions.
func tuples(ds []*Dimension) [][]string {
	lists := make([][]string, len(ds))
	for i, d := range ds {
		lists[i] = d.Elements
	}
	return product(lists)
}

// product returns every tuple with an element of each list, the last
// list varying fastest; one empty tuple for no lists, none when a list is
// empty.
func product(lists [][]string) [][]string {
	n := 1
	for _, l := range lists {
		n *= len(l)
	}
	out := make([][]string, 0, n)
	flat := make([]string, n*len(lists)) // the tuples, one after another
	idx := make([]int, len(lists))
	for k := range n {
		t := flat[k*len(lists) : (k+1)*len(lists) : (k+1)*len(lists)]
		for i, l := range lists {
			t[i] = l[idx[i]]
		}
		out = append(out, t)
		for i := len(lists) - 1; i >= 0; i-- {
			if idx[i]++; idx[i] < len(lists[i]) {
				break
			}
			idx[i] = 0
		}
	}
	return out
}

// checkVars checks each arrayed variable's dimensions and per-element
// equations.
func (x *expander) checkVars() {
	x.elemEqs = map[*Var]map[string]*ElementEq{}
	elements := 0
	for _, v := range x.m.Vars {
		if len(v.Dims) == 0 && len(v.ElementEqs) == 0 {
			continue
		}
		dimsPos := v.FieldPosOr("dims")
		dimsKey := v.Key + ".dims"
		if v.Kind == Lookup {
			x.errs.Addf(dimsPos, dimsKey, "a lookup cannot be arrayed; make one lookup and call it with each element")
			continue
		}
		if len(v.Dims) == 0 {
			x.errs.Addf(v.FieldPosOr(elemField(v.Kind)), joinKey(v.Key, elemField(v.Kind)), "per-element %s need dims: the dimensions the elements belong to", elemField(v.Kind))
			continue
		}
		good := true
		seen := map[string]bool{}
		for _, name := range v.Dims {
			switch {
			case x.dims[name] == nil:
				msg := fmt.Sprintf("unknown dimension %q", name)
				if s := syntax.Suggest(name, x.dimNames()); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				} else if len(x.m.Dimensions) == 0 {
					msg += "; declare it under [dimensions]"
				}
				x.errs.Add(dimsPos, dimsKey, msg)
				good = false
			case seen[name]:
				x.errs.Addf(dimsPos, dimsKey, "dimension %q is listed twice", name)
				good = false
			}
			seen[name] = true
		}
		if !good {
			continue
		}
		n := 1
		for _, d := range x.varDims(v) {
			n *= max(1, len(d.Elements))
			if n > MaxElements {
				break
			}
		}
		if elements += n; elements > MaxElements {
			x.errs.Addf(dimsPos, dimsKey, "the arrayed variables have more than %d elements together; stockflow expands each to a scalar and cannot run a model this large", MaxElements)
			return
		}
		if len(v.ElementEqs) == 0 {
			continue
		}
		if v.Kind != Param && !v.Eq.IsZero() {
			x.errs.Addf(v.FieldPosOr(elemField(v.Kind)), joinKey(v.Key, elemField(v.Kind)),
				"give either %s (for all elements) or %s (one per element), not both", eqField(v.Kind), elemField(v.Kind))
			continue
		}
		x.checkElementEqs(v)
	}
}

// checkElementEqs checks that v's per-element equations name each element
// once, and records them.
func (x *expander) checkElementEqs(v *Var) {
	ds := x.varDims(v)
	byName := map[string]*ElementEq{}
	field := elemField(v.Kind)
	bad := false
	for i := range v.ElementEqs {
		el := &v.ElementEqs[i]
		key := joinKey(v.Key, field) + "." + strings.Join(el.Elements, ",")
		pos := el.Eq.Pos
		if !pos.IsValid() {
			pos = v.FieldPosOr(field)
		}
		if msg := elementsProblem(ds, el.Elements); msg != "" {
			x.errs.Add(pos, key, msg)
			bad = true
			continue
		}
		k := ElementName("", el.Elements)
		if byName[k] != nil {
			x.errs.Addf(pos, key, "element %s is given twice", strings.Join(el.Elements, ","))
			continue
		}
		if v.Kind == Param {
			if _, ok := constant(el.Eq.Expr); !ok {
				x.errs.Addf(pos, key, "the value of a param's element must be a number")
				bad = true
				continue
			}
		}
		byName[k] = el
	}
	var missing []string
	for _, t := range tuples(ds) {
		if byName[ElementName("", t)] == nil {
			missing = append(missing, strings.Join(t, ","))
		}
	}
	if len(missing) > 0 && !bad {
		x.errs.Add(v.FieldPosOr(field), joinKey(v.Key, field), missingMessage(field, missing))
	}
	x.elemEqs[v] = byName
}

// missingMessage says which elements a per-element table lacks.
func missingMessage(field string, missing []string) string {
	const most = 5
	list := missing
	more := ""
	if len(list) > most {
		list, more = list[:most], fmt.Sprintf(" and %d more", len(missing)-most)
	}
	s := "s"
	if len(missing) == 1 {
		s = ""
	}
	return fmt.Sprintf("%s has no entry for element%s %s%s: give one per element", field, s, strings.Join(list, ", "), more)
}

// elementsProblem describes what is wrong with a tuple of element names
// for dimensions ds, or returns "".
func elementsProblem(ds []*Dimension, elems []string) string {
	if len(elems) != len(ds) {
		names := make([]string, len(ds))
		for i, d := range ds {
			names[i] = d.Name
		}
		return fmt.Sprintf("%s names %d element%s, want one for each of the %d dimension%s %s (write %q)",
			strconv.Quote(strings.Join(elems, ",")), len(elems), plural(len(elems)), len(ds), plural(len(ds)),
			strings.Join(names, ", "), exampleElements(ds))
	}
	for i, d := range ds {
		if elementIndex(d, elems[i]) < 0 {
			return unknownElement(d, elems[i])
		}
	}
	return ""
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// exampleElements returns the first elements of ds joined by commas.
func exampleElements(ds []*Dimension) string {
	es := make([]string, len(ds))
	for i, d := range ds {
		if len(d.Elements) > 0 {
			es[i] = d.Elements[0]
		}
	}
	return strings.Join(es, ",")
}

// unknownElement says that name is not an element of d, with a
// suggestion.
func unknownElement(d *Dimension, name string) string {
	msg := fmt.Sprintf("unknown element %q of dimension %s", name, d.Name)
	if s := syntax.Suggest(name, d.Elements); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		msg += fmt.Sprintf(" (its elements: %s)", strings.Join(d.Elements, ", "))
	}
	return msg
}

// constant evaluates a number, possibly negated or in parentheses.
func constant(e syntax.Expr) (float64, bool) {
	switch e := e.(type) {
	case *syntax.Num:
		return e.Value, true
	case *syntax.Paren:
		return constant(e.X)
	case *syntax.Unary:
		v, ok := constant(e.X)
		switch e.Op {
		case syntax.SUB:
			return -v, ok
		case syntax.ADD:
			return v, ok
		}
	}
	return 0, false
}

// checkFlows checks that each stock's flows have all of its dimensions.
func (x *expander) checkFlows() {
	for _, s := range x.m.Vars {
		if s.Kind != Stock {
			continue
		}
		for _, dir := range []string{"inflows", "outflows"} {
			list := s.Inflows
			if dir == "outflows" {
				list = s.Outflows
			}
			for _, name := range list {
				f := x.vars[name]
				if f == nil || f.Kind != Flow {
					continue // the reader and the compiler report it
				}
				var lacking []string
				for _, d := range s.Dims {
					if !contains(f.Dims, d) {
						lacking = append(lacking, d)
					}
				}
				if len(lacking) == 0 {
					continue
				}
				var msg string
				if len(f.Dims) == 0 {
					msg = fmt.Sprintf("flow %q is not arrayed, but stock %q is (over %s); a flow fills or drains one stock only, so give the flow the stock's dimensions (dims = %s)",
						name, s.Name, strings.Join(s.Dims, ", "), quoteList(s.Dims))
				} else {
					msg = fmt.Sprintf("flow %q is arrayed over %s, which lacks the stock's dimension%s %s; an arrayed stock's flows must have all its dimensions",
						name, strings.Join(f.Dims, ", "), plural(len(lacking)), strings.Join(lacking, ", "))
				}
				x.errs.Add(s.FieldPosOr(dir), s.Key+"."+dir, msg)
			}
		}
	}
}

// quoteList formats names as a TOML array of strings.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// expandVar returns the scalar variables that v becomes.
func (x *expander) expandVar(v *Var) []*Var {
	if len(v.Dims) == 0 {
		nv := *v
		nv.ElementEqs = nil
		if nv.Kind != Param && nv.Kind != Lookup && nv.Kind != Data {
			nv.Eq = x.equation(v, &v.Eq, joinKey(v.Key, eqField(v.Kind)), nil)
		}
		if v.Kind == Stock {
			nv.Inflows = x.flowElements(v.Inflows, nil, nil)
			nv.Outflows = x.flowElements(v.Outflows, nil, nil)
		}
		return []*Var{&nv}
	}
	ds := x.varDims(v)
	var out []*Var
	for _, t := range tuples(ds) {
		nv := *v
		nv.Name = ElementName(v.Name, t)
		nv.Dims = nil
		nv.ElementEqs = nil
		bound := make(map[string]string, len(t))
		for i, d := range v.Dims {
			bound[d] = t[i]
		}
		eq, key := &v.Eq, joinKey(v.Key, eqField(v.Kind))
		if el := x.elemEqs[v][ElementName("", t)]; el != nil {
			eq, key = &el.Eq, joinKey(v.Key, elemField(v.Kind))+"."+strings.Join(t, ",")
		}
		if v.Kind == Param {
			if eq != &v.Eq {
				nv.Value, _ = constant(eq.Expr)
			}
			nv.Eq = Equation{}
		} else {
			nv.Eq = x.equation(v, eq, key, bound)
		}
		if v.Kind == Stock {
			nv.Inflows = x.flowElements(v.Inflows, v.Dims, bound)
			nv.Outflows = x.flowElements(v.Outflows, v.Dims, bound)
		}
		out = append(out, &nv)
	}
	return out
}

// flowElements returns the flow elements that connect to the stock
// element where the stock's dimensions sdims have the elements bound.
func (x *expander) flowElements(flows, sdims []string, bound map[string]string) []string {
	var out []string
	for _, name := range flows {
		f := x.vars[name]
		if f == nil || len(f.Dims) == 0 {
			out = append(out, name)
			continue
		}
		// The flow's elements that agree with the stock's on the
		// dimensions they share: those dimensions fixed at the stock's
		// element, the others all their elements. (Making every tuple and
		// filtering costs the product of the sizes for each stock element:
		// quadratic in the size of the model.)
		choices := make([][]string, len(f.Dims))
		for i, d := range x.varDims(f) {
			choices[i] = d.Elements
			if name := f.Dims[i]; contains(sdims, name) {
				choices[i] = nil
				if e := bound[name]; contains(d.Elements, e) {
					choices[i] = []string{e}
				}
			}
		}
		for _, t := range product(choices) {
			out = append(out, ElementName(name, t))
		}
	}
	return out
}

// scope is where an expression is being rewritten.
type scope struct {
	v     *Var
	key   string
	eq    *Equation
	bound map[string]string // dimension → element: the element being defined, and enclosing reductions'
	iter  map[string]string // dimension → element: the reduction being expanded; nil outside one
}

func (sc *scope) errorf(x *expander, off int, format string, args ...any) {
	pos := sc.eq.PosAt(off)
	if !pos.IsValid() {
		pos = sc.v.Pos
	}
	x.errs.Addf(pos, sc.key, format, args...)
}

// equation returns eq with its tree rewritten for the element bound.
func (x *expander) equation(v *Var, eq *Equation, key string, bound map[string]string) Equation {
	out := *eq
	if eq.Expr != nil {
		out.Expr = x.rewrite(eq.Expr, &scope{v: v, key: key, eq: eq, bound: bound})
	}
	return out
}

// rewrite returns a copy of e with every array reference made a scalar
// name and every array function expanded.
func (x *expander) rewrite(e syntax.Expr, sc *scope) syntax.Expr {
	if x.nodes++; x.nodes > maxNodes {
		if !x.tooBig {
			x.tooBig = true
			sc.errorf(x, e.Start(), "expanding the arrays makes the model too large (more than %d terms); nested or large array functions multiply their elements", maxNodes)
		}
		return &syntax.Num{At: e.Start(), Text: "0"}
	}
	switch e := e.(type) {
	case *syntax.Num:
		c := *e
		return &c
	case *syntax.Ident:
		return x.ident(e, sc)
	case *syntax.Index:
		return x.index(e, sc)
	case *syntax.Unary:
		return &syntax.Unary{At: e.At, Op: e.Op, X: x.rewrite(e.X, sc)}
	case *syntax.Binary:
		return &syntax.Binary{X: x.rewrite(e.X, sc), Op: e.Op, OpAt: e.OpAt, Y: x.rewrite(e.Y, sc)}
	case *syntax.Paren:
		return &syntax.Paren{Lparen: e.Lparen, X: x.rewrite(e.X, sc), Rparen: e.Rparen}
	case *syntax.If:
		return &syntax.If{At: e.At, Cond: x.rewrite(e.Cond, sc), Then: x.rewrite(e.Then, sc), Else: x.rewrite(e.Else, sc)}
	case *syntax.Call:
		if isReduction(e, x.lookups) {
			return x.reduce(e, sc)
		}
		args := make([]syntax.Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = x.rewrite(a, sc)
		}
		fn := *e.Fn
		return &syntax.Call{Fn: &fn, Args: args, Rparen: e.Rparen}
	}
	return e
}

// describeDims says what v is arrayed over.
func describeDims(v *Var) string {
	return strings.Join(v.Dims, " × ")
}

// ident rewrites a name: an arrayed variable written bare.
func (x *expander) ident(e *syntax.Ident, sc *scope) syntax.Expr {
	v := x.vars[e.Name]
	if v == nil || len(v.Dims) == 0 {
		c := *e
		return &c
	}
	elems := make([]string, len(v.Dims))
	for i, d := range v.Dims {
		el, ok := sc.iter[d]
		if !ok && sc.iter == nil {
			el, ok = x.elementOf(d, sc)
		}
		if !ok {
			sc.errorf(x, e.At, "%q is arrayed over %s; name its elements (%s[%s]) or reduce it (sum(%s[*]))",
				v.Name, describeDims(v), v.Name, exampleElements(x.varDims(v)), v.Name)
			c := *e
			return &c
		}
		elems[i] = el
	}
	return &syntax.Ident{At: e.At, Name: ElementName(v.Name, elems)}
}

// index rewrites an element reference x[a, b].
func (x *expander) index(e *syntax.Index, sc *scope) syntax.Expr {
	bad := &syntax.Ident{At: e.X.At, Name: e.X.Name}
	v := x.vars[e.X.Name]
	switch {
	case v == nil:
		msg := fmt.Sprintf("unknown variable %q", e.X.Name)
		if s := syntax.Suggest(e.X.Name, x.varNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		sc.errorf(x, e.X.At, "%s", msg)
		return bad
	case v.Kind == Lookup:
		sc.errorf(x, e.X.At, "%q is a lookup; call it as %s(x)", v.Name, v.Name)
		return bad
	case len(v.Dims) == 0:
		sc.errorf(x, e.X.At, "%q is not arrayed; write it without subscripts", v.Name)
		return bad
	case len(e.Subs) != len(v.Dims):
		sc.errorf(x, e.Subs[0].Start(), "%q has %d dimension%s (%s), got %d subscript%s",
			v.Name, len(v.Dims), plural(len(v.Dims)), strings.Join(v.Dims, ", "), len(e.Subs), plural(len(e.Subs)))
		return bad
	}
	elems := make([]string, len(v.Dims))
	for i, sub := range e.Subs {
		el, ok := x.subscript(sub, v, i, sc)
		if !ok {
			return bad
		}
		elems[i] = el
	}
	return &syntax.Ident{At: e.X.At, Name: ElementName(v.Name, elems)}
}

// subscript resolves the i-th subscript of a reference to v to an
// element.
func (x *expander) subscript(sub syntax.Expr, v *Var, i int, sc *scope) (string, bool) {
	dname := v.Dims[i]
	d := x.dims[dname]
	switch s := syntax.Unparen(sub).(type) {
	case *syntax.Ident:
		if s.Name == syntax.Wildcard {
			if el, ok := sc.iter[dname]; ok {
				return el, true
			}
			sc.errorf(x, s.At, "%s[*] stands for every element of %s; use it in an array function such as sum(%s[*])", v.Name, dname, v.Name)
			return "", false
		}
		if x.dims[s.Name] != nil {
			if s.Name != dname && !x.related(s.Name, dname) {
				sc.errorf(x, s.At, "subscript %d of %q must be an element of %s, got the dimension %s (neither a subrange of the other, nor mapped to it)", i+1, v.Name, dname, s.Name)
				return "", false
			}
			if el, ok := x.elementOf(s.Name, sc); ok {
				if e, ok := x.relate(s.Name, el, d); ok {
					return e, true
				}
				sc.errorf(x, s.At, "%s stands for %s here, which is not an element of %s, the dimension of %s's subscript %d (%s)", s.Name, el, dname, v.Name, i+1, strings.Join(d.Elements, ", "))
				return "", false
			}
			if s.Name != dname {
				sc.errorf(x, s.At, "%s is not a dimension of the variable being defined, nor related to one of its dimensions: name an element of %s, or reduce over it (sum(%s[%s]))", s.Name, dname, v.Name, s.Name)
				return "", false
			}
			what := fmt.Sprintf("%s is not arrayed", sc.v.Name)
			if len(sc.v.Dims) > 0 {
				what = fmt.Sprintf("%s is arrayed over %s", sc.v.Name, describeDims(sc.v))
			}
			sc.errorf(x, s.At, "%s is not a dimension of the variable being defined (%s): name an element (%s[%s]) or reduce over it (sum(%s[*]))",
				dname, what, v.Name, d.Elements[0], v.Name)
			return "", false
		}
		if elementIndex(d, s.Name) >= 0 {
			return s.Name, true
		}
		sc.errorf(x, s.At, "%s", unknownElement(d, s.Name))
		return "", false
	case *syntax.Num:
		if elementIndex(d, s.Text) >= 0 {
			return s.Text, true
		}
		n := s.Value
		if n >= 1 && n <= float64(len(d.Elements)) && n == float64(int(n)) {
			return d.Elements[int(n)-1], true
		}
		sc.errorf(x, s.At, "subscript %s is not an element of %s, nor a position from 1 to %d", s.Text, dname, len(d.Elements))
		return "", false
	}
	sc.errorf(x, sub.Start(), "subscript %d of %q must be a dimension, an element, a position or *, got %s", i+1, v.Name, syntax.Print(sub))
	return "", false
}

// related reports whether dimensions a and b stand for each other's
// elements: one is a subrange of the other (its elements are all among
// the other's), or one maps to the other (element by position).
func (x *expander) related(a, b string) bool {
	da, db := x.dims[a], x.dims[b]
	if da == nil || db == nil || a == b {
		return da != nil && a == b
	}
	k := [2]string{a, b}
	if r, ok := x.relatedCache[k]; ok {
		return r
	}
	r := mapped(da, db) || subset(da, db) || subset(db, da)
	if x.relatedCache == nil {
		x.relatedCache = map[[2]string]bool{}
	}
	x.relatedCache[k] = r
	return r
}

// mapped reports whether a maps to b or b to a, by position.
func mapped(a, b *Dimension) bool {
	return contains(a.MapsTo, b.Name) || contains(b.MapsTo, a.Name)
}

// subset reports whether every element of a is an element of b.
func subset(a, b *Dimension) bool {
	for _, e := range a.Elements {
		if elementIndex(b, e) < 0 {
			return false
		}
	}
	return len(a.Elements) > 0
}

// relate returns the element of d that element el of dimension from
// stands for: the element at el's position when one maps to the other,
// else el itself when d holds it.
func (x *expander) relate(from, el string, d *Dimension) (string, bool) {
	f := x.dims[from]
	if f != nil && from != d.Name && mapped(f, d) {
		i := elementIndex(f, el)
		if i >= 0 && i < len(d.Elements) {
			return d.Elements[i], true
		}
		return "", false
	}
	if elementIndex(d, el) >= 0 {
		return el, true
	}
	return "", false
}

// elementOf returns the element that dimension dname stands for where
// sc is: the element bound to it (being defined, or of an enclosing
// reduction), else the element of a bound dimension related to it (a
// subrange, a superrange or a mapped dimension), the defined variable's
// dimensions first.
func (x *expander) elementOf(dname string, sc *scope) (string, bool) {
	if el, ok := sc.bound[dname]; ok {
		return el, true
	}
	if el, ok := sc.iter[dname]; ok {
		return el, true
	}
	d := x.dims[dname]
	if d == nil {
		return "", false
	}
	try := func(b string, el string) (string, bool) {
		if !x.related(b, dname) {
			return "", false
		}
		return x.relate(b, el, d)
	}
	for _, b := range sc.v.Dims {
		if el, ok := sc.bound[b]; ok {
			if e, ok := try(b, el); ok {
				return e, true
			}
		}
	}
	for _, m := range []map[string]string{sc.iter, sc.bound} {
		keys := make([]string, 0, len(m))
		for b := range m {
			keys = append(keys, b)
		}
		sort.Strings(keys)
		for _, b := range keys {
			if e, ok := try(b, m[b]); ok {
				return e, true
			}
		}
	}
	return "", false
}

// reducedDims returns the dimensions an array function's argument ranges
// over, in the order they first appear: those of each * and of each
// dimension name not bound, and all those of each arrayed variable
// written bare. Nested array functions keep their own.
func (x *expander) reducedDims(arg syntax.Expr, bound map[string]string) []string {
	var dims []string
	add := func(d string) {
		if x.dims[d] != nil && !contains(dims, d) {
			dims = append(dims, d)
		}
	}
	var walk func(e syntax.Expr) bool
	walk = func(e syntax.Expr) bool {
		switch e := e.(type) {
		case *syntax.Index:
			v := x.vars[e.X.Name]
			if v == nil || len(v.Dims) != len(e.Subs) {
				return false
			}
			for i, sub := range e.Subs {
				id, ok := syntax.Unparen(sub).(*syntax.Ident)
				if !ok {
					continue
				}
				switch {
				case id.Name == syntax.Wildcard:
					add(v.Dims[i])
				case bound[id.Name] != "":
				case id.Name == v.Dims[i] || x.related(id.Name, v.Dims[i]):
					// The dimension itself, or a subrange or a mapped
					// dimension of it, ranging over its own elements.
					add(id.Name)
				}
			}
			return false
		case *syntax.Ident:
			if v := x.vars[e.Name]; v != nil {
				for _, d := range v.Dims {
					add(d)
				}
			}
		case *syntax.Call:
			if isReduction(e, x.lookups) {
				return false
			}
			for _, a := range e.Args {
				syntax.Walk(a, walk)
			}
			return false
		}
		return true
	}
	syntax.Walk(arg, walk)
	return dims
}

// reduce expands an array function.
func (x *expander) reduce(call *syntax.Call, sc *scope) syntax.Expr {
	name := strings.ToLower(call.Fn.Name)
	at := call.Fn.At
	if len(call.Args) != 1 {
		sc.errorf(x, at, "%s takes one argument, an array such as %s(x[*]); got %d", name, name, len(call.Args))
		return &syntax.Num{At: at, Text: "0"}
	}
	// SIZE of a dimension's name is the number of its elements.
	if id, ok := call.Args[0].(*syntax.Ident); ok && name == "size" && x.vars[id.Name] == nil {
		if d := x.dims[id.Name]; d != nil {
			return &syntax.Num{At: at, Text: strconv.Itoa(len(d.Elements)), Value: float64(len(d.Elements))}
		}
	}
	// Within the argument, the elements of enclosing reductions are bound
	// like the element being defined.
	bound := make(map[string]string, len(sc.bound)+len(sc.iter))
	for d, e := range sc.bound {
		bound[d] = e
	}
	for d, e := range sc.iter {
		bound[d] = e
	}
	dims := x.reducedDims(call.Args[0], bound)
	ds := make([]*Dimension, len(dims))
	size := 1
	for i, d := range dims {
		ds[i] = x.dims[d]
		size *= max(1, len(ds[i].Elements))
		if size > MaxElements {
			sc.errorf(x, at, "%s ranges over more than %d elements", name, MaxElements)
			return &syntax.Num{At: at, Text: "0"}
		}
	}
	if c := x.cost(call, sc.bound, sc.iter); x.nodes+c > maxNodes {
		x.tooBig = true
		sc.errorf(x, at, "expanding the arrays makes the model too large (more than %d terms); nested or large array functions multiply their elements", maxNodes)
		return &syntax.Num{At: at, Text: "0"}
	}
	if name == "stddev" {
		x.nodes += size * size // the mean is written out for each term
	}
	var terms []syntax.Expr
	iter := make(map[string]string, len(dims)) // reused: rewrite keeps no scope
	inner := &scope{v: sc.v, key: sc.key, eq: sc.eq, bound: bound, iter: iter}
	for _, t := range tuples(ds) {
		for i, d := range dims {
			iter[d] = t[i]
		}
		terms = append(terms, x.rewrite(call.Args[0], inner))
		if x.tooBig {
			break
		}
	}
	n := len(terms)
	num := func(f float64) *syntax.Num {
		return &syntax.Num{At: at, Text: strconv.FormatFloat(f, 'g', -1, 64), Value: f}
	}
	paren := func(e syntax.Expr) syntax.Expr {
		return &syntax.Paren{Lparen: at, X: e, Rparen: call.Rparen}
	}
	chain := func(op syntax.Token, terms []syntax.Expr) syntax.Expr {
		r := terms[0]
		for _, t := range terms[1:] {
			r = &syntax.Binary{X: r, Op: op, OpAt: at, Y: t}
		}
		return r
	}
	switch name {
	case "size":
		return num(float64(n))
	case "sum":
		return paren(chain(syntax.ADD, terms))
	case "prod":
		return paren(chain(syntax.MUL, terms))
	case "mean":
		return paren(&syntax.Binary{X: paren(chain(syntax.ADD, terms)), Op: syntax.QUO, OpAt: at, Y: num(float64(n))})
	case "min", "max":
		return &syntax.Call{Fn: &syntax.Ident{At: at, Name: call.Fn.Name}, Args: terms, Rparen: call.Rparen}
	}
	// stddev: sqrt(((t1 - mean)^2 + ... + (tn - mean)^2) / n)
	sq := make([]syntax.Expr, n)
	for i, t := range terms {
		mean := &syntax.Binary{X: paren(chain(syntax.ADD, clones(terms))), Op: syntax.QUO, OpAt: at, Y: num(float64(n))}
		dev := paren(&syntax.Binary{X: t, Op: syntax.SUB, OpAt: at, Y: paren(mean)})
		sq[i] = &syntax.Binary{X: dev, Op: syntax.POW, OpAt: at, Y: num(2)}
	}
	variance := &syntax.Binary{X: paren(chain(syntax.ADD, sq)), Op: syntax.QUO, OpAt: at, Y: num(float64(n))}
	return &syntax.Call{Fn: &syntax.Ident{At: at, Name: "sqrt"}, Args: []syntax.Expr{variance}, Rparen: call.Rparen}
}

// cost estimates the number of nodes rewriting e makes, without making
// them, saturating above maxNodes.
func (x *expander) cost(e syntax.Expr, bound, iter map[string]string) int {
	n := 0
	syntax.Walk(e, func(e syntax.Expr) bool {
		if n > maxNodes {
			return false
		}
		call, ok := e.(*syntax.Call)
		if !ok || !isReduction(call, x.lookups) || len(call.Args) != 1 {
			n++
			return true
		}
		inner := make(map[string]string, len(bound)+len(iter))
		for d, el := range bound {
			inner[d] = el
		}
		for d, el := range iter {
			inner[d] = el
		}
		size := 1
		for _, d := range x.reducedDims(call.Args[0], inner) {
			size *= max(1, len(x.dims[d].Elements))
			inner[d] = "·"
			if size > maxNodes {
				break
			}
		}
		c := x.cost(call.Args[0], inner, nil)
		if size > maxNodes || c > maxNodes/size {
			n = maxNodes + 1
			return false
		}
		n += size*c + 1
		if strings.EqualFold(call.Fn.Name, "stddev") {
			n += min(size*size, maxNodes+1)
		}
		return false
	})
	return n
}

// clones returns deep copies of es.
func clones(es []syntax.Expr) []syntax.Expr {
	out := make([]syntax.Expr, len(es))
	for i, e := range es {
		out[i] = clone(e)
	}
	return out
}

// clone returns a deep copy of e.
func clone(e syntax.Expr) syntax.Expr {
	switch e := e.(type) {
	case *syntax.Num:
		c := *e
		return &c
	case *syntax.Ident:
		c := *e
		return &c
	case *syntax.Unary:
		return &syntax.Unary{At: e.At, Op: e.Op, X: clone(e.X)}
	case *syntax.Binary:
		return &syntax.Binary{X: clone(e.X), Op: e.Op, OpAt: e.OpAt, Y: clone(e.Y)}
	case *syntax.Paren:
		return &syntax.Paren{Lparen: e.Lparen, X: clone(e.X), Rparen: e.Rparen}
	case *syntax.If:
		return &syntax.If{At: e.At, Cond: clone(e.Cond), Then: clone(e.Then), Else: clone(e.Else)}
	case *syntax.Call:
		fn := *e.Fn
		return &syntax.Call{Fn: &fn, Args: clones(e.Args), Rparen: e.Rparen}
	case *syntax.Index:
		id := *e.X
		return &syntax.Index{X: &id, Subs: clones(e.Subs), Rbrack: e.Rbrack}
	}
	return e
}

// refProblem resolves a variable named by a threshold, a loop or a plot:
// a name, or an element name[e1,e2] (spaces allowed). It returns the
// canonical names, or a description of what is wrong ("unknown" when there
// is no such variable). With all set, an arrayed variable written bare or
// as name[*] means all its elements, and a * among several subscripts
// every element of that dimension (name[georgia,*]).
func refProblem(name string, vars func(string) *Var, dims map[string]*Dimension, all bool) ([]string, string) {
	base, rest, subscripted := strings.Cut(name, "[")
	base = strings.TrimSpace(base)
	v := vars(base)
	if v == nil {
		return nil, "unknown"
	}
	if !subscripted {
		if len(v.Dims) == 0 {
			return []string{base}, ""
		}
		if all {
			return allElements(v, dims), ""
		}
		return nil, fmt.Sprintf("%q is arrayed over %s; name one element, such as %s[%s]",
			base, describeDims(v), base, exampleElements(dimsOf(v, dims)))
	}
	inner, ok := strings.CutSuffix(strings.TrimSpace(rest), "]")
	if !ok || strings.ContainsAny(inner, "[]") {
		return nil, fmt.Sprintf("malformed element name %q: write name[element] or name[e1,e2]", name)
	}
	if len(v.Dims) == 0 {
		return nil, fmt.Sprintf("%q is not arrayed; write it without subscripts", base)
	}
	elems := strings.Split(inner, ",")
	for i := range elems {
		elems[i] = strings.TrimSpace(elems[i])
	}
	if all && len(elems) == 1 && elems[0] == syntax.Wildcard {
		return allElements(v, dims), ""
	}
	ds := dimsOf(v, dims)
	if !all || !contains(elems, syntax.Wildcard) {
		if msg := elementsProblem(ds, elems); msg != "" {
			return nil, msg
		}
		return []string{ElementName(base, elems)}, ""
	}
	// Some subscripts are *: check the others, then list the elements.
	check := append([]string(nil), elems...)
	for i := range check {
		if check[i] == syntax.Wildcard && i < len(ds) && len(ds[i].Elements) > 0 {
			check[i] = ds[i].Elements[0]
		}
	}
	if msg := elementsProblem(ds, check); msg != "" {
		return nil, msg
	}
	var out []string
next:
	for _, t := range tuples(ds) {
		for i, e := range elems {
			if e != syntax.Wildcard && t[i] != e {
				continue next
			}
		}
		out = append(out, ElementName(base, t))
	}
	return out, ""
}

// dimsOf returns v's dimensions, an empty one for any unknown.
func dimsOf(v *Var, dims map[string]*Dimension) []*Dimension {
	ds := make([]*Dimension, len(v.Dims))
	for i, name := range v.Dims {
		if ds[i] = dims[name]; ds[i] == nil {
			ds[i] = &Dimension{Name: name}
		}
	}
	return ds
}

// allElements returns the names of every element of v.
func allElements(v *Var, dims map[string]*Dimension) []string {
	var out []string
	for _, t := range tuples(dimsOf(v, dims)) {
		out = append(out, ElementName(v.Name, t))
	}
	return out
}

// ref resolves a name given at pos under key, reporting any problem.
func (x *expander) ref(name string, pos syntax.Pos, key string, all bool) []string {
	names, msg := refProblem(name, func(n string) *Var { return x.vars[n] }, x.dims, all)
	switch msg {
	case "":
		return names
	case "unknown":
		// The readers report unknown names; keep it for the consumer.
		return []string{name}
	}
	x.errs.Add(pos, key, msg)
	return []string{name}
}

func (x *expander) thresholds() []*Threshold {
	var out []*Threshold
	for _, th := range x.m.Thresholds {
		c := *th
		c.Var = x.ref(th.Var, fieldPos(th.FieldPos, "var", th.Pos), th.Key+".var", false)[0]
		out = append(out, &c)
	}
	return out
}

func (x *expander) loops() []*Loop {
	var out []*Loop
	for _, l := range x.m.Loops {
		c := *l
		c.Path = nil
		for _, name := range l.Path {
			c.Path = append(c.Path, x.ref(name, fieldPos(l.FieldPos, "path", l.Pos), l.Key+".path", false)[0])
		}
		out = append(out, &c)
	}
	return out
}

func (x *expander) plots() []*Plot {
	var out []*Plot
	for _, p := range x.m.Plots {
		c := *p
		c.Vars = nil
		for _, name := range p.Vars {
			c.Vars = append(c.Vars, x.ref(name, fieldPos(p.FieldPos, "vars", p.Pos), p.Key+".vars", true)...)
		}
		out = append(out, &c)
	}
	return out
}

func (x *expander) scenarios() []*Scenario {
	var out []*Scenario
	for _, s := range x.m.Scenarios {
		c := *s
		c.Set = make(map[string]float64, len(s.Set))
		c.Params = nil
		c.FieldPos = make(map[string]syntax.Pos, len(s.FieldPos))
		for k, p := range s.FieldPos {
			c.FieldPos[k] = p
		}
		for _, name := range s.Params {
			pos := fieldPos(s.FieldPos, "set."+name, s.Pos)
			for _, n := range x.ref(name, pos, s.Key+".set."+name, true) {
				if _, dup := c.Set[n]; !dup {
					c.Params = append(c.Params, n)
				}
				c.Set[n] = s.Set[name]
				c.FieldPos["set."+n] = pos
			}
		}
		out = append(out, &c)
	}
	return out
}

func fieldPos(m map[string]syntax.Pos, field string, def syntax.Pos) syntax.Pos {
	if p, ok := m[field]; ok {
		return p
	}
	return def
}
