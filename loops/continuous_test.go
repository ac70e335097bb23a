package loops

import (
	"math"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// TestContinuousConvergence: continuous loop scores depend on the state
// of the run alone, so they converge with it. The relative loop scores of
// Euler runs of Bass diffusion and of the SIR epidemic at dt, dt/2 and
// dt/4 approach those of a tight rk45 run, the largest error over a
// yearly grid halving with dt as Euler's error does (each halving cuts it
// to between 0.4 and 0.6 of what it was). Both models are smooth. The
// Middle Corridor is not: its lookups, min and max, and its dated steps
// make the relative scores jump where a run crosses a kink or a date, and
// runs a step apart cross it at times a step apart, so its error at a
// point of a fixed grid near such a jump need not shrink with dt.
func TestContinuousConvergence(t *testing.T) {
	cases := []struct {
		name string
		m    *model.Model
		dt   float64
	}{
		{"bass", mustParse(t, bassTOML), 1.0 / 16},
		{"sir", mustLoad(t, "../examples/sir/sir.toml"), 1.0 / 32},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			grid := 1.0 // compare every year
			l := Find(NewGraph(c.m), Options{})
			scores := func(opt model.RunOptions) [][]float64 {
				t.Helper()
				opt.SaveEvery = grid
				res, err := c.m.Run(t.Context(), TraceOptions(c.m, opt, &Settings{Step: grid}))
				if err != nil {
					t.Fatal(err)
				}
				d, err := Analyze(l, res.Trace(), nil)
				if err != nil {
					t.Fatal(err)
				}
				return d.Relative
			}
			exact := scores(model.RunOptions{Method: "rk45", RelTol: 1e-10, AbsTol: 1e-12})
			var errs []float64
			for _, dt := range []float64{c.dt, c.dt / 2, c.dt / 4} {
				got := scores(model.RunOptions{Method: "euler", DT: dt})
				worst := 0.0
				for k := range got {
					for i := range got[k] {
						worst = math.Max(worst, math.Abs(got[k][i]-exact[k][i]))
					}
				}
				errs = append(errs, worst)
			}
			t.Logf("largest error of a relative loop score at dt, dt/2, dt/4: %.3g", errs)
			for j := 1; j < len(errs); j++ {
				if r := errs[j] / errs[j-1]; r < 0.4 || r > 0.6 {
					t.Errorf("halving dt took the error from %.3g to %.3g, ratio %.2f; want about 0.5", errs[j-1], errs[j], r)
				}
			}
		})
	}
}

func mustLoad(t testing.TB, path string) *model.Model {
	t.Helper()
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
