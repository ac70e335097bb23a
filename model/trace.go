package model

import (
	"fmt"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// Trace is the complete state of a run at each save point — every
// variable, hidden ones included — so that analyses such as loop dominance
// can re-evaluate equations on it. Get one by running with
// RunOptions.Trace set. A Trace is read-only and safe for concurrent use.
type Trace struct {
	m      *Model
	s      settings
	Times  []float64
	states [][]float64
}

// Trace returns the run's trace, or nil if the run was made without
// RunOptions.Trace.
func (r *Result) Trace() *Trace { return r.trace }

// Len returns the number of save points.
func (tr *Trace) Len() int { return len(tr.Times) }

func (tr *Trace) lookup(name string) (*vm.Var, error) {
	i, ok := tr.m.prog.ByName[name]
	if !ok || tr.m.prog.Vars[i].Role == vm.Lookup {
		return nil, fmt.Errorf("the trace has no variable %q", name)
	}
	return tr.m.prog.Vars[i], nil
}

// Value returns the value of the named variable (hidden ones too) at save
// point i.
func (tr *Trace) Value(name string, i int) (float64, error) {
	v, err := tr.lookup(name)
	if err != nil {
		return 0, err
	}
	if i < 0 || i >= len(tr.states) {
		return 0, fmt.Errorf("save point %d is outside the trace [0, %d)", i, len(tr.states))
	}
	return tr.states[i][v.Slot], nil
}

// Model returns the model the trace was made by.
func (tr *Trace) Model() *Model { return tr.m }

// Series returns a copy of the named variable's values (hidden ones too)
// at every save point.
func (tr *Trace) Series(name string) ([]float64, error) {
	v, err := tr.lookup(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(tr.states))
	for i, s := range tr.states {
		out[i] = s[v.Slot]
	}
	return out, nil
}

// Snapshot copies every slot of the run at save point i (all variables,
// hidden ones included) into buf, grown as needed, and returns it: the
// buffer that Perturbation.At works on.
func (tr *Trace) Snapshot(i int, buf []float64) ([]float64, error) {
	if i < 0 || i >= len(tr.states) {
		return buf, fmt.Errorf("save point %d is outside the trace [0, %d)", i, len(tr.states))
	}
	return append(buf[:0], tr.states[i]...), nil
}

// Stocks returns the names of the model's state variables in state
// order: its stocks in declaration order, then the hidden stocks of
// stateful builtins (named "$owner·builtin·N"). This is the order of the
// vectors State and Rates use.
func (tr *Trace) Stocks() []string {
	p := tr.m.prog
	names := make([]string, len(p.Stocks))
	for k, i := range p.Stocks {
		names[k] = p.Vars[i].Name
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
	return append([]float64(nil), tr.states[i][p.StockLo:int(p.StockLo)+len(p.Stocks)]...), nil
}

// Rates evaluates the model's rates of change dy = f(t, y) at the time of
// save point i for an arbitrary state y (in Stocks order), with the
// params, discrete state (delays, previous, random draws) and step-time
// functions as they were at that save point. It is the right-hand side
// that a linear stability analysis differentiates. dy must have the
// length of y. Rates is safe for concurrent use.
func (tr *Trace) Rates(i int, y, dy []float64) error {
	p := tr.m.prog
	n := len(p.Stocks)
	if len(y) != n || len(dy) != n {
		return fmt.Errorf("state vectors have length %d and %d, want %d", len(y), len(dy), n)
	}
	if i < 0 || i >= len(tr.states) {
		return fmt.Errorf("save point %d is outside the trace [0, %d)", i, len(tr.states))
	}
	r := &run{p: p, tables: p.Tables, native: tr.m.native, s: tr.s, n: n, v: append([]float64(nil), tr.states[i]...)}
	if r.native != nil {
		// Generated code reads the segments of the lookups' last
		// readings: a Kernel of the call's own.
		r.kernel = newKernel(p)
	}
	r.Eval(tr.Times[i], tr.s.DT, y, dy)
	return nil
}
