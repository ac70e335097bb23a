package vensim

import (
	"strconv"
	"strings"
)

// The vector functions work along the last subscript of their vector
// argument, paired by position with the last subscript of the variable
// being defined, as in Vensim. They are written out as comparisons and
// choices over the vector's elements, so a vector is limited in length.

// maxVector is the longest vector VECTOR RANK, VECTOR REORDER and
// VECTOR ELM MAP write out (the text of a rank grows with the square of
// the length), maxSortVector the longest for VECTOR SORT ORDER (with the
// cube).
const (
	maxVector     = 30
	maxSortVector = 12
)

// vector returns the range along which the vector argument x runs (its
// last subscript, which must name a range) and x with that subscript
// marked to take each element in turn (see at).
func (c *ctx) vector(fn string, x *node) (*dim, *node, bool) {
	if x.kind != nRef || len(x.subs) == 0 || c.r.dims[x.subs[len(x.subs)-1].key] == nil {
		c.fail(x.pos, "the first argument of %s must be a subscripted variable whose last subscript is a range (x[region])", fn)
		return nil, nil, false
	}
	last := x.subs[len(x.subs)-1]
	dm := c.r.dims[last.key]
	v := c.r.vars[x.key]
	if v != nil && len(v.dims) == len(x.subs) {
		dm = v.dims[len(v.dims)-1] // the elements it has
	}
	cp := *x
	cp.subs = append([]sub(nil), x.subs...)
	cp.subs[len(cp.subs)-1] = sub{text: last.text, key: last.key, bang: true, pos: last.pos}
	return dm, &cp, true
}

// at writes x at element j of the range dm.
func (c *ctx) at(x *node, dm *dim, j int) {
	key := x.subs[len(x.subs)-1].key + "!"
	old, had := c.bind[key]
	c.bind[key] = dm.elems[j]
	c.write("(", x.pos)
	c.emit(x, 0, false)
	c.write(")", x.pos)
	if had {
		c.bind[key] = old
	} else {
		delete(c.bind, key)
	}
}

// position returns the position, from 0, of the element the variable
// being defined has along its last subscript.
func (c *ctx) position(fn string, pos int) (int, bool) {
	if len(c.elems) == 0 || len(c.v.dims) == 0 {
		c.fail(pos, "%s gives a vector: the variable it defines must be subscripted", fn)
		return 0, false
	}
	last := c.v.dims[len(c.v.dims)-1]
	return indexOf(last.elems, c.elems[len(c.elems)-1]), true
}

// rankTerm writes the rank, from 1, of element i of the vector:
// 1 + the count of elements before it in the order (ascending when asc
// is not 0), ties broken by position.
func (c *ctx) rankTerm(x *node, dm *dim, i int, asc *node, p int) {
	c.write("(1", p)
	for j := range dm.elems {
		if j == i {
			continue
		}
		c.write(" + if_then_else(", p)
		// x_j comes first when it is smaller (ascending) or larger
		// (descending), or equal and earlier.
		c.tmpl(p, "if_then_else(", asc, " <> 0, ")
		c.at(x, dm, j)
		c.write(" < ", p)
		c.at(x, dm, i)
		c.write(", ", p)
		c.at(x, dm, j)
		c.write(" > ", p)
		c.at(x, dm, i)
		c.write(")", p)
		if j < i {
			c.write(" or ", p)
			c.at(x, dm, j)
			c.write(" = ", p)
			c.at(x, dm, i)
		}
		c.write(", 1, 0)", p)
	}
	c.write(")", p)
}

// vectorRank writes VECTOR RANK(x[d], direction): the rank, from 1, of
// the element, ascending when direction is not 0 (1), else descending;
// equal values are ranked in the order of their elements.
func (c *ctx) vectorRank(n *node) {
	dm, x, ok := c.vector("VECTOR RANK", n.args[0])
	if !ok || !c.vectorSmall("VECTOR RANK", dm, n.pos) {
		c.write("0", n.pos)
		return
	}
	i, ok := c.position("VECTOR RANK", n.pos)
	if !ok || i < 0 || i >= len(dm.elems) {
		if ok {
			c.fail(n.pos, "VECTOR RANK: %s has more elements than the vector's range %s", c.v.name, dm.name)
		}
		c.write("0", n.pos)
		return
	}
	c.rankTerm(x, dm, i, n.args[1], n.pos)
}

// vectorSortOrder writes VECTOR SORT ORDER(x[d], direction): at position
// k, the position from 0 of the element that sorts k-th (ascending when
// direction is not 0), that is the i whose rank is k + 1.
func (c *ctx) vectorSortOrder(n *node) {
	dm, x, ok := c.vector("VECTOR SORT ORDER", n.args[0])
	if ok && len(dm.elems) > maxSortVector {
		c.fail(n.pos, "VECTOR SORT ORDER over %s: the range has %d elements, more than the %d stockflow writes out", dm.name, len(dm.elems), maxSortVector)
		ok = false
	}
	if !ok || !c.vectorSmall("VECTOR SORT ORDER", dm, n.pos) {
		c.write("0", n.pos)
		return
	}
	k, ok := c.position("VECTOR SORT ORDER", n.pos)
	if !ok || k < 0 || k >= len(dm.elems) {
		if ok {
			c.fail(n.pos, "VECTOR SORT ORDER: %s has more elements than the vector's range %s", c.v.name, dm.name)
		}
		c.write("0", n.pos)
		return
	}
	p := n.pos
	c.write("(0", p)
	for i := 1; i < len(dm.elems); i++ {
		c.write(" + if_then_else(", p)
		c.rankTerm(x, dm, i, n.args[1], p)
		c.write(" = "+strconv.Itoa(k+1)+", "+strconv.Itoa(i)+", 0)", p)
	}
	c.write(")", p)
}

// vectorReorder writes VECTOR REORDER(x[d], order): the element of x at
// position order (from 0), where order is read for the element being
// defined; NaN when order is not one of the positions.
func (c *ctx) vectorReorder(n *node) {
	dm, x, ok := c.vector("VECTOR REORDER", n.args[0])
	if !ok || !c.vectorSmall("VECTOR REORDER", dm, n.pos) {
		c.write("0", n.pos)
		return
	}
	c.choose(x, dm, func() { c.tmpl(n.pos, n.args[1]) }, n.pos)
}

// vectorElmMap writes VECTOR ELM MAP(x[d, start], offset): the element of
// x at the position of start in its range plus offset (truncated to a
// whole number); NaN past either end.
func (c *ctx) vectorElmMap(n *node) {
	x := n.args[0]
	if x.kind != nRef || len(x.subs) == 0 {
		c.fail(x.pos, "the first argument of VECTOR ELM MAP must be a subscripted variable (x[start])")
		c.write("0", n.pos)
		return
	}
	v := c.r.vars[x.key]
	if v == nil || len(v.dims) != len(x.subs) {
		c.ref(x) // reports what is wrong with it
		return
	}
	dm := v.dims[len(v.dims)-1]
	// The start: the element the last subscript stands for here.
	name, ok := c.element(v, x)
	if !ok {
		c.write("0", n.pos)
		return
	}
	_, inner, _ := strings.Cut(strings.TrimSuffix(name, "]"), "[")
	parts := strings.Split(inner, ",")
	base := indexOf(dm.elems, parts[len(parts)-1])
	if !c.vectorSmall("VECTOR ELM MAP", dm, n.pos) {
		c.write("0", n.pos)
		return
	}
	last := x.subs[len(x.subs)-1]
	cp := *x
	cp.subs = append([]sub(nil), x.subs...)
	key := "vector elm map " + last.key // a key no range has
	cp.subs[len(cp.subs)-1] = sub{text: last.text, key: key, bang: true, pos: last.pos}
	c.choose(&cp, dm, func() {
		c.tmpl(n.pos, strconv.Itoa(base)+" + integer(", n.args[1], ")")
	}, n.pos)
}

// choose writes the element of x at the position idx (from 0) along dm:
// if_then_else(idx = 0, x_0, if_then_else(idx = 1, x_1, … 0 / 0)).
func (c *ctx) choose(x *node, dm *dim, idx func(), p int) {
	for j := range dm.elems {
		c.write("if_then_else(", p)
		idx()
		c.write(" = "+strconv.Itoa(j)+", ", p)
		c.at(x, dm, j)
		c.write(", ", p)
	}
	c.write("0 / 0"+strings.Repeat(")", len(dm.elems)), p)
}

// vectorSmall reports whether the vector is short enough to write out,
// and reports an error if not.
func (c *ctx) vectorSmall(fn string, dm *dim, pos int) bool {
	if len(dm.elems) > maxVector {
		c.fail(pos, "%s over %s: the range has %d elements, more than the %d stockflow writes out", fn, dm.name, len(dm.elems), maxVector)
		return false
	}
	return true
}
