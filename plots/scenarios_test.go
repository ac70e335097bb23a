package plots

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"github.com/stockflow/stockflow/model"
)

const scenarioModel = `
name = "Growth"
time_units = "year"

[sim]
stop = 10

[params]
k = { value = 1, min = 0, max = 5 }

[stocks.x]
initial = 0
inflows = ["grow"]

[flows.grow]
eq = "k"

[thresholds.high]
var = "x"
level = 4

[[plots]]
file = "x.png"
title = "x by scenario"
vars = ["x"]
thresholds = ["high"]
scenarios = ["slow", "fast", "none"]

[scenarios.slow]
[scenarios.fast]
set = { k = 2 }
[scenarios.none]
set = { k = 0 }
`

func TestScenarios(t *testing.T) {
	m, err := model.Parse("s.toml", []byte(scenarioModel))
	if err != nil {
		t.Fatal(err)
	}
	pl := m.Decl.Plots[0]
	runs, err := m.RunScenarios(t.Context(), model.RunOptions{}, pl.Scenarios...)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ForScenarioPlot(m, pl, runs)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Panels) != 1 {
		t.Fatalf("%d panels, want 1", len(f.Panels))
	}
	p := f.Panels[0]
	if p.Title != "x by scenario" {
		t.Errorf("title %q, want the entry's", p.Title)
	}
	if len(p.Lines) != 3 {
		t.Fatalf("%d lines, want one per scenario, 3", len(p.Lines))
	}
	for i, want := range []string{"slow (crosses at 4.0)", "fast (crosses at 2.0)", "none (never crosses)"} {
		if got := p.Lines[i].Label; got != want {
			t.Errorf("line %d labelled %q, want %q", i, got, want)
		}
	}
	if got := p.Lines[1].Y[len(p.Lines[1].Y)-1]; got != 20 {
		t.Errorf("fast ends at %g, want 20", got)
	}
	if len(p.HRules) != 1 || p.HRules[0].At != 4 {
		t.Errorf("rules %v, want the threshold at 4", p.HRules)
	}
	// slow crosses 4 at t=4, fast at t=2, none never.
	if len(p.Markers) != 2 || math.Abs(p.Markers[0].X-4) > 1e-9 || math.Abs(p.Markers[1].X-2) > 1e-9 {
		t.Errorf("markers %v, want crossings at 4 (slow) and 2 (fast)", p.Markers)
	}
	if p.Markers[0].Color != p.Lines[0].Color || p.Markers[1].Color != p.Lines[1].Color {
		t.Error("crossing markers do not take their scenario's colour")
	}
	if p.Y.Min > 0 || p.Y.Max < 20 {
		t.Errorf("value range %v, want one that holds 0 to 20", p.Y)
	}
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("PNG does not decode: %v", err)
	}

	if _, err := Scenarios(m, "x", []string{"slow"}, runs, nil); err == nil {
		t.Error("no error for one name and three runs")
	}
	if _, err := Scenarios(m, "nope", pl.Scenarios, runs, nil); err == nil {
		t.Error("no error for an unknown variable")
	}
}
