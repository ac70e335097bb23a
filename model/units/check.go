package units

import (
	"fmt"
	"math"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// The settings of [sim] units (decl.Sim.Units).
const (
	Warn   = "warn"   // report units problems as warnings; the model runs (the default)
	Strict = "strict" // units problems are errors: the model does not load
	Off    = "off"    // do not report units problems
)

// Info is what Check finds: every variable's units, declared or
// inferred, and the problems.
type Info struct {
	// Vars holds every variable of the model in declaration order.
	Vars []*Var `json:"variables"`

	// TimeUnits are the model's time units as checked ("" when the model
	// names none).
	TimeUnits string `json:"time_units,omitempty"`

	// Errors are the units problems, sorted by position, each message
	// starting with "units: ". Whether they are errors or warnings is the
	// model's [sim] units setting (Mode).
	Errors syntax.ErrorList `json:"-"`

	// Mode is the model's [sim] units setting: Warn, Strict or Off.
	Mode string `json:"mode"`

	byName map[string]*Var
}

// Var is the units of one variable.
type Var struct {
	Name string `json:"name"`
	Kind string `json:"kind"`

	// Units are the variable's units: as declared when Declared, as
	// inferred otherwise, "" when neither. For a lookup, the units of its
	// output (y).
	Units string `json:"units"`

	// Declared reports whether the model gives the units.
	Declared bool `json:"declared"`

	// Source says where the units come from: "declared at FILE:L:C",
	// "inferred from its equation at FILE:L:C", "inferred from its use in
	// KEY at FILE:L:C", "inferred from stock S, which it fills", ...; ""
	// when not known.
	Source string `json:"source"`

	// XUnits, XDeclared and XSource are the same for a lookup's input (x).
	XUnits    string `json:"x_units,omitempty"`
	XDeclared bool   `json:"x_declared,omitempty"`
	XSource   string `json:"x_source,omitempty"`
}

// Var returns the units of the variable with the given name, or nil. An
// element name such as port[kazakhstan] gives its arrayed variable's.
func (in *Info) Var(name string) *Var {
	if in == nil {
		return nil
	}
	if v, ok := in.byName[name]; ok {
		return v
	}
	if i := strings.IndexByte(name, '['); i > 0 {
		return in.byName[name[:i]]
	}
	return nil
}

// UnitsOf returns the units of the variable with the given name as a
// plot or report should show them: as declared, or as inferred, or "".
func (in *Info) UnitsOf(name string) string {
	if v := in.Var(name); v != nil {
		return v.Units
	}
	return ""
}

// Mode returns the units setting of a model: Warn, Strict or Off.
func Mode(m *decl.Model) string {
	if m.Sim.Units == "" {
		return Warn
	}
	return m.Sim.Units
}

// Check derives the units of every equation of m from its operands',
// infers the units of the variables that declare none, and reports every
// mismatch (docs/units.md). m is the declaration as read, arrays not
// expanded; Check does not modify it.
//
// Names in equations that are neither variables nor builtins are left to
// the compiler to report; their units are not known, and an expression
// whose units are not known is not checked.
func Check(m *decl.Model) *Info {
	c := newChecker(m)
	c.infer()
	c.report = true
	for _, vs := range c.order {
		c.visit(vs)
	}
	c.errs.RemoveDuplicates()
	in := &Info{Errors: c.errs, Mode: Mode(m), byName: make(map[string]*Var, len(c.order))}
	if c.timeKnown {
		in.TimeUnits = m.TimeUnits
	}
	for _, vs := range c.order {
		v := &Var{Name: vs.v.Name, Kind: vs.v.Kind.String(), Declared: vs.declared, Source: vs.source}
		if vs.known {
			v.Units = c.display(vs)
		}
		if vs.v.Kind == decl.Lookup {
			v.XDeclared, v.XSource = vs.xdeclared, vs.xsource
			if vs.xknown {
				v.XUnits = c.sys.Format(vs.xu)
				if vs.xdeclared {
					v.XUnits = vs.v.XUnits
				}
			}
		}
		in.Vars = append(in.Vars, v)
		if _, dup := in.byName[v.Name]; !dup {
			in.byName[v.Name] = v
		}
	}
	return in
}

// vstate is what the checker knows of one variable.
type vstate struct {
	v        *decl.Var
	u        Units
	known    bool
	declared bool
	bad      bool // its declared units do not parse
	source   string

	// A lookup's input.
	xu        Units
	xknown    bool
	xdeclared bool
	xbad      bool
	xsource   string

	users  []*vstate // variables whose equations name this one
	queued bool
}

// display returns a variable's units as the model spells them when it
// declares them, else in the model's own units (System.Format).
func (c *checker) display(vs *vstate) string {
	if vs.declared {
		return strings.TrimSpace(vs.v.Units)
	}
	return c.sys.Format(vs.u)
}

// The kinds of a type: the units of an expression may be unknown, known,
// or those of a bare number, which takes the units its context needs.
const (
	kUnknown = iota
	kKnown
	kPoly
)

type ty struct {
	u Units
	k uint8
}

var (
	unknownTy = ty{}
	polyTy    = ty{u: Units{}, k: kPoly}
	dmnlTy    = ty{u: Dimensionless(), k: kKnown}
)

// factor returns the units t contributes to a product: a bare number's
// are dimensionless, of unknown scale.
func (t ty) factor() Units {
	if t.k == kPoly {
		return Units{}
	}
	return t.u
}

type checker struct {
	m         *decl.Model
	sys       *System
	vars      map[string]*vstate
	order     []*vstate
	time      Units
	timeKnown bool
	report    bool
	errs      syntax.ErrorList

	queue []*vstate

	// The equation being checked.
	cur *vstate
	eq  *decl.Equation
	key string
}

func newChecker(m *decl.Model) *checker {
	sys, errs := NewSystem(m.Units)
	errs = append(errs, sys.Resolve()...)
	c := &checker{m: m, sys: sys, vars: make(map[string]*vstate, len(m.Vars)), errs: errs}
	if tu := strings.TrimSpace(m.TimeUnits); tu != "" {
		u, err := sys.Parse(tu)
		if err != nil {
			pos := m.TimeUnitsPos
			if !pos.IsValid() {
				pos = syntax.Pos{File: m.File}
			}
			c.errs.Addf(pos, "time_units", "units: cannot read time_units %q: %v", m.TimeUnits, err)
		} else {
			c.time, c.timeKnown = u, true
		}
	}
	for _, v := range m.Vars {
		vs := &vstate{v: v}
		if _, dup := c.vars[v.Name]; !dup {
			c.vars[v.Name] = vs
		}
		c.order = append(c.order, vs)
		vs.u, vs.declared, vs.bad, vs.source = c.declared(v, v.Units, "units")
		vs.known = vs.declared && !vs.bad
		if v.Kind == decl.Lookup {
			vs.xu, vs.xdeclared, vs.xbad, vs.xsource = c.declared(v, v.XUnits, "x_units")
			vs.xknown = vs.xdeclared && !vs.xbad
		}
		if v.Kind == decl.Data && c.timeKnown {
			// A data variable's x is the time.
			vs.xu, vs.xknown, vs.xsource = c.time, true, "the time"
		}
	}
	// Who uses whom, so that an inference revisits the equations it can
	// help.
	for _, vs := range c.order {
		seen := map[*vstate]bool{}
		for _, eq := range equations(vs.v) {
			syntax.Walk(eq.eq.Expr, func(e syntax.Expr) bool {
				var name string
				switch e := e.(type) {
				case *syntax.Ident:
					name = e.Name
				case *syntax.Call:
					name = e.Fn.Name
				}
				if u := c.vars[name]; u != nil && u != vs && !seen[u] {
					seen[u] = true
					u.users = append(u.users, vs)
				}
				return true
			})
		}
	}
	return c
}

// declared parses a variable's units field (units or x_units).
func (c *checker) declared(v *decl.Var, text, field string) (u Units, declared, bad bool, source string) {
	if strings.TrimSpace(text) == "" {
		return Units{}, false, false, ""
	}
	pos := v.FieldPosOr(field)
	u, err := c.sys.Parse(text)
	if err != nil {
		c.errs.Addf(pos, v.Key+"."+field, "units: cannot read %q: %v", text, err)
		return Units{}, true, true, "declared at " + pos.String()
	}
	return u, true, false, "declared at " + pos.String()
}

// element is one equation of a variable, with its key.
type element struct {
	eq  *decl.Equation
	key string
}

// equations returns the equations of v that have a tree: its equation
// or initial value, and one per element.
func equations(v *decl.Var) []element {
	var out []element
	base, field := v.Key, ""
	switch v.Kind {
	case decl.Stock:
		base, field = v.Key+".initial", "initials"
	case decl.Flow, decl.Aux:
		base, field = v.Key+".eq", "eqs"
	case decl.Param:
		field = "values"
	}
	if v.Eq.Expr != nil {
		out = append(out, element{&v.Eq, base})
	}
	for i := range v.ElementEqs {
		e := &v.ElementEqs[i]
		if e.Eq.Expr != nil {
			out = append(out, element{&e.Eq, v.Key + "." + field + "." + strings.Join(e.Elements, ",")})
		}
	}
	return out
}

// infer finds the units of the variables that declare none, visiting
// each variable's equations until nothing more can be inferred: a
// variable whose units become known puts itself, its users and its
// stock or flows back on the queue.
func (c *checker) infer() {
	for _, vs := range c.order {
		c.push(vs)
	}
	for len(c.queue) > 0 {
		vs := c.queue[0]
		c.queue = c.queue[1:]
		vs.queued = false
		c.visit(vs)
	}
}

func (c *checker) push(vs *vstate) {
	if !vs.queued {
		vs.queued = true
		c.queue = append(c.queue, vs)
	}
}

// learn records that vs has units u, inferred from source.
func (c *checker) learn(vs *vstate, u Units, source string) {
	if vs.known || vs.declared {
		return
	}
	vs.u, vs.known, vs.source = u, true, "inferred from "+source
	c.changed(vs)
}

// learnX records that the lookup vs takes input in units u.
func (c *checker) learnX(vs *vstate, u Units, source string) {
	if vs.xknown || vs.xdeclared {
		return
	}
	vs.xu, vs.xknown, vs.xsource = u, true, "inferred from "+source
	c.changed(vs)
}

func (c *checker) changed(vs *vstate) {
	c.push(vs)
	for _, u := range vs.users {
		c.push(u)
	}
	for _, f := range append(append([]string(nil), vs.v.Inflows...), vs.v.Outflows...) {
		if fs := c.vars[f]; fs != nil {
			c.push(fs)
		}
	}
	if vs.v.Kind == decl.Flow {
		for _, s := range c.order {
			if s.v.Kind == decl.Stock && (contains(s.v.Inflows, vs.v.Name) || contains(s.v.Outflows, vs.v.Name)) {
				c.push(s)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// errorf reports a problem at offset off of the current equation, in
// the report pass.
func (c *checker) errorf(off int, format string, args ...any) {
	if c.report {
		c.errs.Addf(c.eq.PosAt(off), c.key, "units: "+format, args...)
	}
}

// visit checks (or, before the report pass, infers from) the equations
// of vs, and its stock's or flows' units.
func (c *checker) visit(vs *vstate) {
	for _, el := range equations(vs.v) {
		c.cur, c.eq, c.key = vs, el.eq, el.key
		var want *Units
		if vs.known {
			want = &vs.u
		}
		t := c.expr(el.eq.Expr, want)
		if t.k != kKnown {
			continue
		}
		switch {
		case !vs.known && !vs.declared:
			what := "its equation"
			if vs.v.Kind == decl.Stock {
				what = "its initial value"
			}
			c.learn(vs, t.u, what+" at "+el.eq.PosAt(el.eq.Expr.Start()).String())
		case vs.known && !t.u.Equal(vs.u):
			c.errorf(el.eq.Expr.Start(), "%s is %s, but %s is %s%s", c.show(el.eq.Expr), c.sys.Format(t.u), vs.v.Name, c.display(vs), c.why(vs)+mismatchHint(t.u, vs.u))
		}
	}
	if vs.v.Kind == decl.Stock {
		c.stock(vs)
	}
}

// stock relates a stock's units to its flows': a flow is the stock's
// units per time unit.
func (c *checker) stock(s *vstate) {
	if !c.timeKnown {
		return
	}
	for _, dir := range []struct {
		flows []string
		what  string
		verb  string
	}{{s.v.Inflows, "an inflow", "fills"}, {s.v.Outflows, "an outflow", "drains"}} {
		for _, name := range dir.flows {
			f := c.vars[name]
			if f == nil || f.v.Kind != decl.Flow {
				continue
			}
			switch {
			case s.known && !f.known:
				c.learn(f, s.u.Div(c.time), fmt.Sprintf("stock %s, which it %s", s.v.Name, dir.verb))
			case f.known && !s.known:
				c.learn(s, f.u.Mul(c.time), fmt.Sprintf("its flow %s", f.v.Name))
			case s.known && f.known && c.report:
				want := s.u.Div(c.time)
				if f.u.Equal(want) {
					continue
				}
				pos, key := f.v.FieldPosOr("units"), f.v.Key+".units"
				if !f.declared {
					pos, key = f.v.FieldPosOr("eq"), f.v.Key+".eq"
					if f.v.Eq.Expr != nil {
						pos = f.v.Eq.PosAt(f.v.Eq.Expr.Start())
					}
				}
				c.errs.Addf(pos, key, "units: %s is %s%s, but as %s of %s (%s) it must be %s: the stock's units per time unit (%s)%s",
					f.v.Name, c.display(f), c.why(f), dir.what, s.v.Name, c.display(s), c.sys.Format(want), c.m.TimeUnits, mismatchHint(f.u, want))
			}
		}
	}
}

// why explains where an inferred variable's units come from, for a
// message; "" for declared ones.
func (c *checker) why(vs *vstate) string {
	if vs.declared || !vs.known {
		return ""
	}
	return " (" + vs.source + ")"
}

// mismatchHint adds a word when two units differ only in scale.
func mismatchHint(got, want Units) string {
	if got.SameDims(want) {
		return fmt.Sprintf("; the scales differ (%s against %s): convert with a factor", formatScale(got.Scale), formatScale(want.Scale))
	}
	return ""
}

// show prints an expression for a message, shortened when long.
func (c *checker) show(e syntax.Expr) string {
	s := syntax.Print(e)
	if len(s) > 48 {
		s = s[:45] + "..."
	}
	return s
}

// describe says what an operand is, for a message: "capital is million
// USD", with where an inferred variable's units come from.
func (c *checker) describe(e syntax.Expr, t ty) string {
	s := c.show(e) + " is " + c.sys.Format(t.u)
	id, ok := syntax.Unparen(e).(*syntax.Ident)
	if ix, isIndex := syntax.Unparen(e).(*syntax.Index); isIndex {
		id, ok = ix.X, true
	}
	if ok {
		if vs := c.vars[id.Name]; vs != nil && vs.known {
			s = c.show(e) + " is " + c.display(vs) + c.why(vs)
		}
	}
	return s
}

// expr returns the units of e. want, when not nil, is the units the
// context needs, from which a variable without units in e may be
// inferred.
func (c *checker) expr(e syntax.Expr, want *Units) ty {
	switch e := e.(type) {
	case *syntax.Num:
		return polyTy
	case *syntax.Ident:
		return c.ident(e, want)
	case *syntax.Index:
		for _, s := range e.Subs {
			if _, isVar := c.vars[identName(s)]; isVar {
				c.expr(s, nil)
			}
		}
		return c.ident(e.X, want)
	case *syntax.Paren:
		return c.expr(e.X, want)
	case *syntax.Unary:
		if e.Op == syntax.NOT {
			c.expr(e.X, nil)
			return dmnlTy
		}
		return c.expr(e.X, want)
	case *syntax.Binary:
		return c.binary(e, want)
	case *syntax.If:
		c.expr(e.Cond, nil)
		return c.same(e, "the branches of if", []syntax.Expr{e.Then, e.Else}, want)
	case *syntax.Call:
		return c.call(e, want)
	}
	return unknownTy
}

func identName(e syntax.Expr) string {
	if id, ok := e.(*syntax.Ident); ok {
		return id.Name
	}
	return ""
}

// ident returns the units of a name: a variable, or a builtin read as a
// value (time, dt, pi, ...).
func (c *checker) ident(e *syntax.Ident, want *Units) ty {
	if vs := c.vars[e.Name]; vs != nil {
		if vs.v.Kind == decl.Lookup {
			return unknownTy
		}
		if vs.known {
			return ty{u: vs.u, k: kKnown}
		}
		if want != nil && !vs.declared && c.cur != nil {
			c.learn(vs, *want, "its use in "+c.key+" at "+c.eq.PosAt(e.At).String())
			if vs.known {
				return ty{u: vs.u, k: kKnown}
			}
		}
		return unknownTy
	}
	if r, ok := rules[strings.ToLower(e.Name)]; ok && len(r.args) == 0 {
		return c.result(r, ty{}, nil)
	}
	return unknownTy
}

// same returns the units of operands that need like units (the terms of
// a sum, the branches of an if, the arguments of max), reporting each that
// differs from the first whose units are known; what names them.
func (c *checker) same(at syntax.Expr, what string, args []syntax.Expr, want *Units) ty {
	ts := make([]ty, len(args))
	ref := -1
	poly := false
	for i, a := range args {
		ts[i] = c.expr(a, want)
		if ts[i].k == kKnown && ref < 0 {
			ref = i
		}
		poly = poly || ts[i].k == kPoly
	}
	if ref < 0 {
		if poly && len(args) > 0 && allPoly(ts) {
			return polyTy
		}
		return unknownTy
	}
	for i, a := range args {
		if ts[i].k == kUnknown && want == nil {
			ts[i] = c.expr(a, &ts[ref].u)
		}
	}
	for i := range args {
		if i == ref || ts[i].k != kKnown || ts[i].u.Equal(ts[ref].u) {
			continue
		}
		x, y := ref, i
		if y < x {
			x, y = y, x
		}
		c.errorf(args[i].Start(), "%s, but %s: %s need like units%s", c.describe(args[y], ts[y]), c.describe(args[x], ts[x]), what, mismatchHint(ts[y].u, ts[x].u))
	}
	return ts[ref]
}

func allPoly(ts []ty) bool {
	for _, t := range ts {
		if t.k != kPoly {
			return false
		}
	}
	return true
}

// binary returns the units of an infix operation.
func (c *checker) binary(e *syntax.Binary, want *Units) ty {
	switch e.Op {
	case syntax.ADD, syntax.SUB:
		return c.same(e, "the terms of a sum", []syntax.Expr{e.X, e.Y}, want)
	case syntax.MOD:
		return c.same(e, "the operands of mod", []syntax.Expr{e.X, e.Y}, want)
	case syntax.EQL, syntax.NEQ, syntax.LSS, syntax.LEQ, syntax.GTR, syntax.GEQ:
		c.same(e, "the sides of a comparison", []syntax.Expr{e.X, e.Y}, nil)
		return dmnlTy
	case syntax.AND, syntax.OR:
		c.expr(e.X, nil)
		c.expr(e.Y, nil)
		return dmnlTy
	case syntax.MUL, syntax.QUO:
		l, r := c.expr(e.X, nil), c.expr(e.Y, nil)
		if want != nil {
			if l.k != kUnknown && r.k == kUnknown {
				w := want.Div(l.factor())
				if e.Op == syntax.QUO {
					w = l.factor().Div(*want)
				}
				r = c.expr(e.Y, &w)
			}
			if r.k != kUnknown && l.k == kUnknown {
				w := want.Div(r.factor())
				if e.Op == syntax.QUO {
					w = want.Mul(r.factor())
				}
				l = c.expr(e.X, &w)
			}
		}
		switch {
		case l.k == kUnknown || r.k == kUnknown:
			return unknownTy
		case l.k == kPoly && r.k == kPoly:
			return polyTy
		case e.Op == syntax.MUL:
			return ty{u: l.factor().Mul(r.factor()), k: kKnown}
		default:
			return ty{u: l.factor().Div(r.factor()), k: kKnown}
		}
	case syntax.POW:
		return c.power(e)
	}
	return unknownTy
}

// power returns the units of x ^ y: y must be dimensionless, and x too
// unless y is a constant (a number, or a param without units).
func (c *checker) power(e *syntax.Binary) ty {
	base := c.expr(e.X, nil)
	one := Dimensionless()
	exp := c.expr(e.Y, &one)
	if exp.k == kKnown && !exp.u.IsDimensionless() {
		c.errorf(e.Y.Start(), "%s: the exponent %s is %s; an exponent must be dimensionless", c.show(e), c.show(e.Y), c.sys.Format(exp.u))
	}
	if base.k != kKnown {
		return base
	}
	n, isConst := c.constant(e.Y)
	if base.u.IsDimensionless() {
		if !isConst || base.u.Scale == 0 {
			return ty{u: Units{}, k: kKnown}
		}
		return ty{u: Units{Scale: math.Pow(base.u.Scale, n)}, k: kKnown}
	}
	if !isConst {
		c.errorf(e.Start(), "%s: %s, and a power of units needs a constant exponent (a number)", c.show(e), c.describe(e.X, base))
		return unknownTy
	}
	for q := 1; q <= 4; q++ {
		p := n * float64(q)
		if p == math.Round(p) && math.Abs(p) <= 100 {
			r, ok := base.u.Root(q)
			if !ok {
				break
			}
			return ty{u: r.Pow(int(p)), k: kKnown}
		}
	}
	c.errorf(e.Start(), "%s: %s, which cannot be raised to the power %s", c.show(e), c.describe(e.X, base), ff(n))
	return unknownTy
}

func ff(x float64) string { return fmt.Sprint(x) }

// constant returns the value of an exponent that is a constant: a
// number, a sign, a quotient or product of constants, or a scalar param.
func (c *checker) constant(e syntax.Expr) (float64, bool) {
	switch e := e.(type) {
	case *syntax.Num:
		return e.Value, true
	case *syntax.Paren:
		return c.constant(e.X)
	case *syntax.Unary:
		x, ok := c.constant(e.X)
		if e.Op == syntax.SUB {
			x = -x
		}
		return x, ok && e.Op != syntax.NOT
	case *syntax.Binary:
		x, okx := c.constant(e.X)
		y, oky := c.constant(e.Y)
		switch {
		case !okx || !oky:
			return 0, false
		case e.Op == syntax.MUL:
			return x * y, true
		case e.Op == syntax.QUO && y != 0:
			return x / y, true
		}
	case *syntax.Ident:
		if vs := c.vars[e.Name]; vs != nil && vs.v.Kind == decl.Param && len(vs.v.Dims) == 0 && vs.v.Eq.Expr == nil {
			return vs.v.Value, true
		}
	}
	return 0, false
}

// call returns the units of a call of a lookup or a builtin.
func (c *checker) call(e *syntax.Call, want *Units) ty {
	if vs := c.vars[e.Fn.Name]; vs != nil {
		if vs.v.Kind != decl.Lookup || len(e.Args) != 1 {
			for _, a := range e.Args {
				c.expr(a, nil)
			}
			return unknownTy
		}
		return c.lookup(e, vs, e.Args[0], want)
	}
	name := strings.ToLower(e.Fn.Name)
	r, ok := rules[name]
	if !ok {
		for _, a := range e.Args {
			c.expr(a, nil)
		}
		return unknownTy
	}
	if r.res == rLookup {
		if len(e.Args) != 2 {
			return unknownTy
		}
		vs := c.vars[identName(e.Args[0])]
		if vs == nil || vs.v.Kind != decl.Lookup {
			return unknownTy
		}
		return c.lookup(e, vs, e.Args[1], want)
	}
	return c.builtin(e, name, r, want)
}

// lookup returns the units of a lookup's output at x, checking x
// against the lookup's input units.
func (c *checker) lookup(call *syntax.Call, vs *vstate, x syntax.Expr, want *Units) ty {
	var xw *Units
	if vs.xknown {
		xw = &vs.xu
	}
	t := c.expr(x, xw)
	if t.k == kKnown {
		switch {
		case vs.xknown && !t.u.Equal(vs.xu):
			xs := c.sys.Format(vs.xu)
			if vs.xdeclared {
				xs = vs.v.XUnits
			}
			c.errorf(x.Start(), "%s: %s, but lookup %s takes x in %s (%s)%s", c.show(call), c.describe(x, t), vs.v.Name, xs, vs.xsource, mismatchHint(t.u, vs.xu))
		case !vs.xknown && !vs.xdeclared:
			c.learnX(vs, t.u, "its use in "+c.key+" at "+c.eq.PosAt(x.Start()).String())
		}
	}
	if vs.known {
		return ty{u: vs.u, k: kKnown}
	}
	if want != nil && !vs.declared {
		c.learn(vs, *want, "its use in "+c.key+" at "+c.eq.PosAt(call.Start()).String())
		if vs.known {
			return ty{u: vs.u, k: kKnown}
		}
	}
	return unknownTy
}

// builtin applies a builtin's units rule to a call.
func (c *checker) builtin(e *syntax.Call, name string, r rule, want *Units) ty {
	var group []syntax.Expr
	for i, a := range e.Args {
		if r.arg(i).kind == aX {
			group = append(group, a)
		}
	}
	// The units the context needs of the group, when it says.
	var gw *Units
	if want != nil {
		switch r.res {
		case rX:
			gw = want
		case rXPerTime:
			if c.timeKnown {
				w := want.Mul(c.time)
				gw = &w
			}
		case rXTimesTime:
			if c.timeKnown {
				w := want.Div(c.time)
				gw = &w
			}
		}
	}
	x := unknownTy
	if r.res != rQuotient && len(group) > 0 {
		x = c.same(e, "the "+r.groupName(len(group))+" of "+name, group, gw)
	}
	var q ty
	if r.res == rQuotient && len(e.Args) >= 2 {
		a, b := c.expr(e.Args[0], nil), c.expr(e.Args[1], nil)
		switch {
		case a.k == kUnknown || b.k == kUnknown:
			q = unknownTy
		case a.k == kPoly && b.k == kPoly:
			q = polyTy
		default:
			q = ty{u: a.factor().Div(b.factor()), k: kKnown}
		}
		if len(e.Args) > 2 {
			var qw *Units
			if q.k == kKnown {
				qw = &q.u
			}
			alt := c.expr(e.Args[2], qw)
			if q.k == kKnown && alt.k == kKnown && !alt.u.Equal(q.u) {
				c.errorf(e.Args[2].Start(), "%s: %s, but %s / %s is %s: the %s must have the quotient's units%s",
					c.show(e), c.describe(e.Args[2], alt), c.show(e.Args[0]), c.show(e.Args[1]), c.sys.Format(q.u), r.arg(2).name, mismatchHint(alt.u, q.u))
			}
		}
		return q
	}
	for i, a := range e.Args {
		spec := r.arg(i)
		var need Units
		switch spec.kind {
		case aX:
			continue
		case aAny:
			c.expr(a, nil)
			continue
		case aDmnl:
			need = Dimensionless()
		case aTime, aPerTime:
			if !c.timeKnown {
				c.expr(a, nil)
				continue
			}
			need = c.time
			if spec.kind == aPerTime {
				need = Dimensionless().Div(c.time)
			}
		}
		t := c.expr(a, &need)
		if t.k != kKnown {
			continue
		}
		if spec.kind == aDmnl {
			if !t.u.IsDimensionless() {
				c.errorf(a.Start(), "%s: the %s %s, but %s needs it dimensionless", c.show(e), spec.name, c.describe(a, t), name)
			}
			continue
		}
		if !t.u.Equal(need) {
			c.errorf(a.Start(), "%s: the %s %s, but must be in %s (time_units %s)%s", c.show(e), spec.name, c.describe(a, t), c.sys.Format(need), c.m.TimeUnits, mismatchHint(t.u, need))
		}
	}
	if r.res == rSqrt && x.k == kKnown {
		if _, ok := x.u.Root(2); !ok {
			c.errorf(e.Start(), "%s: %s, which has no square root in whole powers", c.show(e), c.describe(group[0], x))
		}
	}
	return c.result(r, x, want)
}

// result returns the units of a builtin's value given its group's.
func (c *checker) result(r rule, x ty, want *Units) ty {
	switch r.res {
	case rX:
		return x
	case rDmnl:
		return dmnlTy
	case rPoly:
		return polyTy
	case rTime:
		if c.timeKnown {
			return ty{u: c.time, k: kKnown}
		}
	case rPerTime:
		if c.timeKnown {
			return ty{u: Dimensionless().Div(c.time), k: kKnown}
		}
	case rXPerTime:
		if x.k == kKnown && c.timeKnown {
			return ty{u: x.u.Div(c.time), k: kKnown}
		}
		if x.k == kPoly {
			return polyTy
		}
	case rXTimesTime:
		if x.k == kKnown && c.timeKnown {
			return ty{u: x.u.Mul(c.time), k: kKnown}
		}
		if x.k == kPoly {
			return polyTy
		}
	case rSqrt:
		if x.k != kKnown {
			return x
		}
		if u, ok := x.u.Root(2); ok {
			return ty{u: u, k: kKnown}
		}
		return unknownTy
	}
	return unknownTy
}
