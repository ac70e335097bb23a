package sensitivity

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// BenchmarkCorridor measures a Monte Carlo study of 1,000 runs of the
// Middle Corridor model over its 56 ranged params, with 1, 2, …
// workers, beside the baseline of the same 1,000 runs made one after the
// other with m.Run alone (the same params, recording the same
// variables): the study's own cost is the difference.
//
//	go test -run '^$' -bench Corridor -benchtime 3x ./sensitivity
func BenchmarkCorridor(b *testing.B) {
	m, err := model.Load("../examples/middle-corridor/corridor.toml")
	if err != nil {
		b.Fatal(err)
	}
	const n = 1000
	opt := &Options{Samples: n, Seed: 1}
	report := func(b *testing.B, runs int, cpu0 int64) {
		b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
		if cpu := processCPU().Microseconds() - cpu0; cpu > 0 {
			b.ReportMetric(float64(cpu)/float64(runs), "cpu-µs/run")
			b.ReportMetric(float64(cpu)/1e6/b.Elapsed().Seconds(), "cores")
		}
	}
	b.Run("baseline=m.Run", func(b *testing.B) {
		spec, err := NewSpec(m, opt)
		if err != nil {
			b.Fatal(err)
		}
		p, err := newPlan(spec)
		if err != nil {
			b.Fatal(err)
		}
		vals := make([]float64, p.d)
		set := map[string]float64{}
		record := spec.Vars // the threshold's variable, coordination, among them
		b.ReportAllocs()
		runs, cpu := 0, processCPU().Microseconds()
		for b.Loop() {
			for r := range n {
				p.values(r, vals)
				for i, par := range spec.Params {
					set[par.Name] = vals[i]
				}
				if _, err := m.Run(context.Background(), model.RunOptions{Set: set, Vars: record, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			runs += n
		}
		report(b, runs, cpu)
	})
	for w := 1; w <= max(2, runtime.GOMAXPROCS(0)); w++ {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			o := *opt
			o.Workers = w
			b.ReportAllocs()
			runs, cpu := 0, processCPU().Microseconds()
			for b.Loop() {
				if _, err := Sensitivity(b.Context(), m, &o); err != nil {
					b.Fatal(err)
				}
				runs += n
			}
			report(b, runs, cpu)
		})
	}
}
