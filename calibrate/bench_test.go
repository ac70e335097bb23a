package calibrate

import (
	"context"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// BenchmarkCorridor calibrates two params of the corridor model
// (market_growth and shipper_adjustment_time) to its own throughput and
// oil series, yearly from 2024 to 2040, from a start 30 % off, with
// Nelder–Mead; beside it, one run of the model as the unit of cost. The
// issue asks that it take seconds.
func BenchmarkCorridor(b *testing.B) {
	m, err := model.Load("../examples/middle-corridor/corridor.toml")
	if err != nil {
		b.Fatal(err)
	}
	obs := observe(b, m, nil, []string{"throughput", "oil_via_btc"}, grid(2024, 2040, 1), 0)
	b.Run("run", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.Run(context.Background(), model.RunOptions{Vars: obs.Names}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("calibrate", func(b *testing.B) {
		b.ReportAllocs()
		runs := 0
		for b.Loop() {
			res, err := Calibrate(context.Background(), m, obs, Options{
				Params: []string{"market_growth", "shipper_adjustment_time"},
				Run:    model.RunOptions{Set: map[string]float64{"market_growth": 0.039, "shipper_adjustment_time": 0.7}},
			})
			if err != nil {
				b.Fatal(err)
			}
			runs = res.Runs
		}
		b.ReportMetric(float64(runs), "runs/op")
	})
}
