package plots

import (
	"context"
	"testing"

	"github.com/stockflow/stockflow/calibrate"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// TestFitData draws a calibration of the fit example: one panel, the
// fitted line, and a ring in the line's colour at each observation,
// inside the panel's range.
func TestFitData(t *testing.T) {
	m, err := model.Load("../examples/fit/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	src, err := decl.ReadFile("../examples/fit/observed.csv", 0)
	if err != nil {
		t.Fatal(err)
	}
	obs, errs := decl.ReadTable("observed.csv", src, "time", nil)
	if errs != nil {
		t.Fatal(errs)
	}
	res, err := calibrate.Calibrate(context.Background(), m, obs, calibrate.Options{Params: []string{"r", "K"}})
	if err != nil {
		t.Fatal(err)
	}
	fig, err := Fit(m, res, obs)
	if err != nil {
		t.Fatal(err)
	}
	if len(fig.Panels) != 1 || len(fig.Panels[0].Lines) != 1 {
		t.Fatalf("got %d panels, want 1 with 1 line", len(fig.Panels))
	}
	p := fig.Panels[0]
	if got, want := len(p.Markers), len(obs.Time); got != want {
		t.Fatalf("got %d markers, want %d", got, want)
	}
	for i, mk := range p.Markers {
		if mk.X != obs.Time[i] || mk.Y != obs.Cols[0][i] || mk.Color != p.Lines[0].Color {
			t.Errorf("marker %d = %+v, want (%g, %g) in the line's colour", i, mk, obs.Time[i], obs.Cols[0][i])
		}
		if mk.Y < p.Y.Min || mk.Y > p.Y.Max {
			t.Errorf("marker %d at y = %g is outside the panel's range %v", i, mk.Y, p.Y)
		}
	}
}

// TestForPlotData draws a [[plots]] entry with data: the observations of
// the fit example as rings in the panel of their unit, one at each point
// of the data variable within the run, inside the panel's range, in a
// colour of their own.
func TestForPlotData(t *testing.T) {
	m, err := model.Load("../examples/fit/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{Stop: 20})
	if err != nil {
		t.Fatal(err)
	}
	pl := m.Decl.Plots[0]
	fig, err := ForPlot(m, res, pl)
	if err != nil {
		t.Fatal(err)
	}
	if len(fig.Panels) != 1 || len(fig.Panels[0].Points) != 1 {
		t.Fatalf("got %d panels, want 1 with 1 series of points", len(fig.Panels))
	}
	p := fig.Panels[0]
	pts := p.Points[0]
	var want [][2]float64
	for _, pt := range m.Decl.Var("observed_population").Points {
		if pt[0] <= 20 {
			want = append(want, pt)
		}
	}
	if len(want) != 11 || len(pts.X) != len(want) {
		t.Fatalf("got %d points, want the %d counts up to t = 20 (11)", len(pts.X), len(want))
	}
	for i, w := range want {
		if pts.X[i] != w[0] || pts.Y[i] != w[1] {
			t.Errorf("point %d = (%g, %g), want (%g, %g)", i, pts.X[i], pts.Y[i], w[0], w[1])
		}
		if pts.Y[i] < p.Y.Min || pts.Y[i] > p.Y.Max {
			t.Errorf("point %d at y = %g is outside the panel's range %v", i, pts.Y[i], p.Y)
		}
	}
	if pts.Label != "observed_population" || pts.Color == p.Lines[0].Color {
		t.Errorf("got label %q and colour %v (line's %v), want its name and a colour of its own", pts.Label, pts.Color, p.Lines[0].Color)
	}
	if _, lg, err := p.plot(); err != nil || lg == nil {
		t.Errorf("got legend %v (%v), want one", lg, err)
	}

	// A data variable the model lacks is an error naming the entry.
	bad := *pl
	bad.Data = []string{"population"}
	if _, err := ForPlot(m, res, &bad); err == nil || err.Error() != `plots[1]: the model has no data variable "population"` {
		t.Errorf("got %v, want an error naming the entry and the variable", err)
	}
}

// TestForScenarioPlotData draws a plot of scenarios with data: the
// observations as rings over the scenarios' lines, inside the range.
func TestForScenarioPlotData(t *testing.T) {
	m, err := model.Load("../examples/fit/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	var runs []*model.Result
	for _, r := range []float64{0.1, 0.3} {
		res, err := m.Run(context.Background(), model.RunOptions{Set: map[string]float64{"r": r}})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, res)
	}
	pl := &decl.Plot{Key: "plots[2]", Vars: []string{"population"}, Scenarios: []string{"slow", "fast"}, Data: []string{"observed_population"}}
	fig, err := ForScenarioPlot(m, pl, runs)
	if err != nil {
		t.Fatal(err)
	}
	p := fig.Panels[0]
	if len(p.Points) != 1 || len(p.Points[0].X) != len(m.Decl.Var("observed_population").Points) {
		t.Fatalf("got %d series of points, want 1 with every count", len(p.Points))
	}
	for i, y := range p.Points[0].Y {
		if y < p.Y.Min || y > p.Y.Max {
			t.Errorf("point %d at y = %g is outside the panel's range %v", i, y, p.Y)
		}
	}
}
