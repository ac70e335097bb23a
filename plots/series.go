package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// timeUnits returns the model's time unit, or "".
func timeUnits(m *model.Model) string {
	if m == nil || m.Decl == nil {
		return ""
	}
	return m.Decl.TimeUnits
}

// unitSuffix returns " (unit)", or "" for no unit declared.
func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " (" + u + ")"
}

// timeLabel is the label of a time axis: "time (year)".
func timeLabel(m *model.Model) string { return "time" + unitSuffix(timeUnits(m)) }

// units returns a variable's checked units (model.Model.Units): as
// declared, or as inferred when it declares none; "" when not known.
func units(m *model.Model, name string) string {
	if m == nil || m.Source == nil {
		return ""
	}
	return m.Units().UnitsOf(name)
}

// paramLabel is the axis label of a param: "r (1/year)".
func paramLabel(m *model.Model, name string) string { return name + unitSuffix(units(m, name)) }

// valueLabel is the label of a value axis showing the named variables:
// their names and, when they share them, their units.
func valueLabel(m *model.Model, names []string) string {
	us := map[string]bool{}
	for _, n := range names {
		us[units(m, n)] = true
	}
	label := strings.Join(names, ", ")
	if len(names) > 3 {
		label = "value"
	}
	if len(us) == 1 {
		for u := range us {
			label += unitSuffix(u)
		}
	}
	return label
}

// padded returns [lo, hi] widened by 5% either side (1 either side of an
// empty range), or [0, 1] for no finite values.
func padded(lo, hi float64) Range {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return Range{0, 1}
	}
	if hi == lo {
		d := math.Max(math.Abs(lo)*0.1, 1)
		return Range{lo - d, hi + d}
	}
	d := (hi - lo) * 0.05
	return Range{lo - d, hi + d}
}

// extent returns the smallest and largest finite values of the slices.
func extent(vs ...[]float64) (lo, hi float64) {
	lo, hi = math.NaN(), math.NaN()
	for _, v := range vs {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				continue
			}
			if math.IsNaN(lo) || x < lo {
				lo = x
			}
			if math.IsNaN(hi) || x > hi {
				hi = x
			}
		}
	}
	return lo, hi
}

// fmtTime formats a time for a label, with two decimals (calendar years
// too: 2029.47).
func fmtTime(t float64) string {
	if math.Abs(t) >= 1e6 {
		return fmt.Sprintf("%.4g", t)
	}
	return fmt.Sprintf("%.2f", t)
}

// TimeSeries draws the named variables of a run over time (every stock,
// flow and aux of the result when vars is empty). Variables of different
// units are drawn as small multiples: one panel per unit, stacked on the
// shared time axis in the order the units first appear, the model's name
// above them, each panel's value axis labelled with its unit. Each
// threshold named in thresholds — entries of the model's [thresholds] —
// is drawn as a dashed line at its level in the panel of its variable's
// unit, and each of its crossings in its direction is marked and
// labelled with its time. A line that runs on top of another is dashed
// (or dotted) so that both stay visible.
func TimeSeries(m *model.Model, res *model.Result, vars, thresholds []string) (*Figure, error) {
	return seriesFigure(m, res, vars, nil, thresholds)
}

// seriesFigure stacks the panels of seriesPanels, the model's name above
// them.
func seriesFigure(m *model.Model, res *model.Result, vars, obs, thresholds []string) (*Figure, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	ps, err := seriesPanels(m, res, vars, obs, thresholds)
	if err != nil {
		return nil, err
	}
	f := &Figure{Panels: ps}
	if len(ps) > 1 {
		f.Title, ps[0].Title = ps[0].Title, ""
	}
	return f, nil
}

// seriesPanels builds the time series panels, one per unit of the
// variables, with the points of the data variables named in obs as
// rings in the panel of their unit.
func seriesPanels(m *model.Model, res *model.Result, vars, obs, thresholds []string) ([]*Panel, error) {
	if res == nil || res.Len() == 0 {
		return nil, errors.New("the result is empty")
	}
	if len(vars) == 0 {
		for _, n := range res.Names {
			if k := m.Kind(n); k == decl.Stock || k == decl.Flow || k == decl.Aux || k == decl.Data || k == 0 {
				vars = append(vars, n)
			}
		}
	}
	x := Range{res.Times[0], res.Times[len(res.Times)-1]}
	// One panel per unit, in the order of first appearance.
	var ps []*Panel
	var names [][]string
	var data [][][]float64
	var unitOf []string
	panelOf := func(u string) int {
		for i, pu := range unitOf {
			if pu == u {
				return i
			}
		}
		unitOf = append(unitOf, u)
		ps = append(ps, &Panel{XLabel: timeLabel(m), X: x})
		names = append(names, nil)
		data = append(data, nil)
		return len(ps) - 1
	}
	for k, name := range vars {
		ys := res.Series(name)
		if ys == nil {
			if _, err := res.At(name, res.Times[0]); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("the result has no variable %q", name)
		}
		i := panelOf(units(m, name))
		names[i] = append(names[i], name)
		data[i] = append(data[i], ys)
		ps[i].Lines = append(ps[i].Lines, Line{Label: name, X: res.Times, Y: ys, Color: seriesColor(k)})
	}
	for k, name := range obs {
		pts, err := dataPoints(m, name, x, seriesColor(len(vars)+k))
		if err != nil {
			return nil, err
		}
		i := panelOf(units(m, name))
		names[i] = append(names[i], name)
		data[i] = append(data[i], pts.Y)
		ps[i].Points = append(ps[i].Points, pts)
	}
	levels := make([][]float64, len(ps))
	for _, name := range thresholds {
		th := threshold(m, name)
		if th == nil {
			return nil, fmt.Errorf("the model has no threshold %q", name)
		}
		dir, err := model.ParseDirection(th.Direction)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", th.Key, err)
		}
		// The panel of the threshold's variable's unit, or the first.
		i := slices.Index(unitOf, units(m, th.Var))
		if i < 0 {
			i = 0
		}
		p := ps[i]
		levels[i] = append(levels[i], th.Level)
		p.HRules = append(p.HRules, Rule{At: th.Level, Label: fmt.Sprintf("%s: %s = %g", th.Name, th.Var, th.Level), Color: hex(thresholdRed), Dashed: true})
		if !res.Has(th.Var) {
			continue
		}
		cs, err := res.Crossings(th.Var, th.Level, dir)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			p.Markers = append(p.Markers, Marker{X: c.Time, Y: th.Level, Label: "t = " + fmtTime(c.Time), Color: hex(thresholdRed)})
		}
	}
	for i, p := range ps {
		p.YLabel = valueLabel(m, names[i])
		lo, hi := extent(append(data[i], levels[i])...)
		p.Y = padded(lo, hi)
		if lo >= 0 && (p.Y.Min < 0 || lo < (hi-lo)/2) {
			// Values that cannot or do not stay far from zero read better
			// from zero.
			p.Y.Min = 0
		}
		distinguishCoinciding(p.Lines, p.Y)
		p.HideXTicks = i < len(ps)-1
	}
	ps[0].Title = seriesTitle(m, vars)
	return ps, nil
}

// dataPoints returns the points of the data variable name within the
// times x, to be drawn as rings in colour c.
func dataPoints(m *model.Model, name string, x Range, c color.Color) (Points, error) {
	v := m.Decl.Var(name)
	if v == nil || v.Kind != decl.Data {
		return Points{}, fmt.Errorf("the model has no data variable %q", name)
	}
	pts := Points{Label: name, Color: c}
	for _, pt := range v.Points {
		if pt[0] >= x.Min && pt[0] <= x.Max {
			pts.X = append(pts.X, pt[0])
			pts.Y = append(pts.Y, pt[1])
		}
	}
	return pts, nil
}

// distinguishCoinciding dashes each line that runs on top of an earlier
// one — within 1% of the value range over at least a quarter of the
// time — dotted if it covers two, so that the one beneath shows
// through (a min() of arrayed capacities hides the smallest of them).
// Lines are drawn in order, so the dashed one is the one on top.
func distinguishCoinciding(lines []Line, y Range) {
	tol := 0.01 * (y.Max - y.Min)
	for j := range lines {
		covered := 0
		for i := range j {
			if coincide(lines[i], lines[j], tol) {
				covered++
			}
		}
		if covered > 0 && lines[j].Dash == Solid {
			lines[j].Dash = Dash(min(covered, int(DashDotted)))
		}
	}
}

// coincide reports whether two lines over the same times lie within tol
// of each other at a quarter or more of their points.
func coincide(a, b Line, tol float64) bool {
	if len(a.X) == 0 || !slices.Equal(a.X, b.X) || len(a.Y) != len(a.X) || len(b.Y) != len(b.X) {
		return false
	}
	close, both := 0, 0
	for i := range a.X {
		ya, yb := a.Y[i], b.Y[i]
		if math.IsNaN(ya) || math.IsNaN(yb) || math.IsInf(ya, 0) || math.IsInf(yb, 0) {
			continue
		}
		both++
		if math.Abs(ya-yb) <= tol {
			close++
		}
	}
	return both > 0 && 4*close >= both
}

func threshold(m *model.Model, name string) *decl.Threshold {
	for _, th := range m.Decl.Thresholds {
		if th.Name == name {
			return th
		}
	}
	return nil
}

func seriesTitle(m *model.Model, vars []string) string {
	if m != nil && m.Decl != nil && m.Decl.Name != "" {
		return m.Decl.Name
	}
	return strings.Join(vars, ", ")
}

// ForPlot draws one [[plots]] entry of the model from a run: its
// variables as lines, its data variables' points as rings, and its
// thresholds, under its title. An entry that names
// scenarios needs a run of each: draw it with ForScenarioPlot.
func ForPlot(m *model.Model, res *model.Result, pl *decl.Plot) (*Figure, error) {
	if pl == nil {
		return nil, errors.New("no plot entry")
	}
	if len(pl.Scenarios) > 0 {
		return nil, fmt.Errorf("%s: an entry with scenarios needs a run of each (ForScenarioPlot)", pl.Key)
	}
	f, err := seriesFigure(m, res, pl.Vars, pl.Data, pl.Thresholds)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", pl.Key, err)
	}
	if pl.Title != "" {
		f.SetTitle(pl.Title)
	}
	return f, nil
}

// Phase draws a phase portrait: variable y against variable x over a
// run, with arrow heads along the curve showing the direction of time and
// the start and end marked with their times.
func Phase(m *model.Model, res *model.Result, x, y string) (*Figure, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	if res == nil || res.Len() == 0 {
		return nil, errors.New("the result is empty")
	}
	xs, ys := res.Series(x), res.Series(y)
	for _, n := range []string{x, y} {
		if res.Series(n) == nil {
			return nil, fmt.Errorf("the result has no variable %q", n)
		}
	}
	if len(xs) < 2 {
		return nil, errors.New("a phase portrait needs at least two save points")
	}
	xlo, xhi := extent(xs)
	ylo, yhi := extent(ys)
	title := fmt.Sprintf("%s against %s", y, x)
	if m.Decl.Name != "" {
		title = m.Decl.Name + ": " + title
	}
	p := &Panel{
		Title:  title,
		XLabel: x + unitSuffix(units(m, x)),
		YLabel: y + unitSuffix(units(m, y)),
		X:      padded(xlo, xhi),
		Y:      padded(ylo, yhi),
		Lines:  []Line{{X: xs, Y: ys, Color: seriesColor(0)}},
	}
	p.Arrows = phaseArrows(xs, ys, p.X, p.Y, 8)
	n := len(xs) - 1
	t0, t1 := res.Times[0], res.Times[n]
	p.Markers = []Marker{
		{X: xs[0], Y: ys[0], Label: "start, t = " + fmtTime(t0), Color: seriesColor(2)},
		{X: xs[n], Y: ys[n], Label: "end, t = " + fmtTime(t1), Color: seriesColor(3)},
	}
	return &Figure{Panels: []*Panel{p}, Width: 8 * vg.Inch, Height: 6.5 * vg.Inch}, nil
}

// phaseArrows places up to count arrow heads along the curve, spread by
// its length on the axes' scales and kept apart (a closed orbit run
// several times gets each place once), pointing the way time runs.
func phaseArrows(xs, ys []float64, xr, yr Range, count int) []Arrow {
	sx, sy := xr.Max-xr.Min, yr.Max-yr.Min
	cum := []float64{0}
	for i := 1; i < len(xs); i++ {
		d := math.Hypot((xs[i]-xs[i-1])/sx, (ys[i]-ys[i-1])/sy)
		if math.IsNaN(d) {
			d = 0
		}
		cum = append(cum, cum[i-1]+d)
	}
	total := cum[len(cum)-1]
	if total == 0 {
		return nil
	}
	var out []Arrow
	tries := 8 * count
	for k := 0; k < tries && len(out) < count; k++ {
		at := total * (float64(k) + 0.5) / float64(tries)
		i, _ := slices.BinarySearch(cum, at)
		i = max(1, min(i, len(xs)-1))
		a := Arrow{
			X: (xs[i-1] + xs[i]) / 2, Y: (ys[i-1] + ys[i]) / 2,
			DX: xs[i] - xs[i-1], DY: ys[i] - ys[i-1],
			Color: seriesColor(0),
		}
		apart := slices.IndexFunc(out, func(b Arrow) bool {
			return math.Hypot((a.X-b.X)/sx, (a.Y-b.Y)/sy) < 0.7/float64(count)
		}) < 0
		if apart {
			out = append(out, a)
		}
	}
	return out
}
