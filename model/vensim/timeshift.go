package vensim

import "math"

// TIME SHIFT(data, shift), Vensim's data function that moves a data
// variable's points in time.

// timeShift reports whether d is a TIME SHIFT data equation.
func timeShift(d *def) bool {
	return d.kind == dEq && d.rhs != nil && d.rhs.kind == nCall && d.rhs.key == "time shift"
}

// timeShifts defines the data variables of TIME SHIFT equations, after
// every other definition has been added (a shift reads the points of a
// data variable read from a file, or of another shift). Vensim's help:
// TIME SHIFT(data, shift) "returns data that is shifted in time" — a
// positive shift lets the model see the data in the future: the value at
// time t is the data's at t + shift, so each point (t, v) of data becomes
// (t − shift, v). The shift must be known when the model is read (a
// number, a constant, or an expression of them, as ctlEval reads), data a data
// variable's name; the result interpolates as its own keyword says, or as
// data does when it has none.
func (r *reader) timeShifts(shifts []*def) {
	for len(shifts) > 0 {
		var wait []*def
		for _, d := range shifts {
			if pendingShift(shifts, d.rhs.args0Key()) {
				wait = append(wait, d)
				continue
			}
			r.addDef(r.timeShift(d))
		}
		if len(wait) == len(shifts) {
			// Shifts of each other in a circle.
			for _, d := range wait {
				r.errorf(d.e, d.rhs.pos, d.name, "TIME SHIFT: %s is a TIME SHIFT too, and these shifts read each other in a circle", d.rhs.args[0].text)
				r.addDef(shiftStandIn(d))
			}
			return
		}
		shifts = wait
	}
}

// args0Key returns the key of a call's first argument, "" when it has
// none.
func (n *node) args0Key() string {
	if len(n.args) == 0 {
		return ""
	}
	return n.args[0].key
}

// pendingShift reports whether a shift in shifts defines key.
func pendingShift(shifts []*def, key string) bool {
	for _, d := range shifts {
		if d.key == key {
			return true
		}
	}
	return false
}

// shiftStandIn makes d a constant 0 after an error, so that nothing
// else is reported about it.
func shiftStandIn(d *def) *def {
	d.kind, d.rhs, d.data = dEq, &node{kind: nNum, pos: d.rhs.pos, text: "0"}, false
	return d
}

// timeShift returns the data variable d's TIME SHIFT defines.
func (r *reader) timeShift(d *def) *def {
	n := d.rhs
	fail := func(off int, format string, args ...any) *def {
		r.errorf(d.e, off, d.name, "TIME SHIFT: "+format, args...)
		return shiftStandIn(d)
	}
	if len(n.args) != 2 {
		return fail(n.pos, "takes 2 arguments (data, shift), got %d", len(n.args))
	}
	if len(d.subs) > 0 {
		return fail(n.pos, "defines a variable without subscripts only: shift each element's data into a variable of its own")
	}
	a := n.args[0]
	src := r.vars[a.key]
	if a.kind != nRef || len(a.subs) > 0 || src == nil || len(src.defs) != 1 || src.defs[0].ext == nil || len(src.defs[0].subs) > 0 {
		return fail(a.pos, "the data must be the name of a data variable without subscripts, defined by GET XLS DATA or GET DIRECT DATA, read from a data file, or a TIME SHIFT; %s is not one", a.text)
	}
	shift, nc := r.consts.eval(n.args[1], 0)
	if nc != nil || math.IsNaN(shift) || math.IsInf(shift, 0) {
		return fail(n.args[1].pos, "the shift must be a number or a constant, as in Vensim")
	}
	ext := src.defs[0].ext
	pts := make([][2]float64, len(ext.points))
	for i, p := range ext.points {
		pts[i] = [2]float64{p[0] - shift, p[1]}
	}
	interp := ext.interp
	if d.interp != "" {
		interp = interpOf(d.interp)
	}
	return &def{e: d.e, kind: dEq, name: d.name, key: d.key, pos: d.pos, rhs: d.rhs, ext: &extData{points: pts, interp: interp}}
}
