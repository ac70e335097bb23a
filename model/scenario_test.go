package model

import (
	"strings"
	"testing"
)

const scenarioSrc = `
[sim]
stop = 1
dt = 1

[params]
a = { value = 1, min = 0, max = 10 }
b = 2

[aux.sum]
eq = "a + b"

[scenarios.baseline]
doc = "as the file says"

[scenarios.high]
doc = "a raised"
set = { a = 5 }
`

func TestRunScenario(t *testing.T) {
	m, err := Parse("s.toml", []byte(scenarioSrc))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Scenarios(), ","); got != "baseline,high" {
		t.Errorf("Scenarios() = %s, want baseline,high", got)
	}
	for _, tc := range []struct {
		name     string
		scenario string
		set      map[string]float64
		want     float64
	}{
		{"none", "", nil, 3},
		{"baseline", "baseline", nil, 3},
		{"scenario", "high", nil, 7},
		{"set on top of scenario", "high", map[string]float64{"a": 9}, 11},
		{"set another param", "high", map[string]float64{"b": 0}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := m.Run(t.Context(), RunOptions{Scenario: tc.scenario, Set: tc.set})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Series("sum")[0]; got != tc.want {
				t.Errorf("sum = %g, want %g", got, tc.want)
			}
		})
	}
	// The scenario does not change the model: a later run without it sees
	// the file's values.
	res, err := m.Run(t.Context(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Series("sum")[0]; got != 3 {
		t.Errorf("after scenario runs, sum = %g, want 3", got)
	}
}

func TestRunUnknownScenario(t *testing.T) {
	m, err := Parse("s.toml", []byte(scenarioSrc))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"hgh", `unknown scenario "hgh" (did you mean "high"?)`},
		{"zzzzzzzz", `unknown scenario "zzzzzzzz" (the model has baseline, high)`},
	} {
		_, err := m.Run(t.Context(), RunOptions{Scenario: tc.name})
		if err == nil || err.Error() != tc.want {
			t.Errorf("Scenario %q: error %v, want %s", tc.name, err, tc.want)
		}
	}
	m2, err := Parse("n.toml", []byte("[aux.x]\neq = \"1\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m2.Run(t.Context(), RunOptions{Scenario: "baseline"})
	if want := `unknown scenario "baseline": the model declares no scenarios`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

func TestRunScenarios(t *testing.T) {
	m, err := Parse("s.toml", []byte(scenarioSrc))
	if err != nil {
		t.Fatal(err)
	}
	runs, err := m.RunScenarios(t.Context(), RunOptions{Set: map[string]float64{"b": 0}})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 {
		t.Fatalf("got %d runs, want one per scenario, 2", len(runs))
	}
	for i, want := range []float64{1, 5} {
		if got := runs[i].Series("sum")[0]; got != want {
			t.Errorf("run %d: sum = %g, want %g", i, got, want)
		}
	}
	runs, err = m.RunScenarios(t.Context(), RunOptions{}, "high")
	if err != nil || len(runs) != 1 || runs[0].Series("sum")[0] != 7 {
		t.Errorf("RunScenarios(high) = %v, %v; want one run with sum 7", runs, err)
	}
	if _, err := m.RunScenarios(t.Context(), RunOptions{}, "high", "nope"); err == nil || !strings.HasPrefix(err.Error(), `unknown scenario "nope"`) {
		t.Errorf("error %v, want one naming the unknown scenario", err)
	}
}
