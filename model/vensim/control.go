package vensim

import (
	"fmt"
	"math"
	"strings"
)

// ctlEval evaluates the equations of Vensim's control variables (INITIAL
// TIME, FINAL TIME, TIME STEP, SAVEPER) when the model is read: stockflow
// lays out the time grid before the run, so each must be a number or an
// expression of constants — other control variables, constants, and the
// functions of numbers below.
type ctlEval struct {
	r        *reader
	defs     map[string]*def // the unsubscripted equations, by key
	visiting map[string]bool
}

// notConst says why an expression is not known when the model is read:
// what it reads (Time, a stock, a function of the run) and through which
// variables.
type notConst struct {
	what string
	via  []string // the variables between the control variable and what
}

func (nc *notConst) String() string {
	if len(nc.via) == 0 {
		return " on " + nc.what
	}
	return ", through " + strings.Join(nc.via, " → ") + ", on " + nc.what
}

// ctlFuncs are the functions a control variable's equation may call, of
// numbers known when the model is read, with their argument counts.
var ctlFuncs = map[string]int{
	"abs": 1, "exp": 1, "ln": 1, "sqrt": 1, "integer": 1, "sin": 1, "cos": 1, "tan": 1,
	"arcsin": 1, "arccos": 1, "arctan": 1,
	"min": 2, "max": 2, "modulo": 2, "power": 2, "log": 2, "quantum": 2, "zidz": 2,
	"if then else": 3, "xidz": 3,
}

// eval returns the value of n, or why it is not known when the model is
// read.
func (ev *ctlEval) eval(n *node, depth int) (float64, *notConst) {
	if n == nil || depth > 200 {
		return 0, &notConst{what: "an equation nested too deeply"}
	}
	switch n.kind {
	case nNum:
		return n.num, nil
	case nParen:
		return ev.eval(n.x, depth+1)
	case nUnary:
		v, nc := ev.eval(n.x, depth+1)
		switch n.text {
		case "-":
			v = -v
		case "not":
			v = b2f(v == 0)
		}
		return v, nc
	case nBinary:
		a, nc := ev.eval(n.x, depth+1)
		if nc != nil {
			return 0, nc
		}
		b, nc := ev.eval(n.y, depth+1)
		if nc != nil {
			return 0, nc
		}
		v, ok := binop(n.text, a, b)
		if !ok {
			return 0, &notConst{what: "the operator " + n.text}
		}
		return v, nil
	case nRef:
		key := strings.TrimSpace(strings.TrimSuffix(n.key, "$"))
		if key == "time" {
			return 0, &notConst{what: "Time, which changes during the run"}
		}
		if len(n.subs) > 0 {
			return 0, &notConst{what: "the subscripted variable " + n.text + ", which stockflow does not read before the run"}
		}
		d := ev.defs[key]
		if d == nil {
			return 0, &notConst{what: n.text + ", which has no equation of its own (an unknown name, a subscripted variable, or a lookup)"}
		}
		if ev.visiting[key] {
			return 0, &notConst{what: n.text + " again: the equations go round in a circle"}
		}
		if d.rhs != nil && d.rhs.kind == nCall && d.rhs.key == "integ" {
			return 0, &notConst{what: "the stock " + d.name + ", which changes during the run"}
		}
		if d.rhs != nil && d.rhs.kind == nCall && getFunc(d.rhs.key) == getConstants && !d.data {
			// A constant read from a file: read it now (external leaves
			// the number in d.rhs, so reading it again later is a no-op).
			ev.r.external(d)
		}
		if d.data || d.rhs != nil && d.rhs.kind == nCall && strings.HasPrefix(d.rhs.key, "get ") {
			return 0, &notConst{what: "the data variable " + d.name + ", which changes during the run"}
		}
		ev.visiting[key] = true
		v, nc := ev.eval(d.rhs, depth+1)
		delete(ev.visiting, key)
		if nc != nil {
			nc.via = append([]string{d.name}, nc.via...)
		}
		return v, nc
	case nCall:
		want, ok := ctlFuncs[n.key]
		if !ok {
			return 0, &notConst{what: strings.ToUpper(n.text) + ", which stockflow evaluates only during the run"}
		}
		if len(n.args) != want {
			return 0, &notConst{what: fmt.Sprintf("%s with %d arguments (it takes %d)", strings.ToUpper(n.text), len(n.args), want)}
		}
		if n.key == "if then else" {
			// Only the branch taken counts, as at run time.
			c, nc := ev.eval(n.args[0], depth+1)
			if nc != nil {
				return 0, nc
			}
			if c != 0 {
				return ev.eval(n.args[1], depth+1)
			}
			return ev.eval(n.args[2], depth+1)
		}
		a := make([]float64, len(n.args))
		for i, x := range n.args {
			v, nc := ev.eval(x, depth+1)
			if nc != nil {
				return 0, nc
			}
			a[i] = v
		}
		return ctlCall(n.key, a), nil
	}
	return 0, &notConst{what: "an expression that is not a number"}
}

// ctlCall computes one of ctlFuncs, as the run would.
func ctlCall(key string, a []float64) float64 {
	switch key {
	case "abs":
		return math.Abs(a[0])
	case "exp":
		return math.Exp(a[0])
	case "ln":
		return math.Log(a[0])
	case "sqrt":
		return math.Sqrt(a[0])
	case "integer":
		return math.Trunc(a[0])
	case "sin":
		return math.Sin(a[0])
	case "cos":
		return math.Cos(a[0])
	case "tan":
		return math.Tan(a[0])
	case "arcsin":
		return math.Asin(a[0])
	case "arccos":
		return math.Acos(a[0])
	case "arctan":
		return math.Atan(a[0])
	case "min":
		return math.Min(a[0], a[1])
	case "max":
		return math.Max(a[0], a[1])
	case "modulo":
		return math.Mod(a[0], a[1])
	case "power":
		return math.Pow(a[0], a[1])
	case "log":
		return math.Log(a[0]) / math.Log(a[1])
	case "quantum":
		if a[1] <= 0 {
			return a[0]
		}
		return a[1] * math.Trunc(a[0]/a[1])
	case "zidz":
		if a[1] == 0 {
			return 0
		}
		return a[0] / a[1]
	case "xidz":
		if a[1] == 0 {
			return a[2]
		}
		return a[0] / a[1]
	case "if then else":
		if a[0] != 0 {
			return a[1]
		}
		return a[2]
	}
	return math.NaN()
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
