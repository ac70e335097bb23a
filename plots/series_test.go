package plots

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// run loads and runs an example model.
func run(t *testing.T, path string) (*model.Model, *model.Result) {
	t.Helper()
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(t.Context(), model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m, res
}

// Variables of different units are drawn as small multiples, one panel
// per unit on the shared time axis, each value axis labelled with its
// unit; a threshold goes to the panel of its variable.
func TestTimeSeriesSmallMultiples(t *testing.T) {
	m, res := run(t, "../examples/middle-corridor/corridor.toml")
	f, err := TimeSeries(m, res, []string{"coordination", "capital", "institutional_integration", "throughput"}, []string{"emergence"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Middle Corridor" {
		t.Errorf("figure title %q, want the model's name above the panels", f.Title)
	}
	type want struct {
		lines  []string
		ylabel string
		rules  int
	}
	wants := []want{
		{[]string{"coordination", "institutional_integration"}, "coordination, institutional_integration (share)", 1},
		{[]string{"capital"}, "capital (million USD)", 0},
		{[]string{"throughput"}, "throughput (index)", 0},
	}
	if len(f.Panels) != len(wants) {
		t.Fatalf("%d panels, want %d (one per unit)", len(f.Panels), len(wants))
	}
	for k, p := range f.Panels {
		var got []string
		for _, l := range p.Lines {
			got = append(got, l.Label)
		}
		w := wants[k]
		if !slices.Equal(got, w.lines) || p.YLabel != w.ylabel || len(p.HRules) != w.rules {
			t.Errorf("panel %d: lines %q, y label %q, %d rules; want %q, %q, %d", k, got, p.YLabel, len(p.HRules), w.lines, w.ylabel, w.rules)
		}
		if p.X != f.Panels[0].X || p.HideXTicks != (k < len(wants)-1) {
			t.Errorf("panel %d: x range %v, HideXTicks %v; want the shared range, ticks on the last panel only", k, p.X, p.HideXTicks)
		}
		if k > 0 && p.Title != "" {
			t.Errorf("panel %d titled %q, want untitled", k, p.Title)
		}
	}
	level := m.Decl.Thresholds[1].Level // emergence, on institutional_integration
	if ms := f.Panels[0].Markers; len(ms) != 1 || ms[0].Y != level {
		t.Errorf("markers %+v, want the crossing of %g in the shares' panel", ms, level)
	}
	// The colours stay those of the variables' order.
	if f.Panels[2].Lines[0].Color != seriesColor(3) {
		t.Errorf("throughput in %v, want the fourth series colour", f.Panels[2].Lines[0].Color)
	}
}

// Every [[plots]] entry of every example labels each value axis with the
// units of what it shows.
func TestPlotsUnitsInEveryYLabel(t *testing.T) {
	paths, err := filepath.Glob("../examples/*/*.toml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, path := range paths {
		m, res := run(t, path)
		for _, pl := range m.Decl.Plots {
			if len(pl.Scenarios) > 0 {
				continue
			}
			f, err := ForPlot(m, res, pl)
			if err != nil {
				t.Fatal(err)
			}
			for k, p := range f.Panels {
				u := units(m, p.Lines[0].Label)
				if u == "" {
					t.Errorf("%s %s: %s has no units", path, pl.Key, p.Lines[0].Label)
					continue
				}
				if !strings.HasSuffix(p.YLabel, "("+u+")") {
					t.Errorf("%s %s panel %d: y label %q, want it to end in (%s)", path, pl.Key, k, p.YLabel, u)
				}
				for _, l := range p.Lines {
					if lu := units(m, l.Label); lu != u {
						t.Errorf("%s %s panel %d: %s in %q shares an axis with %s in %q", path, pl.Key, k, l.Label, lu, p.Lines[0].Label, u)
					}
				}
			}
		}
	}
}

// A line on top of another is dashed so that the one beneath shows:
// the arrays example's bottleneck, min(capacity[*]), is
// capacity[kazakhstan] throughout.
func TestCoincidingLinesDashed(t *testing.T) {
	m, res := run(t, "../examples/arrays/regions.toml")
	f, err := TimeSeries(m, res, []string{"capacity[kazakhstan]", "capacity[azerbaijan]", "capacity[georgia]", "bottleneck"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dash := map[string]Dash{}
	for _, l := range f.Panels[0].Lines {
		dash[l.Label] = l.Dash
	}
	want := map[string]Dash{"capacity[kazakhstan]": Solid, "capacity[azerbaijan]": Solid, "capacity[georgia]": Solid, "bottleneck": Dashed}
	for name, d := range want {
		if dash[name] != d {
			t.Errorf("%s drawn %v, want %v", name, dash[name], d)
		}
	}

	// Three on top of one another: dashed, then dotted; one that only
	// crosses the others stays solid.
	xs := []float64{0, 1, 2, 3, 4, 5, 6, 7}
	ys := []float64{0, 1, 2, 3, 4, 5, 6, 7}
	rev := []float64{7, 6, 5, 4, 3, 2, 1, 0}
	lines := []Line{{X: xs, Y: ys}, {X: xs, Y: slices.Clone(ys)}, {X: xs, Y: slices.Clone(ys)}, {X: xs, Y: rev}}
	distinguishCoinciding(lines, Range{0, 7})
	var got []Dash
	for _, l := range lines {
		got = append(got, l.Dash)
	}
	if !slices.Equal(got, []Dash{Solid, Dashed, Dotted, Solid}) {
		t.Errorf("dashes %v, want solid, dashed, dotted, solid", got)
	}
}

// A variable that declares no units is drawn with the units the check
// infers for it: here the flow births, people per year from its stock.
func TestInferredUnitsLabel(t *testing.T) {
	m, err := model.Parse("m.toml", []byte(`time_units = "year"
[params]
rate = { value = 0.1 }
[stocks.population]
initial = 10
units = "people"
inflows = ["births"]
[flows.births]
eq = "population * rate"
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(t.Context(), model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := TimeSeries(m, res, []string{"births"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Panels[0].YLabel, "births (people/year)"; got != want {
		t.Errorf("y label %q, want %q", got, want)
	}
	if got, want := paramLabel(m, "rate"), "rate (1/year)"; got != want {
		t.Errorf("param label %q, want %q", got, want)
	}
}
