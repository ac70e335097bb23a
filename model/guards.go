package model

import (
	"fmt"

	"github.com/stockflow/stockflow/model/syntax"
)

// guard is an argument of a builtin that must not be negative, such as a
// smoothing time or an exprnd mean: a run checks it at each step, after
// evaluating the model at the step's start (and at each rk45 step), and
// stops with an error naming the variable whose equation holds the call,
// the time and the equation.
type guard struct {
	v     int    // the variable holding the argument's value
	owner int    // the variable whose equation holds the call
	what  string // "the averaging time of smth1"
}

// nonNegative returns the argument x of a call in owner's equation, to be
// used in its place, and sees to it that a negative value is refused: at
// compile time when x is a number written in the equation, at run time
// otherwise. what names the argument in the error.
func (c *compiler) nonNegative(owner *cvar, x syntax.Expr, what string) syntax.Expr {
	if v, ok := constValue(x); ok {
		if v < 0 {
			c.errorAt(owner, x.Start(), "%s must not be negative, got %s", what, fmtNum(v))
		}
		return x
	}
	if id, ok := x.(*syntax.Ident); ok {
		if i, ok := c.p.byName[id.Name]; ok && c.p.vars[i].role != rLookup {
			c.guardVar(owner, i, what)
			return x
		}
	}
	h := c.newHidden(owner, rHiddenFlow, what)
	h.eq = x
	c.guardVar(owner, c.p.byName[h.name], what)
	return ident(h.name, x.Start())
}

// guardVar has runs refuse a negative value of variable i, an argument of
// a call in owner's equation. A variable is checked once, however many
// calls take it (a param that is the smoothing time of every element of
// an array), and a negative value is reported for the first of them.
func (c *compiler) guardVar(owner *cvar, i int, what string) {
	if c.guarded[i] {
		return
	}
	if c.guarded == nil {
		c.guarded = map[int]bool{}
	}
	c.guarded[i] = true
	c.p.guards = append(c.p.guards, guard{v: i, owner: c.p.byName[owner.name], what: what})
}

// checkGuards returns an error if an argument that must not be negative
// is, as the slots hold it at time t.
func (r *run) checkGuards(t float64) error {
	p := r.p
	for _, g := range p.guards {
		if x := r.v[p.vars[g.v].slot]; x < 0 {
			o := p.vars[g.owner].src
			return fmt.Errorf("%s: %s in the equation of %s is %s at t=%s; it must not be negative (equation %q)",
				eqKey(o), g.what, o.Name, fmtNum(x), fmtNum(t), o.Eq.Text)
		}
	}
	return nil
}
