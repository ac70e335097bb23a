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
