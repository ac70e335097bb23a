package model

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/stockflow/stockflow/model/decl"
)

// ExtremeCase is one run of the extreme-condition test (Extremes): one
// param at one of its extreme values, every other as opt gives it.
type ExtremeCase struct {
	Param string
	// At says which extreme Value is: "min", "max", "zero" or "x10"
	// (ten times the param's value).
	At    string
	Value float64
	// Problems lists what went wrong in the run and in the reality checks
	// run with the same value, in that order; none means the model held.
	Problems []ExtremeProblem
}

// ExtremeProblem is one thing that went wrong under an extreme value.
type ExtremeProblem struct {
	// Kind is "failed" (the run stopped with an error, such as a value
	// that became NaN), "nonfinite" (a variable was NaN or ±Inf at a save
	// point), "range" (a variable left its declared range), "negative"
	// (a non-negative stock or flow was below 0) or "check" (a reality
	// check failed).
	Kind string
	// Var is the variable, or the check's name for a failed check; empty
	// for a failed run.
	Var string
	// Time and Value are where and what it was first seen; NaN for a
	// failed run.
	Time, Value float64
	// Text describes the problem on one line.
	Text string
}

// Extremes runs the extreme-condition test of Sterman's Business
// Dynamics (ch. 21): each of the named params (every param when names is
// empty) at its declared min and max, at 0 and at ten times its value,
// each where the param's [min, max] allows it and it differs from the
// param's value under opt. A case reports a run that fails, a variable
// that becomes NaN or infinite, leaves its declared range, or a
// non-negative stock or flow below 0, and each reality check that fails
// with the same value (a check whose given sets the param itself keeps
// its own value and is left out).
func (m *Model) Extremes(ctx context.Context, opt RunOptions, names []string) ([]ExtremeCase, error) {
	var params []*decl.Var
	if len(names) == 0 {
		for _, v := range m.Decl.Vars {
			if v.Kind == decl.Param {
				params = append(params, v)
			}
		}
	}
	for _, n := range names {
		v := m.Decl.Var(n)
		if v == nil || v.Kind != decl.Param {
			return nil, fmt.Errorf("no param %q%s", n, suggestOf(n, m.Params()))
		}
		params = append(params, v)
	}
	base, err := m.paramValues(opt)
	if err != nil {
		return nil, err
	}
	var out []ExtremeCase
	for _, p := range params {
		for _, c := range extremeValues(p, base[p.Name]) {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			c.Problems, err = m.extremeRun(ctx, opt, p.Name, c.Value)
			if err != nil {
				return out, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// paramValues returns each param's value under opt's scenario and Set.
func (m *Model) paramValues(opt RunOptions) (map[string]float64, error) {
	vals := map[string]float64{}
	for _, v := range m.Decl.Vars {
		if v.Kind == decl.Param {
			vals[v.Name] = v.Value
		}
	}
	if opt.Scenario != "" {
		s := m.scenario(opt.Scenario)
		if s == nil {
			return nil, fmt.Errorf("unknown scenario %q", opt.Scenario)
		}
		maps.Copy(vals, s.Set)
	}
	maps.Copy(vals, opt.Set)
	return vals, nil
}

func (m *Model) scenario(name string) *decl.Scenario {
	for _, s := range m.Decl.Scenarios {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// extremeValues returns the cases of param p whose value is now x.
func extremeValues(p *decl.Var, x float64) []ExtremeCase {
	var out []ExtremeCase
	allowed := func(y float64) bool {
		return !(p.Min != nil && y < *p.Min || p.Max != nil && y > *p.Max) && !math.IsInf(y, 0)
	}
	add := func(at string, y float64) {
		if y == x || !allowed(y) || slices.ContainsFunc(out, func(c ExtremeCase) bool { return c.Value == y }) {
			return
		}
		out = append(out, ExtremeCase{Param: p.Name, At: at, Value: y})
	}
	if p.Min != nil {
		add("min", *p.Min)
	}
	if p.Max != nil {
		add("max", *p.Max)
	}
	add("zero", 0)
	add("x10", 10*x)
	return out
}

// extremeRun runs m with param at value, and its checks likewise.
func (m *Model) extremeRun(ctx context.Context, opt RunOptions, param string, value float64) ([]ExtremeProblem, error) {
	opt.Set = maps.Clone(opt.Set)
	if opt.Set == nil {
		opt.Set = map[string]float64{}
	}
	opt.Set[param] = value
	opt.Vars, opt.All = nil, false
	var probs []ExtremeProblem
	res, err := m.Run(ctx, opt)
	failed := err != nil
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		probs = append(probs, ExtremeProblem{Kind: "failed", Time: math.NaN(), Value: math.NaN(), Text: err.Error()})
	} else {
		probs = append(probs, resultProblems(m, res)...)
	}
	checks, err := m.RunChecks(ctx, opt)
	if err != nil {
		return nil, err
	}
	for _, c := range checks {
		if c.Pass || fixes(m, c.Check, param) || failed && c.Err != nil {
			// A check whose run failed as the case's did adds nothing.
			continue
		}
		probs = append(probs, ExtremeProblem{Kind: "check", Var: c.Check.Name, Time: c.Time, Value: math.NaN(), Text: c.String()})
	}
	return probs, nil
}

// fixes reports whether check ch's given sets param.
func fixes(m *Model, ch *decl.Check, param string) bool {
	if _, ok := ch.Set[param]; ok {
		return true
	}
	if s := m.scenario(ch.Scenario); s != nil {
		_, ok := s.Set[param]
		return ok
	}
	return false
}

// resultProblems returns the non-finite values, range violations and
// negative non-negative variables of a run, the first of each variable.
func resultProblems(m *Model, res *Result) []ExtremeProblem {
	var probs []ExtremeProblem
	for k, name := range res.Names {
		col := res.col(k)
		for i, x := range col {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				if v := m.Decl.Var(name); v != nil && v.Kind == decl.Data {
					break // NaN between points by design (interpolate = "none")
				}
				probs = append(probs, ExtremeProblem{Kind: "nonfinite", Var: name, Time: res.Times[i], Value: x,
					Text: fmt.Sprintf("%s was %s at time %s", name, fmtNum(x), fmtNum(res.Times[i]))})
				break
			}
		}
	}
	for _, v := range res.OutOfRange {
		if math.IsNaN(v.Value) {
			continue // reported as nonfinite
		}
		probs = append(probs, ExtremeProblem{Kind: "range", Var: v.Var, Time: v.Time, Value: v.Value, Text: v.String()})
	}
	for k, name := range res.Names {
		v := m.Decl.Var(name)
		if v == nil || !v.NonNegative || (v.Kind != decl.Stock && v.Kind != decl.Flow) {
			continue
		}
		for i, x := range res.col(k) {
			if x < 0 {
				probs = append(probs, ExtremeProblem{Kind: "negative", Var: name, Time: res.Times[i], Value: x,
					Text: fmt.Sprintf("%s, declared non-negative, was %s at time %s", name, fmtNum(x), fmtNum(res.Times[i]))})
				break
			}
		}
	}
	return probs
}

// suggestOf returns " (did you mean X?)" for the param closest to name.
func suggestOf(name string, ps []Param) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	if s := suggest(name, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}
