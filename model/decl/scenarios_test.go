package decl

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

// scenarioModel is a small valid model with params that scenarios set.
const scenarioModel = `[params]
r = { value = 0.3, min = 0, max = 1 }
K = 1000
year = { value = 2025, min = 2024 }

[stocks.population]
initial = 10
inflows = ["births"]

[flows.births]
eq = "r * population * (1 - population / K)"
`

func TestScenarios(t *testing.T) {
	src := scenarioModel + `
[scenarios.baseline]
doc = "the file's values"

[scenarios.fast]
doc = "faster growth"
set = { r = 0.9, K = 5000 }

[scenarios.late]
[scenarios.late.set]
year = 2030
r = 0

[scenarios]
dotted.doc = "dotted keys"
dotted.set.K = 1
`
	m, err := ParseTOML("s.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.ScenarioNames(), []string{"baseline", "fast", "late", "dotted"}; !slices.Equal(got, want) {
		t.Fatalf("scenarios %q, want %q", got, want)
	}
	for _, tc := range []struct {
		name   string
		doc    string
		params []string
		values []float64
	}{
		{"baseline", "the file's values", nil, nil},
		{"fast", "faster growth", []string{"r", "K"}, []float64{0.9, 5000}},
		{"late", "", []string{"year", "r"}, []float64{2030, 0}},
		{"dotted", "dotted keys", []string{"K"}, []float64{1}},
	} {
		s := m.Scenario(tc.name)
		if s == nil {
			t.Fatalf("no scenario %q", tc.name)
		}
		if s.Doc != tc.doc {
			t.Errorf("%s: doc %q, want %q", tc.name, s.Doc, tc.doc)
		}
		if s.Key != "scenarios."+tc.name {
			t.Errorf("%s: key %q, want %q", tc.name, s.Key, "scenarios."+tc.name)
		}
		if !slices.Equal(s.Params, tc.params) {
			t.Errorf("%s: params %q, want %q in the file's order", tc.name, s.Params, tc.params)
		}
		if len(s.Set) != len(tc.params) {
			t.Errorf("%s: set has %d entries, want %d", tc.name, len(s.Set), len(tc.params))
		}
		for i, p := range tc.params {
			if got := s.Set[p]; got != tc.values[i] {
				t.Errorf("%s: set %s = %g, want %g", tc.name, p, got, tc.values[i])
			}
			if !s.FieldPos["set."+p].IsValid() {
				t.Errorf("%s: no position for set.%s", tc.name, p)
			}
		}
	}
	if p := m.Scenario("fast").FieldPos["set.K"]; p.Line != 18 || p.Col != 22 {
		t.Errorf("fast's set.K at %d:%d, want 18:22", p.Line, p.Col)
	}
	if p := m.Scenario("late").Pos; p.Line != 20 {
		t.Errorf("late declared at line %d, want 20", p.Line)
	}
	if m.Scenario("nope") != nil {
		t.Error(`Scenario("nope") is not nil`)
	}
}

func TestScenarioErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		src       string
		line, col int
		key       string
		msg       string
	}{
		{"unknown param", "[scenarios.s]\nset = { rr = 0.5 }\n", 14, 9, "scenarios.s.set.rr", `unknown param "rr" (did you mean "r"?)`},
		{"suggests params only", "[scenarios.s]\nset = { populatio = 1 }\n", 14, 9, "scenarios.s.set.populatio", `unknown param "populatio"`},
		{"a stock", "[scenarios.s]\nset = { population = 1 }\n", 14, 9, "scenarios.s.set.population", `"population" is a stock, and a scenario can set only params`},
		{"a flow", "[scenarios.s]\nset = { births = 1 }\n", 14, 9, "scenarios.s.set.births", `"births" is a flow`},
		{"above max", "[scenarios.s]\nset = { r = 1.5 }\n", 14, 13, "scenarios.s.set.r", "value 1.5 is outside the range [0, 1] that params.r declares: a scenario must stay within the values the param is documented for; widen min or max if 1.5 is meaningful"},
		{"below min, no max", "[scenarios.s]\nset = { year = 2000 }\n", 14, 16, "scenarios.s.set.year", "value 2000 is outside the range [2024, +inf]"},
		{"not a number", "[scenarios.s]\nset = { r = \"0.5\" }\n", 14, 13, "scenarios.s.set.r", "write the number without quotes"},
		{"set not a table", "[scenarios.s]\nset = 3\n", 14, 7, "scenarios.s.set", "expected a table, got an integer"},
		{"doc not a string", "[scenarios.s]\ndoc = 3\n", 14, 7, "scenarios.s.doc", "expected a string, got an integer"},
		{"unknown key", "[scenarios.s]\nsett = { r = 0.5 }\n", 14, 1, "scenarios.s.sett", `unknown key "sett" (did you mean "set"?)`},
		{"param straight in the table", "[scenarios.s]\nr = 0.5\n", 14, 1, "scenarios.s.r", `unknown key "r"`},
		{"bad name", "[scenarios.no-cable]\ndoc = \"x\"\n", 13, 1, "scenarios.no-cable", `invalid scenario name "no-cable"`},
		{"scenario not a table", "[scenarios]\ns = 3\n", 14, 5, "scenarios.s", "expected a table, got an integer"},
		{"unknown top key", "[scenario.s]\ndoc = \"x\"\n", 13, 1, "scenario", `(did you mean "scenarios"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTOML("bad.toml", []byte(scenarioModel+"\n"+tc.src))
			var list syntax.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v, want a syntax.ErrorList", err)
			}
			e := list[0]
			if e.Pos.Line != tc.line || e.Pos.Col != tc.col || e.Key != tc.key || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %d:%d %s: %s\nwant %d:%d %s: …%s…", e.Pos.Line, e.Pos.Col, e.Key, e.Msg, tc.line, tc.col, tc.key, tc.msg)
			}
			if len(list) != 1 {
				t.Errorf("got %d errors, want 1: %v", len(list), err)
			}
		})
	}
}

// A model without params says so when a scenario sets one.
func TestScenarioNoParams(t *testing.T) {
	_, err := ParseTOML("bad.toml", []byte("[scenarios.s]\nset = { r = 1 }\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown param "r"; the model declares no params`) {
		t.Errorf("error %v, want one saying the model declares no params", err)
	}
}

// WriteTOML writes scenarios back in a form ParseTOML reads the same.
func TestScenariosWrite(t *testing.T) {
	src := scenarioModel + `
[scenarios.baseline]
doc = "the file's values"

[scenarios.fast]
set = { r = 0.9, K = 5000 }

[[plots]]
file = "p.png"
vars = ["population"]
scenarios = ["baseline", "fast"]
`
	m, err := ParseTOML("s.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteTOML(&b, m); err != nil {
		t.Fatal(err)
	}
	m2, err := ParseTOML("out.toml", []byte(b.String()))
	if err != nil {
		t.Fatalf("reading what WriteTOML wrote: %v\n%s", err, b.String())
	}
	if got, want := m2.ScenarioNames(), m.ScenarioNames(); !slices.Equal(got, want) {
		t.Fatalf("scenarios %q after writing, want %q", got, want)
	}
	if got, want := m2.Plots[0].Scenarios, m.Plots[0].Scenarios; !slices.Equal(got, want) {
		t.Errorf("plot scenarios %q after writing, want %q", got, want)
	}
	for _, s := range m.Scenarios {
		s2 := m2.Scenario(s.Name)
		if s2.Doc != s.Doc || !slices.Equal(s2.Params, s.Params) {
			t.Errorf("%s: got doc %q params %q, want %q %q", s.Name, s2.Doc, s2.Params, s.Doc, s.Params)
		}
		for _, p := range s.Params {
			if s2.Set[p] != s.Set[p] {
				t.Errorf("%s: %s = %g after writing, want %g", s.Name, p, s2.Set[p], s.Set[p])
			}
		}
	}
}

func TestPlotScenarios(t *testing.T) {
	src := scenarioModel + `
[[plots]]
file = "a.png"
vars = ["population"]

[[plots]]
file = "b.png"
vars = ["population"]
scenarios = ["fast", "baseline"]

[scenarios.baseline]
[scenarios.fast]
set = { r = 0.9 }
`
	m, err := ParseTOML("s.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Plots[0].Scenarios; got != nil {
		t.Errorf("plot 1 scenarios %q, want none", got)
	}
	if got, want := m.Plots[1].Scenarios, []string{"fast", "baseline"}; !slices.Equal(got, want) {
		t.Errorf("plot 2 scenarios %q, want %q", got, want)
	}

	for _, tc := range []struct {
		name, plot, key, msg string
	}{
		{"unknown", `scenarios = ["fas"]`, "plots[1].scenarios", `unknown scenario "fas" (did you mean "fast"?)`},
		{"twice", `scenarios = ["fast", "fast"]`, "plots[1].scenarios", `scenario "fast" is listed twice`},
		{"empty", `scenarios = []`, "plots[1].scenarios", "empty scenarios"},
		{"two vars", "scenarios = [\"fast\"]\nvars = [\"population\", \"births\"]", "plots[1].vars", "a plot of scenarios draws one variable, one line per scenario; it has 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vars := "vars = [\"population\"]\n"
			if strings.Contains(tc.plot, "vars") {
				vars = ""
			}
			src := scenarioModel + "\n[[plots]]\nfile = \"a.png\"\n" + vars + tc.plot + "\n\n[scenarios.fast]\n"
			_, err := ParseTOML("bad.toml", []byte(src))
			var list syntax.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v, want a syntax.ErrorList", err)
			}
			if e := list[0]; e.Key != tc.key || !strings.Contains(e.Msg, tc.msg) || !e.Pos.IsValid() {
				t.Errorf("got %s %s: %s, want %s: …%s…", e.Pos, e.Key, e.Msg, tc.key, tc.msg)
			}
		})
	}
	_, err = ParseTOML("bad.toml", []byte(scenarioModel+"\n[[plots]]\nfile = \"a.png\"\nvars = [\"population\"]\nscenarios = [\"x\"]\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown scenario "x"; declare it as [scenarios.x]`) {
		t.Errorf("error %v, want one saying to declare the scenario", err)
	}
}
