package vensim

import (
	"strconv"
	"strings"
)

// The vector functions work along the last subscript of their vector
// argument, paired by position with the last subscript of the variable
// being defined, as in Vensim. Each becomes an engine builtin that names
// every element of the vector (vector_rank, vector_sort_order,
// vector_element; model/internal/vm, vecfuncs.go): the elements of one
// result share one sort a step, and a vector may be as long as a range.

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

// elements writes ", x_0, x_1, …": x at each element of dm.
func (c *ctx) elements(x *node, dm *dim, p int) {
	for j := range dm.elems {
		c.write(", ", p)
		c.at(x, dm, j)
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

// vectorRank writes VECTOR RANK(x[d], direction) and VECTOR SORT ORDER
// (fn): vector_rank(k, direction, x_0, …), the rank, from 1, of element
// k, ascending when direction is not 0, else descending, equal values
// ranked in the order of their elements; or vector_sort_order(k, …), the
// position from 0 of the element that sorts k-th.
func (c *ctx) vectorRank(n *node, fn string) {
	dm, x, ok := c.vector(fn, n.args[0])
	if !ok {
		c.write("0", n.pos)
		return
	}
	k, ok := c.position(fn, n.pos)
	if !ok || k < 0 || k >= len(dm.elems) {
		if ok {
			c.fail(n.pos, "%s: %s has more elements than the vector's range %s", fn, c.v.name, dm.name)
		}
		c.write("0", n.pos)
		return
	}
	name := "vector_rank("
	if fn == "VECTOR SORT ORDER" {
		name = "vector_sort_order("
	}
	c.write(name+strconv.Itoa(k)+", ", n.pos)
	c.tmpl(n.pos, n.args[1])
	c.elements(x, dm, n.pos)
	c.write(")", n.pos)
}

// vectorReorder writes VECTOR REORDER(x[d], order): the element of x at
// position order (from 0), where order is read for the element being
// defined; NaN when order is not one of the positions.
func (c *ctx) vectorReorder(n *node) {
	dm, x, ok := c.vector("VECTOR REORDER", n.args[0])
	if !ok {
		c.write("0", n.pos)
		return
	}
	c.tmpl(n.pos, "vector_element(", n.args[1])
	c.elements(x, dm, n.pos)
	c.write(")", n.pos)
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
	last := x.subs[len(x.subs)-1]
	cp := *x
	cp.subs = append([]sub(nil), x.subs...)
	key := "vector elm map " + last.key // a key no range has
	cp.subs[len(cp.subs)-1] = sub{text: last.text, key: key, bang: true, pos: last.pos}
	c.tmpl(n.pos, "vector_element("+strconv.Itoa(base)+" + integer(", n.args[1], ")")
	c.elements(&cp, dm, n.pos)
	c.write(")", n.pos)
}

// vectorLookup writes VECTOR LOOKUP(vec[…, first], x, xmin, xmax, mode):
// a lookup whose y values are the elements of vec along its last
// subscript, from first to the range's end, at x values spread evenly
// from xmin to xmax (Vensim's help). Mode 0 interpolates linearly and
// holds the end values, 3 extrapolates the end segments, 2 takes the
// value of the last point at or before x (LOOKUP BACKWARD), 4 that of
// the first point at or after x (LOOKUP FORWARD). The other modes
// (area, invert, slope) are refused. The lookup is written out as one
// if_then_else per point, so vec may change during the run. A mode
// written as a number chooses the form once; one given by constants
// (mode = 0 as a variable of its own, a slider in Vensim) must have one
// of those values when the model is read, and the four forms are
// written out, chosen by the mode during the run, so that a run that
// sets the constant to another mode gets it (and :NA: for a mode not
// read).
func (c *ctx) vectorLookup(n *node) {
	vec, x, xmin, xmax, mode := n.args[0], n.args[1], n.args[2], n.args[3], n.args[4]
	p := n.pos
	m, ok := c.constArg(mode)
	if !ok || (m != 0 && m != 2 && m != 3 && m != 4) {
		c.fail(mode.pos, "VECTOR LOOKUP: the mode must be 0 (interpolate), 2 (backward), 3 (extrapolate) or 4 (forward), a number or constants known when the model is read; modes 1 and 5 to 9 (area, invert, slope) are not read")
		c.write("0", p)
		return
	}
	if vec.kind != nRef || len(vec.subs) == 0 {
		c.fail(vec.pos, "the first argument of VECTOR LOOKUP must be a subscripted variable at its first element (x[first])")
		c.write("0", p)
		return
	}
	v := c.r.vars[vec.key]
	if v == nil || len(v.dims) != len(vec.subs) {
		c.ref(vec) // reports what is wrong with it
		return
	}
	dm := v.dims[len(v.dims)-1]
	name, ok := c.element(v, vec)
	if !ok {
		c.write("0", p)
		return
	}
	_, inner, _ := strings.Cut(strings.TrimSuffix(name, "]"), "[")
	parts := strings.Split(inner, ",")
	base := indexOf(dm.elems, parts[len(parts)-1])
	npts := len(dm.elems) - base
	if npts < 2 {
		c.fail(vec.pos, "VECTOR LOOKUP needs at least 2 values from %s on", parts[len(parts)-1])
		c.write("0", p)
		return
	}
	last := vec.subs[len(vec.subs)-1]
	cp := *vec
	cp.subs = append([]sub(nil), vec.subs...)
	cp.subs[len(cp.subs)-1] = sub{text: last.text, key: "vector lookup " + last.key, bang: true, pos: last.pos}
	x, xmin, xmax = c.held(x, "x"), c.held(xmin, "xmin"), c.held(xmax, "xmax")
	y := func(i int) func() { return func() { c.at(&cp, dm, base+i) } }
	// xi writes the x of point i: xmin + i · (xmax − xmin) / (npts − 1).
	xi := func(i int) func() {
		return func() {
			c.tmpl(p, xmin, " + "+strconv.Itoa(i)+" * (", xmax, " - ", xmin, ") / "+strconv.Itoa(npts-1))
		}
	}
	// seg writes the line through points i and i+1 at x.
	seg := func(i int) {
		c.tmpl(p, y(i), " + (", x, " - ", xi(i), ") * (", y(i+1), " - ", y(i), ") * "+strconv.Itoa(npts-1)+" / (", xmax, " - ", xmin, ")")
	}
	// form writes the lookup of one mode.
	form := func(m int) {
		closing := 0
		switch m {
		case 0:
			c.tmpl(p, "if_then_else(", x, " <= ", xmin, ", ", y(0), ", ")
			closing++
			for i := 0; i+1 < npts; i++ {
				c.tmpl(p, "if_then_else(", x, " < ", xi(i+1), ", ")
				seg(i)
				c.write(", ", p)
				closing++
			}
			c.tmpl(p, y(npts-1))
		case 3:
			// The first and last segments extend past the ends.
			for i := 0; i+2 < npts; i++ {
				c.tmpl(p, "if_then_else(", x, " < ", xi(i+1), ", ")
				seg(i)
				c.write(", ", p)
				closing++
			}
			seg(npts - 2)
		case 2:
			for i := 1; i < npts; i++ {
				c.tmpl(p, "if_then_else(", x, " < ", xi(i), ", ", y(i-1), ", ")
				closing++
			}
			c.tmpl(p, y(npts-1))
		case 4:
			for i := 0; i+1 < npts; i++ {
				c.tmpl(p, "if_then_else(", x, " <= ", xi(i), ", ", y(i), ", ")
				closing++
			}
			c.tmpl(p, y(npts-1))
		}
		c.write(strings.Repeat(")", closing), p)
	}
	if isConstant(mode) {
		form(int(m))
		return
	}
	for _, m := range []int{0, 2, 3, 4} {
		c.tmpl(p, "if_then_else(", mode, " = "+strconv.Itoa(m)+", ", func() { form(m) }, ", ")
	}
	c.write("("+naValue+")))))", p)
}
