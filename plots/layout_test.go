package plots

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// labelLayout lays figure f out as it is drawn and returns the labels of
// the rules of panel k where they are placed, and the panel's data area.
func labelLayout(t *testing.T, f *Figure, k int) ([]label, draw.Canvas) {
	t.Helper()
	w, h := f.Size()
	ar, err := f.arrange(draw.New(vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(f.dpi()))))
	if err != nil {
		t.Fatal(err)
	}
	dc := ar.dataCanvas(k)
	return (rules{f.Panels[k]}).layout(dc, ar.plots[k]), dc
}

func emergence(t *testing.T, path string) (*model.Model, *loops.Emergence) {
	t.Helper()
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := loops.AnalyzeEmergence(t.Context(), m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, e
}

// A threshold's label lies inside its panel clear of the crossing
// markers and their labels, the event lines and the curves: in the
// predator–prey plots the curve crosses the threshold twelve times and
// the one-line label fits nowhere.
func TestThresholdLabelsClear(t *testing.T) {
	var figs []*Figure
	var names []string
	for _, path := range []string{"../examples/predator-prey/predator_prey.toml", "../examples/arrays/regions.toml", "../examples/logistic/logistic.toml", "../examples/middle-corridor/corridor.toml", "../examples/bass/bass.toml"} {
		m, e := emergence(t, path)
		for _, pl := range m.Decl.Plots {
			if len(pl.Scenarios) > 0 || len(pl.Thresholds) == 0 {
				continue
			}
			f, err := ForPlot(m, e.Result, pl)
			if err != nil {
				t.Fatal(err)
			}
			figs, names = append(figs, f), append(names, path+" "+pl.Key)
		}
		f, err := Dashboard(m, e, nil)
		if err != nil {
			t.Fatal(err)
		}
		figs, names = append(figs, f), append(names, path+" dashboard")
	}
	for i, f := range figs {
		for k, p := range f.Panels {
			if len(p.HRules) == 0 || p.HRules[0].Label == "" {
				continue
			}
			ls, dc := labelLayout(t, f, k)
			for _, l := range ls {
				if !slices.ContainsFunc(p.HRules, func(r Rule) bool { return r.Label == joinLines(l.text) }) {
					continue
				}
				where := fmt.Sprintf("%s panel %d: label %q at %v", names[i], k, l.text, l.box)
				if !rectInside(l.box, dc.Rectangle) {
					t.Errorf("%s: outside the data area %v", where, dc.Rectangle)
				}
				clear := labelClear(l.box, dc, f, k)
				if clear != "" {
					t.Errorf("%s: covers %s", where, clear)
				}
			}
		}
	}
}

// joinLines undoes the label's break onto two lines.
func joinLines(s string) string { return strings.ReplaceAll(s, "\n", " ") }

func rectInside(a, b vg.Rectangle) bool {
	return a.Min.X >= b.Min.X && a.Max.X <= b.Max.X && a.Min.Y >= b.Min.Y && a.Max.Y <= b.Max.Y
}

// labelClear names what of panel k of f the box covers, or "".
func labelClear(box vg.Rectangle, dc draw.Canvas, f *Figure, k int) string {
	p := f.Panels[k]
	x := func(v float64) vg.Length {
		return dc.Min.X + vg.Length((v-p.X.Min)/(p.X.Max-p.X.Min))*(dc.Max.X-dc.Min.X)
	}
	y := func(v float64) vg.Length {
		return dc.Min.Y + vg.Length((v-p.Y.Min)/(p.Y.Max-p.Y.Min))*(dc.Max.Y-dc.Min.Y)
	}
	for _, m := range p.Markers {
		pt := vg.Point{X: x(m.X), Y: y(m.Y)}
		r := vg.Points(4)
		if overlaps(box, vg.Rectangle{Min: vg.Point{X: pt.X - r, Y: pt.Y - r}, Max: vg.Point{X: pt.X + r, Y: pt.Y + r}}) {
			return fmt.Sprintf("the marker at t = %g", m.X)
		}
		if l, ok := markerLabel(dc, m, pt); ok && overlaps(box, l.box) {
			return fmt.Sprintf("the label %q", l.text)
		}
	}
	for _, v := range p.VRules {
		if vx := x(v.At); vx >= box.Min.X && vx <= box.Max.X {
			return fmt.Sprintf("the line at t = %g", v.At)
		}
	}
	for _, ln := range p.Lines {
		for i := 1; i < len(ln.X); i++ {
			a := vg.Point{X: x(ln.X[i-1]), Y: y(ln.Y[i-1])}
			b := vg.Point{X: x(ln.X[i]), Y: y(ln.Y[i])}
			if segmentHits(a, b, box) {
				return fmt.Sprintf("%s between t = %g and %g", ln.Label, ln.X[i-1], ln.X[i])
			}
		}
	}
	return ""
}

// Many events move from lines across the panels to a strip under them:
// predator–prey crosses its threshold 6 times, shifts dominance 17 times
// and changes the sign of its stability 12 times in 60 years.
func TestDashboardEventStrip(t *testing.T) {
	m, e := emergence(t, "../examples/predator-prey/predator_prey.toml")
	f, err := Dashboard(m, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	var crossings []float64
	for _, th := range e.Thresholds {
		for _, c := range th.Crossings {
			crossings = append(crossings, c.Time)
		}
	}
	var shifts, signs []float64
	for _, s := range e.Shifts {
		shifts = append(shifts, s.Time)
	}
	for _, s := range e.Stability.SignChanges {
		signs = append(signs, s.Time)
	}
	if n := len(crossings) + len(shifts) + len(signs); n <= MaxEventLines {
		t.Fatalf("%d events, want more than %d for this test", n, MaxEventLines)
	}
	if len(f.Panels) != 4 {
		t.Fatalf("%d panels, want 4: series, dominance, stability, events", len(f.Panels))
	}
	for k, p := range f.Panels {
		if len(p.VRules) != 0 {
			t.Errorf("panel %d: %d vertical lines, want none", k, len(p.VRules))
		}
		if p.HideXTicks != (k < 3) || p.X != f.Panels[0].X {
			t.Errorf("panel %d: HideXTicks %v, x range %v; want the shared axis shown under the strip only", k, p.HideXTicks, p.X)
		}
	}
	strip := f.Panels[3]
	wantTicks := []Tick{
		{3, fmt.Sprintf("threshold crossings (%d)", len(crossings))},
		{2, fmt.Sprintf("dominance shifts (%d)", len(shifts))},
		{1, fmt.Sprintf("sign changes (%d)", len(signs))},
	}
	if !slices.Equal(strip.YTicks, wantTicks) || strip.Y.Min >= 1 || strip.Y.Max <= 3 || strip.Height == 0 {
		t.Errorf("strip rows %v over %v, height %v; want %v", strip.YTicks, strip.Y, strip.Height, wantTicks)
	}
	got := map[float64][]float64{}
	for _, mk := range strip.Markers {
		if mk.Glyph != Bar || mk.Label != "" {
			t.Errorf("strip marker %+v, want an unlabelled bar", mk)
		}
		got[mk.Y] = append(got[mk.Y], mk.X)
	}
	for y, want := range map[float64][]float64{3: crossings, 2: shifts, 1: signs} {
		if !slices.Equal(got[y], want) {
			t.Errorf("row %g: events at %v, want %v", y, got[y], want)
		}
	}
	// The crossings stay marked on the curve, unlabelled past four.
	if ms := f.Panels[0].Markers; len(ms) != len(crossings) || ms[0].Label != "" {
		t.Errorf("series markers %+v, want the %d crossings unlabelled", ms, len(crossings))
	}
	// The strip's rows are the figure's only extra height.
	if _, h := f.Size(); !near(float64(h), float64(3*3.2*vg.Inch+strip.Height), 1e-9) {
		t.Errorf("height %v, want three panels and the strip", h)
	}
}

// A dashboard of variables in different units gives each unit its panel
// above the dominance and stability panels, all on one time axis.
func TestDashboardSmallMultiples(t *testing.T) {
	m, e := emergence(t, "../examples/middle-corridor/corridor.toml")
	f, err := Dashboard(m, e, []string{"coordination", "capital"})
	if err != nil {
		t.Fatal(err)
	}
	var ylabels []string
	for _, p := range f.Panels {
		ylabels = append(ylabels, p.YLabel)
	}
	want := []string{"coordination (share)", "capital (million USD)", "relative loop score (R up, B down)", "largest Re λ (1/year)"}
	if !slices.Equal(ylabels, want) {
		t.Fatalf("panels %q, want %q", ylabels, want)
	}
	for k, p := range f.Panels {
		if p.X != f.Panels[0].X || p.HideXTicks != (k < 3) {
			t.Errorf("panel %d: x range %v, HideXTicks %v; want one shared axis shown at the bottom", k, p.X, p.HideXTicks)
		}
		// Few events: each a line across every panel.
		if len(p.VRules) != len(f.Panels[0].VRules) || len(p.VRules) == 0 {
			t.Errorf("panel %d: %d event lines, want the %d of the first panel", k, len(p.VRules), len(f.Panels[0].VRules))
		}
	}
	if len(f.Panels[0].HRules) != len(m.Decl.Thresholds) || len(f.Panels[1].HRules) != 0 {
		t.Errorf("threshold rules %d and %d, want the %d thresholds (on a share) in the shares' panel only", len(f.Panels[0].HRules), len(f.Panels[1].HRules), len(m.Decl.Thresholds))
	}
}

// An axis label longer than its panel is tall keeps its units alone, then
// is cut with "…", so that it never runs into the panels above and below.
func TestFitLabel(t *testing.T) {
	st := textStyle(fontSize, color.Black)
	long := "initiatives_committed, observed_commitments (million USD)"
	w := st.Width(long)
	if got := fitLabel(st, long, w); got != long {
		t.Errorf("with room: %q, want the label itself", got)
	}
	if got := fitLabel(st, long, w/2); got != "(million USD)" {
		t.Errorf("half the room: %q, want the units alone", got)
	}
	room := st.Width("initiatives")
	got := fitLabel(st, long, room)
	if !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) || st.Width(got) > room {
		t.Errorf("little room: %q (width %v, room %v), want a start of the label ended with …", got, st.Width(got), room)
	}
	if got := fitLabel(st, "population", 0); got != "" {
		t.Errorf("no room: %q, want nothing", got)
	}
}
