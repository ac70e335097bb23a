package plots

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

var renderDir = os.Getenv("STOCKFLOW_DIAGRAM_DIR")

// loopCPU runs f as a benchmark's loop and reports, besides the wall
// time, the processor time of the whole process per run (cpu-ns/op, on
// all threads, the garbage collector's included), which a machine shared
// with other work changes less than the wall time.
func loopCPU(b *testing.B, f func()) {
	b.ReportAllocs()
	start, n := cpuTime(b), 0
	for b.Loop() {
		f()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime(b)-start)/float64(n), "cpu-ns/op")
	}
}

// TestRenderDiagram renders each example's diagrams to PNG, SVG and PDF
// and checks that each is a whole picture of the expected kind. With
// STOCKFLOW_DIAGRAM_DIR set, it renders every example and writes the
// pictures there to be looked at; otherwise, to keep the test fast, it
// renders two (layout runs in WebAssembly, about 0.3 s for the corridor).
func TestRenderDiagram(t *testing.T) {
	ctx := context.Background()
	for name, path := range diagramExamples {
		if renderDir == "" && name != "sir" && name != "predator_prey" {
			continue
		}
		l := loadList(t, path)
		sf, err := StockFlowDOT(l.Graph, DiagramOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cld, err := LoopDOT(l, DiagramOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for kind, dot := range map[string][]byte{"": sf, "-cld": cld} {
			for _, format := range []string{"png", "svg", "pdf"} {
				var b bytes.Buffer
				if err := RenderDiagram(ctx, dot, format, &b); err != nil {
					t.Fatalf("%s%s.%s: %v", name, kind, format, err)
				}
				switch format {
				case "png":
					img, err := png.Decode(bytes.NewReader(b.Bytes()))
					if err != nil {
						t.Fatalf("%s%s.png: %v", name, kind, err)
					}
					if r := img.Bounds(); r.Dx() < 100 || r.Dy() < 50 {
						t.Errorf("%s%s.png is %v, too small to hold the diagram", name, kind, r)
					}
				case "svg":
					if !strings.Contains(b.String(), "<svg") || !strings.Contains(b.String(), "</svg>") {
						t.Errorf("%s%s.svg is not a whole SVG document", name, kind)
					}
				case "pdf":
					if !bytes.HasPrefix(b.Bytes(), []byte("%PDF")) {
						t.Errorf("%s%s.pdf does not start with %%PDF", name, kind)
					}
				}
				if renderDir != "" {
					if err := os.WriteFile(filepath.Join(renderDir, name+kind+"."+format), b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}

// BenchmarkDiagram times the corridor's diagrams, the largest bundled
// model's: generating the DOT (the baseline) and rendering it, which
// starts Graphviz's WebAssembly module each time; png-before renders
// the PNG as RenderDiagram did before it wrote PNGs itself
// (paintBaseline).
func BenchmarkDiagram(b *testing.B) {
	l := loadList(b, diagramExamples["corridor"])
	ctx := context.Background()
	b.Run("dot", func(b *testing.B) {
		loopCPU(b, func() {
			if _, err := StockFlowDOT(l.Graph, DiagramOptions{}); err != nil {
				b.Fatal(err)
			}
		})
	})
	for _, format := range []string{"svg", "png", "png-before"} {
		for _, kind := range []string{"stockflow", "cld"} {
			b.Run(kind+"/"+format, func(b *testing.B) {
				loopCPU(b, func() {
					var dot []byte
					var err error
					if kind == "cld" {
						dot, err = LoopDOT(l, DiagramOptions{})
					} else {
						dot, err = StockFlowDOT(l.Graph, DiagramOptions{})
					}
					if err != nil {
						b.Fatal(err)
					}
					if err := renderBench(ctx, dot, format); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

// renderBench renders a diagram for the benchmarks, as RenderDiagram
// does, or with format png-before, as paintBaseline did.
func renderBench(ctx context.Context, dot []byte, format string) error {
	if format != "png-before" {
		return RenderDiagram(ctx, dot, format, io.Discard)
	}
	lay, err := layoutDiagram(ctx, dot)
	if err != nil {
		return err
	}
	return paintBaseline(lay, io.Discard)
}

// BenchmarkDiagramWorld times the whole stock-and-flow diagram of the
// World3-size model of the benchmarks (264 variables with its params),
// the densest a user is likely to draw whole, as SVG and PNG, and as
// PNG the way of paintBaseline.
func BenchmarkDiagramWorld(b *testing.B) {
	l := loadList(b, worldModel)
	ctx := context.Background()
	for _, format := range []string{"svg", "png", "png-before"} {
		b.Run(format, func(b *testing.B) {
			loopCPU(b, func() {
				dot, err := StockFlowDOT(l.Graph, DiagramOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if err := renderBench(ctx, dot, format); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// paintBaseline paints a layout as PNG the way RenderDiagram did before
// it wrote PNGs itself, for the benchmarks and tests to compare with:
// on vgimg's own canvas (which copies its image once more), the graph's
// white background painted over the white canvas, and the image encoded
// by image/png at its fastest level.
func paintBaseline(lay *xdotGraph, w io.Writer) error {
	var x0, y0, x1, y1 float64
	if _, err := fmt.Sscanf(lay.BB, "%g,%g,%g,%g", &x0, &y0, &x1, &y1); err != nil {
		return err
	}
	wd, ht := vg.Length(x1-x0), vg.Length(y1-y0)
	c := vgimg.NewWith(vgimg.UseWH(wd, ht), vgimg.UseDPI(diagramDPI), vgimg.UseBackgroundColor(color.White))
	lay.draw(c, x0, y0, x1, y1, nil)
	return encodePNG(w, c.Image(), png.BestSpeed)
}

// TestDiagramPNGAsBefore checks that RenderDiagram's PNGs are what
// paintBaseline paints: the faster canvas, the background left unpainted
// and the PNG writer change nothing in the picture but the labels' places
// within a pixel. vgimg places text by the canvas height it was asked
// for, shapes by the image's height in whole pixels; now both are the
// latter. So the pictures without their labels are the same pixel for
// pixel, and with them differ only around the labels.
func TestDiagramPNGAsBefore(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"sir", "corridor"} {
		l := loadList(t, diagramExamples[name])
		sf, err := StockFlowDOT(l.Graph, DiagramOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cld, err := LoopDOT(l, DiagramOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for kind, dot := range map[string][]byte{"": sf, "-cld": cld} {
			if name == "corridor" && kind == "" {
				continue // 51 million pixels, twice: the CLD is big enough
			}
			lay, err := layoutDiagram(ctx, dot)
			if err != nil {
				t.Fatal(err)
			}
			boxes := labelBoxes(t, lay)
			for _, text := range []bool{false, true} {
				lay := lay
				if !text {
					lay = withoutText(lay)
				}
				var now, before bytes.Buffer
				if err := lay.paint(&now, "png"); err != nil {
					t.Fatal(err)
				}
				if err := paintBaseline(lay, &before); err != nil {
					t.Fatal(err)
				}
				sizeNow, sizeBefore := now.Len(), before.Len()
				a, err := png.Decode(&now)
				if err != nil {
					t.Fatalf("%s%s: %v", name, kind, err)
				}
				b, err := png.Decode(&before)
				if err != nil {
					t.Fatal(err)
				}
				if a.Bounds() != b.Bounds() {
					t.Fatalf("%s%s: %v pixels, before %v", name, kind, a.Bounds(), b.Bounds())
				}
				ra, okA := a.(*image.RGBA)
				rb, okB := b.(*image.RGBA)
				if !okA || !okB {
					t.Fatalf("%s%s: read back as %T and %T, want two *image.RGBA (opaque RGB)", name, kind, a, b)
				}
				differ, outside := 0, 0
				for y := b.Bounds().Min.Y; y < b.Bounds().Max.Y; y++ {
					for x := b.Bounds().Min.X; x < b.Bounds().Max.X; x++ {
						i := ra.PixOffset(x, y)
						if [4]byte(ra.Pix[i:i+4]) == [4]byte(rb.Pix[i:i+4]) {
							continue
						}
						differ++
						if !slices.ContainsFunc(boxes, image.Pt(x, y).In) {
							outside++
						}
					}
				}
				switch {
				case !text && differ > 0:
					t.Errorf("%s%s without labels: %d of %d pixels differ from before", name, kind, differ, b.Bounds().Dx()*b.Bounds().Dy())
				case text && outside > 0:
					t.Errorf("%s%s: %d pixels away from the labels differ from before", name, kind, outside)
				}
				t.Logf("%s%s (labels %v): %v, %d pixels differ; %d bytes (before %d)", name, kind, text, a.Bounds().Size(), differ, sizeNow, sizeBefore)
			}
		}
	}
}

// withoutText returns lay without its text.
func withoutText(lay *xdotGraph) *xdotGraph {
	strip := func(ops []xdotOp) []xdotOp {
		return slices.DeleteFunc(slices.Clone(ops), func(op xdotOp) bool { return op.Op == "T" })
	}
	g := *lay
	g.Draw, g.LDraw = strip(lay.Draw), strip(lay.LDraw)
	g.Objects, g.Edges = slices.Clone(lay.Objects), slices.Clone(lay.Edges)
	for _, objs := range [][]xdotObject{g.Objects, g.Edges} {
		for i := range objs {
			o := &objs[i]
			o.Draw, o.LDraw, o.HDraw, o.TDraw, o.HLDraw, o.TLDraw = strip(o.Draw), strip(o.LDraw), strip(o.HDraw), strip(o.TDraw), strip(o.HLDraw), strip(o.TLDraw)
		}
	}
	return &g
}

// labelBoxes returns the pixels of a PNG of lay around each of its
// labels: the text's width and its font size above and below its
// baseline, and two pixels more on each side.
func labelBoxes(t *testing.T, lay *xdotGraph) []image.Rectangle {
	var x0, y0, x1, y1 float64
	if _, err := fmt.Sscanf(lay.BB, "%g,%g,%g,%g", &x0, &y0, &x1, &y1); err != nil {
		t.Fatal(err)
	}
	const k = diagramDPI / 72.0
	ht := int((y1-y0)*k + 0.5)
	var boxes []image.Rectangle
	add := func(ops []xdotOp) {
		size := 14.0
		for _, op := range ops {
			switch op.Op {
			case "F":
				size = op.Size
			case "T":
				left := op.Pt[0]
				switch op.Align {
				case "c":
					left -= op.Width / 2
				case "r":
					left -= op.Width
				}
				// Our font is not Graphviz's: allow a third more width.
				pad := op.Width / 6
				boxes = append(boxes, image.Rect(
					int((left-pad-x0)*k)-2, ht-int((op.Pt[1]+size-y0)*k)-2,
					int((left+op.Width+pad-x0)*k)+3, ht-int((op.Pt[1]-size-y0)*k)+3))
			}
		}
	}
	add(lay.LDraw)
	for _, objs := range [][]xdotObject{lay.Objects, lay.Edges} {
		for _, o := range objs {
			for _, ops := range [][]xdotOp{o.Draw, o.LDraw, o.HDraw, o.TDraw, o.HLDraw, o.TLDraw} {
				add(ops)
			}
		}
	}
	return boxes
}

// BenchmarkDiagramPNG times painting and encoding the corridor's diagrams
// from their layout, as RenderDiagram does it and as paintBaseline did.
func BenchmarkDiagramPNG(b *testing.B) {
	l := loadList(b, diagramExamples["corridor"])
	ctx := context.Background()
	for _, kind := range []string{"stockflow", "cld"} {
		var dot []byte
		var err error
		if kind == "cld" {
			dot, err = LoopDOT(l, DiagramOptions{})
		} else {
			dot, err = StockFlowDOT(l.Graph, DiagramOptions{})
		}
		if err != nil {
			b.Fatal(err)
		}
		lay, err := layoutDiagram(ctx, dot)
		if err != nil {
			b.Fatal(err)
		}
		for _, how := range []string{"before", "now"} {
			b.Run(kind+"/"+how, func(b *testing.B) {
				var size int
				loopCPU(b, func() {
					var out bytes.Buffer
					var err error
					if how == "before" {
						err = paintBaseline(lay, &out)
					} else {
						err = lay.paint(&out, "png")
					}
					if err != nil {
						b.Fatal(err)
					}
					size = out.Len()
				})
				b.ReportMetric(float64(size), "bytes")
			})
		}
	}
}

// BenchmarkDiagramPNGEncode times the encoding of the corridor's full
// stock-and-flow diagram, params included (the largest PNG a bundled
// model draws), by image/png at zlib's default level (as png.Encode
// does it) and at its fastest (as RenderDiagram did), and by writePNG,
// and reports the size of each file.
func BenchmarkDiagramPNGEncode(b *testing.B) {
	l := loadList(b, diagramExamples["corridor"])
	ctx := context.Background()
	dot, err := StockFlowDOT(l.Graph, DiagramOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var full bytes.Buffer
	if err := RenderDiagram(ctx, dot, "png", &full); err != nil {
		b.Fatal(err)
	}
	dec, err := png.Decode(&full)
	if err != nil {
		b.Fatal(err)
	}
	img := image.NewRGBA(dec.Bounds())
	draw.Draw(img, img.Rect, dec, dec.Bounds().Min, draw.Src)
	b.Logf("%d × %d pixels", img.Bounds().Dx(), img.Bounds().Dy())
	for _, enc := range []struct {
		name string
		f    func(io.Writer, *image.RGBA) error
	}{
		{"image-png-default", func(w io.Writer, m *image.RGBA) error { return encodePNG(w, m, png.DefaultCompression) }},
		{"image-png-fastest", func(w io.Writer, m *image.RGBA) error { return encodePNG(w, m, png.BestSpeed) }},
		{"writePNG", writePNG},
	} {
		b.Run(enc.name, func(b *testing.B) {
			var size int
			loopCPU(b, func() {
				var out bytes.Buffer
				if err := enc.f(&out, img); err != nil {
					b.Fatal(err)
				}
				size = out.Len()
			})
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
