package loops

import (
	"math"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// Polarity is a loop's polarity: reinforcing, balancing or undetermined.
type Polarity string

// The polarities of a loop.
const (
	Reinforcing  Polarity = "R"
	Balancing    Polarity = "B"
	Undetermined Polarity = "U" // unknown, or changing sign during a run
)

// polarityOf returns the polarity of a product of link signs.
func polarityOf(signs ...int) Polarity {
	p := 1
	for _, s := range signs {
		p *= s
	}
	switch {
	case p > 0:
		return Reinforcing
	case p < 0:
		return Balancing
	}
	return Undetermined
}

// signs is a set of possible signs of a quantity: a bit for negative, zero
// and positive.
type signs uint8

const (
	sNeg  signs = 1
	sZero signs = 2
	sPos  signs = 4
	sNN         = sZero | sPos // non-negative
	sAll        = sNeg | sZero | sPos
)

func (a signs) neg() signs {
	return a&sZero | (a&sNeg)<<2 | (a&sPos)>>2
}

func combine(a, b signs, f func(x, y signs) signs) signs {
	var r signs
	for _, x := range []signs{sNeg, sZero, sPos} {
		if a&x == 0 {
			continue
		}
		for _, y := range []signs{sNeg, sZero, sPos} {
			if b&y != 0 {
				r |= f(x, y)
			}
		}
	}
	return r
}

func add(a, b signs) signs {
	return combine(a, b, func(x, y signs) signs {
		switch {
		case x == sZero:
			return y
		case y == sZero, x == y:
			return x
		}
		return sAll
	})
}

func mul(a, b signs) signs {
	return combine(a, b, func(x, y signs) signs {
		switch {
		case x == sZero || y == sZero:
			return sZero
		case x == y:
			return sPos
		}
		return sNeg
	})
}

func signOf(x float64) signs {
	switch {
	case x > 0:
		return sPos
	case x < 0:
		return sNeg
	case x == 0:
		return sZero
	}
	return sAll
}

// dependent reports whether a derivative set says the value depends on
// the variable at all.
func dependent(d signs) bool { return d != sZero }

// onlyIf returns sAll when d is dependent, else sZero: the derivative of a
// function that is not monotone in that argument.
func onlyIf(d signs) signs {
	if dependent(d) {
		return sAll
	}
	return sZero
}

// signAnalyzer decides the signs of values and of partial derivatives
// from the declared equations. Its conventions: a param has the sign of
// its value; a stock keeps the sign of its initial value (a non-negative
// stock is non-negative), which is the usual reading of a stock as an
// amount of something; an aux or flow has the sign of its equation.
type signAnalyzer struct {
	d     *decl.Model
	value map[string]signs
	busy  map[string]bool
}

func newSignAnalyzer(d *decl.Model) *signAnalyzer {
	return &signAnalyzer{d: d, value: map[string]signs{}, busy: map[string]bool{}}
}

// linkSign returns the structural sign of the link from → to: +1, -1, or
// 0 when it cannot be decided.
func (a *signAnalyzer) linkSign(from, to string) int {
	v := a.d.Var(to)
	if v == nil {
		return 0
	}
	var d signs
	switch v.Kind {
	case decl.Stock:
		in, out := slices.Contains(v.Inflows, from), slices.Contains(v.Outflows, from)
		switch {
		case in && !out:
			return 1
		case out && !in:
			return -1
		}
		return 0
	case decl.Flow, decl.Aux:
		if v.Eq.Expr == nil {
			return 0
		}
		_, d = a.expr(v.Eq.Expr, from)
		if v.Kind == decl.Flow && v.NonNegative {
			d = mul(d, sNN) // max(0, f) is non-decreasing in f
		}
	default:
		return 0
	}
	switch {
	case d&sPos != 0 && d&sNeg == 0:
		return 1
	case d&sNeg != 0 && d&sPos == 0:
		return -1
	}
	return 0
}

// valueOf returns the possible signs of a variable's value.
func (a *signAnalyzer) valueOf(name string) signs {
	if s, ok := a.value[name]; ok {
		return s
	}
	v := a.d.Var(name)
	if v == nil || a.busy[name] {
		return sAll
	}
	a.busy[name] = true
	defer delete(a.busy, name)
	s := sAll
	switch v.Kind {
	case decl.Param:
		s = signOf(v.Value)
	case decl.Stock:
		switch {
		case v.NonNegative:
			s = sNN
		case v.Eq.Expr != nil:
			if x, ok := a.constant(v.Eq.Expr, 0); ok {
				s = signOf(x)
			} else {
				s, _ = a.expr(v.Eq.Expr, "")
			}
			switch {
			case s&sNeg == 0:
				s = sNN
			case s&sPos == 0:
				s = sNeg | sZero
			default:
				s = sAll
			}
		}
	case decl.Flow, decl.Aux:
		if v.Eq.Expr != nil {
			s, _ = a.expr(v.Eq.Expr, "")
		}
		if v.Kind == decl.Flow && v.NonNegative {
			s = sNN
		}
	}
	a.value[name] = s
	return s
}

// lookupShape returns the possible signs of a lookup's values and of its
// slope.
func lookupShape(v *decl.Var) (value, slope signs) {
	if len(v.Points) == 0 {
		return sAll, sAll
	}
	for i, p := range v.Points {
		value |= signOf(p[1])
		if i > 0 {
			slope |= signOf(p[1] - v.Points[i-1][1])
		}
	}
	if slope == 0 {
		slope = sZero
	}
	if v.Extrapolate && slope != sZero {
		value = sAll
	}
	return value, slope
}

// Functions by how they depend on their first argument.
var (
	increasing = []string{"exp", "ln", "log10", "sqrt", "arctan", "arcsin"}
	steps      = []string{"int", "integer"} // non-decreasing, piecewise constant
	// lagging functions follow their first argument with a lag: an
	// increase in the input raises the output, sooner or later.
	lagging = []string{"smth1", "smooth", "smoothi", "smth3", "smooth3", "smooth3i", "smthn",
		"delay1", "delay1i", "delay3", "delay3i", "delayn", "delay", "previous"}
)

// expr returns the possible signs of x's value and of its partial
// derivative with respect to the variable named wrt.
func (a *signAnalyzer) expr(x syntax.Expr, wrt string) (v, d signs) {
	switch x := x.(type) {
	case *syntax.Num:
		return signOf(x.Value), sZero
	case *syntax.Paren:
		return a.expr(x.X, wrt)
	case *syntax.Ident:
		if x.Name == wrt {
			return a.valueOf(x.Name), sPos
		}
		switch strings.ToLower(x.Name) {
		case "dt", "pi", "inf":
			return sPos, sZero
		case "time", "starttime", "stoptime":
			return sAll, sZero
		}
		return a.valueOf(x.Name), sZero
	case *syntax.Unary:
		v, d := a.expr(x.X, wrt)
		switch x.Op {
		case syntax.SUB:
			return v.neg(), d.neg()
		case syntax.ADD:
			return v, d
		}
		return sNN, onlyIf(d)
	case *syntax.Binary:
		return a.binary(x, wrt)
	case *syntax.If:
		_, dc := a.expr(x.Cond, wrt)
		vt, dt := a.expr(x.Then, wrt)
		ve, de := a.expr(x.Else, wrt)
		if dependent(dc) {
			return vt | ve, sAll
		}
		return vt | ve, dt | de
	case *syntax.Call:
		return a.call(x, wrt)
	}
	return sAll, sAll
}

func (a *signAnalyzer) binary(x *syntax.Binary, wrt string) (signs, signs) {
	vx, dx := a.expr(x.X, wrt)
	vy, dy := a.expr(x.Y, wrt)
	switch x.Op {
	case syntax.ADD:
		return add(vx, vy), add(dx, dy)
	case syntax.SUB:
		return add(vx, vy.neg()), add(dx, dy.neg())
	case syntax.MUL:
		return mul(vx, vy), add(mul(dx, vy), mul(vx, dy))
	case syntax.QUO:
		// d(x/y) = (dx·y − x·dy)/y²
		return mul(vx, vy), add(mul(dx, vy), mul(vx, dy).neg())
	case syntax.POW:
		return a.pow(x, vx, dx, vy, dy)
	case syntax.GTR, syntax.GEQ:
		return sNN, add(dx, dy.neg()) | sZero // a step: flat almost everywhere
	case syntax.LSS, syntax.LEQ:
		return sNN, add(dx.neg(), dy) | sZero
	case syntax.EQL, syntax.NEQ, syntax.AND, syntax.OR:
		return sNN, onlyIf(dx | dy)
	}
	return sAll, onlyIf(dx | dy)
}

func (a *signAnalyzer) pow(x *syntax.Binary, vx, dx, vy, dy signs) (signs, signs) {
	n, isNum := syntax.Unparen(x.Y).(*syntax.Num)
	switch {
	case !dependent(dy) && isNum && n.Value == math.Trunc(n.Value) && math.Abs(n.Value) < 1<<53:
		k := int64(n.Value)
		if k == 0 {
			return sPos, sZero
		}
		even := k%2 == 0
		v := vx
		if even {
			v = mul(vx, vx)
		}
		// d(x^k) = k·x^(k−1)·dx
		pk := vx
		if !even {
			pk = mul(vx, vx)
		}
		return v, mul(mul(signOf(float64(k)), pk), dx)
	case !dependent(dy) && vx&sNeg == 0:
		// x ≥ 0 to a constant power: x^y ≥ 0, increasing in x if y > 0.
		return vx, mul(mul(vy, sNN), dx)
	case !dependent(dx) && vx == sPos:
		// b^y for a constant b > 0: increasing in y if b > 1.
		if b, ok := syntax.Unparen(x.X).(*syntax.Num); ok {
			return sPos, mul(signOf(math.Log(b.Value)), dy)
		}
		return sPos, onlyIf(dy)
	}
	return sAll, onlyIf(dx | dy)
}

func (a *signAnalyzer) call(x *syntax.Call, wrt string) (signs, signs) {
	name := strings.ToLower(x.Fn.Name)
	args := x.Args
	vs := make([]signs, len(args))
	ds := make([]signs, len(args))
	for i, arg := range args {
		if name == "lookup" && i == 0 {
			vs[i], ds[i] = sAll, sZero
			continue
		}
		vs[i], ds[i] = a.expr(arg, wrt)
	}
	rest := func(from int) signs { // dependence on arguments from..end
		var d signs = sZero
		for _, di := range ds[min(from, len(ds)):] {
			d |= onlyIf(di)
		}
		return d
	}
	if v := a.d.Var(x.Fn.Name); v != nil && v.Kind == decl.Lookup && len(args) == 1 {
		val, slope := lookupShape(v)
		return val, mul(slope, ds[0])
	}
	if len(args) == 0 {
		return sAll, sZero
	}
	switch {
	case name == "lookup" && len(args) == 2:
		id, _ := args[0].(*syntax.Ident)
		if id != nil {
			if v := a.d.Var(id.Name); v != nil && v.Kind == decl.Lookup {
				val, slope := lookupShape(v)
				return val, mul(slope, ds[1])
			}
		}
		return sAll, onlyIf(ds[1])
	case slices.Contains(increasing, name):
		v := vs[0]
		switch name {
		case "exp":
			v = sPos
		case "ln", "log10":
			v = sAll
		case "sqrt":
			v = sNN
		}
		return v, ds[0]
	case slices.Contains(steps, name):
		return vs[0] | sZero, mul(ds[0], sNN)
	case name == "arccos":
		return sNN, ds[0].neg()
	case name == "abs":
		return mul(vs[0], vs[0]), mul(vs[0], ds[0])
	case name == "min" || name == "max":
		v, d := signs(0), signs(0)
		for i := range args {
			v |= vs[i]
			d |= ds[i]
		}
		return v, d
	case slices.Contains(lagging, name):
		v := vs[0]
		var init int
		switch name {
		case "smthn", "delayn":
			init = 3
		case "previous":
			init = 1
		default:
			init = 2
		}
		if init < len(args) {
			v |= vs[init]
		}
		return v, ds[0] | rest(1)
	case name == "init":
		return vs[0], sZero
	case name == "zidz" || name == "safediv" || name == "xidz":
		if len(args) < 2 {
			break
		}
		v := mul(vs[0], vs[1]) | sZero
		d := add(mul(ds[0], vs[1]), mul(vs[0], ds[1]).neg())
		if len(args) > 2 {
			v |= vs[2]
			d |= ds[2]
		}
		return v, d
	case name == "if_then_else" && len(args) == 3:
		if dependent(ds[0]) {
			return vs[1] | vs[2], sAll
		}
		return vs[1] | vs[2], ds[1] | ds[2]
	case name == "step" || name == "pulse" || name == "ramp":
		return vs[0] | sZero, mul(ds[0], sNN) | rest(1)
	}
	return sAll, rest(0)
}

// constant evaluates an initial value written with numbers, params, the
// arithmetic operators and the initial values of other stocks.
func (a *signAnalyzer) constant(x syntax.Expr, depth int) (float64, bool) {
	if depth > 100 {
		return 0, false
	}
	switch x := x.(type) {
	case *syntax.Num:
		return x.Value, true
	case *syntax.Paren:
		return a.constant(x.X, depth+1)
	case *syntax.Ident:
		v := a.d.Var(x.Name)
		switch {
		case v == nil:
		case v.Kind == decl.Param:
			return v.Value, true
		case v.Kind == decl.Stock && v.Eq.Expr != nil:
			return a.constant(v.Eq.Expr, depth+1)
		}
	case *syntax.Unary:
		y, ok := a.constant(x.X, depth+1)
		switch x.Op {
		case syntax.SUB:
			return -y, ok
		case syntax.ADD:
			return y, ok
		}
	case *syntax.Binary:
		p, ok1 := a.constant(x.X, depth+1)
		q, ok2 := a.constant(x.Y, depth+1)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch x.Op {
		case syntax.ADD:
			return p + q, true
		case syntax.SUB:
			return p - q, true
		case syntax.MUL:
			return p * q, true
		case syntax.QUO:
			return p / q, q != 0
		case syntax.POW:
			return math.Pow(p, q), true
		}
	}
	return 0, false
}
