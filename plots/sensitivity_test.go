package plots

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sensitivity"
)

func sensitivityResult(t *testing.T, method string) *sensitivity.Result {
	t.Helper()
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := sensitivity.Sensitivity(context.Background(), m, &sensitivity.Options{Method: method, Samples: 64, Bootstrap: 20})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestFanAndCrossing(t *testing.T) {
	res := sensitivityResult(t, sensitivity.MonteCarlo)
	fig, err := Fan(res, "population")
	if err != nil {
		t.Fatal(err)
	}
	p := fig.Panels[0]
	b := res.Bands[0]
	if len(p.Areas) != 2 || !slices.Equal(p.Areas[0].Lo, b.Q[0]) || !slices.Equal(p.Areas[0].Hi, b.Q[4]) ||
		!slices.Equal(p.Areas[1].Lo, b.Q[1]) || !slices.Equal(p.Areas[1].Hi, b.Q[3]) {
		t.Errorf("the bands are not the 5–95 and 25–75 %% quantiles")
	}
	if len(p.Lines) != 1 || !slices.Equal(p.Lines[0].Y, b.Q[2]) {
		t.Errorf("the line is not the median")
	}
	if len(p.HRules) != 1 || p.HRules[0].At != 500 {
		t.Errorf("threshold rules %+v, want one at 500", p.HRules)
	}
	lo, hi := extent(b.Q[0], b.Q[4])
	if p.Y.Min > lo || p.Y.Max < hi {
		t.Errorf("value range %v does not hold the bands [%g, %g]", p.Y, lo, hi)
	}
	if _, err := fig.PNG(); err != nil {
		t.Fatal(err)
	}

	fig, err = CrossingProbability(res, "majority")
	if err != nil {
		t.Fatal(err)
	}
	p = fig.Panels[0]
	tr := res.Thresholds[0]
	ys := p.Lines[0].Y
	if got := ys[len(ys)-1]; got != tr.CrossedShare {
		t.Errorf("the curve ends at %g, want the crossed share %g", got, tr.CrossedShare)
	}
	if !slices.IsSorted(ys) || !slices.IsSorted(p.Lines[0].X) {
		t.Errorf("the curve is not a rising staircase")
	}
	// At each step the curve agrees with CrossedBy.
	for i := 1; i+1 < len(ys); i += 2 {
		x := p.Lines[0].X[i]
		if want := tr.CrossedBy(x); math.Abs(ys[i+1]-want) > 1e-12 && p.Lines[0].X[i+2] != x {
			t.Errorf("at t=%g the curve is %g, CrossedBy %g", x, ys[i+1], want)
		}
	}
	if _, err := Fan(res, "births"); err == nil {
		t.Error("a fan of a variable without bands: no error")
	}
}

func TestIndicesChart(t *testing.T) {
	for _, method := range []string{sensitivity.Sobol, sensitivity.Morris} {
		res := sensitivityResult(t, method)
		fig, err := Indices(res, "crossing_time:majority", 2)
		if err != nil {
			t.Fatal(err)
		}
		p := fig.Panels[0]
		// The two most influential params, the first on top.
		if len(p.YTicks) != 2 || p.YTicks[1] != (Tick{1, res.Indices[0].Param}) || p.YTicks[0] != (Tick{0, res.Indices[1].Param}) {
			t.Errorf("%s: ticks %v, want the top two of %+v, first on top", method, p.YTicks, res.Indices[:2])
		}
		want := res.Indices[0].Total
		if method == sensitivity.Morris {
			want = res.Indices[0].MuStar
		}
		if a := p.Areas[0]; a.X[1] != want || a.Lo[0] < 0.5 || a.Hi[0] > 1.5 {
			t.Errorf("%s: the top bar reaches %g at y %g–%g, want %g in the row of y = 1", method, a.X[1], a.Lo[0], a.Hi[0], want)
		}
		if _, err := fig.PNG(); err != nil {
			t.Fatal(err)
		}
	}
}
