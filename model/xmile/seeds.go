package xmile

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// seedArg gives, for each random function, the index of its seed
// argument.
var seedArg = map[string]int{"random": 2, "normal": 2, "lognormal": 2, "exprnd": 1, "poisson": 1}

// foldSeeds writes the seed of each random function call as the number it
// is at the start of the run, when it is an expression of numbers and
// params (RANDOM(0, 1, seed + 1)): stockflow takes a seed written as a
// number only. A seed that reads other variables is left for the
// compiler to refuse.
func (r *reader) foldSeeds() {
	params := map[string]float64{}
	for _, v := range r.m.Vars {
		if v.Kind == decl.Param && v.Dims == nil {
			params[v.Name] = v.Value
		}
	}
	for _, v := range r.m.Vars {
		v.Eq = r.foldEq(v.Eq, params, v.Key)
		for i := range v.ElementEqs {
			v.ElementEqs[i].Eq = r.foldEq(v.ElementEqs[i].Eq, params, v.Key)
		}
	}
}

func (r *reader) foldEq(eq decl.Equation, params map[string]float64, key string) decl.Equation {
	if eq.Expr == nil {
		return eq
	}
	type repl struct {
		lo, hi int
		text   string
	}
	var rs []repl
	syntax.Walk(eq.Expr, func(e syntax.Expr) bool {
		c, ok := e.(*syntax.Call)
		if !ok {
			return true
		}
		i, ok := seedArg[strings.ToLower(c.Fn.Name)]
		if !ok || i >= len(c.Args) {
			return true
		}
		a := c.Args[i]
		if _, isNum := numValue(a); isNum {
			return true
		}
		if f, ok := constValue(a, params); ok {
			rs = append(rs, repl{a.Start(), a.End(), strconv.FormatFloat(f, 'g', -1, 64)})
		}
		return true
	})
	if len(rs) == 0 {
		return eq
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	var b strings.Builder
	var m []syntax.Pos
	at := 0
	for _, x := range rs {
		if x.lo < at {
			continue // nested in one already replaced
		}
		b.WriteString(eq.Text[at:x.lo])
		for k := at; k < x.lo; k++ {
			m = append(m, eq.PosAt(k))
		}
		b.WriteString(x.text)
		for range len(x.text) {
			m = append(m, eq.PosAt(x.lo))
		}
		at = x.hi
	}
	b.WriteString(eq.Text[at:])
	for k := at; k <= len(eq.Text); k++ {
		m = append(m, eq.PosAt(k))
	}
	out := decl.Equation{Text: b.String(), Pos: eq.Pos, Map: m}
	expr, err := syntax.Parse(out.Text)
	if err != nil {
		r.errs.Add(out.Pos, key, err.Error())
		return eq
	}
	out.Expr = expr
	return out
}

// constValue returns the value of x when it is made of numbers, scalar
// params and arithmetic.
func constValue(x syntax.Expr, params map[string]float64) (float64, bool) {
	switch x := x.(type) {
	case *syntax.Num:
		return x.Value, true
	case *syntax.Ident:
		f, ok := params[x.Name]
		return f, ok
	case *syntax.Paren:
		return constValue(x.X, params)
	case *syntax.Unary:
		f, ok := constValue(x.X, params)
		switch {
		case !ok:
		case x.Op == syntax.SUB:
			return -f, true
		case x.Op == syntax.ADD:
			return f, true
		}
	case *syntax.Binary:
		a, ok1 := constValue(x.X, params)
		b, ok2 := constValue(x.Y, params)
		if !ok1 || !ok2 {
			return 0, false
		}
		var f float64
		switch x.Op {
		case syntax.ADD:
			f = a + b
		case syntax.SUB:
			f = a - b
		case syntax.MUL:
			f = a * b
		case syntax.QUO:
			f = a / b
		case syntax.POW:
			f = math.Pow(a, b)
		default:
			return 0, false
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		return f, true
	}
	return 0, false
}
