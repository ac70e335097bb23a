package compile

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/units"
)

// Hygiene returns warnings about the numerics of a run that starts at
// start with step dt and params vals, found from the equations of src
// (the model as written) before any run; d, the declaration with arrays
// expanded, tells the kinds and units of the names they read:
//
//   - a time constant shorter than two steps: the averaging or delay
//     time of a smooth, delay or trend (per stage, for one of order n:
//     time/n; the builtin record's lag), or a param in time units that a
//     stock is divided by in a flow's equation (a drain like
//     stock/lifetime): units that the units system (units.TimeScale)
//     reads as a time of the model's time_units, the value converted to
//     them. Euler, rk2 and rk4 then misstate the decay or
//     turn unstable; a smaller dt resolves it.
//   - a switch on time (time >= T, time < T, ...) whose T is not on the
//     dt grid: the run switches only at the first step at or after T.
//
// Each warning names the equation's position and key. Time constants and
// switch times that are not constant (they read a stock, or time) are
// left out.
func Hygiene(src, d *decl.Model, start, dt float64, vals map[string]float64) []*syntax.Error {
	h := &hygiene{d: d, start: start, dt: dt, vals: vals}
	var out []*syntax.Error
	for _, v := range src.Vars {
		if v.Kind != decl.Aux && v.Kind != decl.Flow {
			continue
		}
		eqs := []decl.Equation{v.Eq}
		for _, e := range v.ElementEqs {
			eqs = append(eqs, e.Eq)
		}
		for _, eq := range eqs {
			if eq.Expr != nil {
				out = append(out, h.equation(v, eq)...)
			}
		}
	}
	return out
}

type hygiene struct {
	d         *decl.Model
	start, dt float64
	vals      map[string]float64
}

// equation returns the warnings about one equation of v.
func (h *hygiene) equation(v *decl.Var, eq decl.Equation) []*syntax.Error {
	var out []*syntax.Error
	warn := func(at syntax.Expr, format string, args ...any) {
		out = append(out, &syntax.Error{Pos: eq.PosAt(at.Start()), Key: v.Key + ".eq", Msg: fmt.Sprintf(format, args...)})
	}
	twoDT := 2 * h.dt
	syntax.Walk(eq.Expr, func(x syntax.Expr) bool {
		switch x := x.(type) {
		case *syntax.Call:
			b := builtins[strings.ToLower(x.Fn.Name)]
			if b == nil || b.lag.i == 0 || len(x.Args) <= b.lag.i {
				return true
			}
			tc := b.lag
			t, ok := h.constant(x.Args[tc.i])
			if !ok {
				return true
			}
			stages := tc.stages
			if stages == 0 {
				n, ok := 0.0, false
				if len(x.Args) > tc.i+1 {
					n, ok = h.constant(x.Args[tc.i+1])
				}
				if !ok || n < 1 {
					return true
				}
				stages = int(math.Round(n))
			}
			per := t
			what := fmt.Sprintf("the time of %s is %s", x.Fn.Name, fmtNum(t))
			if stages > 1 {
				per = t / float64(stages)
				what = fmt.Sprintf("%s of order %d has stages of %s (time %s / %d)", x.Fn.Name, stages, shortNum(per), fmtNum(t), stages)
			}
			if per < twoDT {
				warn(x.Args[tc.i], "%s, less than two steps (dt = %s): the run cannot resolve it; make dt at most %s", what, fmtNum(h.dt), shortNum(per/2))
			}
		case *syntax.Binary:
			switch x.Op {
			case syntax.QUO:
				if v.Kind != decl.Flow {
					return true
				}
				id, ok := syntax.Unparen(x.Y).(*syntax.Ident)
				if !ok || !h.readsStock(x.X) {
					return true
				}
				p := h.d.Var(id.Name)
				if p == nil || p.Kind != decl.Param {
					return true
				}
				scale, ok := units.TimeScale(h.d, p.Units)
				if !ok {
					return true
				}
				val := h.vals[p.Name]
				t := val * scale
				if t < twoDT && t > 0 {
					in := ""
					if scale != 1 {
						in = fmt.Sprintf(" (%s %s)", shortNum(t), h.d.TimeUnits)
					}
					warn(x.Y, "%s = %s %s%s is a time constant (a stock divided by it) of less than two steps (dt = %s): the stock drains faster than the run can follow; make dt at most %s",
						p.Name, fmtNum(val), p.Units, in, fmtNum(h.dt), shortNum(t/2))
				}
			case syntax.LSS, syntax.LEQ, syntax.GTR, syntax.GEQ, syntax.EQL, syntax.NEQ:
				other := x.Y
				if !isTime(x.X) {
					if !isTime(x.Y) {
						return true
					}
					other = x.X
				}
				t, ok := h.constant(other)
				if !ok {
					return true
				}
				k := (t - h.start) / h.dt
				if math.Abs(k-math.Round(k)) <= 1e-9*math.Max(1, math.Abs(k)) {
					return true
				}
				next := h.start + math.Ceil(k)*h.dt
				warn(other, "the switch on time at %s is not on the dt grid (start %s, dt %s): the run switches at %s, the first step after it; put the time on the grid, or make dt divide it",
					fmtNum(t), fmtNum(h.start), fmtNum(h.dt), fmtNum(next))
			}
		}
		return true
	})
	return out
}

// constant returns the value of x when it is a number or an expression
// over numbers and params, as the run would start, and finite.
func (h *hygiene) constant(x syntax.Expr) (float64, bool) {
	v, ok := foldConst(x, h.vals)
	return v, ok && !math.IsInf(v, 0) && !math.IsNaN(v)
}

// readsStock reports whether x reads a stock.
func (h *hygiene) readsStock(x syntax.Expr) bool {
	found := false
	syntax.Walk(x, func(e syntax.Expr) bool {
		var name string
		switch e := e.(type) {
		case *syntax.Ident:
			name = e.Name
		case *syntax.Index:
			name = e.X.Name
		}
		if v := h.d.Var(name); name != "" && v != nil && v.Kind == decl.Stock {
			found = true
		} else if name != "" && v == nil {
			// An arrayed stock's elements are declared as name[e].
			for _, w := range h.d.Vars {
				if w.Kind == decl.Stock && strings.HasPrefix(w.Name, name+"[") {
					found = true
					break
				}
			}
		}
		return !found
	})
	return found
}

func isTime(x syntax.Expr) bool {
	id, ok := syntax.Unparen(x).(*syntax.Ident)
	return ok && strings.EqualFold(id.Name, "time")
}

// shortNum formats a derived number with at most four significant digits.
func shortNum(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
