package plots

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// placedModels are models whose files carry their own diagram: a Vensim
// sketch and an XMILE view, from the conformance suite.
var placedModels = map[string]string{
	"teacup-mdl":   "../testdata/test-models/samples/teacup/teacup.mdl",
	"teacup-xmile": "../testdata/test-models/samples/teacup/teacup_w_diagram.xmile",
}

var dotPos = regexp.MustCompile(`(?m)^\t("(?:[^"\\]|\\.)*") \[pos="([-0-9.e]+),([-0-9.e]+)!"\];$`)

// pinned returns the pinned positions in a DOT, by node name.
func pinned(dot []byte) map[string][2]float64 {
	at := map[string][2]float64{}
	for _, m := range dotPos.FindAllSubmatch(dot, -1) {
		x, _ := strconv.ParseFloat(string(m[2]), 64)
		y, _ := strconv.ParseFloat(string(m[3]), 64)
		name, _ := strconv.Unquote(string(m[1]))
		at[name] = [2]float64{x, y}
	}
	return at
}

// TestDiagramFileLayout draws the models of placedModels in their files'
// own layout: the DOT matches its golden file, every variable is pinned
// at its place in the file, all scaled alike with the y axis turned up,
// and the clouds lie beyond their valves.
func TestDiagramFileLayout(t *testing.T) {
	for name, path := range placedModels {
		t.Run(name, func(t *testing.T) {
			l := loadList(t, path)
			for _, cld := range []bool{false, true} {
				opt := DiagramOptions{Layout: LayoutFile}
				var dot []byte
				var err error
				suffix := "-file"
				if cld {
					dot, err = LoopDOT(l, opt)
					suffix = "-file-cld"
				} else {
					dot, err = StockFlowDOT(l.Graph, opt)
				}
				if err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", "diagrams", name+suffix+".dot"), dot)
				checkPinned(t, l.Graph, dot, cld)
			}
		})
	}
}

// checkPinned checks that each variable of g's model that the file
// places is pinned in dot at its place times one scale, y turned up.
func checkPinned(t *testing.T, g *loops.Graph, dot []byte, cld bool) {
	t.Helper()
	at := pinned(dot)
	scale := 0.0
	for _, n := range g.Nodes {
		v := g.Model().Decl.Var(n.Name)
		if cld && n.Kind == decl.Param {
			continue
		}
		p, ok := at[n.Name]
		if v.At == nil {
			if ok {
				t.Errorf("%s is pinned at %v, but the file does not place it", n.Name, p)
			}
			continue
		}
		if !ok {
			t.Errorf("%s is not pinned; the file places it at %v", n.Name, *v.At)
			continue
		}
		if scale == 0 && v.At.X != 0 {
			scale = p[0] / v.At.X
		}
		if scale < 1 || scale > maxFileScale {
			t.Fatalf("scale %g, want it in [1, %d]", scale, maxFileScale)
		}
		if math.Abs(p[0]-scale*v.At.X) > 0.05 || math.Abs(p[1]+scale*v.At.Y) > 0.05 { // positions are written to a hundredth
			t.Errorf("%s pinned at %v, want %g × (%g, −%g)", n.Name, p, scale, v.At.X, v.At.Y)
		}
	}
	if cld {
		return
	}
	// A sink's cloud lies beyond the valve, away from the stock drained.
	for _, v := range g.Model().Decl.Vars {
		if v.Kind != decl.Stock {
			continue
		}
		for _, f := range v.Outflows {
			c, ok := at["cloud: "+f+" sink"]
			if !ok {
				continue
			}
			s, fv := at[v.Name], at[f]
			if (c[0]-fv[0])*(fv[0]-s[0])+(c[1]-fv[1])*(fv[1]-s[1]) <= 0 {
				t.Errorf("the sink of %s at %v is not beyond its valve %v from %s at %v", f, c, fv, v.Name, s)
			}
		}
	}
}

// TestDiagramFileLayoutRoundTrip writes each placed model as TOML and
// reads it back: the places survive, and the diagram is the same.
func TestDiagramFileLayoutRoundTrip(t *testing.T) {
	for name, path := range placedModels {
		t.Run(name, func(t *testing.T) {
			l := loadList(t, path)
			want, err := StockFlowDOT(l.Graph, DiagramOptions{Layout: LayoutFile})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := decl.WriteTOML(&b, l.Graph.Model().Decl); err != nil {
				t.Fatal(err)
			}
			d, err := decl.ParseTOML(name+".toml", b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			m, err := model.Compile(d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := StockFlowDOT(loops.NewGraph(m), DiagramOptions{Layout: LayoutFile})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pinnedText(got), pinnedText(want)) {
				t.Errorf("through TOML the places differ:\n got %v\nwant %v", pinned(got), pinned(want))
			}
		})
	}
}

// pinnedText returns the pinned positions of a DOT as text, in order.
func pinnedText(dot []byte) []byte { return bytes.Join(dotPos.FindAll(dot, -1), []byte("\n")) }

// TestDiagramFileLayoutNone: a model whose file places nothing cannot be
// drawn in its file's layout.
func TestDiagramFileLayoutNone(t *testing.T) {
	l := loadList(t, diagramExamples["sir"])
	if _, err := StockFlowDOT(l.Graph, DiagramOptions{Layout: LayoutFile}); !errors.Is(err, ErrNoPlaces) {
		t.Errorf("stock and flow: error %v, want ErrNoPlaces", err)
	}
	if _, err := LoopDOT(l, DiagramOptions{Layout: LayoutFile}); !errors.Is(err, ErrNoPlaces) {
		t.Errorf("causal loops: error %v, want ErrNoPlaces", err)
	}
	if HasPlaces(l.Graph) {
		t.Error("HasPlaces: true for sir.toml, which places nothing")
	}
	if _, err := StockFlowDOT(l.Graph, DiagramOptions{Layout: "sideways"}); err == nil {
		t.Error("layout sideways: no error")
	}
}

// TestPlaces lays out sir.toml for an XMILE view: every variable has a
// place, a margin in from the top left, and the chain of stocks reads left
// to right.
func TestPlaces(t *testing.T) {
	l := loadList(t, diagramExamples["sir"])
	places, err := Places(context.Background(), l.Graph)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range l.Graph.Nodes {
		p, ok := places[n.Name]
		if !ok {
			t.Errorf("%s has no place", n.Name)
			continue
		}
		if p.X < placesMargin || p.Y < placesMargin {
			t.Errorf("%s at %v, inside the margin of %d", n.Name, p, placesMargin)
		}
	}
	if len(places) != len(l.Graph.Nodes) {
		t.Errorf("%d places for %d variables", len(places), len(l.Graph.Nodes))
	}
	s, i, r := places["susceptible"], places["infectious"], places["recovered"]
	if !(s.X < i.X && i.X < r.X) {
		t.Errorf("stocks at susceptible %v, infectious %v, recovered %v: not left to right", s, i, r)
	}
}
