package vensim

import (
	"math"
	"strconv"
)

// getTimeValue writes GET TIME VALUE(relativeto, offset, measure), whose
// documented meaning (Vensim's help) is the measure of the time relative
// to the current simulation time (relativeto 0), the initial time (1) or
// the computer's clock (2), moved by offset in the model's time units.
// stockflow reads measure 0, the model's own time units, relative to the
// simulation: relativeto 0 is time + offset, relativeto 1 is INITIAL
// TIME + offset. The clock (relativeto 2) would make a run depend on when
// it is made, and the calendar measures (1 to 10: year, quarter, month,
// day, hour…) on Vensim's time-labelling settings, which the .mdl keeps
// outside the equations: both are refused, naming the function and what
// is read. relativeto and measure must be known when the model is read.
func (c *ctx) getTimeValue(n *node) {
	const what = "GET TIME VALUE is read with relativeto 0 (the simulation's time) or 1 (its initial time) and measure 0 (the model's time units): GET TIME VALUE(0, offset, 0) is Time + offset"
	p := n.pos
	if len(n.args) != 3 {
		c.fail(p, "GET TIME VALUE takes 3 arguments (relativeto, offset, measure), got %d", len(n.args))
		c.write("0", p)
		return
	}
	rel, ok := c.constArg(n.args[0])
	if !ok {
		c.fail(n.args[0].pos, "the relativeto of GET TIME VALUE must be a number known when the model is read (0, 1 or 2); %s", what)
		c.write("0", p)
		return
	}
	measure, ok := c.constArg(n.args[2])
	if !ok {
		c.fail(n.args[2].pos, "the measure of GET TIME VALUE must be a number known when the model is read (0 to 10); %s", what)
		c.write("0", p)
		return
	}
	switch {
	case rel == 2:
		c.fail(n.args[0].pos, "GET TIME VALUE relative to the computer's clock (relativeto 2) is not read: it would make each run depend on when it is made; %s", what)
	case rel != 0 && rel != 1:
		c.fail(n.args[0].pos, "GET TIME VALUE: relativeto %s is none of Vensim's (0 the simulation's time, 1 its initial time, 2 the clock); %s", strconv.FormatFloat(rel, 'g', -1, 64), what)
	case measure >= 1 && measure <= 10 && measure == math.Trunc(measure):
		c.fail(n.args[2].pos, "GET TIME VALUE: measure %s is a calendar measure (years, quarters, months, days, hours… of Vensim's time labelling), which is not read; %s", strconv.FormatFloat(measure, 'g', -1, 64), what)
	case measure != 0:
		c.fail(n.args[2].pos, "GET TIME VALUE: measure %s is none of Vensim's (0 to 10); %s", strconv.FormatFloat(measure, 'g', -1, 64), what)
	}
	if c.bad {
		c.write("0", p)
		return
	}
	if rel == 0 {
		c.write("(time + ", p)
	} else {
		c.write("(starttime + ", p)
	}
	c.emit(n.args[1], 5, true)
	c.write(")", p)
}

// constArg returns the value of an argument that must be known when the
// model is read: a number, or an expression of constants that does not
// read the time.
func (c *ctx) constArg(x *node) (float64, bool) {
	if c.readsTime(x, 0) {
		return 0, false
	}
	return c.initValue(x, 0)
}

// readsTime reports whether x reads Time, directly or through the
// constants it names.
func (c *ctx) readsTime(x *node, depth int) bool {
	if x == nil || depth > 100 {
		return false
	}
	if x.kind == nRef {
		if x.key == "time" {
			return true
		}
		if v := c.r.vars[x.key]; v != nil {
			for _, d := range v.defs {
				if c.readsTime(d.rhs, depth+1) {
					return true
				}
			}
		}
	}
	for _, a := range x.args {
		if c.readsTime(a, depth+1) {
			return true
		}
	}
	return c.readsTime(x.x, depth+1) || c.readsTime(x.y, depth+1)
}
