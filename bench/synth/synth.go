// Package synth writes the suite's models of the kind people run: a
// World3-class model (World) and a mid-size business model (Business).
// Neither is a copy of a published model. Each is generated from a
// Config by a fixed, deterministic recipe with the character of its kind:
//
//   - World: a dozen stocks, each filled and drained in proportion to
//     itself, and long chains of scalar aux between them — about a third
//     of the aux lookups of 5 to 15 points, the rest products, ratios,
//     weighted means, MIN and MAX, policy switches on Time, and SMOOTH,
//     SMOOTH3, DELAY1 and DELAY3 — about 200 variables, 400 Euler steps;
//     much as World3's structure is published (Meadows et al., Dynamics
//     of Growth in a Finite World, 1974).
//   - Business: more stocks, fewer lookups, more MIN, MAX and switches,
//     about 90 variables, 571 steps.
//
// A Config is written three ways with the same equations: a Vensim .mdl
// (Config.MDL), which stockflow and SDEverywhere both read; and
// straight-line Go (Config.Go), one statement per equation over local
// variables, as a person would write the model by hand in Go, or as
// SDEverywhere writes it in C: the baseline an engine is measured
// against. testdata/ holds the .mdl files, byhand/ the Go, native/ the Go
// that stockflow gen writes from the .mdl (bench/README.md says how to
// regenerate them).
//
// Every value stays positive and bounded: lookups give values in
// [0.2, 2.5]; products and quotients take lookup outputs only; a stock's
// inflow falls and its outflow rises with the stock's ratio to its
// initial value, so each stock settles.
package synth

import (
	"fmt"
	"math"
	"strconv"
)

// Config is the recipe of a model.
type Config struct {
	// Name is the model's name ("world", "business").
	Name string
	// Stocks is the number of stocks; each has one inflow, one outflow
	// and its ratio to its initial value.
	Stocks int
	// Aux is the number of aux in the chains between the stocks.
	Aux int
	// Lookup, Delay and Switch are the shares (out of 100) of the chain's
	// aux that are lookups, smooths or delays, and MIN, MAX or policy
	// switches; the rest are products, ratios, weighted means and sums.
	Lookup, Delay, Switch int
	// Start, Stop, DT and SaveEvery are the run's settings.
	Start, Stop, DT, SaveEvery float64
	// Outputs is the number of variables a run records when it does not
	// record every one.
	Outputs int
	// Salt varies the recipe's choices between models.
	Salt float64
}

// World is the World3-class model: 12 stocks, 165 chained aux, 213
// variables, 400 steps of half a year from 1900 to 2100.
var World = Config{Name: "world", Stocks: 12, Aux: 165, Lookup: 32, Delay: 10, Switch: 8,
	Start: 1900, Stop: 2100, DT: 0.5, SaveEvery: 1, Outputs: 5, Salt: 0.1}

// Business is the mid-size business model: 15 stocks, 33 chained aux, 93
// variables, 571 steps of a quarter week, recording 15 variables.
var Business = Config{Name: "business", Stocks: 15, Aux: 33, Lookup: 15, Delay: 12, Switch: 25,
	Start: 0, Stop: 142.75, DT: 0.25, SaveEvery: 0.25, Outputs: 15, Salt: 0.37}

// kinds of variable.
const (
	kStock  = iota
	kInflow // stock * rate * e_in(ratio) * g
	kOutflow
	kRatio  // stock / initial
	kLookup // table(x)
	kMul    // a * b
	kDiv    // a / b
	kMix    // a * w + b * (1 - w)
	kSum    // (a + b) * w
	kMin
	kMax
	kSwitch // IF THEN ELSE(Time >= year, a, b)
	kSmooth
	kSmooth3
	kDelay1
	kDelay3
)

// variable is one equation of a model.
type variable struct {
	name  string
	kind  int
	args  []int     // the variables it reads
	c     []float64 // its numbers
	param string    // the param it reads (a stock's initial value, a delay time, a rate)
	table int       // kLookup: index into Model.Tables
	tight bool      // its value lies in [0.2, 2.5]
}

// Table is a lookup table.
type Table struct {
	Name   string
	Xs, Ys []float64
}

// Param is a named constant.
type Param struct {
	Name  string
	Value float64
}

// Model is a Config's equations.
type Model struct {
	Config
	Vars   []variable // in an order in which each reads only earlier ones, but stocks
	Params []Param
	Tables []Table
}

// h is a deterministic spread in [0, 1) for i.
func h(i int, salt float64) float64 {
	return math.Mod(float64(i+1)*0.6180339887498949+salt*7.1, 1)
}

// round3 rounds to three decimals, so that the files read well.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// Build returns the model's equations.
func (c Config) Build() *Model {
	m := &Model{Config: c}
	add := func(v variable) int {
		m.Vars = append(m.Vars, v)
		return len(m.Vars) - 1
	}
	param := func(name string, v float64) string {
		m.Params = append(m.Params, Param{name, round3(v)})
		return name
	}
	table := func(x0, x1 float64, n int, shape int, salt float64) int {
		t := Table{Name: fmt.Sprintf("table_%d", len(m.Tables)+1)}
		lo := 0.2 + 0.6*h(len(m.Tables), salt)
		hi := lo + 0.5 + 1.2*h(len(m.Tables), salt+0.5)
		for i := range n {
			u := float64(i) / float64(n-1)
			var s float64
			switch shape {
			case 0: // rising S
				s = 1 / (1 + math.Exp(-8*(u-0.45)))
			case 1: // falling S
				s = 1 - 1/(1+math.Exp(-8*(u-0.55)))
			case 2: // rising, then levelling off
				s = 1 - math.Exp(-3*u)
			default: // a hump
				s = math.Sin(math.Pi * u)
			}
			t.Xs = append(t.Xs, round3(x0+(x1-x0)*u))
			t.Ys = append(t.Ys, round3(lo+(hi-lo)*s))
		}
		m.Tables = append(m.Tables, t)
		return len(m.Tables) - 1
	}
	npts := func(i int) int { return 5 + int(11*h(i, c.Salt+0.3)) } // 5 to 15

	// The stocks and their ratios come first; their flows last, when the
	// chains they read exist.
	stocks := make([]int, c.Stocks)
	ratios := make([]int, c.Stocks)
	for k := range c.Stocks {
		init := param(fmt.Sprintf("initial_s%d", k+1), 10+990*h(k, c.Salt))
		stocks[k] = add(variable{name: fmt.Sprintf("s%d", k+1), kind: kStock, param: init})
	}
	var pool []int // the chain's signals, in order
	for k := range c.Stocks {
		ratios[k] = add(variable{name: fmt.Sprintf("ratio_s%d", k+1), kind: kRatio, args: []int{stocks[k]},
			param: fmt.Sprintf("initial_s%d", k+1)})
		pool = append(pool, ratios[k])
	}
	var tight []int // lookup outputs and what keeps their range
	pick := func(from []int, i int, salt float64) int {
		// Mostly among the last dozen, sometimes anywhere: long chains
		// with some reach back.
		n := len(from)
		if h(i, salt) < 0.7 {
			return from[n-1-int(h(i, salt+0.2)*float64(min(n, 12)))]
		}
		return from[int(h(i, salt+0.4)*float64(n))]
	}
	delays := 0
	for i := range c.Aux {
		r := int(100 * h(i, c.Salt+0.9))
		v := variable{name: fmt.Sprintf("a%d", i+1)}
		switch {
		case r < c.Lookup || len(tight) < 2:
			x := pick(pool, i, c.Salt)
			v.kind, v.args, v.tight = kLookup, []int{x}, true
			xmax := 2.0
			if !m.Vars[x].tight {
				xmax = 3
			}
			v.table = table(0, xmax, npts(i), int(4*h(i, c.Salt+0.6)), c.Salt)
		case r < c.Lookup+c.Delay:
			x := pick(tight, i, c.Salt+0.1)
			v.kind, v.args, v.tight = kSmooth+delays%4, []int{x}, true
			v.param = param(fmt.Sprintf("time_a%d", i+1), 1+9*h(i, c.Salt+0.7))
			delays++
		case r < c.Lookup+c.Delay+c.Switch:
			a, b := pick(tight, i, c.Salt+0.2), pick(tight, i, c.Salt+0.3)
			v.args, v.tight = []int{a, b}, true
			switch i % 3 {
			case 0:
				v.kind = kMin
			case 1:
				v.kind = kMax
			default:
				v.kind = kSwitch
				v.c = []float64{math.Round(c.Start + (c.Stop-c.Start)*(0.3+0.5*h(i, c.Salt+0.8)))}
			}
		default:
			a, b := pick(tight, i, c.Salt+0.4), pick(tight, i, c.Salt+0.5)
			w := round3(0.1 + 0.8*h(i, c.Salt+0.6))
			switch i % 4 {
			case 0:
				v.kind, v.args = kMul, []int{a, b}
			case 1:
				v.kind, v.args = kDiv, []int{a, b}
			case 2:
				v.kind, v.args, v.c, v.tight = kMix, []int{a, b}, []float64{w}, true
			default:
				v.kind, v.args, v.c = kSum, []int{a, pick(pool, i, c.Salt+0.7)}, []float64{w}
			}
		}
		j := add(v)
		pool = append(pool, j)
		if v.tight {
			tight = append(tight, j)
		}
	}
	// Each stock's flows: its own ratio through a falling (inflow) or
	// rising (outflow) lookup, times a signal from the chains.
	for k := range c.Stocks {
		rate := param(fmt.Sprintf("rate_s%d", k+1), 0.02+0.06*h(k, c.Salt+0.1))
		life := param(fmt.Sprintf("life_s%d", k+1), 10+30*h(k, c.Salt+0.2))
		n := len(tight)
		g := tight[n/3+int(h(k, c.Salt+0.3)*float64(n-n/3))]
		e := tight[n/3+int(h(k, c.Salt+0.4)*float64(n-n/3))]
		tin := table(0, 3, npts(k+1000), 1, c.Salt+0.5)
		tout := table(0, 3, npts(k+2000), 0, c.Salt+0.6)
		in := add(variable{name: fmt.Sprintf("inflow_s%d", k+1), kind: kInflow, args: []int{stocks[k], ratios[k], g}, param: rate, table: tin})
		out := add(variable{name: fmt.Sprintf("outflow_s%d", k+1), kind: kOutflow, args: []int{stocks[k], ratios[k], e}, param: life, table: tout})
		m.Vars[stocks[k]].args = []int{in, out}
	}
	return m
}

// Names returns the model's variables (stocks, flows and aux) in order.
func (m *Model) Names() []string {
	n := make([]string, len(m.Vars))
	for i, v := range m.Vars {
		n[i] = v.name
	}
	return n
}

// Outputs returns the variables a run records when it does not record
// every one: some stocks, the last aux, a flow.
func (m *Model) Outputs() []string {
	var out []string
	for i := 0; len(out) < m.Config.Outputs; i++ {
		j := int(h(i, m.Salt+0.8) * float64(len(m.Vars)))
		name := m.Vars[j].name
		if i%3 == 0 {
			name = fmt.Sprintf("s%d", i/3%m.Stocks+1)
		}
		dup := false
		for _, o := range out {
			dup = dup || o == name
		}
		if !dup {
			out = append(out, name)
		}
	}
	return out
}

// Steps returns the number of Euler steps of a run.
func (c Config) Steps() int { return int(math.Round((c.Stop - c.Start) / c.DT)) }

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
