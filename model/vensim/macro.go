package vensim

import "strconv"

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
	params := map[string]*node{}
	for i, p := range m.params {
		params[p] = n.args[i]
	}
	for _, bd := range m.defs {
		to, ok := rename[bd.key]
		if !ok {
			continue
		}
		nd := *bd
		nd.name, nd.key = to, nameKey(to)
		nd.rhs = substitute(bd.rhs, params, rename)
		r.addDef(&nd)
	}
	out, ok := rename[m.key]
	if !ok {
		r.errorAt(d, n.pos, "macro %s defines no variable named %s, its output", m.name, m.name)
		return
	}
	*n = node{kind: nRef, pos: n.pos, text: out, key: nameKey(out)}
}

// substitute returns a copy of n with parameters replaced by arguments
// and the macro's own variables renamed.
func substitute(n *node, params map[string]*node, rename map[string]string) *node {
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
		}
	}
	c.x = substitute(n.x, params, rename)
	c.y = substitute(n.y, params, rename)
	c.args = make([]*node, len(n.args))
	for i, a := range n.args {
		c.args[i] = substitute(a, params, rename)
	}
	return &c
}
