package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// timeConstantArg maps each builtin with a time constant to the index of
// that argument and the number of first-order stages it makes (0: the
// order is the argument after the time; -1: a pipeline, no stages).
var timeConstantArg = map[string]struct{ arg, stages int }{
	"smth1": {1, 1}, "smooth": {1, 1}, "smoothi": {1, 1},
	"smth3": {1, 3}, "smooth3": {1, 3}, "smooth3i": {1, 3},
	"smthn":  {1, 0},
	"delay1": {1, 1}, "delay1i": {1, 1},
	"delay3": {1, 3}, "delay3i": {1, 3},
	"delayn": {1, 0},
	"delay":  {1, -1},
	"trend":  {1, 1}, "forcst": {1, 1}, "forecast": {1, 1},
}

// Hygiene returns warnings about the numerics of a run of m with opt's
// settings and params, found from the equations before any run:
//
//   - a time constant shorter than two steps: the averaging or delay
//     time of a smooth, delay or trend (per stage, for one of order n:
//     time/n), or a param in time units that a stock is divided by in a
//     flow's equation (a drain like stock/lifetime). Euler, rk2 and rk4
//     then misstate the decay or turn unstable; a smaller dt resolves it.
//   - a switch on time (time >= T, time < T, ...) whose T is not on the
//     dt grid: the run switches only at the first step at or after T.
//
// Each warning names the equation's position and key. Time constants and
// switch times that are not constant (they read a stock, or time) are
// left out; so is everything for rk45, which chooses its own steps.
func (m *Model) Hygiene(opt RunOptions) ([]*syntax.Error, error) {
	s, err := m.Settings(opt)
	if err != nil {
		return nil, err
	}
	vals, err := m.paramValues(opt)
	if err != nil {
		return nil, err
	}
	var out []*syntax.Error
	if s.Method == "rk45" {
		return nil, nil
	}
	src := m.Source
	if src == nil {
		src = m.Decl
	}
	h := &hygiene{m: m, s: s, vals: vals}
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
	return out, nil
}

type hygiene struct {
	m    *Model
	s    Settings
	vals map[string]float64
}

// equation returns the warnings about one equation of v.
func (h *hygiene) equation(v *decl.Var, eq decl.Equation) []*syntax.Error {
	var out []*syntax.Error
	warn := func(at syntax.Expr, format string, args ...any) {
		out = append(out, &syntax.Error{Pos: eq.PosAt(at.Start()), Key: v.Key + ".eq", Msg: fmt.Sprintf(format, args...)})
	}
	twoDT := 2 * h.s.DT
	syntax.Walk(eq.Expr, func(x syntax.Expr) bool {
		switch x := x.(type) {
		case *syntax.Call:
			tc, ok := timeConstantArg[strings.ToLower(x.Fn.Name)]
			if !ok || len(x.Args) <= tc.arg {
				return true
			}
			t, ok := h.constant(x.Args[tc.arg])
			if !ok {
				return true
			}
			stages := tc.stages
			if stages == 0 {
				n, ok := 0.0, false
				if len(x.Args) > tc.arg+1 {
					n, ok = h.constant(x.Args[tc.arg+1])
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
				warn(x.Args[tc.arg], "%s, less than two steps (dt = %s): the run cannot resolve it; make dt at most %s", what, fmtNum(h.s.DT), shortNum(per/2))
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
				p := h.m.Decl.Var(id.Name)
				if p == nil || p.Kind != decl.Param || !isTimeUnits(p.Units, h.m.Decl.TimeUnits) {
					return true
				}
				if t := h.vals[p.Name]; t < twoDT && t > 0 {
					warn(x.Y, "%s = %s %s is a time constant (a stock divided by it) of less than two steps (dt = %s): the stock drains faster than the run can follow; make dt at most %s",
						p.Name, fmtNum(t), p.Units, fmtNum(h.s.DT), shortNum(t/2))
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
				k := (t - h.s.Start) / h.s.DT
				if math.Abs(k-math.Round(k)) <= 1e-9*math.Max(1, math.Abs(k)) {
					return true
				}
				next := h.s.Start + math.Ceil(k)*h.s.DT
				warn(other, "the switch on time at %s is not on the dt grid (start %s, dt %s): the run switches at %s, the first step after it; put the time on the grid, or make dt divide it",
					fmtNum(t), fmtNum(h.s.Start), fmtNum(h.s.DT), fmtNum(next))
			}
		}
		return true
	})
	return out
}

// constant returns the value of x when it is a number or an expression
// over numbers and params, as the run would start.
func (h *hygiene) constant(x syntax.Expr) (float64, bool) {
	switch x := x.(type) {
	case *syntax.Num:
		return x.Value, true
	case *syntax.Paren:
		return h.constant(x.X)
	case *syntax.Ident:
		v, ok := h.vals[x.Name]
		return v, ok
	case *syntax.Unary:
		a, ok := h.constant(x.X)
		if !ok || x.Op != syntax.SUB && x.Op != syntax.ADD {
			return 0, false
		}
		if x.Op == syntax.SUB {
			a = -a
		}
		return a, true
	case *syntax.Binary:
		a, ok := h.constant(x.X)
		if !ok {
			return 0, false
		}
		b, ok := h.constant(x.Y)
		if !ok {
			return 0, false
		}
		switch x.Op {
		case syntax.ADD:
			return a + b, true
		case syntax.SUB:
			return a - b, true
		case syntax.MUL:
			return a * b, true
		case syntax.QUO:
			return a / b, b != 0
		case syntax.POW:
			return math.Pow(a, b), true
		}
	}
	return 0, false
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
		if v := h.m.Decl.Var(name); name != "" && v != nil && v.Kind == decl.Stock {
			found = true
		} else if name != "" && v == nil {
			// An arrayed stock's elements are declared as name[e].
			for _, w := range h.m.Decl.Vars {
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

// timeWords are units of time a param's units may name.
var timeWords = []string{"second", "minute", "hour", "day", "week", "month", "quarter", "year"}

// isTimeUnits reports whether units name a unit of time: the model's
// time units, or a word such as year or months.
func isTimeUnits(units, modelUnits string) bool {
	u := strings.ToLower(strings.TrimSpace(units))
	if u == "" {
		return false
	}
	if m := strings.ToLower(strings.TrimSpace(modelUnits)); m != "" && (u == m || u == m+"s" || u+"s" == m) {
		return true
	}
	for _, w := range timeWords {
		if u == w || u == w+"s" {
			return true
		}
	}
	return false
}

// shortNum formats a derived number with at most four significant digits.
func shortNum(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
