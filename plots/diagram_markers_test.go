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
	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
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
				// Only two variables linked both ways, whose links are
				// bowed apart, call for the layout to be pinned.
				if pinned != nil && !bytes.Contains(dot, []byte(twoWay)) {
					t.Error("no loop markers and no links both ways, but the layout was pinned")
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
// settings) places it, but for those spreadPairs moves apart, and for
// where the drawing as a whole lies (routing changes its bounding box,
// and so how Graphviz shifts it).
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
		at := map[string][2]float64{}
		for _, m := range pos.FindAllStringSubmatch(string(pinned[len(dot)-2:]), -1) {
			x, _ := strconv.ParseFloat(m[2], 64)
			y, _ := strconv.ParseFloat(m[3], 64)
			at[strings.Trim(m[1], `"`)] = [2]float64{x, y}
		}
		boxes := make([]box, len(spring.Objects))
		for i, o := range spring.Objects {
			if _, err := fmt.Sscanf(o.Pos, "%g,%g", &boxes[i].x, &boxes[i].y); err != nil {
				t.Fatal(err)
			}
			boxes[i].hw, boxes[i].hh = parseInches(o.Width)/2, parseInches(o.Height)/2
		}
		loopVars := make([][]int, len(spring.Objects))
		var links [][2]int
		for _, e := range spring.Edges {
			if e.Style != "invis" {
				links = append(links, [2]int{e.Tail, e.Head})
			} else if strings.HasPrefix(spring.Objects[e.Tail].Name, markerPrefix) {
				loopVars[e.Tail] = append(loopVars[e.Tail], e.Head)
			}
		}
		spreadPairs(spring.Objects, boxes, loopVars, links)
		vars := 0
		var shift [2]float64 // from the spring layout to the pinned one
		for i, o := range spring.Objects {
			if strings.HasPrefix(o.Name, markerPrefix) {
				continue
			}
			p, ok := at[o.Name]
			if !ok {
				t.Errorf("%s: %s not pinned", name, o.Name)
				continue
			}
			if vars == 0 {
				shift = [2]float64{p[0] - boxes[i].x, p[1] - boxes[i].y}
			}
			vars++
			if math.Abs(p[0]-shift[0]-boxes[i].x) > 0.02 || math.Abs(p[1]-shift[1]-boxes[i].y) > 0.02 {
				t.Errorf("%s: %s pinned at %v, the spring layout with splines places it at (%.2f, %.2f), shifted by %v",
					name, o.Name, p, boxes[i].x, boxes[i].y, shift)
			}
		}
		if vars == 0 {
			t.Errorf("%s: no variables laid out", name)
		}
	}
}

// TestLinksMissNodes lays out each example's causal-loop diagram, and the
// corridor's with one loop highlighted (--loop) and shaded by dominance
// (--dominant-at), whose markers change size, and checks that no link is
// drawn through a node other than its ends: no point of its curves lies
// inside another variable's box or a loop marker's circle, a point (for
// the width of the line) in from its edge.
func TestLinksMissNodes(t *testing.T) {
	ctx := context.Background()
	views := map[string][]byte{}
	for name, path := range diagramExamples {
		l := loadList(t, path)
		dot, err := LoopDOT(l, DiagramOptions{})
		if err != nil {
			t.Fatal(err)
		}
		views[name] = dot
	}
	l := loadList(t, diagramExamples["corridor"])
	var loop string
	for _, lp := range l.Loops {
		if lp.Name != "" {
			loop = lp.Name
			break
		}
	}
	if loop == "" {
		t.Fatal("corridor: no named loop")
	}
	dot, err := LoopDOT(l, DiagramOptions{Loops: []string{loop}})
	if err != nil {
		t.Fatal(err)
	}
	views["corridor --loop "+loop] = dot
	m := l.Graph.Model()
	res, err := m.Run(ctx, loops.TraceOptions(m, model.RunOptions{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	dom, err := loops.Analyze(l, res.Trace(), nil)
	if err != nil {
		t.Fatal(err)
	}
	at := dom.Times[len(dom.Times)/2]
	if dot, err = LoopDOT(l, DiagramOptions{Dominance: dom, At: at}); err != nil {
		t.Fatal(err)
	}
	views[fmt.Sprintf("corridor --dominant-at %g", at)] = dot
	for name, dot := range views {
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

// TestSpreadPairs checks spreadPairs on hand-made layouts: two variables
// linked both ways 10 points apart move to pairSpace apart, the one with
// fewer links moving; a third node in the way sends it farther; a
// two-variable loop's pair, and a pair far enough apart, stay.
func TestSpreadPairs(t *testing.T) {
	objs := []placedObject{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}, {Name: markerPrefix + "loop"}}
	fresh := func() []box {
		return []box{
			{x: 0, y: 0, hw: 30, hh: 10},     // a
			{x: 70, y: 0, hw: 30, hh: 10},    // b: 10 points from a
			{x: 0, y: 100, hw: 30, hh: 10},   // c: linked to a
			{x: 300, y: 300, hw: 10, hh: 10}, // d: out of the way
			{x: 500, y: 500, hw: 20, hh: 20}, // the marker
		}
	}
	links := [][2]int{{0, 1}, {1, 0}, {2, 0}}
	boxes := fresh()
	spreadPairs(objs, boxes, make([][]int, len(objs)), links)
	// b has fewer links than a: it moves right until its left edge is
	// pairSpace from a's right edge, at x = 30 + pairSpace + 30.
	if want := 60.0 + pairSpace; boxes[1].x != want || boxes[1].y != 0 || boxes[0] != fresh()[0] {
		t.Errorf("a pair 10 points apart: a at %v, b at %v, want a unmoved and b at (%g, 0)", boxes[0], boxes[1], want)
	}

	boxes = fresh()
	boxes[3] = box{x: 60 + pairSpace + 30, y: 0, hw: 10, hh: 10} // d where b would go
	spreadPairs(objs, boxes, make([][]int, len(objs)), links)
	// b must clear d by 4 points: its left edge at d's right edge + 4.
	if want := 60.0 + pairSpace + 30 + 10 + 4 + 30; boxes[1].x < want-2 || boxes[1].x > want {
		t.Errorf("a pair with a node in the way: b at %v, want x within 2 points short of %g", boxes[1], want)
	}

	boxes = fresh()
	loopVars := make([][]int, len(objs))
	loopVars[4] = []int{0, 1}
	spreadPairs(objs, boxes, loopVars, links)
	if boxes[1] != fresh()[1] {
		t.Errorf("a two-variable loop's pair moved: b at %v", boxes[1])
	}

	boxes = fresh()
	boxes[1].x = 60 + pairSpace + 1
	want := boxes[1]
	spreadPairs(objs, boxes, make([][]int, len(objs)), links)
	if boxes[1] != want {
		t.Errorf("a pair far enough apart moved: b at %v, want %v", boxes[1], want)
	}
}

// TestRingCurve checks the arcs of a two-variable loop's ring: every
// point of each lies on one circle about the marker, ringGap clear of
// it and reaching ringDepth into the farther box; the link from a to b
// runs on its left, the link back on its own left, so that the two make
// the ring; each ends an arrowhead short of its tip, which is on the edge
// of its head's box.
func TestRingCurve(t *testing.T) {
	a := box{x: -60, y: 0, hw: 30, hh: 10}
	b := box{x: 60, y: 0, hw: 30, hh: 10}
	m := box{x: 0, y: 40, hw: 20, hh: 20}
	// The circle: the line from the marker to b's centre, 72.1 long,
	// enters b's box through its top edge, y = 10, 3/4 of the way (at
	// x = 45, inside the box's 30 to 90); it reaches ringDepth past that,
	// more than the marker's 20 + ringGap.
	want := math.Hypot(60, 40)*3/4 + ringDepth
	for _, c := range []struct {
		from, to box
		side     float64 // +1: above the line from a to b (on the left of a -> b)
	}{{a, b, 1}, {b, a, -1}} {
		l, r, ok := ringCurve(c.from, c.to, m, 0)
		if !ok {
			t.Fatalf("no ring from %v to %v", c.from, c.to)
		}
		if math.Abs(r-want) > 1e-9 {
			t.Errorf("radius %g, want %g", r, want)
		}
		for _, pc := range l.pieces() {
			for k := 0; k <= 8; k++ {
				p := cubicAt(pc, float64(k)/8)
				if d := math.Hypot(p[0]-m.x, p[1]-m.y); math.Abs(d-r) > 0.01*r {
					t.Errorf("point %v is %g from the marker, off the circle of radius %g", p, d, r)
				}
			}
		}
		mid := cubicAt(l.pieces()[len(l.pieces())/2], 0.5)
		if (mid[1]-m.y)*c.side < 0 && math.Abs(mid[1]-m.y) > 1 {
			t.Errorf("link %v -> %v: its middle %v is on the wrong side of the marker", c.from, c.to, mid)
		}
		if math.Abs(math.Abs(l.tip[0]-c.to.x)-c.to.hw) > 0.5 && math.Abs(math.Abs(l.tip[1]-c.to.y)-c.to.hh) > 0.5 {
			t.Errorf("tip %v not on the edge of the box %v", l.tip, c.to)
		}
		end := l.c[len(l.c)-1]
		if d := math.Hypot(end[0]-l.tip[0], end[1]-l.tip[1]); math.Abs(d-arrowLength) > 0.5 {
			t.Errorf("curve ends %g from its tip, want an arrowhead, %d", d, arrowLength)
		}
		if l.label == nil || math.Abs(math.Hypot(l.label[0]-m.x, l.label[1]-m.y)-(r+labelLift)) > 1e-6 {
			t.Errorf("label at %v, want labelLift outside the ring", l.label)
		}
	}
}
