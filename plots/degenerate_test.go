package plots

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sensitivity"
)

// The tests in this file give every renderer data that cannot be drawn
// as it is — empty, flat, NaN, infinite, huge or too narrow for its
// magnitude — and check that it returns a figure that renders, or an
// error, and never panics or hangs (gonum's ticks panic with "illegal
// range" on an empty range and loop for ever on a NaN one).

// renders draws f in every format, failing the test if drawing panics or
// takes more than a minute.
func renders(t *testing.T, name string, f *Figure) {
	t.Helper()
	for _, format := range Formats() {
		done := make(chan error, 1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					done <- fmt.Errorf("panic: %v", r)
				}
			}()
			b, err := f.Encode(format)
			if err == nil && len(b) == 0 {
				err = fmt.Errorf("no bytes")
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s as %s: %v", name, format, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s as %s: still drawing after a minute", name, format)
		}
	}
}

// noPanic calls f, failing the test if it panics.
func noPanic(t *testing.T, name string, f func() (*Figure, error)) (fig *Figure, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic: %v", name, r)
			fig, err = nil, fmt.Errorf("panic")
		}
	}()
	return f()
}

func TestDrawable(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		in, want Range
	}{
		{Range{0, 1}, Range{0, 1}},
		{Range{-3, 1e-12}, Range{-3, 1e-12}},
		{Range{1e20, 1e20 + 1e12}, Range{1e20, 1e20 + 1e12}},
		{Range{2, 1}, Range{1, 2}},
		{Range{nan, nan}, Range{0, 1}},
		{Range{0, 0}, Range{-1, 1}},
		{Range{10, 10}, Range{9.5, 10.5}},
		{Range{nan, 10}, Range{9.5, 10.5}},
		{Range{-10, nan}, Range{-10.5, -9.5}},
		{Range{1e20, 1e20}, Range{0.95e20, 1.05e20}},
		{Range{1e20, 1.000000000000001e20}, Range{0.95e20, 1.05e20}},
		{Range{-inf, inf}, Range{-1e300, 1e300}},
		{Range{-math.MaxFloat64, math.MaxFloat64}, Range{-1e300, 1e300}},
		{Range{5e-324, 5e-324}, Range{-1, 1}},
	} {
		got := tc.in.Drawable()
		if !near(got.Min, tc.want.Min, 1e-12*math.Abs(tc.want.Min)) || !near(got.Max, tc.want.Max, 1e-12*math.Abs(tc.want.Max)) {
			t.Errorf("%v.Drawable() = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestDrawableTicks checks that gonum's ticks, which panic on an empty
// range and loop for ever on a NaN or overflowing one, finish on every
// drawable range, and that the package's round ticks label it.
func TestDrawableTicks(t *testing.T) {
	vals := []float64{math.NaN(), math.Inf(-1), -math.MaxFloat64, -1e300, -1e20, -1, -1e-300, -5e-324, 0,
		5e-324, 1e-300, 1e-12, 1, 1 + 1e-15, 1e20, 1.000000000000001e20, 1e300, math.MaxFloat64, math.Inf(1)}
	for _, lo := range vals {
		for _, hi := range vals {
			r := Range{lo, hi}.Drawable()
			if !(r.Min < r.Max) || math.IsInf(r.Max-r.Min, 0) {
				t.Errorf("%v.Drawable() = %v: not finite and increasing", Range{lo, hi}, r)
				continue
			}
			done := make(chan any, 1)
			go func() {
				defer func() { done <- recover() }()
				plot.DefaultTicks{}.Ticks(r.Min, r.Max)
				if len(roundTicks{}.Ticks(r.Min, r.Max)) < 2 {
					panic("fewer than two round ticks")
				}
			}()
			select {
			case p := <-done:
				if p != nil {
					t.Errorf("ticks of %v (drawn for %v): panic %v", r, Range{lo, hi}, p)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("ticks of %v (drawn for %v): no answer after 10 s", r, Range{lo, hi})
			}
		}
	}
}

// TestFigureDegenerate draws panels whose ranges and data are degenerate.
func TestFigureDegenerate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	ranges := []Range{{0, 0}, {1e20, 1e20}, {1e20, 1.000000000000001e20}, {nan, nan}, {nan, 1}, {-inf, inf},
		{-math.MaxFloat64, math.MaxFloat64}, {1, 0}, {0, 5e-324}}
	for _, r := range ranges {
		f := &Figure{Panels: []*Panel{{
			X: r, Y: r,
			Lines:   []Line{{Label: "l", X: []float64{r.Min, r.Max, nan}, Y: []float64{r.Max, r.Min, inf}}},
			Areas:   []Area{{Label: "a", X: []float64{r.Min, r.Max}, Lo: []float64{r.Min, r.Min}, Hi: []float64{r.Max, r.Max}}},
			Spans:   []Span{{Label: "s", From: r.Min, To: r.Max}},
			HRules:  []Rule{{At: r.Min, Label: "h"}, {At: nan, Label: "nan"}},
			VRules:  []Rule{{At: r.Max, Label: "v"}, {At: inf, Label: "inf"}},
			Arrows:  []Arrow{{X: r.Min, Y: r.Min, DX: nan, DY: 1}},
			Markers: []Marker{{X: r.Min, Y: r.Max, Label: "m"}, {X: nan, Y: nan, Label: "nan"}},
		}}}
		renders(t, fmt.Sprintf("panel %v", r), f)
		heat := &Figure{Panels: []*Panel{{X: r, Y: r, Heat: &Heat{
			X: []float64{r.Min, r.Max}, Y: []float64{r.Max, r.Min},
			Z:   [][]float64{{nan, inf}, {r.Min, r.Max}},
			Min: r.Min, Max: r.Max, NaNLabel: "nan",
		}}}}
		renders(t, fmt.Sprintf("heat map %v", r), heat)
	}
	for _, size := range [][2]float64{{-1, 100}, {0, nan}, {inf, 100}, {1e6, 1e6}} {
		f := &Figure{Width: vg.Length(size[0]), Height: vg.Length(size[1]), Panels: []*Panel{{X: Range{0, 1}, Y: Range{0, 1}}}}
		if _, err := noPanic(t, fmt.Sprint("size ", size), func() (*Figure, error) { _, err := f.PNG(); return nil, err }); err == nil {
			t.Errorf("a figure of %v points: no error", size)
		}
	}
}

// degenerateModel writes and loads a model whose variables are flat at
// huge magnitudes, vary less than float64 can show, or span ±1e300.
func degenerateModel(t *testing.T) *model.Model {
	t.Helper()
	src := `name = "Degenerate"
[sim]
start = 0
stop = 4
dt = 1
method = "euler"

[stocks.huge]
initial = "1e20"
inflows = ["still"]

[flows.still]
eq = "0 * huge"

[aux.almost]
eq = "huge + time * 1e-3"

[aux.narrow]
eq = "1 + time * 1e-17"

[aux.wide]
eq = "if time < 2 then -1e300 else 1e300"

[thresholds.high]
var = "huge"
level = 1e20
direction = "rising"

[[plots]]
file = "huge.png"
vars = ["huge", "almost"]
thresholds = ["high"]

[scenarios.same]
`
	path := filepath.Join(t.TempDir(), "degenerate.toml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRenderersDegenerate(t *testing.T) {
	m := degenerateModel(t)
	ctx := t.Context()
	res, err := m.Run(ctx, model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	two, err := m.Run(ctx, model.RunOptions{Stop: 1, StopSet: true})
	if err != nil {
		t.Fatal(err)
	}
	e, err := loops.AnalyzeEmergence(ctx, m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	tip := func(x, y loops.Axis, z float64) *loops.Tipping {
		tp := &loops.Tipping{Threshold: "high", Var: "huge", Level: 1e20, X: x, Y: y}
		for range y.N {
			row := make([]float64, x.N)
			for i := range row {
				row[i] = z
			}
			tp.Times = append(tp.Times, row)
		}
		return tp
	}
	collapsed := loops.Axis{Param: "K", Lo: 1e20, Hi: 1.000000000000001e20, N: 2}
	plain := loops.Axis{Param: "r", Lo: 0.1, Hi: 0.5, N: 2}
	dom := &loops.Dominance{
		Times:    []float64{1, 1, 1, 1},
		Loops:    []*loops.Loop{{ID: "L1", Polarity: loops.Reinforcing}},
		Relative: [][]float64{{nan, nan, nan, nan}},
	}
	stab := &loops.Stability{Times: []float64{2, 2, 2}, MaxReal: []float64{nan, math.Inf(1), nan}}

	for _, tc := range []struct {
		name    string
		draw    func() (*Figure, error)
		wantErr bool
	}{
		{"time series of flat huge values", func() (*Figure, error) {
			return TimeSeries(m, res, []string{"huge", "almost"}, []string{"high"})
		}, false},
		{"time series of a narrow range", func() (*Figure, error) { return TimeSeries(m, res, []string{"narrow"}, nil) }, false},
		{"time series of ±1e300", func() (*Figure, error) { return TimeSeries(m, res, []string{"wide"}, nil) }, false},
		{"time series of two save points", func() (*Figure, error) { return TimeSeries(m, two, nil, []string{"high"}) }, false},
		{"plot entry", func() (*Figure, error) { return ForPlot(m, res, m.Decl.Plots[0]) }, false},
		{"phase of flat values", func() (*Figure, error) { return Phase(m, res, "huge", "almost") }, false},
		{"phase of ±1e300", func() (*Figure, error) { return Phase(m, res, "wide", "narrow") }, false},
		{"scenarios of flat values", func() (*Figure, error) {
			return Scenarios(m, "huge", []string{"same", "base"}, []*model.Result{res, two}, []string{"high"})
		}, false},
		{"dominance at one time", func() (*Figure, error) { return Dominance(m, dom, 0) }, false},
		{"dominance of the model", func() (*Figure, error) { return Dominance(m, e.Dominance, 0) }, false},
		{"stability at one time", func() (*Figure, error) { return Stability(m, stab) }, false},
		{"dashboard", func() (*Figure, error) { return Dashboard(m, e, nil) }, false},
		{"tipping map of collapsed values", func() (*Figure, error) { return TippingMap(m, tip(collapsed, plain, 3)) }, false},
		{"tipping map never crossing", func() (*Figure, error) { return TippingMap(m, tip(plain, collapsed, nan)) }, false},
		{"tipping map at a huge time", func() (*Figure, error) { return TippingMap(m, tip(plain, plain, 1e20)) }, false},

		{"no model", func() (*Figure, error) { return TimeSeries(nil, res, nil, nil) }, true},
		{"no result", func() (*Figure, error) { return Phase(m, nil, "huge", "almost") }, true},
		{"short relative scores", func() (*Figure, error) {
			return Dominance(m, &loops.Dominance{Times: []float64{0, 1, 2}, Loops: dom.Loops, Relative: [][]float64{{1}}}, 0)
		}, true},
		{"short stability", func() (*Figure, error) {
			return Stability(m, &loops.Stability{Times: []float64{0, 1}, MaxReal: []float64{1}})
		}, true},
		{"tipping rows unlike the axis", func() (*Figure, error) {
			tp := tip(plain, plain, 1)
			tp.X.N = 5
			return TippingMap(m, tp)
		}, true},
		{"negative axis size", func() (*Figure, error) {
			tp := tip(plain, plain, 1)
			tp.Y.N = -1
			return TippingMap(m, tp)
		}, true},
	} {
		f, err := noPanic(t, tc.name, tc.draw)
		switch {
		case tc.wantErr && err == nil:
			t.Errorf("%s: no error", tc.name)
		case !tc.wantErr && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case err == nil:
			renders(t, tc.name, f)
		}
	}
}

func TestSensitivityDegenerate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	flat := []float64{1e20, 1e20, 1e20}
	th := sensitivity.ThresholdResult{Threshold: sensitivity.Threshold{Name: "high", Var: "x", Level: 1e20, Direction: "rising"},
		CrossedShare: nan, Quantiles: sensitivity.Quantiles{nan, 1, 1, 1, nan}, CrossingTimes: []float64{1, 1, nan}}
	res := &sensitivity.Result{
		Spec:       sensitivity.Spec{Method: sensitivity.Sobol},
		Runs:       3,
		Draws:      0,
		Times:      []float64{1, 1, 1},
		Thresholds: []sensitivity.ThresholdResult{th},
		Bands:      []sensitivity.Band{{Var: "x", Q: [5][]float64{flat, flat, {nan, inf, 1e20}, flat, {1e20}}}},
		Indices: []sensitivity.Index{
			{Output: "x@1", Param: "a", FirstOrder: nan, Total: inf, FirstOrderCI: [2]float64{nan, nan}, TotalCI: [2]float64{-inf, inf}},
			{Output: "x@1", Param: "b"},
		},
	}
	morris := *res
	morris.Spec.Method = "morris"
	morris.Indices = []sensitivity.Index{{Output: "x@1", Param: "a", MuStar: inf, Sigma: nan}}
	for _, tc := range []struct {
		name    string
		draw    func() (*Figure, error)
		wantErr bool
	}{
		{"crossing probability at one time", func() (*Figure, error) { return CrossingProbability(res, "high") }, false},
		{"fan of flat huge values", func() (*Figure, error) { return Fan(res, "x") }, false},
		{"Sobol indices, NaN and Inf", func() (*Figure, error) { return Indices(res, "x@1", 0) }, false},
		{"Morris indices, NaN and Inf", func() (*Figure, error) { return Indices(&morris, "x@1", 0) }, false},
		{"no study", func() (*Figure, error) { return Fan(nil, "x") }, true},
		{"no study's crossings", func() (*Figure, error) { return CrossingProbability(nil, "high") }, true},
		{"no study's indices", func() (*Figure, error) { return Indices(nil, "x@1", 1) }, true},
	} {
		f, err := noPanic(t, tc.name, tc.draw)
		switch {
		case tc.wantErr && err == nil:
			t.Errorf("%s: no error", tc.name)
		case !tc.wantErr && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case err == nil:
			renders(t, tc.name, f)
		}
	}
}
