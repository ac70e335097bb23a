package model

import "fmt"

// Stocks returns the names of the model's state variables in state
// order: its stocks in declaration order, then the hidden stocks of
// stateful builtins (named "$owner·builtin·N"). This is the order of the
// vectors State and Rates use.
func (tr *Trace) Stocks() []string {
	p := tr.m.prog
	names := make([]string, len(p.stocks))
	for k, i := range p.stocks {
		names[k] = p.vars[i].name
	}
	return names
}

// State returns a copy of the state vector (the stocks, in Stocks order)
// at save point i.
func (tr *Trace) State(i int) ([]float64, error) {
	if i < 0 || i >= len(tr.states) {
		return nil, fmt.Errorf("save point %d is outside the trace [0, %d)", i, len(tr.states))
	}
	p := tr.m.prog
	return append([]float64(nil), tr.states[i][p.stockLo:int(p.stockLo)+len(p.stocks)]...), nil
}

// Rates evaluates the model's rates of change dy = f(t, y) at the time of
// save point i for an arbitrary state y (in Stocks order), with the
// params, discrete state (delays, previous, random draws) and step-time
// functions as they were at that save point. It is the right-hand side
// that a linear stability analysis differentiates. dy must have the
// length of y. Rates is safe for concurrent use.
func (tr *Trace) Rates(i int, y, dy []float64) error {
	p := tr.m.prog
	n := len(p.stocks)
	if len(y) != n || len(dy) != n {
		return fmt.Errorf("state vectors have length %d and %d, want %d", len(y), len(dy), n)
	}
	if i < 0 || i >= len(tr.states) {
		return fmt.Errorf("save point %d is outside the trace [0, %d)", i, len(tr.states))
	}
	r := &run{p: p, s: tr.s, n: n, v: append([]float64(nil), tr.states[i]...)}
	r.eval(tr.Times[i], tr.s.dt, y, dy)
	return nil
}
