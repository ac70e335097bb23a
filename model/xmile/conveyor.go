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
// run: everything but its transit time <len>, its <capacity> and
// <in_limit>, linear leakage flows, the flags that concern a queue
// upstream, and discreteness where it changes nothing (docs/xmile.md,
// Conveyors); and more than one outflow that is not a leak.
func (r *reader) checkConveyor(x *xvar, v *decl.Var, c *node) {
	name := x.sc.path + x.raw
	if c.child("len") == nil {
		r.errorf(c.start, v.Key, "conveyor %q has no <len> (its transit time)", name)
	}
	for _, o := range c.children {
		if o.prefix != "" || o.name == "len" || o.name == "capacity" || o.name == "in_limit" {
			continue
		}
		switch {
		case o.name == "batch_integrity" || o.name == "one_at_a_time":
			// They concern a queue upstream; takesAll reads them.
		case o.name == "discrete" && (falseFlag(r.doc.str(o)) || discreteAlike(r, x)):
		case o.name == "exponential_leak" && falseFlag(r.doc.str(o)):
		case o.name == "discrete":
			r.errorf(o.start, v.Key, "conveyor %q: <discrete> is not supported for a conveyor that starts with contents or has an <in_limit> (a discrete conveyor places its initial contents and fills its inflow limit by whole time units)", name)
		default:
			r.errorf(o.start, v.Key, "conveyor %q: <%s> is not supported; stockflow runs a conveyor as a pipeline delay of its inflows by <len>, with linear leakage, capacity and inflow limit, without arrest, transit-time sampling or exponential leakage", name, o.name)
		}
	}
	// The XMILE specification writes the flags as attributes.
	for _, a := range []string{"discrete", "exponential_leak"} {
		text, ok := c.attr(a)
		switch {
		case !ok || falseFlag(text):
		case a == "discrete" && !discreteAlike(r, x):
			r.errorf(c.start, v.Key, "conveyor %q: discrete=%q is not supported for a conveyor that starts with contents or has an <in_limit> (a discrete conveyor places its initial contents and fills its inflow limit by whole time units)", name, text)
		case a == "exponential_leak":
			r.errorf(c.start, v.Key, "conveyor %q: %s=%q is not supported; stockflow runs a conveyor as a pipeline delay of its inflows by <len>, with linear leakage, capacity and inflow limit, without arrest, transit-time sampling or exponential leakage", name, a, text)
		}
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
	sum := "0"
	if names := namesBefore(r.listed(c, "inflow"), nil); len(names) > 0 {
		sum = strings.Join(names, " + ")
	}
	in = []any{"(" + sum + ")"}
	for _, t := range r.listed(c, "outflow") {
		if t.leakOf == c {
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
	r.warnVarying(c.sc, c.n.child("conveyor").child("len"), "stocks."+c.name+".conveyor.len", "the transit time <len> of conveyor "+strconv.Quote(c.sc.path+c.raw))
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

// leakFraction reads a leakage flow's leakage fraction: the text of its
// <leak> element, as the XMILE specification writes it
// (<leak>0.1</leak>), or else its <eqn>.
func (r *reader) leakFraction(l *xvar) decl.Equation {
	if ln := l.n.child("leak"); ln != nil {
		if text := strings.TrimSpace(r.doc.str(ln)); text != "" && !strings.EqualFold(text, "true") {
			return r.equation(ln, l, "flows."+l.name+".leak", "")
		}
	}
	n := l.n.child("eqn")
	if n == nil {
		r.errorf(l.n.start, "flows."+l.name+".eq", "leakage flow %q has no <eqn>: give its leakage fraction, the part of what enters the conveyor that leaks", l.sc.path+l.raw)
		return decl.Equation{}
	}
	return r.equation(n, l, "flows."+l.name+".eq", "")
}

// zoneEnd reads a leakage flow's <leak_start> or <leak_end>, or the
// attribute of that name (as the XMILE specification writes them), a
// fraction of the conveyor's length, or returns def.
func (r *reader) zoneEnd(l *xvar, v *decl.Var, tag string, def float64) (float64, bool) {
	n := l.n.child(tag)
	if n == nil {
		text, ok := l.n.attr(tag)
		if !ok {
			return def, true
		}
		text = strings.TrimSpace(text)
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > 1 {
			r.errorf(l.n.start, v.Key+"."+tag, "%s=%q; expected a number from 0 to 1, a fraction of the conveyor's length", tag, text)
			return 0, false
		}
		return f, true
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
	fn := x.n.child("leak")
	if t := strings.TrimSpace(r.doc.str(fn)); t == "" || strings.EqualFold(t, "true") {
		fn = x.n.child("eqn")
	}
	r.warnVarying(x.sc, fn, v.Key+".eq", "the leakage fraction of "+strconv.Quote(name))
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

// limitInflow limits the equation of x, an inflow of a conveyor with a
// <capacity> or an <in_limit>, to what the conveyor takes: the inflows
// enter in the order the conveyor lists them, each what it asks (not
// less than 0) as long as there is room, max(0, min(eq, room - (earlier
// inflows))). The room in a step is min(in_limit, (capacity -
// conveyor) / dt + outflow + leakage flows): what the conveyor may take
// in per time unit, and what keeps its contents at the end of the step
// within the capacity, counting what leaves it in the same step. What is
// not taken stays upstream.
func (r *reader) limitInflow(x *xvar, v *decl.Var) {
	c := x.into
	name := x.sc.path + x.raw
	cname := c.sc.path + c.raw
	switch {
	case x.conveyor != nil || x.leakOf != nil:
		from := x.conveyor
		if from == nil {
			from = x.leakOf
		}
		r.errorf(x.n.start, v.Key, "flow %q leaves conveyor %q and enters conveyor %q, which has a capacity or an inflow limit; stockflow cannot hold back what leaves a conveyor", name, from.sc.path+from.raw, cname)
		return
	case x.queueOf != nil && !takesAll(r, c):
		return // refused by checkQueue
	case len(v.ElementEqs) > 0:
		r.errorf(x.n.start, v.Key, "flow %q, defined element by element, enters conveyor %q, which has a capacity or an inflow limit; stockflow limits only an inflow with one equation for all its elements", name, cname)
		return
	case v.Eq.Expr == nil:
		return
	}
	room := r.conveyorRoom(c)
	if room == nil {
		return
	}
	parts := []any{"max(0, min(", v.Eq, ", "}
	parts = append(parts, room...)
	if earlier := namesBefore(r.listed(c, "inflow"), x); len(earlier) > 0 {
		parts = append(parts, " - ("+strings.Join(earlier, " + ")+")")
	}
	parts = append(parts, "))")
	v.Eq = r.compose(v.Key+".eq", v.Eq.Pos, parts...)
}

// conveyorRoom returns the parts of the equation of what a conveyor with
// a <capacity> or an <in_limit> can take in during a step, per time
// unit, or nil after an error.
func (r *reader) conveyorRoom(c *xvar) []any {
	cn := c.n.child("conveyor")
	var lim, capa decl.Equation
	if n := cn.child("in_limit"); n != nil {
		if lim = r.equation(n, c, "stocks."+c.name+".conveyor.in_limit", ""); lim.Expr == nil {
			return nil
		}
	}
	if n := cn.child("capacity"); n != nil {
		if capa = r.equation(n, c, "stocks."+c.name+".conveyor.capacity", ""); capa.Expr == nil {
			return nil
		}
	}
	var free []any
	if capa.Expr != nil {
		free = []any{"(", capa, " - " + c.name + ") / dt"}
		for _, t := range r.listed(c, "outflow") {
			if t.conveyor == c || t.leakOf == c {
				free = append(free, " + "+t.name)
			}
		}
	}
	switch {
	case lim.Expr != nil && capa.Expr != nil:
		return append(append([]any{"min(", lim, ", "}, free...), ")")
	case lim.Expr != nil:
		return []any{"(", lim, ")"}
	}
	return append(append([]any{"("}, free...), ")")
}

// limited reports whether conveyor c has a <capacity> or an <in_limit>.
func limited(c *xvar) bool {
	cn := c.n.child("conveyor")
	return cn.child("capacity") != nil || cn.child("in_limit") != nil
}

// checkQueue refuses the queues stockflow does not run: a queue that is
// also a conveyor, or that feeds a conveyor that does not take all that
// fits (takesAll).
func (r *reader) checkQueue(x *xvar, v *decl.Var, q *node) {
	name := x.sc.path + x.raw
	if c := x.n.child("conveyor"); c != nil {
		r.errorf(c.start, v.Key, "stock %q is both a queue and a conveyor; make it one or the other", name)
		return
	}
	for _, f := range x.n.all("outflow") {
		t, ok := x.sc.vars[key(strings.Trim(r.doc.str(f), `"`))]
		if !ok {
			continue
		}
		if t.into != nil && !takesAll(r, t.into) {
			r.errorf(f.start, v.Key, "queue %q feeds conveyor %q through %q; stockflow runs a queue upstream of a conveyor only when the conveyor takes multiple batches (one_at_a_time=\"false\"), splits them (no batch integrity), has no <in_limit> and starts empty", name, t.into.sc.path+t.into.raw, t.sc.path+t.raw)
		}
	}
}

// takesAll reports whether conveyor c, fed by a queue, takes all the
// queue offers that fits, whatever the batches: it accepts multiple
// batches each step (one_at_a_time false, as an attribute or an
// element), may split them (batch_integrity not true), has no inflow
// limit (a discrete conveyor's is per whole time unit) and holds 0 at
// the start (a discrete conveyor places its initial contents by time
// unit).
func takesAll(r *reader, c *xvar) bool {
	cn := c.n.child("conveyor")
	flag := func(name string) (string, bool) {
		if e := cn.child(name); e != nil {
			if text := strings.TrimSpace(r.doc.str(e)); text != "" {
				return text, true
			}
			return "true", true
		}
		return cn.attr(name)
	}
	one, ok := flag("one_at_a_time")
	if !ok || !falseFlag(one) {
		return false
	}
	if bi, ok := flag("batch_integrity"); ok && !falseFlag(bi) {
		return false
	}
	return discreteAlike(r, c)
}

// discreteAlike reports whether conveyor c runs the same discrete or
// continuous: a discrete conveyor differs in placing its initial contents
// by whole time units and in filling its inflow limit per whole time
// unit, so one that starts empty and has no inflow limit does not.
func discreteAlike(r *reader, c *xvar) bool {
	if c.n.child("conveyor").child("in_limit") != nil {
		return false
	}
	init, err := strconv.ParseFloat(strings.TrimSpace(r.doc.str(c.n.child("eqn"))), 64)
	return err == nil && init == 0
}

// queueOutflow returns the equation of a queue's outflow. A queue whose
// outflow goes to a plain stock or a cloud is not held back, so its
// outflow empties it every step: all it holds and all that flows in
// during the step, queue / dt + (inflow1 + inflow2 + ...), whatever
// equation the file gives the outflow. The batches the queue keeps apart
// leave together, so their order does not matter. The outflows take in
// the order the queue lists them (XMILE's outflow priority), each what
// the ones before it left, max(0, queue / dt + (inflows) - (earlier
// outflows)): after an outflow to a plain stock nothing is left, and a
// later one (an <overflow/> or not) takes what a conveyor's capacity
// refused. Into a conveyor that
// takes all that fits (takesAll), that is what the outflow asks, and
// limitInflow limits it to the conveyor's room; what does not fit stays
// in the queue, and the conveyor takes it from the front, so the order
// of the batches still changes no number.
func (r *reader) queueOutflow(x *xvar, v *decl.Var) decl.Equation {
	q := x.queueOf
	pos := r.pos(x.n.start)
	if e := x.n.child("eqn"); e != nil && strings.TrimSpace(r.doc.str(e)) != "" {
		r.warnf(e.start, v.Key+".eq", "outflow %q of queue %q: its <eqn> is not used; a queue's outflow to a plain stock or a cloud empties the queue every step (XMILE 1.0, Queues)", x.sc.path+x.raw, q.sc.path+q.raw)
	}
	parts := []any{q.name + " / dt"}
	if in := namesBefore(r.listed(q, "inflow"), nil); len(in) > 0 {
		parts = append(parts, " + ("+strings.Join(in, " + ")+")")
	}
	if earlier := namesBefore(r.listed(q, "outflow"), x); len(earlier) > 0 {
		parts = append(append([]any{"max(0, "}, parts...), " - ("+strings.Join(earlier, " + ")+"))")
	}
	return r.compose(v.Key+".eq", pos, parts...)
}

// fixedText reports whether the XMILE equation text, read in scope sc,
// stays the same throughout a run, as far as the reader can tell: it is
// made of numbers, arithmetic, init(…), dt and names of auxes whose own
// equations are fixed (a list of numbers for an arrayed one). What it
// cannot tell, it reports as not fixed.
func (r *reader) fixedText(sc *scope, text string, depth int) bool {
	text = strings.TrimSpace(text)
	if parts := splitList(text); parts != nil {
		for _, p := range parts {
			if !r.fixedText(sc, text[p[0]:p[1]], depth) {
				return false
			}
		}
		return true
	}
	if depth > 20 {
		return false
	}
	// Translate first, as equations are, so that XMILE's operators and
	// quoted names read; names then are declared names.
	out, _, _, err := translate(text, make([]int, len(text)+1), sc, r.d, "", nil)
	if err != nil {
		return false
	}
	text = out
	e, err := syntax.Parse(text)
	if err != nil {
		return false
	}
	fixed := true
	syntax.Walk(e, func(x syntax.Expr) bool {
		if !fixed {
			return false
		}
		switch x := x.(type) {
		case *syntax.Call:
			switch strings.ToLower(x.Fn.Name) {
			case "init", "initial":
				return false // a value taken once, at the start
			case "abs", "exp", "ln", "log10", "sqrt", "min", "max", "int", "sin", "cos", "tan":
				for _, a := range x.Args {
					fixed = fixed && r.fixedText(sc, text[a.Start():a.End()], depth+1)
				}
				return false
			}
			fixed = false
		case *syntax.Index:
			fixed = false
		case *syntax.Ident:
			switch strings.ToLower(x.Name) {
			case "dt", "pi":
				return false
			}
			v, ok := r.declared(x.Name)
			if !ok || v.tag != "aux" || v.conn != nil || v.data != nil || v.n.child("gf") != nil || len(v.n.all("eqn")) != 1 || v.n.child("element") != nil {
				fixed = false
				return false
			}
			fixed = r.fixedText(v.sc, r.doc.str(v.n.child("eqn")), depth+1)
		}
		return fixed
	})
	return fixed
}

// warnVarying warns when a conveyor's transit time or a leakage fraction,
// which stockflow reads once at the start, may change during the run.
func (r *reader) warnVarying(sc *scope, n *node, key, what string) {
	if n == nil || r.fixedText(sc, r.doc.str(n), 0) {
		return
	}
	r.warnf(n.start, key, "%s may change during the run; stockflow reads it once, at the start (Stella gives each batch the value in force when it enters)", what)
}

// declared returns the entity whose declared (flattened) name is name.
func (r *reader) declared(name string) (*xvar, bool) {
	for _, x := range r.order {
		if x.name == name {
			return x, true
		}
	}
	return nil, false
}

// listed returns the flows that stock s lists as its kind, "inflow" or
// "outflow", in the order it lists them (XMILE's flow priority), leaving
// out a name that is no variable of its scope.
func (r *reader) listed(s *xvar, kind string) []*xvar {
	var fs []*xvar
	for _, f := range s.n.all(kind) {
		if t, ok := s.sc.vars[key(strings.Trim(r.doc.str(f), `"`))]; ok {
			fs = append(fs, t)
		}
	}
	return fs
}

// namesBefore returns the names of the flows of fs that come before x:
// all of them when x is not among them.
func namesBefore(fs []*xvar, x *xvar) []string {
	var names []string
	for _, t := range fs {
		if t == x {
			break
		}
		names = append(names, t.name)
	}
	return names
}
