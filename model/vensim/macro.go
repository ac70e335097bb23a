package vensim

import (
	"math"
	"strconv"
	"strings"
)

// expandMacros replaces each call of a macro by a reference to the
// output of a fresh copy of the macro's variables, named
// <macro>_<n>_<variable>, its parameters replaced by the call's
// arguments.
func (r *reader) expandMacros() {
	if len(r.macros) == 0 {
		return
	}
	for i := 0; i < len(r.seq); i++ {
		v := r.seq[i]
		for _, d := range v.defs {
			r.expandIn(d, d.rhs, 0)
		}
	}
}

// expandIn expands the macro calls in n, in place.
func (r *reader) expandIn(d *def, n *node, depth int) {
	if n == nil {
		return
	}
	r.expandIn(d, n.x, depth)
	r.expandIn(d, n.y, depth)
	for _, a := range n.args {
		r.expandIn(d, a, depth)
	}
	if n.kind != nCall {
		return
	}
	m := r.macros[n.key]
	if m == nil {
		return
	}
	if r.nInst > 1000 {
		r.errorAt(d, n.pos, "too many macro expansions (a macro that calls itself?)")
		return
	}
	if len(n.args) != len(m.params) {
		r.errorAt(d, n.pos, "macro %s takes %d arguments, got %d", m.name, len(m.params), len(n.args))
		*n = node{kind: nNum, pos: n.pos, text: "0"} // reported once
		return
	}
	if len(n.outs) > len(m.outs) {
		r.errorAt(d, n.outs[0].pos, "macro %s has %d extra outputs (after the : of its header), the call names %d", m.name, len(m.outs), len(n.outs))
		*n = node{kind: nNum, pos: n.pos, text: "0"}
		return
	}
	if m.builtin && m.key == "depreciate straightline" && !r.fiscalStep(d, n) {
		*n = node{kind: nNum, pos: n.pos, text: "0"}
		return
	}
	r.nInst++
	base := CanonicalName(m.name) + "_" + strconv.Itoa(r.nInst)
	rename := map[string]string{}
	for _, bd := range m.defs {
		if bd.kind == dDim || bd.kind == dEquiv || bd.kind == dSkip {
			continue
		}
		if _, ok := rename[bd.key]; ok {
			continue
		}
		name := base
		if bd.key != m.key {
			name = base + "_" + CanonicalName(bd.name)
		}
		rename[bd.key] = name
	}
	// Called in a subscripted equation, the copy is subscripted as the
	// equation is, and refers to its own variables with its subscripts.
	refSubs := d.subs
	params := map[string]*node{}
	for i, p := range m.params {
		params[p] = n.args[i]
		// A builtin function's argument is one value: one that draws
		// random numbers is a variable of its own, where a copy in each
		// of the equations would draw on its own.
		if m.builtin && drawsRandom(n.args[i]) {
			e := *d.e
			e.units, e.doc = "", "an argument of "+strings.ToUpper(m.name)+" in "+d.name+" that draws random numbers, evaluated once"
			name := base + "_" + CanonicalName(m.params[i])
			r.addDef(&def{e: &e, kind: dEq, name: name, key: nameKey(name), pos: n.args[i].pos, subs: d.subs, excepts: d.excepts, rhs: n.args[i]})
			params[p] = &node{kind: nRef, pos: n.args[i].pos, text: name, key: nameKey(name), subs: refSubs}
		}
	}
	for _, bd := range m.defs {
		to, ok := rename[bd.key]
		if !ok {
			continue
		}
		nd := *bd
		nd.name, nd.key = to, nameKey(to)
		nd.rhs = substitute(bd.rhs, params, rename, refSubs)
		if len(bd.subs) == 0 {
			nd.subs, nd.excepts = d.subs, d.excepts
		}
		if m.builtin {
			// At the call, without the caller's units and comment.
			e := *d.e
			e.units, e.doc = "", "part of "+strings.ToUpper(m.name)+" in "+d.name
			nd.e, nd.pos = &e, n.pos
		} else if u, ok := paramUnits(bd.e.units, m.params); ok {
			e := *bd.e
			e.units = u
			nd.e = &e
		}
		r.addDef(&nd)
	}
	out, ok := rename[m.key]
	if !ok {
		r.errorAt(d, n.pos, "macro %s defines no variable named %s, its output", m.name, m.name)
		return
	}
	for i, o := range n.outs {
		from, ok := rename[m.outs[i]]
		if !ok {
			r.errorAt(d, o.pos, "macro %s defines no variable for its output %s", m.name, m.outs[i])
			continue
		}
		r.addDef(&def{e: d.e, kind: dEq, name: o.text, key: o.key, pos: o.pos, subs: d.subs, excepts: d.excepts,
			rhs: &node{kind: nRef, pos: o.pos, text: from, key: nameKey(from), subs: refSubs}})
	}
	*n = node{kind: nRef, pos: n.pos, text: out, key: nameKey(out), subs: refSubs}
}

// paramUnits reports whether the units of a units field of a macro's
// equation name one of its parameters (params, by key), and returns the
// field without them, keeping a range. In a macro, Vensim reads a
// parameter's name among the units as the units of the argument it is
// called with (PINK NOISE's "mean/correlation time"), which differ from
// call to call: the copy is left without units, for the units check to
// infer, rather than given units named after the parameters.
func paramUnits(field string, params []string) (string, bool) {
	units, rng, _ := strings.Cut(field, "[")
	named := false
	for _, w := range strings.FieldsFunc(units, func(c rune) bool { return strings.ContainsRune("*/^()", c) }) {
		for _, p := range params {
			if nameKey(w) == p {
				named = true
			}
		}
	}
	if !named {
		return field, false
	}
	if strings.TrimSpace(rng) == "" {
		return "", true
	}
	return "[" + rng, true
}

// substitute returns a copy of n with parameters replaced by arguments
// and the macro's own variables renamed, given subs when they have none.
func substitute(n *node, params map[string]*node, rename map[string]string, subs []sub) *node {
	if n == nil {
		return nil
	}
	c := *n
	if (n.kind == nRef) && len(n.subs) == 0 {
		if a, ok := params[n.key]; ok {
			return &node{kind: nParen, pos: n.pos, x: a}
		}
	}
	if n.kind == nRef || n.kind == nCall {
		if to, ok := rename[n.key]; ok {
			c.text, c.key = to, nameKey(to)
			if n.kind == nRef && len(n.subs) == 0 {
				c.subs = subs
			}
		}
	}
	c.x = substitute(n.x, params, rename, subs)
	c.y = substitute(n.y, params, rename, subs)
	c.args = make([]*node, len(n.args))
	for i, a := range n.args {
		c.args[i] = substitute(a, params, rename, subs)
	}
	return &c
}

// builtinMacros are Vensim functions that Vensim's help defines by
// equations: the reader expands a call like a macro's, into its own
// copy of the equations (named <NAME>_<n>_<variable>), unless the model
// defines a macro of the same name.
var builtinMacros = []struct {
	name   string
	params []string
	eqs    []string
}{
	// NPV, as Vensim's help for NPV gives it: the accumulated discounted
	// stream plus the current period's, times factor; the discount factor
	// falls at discount rate / (1 + discount rate · TIME STEP).
	{"NPV", []string{"stream", "discount rate", "init val", "factor"}, []string{
		"NPV = (NPV ACCUM + stream * TIME STEP * df) * factor",
		"NPV ACCUM = INTEG(stream * df, init val)",
		"df = INTEG(-df * discount rate / (1 + discount rate * TIME STEP), 1)",
	}},
	// NPVE, NPV discounted at the end of each period: as NPV, with the
	// discount factor starting one period down, at 1 / (1 + discount
	// rate · TIME STEP).
	{"NPVE", []string{"stream", "discount rate", "init val", "factor"}, []string{
		"NPVE = (NPVE ACCUM + stream * TIME STEP * df) * factor",
		"NPVE ACCUM = INTEG(stream * df, init val)",
		"df = INTEG(-df * discount rate / (1 + discount rate * TIME STEP), 1 / (1 + discount rate * TIME STEP))",
	}},
	// DEPRECIATE STRAIGHTLINE(str, dtime, fisc, init), as Vensim's help
	// describes it for a fiscal period of one TIME STEP (the only one
	// read; expandIn refuses others): each step's investment str is
	// paid out at str · TIME STEP / dtime a step from that step on, for
	// dtime, and before the start str is taken to have been init, so
	// that a stream constant at init gives init. DSL ACCUM holds what was
	// invested over the last dtime before this step; DSL OUT is the
	// stream of dtime ago.
	{"DEPRECIATE STRAIGHTLINE", []string{"str", "dtime", "fisc", "init"}, []string{
		"DEPRECIATE STRAIGHTLINE = (DSL ACCUM + TIME STEP * (str - DSL OUT)) / dtime",
		"DSL ACCUM = INTEG(str - DSL OUT, init * dtime)",
		"DSL OUT = DELAY FIXED(str, dtime, init)",
	}},
}

// addBuiltinMacros registers the builtin macros the model does not
// define itself.
func (r *reader) addBuiltinMacros() {
	for _, b := range builtinMacros {
		key := nameKey(b.name)
		if r.macros[key] != nil {
			continue
		}
		m := &macro{name: b.name, key: key, builtin: true}
		for _, p := range b.params {
			m.params = append(m.params, nameKey(p))
		}
		for _, eq := range b.eqs {
			e := &entry{eqn: eq, off: make([]int, len(eq)+1)}
			d, err := parseDef(e, nil)
			if err != nil {
				panic("vensim: builtin macro " + b.name + ": " + err.Error()) // a bug in the table above
			}
			m.defs = append(m.defs, d)
		}
		r.macros[key] = m
	}
}

// fiscalStep reports whether the fiscal period of a DEPRECIATE
// STRAIGHTLINE call, its third argument, is TIME STEP, the only one
// stockflow reads, and its depreciation time is fixed, as Vensim needs
// it to be (a whole number of fiscal periods), and reports an error if
// not.
func (r *reader) fiscalStep(d *def, n *node) bool {
	c := &ctx{r: r}
	if !c.fixed(n.args[1], 0) {
		r.errorAt(d, n.args[1].pos, "DEPRECIATE STRAIGHTLINE: the depreciation time (second argument) must not change during the run (a number, or constants)")
		return false
	}
	fisc, ok := c.initValue(n.args[2], 0)
	dt := r.m.Sim.DT
	if ok && math.Abs(fisc-dt) <= 1e-9*math.Abs(dt) {
		return true
	}
	r.errorAt(d, n.args[2].pos, "DEPRECIATE STRAIGHTLINE: the fiscal period (third argument) must be TIME STEP (%g): stockflow does not lump the payments of a longer fiscal period together", dt)
	return false
}
