package model

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// CheckResult is the outcome of one reality check ([[checks]]).
type CheckResult struct {
	Check *decl.Check
	// Pass reports whether Expect held wherever the check looks.
	Pass bool
	// Time is the first save point at which Expect was false (or NaN);
	// NaN when the check passed or its run failed.
	Time float64
	// Names lists the variables Expect reads, in the order it reads them,
	// and Values their values at Time.
	Names  []string
	Values []float64
	// Err is why the check's run failed, if it did; Pass is then false.
	Err error
}

// String describes the result on one line, e.g. "FAIL no_ports: at time
// 2031: cargo = 0.2, port_capacity = 0".
func (c CheckResult) String() string {
	switch {
	case c.Err != nil:
		return fmt.Sprintf("FAIL %s: %v", c.Check.Name, c.Err)
	case c.Pass:
		return "ok   " + c.Check.Name
	}
	s := fmt.Sprintf("FAIL %s: %s is false at time %s", c.Check.Name, c.Check.Expect.Text, fmtNum(c.Time))
	for i, n := range c.Names {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		s += sep + n + " = " + fmtNum(c.Values[i])
	}
	return s
}

// checkVar is the name of the hidden aux that holds a check's condition.
func checkVar(ch *decl.Check) string { return "$check·" + ch.Name }

// RunChecks runs each of the model's reality checks under opt (its
// method, dt, times and Set values; a check's given replaces opt's
// scenario, and its param values apply on top of opt.Set) and reports
// each. The error is for checks whose
// conditions do not compile: an unknown variable, a wrong argument count.
func (m *Model) RunChecks(ctx context.Context, opt RunOptions) ([]CheckResult, error) {
	src := m.Source
	if src == nil {
		src = m.Decl
	}
	if len(src.Checks) == 0 {
		return nil, nil
	}
	d := *src
	d.Vars = slices.Clone(src.Vars)
	for _, ch := range src.Checks {
		d.Vars = append(d.Vars, &decl.Var{Kind: decl.Aux, Name: checkVar(ch), Key: ch.Key + ".expect", Pos: ch.FieldPos["expect"], Eq: ch.Expect})
	}
	cm, err := Compile(&d)
	if err != nil {
		return nil, err
	}
	var out []CheckResult
	for _, ch := range src.Checks {
		out = append(out, cm.runCheck(ctx, opt, ch))
		if err := ctx.Err(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// runCheck runs one check.
func (m *Model) runCheck(ctx context.Context, opt RunOptions, ch *decl.Check) CheckResult {
	res := CheckResult{Check: ch, Time: math.NaN()}
	seen := map[string]bool{}
	syntax.Walk(ch.Expect.Expr, func(x syntax.Expr) bool {
		if id, ok := x.(*syntax.Ident); ok && !seen[id.Name] {
			seen[id.Name] = true
			if v := m.Decl.Var(id.Name); v != nil && v.Kind != decl.Param && v.Kind != decl.Lookup {
				res.Names = append(res.Names, id.Name)
			}
		}
		return true
	})
	opt.Scenario = ch.Scenario
	set := maps.Clone(opt.Set)
	if set == nil {
		set = map[string]float64{}
	}
	maps.Copy(set, ch.Set)
	opt.Set = set
	opt.Vars = append([]string{checkVar(ch)}, res.Names...)
	r, err := m.Run(ctx, opt)
	if err != nil {
		res.Err = err
		return res
	}
	cond := r.Series(checkVar(ch))
	first := 0
	if ch.AtEnd {
		first = len(cond) - 1
	}
	for i := first; i < len(cond); i++ {
		t := r.Times[i]
		if ch.Within != nil && (t < ch.Within[0] || t > ch.Within[1]) {
			continue
		}
		if cond[i] == 0 || math.IsNaN(cond[i]) {
			res.Time = t
			for _, n := range res.Names {
				res.Values = append(res.Values, r.Series(n)[i])
			}
			return res
		}
	}
	res.Pass = true
	return res
}
