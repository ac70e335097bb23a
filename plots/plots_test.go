package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// logistic analyses the bundled logistic example: r = 0.3, K = 1000,
// P0 = 10, threshold majority at 500, saved every 0.5 year.
func logistic(t *testing.T) (*model.Model, *loops.Emergence) {
	t.Helper()
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := loops.AnalyzeEmergence(t.Context(), m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, e
}

// half is ln(99)/0.3, the time the logistic population reaches K/2: the
// crossing of the majority threshold, the dominance shift and the
// stability sign change.
const half = 15.317066167115303

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestTimeSeriesData(t *testing.T) {
	m, e := logistic(t)
	f, err := TimeSeries(m, e.Result, []string{"population"}, []string{"majority"})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Panels) != 1 {
		t.Fatalf("%d panels, want 1", len(f.Panels))
	}
	p := f.Panels[0]
	if p.Title != "Logistic growth" || p.XLabel != "time (year)" || p.YLabel != "population (people)" {
		t.Errorf("title %q, labels %q, %q; want Logistic growth, time (year), population (people)", p.Title, p.XLabel, p.YLabel)
	}
	if p.X != (Range{0, 40}) {
		t.Errorf("x range %v, want [0, 40]", p.X)
	}
	if p.Y.Min != 0 || !(p.Y.Max > 1000 && p.Y.Max < 1100) {
		t.Errorf("y range %v, want [0, just over 1000]", p.Y)
	}
	// The emergence run records every dt (0.125), the grid of its loop
	// scores.
	if len(p.Lines) != 1 || p.Lines[0].Label != "population" || len(p.Lines[0].Y) != 321 || p.Lines[0].Y[0] != 10 {
		t.Errorf("lines %+v, want population's 321 values from 10", p.Lines)
	}
	if len(p.HRules) != 1 || p.HRules[0].At != 500 || !strings.Contains(p.HRules[0].Label, "majority") {
		t.Errorf("rules %+v, want the majority threshold at 500", p.HRules)
	}
	// Linear interpolation between save points 0.5 apart.
	if len(p.Markers) != 1 || !near(p.Markers[0].X, half, 5e-3) || p.Markers[0].Y != 500 || p.Markers[0].Label != "t = 15.32" {
		t.Errorf("markers %+v, want one at (%.3f, 500) labelled t = 15.32", p.Markers, half)
	}

	if _, err := TimeSeries(m, e.Result, []string{"popultion"}, nil); err == nil || !strings.Contains(err.Error(), `did you mean "population"`) {
		t.Errorf("unknown variable: error %v, want a suggestion", err)
	}
	if _, err := TimeSeries(m, e.Result, nil, []string{"nosuch"}); err == nil {
		t.Error("unknown threshold: no error")
	}
}

func TestDominanceData(t *testing.T) {
	m, e := logistic(t)
	f, err := Dominance(m, e.Dominance, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := f.Panels[0]
	if p.Y != (Range{-1.05, 1.05}) || p.X != (Range{0, 40}) {
		t.Errorf("ranges %v, %v; want [0, 40] × [-1.05, 1.05]", p.X, p.Y)
	}
	// L1 growth is reinforcing and stacks up, L2 crowding balancing and
	// stacks down: one band each, in the two colour families.
	if len(p.Areas) != 2 {
		t.Fatalf("%d areas, want 2", len(p.Areas))
	}
	up, down := p.Areas[0], p.Areas[1]
	if up.Label != "L1 growth (R)" || up.Color != alpha(reinforcingColor(0), 220) {
		t.Errorf("first band %q in %v, want L1 growth (R) in the first warm colour", up.Label, up.Color)
	}
	if down.Label != "L2 crowding (B)" || down.Color != alpha(balancingColor(0), 220) {
		t.Errorf("second band %q in %v, want L2 crowding (B) in the first cool colour", down.Label, down.Color)
	}
	if len(up.X) != 321 || up.X[0] != 0 || up.X[320] != 40 {
		t.Errorf("bands span %d points from %g to %g, want 321 from 0 to 40 (every dt)", len(up.X), up.X[0], up.X[len(up.X)-1])
	}
	for i := range up.X {
		if up.Lo[i] != 0 || down.Hi[i] != 0 || up.Hi[i] < 0 || down.Lo[i] > 0 {
			t.Fatalf("t=%g: bands [%g, %g] and [%g, %g], want one above zero and one below", up.X[i], up.Lo[i], up.Hi[i], down.Lo[i], down.Hi[i])
		}
		if i > 0 && !near(up.Hi[i]-down.Lo[i], 1, 1e-9) {
			t.Fatalf("t=%g: the bands add to %g, want 1", up.X[i], up.Hi[i]-down.Lo[i])
		}
	}
	// Dominant periods: R until growth's share falls to 0.55 (P = 450),
	// contested until crowding's reaches 0.55 (P = 550), then B.
	at := func(P float64) float64 { return math.Log(P/(1000-P)*99) / 0.3 }
	if len(p.Spans) != 3 || p.Spans[0].Label != "R dominant" || p.Spans[1].Label != "contested" || p.Spans[2].Label != "B dominant" ||
		!near(p.Spans[0].To, at(450), 1e-3) || p.Spans[1].From != p.Spans[0].To || !near(p.Spans[1].To, at(550), 1e-3) ||
		p.Spans[2].From != p.Spans[1].To || p.Spans[2].To != 40 {
		t.Errorf("spans %+v, want R dominant, contested from %.3f, B dominant from %.3f", p.Spans, at(450), at(550))
	}
}

func TestStabilityData(t *testing.T) {
	m, e := logistic(t)
	f, err := Stability(m, e.Stability)
	if err != nil {
		t.Fatal(err)
	}
	p := f.Panels[0]
	if p.YLabel != "largest Re λ (1/year)" {
		t.Errorf("y label %q", p.YLabel)
	}
	if len(p.Lines) != 1 || !slices.Equal(p.Lines[0].Y, e.Stability.MaxReal) {
		t.Errorf("lines %+v, want the largest real parts", p.Lines)
	}
	if !(p.Y.Min < -0.29 && p.Y.Max > 0.29) {
		t.Errorf("y range %v, want to hold ±0.3", p.Y)
	}
	if len(p.HRules) != 1 || p.HRules[0].At != 0 {
		t.Errorf("rules %+v, want the zero line", p.HRules)
	}
	if len(p.VRules) != 1 || !near(p.VRules[0].At, half, 1e-3) || p.VRules[0].Label != "t = 15.32" {
		t.Errorf("vertical rules %+v, want the sign change at %.3f", p.VRules, half)
	}
	if len(p.Spans) != 2 || p.Spans[0].Label != "amplifying" || p.Spans[1].Label != "damping" {
		t.Errorf("spans %+v, want amplifying then damping", p.Spans)
	}
}

func TestDashboardData(t *testing.T) {
	m, e := logistic(t)
	f, err := Dashboard(m, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Panels) != 3 || f.Title != "Emergence: Logistic growth" {
		t.Fatalf("%d panels titled %q, want 3 titled Emergence: Logistic growth", len(f.Panels), f.Title)
	}
	for k, p := range f.Panels {
		if p.X != (Range{0, 40}) {
			t.Errorf("panel %d: x range %v, want the shared [0, 40]", k, p.X)
		}
		if p.HideXTicks != (k < 2) {
			t.Errorf("panel %d: HideXTicks %v", k, p.HideXTicks)
		}
		// The crossing, the shift and the sign change: all three across
		// every panel.
		if len(p.VRules) != 3 {
			t.Errorf("panel %d: %d vertical rules, want 3", k, len(p.VRules))
		}
		for _, r := range p.VRules {
			if !near(r.At, half, 5e-3) {
				t.Errorf("panel %d: rule at %g, want %.3f", k, r.At, half)
			}
		}
	}
	if got := f.Panels[0].Lines[0].Label; got != "population" {
		t.Errorf("the dashboard draws %q, want the threshold's variable population", got)
	}
	if got := f.Panels[1].VRules[1].Label; got != "R → B, t = 15.32" {
		t.Errorf("shift label %q, want R → B, t = 15.32", got)
	}
}

func TestPhaseData(t *testing.T) {
	m, err := model.Load("../examples/predator-prey/predator_prey.toml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(t.Context(), model.RunOptions{Stop: 10, StopSet: true})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Phase(m, res, "hares", "lynx")
	if err != nil {
		t.Fatal(err)
	}
	p := f.Panels[0]
	if p.XLabel != "hares (thousand hares)" || p.YLabel != "lynx (thousand lynx)" {
		t.Errorf("labels %q, %q", p.XLabel, p.YLabel)
	}
	if len(p.Arrows) != 8 {
		t.Fatalf("%d arrows, want 8", len(p.Arrows))
	}
	// Hares first grow while lynx are few: the orbit runs anticlockwise
	// in (hares, lynx), and the first arrow points to more hares.
	if p.Arrows[0].DX <= 0 {
		t.Errorf("first arrow %+v, want it pointing to more hares", p.Arrows[0])
	}
	if len(p.Markers) != 2 || p.Markers[0].Label != "start, t = 0.00" || p.Markers[1].Label != "end, t = 10.00" {
		t.Errorf("markers %+v, want start and end", p.Markers)
	}
	if p.Markers[0].X != 30 || p.Markers[0].Y != 4 {
		t.Errorf("start at (%g, %g), want (30, 4)", p.Markers[0].X, p.Markers[0].Y)
	}
}

func tipping(t *testing.T) (*model.Model, *loops.Tipping) {
	t.Helper()
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	tp, err := loops.SweepThreshold(t.Context(), m, "majority",
		loops.Axis{Param: "r", Lo: 0.1, Hi: 1, N: 10}, loops.Axis{Param: "K", Lo: 200, Hi: 2000, N: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, tp
}

func TestTippingMapData(t *testing.T) {
	m, tp := tipping(t)
	f, err := TippingMap(m, tp)
	if err != nil {
		t.Fatal(err)
	}
	p := f.Panels[0]
	h := p.Heat
	if h == nil {
		t.Fatal("no heat map")
	}
	if p.XLabel != "r (1/year)" || p.YLabel != "K (people)" || h.ScaleLabel != "first crossing (year)" || h.NaNLabel != "never crosses" {
		t.Errorf("labels %q, %q, %q, %q", p.XLabel, p.YLabel, h.ScaleLabel, h.NaNLabel)
	}
	// Cells are centred on the grid values: r from 0.1 by 0.1, K from
	// 200 by 200.
	if !near(p.X.Min, 0.05, 1e-12) || !near(p.X.Max, 1.05, 1e-12) || !near(p.Y.Min, 100, 1e-9) || !near(p.Y.Max, 2100, 1e-9) {
		t.Errorf("ranges %v, %v", p.X, p.Y)
	}
	// K = 200 and 400 never reach 500; the rest do, r = 1 first.
	for i := range h.X {
		if !math.IsNaN(h.Z[0][i]) || !math.IsNaN(h.Z[1][i]) {
			t.Errorf("K ≤ 400 crosses at r=%g", h.X[i])
		}
	}
	lo, hi := tp.Range()
	if h.Min != lo || h.Max != hi || !(lo < hi) {
		t.Errorf("colour scale [%g, %g], want the crossing times' range [%g, %g]", h.Min, h.Max, lo, hi)
	}
}

// decode renders a figure as PNG and decodes it.
func decode(t *testing.T, f *Figure) image.Image {
	t.Helper()
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// share returns the fraction of the image's pixels within tol of c in
// each channel.
func share(img image.Image, c color.Color, tol int) float64 {
	cr, cg, cb, _ := c.RGBA()
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			if abs(int(r>>8)-int(cr>>8)) <= tol && abs(int(g>>8)-int(cg>>8)) <= tol && abs(int(bb>>8)-int(cb>>8)) <= tol {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

// count returns the fraction of the image's pixels whose 8-bit colour
// satisfies f.
func count(img image.Image, f func(r, g, b int) bool) float64 {
	bd := img.Bounds()
	n := 0
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if f(int(r>>8), int(g>>8), int(b>>8)) {
				n++
			}
		}
	}
	return float64(n) / float64(bd.Dx()*bd.Dy())
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestPNG decodes rendered pictures and checks their size and that the
// data's colours are in them.
func TestPNG(t *testing.T) {
	m, e := logistic(t)
	ts, err := TimeSeries(m, e.Result, []string{"population"}, []string{"majority"})
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, ts)
	if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 450 {
		t.Errorf("time series is %d×%d, want 1000×450", b.Dx(), b.Dy())
	}
	if s := share(img, color.White, 0); s < 0.7 {
		t.Errorf("time series is %.0f%% white, want mostly white", 100*s)
	}
	if s := share(img, seriesColor(0), 12); s < 0.002 {
		t.Errorf("time series: %.3f%% of pixels in the line's colour, want a line", 100*s)
	}
	// The threshold line is dashed dark red, 1000×0.6 pixels at most.
	if s := count(img, func(r, g, b int) bool { return r > 140 && g < 100 && b < 110 }); s < 0.0003 {
		t.Errorf("time series: %.3f%% of pixels red, want a threshold line", 100*s)
	}

	db, err := Dashboard(m, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	img = decode(t, db)
	if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 960 {
		t.Errorf("dashboard is %d×%d, want 1000×960", b.Dx(), b.Dy())
	}
	// The reinforcing band is red, the balancing one blue.
	red := count(img, func(r, g, b int) bool { return r > 180 && g < 110 && b < 110 })
	blue := count(img, func(r, g, b int) bool { return b > 150 && r < 110 })
	if red < 0.02 || blue < 0.02 {
		t.Errorf("dashboard: %.1f%% red and %.1f%% blue pixels, want the dominance bands", 100*red, 100*blue)
	}

	_, tp := tipping(t)
	tm, err := TippingMap(m, tp)
	if err != nil {
		t.Fatal(err)
	}
	img = decode(t, tm)
	if b := img.Bounds(); b.Dx() != 900 || b.Dy() != 650 {
		t.Errorf("tipping map is %d×%d, want 900×650", b.Dx(), b.Dy())
	}
	if s := share(img, hex(neverGrey), 2); s < 0.05 {
		t.Errorf("tipping map: %.1f%% never-crosses grey, want the two bottom rows", 100*s)
	}
}

func TestFormats(t *testing.T) {
	m, e := logistic(t)
	f, err := Stability(m, e.Stability)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ format, prefix string }{{"png", "\x89PNG"}, {"svg", "<?xml"}, {"pdf", "%PDF"}} {
		b, err := f.Encode(tc.format)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(tc.prefix)) {
			t.Errorf("%s starts %q, want %q", tc.format, b[:min(len(b), 8)], tc.prefix)
		}
	}
	if _, err := f.Encode("gif"); err == nil {
		t.Error("Encode(gif) succeeded")
	}
	dir := t.TempDir()
	for _, name := range []string{"a.png", "a.SVG", "a.pdf", "a"} {
		if err := f.Save(filepath.Join(dir, name)); err != nil {
			t.Errorf("Save(%s): %v", name, err)
		}
	}
	if err := f.Save(filepath.Join(dir, "a.jpg")); err == nil || !strings.Contains(err.Error(), `unknown image format ".jpg"`) {
		t.Errorf("Save(a.jpg): %v, want an unknown format error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.jpg")); err == nil {
		t.Error("Save(a.jpg) wrote a file")
	}
	if _, err := (&Figure{}).PNG(); err == nil {
		t.Error("an empty figure rendered")
	}
}

func TestSetTitle(t *testing.T) {
	one := &Figure{Panels: []*Panel{{Title: "old"}}}
	one.SetTitle("new")
	if one.Title != "" || one.Panels[0].Title != "new" {
		t.Errorf("one panel: figure title %q, panel title %q; want the panel titled new", one.Title, one.Panels[0].Title)
	}
	two := &Figure{Panels: []*Panel{{Title: "a"}, {Title: "b"}}}
	two.SetTitle("new")
	if two.Title != "new" || two.Panels[0].Title != "a" {
		t.Errorf("two panels: figure title %q, first panel %q; want the figure titled new", two.Title, two.Panels[0].Title)
	}
}
