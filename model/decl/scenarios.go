package decl

import (
	"fmt"
	"slices"
	"sort"

	"github.com/stockflow/stockflow/model/syntax"
)

// Scenario is a named set of param values, declared as
//
//	[scenarios.no_fibre_cable]
//	doc = "The Sumqayit–Aktau cable is never laid"
//	set = { fibre_cable = 0 }
//
// A run of the scenario starts from the model's own param values and
// overrides those in Set; a run's own overrides (--set) come after it.
type Scenario struct {
	Name string
	Key  string // the entry's key in the file, e.g. "scenarios.no_fibre_cable"
	Doc  string

	// Set maps param names to the values the scenario gives them.
	Set map[string]float64
	// Params lists the names in Set in the order the file gives them.
	Params []string

	Pos syntax.Pos // where the entry is declared
	// FieldPos maps each field given in the file ("doc", "set") to the
	// position of its value, and "set.NAME" to the position of NAME's
	// value.
	FieldPos map[string]syntax.Pos
}

// Scenario returns the scenario with the given name, or nil.
func (m *Model) Scenario(name string) *Scenario {
	for _, s := range m.Scenarios {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// ScenarioNames returns the names of the model's scenarios in declaration
// order.
func (m *Model) ScenarioNames() []string {
	names := make([]string, len(m.Scenarios))
	for i, s := range m.Scenarios {
		names[i] = s.Name
	}
	return names
}

var scenarioKeys = []string{"doc", "set"}

// scenarios reads the [scenarios.NAME] tables. It runs after the
// variables are read, so that the params a scenario sets can be checked:
// each must be a param, and its value must lie in the param's [min, max].
func (r *reader) scenarios(m *Model, raw map[string]any) {
	r.readScenarios(m, raw)
	r.plotScenarios(m, raw)
}

func (r *reader) readScenarios(m *Model, raw map[string]any) {
	x, ok := raw["scenarios"]
	if !ok {
		return
	}
	sc := loc{path: []string{"scenarios"}, key: "scenarios"}
	t, ok := r.table(sc, x)
	if !ok {
		return
	}
	for _, name := range r.order("scenarios", t) {
		c := sc.child(name)
		s := &Scenario{Name: name, Key: c.key, Pos: r.keyPos(c), Set: make(map[string]float64), FieldPos: make(map[string]syntax.Pos)}
		if !r.checkName(c, name, "scenario") {
			continue
		}
		m.Scenarios = append(m.Scenarios, s)
		f, ok := r.table(c, t[name])
		if !ok {
			continue
		}
		r.unknownKeys(c, f, scenarioKeys)
		for k := range f {
			if contains(scenarioKeys, k) {
				s.FieldPos[k] = r.valPos(c.child(k))
			}
		}
		if v, ok := f["doc"]; ok {
			s.Doc, _ = r.str(c.child("doc"), v)
		}
		if v, ok := f["set"]; ok {
			r.scenarioSet(c.child("set"), s, v)
		}
	}
}

// scenarioSet reads a scenario's set table into s.
func (r *reader) scenarioSet(c loc, s *Scenario, x any) {
	t, ok := r.table(c, x)
	if !ok {
		return
	}
	for _, name := range r.subOrder(c.path, t) {
		pc := c.child(name)
		pos := r.valPos(pc)
		f, ok := r.num(pc, t[name])
		if !ok {
			continue
		}
		if !r.scenarioParam(pc, name, f, pos) {
			continue
		}
		s.Set[name] = f
		s.Params = append(s.Params, name)
		s.FieldPos["set."+name] = pos
	}
}

// scenarioParam reports whether a scenario may set name to f: name must
// be a param and f must lie in the param's range. It reports the problem
// if not.
func (r *reader) scenarioParam(c loc, name string, f float64, pos syntax.Pos) bool {
	v := r.defined[name]
	if v == nil {
		var params []string
		for n, d := range r.defined {
			if d.Kind == Param {
				params = append(params, n)
			}
		}
		sort.Strings(params)
		msg := fmt.Sprintf("unknown param %q", name)
		if sug := syntax.Suggest(name, params); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		} else if len(params) == 0 {
			msg += "; the model declares no params"
		}
		r.errorf(r.keyPos(c), c, "%s", msg)
		return false
	}
	if v.Kind != Param {
		r.errorf(r.keyPos(c), c, "%q is %s %s, and a scenario can set only params", name, article(v.Kind), v.Kind)
		return false
	}
	if v.Min != nil && f < *v.Min || v.Max != nil && f > *v.Max {
		lo, hi := "-inf", "+inf"
		if v.Min != nil {
			lo = ff(*v.Min)
		}
		if v.Max != nil {
			hi = ff(*v.Max)
		}
		r.errorf(pos, c, "value %s is outside the range [%s, %s] that params.%s declares: a scenario must stay within the values the param is documented for; widen min or max if %s is meaningful", ff(f), lo, hi, name, ff(f))
		return false
	}
	return true
}

// plotScenarios reads the scenarios key of each [[plots]] entry: the
// scenarios whose runs the plot overlays. Each must be declared, and such
// a plot draws one variable.
func (r *reader) plotScenarios(m *Model, raw map[string]any) {
	x, ok := raw["plots"]
	if !ok {
		return
	}
	list, _ := x.([]map[string]any)
	if list == nil {
		arr, _ := x.([]any)
		for _, e := range arr {
			if t, ok := e.(map[string]any); ok {
				list = append(list, t) // as arrayOfTables does, so that indices match m.Plots
			}
		}
	}
	c := loc{path: []string{"plots"}, key: "plots"}
	names := m.ScenarioNames()
	for i, t := range list {
		v, ok := t["scenarios"]
		if !ok || i >= len(m.Plots) {
			continue
		}
		p := m.Plots[i]
		sc := c.entry(i).child("scenarios")
		scs, pos, ok := r.stringList(sc, v)
		if !ok {
			continue
		}
		if len(scs) == 0 {
			r.errorf(r.valPos(sc), sc, "empty scenarios: list the scenarios to overlay, or leave scenarios out")
			continue
		}
		good := true
		seen := make(map[string]bool)
		for j, name := range scs {
			switch {
			case m.Scenario(name) == nil:
				msg := fmt.Sprintf("unknown scenario %q", name)
				if sug := syntax.Suggest(name, names); sug != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				} else if len(names) == 0 {
					msg += "; declare it as [scenarios." + name + "]"
				}
				r.errorf(pos[j], sc, "%s", msg)
				good = false
			case seen[name]:
				r.errorf(pos[j], sc, "scenario %q is listed twice", name)
				good = false
			}
			seen[name] = true
		}
		if len(p.Vars) > 1 {
			r.errorf(p.FieldPos["vars"], c.entry(i).child("vars"), "a plot of scenarios draws one variable, one line per scenario; it has %d: make one plot per variable", len(p.Vars))
			good = false
		}
		if good {
			p.Scenarios = scs
		}
	}
}

// subOrder returns the keys of the table t at path in the file's order,
// for tables nested deeper than a section's entries.
func (r *reader) subOrder(path []string, t map[string]any) []string {
	var names []string
	seen := make(map[string]bool)
	n := len(path)
	for _, k := range r.md.Keys() {
		if len(k) > n && !seen[k[n]] && slices.Equal(k[:n], path) {
			if _, ok := t[k[n]]; ok {
				seen[k[n]] = true
				names = append(names, k[n])
			}
		}
	}
	var rest []string
	for k := range t {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}
