package plots

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var renderDir = os.Getenv("STOCKFLOW_DIAGRAM_DIR")

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
// starts Graphviz's WebAssembly module each time.
func BenchmarkDiagram(b *testing.B) {
	l := loadList(b, diagramExamples["corridor"])
	ctx := context.Background()
	b.Run("dot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := StockFlowDOT(l.Graph, DiagramOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, format := range []string{"svg", "png"} {
		for kind, cld := range map[string]bool{"stockflow": false, "cld": true} {
			b.Run(kind+"/"+format, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					var dot []byte
					var err error
					if cld {
						dot, err = LoopDOT(l, DiagramOptions{})
					} else {
						dot, err = StockFlowDOT(l.Graph, DiagramOptions{})
					}
					if err != nil {
						b.Fatal(err)
					}
					if err := RenderDiagram(ctx, dot, format, io.Discard); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDiagramWorld times the whole stock-and-flow diagram of the
// World3-size model of the benchmarks (264 variables with its params),
// the densest a user is likely to draw whole, as SVG and PNG.
func BenchmarkDiagramWorld(b *testing.B) {
	l := loadList(b, worldModel)
	ctx := context.Background()
	for _, format := range []string{"svg", "png"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dot, err := StockFlowDOT(l.Graph, DiagramOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if err := RenderDiagram(ctx, dot, format, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDiagramPNGEncode times the encoding of the corridor's full
// stock-and-flow diagram, params included (the largest PNG a bundled
// model draws), at zlib's default level (the baseline, as png.Encode
// does it) and at the level RenderDiagram uses, and reports the size of
// each file.
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
	img, err := png.Decode(&full)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d × %d pixels", img.Bounds().Dx(), img.Bounds().Dy())
	for _, lv := range []struct {
		name  string
		level png.CompressionLevel
	}{{"default", png.DefaultCompression}, {"used", diagramPNGCompression}} {
		b.Run(lv.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				var out bytes.Buffer
				if err := encodePNG(&out, img, lv.level); err != nil {
					b.Fatal(err)
				}
				size = out.Len()
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
