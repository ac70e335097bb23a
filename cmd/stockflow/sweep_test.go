package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/plots"
)

// TestMarkBaseline checks that the tipping map marks the swept params'
// values of the run the sweep's options describe — the model's own, or
// --set's — and leaves out a point off the map.
func TestMarkBaseline(t *testing.T) {
	m, err := model.Load(filepath.Join("..", "..", "examples", "logistic", "logistic.toml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	x, y := loops.Axis{Param: "r", Lo: 0.1, Hi: 0.5, N: 3}, loops.Axis{Param: "K", Lo: 400, Hi: 1200, N: 3}
	tp, err := loops.SweepThreshold(ctx, m, "majority", x, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		opt    model.RunOptions
		want   bool
		wx, wy float64
	}{
		{"the model's values", model.RunOptions{}, true, 0.3, 1000},
		{"with --set", model.RunOptions{Set: map[string]float64{"K": 800}}, true, 0.3, 800},
		{"off the map", model.RunOptions{Set: map[string]float64{"K": 4000}}, false, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fig, err := plots.TippingMap(m, tp)
			if err != nil {
				t.Fatal(err)
			}
			if err := markBaseline(ctx, m, tc.opt, fig, tp); err != nil {
				t.Fatal(err)
			}
			ms := fig.Panels[0].Markers
			switch {
			case !tc.want && len(ms) != 0:
				t.Errorf("got markers %+v, want none", ms)
			case tc.want && (len(ms) != 1 || ms[0].X != tc.wx || ms[0].Y != tc.wy || ms[0].Label != "baseline"):
				t.Errorf("got markers %+v, want one labelled baseline at (%g, %g)", ms, tc.wx, tc.wy)
			}
		})
	}
}
