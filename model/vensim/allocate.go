package vensim

import "strconv"

// The allocation functions become stockflow's allocate_available and
// allocate_by_priority, engine builtins that solve the allocation once a
// step for every requester (model/internal/vm, vecfuncs.go); the market
// functions, find_market_price, demand_at_price and supply_at_price,
// read the same priority profiles. The requesters run along the last
// subscript of the request, paired by position with the last subscript
// of the variable being defined, as in Vensim.

// allocateAvailable writes ALLOCATE AVAILABLE(request, pp, avail):
// allocate_available(k, avail, q0, type0, priority0, width0, extra0, q1,
// …), where k is the position of the requester being defined and each
// requester's profile is the four elements of pp's last range from the
// one pp names (ptype, ppriority, pwidth, pextra), its second-last
// subscript running with the requests.
func (c *ctx) allocateAvailable(n *node) {
	const fn = "ALLOCATE AVAILABLE"
	dm, q, ok := c.vector(fn, n.args[0])
	if !ok {
		c.write("0", n.pos)
		return
	}
	pp := n.args[1]
	prof, first, ok := c.profile(fn, pp, "requesters' range", "pp[branch, ptype]")
	if !ok {
		c.write("0", n.pos)
		return
	}
	last := pp.subs[len(pp.subs)-1]
	k, ok := c.position(fn, n.pos)
	if !ok {
		c.write("0", n.pos)
		return
	}
	// The profile with its requester subscript bound to each element in
	// turn, as the request's, and its profile subscript set.
	reqSub := pp.subs[len(pp.subs)-2]
	key := q.subs[len(q.subs)-1].key + "!"
	c.write("allocate_available("+strconv.Itoa(k)+", ", n.pos)
	c.tmpl(n.pos, n.args[2])
	for j := range dm.elems {
		c.write(", ", n.pos)
		c.at(q, dm, j)
		old, had := c.bind[key]
		c.bind[key] = dm.elems[j]
		for f := range 4 {
			e := prof.elems[first+f]
			cp := *pp
			cp.subs = append([]sub(nil), pp.subs...)
			cp.subs[len(cp.subs)-2] = sub{text: reqSub.text, key: q.subs[len(q.subs)-1].key, bang: true, pos: reqSub.pos}
			cp.subs[len(cp.subs)-1] = sub{text: e, key: nameKey(e), pos: last.pos}
			c.write(", (", n.pos)
			c.emit(&cp, 0, false)
			c.write(")", n.pos)
		}
		if had {
			c.bind[key] = old
		} else {
			delete(c.bind, key)
		}
	}
	c.write(")", n.pos)
}

// profile checks the priority profile argument pp of fn: a variable
// whose last subscript is an element of its profile range followed by
// three more (ptype, ppriority, pwidth, pextra), after a subscript for
// the agents (what names them, for the message, with an example). It
// returns the profile range and the position of that first element.
func (c *ctx) profile(fn string, pp *node, agents, example string) (*dim, int, bool) {
	v := c.r.vars[pp.key]
	if pp.kind != nRef || v == nil || len(pp.subs) < 2 || len(v.dims) != len(pp.subs) {
		c.fail(pp.pos, "the priority profile of %s must be a variable subscripted by the %s and, last, the first of its four profile elements (%s)", fn, agents, example)
		return nil, 0, false
	}
	prof := v.dims[len(v.dims)-1]
	last := pp.subs[len(pp.subs)-1]
	first := indexOf(prof.elems, c.r.elems[last.key])
	if first < 0 || first+4 > len(prof.elems) {
		c.fail(last.pos, "%s: the last subscript of the priority profile must be an element of %s followed by three more (ptype, ppriority, pwidth, pextra)", fn, prof.name)
		return nil, 0, false
	}
	return prof, first, true
}

// withSub returns x with its i-th subscript set to the element e.
func withSub(x *node, i int, e string) *node {
	cp := *x
	cp.subs = append([]sub(nil), x.subs...)
	cp.subs[i] = sub{text: e, key: nameKey(e), pos: x.subs[i].pos}
	return &cp
}

// profileValues writes ", (type), (priority), (width), (extra)": the
// four profile values of pp from the profile element at first, its
// agent subscript (the second last) set to the element agent unless
// agent is empty.
func (c *ctx) profileValues(pp *node, prof *dim, first int, agent string) {
	if agent != "" {
		pp = withSub(pp, len(pp.subs)-2, agent)
	}
	for f := range 4 {
		c.tmpl(pp.pos, ", ", withSub(pp, len(pp.subs)-1, prof.elems[first+f]))
	}
}

// atPrice writes DEMAND AT PRICE(q, pp, price) or SUPPLY AT PRICE (fn,
// to the builtin name): name(q, type, priority, width, price), where
// the four profile values are pp's at the element being defined.
func (c *ctx) atPrice(n *node, fn, name string) {
	pp := n.args[1]
	prof, first, ok := c.profile(fn, pp, "same subscripts as the quantity", "pp[region, ptype]")
	if !ok {
		c.write("0", n.pos)
		return
	}
	c.tmpl(n.pos, name+"(", n.args[0])
	for f := range 3 {
		c.tmpl(pp.pos, ", ", withSub(pp, len(pp.subs)-1, prof.elems[first+f]))
	}
	c.tmpl(n.pos, ", ", n.args[2], ")")
}

// findMarketPrice writes FIND MARKET PRICE(dq, dp, sq, sp):
// find_market_price(nd, dq_0, profile_0 …, sq_0, profile_0 …), the
// demanders' quantities and profiles, then the suppliers', each profile
// its four values (profileValues). The demanders are the elements of the
// last range of dq from the one it names (or the whole range it names)
// to the range's end, and likewise the suppliers, as Vensim's help asks
// the arguments to name the first element of their ranges.
func (c *ctx) findMarketPrice(n *node) {
	const fn = "FIND MARKET PRICE"
	type side struct {
		q, pp *node
		prof  *dim
		first int
		elems []string
	}
	var sides [2]side
	for i, what := range []string{"demanders", "suppliers"} {
		q, pp := n.args[2*i], n.args[2*i+1]
		example := [2]string{"dp[d1, ptype]", "sp[s1, ptype]"}[i]
		elems, ok := c.agents(fn, q, what)
		if !ok {
			c.write("0", n.pos)
			return
		}
		prof, first, ok := c.profile(fn, pp, what+"' range", example)
		if !ok {
			c.write("0", n.pos)
			return
		}
		sides[i] = side{q, pp, prof, first, elems}
	}
	c.write("find_market_price("+strconv.Itoa(len(sides[0].elems)), n.pos)
	for _, sd := range sides {
		for _, e := range sd.elems {
			c.tmpl(sd.q.pos, ", ", withSub(sd.q, len(sd.q.subs)-1, e))
			c.profileValues(sd.pp, sd.prof, sd.first, e)
		}
	}
	c.write(")", n.pos)
}

// agents returns the elements a quantity argument q of fn runs over
// (what names them): those of the range its last subscript names, or,
// when that subscript is an element, of the variable's last range from
// that element to its end.
func (c *ctx) agents(fn string, q *node, what string) ([]string, bool) {
	v := c.r.vars[q.key]
	if q.kind != nRef || v == nil || len(q.subs) == 0 || len(v.dims) != len(q.subs) {
		c.fail(q.pos, "the quantities of the %s in %s must be a variable whose last subscript is the first of their elements (q[d1])", what, fn)
		return nil, false
	}
	last := q.subs[len(q.subs)-1]
	if dm := c.r.dims[last.key]; dm != nil {
		return dm.elems, true
	}
	elems := v.dims[len(v.dims)-1].elems
	i := indexOf(elems, c.r.elems[last.key])
	if i < 0 {
		c.fail(last.pos, "%s: %s is not an element of %s", fn, last.text, v.dims[len(v.dims)-1].name)
		return nil, false
	}
	return elems[i:], true
}

// allocateByPriority writes ALLOCATE BY PRIORITY(request, priority, size,
// width, supply): allocate_by_priority(k, width, supply, q0, priority0,
// q1, …). The size is the number of elements of the request's range,
// which stockflow takes from the range itself.
func (c *ctx) allocateByPriority(n *node) {
	const fn = "ALLOCATE BY PRIORITY"
	dm, q, ok := c.vector(fn, n.args[0])
	if !ok {
		c.write("0", n.pos)
		return
	}
	_, pr, ok := c.vector(fn, n.args[1])
	if !ok {
		c.write("0", n.pos)
		return
	}
	k, ok := c.position(fn, n.pos)
	if !ok {
		c.write("0", n.pos)
		return
	}
	// The priority runs with the request.
	pr.subs[len(pr.subs)-1].key = q.subs[len(q.subs)-1].key
	c.write("allocate_by_priority("+strconv.Itoa(k)+", ", n.pos)
	c.tmpl(n.pos, n.args[3], ", ", n.args[4])
	for j := range dm.elems {
		c.write(", ", n.pos)
		c.at(q, dm, j)
		c.write(", ", n.pos)
		c.at(pr, dm, j)
	}
	c.write(")", n.pos)
}

// invertMatrix writes INVERT MATRIX(m[…, rows, cols], n): invert_matrix(k,
// m_00, m_01, …) over the last two subscripts of m, row by row, where k
// is the position, row by row, of the entry being defined, from the last
// two subscripts of the variable being defined. n is the size of the
// ranges, which stockflow takes from them.
func (c *ctx) invertMatrix(n *node) {
	const fn = "INVERT MATRIX"
	x := n.args[0]
	v := c.r.vars[x.key]
	if x.kind != nRef || v == nil || len(x.subs) < 2 || len(v.dims) != len(x.subs) ||
		c.r.dims[x.subs[len(x.subs)-1].key] == nil || c.r.dims[x.subs[len(x.subs)-2].key] == nil ||
		v.dims[len(v.dims)-1] == v.dims[len(v.dims)-2] {
		c.fail(x.pos, "the first argument of %s must be a variable whose last two subscripts are two ranges of the same size (m[row, col])", fn)
		c.write("0", n.pos)
		return
	}
	rows, cols := v.dims[len(v.dims)-2], v.dims[len(v.dims)-1]
	if len(rows.elems) != len(cols.elems) {
		c.fail(x.pos, "%s: %s has %d elements and %s %d: the matrix must be square", fn, rows.name, len(rows.elems), cols.name, len(cols.elems))
		c.write("0", n.pos)
		return
	}
	if len(c.elems) < 2 || len(c.v.dims) < 2 {
		c.fail(n.pos, "%s gives a matrix: the variable it defines must have two subscripts or more", fn)
		c.write("0", n.pos)
		return
	}
	size := len(rows.elems)
	i := indexOf(c.v.dims[len(c.v.dims)-2].elems, c.elems[len(c.elems)-2])
	j := indexOf(c.v.dims[len(c.v.dims)-1].elems, c.elems[len(c.elems)-1])
	if i < 0 || j < 0 || i >= size || j >= size {
		c.fail(n.pos, "%s: %s has more rows or columns than the matrix", fn, c.v.name)
		c.write("0", n.pos)
		return
	}
	// The matrix is the variable's over its own last two ranges, whatever
	// ranges the call names there: Vensim reads m[rows, rows] (as in
	// SDEverywhere's invertmatrixio) as the whole matrix. The two take
	// their elements through keys no range has, since the two ranges may
	// share one (a copy of a range made for a variable subscripted twice
	// by it).
	const rowKey, colKey = "invert matrix row", "invert matrix col"
	cp := *x
	cp.subs = append([]sub(nil), x.subs...)
	cp.subs[len(cp.subs)-2] = sub{text: rows.name, key: rowKey, bang: true, pos: x.subs[len(x.subs)-2].pos}
	cp.subs[len(cp.subs)-1] = sub{text: cols.name, key: colKey, bang: true, pos: x.subs[len(x.subs)-1].pos}
	rk, ck := rowKey+"!", colKey+"!"
	oldR, hadR := c.bind[rk]
	oldC, hadC := c.bind[ck]
	c.write("invert_matrix("+strconv.Itoa(i*size+j), n.pos)
	for r := range size {
		for q := range size {
			c.bind[rk], c.bind[ck] = rows.elems[r], cols.elems[q]
			c.write(", (", n.pos)
			c.emit(&cp, 0, false)
			c.write(")", n.pos)
		}
	}
	c.write(")", n.pos)
	for _, b := range []struct {
		key, old string
		had      bool
	}{{rk, oldR, hadR}, {ck, oldC, hadC}} {
		if b.had {
			c.bind[b.key] = b.old
		} else {
			delete(c.bind, b.key)
		}
	}
}
