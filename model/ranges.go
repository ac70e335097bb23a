package model

import (
	"fmt"

	"github.com/stockflow/stockflow/model/decl"
)

// RangeViolation is the first time a run took a variable outside the
// range its declaration gives (range = [lo, hi] on a stock, flow or aux).
type RangeViolation struct {
	Var   string     // the variable, an array element as "x[a]"
	Time  float64    // the first save point at which it was outside
	Value float64    // its value then (NaN counts as outside)
	Range [2]float64 // the declared range; an open end is ±Inf
}

// String describes the violation as Result.Warnings does, e.g.
// "share left its range [0, 1] at time 2031: 1.044".
func (v RangeViolation) String() string {
	return fmt.Sprintf("%s left its range %s at time %s: %s", v.Var, decl.RangeText(v.Range), fmtNum(v.Time), fmtNum(v.Value))
}

// rangeCheck watches the variables with a declared range at save points.
// Its slices are made once per run; checking a save point allocates
// nothing, and a model that declares no range has nothing to check.
type rangeCheck struct {
	names  []string
	slots  []int32
	lo, hi []float64
	hit    []bool
	t, x   []float64 // per variable: the first time outside, and the value then
}

// rangedVars sets up the run's range check and returns the names of the
// variables it watches, which the run must compute at save points.
func (r *run) rangedVars(m *Model) []string {
	rc := &r.ranges
	for _, v := range m.Decl.Vars {
		if v.Range == nil {
			continue
		}
		i, ok := r.p.ByName[v.Name]
		if !ok {
			continue
		}
		rc.names = append(rc.names, v.Name)
		rc.slots = append(rc.slots, r.p.Vars[i].Slot)
		rc.lo = append(rc.lo, v.Range[0])
		rc.hi = append(rc.hi, v.Range[1])
	}
	n := len(rc.names)
	rc.hit = make([]bool, n)
	rc.t = make([]float64, n)
	rc.x = make([]float64, n)
	return rc.names
}

// check looks at the watched variables at save point t.
func (rc *rangeCheck) check(t float64, v []float64) {
	for k, s := range rc.slots {
		x := v[s]
		if !(x >= rc.lo[k] && x <= rc.hi[k]) && !rc.hit[k] {
			rc.hit[k], rc.t[k], rc.x[k] = true, t, x
		}
	}
}

// violations returns the first violation of each variable that left its
// range, in declaration order.
func (rc *rangeCheck) violations() []RangeViolation {
	var out []RangeViolation
	for k, hit := range rc.hit {
		if hit {
			out = append(out, RangeViolation{Var: rc.names[k], Time: rc.t[k], Value: rc.x[k], Range: [2]float64{rc.lo[k], rc.hi[k]}})
		}
	}
	return out
}

// finishRanges puts the run's range violations in its result.
func (r *run) finishRanges() {
	r.res.OutOfRange = r.ranges.violations()
	for _, v := range r.res.OutOfRange {
		r.res.Warnings = append(r.res.Warnings, v.String())
	}
}

// InitialRanges returns the variables whose values at the start time,
// under opt's params and scenario, are outside their declared ranges.
// It runs no step.
func (m *Model) InitialRanges(opt RunOptions) ([]RangeViolation, error) {
	opt.Trace = true // the whole flow code, as at a save point of a full run
	s, err := m.settings(opt)
	if err != nil {
		return nil, err
	}
	r, err := m.newRun(s, opt)
	if err != nil {
		return nil, err
	}
	r.Eval(s.Start, s.DT, r.stocks(), make([]float64, r.n))
	r.ranges.check(s.Start, r.v)
	return r.ranges.violations(), nil
}
