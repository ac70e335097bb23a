package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// TippingMap draws a tipping map: the time a threshold is first crossed,
// as a heat map over the grid of the two swept params, cells that never
// cross in their own colour, and a colour bar. The model gives the units.
func TippingMap(m *model.Model, tp *loops.Tipping) (*Figure, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	if err := checkTipping(tp); err != nil {
		return nil, err
	}
	xs, ys := tp.X.Values(), tp.Y.Values()
	lo, hi := tp.Range()
	if math.IsNaN(lo) {
		lo, hi = 0, 1
	}
	if hi <= lo {
		hi = lo + 1
	}
	h := &Heat{
		X: xs, Y: ys, Z: tp.Times,
		Min: lo, Max: hi,
		ColorMap:   viridis(),
		ScaleLabel: "first crossing" + unitSuffix(timeUnits(m)),
		NaN:        hex(neverGrey),
		NaNLabel:   "never crosses",
	}
	dir := tp.Direction
	if dir == "" {
		dir = "either"
	}
	p := &Panel{
		Title:  fmt.Sprintf("Tipping map of %s: when %s first crosses %s (%s)", tp.Threshold, tp.Var, jsonLevel(tp.Level), dir),
		XLabel: paramLabel(m, tp.X.Param),
		YLabel: paramLabel(m, tp.Y.Param),
		X:      cellRange(xs),
		Y:      cellRange(ys),
		Heat:   h,
	}
	return &Figure{Panels: []*Panel{p}, Height: 6.5 * vg.Inch, Width: 9 * vg.Inch}, nil
}

// distinct reports whether cells centred on vs can be drawn where they
// are: the values finite, strictly increasing and far enough apart for
// their magnitude (not, say, 1e20 and 1.000000000000001e20).
func distinct(vs []float64) bool {
	for i, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) || i > 0 && !(v > vs[i-1]) {
			return false
		}
	}
	r := centredRange(vs)
	return len(vs) > 0 && r.Drawable() == r
}

// cellRange returns the range covered by cells centred on vs. Values
// that cannot be drawn where they are (see distinct) get the drawable
// range nearest theirs, their cells spread evenly across it.
func cellRange(vs []float64) Range {
	if len(vs) == 0 {
		return Range{0, 1}
	}
	if !distinct(vs) {
		lo, hi := extent(vs)
		return padded(lo, hi).Drawable()
	}
	return centredRange(vs)
}

// centredRange returns the range covered by cells centred on vs,
// increasing values.
func centredRange(vs []float64) Range {
	if len(vs) == 1 {
		w := math.Max(math.Abs(vs[0])*0.05, 0.5)
		return Range{vs[0] - w, vs[0] + w}
	}
	d := (vs[len(vs)-1] - vs[0]) / float64(len(vs)-1) / 2
	return Range{vs[0] - d, vs[len(vs)-1] + d}
}

// heatCells draws a heat map cell by cell: each a rectangle reaching
// half way to its neighbours, widened by a hair so that no seam shows
// between cells, in the colour of its value (NaN cells in the NaN
// colour).
type heatCells struct {
	h     *Heat
	cm    palette.ColorMap
	scale Range // the colour scale's range, drawable
}

func heatMap(h *Heat) (*heatCells, error) {
	if len(h.Z) != len(h.Y) {
		return nil, fmt.Errorf("heat map has %d rows of values for %d Y values", len(h.Z), len(h.Y))
	}
	for _, row := range h.Z {
		if len(row) != len(h.X) {
			return nil, fmt.Errorf("heat map has a row of %d values for %d X values", len(row), len(h.X))
		}
	}
	if len(h.X) < 2 || len(h.Y) < 2 {
		return nil, errors.New("a heat map needs at least two values on each axis")
	}
	cm := h.ColorMap
	if cm == nil {
		cm = viridis()
	}
	scale := Range{h.Min, h.Max}.Drawable()
	cm.SetMin(scale.Min)
	cm.SetMax(scale.Max)
	return &heatCells{h: h, cm: cm, scale: scale}, nil
}

// edges returns the cell boundaries around centres vs; centres that
// cannot be drawn where they are (see distinct) get cells of equal width
// across r instead.
func edges(vs []float64, r Range) []float64 {
	e := make([]float64, len(vs)+1)
	if !distinct(vs) {
		for i := range e {
			e[i] = r.Min + (r.Max-r.Min)*float64(i)/float64(len(vs))
		}
		return e
	}
	for i := 1; i < len(vs); i++ {
		e[i] = (vs[i-1] + vs[i]) / 2
	}
	e[0] = vs[0] - (e[1] - vs[0])
	e[len(vs)] = vs[len(vs)-1] + (vs[len(vs)-1] - e[len(vs)-1])
	return e
}

// Plot implements plot.Plotter.
func (hc *heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	xe := edges(hc.h.X, Range{p.X.Min, p.X.Max})
	ye := edges(hc.h.Y, Range{p.Y.Min, p.Y.Max})
	hair := vg.Points(1)
	for j, row := range hc.h.Z {
		for i, z := range row {
			col := hc.h.NaN
			if !math.IsNaN(z) {
				v := math.Max(hc.scale.Min, math.Min(hc.scale.Max, z))
				if cc, err := hc.cm.At(v); err == nil {
					col = cc
				}
			}
			x0, x1 := trX(xe[i]), trX(xe[i+1])+hair
			y0, y1 := trY(ye[j]), trY(ye[j+1])+hair
			c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
	}
}

// drawColorBar draws a heat map's colour bar, labelled, in the column
// col, and the legend (the NaN colour) under it.
func drawColorBar(col draw.Canvas, h *Heat, lg *plot.Legend) {
	if lg != nil {
		r := lg.Rectangle(col)
		lh := r.Max.Y - r.Min.Y
		lc := col
		lc.Max.Y = col.Min.Y + lh
		lg.Draw(lc)
		col.Min.Y += lh + vg.Points(14)
	}
	cm := h.ColorMap
	if cm == nil {
		cm = viridis()
	}
	scale := Range{h.Min, h.Max}.Drawable()
	cm.SetMin(scale.Min)
	cm.SetMax(scale.Max)
	bar := plot.New()
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 256})
	bar.HideX()
	bar.Y.Label.Text = h.ScaleLabel
	bar.Y.Label.TextStyle.Font.Size = fontSize
	bar.Y.Tick.Label.Font.Size = fontSize - 1
	bar.Y.Tick.Marker = roundTicks{}
	bar.Y.Min, bar.Y.Max = scale.Min, scale.Max
	bar.Draw(col)
}

func jsonLevel(x float64) string { return fmt.Sprintf("%g", x) }
