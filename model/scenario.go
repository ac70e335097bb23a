package model

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
)

// paramSet returns the param values a run overrides: the scenario's, if
// opt names one, then opt.Set on top.
func (m *Model) paramSet(opt RunOptions) (map[string]float64, error) {
	if opt.Scenario == "" {
		return opt.Set, nil
	}
	sc := m.Decl.Scenario(opt.Scenario)
	if sc == nil {
		return nil, m.unknownScenario(opt.Scenario)
	}
	set := make(map[string]float64, len(sc.Set)+len(opt.Set))
	maps.Copy(set, sc.Set)
	maps.Copy(set, opt.Set)
	return set, nil
}

// unknownScenario returns the error for a scenario the model does not
// declare, suggesting a close name or listing the model's scenarios.
func (m *Model) unknownScenario(name string) error {
	names := m.Decl.ScenarioNames()
	switch {
	case len(names) == 0:
		return fmt.Errorf("unknown scenario %q: the model declares no scenarios", name)
	case suggest(name, names) != "":
		return fmt.Errorf("unknown scenario %q (did you mean %q?)", name, suggest(name, names))
	}
	return fmt.Errorf("unknown scenario %q (the model has %s)", name, strings.Join(names, ", "))
}

// Scenarios returns the names of the model's scenarios in declaration
// order.
func (m *Model) Scenarios() []string { return m.Decl.ScenarioNames() }

// RunScenarios runs the model once for each named scenario — every
// scenario of the model, in declaration order, when names is empty — with
// opt and its Scenario set to that name, and returns the results in the
// order of the names. opt.Set still applies on top of each scenario.
func (m *Model) RunScenarios(ctx context.Context, opt RunOptions, names ...string) ([]*Result, error) {
	if len(names) == 0 {
		names = m.Scenarios()
		if len(names) == 0 {
			return nil, errors.New("the model declares no scenarios")
		}
	}
	for _, name := range names {
		if m.Decl.Scenario(name) == nil {
			return nil, m.unknownScenario(name)
		}
	}
	out := make([]*Result, len(names))
	for i, name := range names {
		opt.Scenario = name
		res, err := m.Run(ctx, opt)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", name, err)
		}
		out[i] = res
	}
	return out, nil
}
