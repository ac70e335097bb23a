package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot/vg"

	"github.com/stockflow/stockflow/sensitivity"
)

// Tornado draws a one-at-a-time study (sensitivity.RunTornado) as a
// tornado chart: a row per param, the widest swing on top, with a bar
// from the base run's crossing time to the crossing time at the param's
// min (upper half of the row) and one to the crossing time at its max
// (lower half). A run that never crosses draws its bar to the stop time,
// marked "never"; a vertical rule marks the base run's crossing.
func Tornado(t *sensitivity.Tornado) (*Figure, error) {
	if t == nil {
		return nil, errors.New("no tornado study to draw")
	}
	if len(t.Bars) == 0 {
		return nil, errors.New("no params to draw: none declares a min or a max")
	}
	n := len(t.Bars)
	base, baseLabel := t.Base, "base run: "+strconv.FormatFloat(math.Round(t.Base*100)/100, 'f', -1, 64)
	if math.IsNaN(base) {
		base, baseLabel = t.Stop, "base run: never crosses"
	}
	p := &Panel{
		Title:  fmt.Sprintf("First crossing of %s, each param at its min and max", t.Threshold),
		XLabel: "time" + unitSuffix(t.TimeUnits),
		YTicks: make([]Tick, n),
		Y:      Range{-0.7, float64(n) - 0.3},
	}
	lowC, highC := seriesColor(0), seriesColor(1)
	lo, hi := base, base
	for k, b := range t.Bars {
		y := float64(n - 1 - k) // the widest on top
		p.YTicks[n-1-k] = Tick{Value: y, Label: fmt.Sprintf("%s %s–%s", b.Param, fmtValue(b.Low), fmtValue(b.High))}
		for _, end := range []struct {
			at, y0, y1 float64
			c          color.RGBA
			label      string
		}{
			{b.AtLow, y, y + 0.36, lowC, "param at its min"},
			{b.AtHigh, y - 0.36, y, highC, "param at its max"},
		} {
			x := end.at
			if math.IsNaN(x) {
				x = t.Stop
				p.Markers = append(p.Markers, Marker{X: x, Y: (end.y0 + end.y1) / 2, Label: "never", Color: end.c})
			}
			label := ""
			if k == 0 {
				label = end.label
			}
			p.Areas = append(p.Areas, Area{Label: label, X: []float64{math.Min(base, x), math.Max(base, x)}, Lo: []float64{end.y0, end.y0}, Hi: []float64{end.y1, end.y1}, Color: end.c})
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	pad := 0.06 * (hi - lo)
	if pad == 0 {
		pad = 1
	}
	p.X = Range{lo - pad, hi + 3*pad}
	p.VRules = []Rule{{At: base, Label: baseLabel, Color: hex(crossingBlack), Dashed: true}}
	h := vg.Length(1.6+0.42*float64(n)) * vg.Inch
	return &Figure{Panels: []*Panel{p}, Height: max(h, 3*vg.Inch)}, nil
}

// fmtValue formats a param value for a label: at most four significant
// digits.
func fmtValue(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
