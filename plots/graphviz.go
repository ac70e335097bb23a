package plots

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"slices"
	"strconv"
	"strings"

	"git.sr.ht/~sbinet/gg"
	"github.com/goccy/go-graphviz"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
)

// diagramFormats lists the formats RenderDiagram writes.
var diagramFormats = []string{"png", "svg", "pdf", "dot"}

// DiagramFormats lists the formats RenderDiagram writes: png, svg, pdf
// and dot.
func DiagramFormats() []string { return append([]string(nil), diagramFormats...) }

// diagramDPI is the resolution of a PNG diagram.
const diagramDPI = 110

// RenderDiagram lays out a diagram given in DOT (as StockFlowDOT and
// LoopDOT write it) with Graphviz's dot layout and writes it to w in a
// format: "svg" as Graphviz draws it, "png" or "pdf" painted from
// Graphviz's drawing instructions with the fonts of the other plots, or
// "dot", the DOT itself.
//
// Graphviz runs compiled to WebAssembly (github.com/goccy/go-graphviz):
// no system Graphviz is needed.
func RenderDiagram(ctx context.Context, dot []byte, format string, w io.Writer) error {
	switch format {
	case "dot":
		_, err := w.Write(dot)
		return err
	case "svg", "png", "pdf":
	default:
		return fmt.Errorf("unknown diagram format %q (want png, svg, pdf or dot)", format)
	}
	if format == "svg" {
		return runGraphviz(ctx, dot, graphviz.SVG, w)
	}
	lay, err := layoutDiagram(ctx, dot)
	if err != nil {
		return err
	}
	return lay.paint(w, format)
}

// layoutDiagram lays out a diagram given in DOT and returns what
// Graphviz says to draw.
func layoutDiagram(ctx context.Context, dot []byte) (*xdotGraph, error) {
	var js bytes.Buffer
	if err := runGraphviz(ctx, dot, "json", &js); err != nil {
		return nil, err
	}
	lay := new(xdotGraph)
	if err := json.Unmarshal(js.Bytes(), lay); err != nil {
		return nil, fmt.Errorf("reading graphviz's layout: %w", err)
	}
	return lay, nil
}

// runGraphviz lays out a diagram given in DOT with the layout it names
// (dot by default), placing its loop markers if it has any, and writes
// it to w in a Graphviz format.
func runGraphviz(ctx context.Context, dot []byte, format graphviz.Format, w io.Writer) error {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("starting graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("reading the DOT: %w", err)
	}
	defer g.Close()
	if l := g.GetStr("layout"); l != "" {
		gv.SetLayout(graphviz.Layout(l))
	}
	if pinned, err := pinMarkers(ctx, gv, g, dot); err != nil {
		return err
	} else if pinned != nil {
		if g, err = graphviz.ParseBytes(pinned); err != nil {
			return fmt.Errorf("reading the DOT with the markers placed: %w", err)
		}
		defer g.Close()
		gv.SetLayout(graphviz.NOP2)
	}
	if err := gv.Render(ctx, g, format, w); err != nil {
		return fmt.Errorf("laying out the diagram: %w", err)
	}
	return nil
}

// xdotGraph is the part of Graphviz's JSON output that says what to draw:
// the bounding box and the xdot drawing operations of the graph, its
// nodes and its edges.
type xdotGraph struct {
	BB      string       `json:"bb"`
	Draw    []xdotOp     `json:"_draw_"`
	LDraw   []xdotOp     `json:"_ldraw_"`
	Objects []xdotObject `json:"objects"`
	Edges   []xdotObject `json:"edges"`
}

type xdotObject struct {
	Draw   []xdotOp `json:"_draw_"`
	LDraw  []xdotOp `json:"_ldraw_"`
	HDraw  []xdotOp `json:"_hdraw_"`
	TDraw  []xdotOp `json:"_tdraw_"`
	HLDraw []xdotOp `json:"_hldraw_"`
	TLDraw []xdotOp `json:"_tldraw_"`
}

// xdotOp is one xdot drawing operation (see Graphviz's xdot format).
type xdotOp struct {
	Op     string       `json:"op"`
	Points [][2]float64 `json:"points"`
	Rect   []float64    `json:"rect"` // ellipses: centre x, y, radii x, y
	Color  string       `json:"color"`
	Style  string       `json:"style"`
	Size   float64      `json:"size"`
	Face   string       `json:"face"`
	Pt     [2]float64   `json:"pt"`
	Align  string       `json:"align"`
	Width  float64      `json:"width"`
	Text   string       `json:"text"`
}

// painter holds the drawing state of a sequence of xdot operations.
type painter struct {
	c         vg.Canvas
	pen, fill color.Color
	width     vg.Length
	dashes    []vg.Length
	face      string
	size      float64
}

func (lay *xdotGraph) paint(w io.Writer, format string) error {
	var x0, y0, x1, y1 float64
	if _, err := fmt.Sscanf(lay.BB, "%g,%g,%g,%g", &x0, &y0, &x1, &y1); err != nil {
		return fmt.Errorf("reading graphviz's layout: bounding box %q: %v", lay.BB, err)
	}
	wd, ht := vg.Length(x1-x0), vg.Length(y1-y0)
	if px := float64(wd) * float64(ht) * diagramDPI * diagramDPI / (72 * 72); format == "png" && px > MaxPixels {
		return fmt.Errorf("the diagram of %.3g pixels is too large for a PNG (at most %d): draw it as SVG or PDF, or show part of it with --focus", px, MaxPixels)
	}
	if format == "png" {
		c, img := newDiagramCanvas(wd, ht)
		lay.draw(c, x0, y0, x1, y1, color.White)
		return writePNG(w, img)
	}
	c := vgpdf.New(wd, ht)
	lay.draw(c, x0, y0, x1, y1, nil)
	_, err := c.WriteTo(w)
	return err
}

// diagramPNGCompression is the compression of a PNG diagram. A big
// diagram has millions of pixels, and zlib's default level spends twice
// the time of its fastest for files a tenth larger
// (BenchmarkDiagramPNGEncode).
const diagramPNGCompression = png.BestSpeed

// encodePNG writes img to w as PNG at a compression level.
func encodePNG(w io.Writer, img image.Image, level png.CompressionLevel) error {
	b := bufio.NewWriter(w)
	enc := png.Encoder{CompressionLevel: level}
	if err := enc.Encode(b, img); err != nil {
		return err
	}
	return b.Flush()
}

// newDiagramCanvas returns a white canvas of a diagram's size at
// diagramDPI and the image it draws on. The canvas draws on the image
// itself: vgimg.UseImage, and vgimg's own image, are copied once more
// to be drawn on, which for a big diagram is hundreds of megabytes.
func newDiagramCanvas(wd, ht vg.Length) (*vgimg.Canvas, *image.RGBA) {
	px := func(l vg.Length) int { return max(1, int(l/vg.Inch*diagramDPI+0.5)) }
	img := image.NewRGBA(image.Rect(0, 0, px(wd), px(ht)))
	ctx := gg.NewContextForRGBA(img)
	// What vgimg.NewWith does to a context of its own making.
	ctx.SetLineCapButt()
	ctx.InvertY()
	// NewWith paints the image white.
	return vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(diagramDPI)), img
}

// draw paints the layout, whose bounding box is (x0, y0)–(x1, y1), on
// c, whose origin is the layout's (x0, y0). The canvas is blank or, if
// bg is not nil, already painted bg, and then the graph's background, a
// rectangle of that colour over the whole canvas, is not filled again:
// in a big PNG that is tens of millions of pixels painted for nothing.
func (lay *xdotGraph) draw(c vg.Canvas, x0, y0, x1, y1 float64, bg color.Color) {
	c.Translate(vg.Point{X: vg.Length(-x0), Y: vg.Length(-y0)})
	p := &painter{c: c}
	p.run(lay.graphOps(x0, y0, x1, y1, bg))
	p.run(lay.LDraw)
	// Edges first, so that a node's fill covers an edge's end.
	for _, e := range lay.Edges {
		for _, ops := range [][]xdotOp{e.Draw, e.HDraw, e.TDraw, e.LDraw, e.HLDraw, e.TLDraw} {
			p.run(ops)
		}
	}
	for _, n := range lay.Objects {
		p.run(n.Draw)
		p.run(n.LDraw)
	}
}

// graphOps returns the graph's own drawing operations, with the fill of
// a polygon over the whole bounding box (x0, y0)–(x1, y1) in the opaque
// colour bg left out (its outline, if any, is kept): Graphviz draws the
// background that way.
func (lay *xdotGraph) graphOps(x0, y0, x1, y1 float64, bg color.Color) []xdotOp {
	if bg == nil {
		return lay.Draw
	}
	var fill color.Color
	for k, op := range lay.Draw {
		switch op.Op {
		case "C":
			fill = parseColor(op.Color)
		case "P":
			if !sameOpaque(fill, bg) || !covers(op.Points, x0, y0, x1, y1) {
				continue
			}
			ops := slices.Clone(lay.Draw)
			ops[k].Op = "p"
			return ops
		}
	}
	return lay.Draw
}

// sameOpaque reports whether a and b are the same opaque colour.
func sameOpaque(a, b color.Color) bool {
	if a == nil || b == nil {
		return false
	}
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return aa == 0xffff && ar == br && ag == bg && ab == bb && aa == ba
}

// covers reports whether the box around pts contains (x0, y0)–(x1, y1).
func covers(pts [][2]float64, x0, y0, x1, y1 float64) bool {
	if len(pts) < 3 {
		return false
	}
	lo, hi := pts[0], pts[0]
	for _, p := range pts {
		lo = [2]float64{min(lo[0], p[0]), min(lo[1], p[1])}
		hi = [2]float64{max(hi[0], p[0]), max(hi[1], p[1])}
	}
	return lo[0] <= x0 && lo[1] <= y0 && hi[0] >= x1 && hi[1] >= y1
}

// run paints a list of operations; each list starts from black on no
// fill, one point wide.
func (p *painter) run(ops []xdotOp) {
	p.pen, p.fill, p.width, p.dashes = color.Black, nil, 1, nil
	p.face, p.size = "Helvetica", 14
	for _, op := range ops {
		switch op.Op {
		case "c":
			p.pen = parseColor(op.Color)
		case "C":
			p.fill = parseColor(op.Color)
		case "S":
			switch s := op.Style; {
			case s == "dashed":
				p.dashes = []vg.Length{5, 3}
			case s == "dotted":
				p.dashes = []vg.Length{1, 3}
			case s == "solid":
				p.dashes = nil
			case s == "bold":
				p.width = 2
			case strings.HasPrefix(s, "setlinewidth("):
				if v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(s, "setlinewidth("), ")"), 64); err == nil {
					p.width = vg.Length(v)
				}
			}
		case "F":
			p.face, p.size = op.Face, op.Size
		case "E", "e":
			if len(op.Rect) == 4 {
				p.shape(ellipse(op.Rect[0], op.Rect[1], op.Rect[2], op.Rect[3]), op.Op == "E")
			}
		case "P", "p", "L":
			var path vg.Path
			for k, pt := range op.Points {
				if k == 0 {
					path.Move(vp(pt))
				} else {
					path.Line(vp(pt))
				}
			}
			if op.Op != "L" {
				path.Close()
			}
			p.shape(path, op.Op == "P")
		case "B", "b":
			if len(op.Points) == 0 {
				continue
			}
			var path vg.Path
			path.Move(vp(op.Points[0]))
			for k := 1; k+2 < len(op.Points); k += 3 {
				path.CubeTo(vp(op.Points[k]), vp(op.Points[k+1]), vp(op.Points[k+2]))
			}
			// Graphviz's JSON marks every curve "b", filled, even a
			// link's, which has no fill colour and must not be closed: a
			// line from its arrowhead back to its tail would cut across.
			filled := op.Op == "b" && visible(p.fill)
			if filled {
				path.Close()
			}
			p.shape(path, filled)
		case "T":
			p.text(op)
		}
	}
}

// shape fills path (if filled) with the fill colour and strokes it with
// the pen.
func (p *painter) shape(path vg.Path, filled bool) {
	if filled && visible(p.fill) {
		p.c.SetColor(p.fill)
		p.c.Fill(path)
	}
	if visible(p.pen) {
		p.c.SetColor(p.pen)
		p.c.SetLineWidth(p.width)
		p.c.SetLineDash(p.dashes, 0)
		p.c.Stroke(path)
	}
}

// text draws a label at its baseline point, aligned as Graphviz placed it.
func (p *painter) text(op xdotOp) {
	if !visible(p.pen) || op.Text == "" {
		return
	}
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	face := font.DefaultCache.Lookup(f, vg.Length(p.size))
	wd := face.Width(op.Text)
	x := vg.Length(op.Pt[0])
	switch op.Align {
	case "c":
		x -= wd / 2
	case "r":
		x -= wd
	}
	p.c.SetColor(p.pen)
	p.c.FillString(face, vg.Point{X: x, Y: vg.Length(op.Pt[1])}, op.Text)
}

func vp(pt [2]float64) vg.Point { return vg.Point{X: vg.Length(pt[0]), Y: vg.Length(pt[1])} }

// ellipse returns an ellipse centred on (x, y) with radii rx and ry, as
// four cubic Bézier arcs.
func ellipse(x, y, rx, ry float64) vg.Path {
	const k = 0.5522847498 // 4/3·(√2 − 1): a quarter circle as a cubic
	pt := func(a, b float64) vg.Point { return vg.Point{X: vg.Length(x + a), Y: vg.Length(y + b)} }
	var path vg.Path
	path.Move(pt(rx, 0))
	path.CubeTo(pt(rx, k*ry), pt(k*rx, ry), pt(0, ry))
	path.CubeTo(pt(-k*rx, ry), pt(-rx, k*ry), pt(-rx, 0))
	path.CubeTo(pt(-rx, -k*ry), pt(-k*rx, -ry), pt(0, -ry))
	path.CubeTo(pt(k*rx, -ry), pt(rx, -k*ry), pt(rx, 0))
	path.Close()
	return path
}

// parseColor reads an xdot colour: "#rrggbb", "#rrggbbaa" or one of the
// few names the diagrams use; anything else is black.
func parseColor(s string) color.Color {
	switch strings.ToLower(s) {
	case "", "none", "invis", "transparent":
		return nil
	case "white":
		return color.White
	case "black":
		return color.Black
	}
	if strings.HasPrefix(s, "#") && (len(s) == 7 || len(s) == 9) {
		v, err := strconv.ParseUint(s[1:], 16, 32)
		if err == nil {
			if len(s) == 7 {
				return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
			}
			return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}
		}
	}
	return color.Black
}

// visible reports whether c paints anything.
func visible(c color.Color) bool {
	if c == nil {
		return false
	}
	_, _, _, a := c.RGBA()
	return a != 0
}
