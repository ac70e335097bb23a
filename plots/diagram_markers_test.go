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
// its variables, or between the two variables of a two-variable loop —
// overlapping no variable and no other marker, and that every other node
// stays where the spring layout put it.
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
					if !insidePolygon(poly, p[0], p[1]) {
						t.Errorf("loop %s: marker at %v, outside its loop %v", lp.Name, p, poly)
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
