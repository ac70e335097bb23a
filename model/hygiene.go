package model

import (
	"github.com/stockflow/stockflow/model/internal/compile"
	"github.com/stockflow/stockflow/model/syntax"
)

// Hygiene returns warnings about the numerics of a run of m with opt's
// settings and params, found from the equations before any run:
//
//   - a time constant shorter than two steps: the averaging or delay
//     time of a smooth, delay or trend (per stage, for one of order n:
//     time/n), or a param in time units that a stock is divided by in a
//     flow's equation (a drain like stock/lifetime): units that
//     units.TimeScale reads as a time of the model's time_units (so
//     [units] month = "year/12" makes months a time of a model in
//     years), its value converted to them. Euler, rk2 and rk4
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
	if s.Method == "rk45" {
		return nil, nil
	}
	src := m.Source
	if src == nil {
		src = m.Decl
	}
	return compile.Hygiene(src, m.Decl, s.Start, s.DT, vals), nil
}
