package decl

import (
	"math"

	"github.com/stockflow/stockflow/model/syntax"
)

// Check is a reality check: behaviour the model must show under a given
// input, declared as
//
//	[[checks]]
//	name = "no_cable_no_fast_sync"
//	given = { fibre_cable = 0 }       # or given = "SCENARIO"
//	expect = "digital_sync <= sync_ceiling_without_cable"
//	within = [2024, 2040]             # or at = "end"; default every time
type Check struct {
	Name string
	Key  string // "checks[N]" for the N-th [[checks]] table (from 1)
	Doc  string

	// Scenario names the scenario the check runs (given = "NAME"); Set
	// holds the param values it runs with (given = { NAME = VALUE }), in
	// the order Params lists.
	Scenario string
	Set      map[string]float64
	Params   []string

	// Expect is the condition that must hold: an equation over the
	// model's variables that is true (not 0) at every save point, or at
	// the last one when AtEnd, or at those within Within.
	Expect Equation
	AtEnd  bool
	Within *[2]float64

	Pos      syntax.Pos
	FieldPos map[string]syntax.Pos
}

var checkKeys = []string{"name", "doc", "given", "expect", "at", "within"}

// checks reads the [[checks]] tables; it runs after the variables and
// scenarios are read, so that given can be checked.
func (r *reader) checks(m *Model, raw map[string]any) {
	x, ok := raw["checks"]
	if !ok {
		return
	}
	top := loc{path: []string{"checks"}, key: "checks"}
	list, ok := r.array(top, x)
	if !ok {
		return
	}
	names := map[string]bool{}
	for i, e := range list {
		c := top.entry(i)
		t, ok := r.table(c, e)
		if !ok {
			continue
		}
		ch := &Check{Key: c.key, Pos: r.keyPos(c), FieldPos: map[string]syntax.Pos{}, Set: map[string]float64{}}
		r.unknownKeys(c, t, checkKeys)
		for k := range t {
			ch.FieldPos[k] = r.valPos(c.child(k))
		}
		if v, ok := t["name"]; ok {
			ch.Name, _ = r.str(c.child("name"), v)
			if ch.Name != "" && names[ch.Name] {
				r.errorf(ch.FieldPos["name"], c.child("name"), "a check named %q is already declared; give each check its own name", ch.Name)
			}
			names[ch.Name] = true
		} else {
			r.errorf(ch.Pos, c, "missing name (each check needs one, e.g. name = \"no_ports_no_cargo\")")
		}
		if v, ok := t["doc"]; ok {
			ch.Doc, _ = r.str(c.child("doc"), v)
		}
		if v, ok := t["expect"]; ok {
			if _, isStr := v.(string); isStr {
				ch.Expect = r.equation(c.child("expect"), v)
			} else {
				r.typeError(c.child("expect"), "an equation (a string), e.g. \"cargo <= port_capacity\"", v)
			}
		} else {
			r.errorf(ch.Pos, c, "missing expect (the condition that must hold, e.g. expect = \"throughput >= 0\")")
		}
		if v, ok := t["given"]; ok {
			r.checkGiven(m, c.child("given"), ch, v)
		}
		if v, ok := t["at"]; ok {
			if s, ok := r.str(c.child("at"), v); ok {
				if s != "end" {
					r.errorf(ch.FieldPos["at"], c.child("at"), "at must be \"end\", got %q (leave it out to check every time; within = [t0, t1] checks a span)", s)
				}
				ch.AtEnd = s == "end"
			}
		}
		if v, ok := t["within"]; ok {
			r.checkWithin(c.child("within"), ch, v)
			if ch.AtEnd {
				r.errorf(ch.FieldPos["within"], c.child("within"), "give at = \"end\" or within, not both")
			}
		}
		m.Checks = append(m.Checks, ch)
	}
}

// checkGiven reads a check's given: a scenario's name, or a table of
// param values.
func (r *reader) checkGiven(m *Model, c loc, ch *Check, v any) {
	pos := r.valPos(c)
	switch v := v.(type) {
	case string:
		if m.Scenario(v) == nil {
			r.errorf(pos, c, "unknown scenario %q; given names a [scenarios.NAME] table or sets params, as given = { NAME = VALUE }", v)
		}
		ch.Scenario = v
	case map[string]any:
		for _, name := range r.order(c.key, v) {
			f, ok := r.num(c.child(name), v[name])
			if !ok {
				continue
			}
			if d := r.defined[name]; d == nil || d.Kind != Param {
				r.errorf(r.valPos(c.child(name)), c.child(name), "%q is not a param; given sets params only", name)
				continue
			}
			ch.Set[name] = f
			ch.Params = append(ch.Params, name)
		}
	default:
		r.typeError(c, "a scenario's name or a table of param values", v)
	}
}

// checkWithin reads a check's within = [t0, t1].
func (r *reader) checkWithin(c loc, ch *Check, v any) {
	pos := r.valPos(c)
	a, ok := v.([]any)
	if !ok || len(a) != 2 {
		r.errorf(pos, c, "within must be two times [t0, t1], e.g. [2030, 2040]")
		return
	}
	var w [2]float64
	for i, e := range a {
		f, ok := r.num(c, e)
		if !ok {
			return
		}
		w[i] = f
	}
	if w[0] > w[1] || math.IsNaN(w[0]) {
		r.errorf(pos, c, "within [%s, %s] ends before it starts; write [t0, t1]", ff(w[0]), ff(w[1]))
		return
	}
	ch.Within = &w
}
