package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default sizes of a figure.
const (
	DefaultWidth       = 10 * vg.Inch  // the width of every figure
	DefaultPanelHeight = 4.5 * vg.Inch // the height of a one-panel figure; more panels get 3.2 inches each
	DefaultDPI         = 100           // PNG resolution: a 10-inch figure is 1000 pixels wide
)

// Figure is a picture described as data: panels stacked top to bottom
// that share their horizontal axis, each holding what is drawn in it.
// The plot functions of this package return one; change its fields
// (titles, ranges, sizes) before rendering if need be.
type Figure struct {
	// Title, if any, is drawn above the panels.
	Title string
	// Panels are stacked top to bottom; their data areas line up.
	Panels []*Panel
	// Width and Height are the size of the picture. Zero means
	// DefaultWidth, and DefaultPanelHeight for one panel (3.2 inches a
	// panel for more, plus the panels' own heights).
	Width, Height vg.Length
	// DPI is the resolution of PNG output. Zero means DefaultDPI.
	DPI int
}

// Panel is one plot of a figure.
type Panel struct {
	Title          string
	XLabel, YLabel string
	// X and Y are the ranges the axes show.
	X, Y Range
	// HideXTicks hides the tick labels and label of the horizontal axis
	// (the upper panels of a stack that shares it).
	HideXTicks bool
	// YTicks, if any, replace the round ticks of the vertical axis (the
	// rows of an event strip).
	YTicks []Tick
	// Height is the panel's height in a figure of several; zero shares
	// what the panels with a height leave among the others.
	Height vg.Length

	Spans   []Span   // shaded intervals of X, behind everything else
	Areas   []Area   // filled bands, drawn in order
	Lines   []Line   // curves
	HRules  []Rule   // horizontal lines across the panel (thresholds, zero)
	VRules  []Rule   // vertical lines across the panel (crossing and shift times)
	Arrows  []Arrow  // arrow heads along a curve (the direction of time)
	Markers []Marker // labelled points
	Points  []Points // observations: rings not joined, over the lines
	Heat    *Heat    // a heat map with a colour bar
}

// Points is a series drawn as rings at (X[i], Y[i]), not joined:
// observations to compare the lines with. Points that are not finite are
// left out.
type Points struct {
	Label string // legend entry; empty for none
	X, Y  []float64
	Color color.Color
}

// Tick is a labelled tick of an axis.
type Tick struct {
	Value float64
	Label string
}

// Range is the span of an axis. Any values may be given: a range that
// cannot be drawn as it is (empty, reversed, NaN, infinite, or too narrow
// for its magnitude to be told apart in floating point) is drawn as
// Drawable returns it.
type Range struct{ Min, Max float64 }

// Limits of a drawable range.
const (
	// maxAbs bounds the ends of a drawn range: beyond it, the tick
	// computations overflow.
	maxAbs = 1e300
	// minRelWidth is the narrowest a range may be relative to the size
	// of its ends: narrower, its ticks cannot be told apart.
	minRelWidth = 1e-9
	// minWidth is the narrowest a range may be at all.
	minWidth = 1e-300
)

// Drawable returns the range as it is drawn: r itself when it is finite,
// increasing and wide enough to hold distinct ticks; otherwise a range
// that is, near r. NaN ends take the other end's value (both NaN give
// [0, 1]), infinite and huge ends are clamped to ±1e300, reversed ends
// are swapped, and a range narrower than 1e-9 of its magnitude is widened
// to 5% of its middle either side ([-1, 1] about zero).
func (r Range) Drawable() Range {
	lo, hi := r.Min, r.Max
	switch {
	case math.IsNaN(lo) && math.IsNaN(hi):
		return Range{0, 1}
	case math.IsNaN(lo):
		lo = hi
	case math.IsNaN(hi):
		hi = lo
	}
	lo = math.Max(-maxAbs, math.Min(maxAbs, lo))
	hi = math.Max(-maxAbs, math.Min(maxAbs, hi))
	if lo > hi {
		lo, hi = hi, lo
	}
	mag := math.Max(math.Abs(lo), math.Abs(hi))
	need := math.Max(mag*minRelWidth, minWidth)
	if hi-lo >= need {
		return Range{lo, hi}
	}
	mid := lo/2 + hi/2
	if math.Abs(mid) < minWidth {
		return Range{-1, 1}
	}
	half := math.Abs(mid) * 0.05
	return Range{mid - half, mid + half}
}

// Line is a curve through the points (X[i], Y[i]); NaN and infinite
// values break it.
type Line struct {
	Label string // legend entry; empty for none
	X, Y  []float64
	Color color.Color
	Dash  Dash
}

// Dash is the pattern a line is drawn in.
type Dash int

// The patterns of a line, in the order coinciding lines take them.
const (
	Solid Dash = iota
	Dashed
	Dotted
	DashDotted
)

// dashes returns the dash lengths of a pattern (nil for solid).
func (d Dash) dashes() []vg.Length {
	switch d {
	case Dashed:
		return []vg.Length{vg.Points(7), vg.Points(4)}
	case Dotted:
		return []vg.Length{vg.Points(2), vg.Points(3)}
	case DashDotted:
		return []vg.Length{vg.Points(7), vg.Points(3), vg.Points(2), vg.Points(3)}
	}
	return nil
}

// Area is the band between Lo and Hi over X: one layer of a stacked area
// plot.
type Area struct {
	Label     string // legend entry; empty for none (as for a second band of the same loop)
	X, Lo, Hi []float64
	Color     color.Color
}

// Span shades the interval [From, To] of the horizontal axis over the
// panel's whole height.
type Span struct {
	Label    string // legend entry; spans with the same label share one
	From, To float64
	Color    color.Color
}

// Rule is a straight line across a panel at a value of one axis, with a
// label drawn beside it.
type Rule struct {
	At     float64
	Label  string
	Color  color.Color
	Dashed bool
}

// Arrow is an arrow head at (X, Y) pointing along (DX, DY), in data
// units.
type Arrow struct {
	X, Y, DX, DY float64
	Color        color.Color
}

// Marker is a point drawn as a circle (or a bar), with a label beside
// it.
type Marker struct {
	X, Y  float64
	Label string
	Color color.Color
	Glyph Glyph
}

// Glyph is the shape of a marker.
type Glyph int

// The shapes of a marker.
const (
	Circle Glyph = iota // a ring
	Bar                 // a short vertical bar: an event on a time strip
)

// Heat is a heat map: Z[j][i] is the value of the cell centred at
// (X[i], Y[j]). NaN cells take the NaN colour and a legend entry; a colour
// bar beside the panel shows the scale.
type Heat struct {
	X, Y     []float64
	Z        [][]float64
	Min, Max float64 // the colour scale's range
	ColorMap palette.ColorMap
	// ScaleLabel names the coloured quantity, with its unit, under the
	// colour bar.
	ScaleLabel string
	// NaN is the colour of NaN cells, which NaNLabel explains in the
	// legend.
	NaN      color.Color
	NaNLabel string
}

// SetTitle titles the figure: the panel of a one-panel figure, or else
// the figure above its panels.
func (f *Figure) SetTitle(title string) {
	if len(f.Panels) == 1 {
		f.Panels[0].Title = title
		return
	}
	f.Title = title
}

// Size returns the figure's width and height in points, the defaults
// filled in.
func (f *Figure) Size() (w, h vg.Length) {
	w, h = f.Width, f.Height
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultPanelHeight
		if n := len(f.Panels); n > 1 {
			h = 0
			for _, p := range f.Panels {
				if p.Height > 0 {
					h += p.Height
				} else {
					h += 3.2 * vg.Inch
				}
			}
		}
	}
	return w, h
}

func (f *Figure) dpi() int {
	if f.DPI > 0 {
		return f.DPI
	}
	return DefaultDPI
}

// MaxPixels bounds the size of a PNG figure: its width times its height
// in pixels at its DPI (100 megapixels, 400 MB of image).
const MaxPixels = 100_000_000

// checkSize returns an error for a figure whose size or DPI cannot be
// drawn: negative or not finite, or, for an image (raster), more than
// MaxPixels.
func (f *Figure) checkSize(raster bool) error {
	w, h := f.Size()
	for _, l := range []vg.Length{w, h} {
		if !(l > 0) || math.IsInf(float64(l), 0) {
			return fmt.Errorf("the figure's size %v × %v is not positive and finite", w, h)
		}
	}
	if !raster {
		return nil
	}
	if f.DPI < 0 {
		return fmt.Errorf("the figure's DPI %d is negative", f.DPI)
	}
	px := float64(w/vg.Inch) * float64(h/vg.Inch) * float64(f.dpi()) * float64(f.dpi())
	if px > MaxPixels {
		return fmt.Errorf("the figure of %.3g pixels is too large (at most %d: reduce its size or DPI)", px, MaxPixels)
	}
	return nil
}

// Image renders the figure as an image at its DPI.
func (f *Figure) Image() (image.Image, error) {
	if err := f.checkSize(true); err != nil {
		return nil, err
	}
	w, h := f.Size()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(f.dpi()), vgimg.UseBackgroundColor(color.White))
	if err := f.draw(draw.New(c)); err != nil {
		return nil, err
	}
	return c.Image(), nil
}

// PNG renders the figure as PNG bytes.
func (f *Figure) PNG() ([]byte, error) {
	img, err := f.Image()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Formats lists the file formats Encode and Save write.
func Formats() []string { return slices.Clone(decl.PlotFormats) }

// FormatOf returns the format a file name's extension asks for: png, svg
// or pdf; a name without an extension is png.
func FormatOf(path string) (string, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	switch ext {
	case "":
		return "png", nil
	case "png", "svg", "pdf":
		return ext, nil
	}
	return "", fmt.Errorf("%s: unknown image format %q (want .png, .svg or .pdf)", path, "."+ext)
}

// Encode renders the figure in a format: "png", "svg" or "pdf".
func (f *Figure) Encode(format string) ([]byte, error) {
	var b bytes.Buffer
	if err := f.WriteTo(&b, format); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteTo renders the figure in a format ("png", "svg" or "pdf") to w.
func (f *Figure) WriteTo(w io.Writer, format string) error {
	if format == "png" {
		b, err := f.PNG()
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	if err := f.checkSize(false); err != nil {
		return err
	}
	wd, ht := f.Size()
	var c vg.CanvasWriterTo
	switch format {
	case "svg":
		c = vgsvg.New(wd, ht)
	case "pdf":
		c = vgpdf.New(wd, ht)
	default:
		return fmt.Errorf("unknown image format %q (want png, svg or pdf)", format)
	}
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if err := f.draw(dc); err != nil {
		return err
	}
	_, err := c.WriteTo(w)
	return err
}

// Save renders the figure and writes it to a file, in the format its
// extension names (.png, .svg or .pdf). The figure is rendered before the
// file is opened, so a figure that cannot be drawn leaves it untouched.
func (f *Figure) Save(path string) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	b, err := f.Encode(format)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Styles.
const (
	fontSize      = 11
	titleSize     = 13
	smallFontSize = 9
)

func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(plot.DefaultFont, size),
		Handler: plot.DefaultTextHandler,
	}
}

// draw renders the figure on c as arrange lays it out.
func (f *Figure) draw(c draw.Canvas) error {
	ar, err := f.arrange(c)
	if err != nil {
		return err
	}
	if f.Title != "" {
		c.FillText(ar.titleStyle, ar.titleAt, f.Title)
	}
	for k, p := range f.Panels {
		ar.plots[k].Draw(ar.canvases[k])
		col := ar.columns[k]
		switch {
		case col.Canvas == nil:
		case p.Heat != nil:
			drawColorBar(col, p.Heat, ar.legends[k])
		case ar.legends[k] != nil:
			ar.legends[k].Draw(col)
		}
	}
	return nil
}

// arrangement is a figure laid out on a canvas.
type arrangement struct {
	titleStyle text.Style
	titleAt    vg.Point
	plots      []*plot.Plot
	legends    []*plot.Legend // nil for a panel without
	canvases   []draw.Canvas  // the panels'
	columns    []draw.Canvas  // beside each panel's data area, for its legend; none if no panel has one
}

// dataCanvas returns the data area of panel k.
func (ar *arrangement) dataCanvas(k int) draw.Canvas {
	return ar.plots[k].DataCanvas(ar.canvases[k])
}

// arrange lays the figure out on c: the title on top, a column on the
// right for the legends (and colour bars), the panels stacked in the rest
// with their data areas aligned.
func (f *Figure) arrange(c draw.Canvas) (*arrangement, error) {
	if len(f.Panels) == 0 {
		return nil, errors.New("the figure has no panels")
	}
	ar := &arrangement{}
	pad := vg.Points(8)
	c = draw.Crop(c, pad, -pad, pad, -pad)
	if f.Title != "" {
		st := textStyle(titleSize+2, color.Black)
		st.XAlign, st.YAlign = draw.XCenter, draw.YTop
		ar.titleStyle, ar.titleAt = st, vg.Point{X: c.Center().X, Y: c.Max.Y}
		c.Max.Y -= st.Rectangle(f.Title).Size().Y + pad
	}
	var side vg.Length
	for _, p := range f.Panels {
		pl, lg, err := p.plot()
		if err != nil {
			return nil, err
		}
		ar.plots = append(ar.plots, pl)
		ar.legends = append(ar.legends, lg)
		if w := legendWidth(lg); w > side {
			side = w
		}
		if p.Heat != nil {
			side = max(side, 1.1*vg.Inch)
		}
	}
	if side > 0 {
		side += pad
	}
	main := draw.Crop(c, 0, -side, 0, 0)
	ar.canvases = stack(f.Panels, ar.plots, main, vg.Points(6))
	for k, pl := range ar.plots {
		data := ar.dataCanvas(k)
		pl.Y.Label.Text = fitLabel(pl.Y.Label.TextStyle, pl.Y.Label.Text, data.Max.Y-data.Min.Y)
	}
	ar.columns = make([]draw.Canvas, len(f.Panels))
	if side > 0 {
		for k := range f.Panels {
			data := ar.dataCanvas(k)
			ar.columns[k] = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: main.Max.X + pad, Y: data.Min.Y},
				Max: vg.Point{X: c.Max.X, Y: data.Max.Y},
			}}
		}
	}
	return ar, nil
}

// stack divides c among the panels top to bottom, pad apart, each panel
// with a height getting it and the others sharing the rest equally, and
// lines up their data areas' left and right edges.
func stack(ps []*Panel, plots []*plot.Plot, c draw.Canvas, pad vg.Length) []draw.Canvas {
	free := c.Max.Y - c.Min.Y - pad*vg.Length(len(ps)-1)
	shared := 0
	for _, p := range ps {
		if p.Height > 0 && len(ps) > 1 {
			free -= p.Height
		} else {
			shared++
		}
	}
	out := make([]draw.Canvas, len(ps))
	top := c.Max.Y
	var left, right vg.Length
	for k, p := range ps {
		h := p.Height
		if h <= 0 || len(ps) == 1 {
			h = free / vg.Length(max(shared, 1))
		}
		pc := c
		pc.Max.Y, pc.Min.Y = top, top-h
		top -= h + pad
		out[k] = pc
		data := plots[k].DataCanvas(pc)
		left = max(left, data.Min.X-pc.Min.X)
		right = max(right, pc.Max.X-data.Max.X)
	}
	for k := range out {
		data := plots[k].DataCanvas(out[k])
		out[k] = draw.Crop(out[k], left-(data.Min.X-out[k].Min.X), -(right - (out[k].Max.X - data.Max.X)), 0, 0)
	}
	return out
}

func legendWidth(lg *plot.Legend) vg.Length {
	if lg == nil {
		return 0
	}
	r := lg.Rectangle(draw.Canvas{})
	return r.Max.X - r.Min.X
}

// plot builds the gonum plot of a panel and its legend (nil if it has no
// entries).
func (p *Panel) plot() (*plot.Plot, *plot.Legend, error) {
	pl := plot.New()
	pl.Title.Text = p.Title
	pl.Title.TextStyle.Font.Size = titleSize
	pl.X.Label.Text = p.XLabel
	pl.Y.Label.Text = p.YLabel
	for _, a := range []*plot.Axis{&pl.X, &pl.Y} {
		a.Label.TextStyle.Font.Size = fontSize
		a.Tick.Label.Font.Size = fontSize - 1
		a.Tick.Marker = roundTicks{}
	}
	xr, yr := p.X.Drawable(), p.Y.Drawable()
	pl.X.Min, pl.X.Max = xr.Min, xr.Max
	pl.Y.Min, pl.Y.Max = yr.Min, yr.Max
	if len(p.YTicks) > 0 {
		var ts plot.ConstantTicks
		for _, t := range p.YTicks {
			ts = append(ts, plot.Tick{Value: t.Value, Label: t.Label})
		}
		pl.Y.Tick.Marker = ts
	}
	if p.HideXTicks {
		pl.X.Label.Text = ""
		pl.X.Tick.Label.Color = color.Transparent
	}
	lg := plot.NewLegend()
	lg.Top, lg.Left = true, true
	lg.TextStyle.Font.Size = fontSize - 1
	lg.ThumbnailWidth = vg.Points(16)
	lg.Padding = vg.Points(3)
	entries := 0
	add := func(label string, th plot.Thumbnailer) {
		if label != "" {
			lg.Add(label, th)
			entries++
		}
	}

	if p.Heat == nil {
		pl.Add(plotter.NewGrid())
	}
	if len(p.Spans) > 0 {
		pl.Add(spans(p.Spans))
		seen := map[string]bool{}
		for _, s := range p.Spans {
			if !seen[s.Label] {
				seen[s.Label] = true
				add(s.Label, swatch{s.Color})
			}
		}
	}
	if h := p.Heat; h != nil {
		hm, err := heatMap(h)
		if err != nil {
			return nil, nil, err
		}
		pl.Add(hm)
		if h.NaNLabel != "" {
			add(h.NaNLabel, swatch{h.NaN})
		}
	}
	for _, a := range p.Areas {
		// Points that are not finite are left out; a band ends where its
		// shortest slice does.
		n := min(len(a.X), len(a.Lo), len(a.Hi))
		pts := make(plotter.XYs, 0, 2*n)
		for i := range n {
			if finite(a.X[i], a.Lo[i], a.Hi[i]) {
				pts = append(pts, plotter.XY{X: a.X[i], Y: a.Lo[i]})
			}
		}
		for i := n - 1; i >= 0; i-- {
			if finite(a.X[i], a.Lo[i], a.Hi[i]) {
				pts = append(pts, plotter.XY{X: a.X[i], Y: a.Hi[i]})
			}
		}
		if len(pts) < 3 {
			continue
		}
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return nil, nil, err
		}
		poly.Color = a.Color
		poly.LineStyle.Width = 0
		pl.Add(poly)
		add(a.Label, swatch{a.Color})
	}
	for _, l := range p.Lines {
		pts := make(plotter.XYs, 0, len(l.X))
		var segs []plotter.XYs
		for i, x := range l.X[:min(len(l.X), len(l.Y))] {
			if !finite(x, l.Y[i]) {
				if len(pts) > 0 {
					segs = append(segs, pts)
					pts = nil
				}
				continue
			}
			pts = append(pts, plotter.XY{X: x, Y: l.Y[i]})
		}
		if len(pts) > 0 {
			segs = append(segs, pts)
		}
		var first *plotter.Line
		for _, s := range segs {
			ln, err := plotter.NewLine(s)
			if err != nil {
				return nil, nil, err
			}
			ln.Color = l.Color
			ln.Width = vg.Points(2)
			ln.Dashes = l.Dash.dashes()
			pl.Add(ln)
			if first == nil {
				first = ln
			}
		}
		if first != nil {
			add(l.Label, first)
		}
	}
	if len(p.HRules) > 0 || len(p.VRules) > 0 {
		pl.Add(rules{p})
	}
	if len(p.Arrows) > 0 {
		pl.Add(arrows(p.Arrows))
	}
	for _, d := range p.Points {
		pl.Add(d)
		add(d.Label, d)
	}
	if len(p.Markers) > 0 {
		pl.Add(markers(p.Markers))
	}
	// Restore the declared ranges: Add widens them to the data.
	pl.X.Min, pl.X.Max = xr.Min, xr.Max
	pl.Y.Min, pl.Y.Max = yr.Min, yr.Max
	if entries == 0 {
		return pl, nil, nil
	}
	return pl, &lg, nil
}

// finite reports whether every x is neither NaN nor infinite.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// swatch is a legend thumbnail: a filled rectangle.
type swatch struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	r.Min.Y += vg.Points(1)
	r.Max.Y -= vg.Points(1)
	pts := []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
	c.FillPolygon(s.c, pts)
}

// spans draws shaded intervals over the data area's height.
type spans []Span

// Plot implements plot.Plotter.
func (ss spans) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, s := range ss {
		a, b := math.Max(s.From, p.X.Min), math.Min(s.To, p.X.Max)
		if !(a < b) {
			continue
		}
		x0, x1 := trX(a), trX(b)
		c.FillPolygon(s.Color, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
	}
}

// rules draws a panel's horizontal and vertical rules with their labels,
// placed clear of its markers, their labels and its lines.
type rules struct{ p *Panel }

// Plot implements plot.Plotter.
func (r rules) Plot(c draw.Canvas, pl *plot.Plot) {
	trX, trY := pl.Transforms(&c)
	for _, h := range r.p.HRules {
		if h.At >= pl.Y.Min && h.At <= pl.Y.Max {
			y := trY(h.At)
			c.StrokeLine2(ruleStyle(h), c.Min.X, y, c.Max.X, y)
		}
	}
	for _, v := range r.p.VRules {
		if v.At >= pl.X.Min && v.At <= pl.X.Max {
			x := trX(v.At)
			c.StrokeLine2(ruleStyle(v), x, c.Min.Y, x, c.Max.Y)
		}
	}
	for _, l := range r.layout(c, pl) {
		backedText(c, l.style, l.at, l.text)
	}
}

// label is a label placed on a canvas: its text drawn with style at at,
// covering box.
type label struct {
	text  string
	style text.Style
	at    vg.Point
	box   vg.Rectangle
}

func placedLabel(ts text.Style, at vg.Point, s string) label {
	r := ts.Rectangle(s)
	return label{text: s, style: ts, at: at, box: vg.Rectangle{
		Min: vg.Point{X: at.X + r.Min.X, Y: at.Y + r.Min.Y},
		Max: vg.Point{X: at.X + r.Max.X, Y: at.Y + r.Max.Y},
	}}
}

// layout places the rules' labels on the data canvas c: the vertical
// rules' at the top, in up to three rows so that close ones do not
// overprint (a label with no room is left out); then each horizontal
// rule's beside its line, at the first place — right end above the line,
// then below it, then 4 points further left, then all that again with the
// label on two lines — that covers the fewest markers, other labels,
// vertical rules and line segments.
func (r rules) layout(c draw.Canvas, pl *plot.Plot) []label {
	trX, trY := pl.Transforms(&c)
	st := textStyle(smallFontSize, color.Black)
	lineH := st.Rectangle("0").Size().Y * 1.25
	var out []label
	const rows = 3
	var rowEnd [rows]vg.Length
	for i := range rowEnd {
		rowEnd[i] = c.Min.X - 1e6
	}
	for _, v := range r.p.VRules {
		if v.At < pl.X.Min || v.At > pl.X.Max || v.Label == "" {
			continue
		}
		x := trX(v.At)
		ts := st
		ts.Color = v.Color
		ts.XAlign, ts.YAlign = draw.XLeft, draw.YTop
		w := ts.Rectangle(v.Label).Size().X
		x0 := x + vg.Points(3)
		if x0+w > c.Max.X {
			ts.XAlign = draw.XRight
			x0 = x - vg.Points(3) - w
		}
		for row := range rows {
			if x0 < rowEnd[row]+vg.Points(4) {
				continue
			}
			rowEnd[row] = x0 + w
			at := vg.Point{X: x0, Y: c.Max.Y - vg.Points(2) - vg.Length(row)*lineH}
			if ts.XAlign == draw.XRight {
				at.X = x0 + w
			}
			out = append(out, placedLabel(ts, at, v.Label))
			break
		}
	}

	// What a horizontal rule's label must keep clear of.
	var boxes []vg.Rectangle
	for _, l := range out {
		boxes = append(boxes, l.box)
	}
	for _, m := range r.p.Markers {
		pt := vg.Point{X: trX(m.X), Y: trY(m.Y)}
		rad := vg.Points(5)
		boxes = append(boxes, vg.Rectangle{Min: vg.Point{X: pt.X - rad, Y: pt.Y - rad}, Max: vg.Point{X: pt.X + rad, Y: pt.Y + rad}})
		if l, ok := markerLabel(c, m, pt); ok {
			boxes = append(boxes, l.box)
		}
	}
	var xs []vg.Length
	for _, v := range r.p.VRules {
		xs = append(xs, trX(v.At))
	}
	var segs [][2]vg.Point
	for _, ln := range r.p.Lines {
		for i := 1; i < min(len(ln.X), len(ln.Y)); i++ {
			a := vg.Point{X: trX(ln.X[i-1]), Y: trY(ln.Y[i-1])}
			b := vg.Point{X: trX(ln.X[i]), Y: trY(ln.Y[i])}
			if finitePoint(a) && finitePoint(b) {
				segs = append(segs, [2]vg.Point{a, b})
			}
		}
	}
	cost := func(box vg.Rectangle) int {
		n := 0
		if box.Min.X < c.Min.X || box.Max.X > c.Max.X || box.Min.Y < c.Min.Y || box.Max.Y > c.Max.Y {
			n += 1000
		}
		for _, b := range boxes {
			if overlaps(box, b) {
				n += 100
			}
		}
		for _, x := range xs {
			if x >= box.Min.X && x <= box.Max.X {
				n += 100
			}
		}
		for _, s := range segs {
			if segmentHits(s[0], s[1], box) {
				n++
			}
		}
		return n
	}
	for _, h := range r.p.HRules {
		if h.At < pl.Y.Min || h.At > pl.Y.Max || h.Label == "" {
			continue
		}
		y := trY(h.At)
		ts := st
		ts.Color = h.Color
		ts.XAlign = draw.XLeft
		// The label on one line, else broken after its name where that
		// finds a clear place.
		texts := []string{h.Label}
		if name, rest, ok := strings.Cut(h.Label, ": "); ok {
			texts = append(texts, name+":\n"+rest)
		}
		var best label
		bestCost := -1
		for _, txt := range texts {
			w := ts.Rectangle(txt).Size().X
			for x0 := c.Max.X - vg.Points(3) - w; x0 >= c.Min.X+vg.Points(3) || bestCost < 0; x0 -= vg.Points(4) {
				for _, above := range []bool{true, false} {
					at := vg.Point{X: x0, Y: y + vg.Points(2)}
					ts.YAlign = draw.YBottom
					if !above {
						ts.YAlign, at.Y = draw.YTop, y-vg.Points(2)
					}
					l := placedLabel(ts, at, txt)
					if n := cost(l.box); bestCost < 0 || n < bestCost {
						best, bestCost = l, n
					}
				}
				if bestCost == 0 {
					break
				}
			}
			if bestCost == 0 {
				break
			}
		}
		out = append(out, best)
		boxes = append(boxes, best.box)
	}
	return out
}

func finitePoint(p vg.Point) bool {
	x, y := float64(p.X), float64(p.Y)
	return !math.IsNaN(x) && !math.IsNaN(y) && !math.IsInf(x, 0) && !math.IsInf(y, 0)
}

// overlaps reports whether two rectangles share more than an edge.
func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

// segmentHits reports whether the segment from a to b passes through the
// rectangle r (Liang–Barsky clipping).
func segmentHits(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		return t0 <= t1
	}
	return clip(-dx, float64(a.X-r.Min.X)) && clip(dx, float64(r.Max.X-a.X)) &&
		clip(-dy, float64(a.Y-r.Min.Y)) && clip(dy, float64(r.Max.Y-a.Y))
}

// backedText draws text on a translucent white box, legible over lines
// and shading.
func backedText(c draw.Canvas, ts text.Style, at vg.Point, s string) {
	r := ts.Rectangle(s)
	box := vg.Rectangle{Min: vg.Point{X: at.X + r.Min.X - 1, Y: at.Y + r.Min.Y - 1}, Max: vg.Point{X: at.X + r.Max.X + 1, Y: at.Y + r.Max.Y + 1}}
	c.FillPolygon(color.NRGBA{255, 255, 255, 220}, []vg.Point{box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}})
	c.FillText(ts, at, s)
}

func ruleStyle(r Rule) draw.LineStyle {
	s := draw.LineStyle{Color: r.Color, Width: vg.Points(1.2)}
	if r.Dashed {
		s.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	return s
}

// arrows draws arrow heads.
type arrows []Arrow

// Plot implements plot.Plotter.
func (as arrows) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	size := vg.Points(12)
	for _, a := range as {
		x, y := trX(a.X), trY(a.Y)
		dx := float64(trX(a.X+a.DX) - x)
		dy := float64(trY(a.Y+a.DY) - y)
		n := math.Hypot(dx, dy)
		if n == 0 || math.IsNaN(n) || !c.Contains(vg.Point{X: x, Y: y}) {
			continue
		}
		ux, uy := dx/n, dy/n
		tip := vg.Point{X: x + vg.Length(ux)*size/2, Y: y + vg.Length(uy)*size/2}
		back := vg.Point{X: x - vg.Length(ux)*size/2, Y: y - vg.Length(uy)*size/2}
		l := vg.Point{X: back.X - vg.Length(uy)*size*0.4, Y: back.Y + vg.Length(ux)*size*0.4}
		r := vg.Point{X: back.X + vg.Length(uy)*size*0.4, Y: back.Y - vg.Length(ux)*size*0.4}
		c.FillPolygon(a.Color, []vg.Point{tip, l, r})
	}
}

// markers draws labelled points.
type markers []Marker

// Plot implements plot.Plotter.
func (ms markers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, m := range ms {
		pt := vg.Point{X: trX(m.X), Y: trY(m.Y)}
		if !c.Contains(pt) {
			continue
		}
		if m.Glyph == Bar {
			h := vg.Points(7)
			c.StrokeLine2(draw.LineStyle{Color: m.Color, Width: vg.Points(2)}, pt.X, pt.Y-h, pt.X, pt.Y+h)
			continue
		}
		c.DrawGlyph(draw.GlyphStyle{Color: m.Color, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, pt)
		c.DrawGlyph(draw.GlyphStyle{Color: color.White, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}, pt)
		if l, ok := markerLabel(c, m, pt); ok {
			backedText(c, l.style, l.at, l.text)
		}
	}
}

// ring draws an observation's ring at pt.
func ring(c *draw.Canvas, col color.Color, pt vg.Point) {
	c.DrawGlyph(draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}, pt)
	c.DrawGlyph(draw.GlyphStyle{Color: color.White, Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}, pt)
}

// Plot implements plot.Plotter.
func (d Points) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, x := range d.X[:min(len(d.X), len(d.Y))] {
		if !finite(x, d.Y[i]) {
			continue
		}
		if pt := (vg.Point{X: trX(x), Y: trY(d.Y[i])}); c.Contains(pt) {
			ring(&c, d.Color, pt)
		}
	}
}

// Thumbnail implements plot.Thumbnailer: one ring.
func (d Points) Thumbnail(c *draw.Canvas) {
	ring(c, d.Color, c.Center())
}

// markerLabel places a marker's label below and to the right of the
// point pt, or to its left where the right has no room.
func markerLabel(c draw.Canvas, m Marker, pt vg.Point) (label, bool) {
	if m.Label == "" || m.Glyph == Bar {
		return label{}, false
	}
	ts := textStyle(smallFontSize, color.Black)
	ts.XAlign, ts.YAlign = draw.XLeft, draw.YTop
	at := vg.Point{X: pt.X + vg.Points(6), Y: pt.Y - vg.Points(4)}
	w := ts.Rectangle(m.Label).Size().X
	if at.X+w > c.Max.X {
		ts.XAlign = draw.XRight
		at.X = pt.X - vg.Points(6)
	}
	return placedLabel(ts, at, m.Label), true
}

// fitLabel returns an axis label that fits along an axis of length room:
// the label itself when it fits; else its units alone (the part in the
// last parentheses, the variables being named in the legend); else the
// longest start of it that fits, ended with "…".
func fitLabel(st text.Style, label string, room vg.Length) string {
	if label == "" || st.Width(label) <= room {
		return label
	}
	if i := strings.LastIndex(label, " ("); i >= 0 && strings.HasSuffix(label, ")") {
		if u := label[i+1:]; st.Width(u) <= room {
			return u
		}
	}
	rs := []rune(label)
	for n := len(rs) - 1; n > 0; n-- {
		if short := strings.TrimSpace(string(rs[:n])) + "…"; st.Width(short) <= room {
			return short
		}
	}
	return ""
}
