package xmile

import (
	"math"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// falseFlag reports whether the text of a flag element such as <leak/>
// says false.
func falseFlag(text string) bool {
	return strings.EqualFold(strings.TrimSpace(text), "false")
}

// checkConveyor refuses the parts of a conveyor that stockflow does not
// run: everything but its transit time <len> and linear leakage flows
// (docs/xmile.md, Conveyors), and more than one outflow that is not a
// leak.
func (r *reader) checkConveyor(x *xvar, v *decl.Var, c *node) {
	name := x.sc.path + x.raw
	if c.child("len") == nil {
		r.errorf(c.start, v.Key, "conveyor %q has no <len> (its transit time)", name)
	}
	for _, o := range c.children {
		if o.prefix != "" || o.name == "len" {
			continue
		}
		if o.name == "discrete" || o.name == "batch_integrity" || o.name == "one_at_a_time" || o.name == "exponential_leak" {
			if falseFlag(r.doc.str(o)) {
				continue
			}
		}
		r.errorf(o.start, v.Key, "conveyor %q: <%s> is not supported; stockflow runs a conveyor as a pipeline delay of its inflows by <len>, with linear leakage, without capacity, inflow limit, arrest, exponential leakage or discrete batches", name, o.name)
	}
	main := 0
	for _, f := range x.n.all("outflow") {
		t, ok := x.sc.vars[key(strings.Trim(r.doc.str(f), `"`))]
		if !ok || t.leakOf == x {
			continue
		}
		if main++; main == 2 {
			r.errorf(f.start, v.Key, "conveyor %q has more than one outflow that is not a leak", name)
		}
	}
}

// conveyorParts returns the parts of a conveyor's equations: the sum of
// its inflows, its transit time, and its leakage flows in order.
func (r *reader) conveyorParts(c *xvar) (in []any, lenEq decl.Equation, leaks []*xvar) {
	for _, f := range c.n.all("inflow") {
		t, ok := c.sc.vars[key(strings.Trim(r.doc.str(f), `"`))]
		if !ok {
			continue
		}
		if len(in) > 0 {
			in = append(in, " + ")
		}
		in = append(in, t.name)
	}
	if len(in) == 0 {
		in = []any{"0"}
	}
	in = append(append([]any{"("}, in...), ")")
	for _, f := range c.n.all("outflow") {
		if t, ok := c.sc.vars[key(strings.Trim(r.doc.str(f), `"`))]; ok && t.leakOf == c {
			leaks = append(leaks, t)
		}
	}
	if ln := c.n.child("conveyor").child("len"); ln != nil {
		lenEq = r.equation(ln, c, c.name+".conveyor.len", "")
	}
	return in, lenEq, leaks
}

// conveyorOutflow returns the equation of a conveyor's outflow: what
// flowed in one transit time earlier, less the fractions its leakage
// flows take, delay((1 - (init(f1) + …)) * (inflows), len, init(stock) /
// len); the conveyor's initial contents leave evenly over the first
// transit time, without leaking.
func (r *reader) conveyorOutflow(x *xvar, v *decl.Var) decl.Equation {
	c := x.conveyor
	in, lenEq, leaks := r.conveyorParts(c)
	if lenEq.Expr == nil {
		return decl.Equation{}
	}
	v.FieldPos["eq"] = lenEq.Pos
	parts := []any{"delay("}
	if len(leaks) > 0 {
		parts = append(parts, "(1 - (")
		for i, l := range leaks {
			f := r.leakFraction(l)
			if f.Expr == nil {
				return decl.Equation{}
			}
			if i > 0 {
				parts = append(parts, " + ")
			}
			parts = append(parts, "init(", f, ")")
		}
		parts = append(parts, ")) * ")
	}
	parts = append(parts, in...)
	parts = append(parts, ", ", lenEq, ", init("+c.name+") / (", lenEq, "))")
	return r.compose(v.Key+".eq", lenEq.Pos, parts...)
}

// leakFraction reads a leakage flow's equation, its leakage fraction.
func (r *reader) leakFraction(l *xvar) decl.Equation {
	n := l.n.child("eqn")
	if n == nil {
		r.errorf(l.n.start, "flows."+l.name+".eq", "leakage flow %q has no <eqn>: give its leakage fraction, the part of what enters the conveyor that leaks", l.sc.path+l.raw)
		return decl.Equation{}
	}
	return r.equation(n, l, "flows."+l.name+".eq", "")
}

// zoneEnd reads a leakage flow's <leak_start> or <leak_end>, a fraction
// of the conveyor's length, or returns def.
func (r *reader) zoneEnd(l *xvar, v *decl.Var, tag string, def float64) (float64, bool) {
	n := l.n.child(tag)
	if n == nil {
		return def, true
	}
	text, offs := r.doc.trimmed(n)
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 1 {
		r.errorf(offs[0], v.Key+"."+tag, "<%s> holds %q; expected a number from 0 to 1, a fraction of the conveyor's length", tag, text)
		return 0, false
	}
	return f, true
}

// conveyorLeak returns the equation of a leakage flow of a conveyor and
// adds the stock that holds what entered the conveyor and is within the
// flow's leak zone. Linear leakage: each batch loses its leakage fraction
// f (read once, at the start) of what entered with it, evenly over the
// steps it spends in the zone, from <leak_start> to <leak_end> (fractions
// of the transit time, default 0 and 1). So the flow is init(f) times
// the zone's contents, over the zone's duration in whole steps.
func (r *reader) conveyorLeak(x *xvar, v *decl.Var) decl.Equation {
	c := x.leakOf
	name := x.sc.path + x.raw
	if l := x.n.child("leak_integers"); l != nil && !falseFlag(r.doc.str(l)) {
		r.errorf(l.start, v.Key, "leakage flow %q: <leak_integers> is not supported; stockflow leaks continuous amounts", name)
	}
	if g := x.n.child("gf"); g != nil {
		r.errorf(g.start, v.Key, "leakage flow %q has a graphical function; give its leakage fraction as a plain <eqn>", name)
		return decl.Equation{}
	}
	a, ok1 := r.zoneEnd(x, v, "leak_start", 0)
	b, ok2 := r.zoneEnd(x, v, "leak_end", 1)
	if !ok1 || !ok2 {
		return decl.Equation{}
	}
	if a >= b {
		r.errorf(x.n.start, v.Key+".leak_end", "leakage flow %q: its leak zone starts at %g and ends at %g of the conveyor; the start must come before the end", name, a, b)
		return decl.Equation{}
	}
	in, lenEq, _ := r.conveyorParts(c)
	f := r.leakFraction(x)
	if lenEq.Expr == nil || f.Expr == nil {
		return decl.Equation{}
	}
	pos := r.pos(x.n.start)
	fk := v.Key + ".eq"
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

	// The zone's contents: a stock filled by the inflows as they enter
	// the zone and drained as they leave it.
	zone := r.unique(c.name+"_"+x.name+"_zone", x.n.start, name+" (its leak zone)")
	zin := r.unique(zone+"_in", x.n.start, name+" (its leak zone's inflow)")
	zout := r.unique(zone+"_out", x.n.start, name+" (its leak zone's outflow)")
	doc := "stockflow's: what entered conveyor " + c.name + " and is within the leak zone of " + x.name
	enter := append([]any(nil), in...)
	if a > 0 {
		enter = append(append([]any{"delay("}, in...), ", "+num(a)+" * (", lenEq, "), 0)")
	}
	leave := append(append([]any{"delay("}, in...), ", "+num(b)+" * (", lenEq, "), 0)")
	zeq := r.compose(fk, pos, "0")
	// An arrayed conveyor's zone is arrayed like it, element by element.
	dims := r.varDims(c)
	zs := &decl.Var{Kind: decl.Stock, Name: zone, Key: "stocks." + zone, Pos: pos, FieldPos: map[string]syntax.Pos{}, Doc: doc, Eq: zeq, Inflows: []string{zin}, Outflows: []string{zout}}
	fin := &decl.Var{Kind: decl.Flow, Name: zin, Key: "flows." + zin, Pos: pos, FieldPos: map[string]syntax.Pos{}, Doc: doc + ": entering it", Eq: r.compose(fk, pos, enter...)}
	fout := &decl.Var{Kind: decl.Flow, Name: zout, Key: "flows." + zout, Pos: pos, FieldPos: map[string]syntax.Pos{}, Doc: doc + ": leaving it", Eq: r.compose(fk, pos, leave...)}
	if len(dims) > 0 {
		zs.Dims, fin.Dims, fout.Dims = dims, dims, dims
	}
	r.m.Vars = append(r.m.Vars, zs, fin, fout)

	// The zone's duration in whole steps, rounded as delay rounds.
	steps := func(frac float64) []any {
		return []any{"max(1, int(" + num(frac) + " * init(", lenEq, ") / dt + 0.5))"}
	}
	parts := []any{"init(", f, ") * " + zone + " / (dt * ("}
	parts = append(parts, steps(b)...)
	if a > 0 {
		parts = append(parts, " - ")
		parts = append(parts, steps(a)...)
	}
	parts = append(parts, "))")
	return r.compose(fk, f.Pos, parts...)
}
