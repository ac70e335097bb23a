package model

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
)

// series is the data of TestDataArea: uneven times, a gap of 3 and a
// fall, given inline; the run starts before the first point and stops
// after the last, where the ends are held.
const series = `[[0, 2], [1, 5], [4, 1], [5, 3], [8, 3.5]]`

// area returns the exact integral from -1 to t of the series read as
// hold or linear (without extrapolation: the end values held).
func area(t float64, hold bool) float64 {
	xs := []float64{0, 1, 4, 5, 8}
	ys := []float64{2, 5, 1, 3, 3.5}
	y := func(x float64) float64 { // the value at x, as the model reads it
		if x <= xs[0] {
			return ys[0]
		}
		for i := 1; i < len(xs); i++ {
			if x < xs[i] {
				if hold {
					return ys[i-1]
				}
				return ys[i-1] + (x-xs[i-1])*(ys[i]-ys[i-1])/(xs[i]-xs[i-1])
			}
		}
		return ys[len(ys)-1]
	}
	// The integrand is linear or constant between breakpoints: sum
	// trapezoids over the pieces, taking hold's value just inside each.
	cuts := []float64{-1}
	for _, x := range xs {
		if x < t {
			cuts = append(cuts, x)
		}
	}
	cuts = append(cuts, t)
	a := 0.0
	for i := 1; i < len(cuts); i++ {
		lo, hi := cuts[i-1], cuts[i]
		if hi <= lo {
			continue
		}
		const in = 1e-12
		a += (hi - lo) * (y(lo+in*(hi-lo)) + y(hi-in*(hi-lo))) / 2
	}
	return a
}

// TestDataArea drives a flow with a data variable under every
// integrator: the stock it fills must be the exact area under the series,
// read as hold or linear. A held series steps at the start of a step (as
// step() does) and holds through its stages, so every integrator sums
// its steps exactly when its times lie on the dt grid, rk45 landing on
// the grid. rk2 and rk4 are exact for a linear series too (the trapezoid
// and Simpson rules integrate each straight piece exactly), and rk45
// stays within 100 times its relative tolerance. Euler, first order, sums
// the series at the steps' starts (a left Riemann sum) instead, exactly
// so; its error from the area halves with dt.
func TestDataArea(t *testing.T) {
	tests := []struct {
		interp, method string
		tol            float64
	}{
		{"hold", "euler", 1e-12},
		{"hold", "rk2", 1e-12},
		{"hold", "rk4", 1e-12},
		{"hold", "rk45", 1e-12},
		{"linear", "rk2", 1e-12},
		{"linear", "rk4", 1e-12},
		{"linear", "rk45", 1e-6},
	}
	for _, tt := range tests {
		r := runArea(t, tt.interp, tt.method, 0.25)
		got := r.Series("total")
		for i, tm := range r.Times {
			want := area(tm, tt.interp == "hold")
			if math.Abs(got[i]-want) > tt.tol*math.Max(1, want) {
				t.Errorf("%s %s: total(t=%g) = %.12g, want %.12g", tt.interp, tt.method, tm, got[i], want)
				break
			}
		}
	}

	// Euler on a linear series: the left Riemann sum of the series, and
	// an error from the area that halves with dt.
	var errs []float64
	for _, dt := range []float64{0.5, 0.25, 0.125} {
		r := runArea(t, "linear", "euler", dt)
		got, obs := r.Series("total"), r.Series("observed")
		sum := 0.0
		for i, tm := range r.Times {
			if math.Abs(got[i]-sum) > 1e-12*math.Max(1, sum) {
				t.Errorf("linear euler dt=%g: total(t=%g) = %.12g, want the left Riemann sum %.12g", dt, tm, got[i], sum)
				break
			}
			sum += dt * obs[i]
		}
		last := len(r.Times) - 1
		errs = append(errs, math.Abs(got[last]-area(r.Times[last], false)))
	}
	for i := 1; i < len(errs); i++ {
		if ratio := errs[i-1] / errs[i]; math.Abs(ratio-2) > 0.01 {
			t.Errorf("linear euler: halving dt cut the error %g to %g, a ratio of %g, want 2", errs[i-1], errs[i], ratio)
		}
	}
}

// runArea runs the model of TestDataArea: a stock filled by the series
// read with interp, from -1 to 10 with the method and dt given.
func runArea(t *testing.T, interp, method string, dt float64) *Result {
	t.Helper()
	src := `
[sim]
start = -1
stop = 10
dt = ` + strconv.FormatFloat(dt, 'g', -1, 64) + `
method = "` + method + `"
rel_tol = 1e-8
abs_tol = 1e-10
[data.observed]
points = ` + series + `
interpolate = "` + interp + `"
[stocks.total]
initial = 0
inflows = ["inflow"]
[flows.inflow]
eq = "observed"
`
	return mustRun(t, mustParse(t, src), RunOptions{})
}

// TestDataInterpolate reads a series between, at, before and after its
// points under each interpolation rule.
func TestDataInterpolate(t *testing.T) {
	tests := []struct {
		interp string
		extra  bool
		at     []float64
		want   []float64
	}{
		{"linear", false, []float64{0, 1, 2, 3, 4.5, 6, 9}, []float64{2, 2, 3, 4, 4.75, 5, 5}},
		{"linear", true, []float64{0, 1, 6}, []float64{1, 2, 5.5}},
		{"hold", false, []float64{0, 1, 2, 2.75, 3, 4.5, 9}, []float64{2, 2, 2, 2, 4, 4, 5}},
		{"none", false, []float64{0, 1, 1.5, 3, 5}, []float64{math.NaN(), 2, math.NaN(), 4, 5}},
		{"forward", false, []float64{0, 1, 1.25, 2.75, 3, 3.25, 5, 9}, []float64{2, 2, 4, 4, 4, 5, 5, 5}},
	}
	for _, tt := range tests {
		src := `
[sim]
start = 0
stop = 9
dt = 0.25
[data.d]
points = [[1, 2], [3, 4], [5, 5]]
interpolate = "` + tt.interp + `"
extrapolate = ` + map[bool]string{true: "true", false: "false"}[tt.extra] + `
`
		r := mustRun(t, mustParse(t, src), RunOptions{})
		for i, at := range tt.at {
			got, err := r.At("d", at)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want[i]
			if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("%s extrapolate=%v: d(%g) = %g, want %g", tt.interp, tt.extra, at, got, want)
			}
		}
	}
}

// TestDataNotRead refuses to compile a data variable whose file was not
// read.
func TestDataNotRead(t *testing.T) {
	_, err := Parse("nowhere/m.toml", []byte("[data.d]\nfile = \"d.csv\"\n"))
	if err == nil || !strings.Contains(err.Error(), `nowhere/m.toml:2:8: data.d.file: cannot read data file "d.csv"`) {
		t.Errorf("got %v, want an error at the file key", err)
	}
}

// A data variable read with interpolate = "none" is NaN between its
// points by design: the run gives no warning of a hidden non-finite
// value for it.
func TestDataGapsNoWarning(t *testing.T) {
	m, err := Load("../examples/fit/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Series("observed_population"); !math.IsNaN(got[1]) {
		t.Fatalf("observed_population at %v = %v, want NaN between points", res.Times[1], got[1])
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %q, want none", res.Warnings)
	}
}
