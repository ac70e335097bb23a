package compile

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/internal/vm"
	"github.com/stockflow/stockflow/model/syntax"
)

// expandAll replaces each stateful builtin call by a reference to hidden
// variables that implement it.
func (c *compiler) expandAll() {
	n := len(c.p.Vars)
	for i := 0; i < n; i++ {
		v := c.p.Vars[i]
		switch v.Role {
		case vm.Flow, vm.Aux:
			if x, ok := syntax.Unparen(v.Eq).(*syntax.Call); ok && strings.EqualFold(x.Fn.Name, "active_initial") && len(x.Args) == 2 {
				v.Eq, v.InitEq = x.Args[0], c.expand(v, x.Args[1])
			}
			v.Eq = c.expand(v, v.Eq)
		case vm.Stock:
			v.Init = c.expand(v, v.Init)
		}
	}
}

// newHidden adds a hidden variable of role r for a builtin call in
// owner's equation, named "$owner·what·N"; what names the builtin and the
// part ("smooth3.2", "delay1.out") and N makes the name unique.
func (c *compiler) newHidden(owner *vm.Var, r vm.Role, what string) *vm.Var {
	c.hidden++
	h := &vm.Var{
		Name:    fmt.Sprintf("$%s·%s·%d", owner.Name, what, c.hidden),
		Role:    r,
		Hidden:  true,
		Src:     owner.Src,
		Key:     owner.Key,
		Builtin: what,
		Seed:    -1,
	}
	c.add(h)
	return h
}

// ident returns a reference to the variable name at offset at.
func ident(name string, at int) *syntax.Ident { return &syntax.Ident{At: at, Name: name} }

// number returns the literal x at offset at.
func number(x float64, at int) *syntax.Num {
	return &syntax.Num{At: at, Text: strconv.FormatFloat(x, 'g', -1, 64), Value: x}
}

// bin returns x op y.
func bin(x syntax.Expr, op syntax.Token, y syntax.Expr) syntax.Expr {
	return &syntax.Binary{X: x, Op: op, OpAt: x.Start(), Y: y}
}

// call returns a call of the builtin name at offset at.
func call(name string, at int, args ...syntax.Expr) syntax.Expr {
	return &syntax.Call{Fn: ident(name, at), Args: args, Rparen: at}
}

// expand rewrites x bottom-up, expanding stateful builtins.
func (c *compiler) expand(owner *vm.Var, x syntax.Expr) syntax.Expr {
	switch x := x.(type) {
	case *syntax.Unary:
		return &syntax.Unary{At: x.At, Op: x.Op, X: c.expand(owner, x.X)}
	case *syntax.Binary:
		return &syntax.Binary{X: c.expand(owner, x.X), Op: x.Op, OpAt: x.OpAt, Y: c.expand(owner, x.Y)}
	case *syntax.Paren:
		return &syntax.Paren{Lparen: x.Lparen, X: c.expand(owner, x.X), Rparen: x.Rparen}
	case *syntax.If:
		return &syntax.If{At: x.At, Cond: c.expand(owner, x.Cond), Then: c.expand(owner, x.Then), Else: c.expand(owner, x.Else)}
	case *syntax.Index:
		return x
	case *syntax.Call:
		args := make([]syntax.Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = c.expand(owner, a)
		}
		y := &syntax.Call{Fn: x.Fn, Args: args, Rparen: x.Rparen}
		name := strings.ToLower(x.Fn.Name)
		b, ok := builtins[name]
		if !ok || len(args) < b.min || (b.max >= 0 && len(args) > b.max) {
			return y // check reports it
		}
		if b.nonNeg.what != "" {
			args[b.nonNeg.i] = c.nonNegative(owner, args[b.nonNeg.i], b.nonNeg.what+" of "+name)
		}
		if b.expand != nil {
			return b.expand(c, owner, y.Start(), args)
		}
		return y
	}
	return x
}

// The expansions of the stateful builtins (builtins.go). Each gets the
// call's position and its arguments, expanded already, and returns what
// replaces the call.

// arg returns argument i, or nil when the call leaves it out.
func arg(a []syntax.Expr, i int) syntax.Expr {
	if i < len(a) {
		return a[i]
	}
	return nil
}

// expandSmooth expands smth1 and smth3 (n 1 and 3), and smthn (n 0:
// the third argument gives it).
func expandSmooth(n int) func(*compiler, *vm.Var, int, []syntax.Expr) syntax.Expr {
	return expandStaged(n, (*compiler).smooth)
}

// expandDelayN expands delay1 and delay3 (n 1 and 3), and delayn (n 0:
// the third argument gives it).
func expandDelayN(n int) func(*compiler, *vm.Var, int, []syntax.Expr) syntax.Expr {
	return expandStaged(n, (*compiler).delayN)
}

// expandStaged expands a chain of n stages built by build(input, time,
// initial, n); with n 0 the third argument is the stage count and the
// fourth the initial value.
func expandStaged(n int, build func(c *compiler, owner *vm.Var, at int, input, T, init syntax.Expr, n int) syntax.Expr) func(*compiler, *vm.Var, int, []syntax.Expr) syntax.Expr {
	return func(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
		n, init := n, arg(a, 2)
		if n == 0 {
			k, ok := c.stageCount(owner, a[2])
			if !ok {
				return number(0, at)
			}
			n, init = k, arg(a, 3)
		}
		return build(c, owner, at, a[0], a[1], init, n)
	}
}

// trendOf is trend(input, T): the fractional rate of change of input
// against its smoothed value avg.
func trendOf(at int, input, T, avg syntax.Expr) syntax.Expr {
	return call("zidz", at, bin(input, syntax.SUB, avg), bin(T, syntax.MUL, call("abs", at, avg)))
}

func expandTrend(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	return trendOf(at, a[0], a[1], c.trendAverage(owner, at, a[0], a[1], arg(a, 2)))
}

// expandForecast expands forcst(input, T, horizon): input extrapolated by
// its trend, input * (1 + trend * horizon).
func expandForecast(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	tr := trendOf(at, a[0], a[1], c.trendAverage(owner, at, a[0], a[1], arg(a, 3)))
	return bin(a[0], syntax.MUL, bin(number(1, at), syntax.ADD, bin(tr, syntax.MUL, a[2])))
}

// expandDelay expands the exact pipeline delay: a pipeline that records
// its input each step, with its delay time fixed at the start.
func expandDelay(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	in := c.recorded(owner, a[0], "delay")
	dt := c.newHidden(owner, vm.Initial, "delay_time")
	dt.Init = a[1]
	if v, ok := constValue(a[1]); ok && v < 0 {
		// The run checks other values when it sizes the pipeline.
		c.errorAt(owner, a[1].Start(), "the delay time of delay must not be negative, got %s", fmtNum(v))
	}
	p := c.newPipe(owner, "delay", in, dt, a)
	return ident(p.Name, at)
}

// newPipe makes the pipeline of a delay of owner's, called name, whose
// input is recorded in the hidden variable in and whose delay time is
// dt; its value before anything leaves is a[2], or the input a[0] when
// there is no a[2].
func (c *compiler) newPipe(owner *vm.Var, name string, in, dt *vm.Var, a []syntax.Expr) *vm.Var {
	p := c.newHidden(owner, vm.Pipeline, name)
	p.Input = c.p.ByName[in.Name]
	p.DelayT = c.p.ByName[dt.Name]
	p.Init = arg(a, 2)
	if p.Init == nil {
		p.Init = a[0]
	}
	c.p.Pipes = append(c.p.Pipes, c.p.ByName[p.Name])
	return p
}

// expandVarDelay expands delay_material (MaterialPipe) and
// delay_information (InformationPipe): a pipeline that records its input
// and its delay time each step, the input leaving after the delay time
// of the step it entered.
func expandVarDelay(kind vm.PipeKind) func(*compiler, *vm.Var, int, []syntax.Expr) syntax.Expr {
	name := "delay_material"
	if kind == vm.InformationPipe {
		name = "delay_information"
	}
	return func(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
		in := c.recorded(owner, a[0], name)
		if v, ok := constValue(a[1]); ok && v < 0 {
			// The run checks other values at each step.
			c.errorAt(owner, a[1].Start(), "the delay time of %s must not be negative, got %s", name, fmtNum(v))
		}
		dt := c.newHidden(owner, vm.HiddenFlow, name+".delay_time")
		dt.Eq = a[1]
		var miss *vm.Var
		if kind == vm.MaterialPipe {
			miss = c.newHidden(owner, vm.Initial, name+".missing")
			miss.Init = arg(a, 3)
			if miss.Init == nil {
				miss.Init = number(0, at)
			}
		}
		p := c.newPipe(owner, name, in, dt, a)
		p.Pipe = kind
		if miss != nil {
			p.Missing = c.p.ByName[miss.Name]
		}
		return ident(p.Name, at)
	}
}

func expandPrevious(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	in := c.recorded(owner, a[0], "previous")
	p := c.newHidden(owner, vm.Previous, "previous")
	p.Input = c.p.ByName[in.Name]
	p.Init = arg(a, 1)
	if p.Init == nil {
		p.Init = a[0]
	}
	c.p.Prevs = append(c.p.Prevs, c.p.ByName[p.Name])
	return ident(p.Name, at)
}

func expandInit(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	h := c.newHidden(owner, vm.Initial, "init")
	h.Init = a[0]
	return ident(h.Name, at)
}

// expandRandom expands random(min, max): min + (max - min) * u.
func expandRandom(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	u := c.draw(owner, vm.Uniform, arg(a, 2))
	return bin(a[0], syntax.ADD, bin(&syntax.Paren{Lparen: at, X: bin(a[1], syntax.SUB, a[0]), Rparen: at}, syntax.MUL, ident(u, at)))
}

// expandNormal expands normal(mean, sd): mean + sd * z.
func expandNormal(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	z := c.draw(owner, vm.Normal, arg(a, 2))
	return bin(a[0], syntax.ADD, bin(a[1], syntax.MUL, ident(z, at)))
}

// expandExprnd expands exprnd(mean): -mean * ln(1 - u).
func expandExprnd(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	u := c.draw(owner, vm.Uniform, arg(a, 1))
	return bin(&syntax.Unary{At: at, Op: syntax.SUB, X: a[0]}, syntax.MUL, call("ln", at, bin(number(1, at), syntax.SUB, ident(u, at))))
}

// expandLognormal expands lognormal(m, s), m and s the mean and standard
// deviation of the lognormal itself: exp(mu + sigma * z) with
// mu = ln(m^2/sqrt(s^2+m^2)) and sigma = sqrt(ln(1+s^2/m^2)).
func expandLognormal(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	z := c.draw(owner, vm.Normal, arg(a, 2))
	m, s := a[0], a[1]
	m2 := bin(m, syntax.MUL, m)
	s2 := bin(s, syntax.MUL, s)
	mu := call("ln", at, bin(m2, syntax.QUO, call("sqrt", at, bin(s2, syntax.ADD, m2))))
	sigma := call("sqrt", at, call("ln", at, bin(number(1, at), syntax.ADD, bin(s2, syntax.QUO, m2))))
	return call("exp", at, bin(mu, syntax.ADD, bin(sigma, syntax.MUL, ident(z, at))))
}

// expandPoisson expands poisson(mean) to the inverse Poisson CDF at a
// uniform draw.
func expandPoisson(c *compiler, owner *vm.Var, at int, a []syntax.Expr) syntax.Expr {
	u := c.draw(owner, vm.Uniform, arg(a, 1))
	return call("$poisson", at, a[0], ident(u, at))
}

// stageCount evaluates the stage count of smthn or delayn, which must be a
// whole number written in the equation.
func (c *compiler) stageCount(owner *vm.Var, x syntax.Expr) (int, bool) {
	val, ok := constValue(x)
	if !ok || val < 1 || val > 1000 || val != math.Trunc(val) {
		c.errorAt(owner, x.Start(), "the order of smthn and delayn must be a whole number from 1 to 1000 written in the equation, got %s", syntax.Print(x))
		return 0, false
	}
	return int(val), true
}

// constValue evaluates an expression of number literals and arithmetic.
func constValue(x syntax.Expr) (float64, bool) { return foldConst(x, nil) }

// foldConst evaluates an expression of number literals, arithmetic
// (+, -, *, /, ^) and the names vals gives values for.
func foldConst(x syntax.Expr, vals map[string]float64) (float64, bool) {
	switch x := x.(type) {
	case *syntax.Num:
		return x.Value, true
	case *syntax.Paren:
		return foldConst(x.X, vals)
	case *syntax.Ident:
		v, ok := vals[x.Name]
		return v, ok
	case *syntax.Unary:
		v, ok := foldConst(x.X, vals)
		if ok && x.Op == syntax.SUB {
			return -v, true
		}
		return v, ok && x.Op == syntax.ADD
	case *syntax.Binary:
		a, ok1 := foldConst(x.X, vals)
		b, ok2 := foldConst(x.Y, vals)
		if !ok1 || !ok2 {
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
			return a / b, true
		case syntax.POW:
			return math.Pow(a, b), true
		}
	}
	return 0, false
}

// smooth expands an n-th order exponential smooth into n hidden stocks.
func (c *compiler) smooth(owner *vm.Var, at int, input, T, init syntax.Expr, n int) syntax.Expr {
	if init == nil {
		init = input
	}
	stage := T
	if n > 1 {
		stage = &syntax.Paren{Lparen: at, X: bin(T, syntax.QUO, number(float64(n), at)), Rparen: at}
	}
	prev := input
	var s *vm.Var
	for i := 0; i < n; i++ {
		s = c.newHidden(owner, vm.HiddenStock, fmt.Sprintf("smooth%d.%d", n, i+1))
		s.Init = init
		f := c.newHidden(owner, vm.HiddenFlow, fmt.Sprintf("smooth%d.%d.rate", n, i+1))
		f.Eq = bin(&syntax.Paren{Lparen: at, X: bin(prev, syntax.SUB, ident(s.Name, at)), Rparen: at}, syntax.QUO, stage)
		s.Inflows = []int{c.p.ByName[f.Name]}
		prev = ident(s.Name, at)
	}
	return ident(s.Name, at)
}

// delayN expands an n-th order material delay into a chain of n hidden
// stocks; its value is the outflow of the last.
func (c *compiler) delayN(owner *vm.Var, at int, input, T, init syntax.Expr, n int) syntax.Expr {
	if init == nil {
		init = input
	}
	stage := T
	if n > 1 {
		stage = &syntax.Paren{Lparen: at, X: bin(T, syntax.QUO, number(float64(n), at)), Rparen: at}
	}
	in := c.newHidden(owner, vm.HiddenFlow, fmt.Sprintf("delay%d.in", n))
	in.Eq = input
	inflow := c.p.ByName[in.Name]
	var out *vm.Var
	for i := 0; i < n; i++ {
		s := c.newHidden(owner, vm.HiddenStock, fmt.Sprintf("delay%d.%d", n, i+1))
		s.Init = bin(init, syntax.MUL, stage)
		out = c.newHidden(owner, vm.HiddenFlow, fmt.Sprintf("delay%d.%d.out", n, i+1))
		out.Eq = bin(ident(s.Name, at), syntax.QUO, stage)
		s.Inflows = []int{inflow}
		s.Outflows = []int{c.p.ByName[out.Name]}
		inflow = c.p.ByName[out.Name]
	}
	return ident(out.Name, at)
}

// trendAverage is the smoothed input behind trend and forcst, started so
// that the initial trend is initTrend (default 0).
func (c *compiler) trendAverage(owner *vm.Var, at int, input, T, initTrend syntax.Expr) syntax.Expr {
	var init syntax.Expr = input
	if initTrend != nil {
		init = bin(input, syntax.QUO, &syntax.Paren{Lparen: at, X: bin(number(1, at), syntax.ADD, bin(initTrend, syntax.MUL, T)), Rparen: at})
	}
	return c.smooth(owner, at, input, T, init, 1)
}

// recorded makes a hidden variable holding x, so that its value can be
// recorded at the start of each step.
func (c *compiler) recorded(owner *vm.Var, x syntax.Expr, what string) *vm.Var {
	h := c.newHidden(owner, vm.HiddenFlow, what+".input")
	h.Eq = x
	return h
}

// draw makes a random draw variable, refreshed at each step.
func (c *compiler) draw(owner *vm.Var, r vm.Role, seed syntax.Expr) string {
	h := c.newHidden(owner, r, "random")
	if seed != nil {
		s, ok := constValue(seed)
		if !ok {
			c.errorAt(owner, seed.Start(), "a random function's seed must be a number written in the equation")
		} else {
			h.Seed = int64(s)
			if h.Seed < 0 {
				h.Seed = -h.Seed
			}
		}
	}
	c.p.Randoms = append(c.p.Randoms, c.p.ByName[h.Name])
	return h.Name
}
