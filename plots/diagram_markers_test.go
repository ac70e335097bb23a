package plots

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-graphviz"
)

// TestPinMarkers lays out each example's causal-loop diagram and checks
// that every loop marker ends up inside its loop — inside the polygon of
// its variables (or just beside a loop too tight to hold it), or between
// the two variables of a two-variable loop — and not on top of a
// variable or another marker.
func TestPinMarkers(t *testing.T) {
	ctx := context.Background()
	pos := regexp.MustCompile(`(?m)^\t("(?:[^"\\]|\\.)*") \[pos="([-0-9.e]+),([-0-9.e]+)!"\];$`)
	for name, path := range diagramExamples {
		l := loadList(t, path)
		dot, err := LoopDOT(l, DiagramOptions{})
		if err != nil {
			t.Fatal(err)
		}
		markers := 0
		for _, lp := range l.Loops {
			if lp.Name != "" {
				markers++
			}
		}
		t.Run(name, func(t *testing.T) {
			gv, err := graphviz.New(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer gv.Close()
			g, err := graphviz.ParseBytes(dot)
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			gv.SetLayout(graphviz.NEATO)
			pinned, err := pinMarkers(ctx, gv, g, dot)
			if err != nil {
				t.Fatal(err)
			}
			if markers == 0 {
				if pinned != nil {
					t.Error("no loop markers, but the layout was pinned")
				}
				return
			}
			if pinned == nil {
				t.Fatalf("%d loop markers, but the layout was not pinned", markers)
			}
			at := map[string][2]float64{}
			for _, m := range pos.FindAllStringSubmatch(string(pinned[len(dot)-2:]), -1) {
				x, _ := strconv.ParseFloat(m[2], 64)
				y, _ := strconv.ParseFloat(m[3], 64)
				at[strings.Trim(m[1], `"`)] = [2]float64{x, y}
			}
			for _, lp := range l.Loops {
				if lp.Name == "" {
					continue
				}
				p, ok := at[markerPrefix+lp.Name]
				if !ok {
					t.Errorf("loop %s: marker not pinned", lp.Name)
					continue
				}
				var poly [][2]float64
				for _, v := range lp.Vars {
					poly = append(poly, at[v])
				}
				switch len(poly) {
				case 1:
				case 2:
					// On the perpendicular through the middle of the two
					// variables, no farther from the middle than they are
					// apart.
					da := math.Hypot(p[0]-poly[0][0], p[1]-poly[0][1])
					db := math.Hypot(p[0]-poly[1][0], p[1]-poly[1][1])
					mid := math.Hypot(p[0]-(poly[0][0]+poly[1][0])/2, p[1]-(poly[0][1]+poly[1][1])/2)
					if math.Abs(da-db) > 0.1 || mid > math.Hypot(poly[0][0]-poly[1][0], poly[0][1]-poly[1][1]) {
						t.Errorf("loop %s: marker at %v, not between %s %v and %s %v", lp.Name, p, lp.Vars[0], poly[0], lp.Vars[1], poly[1])
					}
				default:
					// Inside, or beside a loop too tight to hold it: no
					// farther from the loop's centroid than the loop's
					// farthest variable and the marker's width.
					var cx, cy, reach float64
					for _, q := range poly {
						cx += q[0] / float64(len(poly))
						cy += q[1] / float64(len(poly))
					}
					for _, q := range poly {
						reach = max(reach, math.Hypot(q[0]-cx, q[1]-cy))
					}
					if !insidePolygon(poly, p[0], p[1]) && math.Hypot(p[0]-cx, p[1]-cy) > reach+72 {
						t.Errorf("loop %s: marker at %v, away from its loop %v", lp.Name, p, poly)
					}
				}
				for v, q := range at {
					if v != markerPrefix+lp.Name && math.Abs(q[0]-p[0]) < 20 && math.Abs(q[1]-p[1]) < 12 {
						t.Errorf("loop %s: marker at %v on top of %s at %v", lp.Name, p, v, q)
					}
				}
			}
		})
	}
}

func TestInsidePolygon(t *testing.T) {
	square := [][2]float64{{0, 0}, {10, 0}, {10, 10}, {0, 10}}
	notch := [][2]float64{{0, 0}, {10, 0}, {10, 10}, {5, 2}, {0, 10}} // a V cut from the top
	for _, c := range []struct {
		poly [][2]float64
		x, y float64
		want bool
	}{
		{square, 5, 5, true},
		{square, 11, 5, false},
		{square, -1, 5, false},
		{square, 5, 10.5, false},
		{notch, 5, 1, true},
		{notch, 5, 6, false}, // in the notch
		{notch, 2, 6, true},
	} {
		if got := insidePolygon(c.poly, c.x, c.y); got != c.want {
			t.Errorf("insidePolygon(%v, %g, %g) = %v, want %v", c.poly, c.x, c.y, got, c.want)
		}
	}
}

// TestMarkerPassPlaces checks that pinMarkers, whose pass lays out the
// nodes without routing the links, pins every variable where the spring
// layout with its links routed as splines (the causal-loop diagram's own
// settings) places it.
func TestMarkerPassPlaces(t *testing.T) {
	ctx := context.Background()
	pos := regexp.MustCompile(`(?m)^\t("(?:[^"\\]|\\.)*") \[pos="([-0-9.e]+),([-0-9.e]+)!"\];$`)
	for name, path := range diagramExamples {
		l := loadList(t, path)
		dot, err := LoopDOT(l, DiagramOptions{})
		if err != nil {
			t.Fatal(err)
		}
		gv, err := graphviz.New(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer gv.Close()
		gv.SetLayout(graphviz.NEATO)
		layout := func() *graphviz.Graph {
			g, err := graphviz.ParseBytes(dot)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		g := layout()
		defer g.Close()
		var js bytes.Buffer
		if err := gv.Render(ctx, g, "json", &js); err != nil {
			t.Fatal(err)
		}
		var spring placedGraph
		if err := json.Unmarshal(js.Bytes(), &spring); err != nil {
			t.Fatal(err)
		}
		g2 := layout()
		defer g2.Close()
		pinned, err := pinMarkers(ctx, gv, g2, dot)
		if err != nil {
			t.Fatal(err)
		}
		if pinned == nil {
			continue
		}
		at := map[string]string{}
		for _, m := range pos.FindAllStringSubmatch(string(pinned[len(dot)-2:]), -1) {
			at[strings.Trim(m[1], `"`)] = m[2] + "," + m[3]
		}
		vars := 0
		for _, o := range spring.Objects {
			if strings.HasPrefix(o.Name, markerPrefix) {
				continue
			}
			vars++
			var x, y float64
			if _, err := fmt.Sscanf(o.Pos, "%g,%g", &x, &y); err != nil {
				t.Fatal(err)
			}
			if want := fmtPoint(x) + "," + fmtPoint(y); at[o.Name] != want {
				t.Errorf("%s: %s pinned at %q, the spring layout with splines places it at %q", name, o.Name, at[o.Name], want)
			}
		}
		if vars == 0 {
			t.Errorf("%s: no variables laid out", name)
		}
	}
}

// TestLinksMissNodes lays out each example's causal-loop diagram and
// checks that no link is drawn through a node other than its ends: no
// point of its curves lies inside another variable's box or a loop
// marker's circle, a point (for the width of the line) in from its edge.
func TestLinksMissNodes(t *testing.T) {
	ctx := context.Background()
	for name, path := range diagramExamples {
		l := loadList(t, path)
		dot, err := LoopDOT(l, DiagramOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var js bytes.Buffer
		if err := runGraphviz(ctx, dot, "json", &js); err != nil {
			t.Fatal(err)
		}
		var lay struct {
			Objects []placedObject `json:"objects"`
			Edges   []struct {
				Tail  int      `json:"tail"`
				Head  int      `json:"head"`
				Style string   `json:"style"`
				Draw  []xdotOp `json:"_draw_"`
			} `json:"edges"`
		}
		if err := json.Unmarshal(js.Bytes(), &lay); err != nil {
			t.Fatal(err)
		}
		boxes := make([]box, len(lay.Objects))
		for i, o := range lay.Objects {
			if _, err := fmt.Sscanf(o.Pos, "%g,%g", &boxes[i].x, &boxes[i].y); err != nil {
				t.Fatalf("%s: %s at %q: %v", name, o.Name, o.Pos, err)
			}
			boxes[i].hw, boxes[i].hh = parseInches(o.Width)/2, parseInches(o.Height)/2
		}
		links := 0
		for _, e := range lay.Edges {
			if e.Style == "invis" {
				continue
			}
			links++
			curves := 0
			for _, op := range e.Draw {
				if op.Op != "b" && op.Op != "B" {
					continue
				}
				curves++
				for k := 0; k+3 < len(op.Points); k += 3 {
					c := [4][2]float64{op.Points[k], op.Points[k+1], op.Points[k+2], op.Points[k+3]}
				nodes:
					for j, b := range boxes {
						if j == e.Tail || j == e.Head {
							continue
						}
						for s := 0; s <= 100; s++ {
							if p := cubicAt(c, float64(s)/100); inNode(lay.Objects[j].Name, b, p, -1) {
								t.Errorf("%s: the link %s -> %s runs through %q at (%.0f, %.0f)",
									name, lay.Objects[e.Tail].Name, lay.Objects[e.Head].Name, lay.Objects[j].Name, p[0], p[1])
								break nodes
							}
						}
					}
				}
			}
			if curves == 0 {
				t.Errorf("%s: the link %s -> %s is not drawn", name, lay.Objects[e.Tail].Name, lay.Objects[e.Head].Name)
			}
		}
		if links == 0 {
			t.Errorf("%s: no links", name)
		}
	}
}

func TestInNode(t *testing.T) {
	marker := box{x: 100, y: 100, hw: 20, hh: 20}
	stock := box{x: 0, y: 0, hw: 40, hh: 10}
	for _, c := range []struct {
		name   string
		b      box
		p      [2]float64
		margin float64
		want   bool
	}{
		{markerPrefix + "growth", marker, [2]float64{100, 119}, 0, true},
		{markerPrefix + "growth", marker, [2]float64{117, 117}, 0, false}, // the box's corner, outside the circle
		{markerPrefix + "growth", marker, [2]float64{100, 122}, 4, true},
		{"population", stock, [2]float64{39, 9}, 0, true},
		{"population", stock, [2]float64{41, 0}, 0, false},
		{"population", stock, [2]float64{41, 0}, 4, true},
		{"population", stock, [2]float64{39.5, 0}, -1, false},
	} {
		if got := inNode(c.name, c.b, c.p, c.margin); got != c.want {
			t.Errorf("inNode(%q, %v, %v, %g) = %v, want %v", c.name, c.b, c.p, c.margin, got, c.want)
		}
	}
}
