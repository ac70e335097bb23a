package vensim

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// naValue is the number Vensim uses for :NA:.
const naValue = "-1.298074214633707e+33"

// ctx translates the right-hand side of one definition, for one element
// of an arrayed variable, into stockflow equation text.
type ctx struct {
	r     *reader
	d     *def
	v     *vvar
	self  string            // the name of what is defined, element included
	bind  map[string]string // range key → element; "key!" inside reductions
	elems []string

	text  []byte
	offs  []int // entry offset of each byte of text
	extra []*decl.Var
	rate  decl.Equation
	bad   bool
	nRand int // the RANDOM calls written so far (see seed)

	// sampled, inside the condition and input of a SAMPLE IF TRUE, is
	// its initial value: a reference there to what is being defined
	// reads the value held from the step before (see ref).
	sampled *node
}

// write appends s, made at offset off of the entry's equation.
func (c *ctx) write(s string, off int) {
	c.text = append(c.text, s...)
	c.offs = slices.Grow(c.offs, len(s))
	for range len(s) {
		c.offs = append(c.offs, off)
	}
}

func (c *ctx) fail(off int, format string, args ...any) {
	c.bad = true
	c.r.errorAt(c.d, off, format, args...)
}

// finish turns the text written so far into an equation and resets.
func (c *ctx) finish() decl.Equation {
	text := string(c.text)
	eq := decl.Equation{Text: text}
	if len(c.offs) > 0 {
		eq.Pos = c.r.at(c.d.e, c.offs[0])
		eq.Map = make([]syntax.Pos, len(c.offs)+1)
		c.r.positions(c.d.e, c.offs, eq.Map)
		eq.Map[len(c.offs)] = eq.Map[len(c.offs)-1]
	} else {
		eq.Pos = c.r.at(c.d.e, c.d.pos)
	}
	if !c.bad {
		x, err := syntax.Parse(text)
		if err != nil {
			c.fail(c.d.pos, "cannot translate the equation (%v): %s", err, text)
		} else {
			eq.Expr = x
		}
	}
	c.text, c.offs, c.bad = c.text[:0], c.offs[:0], false
	return eq
}

// equation translates an expression.
func (c *ctx) equation(n *node) decl.Equation {
	c.emit(n, 0, false)
	return c.finish()
}

// integ translates INTEG(rate, initial): it returns the initial value and
// leaves the rate in c.rate (and in net's equation, for a scalar stock).
func (c *ctx) integ(n *node, net *decl.Var) decl.Equation {
	if n != nil && n.key == "sinteg" {
		return c.sinteg(n, net)
	}
	if n == nil || len(n.args) != 2 {
		if n == nil {
			c.fail(c.d.pos, "a stock needs INTEG(rate, initial value)")
			return c.finish()
		}
		c.fail(n.pos, "INTEG takes 2 arguments (rate, initial value), got %d", len(n.args))
		return c.finish()
	}
	c.emit(n.args[0], 0, false)
	c.rate = c.finish()
	if net != nil {
		net.Eq = c.rate
	}
	c.emit(n.args[1], 0, false)
	return c.finish()
}

// sinteg translates SINTEG(rate, initial, min, max, quant, spec,
// thresh), Vensim's integral held to a set of values: a stock whose each
// new value, and its initial one, is passed through limit (see there).
// Its rate is written so that one Euler step lands on the limited value:
// (limit(stock + TIME STEP · rate) − stock) / TIME STEP. The last five
// arguments must be numbers or :NA: (no restriction), as Vensim's help
// requires.
func (c *ctx) sinteg(n *node, net *decl.Var) decl.Equation {
	if len(n.args) != 7 {
		c.fail(n.pos, "SINTEG takes 7 arguments (rate, initial value, min, max, quant, spec, thresh), got %d", len(n.args))
		return c.finish()
	}
	// The rate lands one Euler step on the limited value; the stages of
	// a Runge-Kutta step would average such rates into values between
	// the allowed ones (SINTEG(0.6, 0, 0, 10, 1, :NA:, :NA:) at 0.632
	// after a step of RK4 Auto).
	if m := c.r.m.Sim.Method; m != "" && m != "euler" {
		c.fail(n.pos, "SINTEG holds its value to its restrictions with Euler integration only, and the model's integration type is %s (the settings line 15:); choose Euler or Difference in Vensim's Model Settings", strings.TrimPrefix(c.r.m.Sim.MethodFrom, "Vensim "))
		return c.finish()
	}
	var lim [5]*node
	for i, a := range n.args[2:] {
		if a.kind == nNA {
			continue
		}
		if !isConstant(a) {
			c.fail(a.pos, "SINTEG: its %s (argument %d) must be a number or :NA:", []string{"min", "max", "quant", "spec", "thresh"}[i], i+3)
			return c.finish()
		}
		if q, _ := c.initValue(a, 0); i == 2 && q <= 0 {
			c.fail(a.pos, "SINTEG: its quant (argument 5) must be positive or :NA:, got %g", q)
			return c.finish()
		}
		lim[i] = a
	}
	p := n.pos
	rate := c.held(n.args[0], "rate")
	c.write("(", p)
	c.limit(p, lim, func() { c.tmpl(p, c.self+" + dt * ", rate) })
	c.write(" - "+c.self+") / dt", p)
	c.rate = c.finish()
	if net != nil {
		net.Eq = c.rate
	}
	init := c.held(n.args[1], "initial")
	c.limit(p, lim, func() { c.emit(init, 0, false) })
	return c.finish()
}

// limit writes SINTEG's restrictions of the value v writes, those of lim
// (min, max, quant, spec, thresh) that are not nil: rounded to the
// nearest multiple of quant (halves up), then spec when it lies less than
// thresh from spec, then kept within [min, max].
func (c *ctx) limit(p int, lim [5]*node, v func()) {
	minA, maxA, quant, spec, thresh := lim[0], lim[1], lim[2], lim[3], lim[4]
	val := v
	if quant != nil {
		val = func() { c.tmpl(p, quant, " * int((", v, ") / ", quant, " + 0.5)") }
	}
	x := val
	if spec != nil && thresh != nil {
		x = func() { c.tmpl(p, "if_then_else(abs((", val, ") - ", spec, ") < ", thresh, ", ", spec, ", ", val, ")") }
	}
	switch {
	case minA != nil && maxA != nil:
		c.tmpl(p, "max(", minA, ", min(", maxA, ", ", x, "))")
	case minA != nil:
		c.tmpl(p, "max(", minA, ", ", x, ")")
	case maxA != nil:
		c.tmpl(p, "min(", maxA, ", ", x, ")")
	default:
		c.write("(", p)
		x()
		c.write(")", p)
	}
}

// precedence of stockflow's operators, for parentheses.
func opPrec(op string) int {
	switch op {
	case "or":
		return 1
	case "and":
		return 2
	case "=", "<>":
		return 3
	case "<", ">", "<=", ">=":
		return 4
	case "+", "-":
		return 5
	case "*", "/":
		return 6
	case "^":
		return 8
	}
	return 9
}

// emit writes n; parent is the precedence of the operator it is an
// operand of (0 at the top or in an argument), right whether it is the
// right operand.
func (c *ctx) emit(n *node, parent int, right bool) {
	if n == nil {
		c.fail(c.d.pos, "%s needs an equation here (a list of values needs a subscripted variable)", c.d.name)
		c.write("0", c.d.pos)
		return
	}
	switch n.kind {
	case nNum:
		c.write(n.text, n.pos)
	case nNA:
		c.write("("+naValue+")", n.pos)
	case nParen:
		c.write("(", n.pos)
		c.emit(n.x, 0, false)
		c.write(")", n.pos)
	case nUnary:
		wrap := parent > 7 || parent == 7 && right
		if wrap {
			c.write("(", n.pos)
		}
		if n.text == "not" {
			c.write("not ", n.pos)
		} else {
			c.write(n.text, n.pos)
		}
		c.emit(n.x, 7, true)
		if wrap {
			c.write(")", n.pos)
		}
	case nBinary:
		p := opPrec(n.text)
		wrap := p < parent || p == parent && right
		if wrap {
			c.write("(", n.pos)
		}
		if n.text == "^" {
			c.emit(n.x, 9, false)
			c.write("^", n.pos)
			c.emit(n.y, 9, true)
		} else {
			c.emit(n.x, p, false)
			op := " " + n.text + " "
			c.write(op, n.pos)
			c.emit(n.y, p, true)
		}
		if wrap {
			c.write(")", n.pos)
		}
	case nRef:
		c.ref(n)
	case nCall:
		c.call(n)
	case nTabbed:
		c.fail(n.pos, "TABBED ARRAY can only be the whole equation of a subscripted constant")
		c.write("0", n.pos)
	case nTable:
		c.fail(n.pos, "a lookup table can only appear in WITH LOOKUP or a lookup definition")
		c.write("0", n.pos)
	case nStr:
		c.fail(n.pos, "a string ('%s') is only an argument of the GET functions", n.text)
		c.write("0", n.pos)
	case nHeld:
		c.write(n.text, n.pos)
	}
}

// held returns x, or, when x draws random numbers, a reference to a
// hidden aux that holds its value (<variable>_<what>, per element). The
// functions written out at load as a chain of if_then_else read an
// argument several times, and each copy of a RANDOM call would be a draw
// of its own: LOOKUP INVERT(cdf, RANDOM UNIFORM(0, 1, 0)) compared one
// draw with a segment's bounds and inverted another, giving values
// outside the table and :NA:, where Vensim evaluates the argument once.
func (c *ctx) held(x *node, what string) *node {
	if !drawsRandom(x) {
		return x
	}
	name := c.v.name + "_" + what
	if len(c.elems) > 0 {
		name = lookupElementName(name, c.elems)
	}
	name = c.r.unique(name)
	u := &ctx{r: c.r, d: c.d, v: c.v, self: name, bind: c.bind, elems: c.elems}
	u.emit(x, 0, false)
	bad := u.bad
	eq := u.finish()
	if bad {
		c.bad = true
	}
	c.extra = append(c.extra, u.extra...)
	c.extra = append(c.extra, &decl.Var{Kind: decl.Aux, Name: name, Key: "aux." + name, Pos: c.r.at(c.d.e, x.pos), Eq: eq,
		Doc: "an argument of " + c.self + "'s equation that draws random numbers, evaluated once"})
	return &node{kind: nHeld, pos: x.pos, text: name}
}

// drawsRandom reports whether n calls a RANDOM function.
func drawsRandom(n *node) bool {
	if n == nil {
		return false
	}
	if n.kind == nCall && strings.HasPrefix(n.key, "random") {
		return true
	}
	if drawsRandom(n.x) || drawsRandom(n.y) {
		return true
	}
	for _, a := range n.args {
		if drawsRandom(a) {
			return true
		}
	}
	return false
}

// ref writes a reference to a variable, a control variable or time.
func (c *ctx) ref(n *node) {
	key := n.key
	if len(n.subs) == 0 && c.r.vars[key] == nil {
		// Inside macros Vensim writes the control variables with a $:
		// Time$, TIME STEP$.
		key = strings.TrimSuffix(strings.TrimSpace(key), "$")
		key = strings.TrimSpace(key)
	}
	switch key {
	case "time":
		c.write("time", n.pos)
		return
	case "time step":
		c.write("dt", n.pos)
		return
	case "initial time":
		c.write("starttime", n.pos)
		return
	case "final time":
		c.write("stoptime", n.pos)
		return
	case "saveper":
		if v, ok := c.r.ctl["saveper"]; ok {
			c.write(strconv.FormatFloat(v, 'g', -1, 64), n.pos)
		} else {
			c.write("dt", n.pos)
		}
		return
	}
	v := c.r.vars[n.key]
	if v == nil {
		if k, ok := c.position1(n); ok {
			c.write(strconv.Itoa(k), n.pos)
			return
		}
		if c.r.failed[n.key] {
			c.bad = true // its equation's error says why
		} else {
			c.fail(n.pos, "unknown variable %q", n.text)
		}
		c.write("0", n.pos)
		return
	}
	if v.kind == decl.Lookup {
		c.fail(n.pos, "%q is a lookup; call it as %s(x)", n.text, n.text)
		c.write("0", n.pos)
		return
	}
	name, ok := c.element(v, n)
	if !ok {
		c.write("0", n.pos)
		return
	}
	if c.sampled != nil && name == c.self {
		init := c.sampled
		c.sampled = nil
		c.write("previous("+name+", ", n.pos)
		c.emit(init, 0, false)
		c.write(")", n.pos)
		c.sampled = init
		return
	}
	c.write(name, n.pos)
}

// position1 returns the value of a range or an element used as a value:
// the position, from 1, of the element (the one the range stands for
// here) in the first of the largest ranges holding it, so that equal
// elements compare equal.
func (c *ctx) position1(n *node) (int, bool) {
	if len(n.subs) > 0 {
		return 0, false
	}
	el, ok := c.bind[n.key]
	if !ok && c.r.dims[n.key] == nil {
		el, ok = c.r.elems[n.key]
	}
	if !ok {
		return 0, false
	}
	var dm *dim
	for _, d := range c.r.dimSeq {
		if contains(d.elems, el) && (dm == nil || len(d.elems) > len(dm.elems)) {
			dm = d
		}
	}
	if dm == nil {
		return 0, false
	}
	return indexOf(dm.elems, el) + 1, true
}

// element resolves a reference to v (bare or subscripted) to the name of
// one element, or v's name when v is scalar.
func (c *ctx) element(v *vvar, n *node) (string, bool) {
	if v.kind == 0 {
		c.bad = true // its own definition was reported
		return "", false
	}
	if len(v.dims) == 0 {
		if len(n.subs) > 0 {
			c.fail(n.pos, "%q is not subscripted", n.text)
			return "", false
		}
		return v.name, true
	}
	elems := make([]string, len(v.dims))
	for i, dm := range v.dims {
		var el string
		var ok bool
		if len(n.subs) == 0 {
			el, ok = c.resolve(dm.key, dm)
			if !ok {
				c.fail(n.pos, "%q is subscripted by %s, which the variable being defined is not", n.text, dm.name)
				return "", false
			}
		} else {
			if len(n.subs) != len(v.dims) {
				c.fail(n.pos, "%q has %d subscripts, got %d", n.text, len(v.dims), len(n.subs))
				return "", false
			}
			s := n.subs[i]
			switch {
			case s.bang:
				el, ok = c.bind[s.key+"!"]
				if !ok {
					c.fail(s.pos, "%s! is allowed only inside SUM, PROD, VMIN, VMAX and VECTOR SELECT", s.text)
					return "", false
				}
			case c.r.dims[s.key] != nil:
				el, ok = c.resolve(s.key, dm)
				if !ok {
					c.fail(s.pos, "cannot tell which element of %s to use for the subscript %s here", dm.name, s.text)
					return "", false
				}
			default:
				el, ok = c.r.elems[s.key]
				if !ok {
					c.fail(s.pos, "%s", c.r.unknownSub(s.text))
					return "", false
				}
			}
		}
		if !contains(dm.elems, el) {
			c.fail(n.pos, "%q has no element %s (its range %s holds %s)", n.text, el, dm.name, strings.Join(dm.elems, ", "))
			return "", false
		}
		elems[i] = el
	}
	if k := strings.Join(elems, ","); v.missing[k] {
		c.fail(n.pos, "%q has no element [%s]: its definitions leave it out, and Vensim has no value for it", n.text, k)
		return "", false
	}
	return decl.ElementName(v.name, elems), true
}

// resolve finds the element that the range with key stands for here;
// target is the range of the referenced variable at that position.
func (c *ctx) resolve(key string, target *dim) (string, bool) {
	if el, ok := c.bind[key]; ok {
		return el, true
	}
	if el, ok := c.bind[key+"!"]; ok {
		return el, true
	}
	dm := c.r.dims[key]
	if dm == nil {
		return "", false
	}
	// A mapping between the range and a bound one, either way.
	for bkey, el := range c.bind {
		if strings.HasSuffix(bkey, "!") {
			continue
		}
		b := c.r.dims[bkey]
		if b == nil {
			continue
		}
		if e, ok := c.r.mapElement(b, dm, el); ok {
			return e, true
		}
		if e, ok := c.r.mapElement(dm, b, el); ok {
			return e, true
		}
	}
	// A bound element that belongs to the range.
	for _, k := range c.sortedBind() {
		if el := c.bind[k]; contains(dm.elems, el) {
			return el, true
		}
	}
	return "", false
}

func (c *ctx) sortedBind() []string {
	keys := make([]string, 0, len(c.bind))
	for k := range c.bind {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// mapElement maps element el of from to the corresponding element of to,
// when from is mapped to to (from: ... -> to). A mapping may name a
// subrange of the target for an element (DimB: B1, B2 -> (DimA: SubA,
// A3)): then each element of SubA maps back to B1.
func (r *reader) mapElement(from, to *dim, el string) (string, bool) {
	_ = el
	for _, m := range from.mappings {
		if nameKey(m.target) != to.key {
			continue
		}
		i := indexOf(from.elems, el)
		if i < 0 {
			return "", false
		}
		if len(m.elems) == 0 {
			if i < len(to.elems) {
				return to.elems[i], true
			}
			return "", false
		}
		if i < len(m.elems) {
			return elementName(m.elems[i]), true
		}
	}
	for _, m := range to.mappings {
		if nameKey(m.target) != from.key {
			continue
		}
		if len(m.elems) == 0 {
			i := indexOf(from.elems, el)
			if i >= 0 && i < len(to.elems) {
				return to.elems[i], true
			}
			return "", false
		}
		for i, e := range m.elems {
			if i >= len(to.elems) {
				break
			}
			if elementName(e) == el {
				return to.elems[i], true
			}
			if sub := r.dims[nameKey(e)]; sub != nil && contains(sub.elems, el) {
				return to.elems[i], true
			}
		}
	}
	return "", false
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// args writes a function call name(a1, a2, ...).
func (c *ctx) fn(name string, pos int, args ...*node) {
	c.write(name+"(", pos)
	for i, a := range args {
		if i > 0 {
			c.write(", ", pos)
		}
		c.emit(a, 0, false)
	}
	c.write(")", pos)
}

// tmpl writes a template: strings as they are, nodes in parentheses.
func (c *ctx) tmpl(pos int, parts ...any) {
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			c.write(p, pos)
		case *node:
			c.write("(", p.pos)
			c.emit(p, 0, false)
			c.write(")", p.pos)
		case func():
			c.write("(", pos)
			p()
			c.write(")", pos)
		}
	}
}

// simple maps Vensim functions to stockflow builtins of the same meaning
// and arguments.
func simple(key string) string {
	switch key {
	case "abs", "exp", "sqrt", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "ln",
		"integer", "modulo", "min", "max", "xidz", "zidz", "step", "ramp",
		"delay1", "delay1i", "delay3", "delay3i", "smooth", "smoothi", "smooth3", "smooth3i",
		"trend", "forecast":
		return key
	case "if then else":
		return "if_then_else"
	case "delay fixed":
		return "delay"
	case "delay material":
		return "delay_material"
	case "delay information":
		return "delay_information"
	case "initial":
		return "init"
	case "active initial":
		return "active_initial"
	case "random uniform":
		return "random"
	case "gamma ln":
		return "gammaln"
	}
	return ""
}

// arity gives the argument counts of the functions translated here.
func arity(key string) (int, int, bool) {
	switch key {
	case "abs", "exp", "sqrt", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "ln", "integer", "initial", "game", "elmcount",
		"sinh", "cosh", "tanh", "gamma ln":
		return 1, 1, true
	case "modulo", "zidz", "step", "log", "power", "quantum", "pulse", "active initial", "smooth", "delay1", "delay3",
		"lookup extrapolate", "lookup forward", "lookup backward", "lookup invert":
		return 2, 2, true
	case "lookup area", "lookup slope":
		return 3, 3, true
	case "xidz", "if then else", "delay fixed", "delay information", "delay1i", "delay3i", "smoothi", "smooth3i", "trend", "forecast", "sample if true", "random uniform":
		return 3, 3, true
	case "ramp":
		return 3, 3, true
	case "smooth3":
		return 2, 2, true
	case "delay n", "smooth n", "pulse train", "delay material":
		return 4, 4, true
	case "min", "max":
		return 2, 2, true
	case "random normal", "random exponential":
		return 5, 5, true
	case "random poisson", "random weibull", "random triangular":
		return 6, 6, true
	case "random 0 1":
		return 0, 0, true
	case "vector select":
		return 5, 5, true
	case "vector rank", "vector sort order", "vector reorder", "vector elm map":
		return 2, 2, true
	case "vector lookup":
		return 5, 5, true
	case "allocate available", "get data between times", "get data min", "get data max", "get data mean", "get data sum":
		return 3, 3, true
	case "invert matrix":
		return 2, 2, true
	case "allocate by priority":
		return 5, 5, true
	case "find market price":
		return 4, 4, true
	case "demand at price", "supply at price":
		return 3, 3, true
	case "sum", "prod", "vmin", "vmax":
		return 1, 1, true
	}
	return 0, 0, false
}

// unsupported says why a Vensim function is not read, and what to do.
func unsupported(n *node) string {
	name := strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(n.text, "_", " ")), " "))
	switch {
	case getFunc(n.key) != 0:
		return name + " is read only as the whole equation of a variable (x := " + name + "(...)); give it a variable of its own"
	case strings.HasPrefix(n.key, "get "):
		return name + " is not read (the GET functions read are GET XLS/DIRECT DATA, CONSTANTS, LOOKUPS and SUBSCRIPT, GET DATA BETWEEN TIMES, GET DATA MIN, MAX, MEAN and SUM, and GET TIME VALUE): save the numbers as CSV and read them " +
			"as a data variable ([data.NAME] in TOML: convert the model, see docs/data.md), or write them into the .mdl"
	case n.key == "time shift":
		return "TIME SHIFT is read only as the whole equation of a data variable (x := TIME SHIFT(data, shift)); give it a variable of its own"
	case n.key == "a function of":
		return "A FUNCTION OF is Vensim's placeholder for an equation not written yet: give the variable an equation"
	case n.key == "delay conveyor", n.key == "queue fifo", n.key == "queue lifo":
		return "unsupported function " + name + " (Vensim's conveyors and queues are not implemented): use DELAY MATERIAL or DELAY FIXED for a pipeline delay, or DELAY N"
	}
	return "unsupported function " + name
}

// call writes a function, lookup or macro call.
func (c *ctx) call(n *node) {
	if v := c.r.vars[n.key]; v != nil && v.kind == decl.Lookup {
		if len(n.args) != 1 {
			c.fail(n.pos, "lookup %s takes 1 argument, got %d", n.text, len(n.args))
			c.write("0", n.pos)
			return
		}
		c.write(c.lookupName(v, n), n.pos)
		c.write("(", n.pos)
		c.emit(n.args[0], 0, false)
		c.write(")", n.pos)
		return
	}
	if n.key == "with lookup" {
		name := c.v.name + "_lookup"
		if len(c.elems) > 0 {
			name = lookupElementName(name, c.elems)
		}
		name = c.r.unique(name)
		c.extra = append(c.extra, &decl.Var{Kind: decl.Lookup, Name: name, Key: "lookups." + name, Pos: c.r.at(c.d.e, n.pos),
			Points: n.tbl.points, Doc: "the lookup of " + c.self})
		c.write(name+"(", n.pos)
		c.emit(n.args[0], 0, false)
		c.write(")", n.pos)
		return
	}
	if n.key == "get time value" && c.r.vars[n.key] == nil {
		c.getTimeValue(n)
		return
	}
	lo, hi, known := arity(n.key)
	if v := c.r.vars[n.key]; !known && v != nil {
		// A variable called as a lookup: one defined by GET ... LOOKUPS
		// has had its error already.
		if d := v.defs[0]; d.kind == dEq && d.rhs != nil && d.rhs.kind == nCall && strings.HasPrefix(d.rhs.key, "get ") {
			c.bad = true
		} else {
			c.fail(n.pos, "%s is not a lookup, and only lookups are called like functions", n.text)
		}
		c.write("0", n.pos)
		return
	}
	if !known {
		if n.key == "integ" || n.key == "sinteg" {
			c.fail(n.pos, "%s must be the whole equation of a stock", strings.ToUpper(n.key))
		} else {
			c.fail(n.pos, "%s", unsupported(n))
		}
		c.write("0", n.pos)
		return
	}
	if len(n.args) < lo || len(n.args) > hi {
		want := strconv.Itoa(lo)
		if hi != lo {
			want = fmt.Sprintf("%d to %d", lo, hi)
		}
		c.fail(n.pos, "%s takes %s arguments, got %d", strings.ToUpper(n.text), want, len(n.args))
		c.write("0", n.pos)
		return
	}
	a := n.args
	p := n.pos
	if strings.HasPrefix(n.key, "random ") && len(a) > 0 {
		a = append([]*node(nil), a...)
		if a[len(a)-1] = c.seed(n); a[len(a)-1] == nil {
			c.write("0", p)
			return
		}
	}
	if s := simple(n.key); s != "" {
		c.fn(s, p, a...)
		return
	}
	switch n.key {
	case "sinh", "cosh", "quantum", "pulse", "pulse train", "random weibull":
		// Written with an argument more than once.
		a = append([]*node(nil), a...)
		for i := range a {
			a[i] = c.held(a[i], "arg"+strconv.Itoa(i+1))
		}
	}
	switch n.key {
	case "game":
		c.tmpl(p, a[0])
	case "sinh":
		c.tmpl(p, "((exp(", a[0], ") - exp(-(", a[0], "))) / 2)")
	case "cosh":
		c.tmpl(p, "((exp(", a[0], ") + exp(-(", a[0], "))) / 2)")
	case "tanh":
		// 1 − 2/(e^2x + 1) stays finite where e^2x overflows.
		c.tmpl(p, "(1 - 2 / (exp(2 * (", a[0], ")) + 1))")
	case "log":
		c.tmpl(p, "(ln", a[0], " / ln", a[1], ")")
	case "power":
		c.tmpl(p, a[0], "^", a[1])
	case "quantum":
		c.tmpl(p, "if_then_else(", a[1], " <= 0, ", a[0], ", ", a[1], " * integer(", a[0], " / ", a[1], "))")
	case "pulse":
		// Vensim: 1 from start for width (at least one dt), else 0.
		c.tmpl(p, "if_then_else(time + dt/2 > ", a[0], " and time + dt/2 < ", a[0], " + max(", a[1], ", dt), 1, 0)")
	case "pulse train":
		// Vensim: 1 for width (at least one dt) every interval from
		// start until end; an interval of 0 or less gives one pulse.
		c.tmpl(p, "if_then_else(time + dt/2 > ", a[0], " and time - dt/2 < ", a[3], " and if_then_else(", a[2], " > 0, modulo(time + dt/2 - ", a[0], ", ", a[2], "), time + dt/2 - ", a[0], ") < max(", a[1], ", dt), 1, 0)")
	case "delay n", "smooth n":
		// The order is fixed at the start (Vensim evaluates it once);
		// a delay's order is cut so that each stage lasts at least dt.
		order, ok := c.initValue(a[3], 0)
		if !ok || order < 1 || order != math.Trunc(order) {
			c.fail(a[3].pos, "the order of %s must be a whole number from 1, known at the start", strings.ToUpper(n.text))
			c.write("0", p)
			return
		}
		if n.key == "delay n" {
			if T, ok := c.initValue(a[1], 0); ok && c.r.m.Sim.DT > 0 && T/order < c.r.m.Sim.DT {
				order = max(1, math.Floor(T/c.r.m.Sim.DT+1e-9))
			}
		}
		if n.key == "delay n" {
			c.delayN(p, a, order)
			return
		}
		c.write("smthn(", p)
		c.emit(a[0], 0, false)
		c.write(", ", p)
		c.emit(a[1], 0, false)
		c.write(", "+strconv.FormatFloat(order, 'g', -1, 64)+", ", p)
		c.emit(a[2], 0, false)
		c.write(")", p)
	case "smooth3":
		c.fn("smooth3", p, a...)
	case "sample if true":
		// The value held is read as the value from the step before
		// also where the condition or the input names the variable
		// itself (PEAK = SAMPLE IF TRUE(x > PEAK, x, x)), which Vensim
		// allows: otherwise it would depend on itself.
		outer := c.sampled
		c.sampled = a[2]
		c.write("if_then_else(", p)
		c.emit(a[0], 0, false)
		c.write(", ", p)
		c.emit(a[1], 0, false)
		c.sampled = outer
		c.write(", previous("+c.self+", ", p)
		c.emit(a[2], 0, false)
		c.write("))", p)
	case "random normal":
		c.tmpl(p, "max(", a[0], ", min(", a[1], ", normal(", a[2], ", ", a[3], ", ", a[4], ")))")
	case "random poisson":
		// RANDOM POISSON(min, max, mean, shift, stretch, seed): a Poisson
		// draw times stretch plus shift, clipped to [min, max].
		c.tmpl(p, "max(", a[0], ", min(", a[1], ", poisson(", a[2], ", ", a[5], ") * ", a[4], " + ", a[3], "))")
	case "random 0 1":
		// Vensim's obsolete RANDOM 0 1(): RANDOM UNIFORM(0, 1, 0).
		c.write("random(0, 1, "+strconv.FormatFloat(streamSeed(0, c.self, c.nRand), 'g', -1, 64)+")", p)
		c.nRand++
	case "random weibull":
		// RANDOM WEIBULL(min, max, shape, shift, stretch, seed): a Weibull
		// draw of that shape scaled to mean 1 (scale 1/Γ(1 + 1/shape)),
		// by inverting its CDF at an exponential draw E of mean 1:
		// E^(1/shape), times stretch plus shift, clipped.
		c.tmpl(p, "max(", a[0], ", min(", a[1], ", exprnd(1, ", a[5], ")^(1 / ", a[2], ") / exp(gammaln(1 + 1 / ", a[2], ")) * ", a[4], " + ", a[3], "))")
	case "random triangular":
		c.randomTriangular(n, a)
	case "random exponential":
		// RANDOM EXPONENTIAL(min, max, shift, stretch, seed): an
		// exponential draw of mean 1 times stretch plus shift, clipped.
		c.tmpl(p, "max(", a[0], ", min(", a[1], ", exprnd(1, ", a[4], ") * ", a[3], " + ", a[2], "))")
	case "lookup extrapolate", "lookup forward", "lookup backward", "lookup invert", "lookup area", "lookup slope":
		c.lookupCall(n)
	case "sum", "prod", "vmin", "vmax":
		c.reduce(n)
	case "elmcount":
		dm := c.r.dims[a[0].key]
		if a[0].kind != nRef || dm == nil {
			c.fail(a[0].pos, "ELMCOUNT takes the name of a subscript range")
			c.write("0", p)
			return
		}
		c.write(strconv.Itoa(len(dm.elems)), p)
	case "vector select":
		c.vectorSelect(n)
	case "vector rank":
		c.vectorRank(n, "VECTOR RANK")
	case "vector sort order":
		c.vectorRank(n, "VECTOR SORT ORDER")
	case "vector reorder":
		c.vectorReorder(n)
	case "vector elm map":
		c.vectorElmMap(n)
	case "vector lookup":
		c.vectorLookup(n)
	case "allocate available":
		c.allocateAvailable(n)
	case "allocate by priority":
		c.allocateByPriority(n)
	case "find market price":
		c.findMarketPrice(n)
	case "demand at price":
		c.atPrice(n, "DEMAND AT PRICE", "demand_at_price")
	case "supply at price":
		c.atPrice(n, "SUPPLY AT PRICE", "supply_at_price")
	case "invert matrix":
		c.invertMatrix(n)
	case "get data between times":
		c.getDataBetween(n)
	case "get data min", "get data max", "get data mean", "get data sum":
		c.getDataStat(n)
	}
}

// randomTriangular writes RANDOM TRIANGULAR(min, max, start, peak, end,
// seed): a draw from the triangular distribution from start to end with
// its mode at peak, by inverting its CDF at a uniform draw u, clipped to
// [min, max]. The draw is a hidden aux of its own (<variable>_u, per
// element), since the inverse reads it twice.
func (c *ctx) randomTriangular(n *node, a []*node) {
	p := n.pos
	name := c.v.name + "_u"
	if len(c.elems) > 0 {
		name = lookupElementName(name, c.elems)
	}
	name = c.r.unique(name)
	u := &ctx{r: c.r, d: c.d, v: c.v, self: name, bind: c.bind, elems: c.elems}
	u.tmpl(p, "random(0, 1, ", a[5], ")")
	c.extra = append(c.extra, &decl.Var{Kind: decl.Aux, Name: name, Key: "aux." + name, Pos: c.r.at(c.d.e, p), Eq: u.finish(),
		Doc: "the uniform draw of RANDOM TRIANGULAR in " + c.self})
	start, peak, end := c.held(a[2], "start"), c.held(a[3], "peak"), c.held(a[4], "end")
	c.tmpl(p, "max(", a[0], ", min(", a[1], ", if_then_else("+name+" < (", peak, " - ", start, ") / (", end, " - ", start, "), ",
		start, " + sqrt("+name+" * (", end, " - ", start, ") * (", peak, " - ", start, ")), ",
		end, " - sqrt((1 - "+name+") * (", end, " - ", start, ") * (", end, " - ", peak, ")))))")
}

// seed returns the seed of a RANDOM function, the last argument, as a
// number node: Vensim takes it once, at the start, so an expression is
// evaluated there (over constants and the control variables). A seed
// that is not known at the start is an error, and seed returns nil.
//
// The number given to stockflow is not the seed itself but one derived
// from it, the name of what is defined (element included) and the call's
// place among the RANDOM calls of its equation (streamSeed): stockflow
// gives each seed a sequence of its own, where Vensim draws every call
// that names one stream ID from that stream in turn, so the elements of
// an arrayed variable, two variables, or two calls in one equation that
// name one seed get independent draws in both, not equal ones.
func (c *ctx) seed(n *node) *node {
	x := n.args[len(n.args)-1]
	v := x.num
	if x.kind != nNum {
		var ok bool
		v, ok = c.initValue(x, 0)
		if !ok {
			c.fail(x.pos, "the seed of %s must be known at the start (a number, or an expression of constants)", strings.ToUpper(n.text))
			return nil
		}
	}
	s := streamSeed(v, c.self, c.nRand)
	c.nRand++
	return &node{kind: nNum, pos: x.pos, num: s, text: strconv.FormatFloat(s, 'g', -1, 64)}
}

// streamSeed derives the seed stockflow uses for the k-th RANDOM call
// (from 0) in the equation of self that gives Vensim's seed: the first 52
// bits of the FNV-1a hash of the three, a whole number a float64 holds
// exactly.
func streamSeed(seed float64, self string, k int) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d", strconv.FormatFloat(seed, 'g', -1, 64), self, k)
	return float64(h.Sum64() >> 12)
}

// delayN writes Vensim's DELAY N(in, T, init, n) of order n: stages
// 1..n-1 drain at stock/(T/n) with the current T; the output is the last
// stage over T/n with the T of the step before, and it is what drains the
// last stage. So the output depends only on earlier values of T and the
// delay conserves what enters it, as Vensim's help for DELAY N says, and
// it matches Vensim's output in the suite's tests/delays, where PySD's
// rule (stage k reads T from k steps before) is the same for n = 2. In
// stockflow's terms: delayn(in, T·(n-1)/n, n-1, init), whose stages last
// T/n, draining into delay1(·, previous(T)/n, init).
func (c *ctx) delayN(p int, a []*node, order float64) {
	c.write("delay1(", p)
	if order == 1 {
		c.emit(a[0], 0, false)
		c.write(", ", p)
		c.prev(a[1])
		c.write(", ", p)
	} else {
		n := strconv.FormatFloat(order, 'g', -1, 64)
		m := strconv.FormatFloat(order-1, 'g', -1, 64)
		c.write("delayn(", p)
		c.emit(a[0], 0, false)
		c.write(", ", p)
		c.emit(a[1], 6, false)
		c.write(" * "+m+" / "+n+", "+m+", ", p)
		c.emit(a[2], 0, false)
		c.write("), ", p)
		c.prev(a[1])
		c.write(" / "+n+", ", p)
	}
	c.emit(a[2], 0, false)
	c.write(")", p)
}

// prev writes previous(x), or x alone when x is a number.
func (c *ctx) prev(x *node) {
	if x.kind == nNum {
		c.write(x.text, x.pos)
		return
	}
	c.write("previous(", x.pos)
	c.emit(x, 0, false)
	c.write(")", x.pos)
}

// fixed reports whether x cannot change during the run: numbers, the
// control variables but Time, and scalar constants and equations of
// them.
func (c *ctx) fixed(x *node, depth int) bool {
	if x == nil || depth > 100 {
		return false
	}
	switch x.kind {
	case nNum:
		return true
	case nParen, nUnary:
		return c.fixed(x.x, depth+1)
	case nBinary:
		return c.fixed(x.x, depth+1) && c.fixed(x.y, depth+1)
	case nRef:
		switch x.key {
		case "initial time", "final time", "time step", "saveper":
			return true
		}
		v := c.r.vars[x.key]
		if v == nil || len(v.dims) > 0 || len(v.defs) != 1 || v.defs[0].kind != dEq || v.stock {
			return false
		}
		return c.fixed(v.defs[0].rhs, depth+1)
	}
	return false
}

// initValue evaluates x at the start time, when it depends only on
// numbers, constants, control variables, Time and STEP.
func (c *ctx) initValue(x *node, depth int) (float64, bool) {
	if x == nil || depth > 100 {
		return 0, false
	}
	switch x.kind {
	case nNum:
		return x.num, true
	case nParen:
		return c.initValue(x.x, depth+1)
	case nUnary:
		v, ok := c.initValue(x.x, depth+1)
		switch x.text {
		case "-":
			return -v, ok
		case "+":
			return v, ok
		case "not":
			return b2f(v == 0), ok
		}
	case nBinary:
		a, ok1 := c.initValue(x.x, depth+1)
		b, ok2 := c.initValue(x.y, depth+1)
		if !ok1 || !ok2 {
			return 0, false
		}
		return binop(x.text, a, b)
	case nRef:
		switch x.key {
		case "time", "initial time":
			return c.r.m.Sim.Start, true
		case "time step":
			return c.r.m.Sim.DT, true
		case "final time":
			return c.r.m.Sim.Stop, true
		}
		v := c.r.vars[x.key]
		if v == nil {
			if k, ok := c.position1(x); ok {
				return float64(k), true
			}
		}
		if v == nil || len(v.dims) > 0 || len(v.defs) != 1 || v.defs[0].kind != dEq || v.stock {
			return 0, false
		}
		return c.initValue(v.defs[0].rhs, depth+1)
	case nCall:
		if x.key == "step" && len(x.args) == 2 {
			h, ok1 := c.initValue(x.args[0], depth+1)
			t, ok2 := c.initValue(x.args[1], depth+1)
			if !ok1 || !ok2 {
				return 0, false
			}
			if c.r.m.Sim.Start >= t {
				return h, true
			}
			return 0, true
		}
		// The functions of numbers a control variable may call (ctlFuncs):
		// MAX(1, order), an IF THEN ELSE of constants.
		if want, ok := ctlFuncs[x.key]; ok && len(x.args) == want {
			if x.key == "if then else" {
				cond, ok := c.initValue(x.args[0], depth+1)
				if !ok {
					return 0, false
				}
				if cond != 0 {
					return c.initValue(x.args[1], depth+1)
				}
				return c.initValue(x.args[2], depth+1)
			}
			a := make([]float64, len(x.args))
			for i, arg := range x.args {
				v, ok := c.initValue(arg, depth+1)
				if !ok {
					return 0, false
				}
				a[i] = v
			}
			return ctlCall(x.key, a), true
		}
	}
	return 0, false
}

// lookupName returns the name of the lookup a call to v refers to.
func (c *ctx) lookupName(v *vvar, n *node) string {
	if len(v.dims) == 0 {
		return v.name
	}
	ref := &node{kind: nRef, pos: n.pos, text: n.text, key: n.key, subs: n.subs}
	saved := v.kind
	v.kind = decl.Aux // resolve as a value reference
	name, ok := c.element(v, ref)
	v.kind = saved
	if !ok {
		return v.name
	}
	_, inner, _ := strings.Cut(strings.TrimSuffix(name, "]"), "[")
	return lookupElementName(v.name, strings.Split(inner, ","))
}

// lookupCall writes LOOKUP EXTRAPOLATE(table, x), by a copy of the table
// that extrapolates.
func (c *ctx) lookupCall(n *node) {
	t := n.args[0]
	v := c.r.vars[t.key]
	if t.kind != nRef || v == nil || v.kind != decl.Lookup {
		c.fail(t.pos, "the first argument of %s must be a lookup", strings.ToUpper(n.text))
		c.write("0", n.pos)
		return
	}
	src := c.lookupName(v, t)
	pts := v.defs[0].tbl.points
	for _, d := range v.defs {
		if ts, _, ok := c.r.tuples(d, v); ok && len(v.dims) > 0 {
			for _, tu := range ts {
				if lookupElementName(v.name, tu) == src {
					pts = d.tbl.points
				}
			}
		}
	}
	switch n.key {
	case "lookup forward", "lookup backward", "lookup invert", "lookup slope", "lookup area":
		cp := *n
		cp.args = append([]*node(nil), n.args...)
		for i := 1; i < len(cp.args); i++ {
			cp.args[i] = c.held(cp.args[i], "x")
		}
		n = &cp
	}
	switch n.key {
	case "lookup forward", "lookup backward":
		c.lookupStep(n, pts)
		return
	case "lookup invert":
		c.lookupInvert(n, pts)
		return
	case "lookup slope":
		c.lookupSlope(n, pts)
		return
	case "lookup area":
		c.write("(", n.pos)
		c.lookupIntegral(n.args[2], n.pos, pts)
		c.write(" - ", n.pos)
		c.lookupIntegral(n.args[1], n.pos, pts)
		c.write(")", n.pos)
		return
	}
	name := c.r.unique(src + "_extrapolate")
	c.extra = append(c.extra, &decl.Var{Kind: decl.Lookup, Name: name, Key: "lookups." + name, Pos: c.r.at(c.d.e, n.pos),
		Points: pts, Extrapolate: true, Doc: "lookup " + src + ", extrapolated"})
	c.write(name+"(", n.pos)
	c.emit(n.args[1], 0, false)
	c.write(")", n.pos)
}

// lookupStep writes LOOKUP FORWARD(table, x), the y of the first point
// whose x is at or after x (the last y past the end), or LOOKUP
// BACKWARD(table, x), the y of the last point whose x is at or before x
// (the first y before the start): Vensim's step readings of a table,
// with no interpolation. The points are sorted by x.
func (c *ctx) lookupStep(n *node, pts [][2]float64) {
	x, p := n.args[1], n.pos
	closing := 0
	for i := 0; i < len(pts)-1; i++ {
		if n.key == "lookup forward" {
			c.tmpl(p, "if_then_else(", x, " <= "+num(pts[i][0])+", "+num(pts[i][1])+", ")
		} else {
			c.tmpl(p, "if_then_else(", x, " < "+num(pts[i+1][0])+", "+num(pts[i][1])+", ")
		}
		closing++
	}
	c.write(num(pts[len(pts)-1][1])+strings.Repeat(")", closing), p)
}

// getDataBetween writes GET DATA BETWEEN TIMES(data, time, mode), the
// value of a data variable read by a GET ... DATA function at any time,
// as Vensim's help gives it: :NA: before its first point or after its
// last; between them, mode 0 interpolates linearly, 1 takes the next
// point's value (as :LOOK FORWARD:), -1 the last one's (as :HOLD
// BACKWARD:). The mode must be one of those numbers; the data variable
// one read from a file, not subscripted.
func (c *ctx) getDataBetween(n *node) {
	d, t, mode := n.args[0], n.args[1], n.args[2]
	p := n.pos
	pts, name := c.dataPoints(d, "GET DATA BETWEEN TIMES")
	if len(pts) == 0 {
		c.write("0", p)
		return
	}
	m, ok := c.initValue(mode, 0)
	if !ok || !isConstant(mode) || (m != 0 && m != 1 && m != -1) {
		c.fail(mode.pos, "GET DATA BETWEEN TIMES: the mode must be 0 (interpolate), 1 (the next point's value) or -1 (the last point's value)")
		c.write("0", p)
		return
	}
	t = c.held(t, "time")
	first, last := pts[0][0], pts[len(pts)-1][0]
	c.tmpl(p, "if_then_else(", t, " < "+num(first)+" or ", t, " > "+num(last)+", ("+naValue+"), ")
	switch m {
	case 0:
		name := c.r.unique(CanonicalName(name) + "_between")
		c.extra = append(c.extra, &decl.Var{Kind: decl.Lookup, Name: name, Key: "lookups." + name, Pos: c.r.at(c.d.e, n.pos),
			Points: pts, Doc: "the points of " + d.text + ", for GET DATA BETWEEN TIMES"})
		c.tmpl(p, name+"(", t, ")")
	case 1:
		c.lookupStep(&node{kind: nCall, key: "lookup forward", pos: p, args: []*node{d, t}}, pts)
	default:
		c.lookupStep(&node{kind: nCall, key: "lookup backward", pos: p, args: []*node{d, t}}, pts)
	}
	c.write(")", p)
}

// dataPoints returns the points of the data variable d names, read by
// a GET ... DATA function or from a data file (or one element of an
// arrayed one, e[r2]), and its name; no points when d is not one. what
// names the function calling, for errors.
func (c *ctx) dataPoints(d *node, what string) ([][2]float64, string) {
	var pts [][2]float64
	name := d.text
	if v := c.r.vars[d.key]; d.kind == nRef && v != nil {
		switch {
		case v.kind == decl.Data && len(d.subs) == 0 && v.defs[0].ext != nil:
			pts, name = v.defs[0].ext.points, v.name
		case len(v.dims) > 0 && v.kind != 0:
			// An element of an arrayed GET ... DATA variable reads a
			// data variable of its own (see external).
			el, ok := c.element(v, d)
			if !ok {
				return nil, name // element has reported why
			}
			if hv := c.dataOf(v, el); hv != nil {
				pts, name = hv.defs[0].ext.points, hv.name
			}
		}
	}
	if len(pts) == 0 {
		c.fail(d.pos, "%s reads a data variable defined by GET XLS DATA or GET DIRECT DATA or read from a data file; %s is not one", what, d.text)
	}
	return pts, name
}

// getDataStat writes GET DATA MIN, MAX, MEAN or SUM(data, start, end):
// the least, greatest, mean or sum of the values of the data variable's
// points whose times lie from start to end (both included), :NA: when
// no point does, as Vensim's help gives GET DATA MIN ("the minimum value
// that a Data variable takes on over a time range; if there is no data
// in the time range ... :NA:"). Only the points given count, never
// values interpolated between them. start and end may be any
// expressions: each point becomes a term testing its time, so the
// equation grows with the number of points.
func (c *ctx) getDataStat(n *node) {
	what := strings.ToUpper(n.key)
	d, p := n.args[0], n.pos
	pts, _ := c.dataPoints(d, what)
	if len(pts) == 0 {
		c.write("0", p)
		return
	}
	s := c.held(n.args[1], "start")
	e := c.held(n.args[2], "end")
	// in writes the test that point k lies in [start, end].
	in := func(k int) {
		c.tmpl(p, "(", s, " <= "+num(pts[k][0])+" and "+num(pts[k][0])+" <= ", e, ")")
	}
	// terms writes open, then a term for each point separated by sep,
	// then ")": the term of point k is then(k) when k lies in [start,
	// end], else otherwise.
	terms := func(open, sep string, then func(k int) string, otherwise string) {
		c.write(open, p)
		for k := range pts {
			if k > 0 {
				c.write(sep, p)
			}
			c.write("if_then_else(", p)
			in(k)
			c.write(", "+then(k)+", "+otherwise+")", p)
		}
		c.write(")", p)
	}
	value := func(k int) string { return num(pts[k][1]) }
	count := func() { terms("(", " + ", func(int) string { return "1" }, "0") }
	sum := func() { terms("(", " + ", value, "0") }
	c.write("if_then_else(", p)
	count()
	c.write(" = 0, ("+naValue+"), ", p)
	switch n.key {
	case "get data sum":
		sum()
	case "get data mean":
		sum()
		c.write(" / ", p)
		count()
	default:
		// A point outside the range stands in as the series' greatest
		// (for MIN) or least (for MAX) value, which changes nothing
		// when some point lies inside.
		fill := pts[0][1]
		for _, pt := range pts {
			if (n.key == "get data min") == (pt[1] > fill) {
				fill = pt[1]
			}
		}
		terms(strings.TrimPrefix(n.key, "get data ")+"(", ", ", value, num(fill))
	}
	c.write(")", p)
}

// dataOf returns the data variable that element el (as element names
// it, "x[A1]") of the arrayed variable v reads, when v's definition of
// it is a GET ... DATA call; nil otherwise.
func (c *ctx) dataOf(v *vvar, el string) *vvar {
	for _, d := range v.defs {
		if d.kind != dEq || d.rhs == nil || d.rhs.kind != nRef {
			continue
		}
		hv := c.r.vars[d.rhs.key]
		if hv == nil || hv.kind != decl.Data || hv.defs[0].ext == nil {
			continue
		}
		ts, _, ok := c.r.tuples(d, v)
		if !ok {
			continue
		}
		for _, t := range ts {
			if decl.ElementName(v.name, t) == el {
				return hv
			}
		}
	}
	return nil
}

// num formats a number of a table for an equation.
func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// lookupInvert writes LOOKUP INVERT(table, y): the smallest x at which
// the table, linear between its points, is y, or :NA: when y lies
// outside the table's values (Vensim's help). Along a flat segment at y
// the x is the segment's start. The points are sorted by x.
func (c *ctx) lookupInvert(n *node, pts [][2]float64) {
	y, p := n.args[1], n.pos
	closing := 0
	if len(pts) == 1 {
		c.tmpl(p, "if_then_else(", y, " = "+num(pts[0][1])+", "+num(pts[0][0])+", ")
		closing++
	}
	for i := 0; i+1 < len(pts); i++ {
		x0, y0, x1, y1 := pts[i][0], pts[i][1], pts[i+1][0], pts[i+1][1]
		lo, hi := min(y0, y1), max(y0, y1)
		c.tmpl(p, "if_then_else(", y, " >= "+num(lo)+" and ", y, " <= "+num(hi)+", ")
		if y0 == y1 {
			c.write(num(x0), p)
		} else {
			c.tmpl(p, num(x0)+" + (", y, " - "+num(y0)+") * "+num((x1-x0)/(y1-y0)))
		}
		c.write(", ", p)
		closing++
	}
	c.write("("+naValue+")"+strings.Repeat(")", closing), p)
}

// lookupSlope writes LOOKUP SLOPE(table, x, mode) as Vensim's help
// describes it: between two points the slope of the segment joining
// them; at a point the mean of the slopes on either side, or :NA: where
// the table has several points at that x; outside the table's x, by
// mode, 0 (as a lookup holds its end values), the slope of the nearest
// segment (1, as LOOKUP EXTRAPOLATE) or :NA: (−1). At the first and last
// points the slope outside is the one the mode gives (:NA: for −1). The
// mode must be a number; the points are sorted by x.
func (c *ctx) lookupSlope(n *node, pts [][2]float64) {
	x, mode, p := n.args[1], n.args[2], n.pos
	m, ok := c.initValue(mode, 0)
	if !ok || !isConstant(mode) || (m != 0 && m != 1 && m != -1) {
		c.fail(mode.pos, "LOOKUP SLOPE: the mode must be 0 (0 outside the table), 1 (the nearest segment's slope) or -1 (:NA: outside), written as a number")
		c.write("0", p)
		return
	}
	na := math.Inf(-1) // a marker for :NA: among the slopes
	str := func(f float64) string {
		if f == na {
			return "(" + naValue + ")"
		}
		return num(f)
	}
	mean := func(a, b float64) float64 {
		if a == na || b == na {
			return na
		}
		return (a + b) / 2
	}
	// The distinct x of the points, and the slope to the right of each.
	var xs, right []float64
	dup := map[float64]bool{}
	for i, pt := range pts {
		if i > 0 && pt[0] == pts[i-1][0] {
			dup[pt[0]] = true
			continue
		}
		xs = append(xs, pt[0])
		right = append(right, 0)
	}
	// ys at each distinct x: the first point's y on its left, the
	// last's on its right.
	left := make([]float64, len(xs))
	j := -1
	var yl, yr []float64
	for i, pt := range pts {
		if i == 0 || pt[0] != pts[i-1][0] {
			j++
			yl = append(yl, pt[1])
			yr = append(yr, pt[1])
		} else {
			yr[j] = pt[1]
		}
	}
	for k := 0; k+1 < len(xs); k++ {
		right[k] = (yl[k+1] - yr[k]) / (xs[k+1] - xs[k])
	}
	before, after := 0.0, 0.0
	switch m {
	case 1:
		if len(xs) > 1 {
			before, after = right[0], right[len(xs)-2]
		}
	case -1:
		before, after = na, na
	}
	for k := range xs {
		if k == 0 {
			left[k] = before
		} else {
			left[k] = right[k-1]
		}
	}
	right[len(xs)-1] = after
	closing := 0
	c.tmpl(p, "if_then_else(", x, " < "+num(xs[0])+", "+str(before)+", ")
	closing++
	for k := range xs {
		at := mean(left[k], right[k])
		if dup[xs[k]] {
			at = na
		}
		c.tmpl(p, "if_then_else(", x, " = "+num(xs[k])+", "+str(at)+", ")
		closing++
		if k+1 < len(xs) {
			c.tmpl(p, "if_then_else(", x, " < "+num(xs[k+1])+", "+str(right[k])+", ")
			closing++
		}
	}
	c.write(str(after)+strings.Repeat(")", closing), p)
}

// lookupIntegral writes the integral of a table from its first point to
// x: the table is linear between its points and holds its end values
// outside them, as Vensim's lookups do, so the integral is a quadratic
// in each segment and linear outside (negative before the first point).
// LOOKUP AREA(table, start, end) is its value at end less its value at
// start. The points are sorted by x.
func (c *ctx) lookupIntegral(x *node, p int, pts [][2]float64) {
	x0, y0 := pts[0][0], pts[0][1]
	c.tmpl(p, "if_then_else(", x, " < "+num(x0)+", "+num(y0)+" * (", x, " - "+num(x0)+"), ")
	closing := 1
	area := 0.0 // from the first point to the start of segment i
	for i := 0; i+1 < len(pts); i++ {
		xa, ya, xb, yb := pts[i][0], pts[i][1], pts[i+1][0], pts[i+1][1]
		if xb > xa {
			slope := (yb - ya) / (xb - xa)
			c.tmpl(p, "if_then_else(", x, " < "+num(xb)+", "+num(area)+" + (", x, " - "+num(xa)+") * ("+num(ya)+" + "+num(slope/2)+" * (", x, " - "+num(xa)+")), ")
			closing++
			area += (ya + yb) / 2 * (xb - xa)
		}
	}
	xn, yn := pts[len(pts)-1][0], pts[len(pts)-1][1]
	c.tmpl(p, num(area)+" + "+num(yn)+" * (", x, " - "+num(xn)+")"+strings.Repeat(")", closing))
}

// bangs returns the ranges marked ! in x, in order of appearance.
func (c *ctx) bangs(x *node) []*dim {
	var out []*dim
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		for _, s := range n.subs {
			if s.bang {
				if dm := c.r.dims[s.key]; dm != nil && !containsDim(out, dm) {
					if _, bound := c.bind[s.key+"!"]; !bound {
						out = append(out, dm)
					}
				}
			}
		}
		if n.kind == nCall && (n.key == "sum" || n.key == "prod" || n.key == "vmin" || n.key == "vmax") {
			return
		}
		walk(n.x)
		walk(n.y)
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(x)
	return out
}

func containsDim(list []*dim, d *dim) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}

// small reports whether the combinations of elements of ds are few
// enough to write out, and reports an error if not.
func (c *ctx) small(ds []*dim, pos int) bool {
	n := 1
	for _, d := range ds {
		n *= max(1, len(d.elems))
		if n > maxElements || len(c.text) > 10*maxElements {
			c.fail(pos, "the reduction ranges over more than %d elements", maxElements)
			return false
		}
	}
	return true
}

// each calls f once for each combination of elements of ds, with them
// bound as "key!".
func (c *ctx) each(ds []*dim, f func()) {
	if len(ds) == 0 {
		f()
		return
	}
	d := ds[0]
	for _, e := range d.elems {
		old, had := c.bind[d.key+"!"]
		c.bind[d.key+"!"] = e
		c.each(ds[1:], f)
		if had {
			c.bind[d.key+"!"] = old
		} else {
			delete(c.bind, d.key+"!")
		}
	}
}

// reduce writes SUM, PROD, VMIN or VMAX over the ranges marked !.
func (c *ctx) reduce(n *node) {
	x := n.args[0]
	ds := c.bangs(x)
	if !c.small(ds, n.pos) {
		c.write("0", n.pos)
		return
	}
	sep, open, close := " + ", "(", ")"
	switch n.key {
	case "prod":
		sep = " * "
	case "vmin":
		sep, open = ", ", "min("
	case "vmax":
		sep, open = ", ", "max("
	}
	c.write(open, n.pos)
	first := true
	count := 0
	c.each(ds, func() {
		if !first {
			c.write(sep, n.pos)
		}
		first = false
		count++
		c.write("(", x.pos)
		c.emit(x, 0, false)
		c.write(")", x.pos)
	})
	if count == 1 && (n.key == "vmin" || n.key == "vmax") {
		c.write(sep+"(", x.pos)
		c.emit(x, 0, false)
		c.write(")", x.pos)
	}
	c.write(close, n.pos)
}

// vectorSelect writes VECTOR SELECT(selection, values, missing, action,
// error) as vector_select(action, missing, s_0, x_0, s_1, x_1, …) over
// the combinations of the ranges marked ! in either array: over those
// whose selection s is not 0 (missing when there is none), action 0
// Σ s·x, 1 Π s·x, 2 min s·x, 3 max s·x, 4 mean of s·x, 5 Π x^s, and 6 to
// 10 the sum, product, min, max and mean of x itself. This is what
// Vensim computes in the SDXorg suite's tests/vector_select. An action
// given as a number outside 0 to 10 is an error; one computed during the
// run and outside them gives NaN. The error action only makes Vensim
// report an all-zero selection or one with several non-zeros; it does
// not change the value, and stockflow does not report them.
func (c *ctx) vectorSelect(n *node) {
	sel, val, missing, action := n.args[0], n.args[1], n.args[2], n.args[3]
	ds := c.bangs(sel)
	for _, d := range c.bangs(val) {
		if !containsDim(ds, d) {
			ds = append(ds, d)
		}
	}
	if !c.small(ds, n.pos) {
		c.write("0", n.pos)
		return
	}
	p := n.pos
	if act, ok := c.initValue(action, 0); ok && isConstant(action) && (act != math.Trunc(act) || act < 0 || act > 10) {
		c.fail(action.pos, "VECTOR SELECT action %g is not one of Vensim's: 0 to 4 the sum, product, min, max or mean of selection × value, 5 the product of value^selection, 6 to 10 the sum, product, min, max or mean of the values", act)
		c.write("0", p)
		return
	}
	c.tmpl(p, "vector_select(", action, ", ", missing)
	c.each(ds, func() { c.tmpl(p, ", ", sel, ", ", val) })
	c.write(")", p)
}

// isConstant reports whether x is made of numbers alone.
func isConstant(x *node) bool {
	switch x.kind {
	case nNum:
		return true
	case nParen, nUnary:
		return isConstant(x.x)
	case nBinary:
		return isConstant(x.x) && isConstant(x.y)
	}
	return false
}
