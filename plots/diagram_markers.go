package plots

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-graphviz"
)

// A causal-loop diagram's layout is a spring layout in which each loop's
// marker is tied to its loop's variables. The springs pull a marker
// towards its loop but do not keep it inside: a two-variable loop, or a
// loop on the edge of the drawing, can leave its marker outside. So
// markerPlacement takes the spring layout as a first pass, puts each
// marker at the centroid of its loop's variables (or, when that spot is
// taken, at the nearest free spot inside the loop), pins every node where
// it stands, and leaves Graphviz only the edges to route (neato -n,
// layout=nop).

// markerPrefix starts the name of a loop marker's node (LoopDOT).
const markerPrefix = "loop: "

// placedObject is a node of Graphviz's JSON layout: its name, its centre
// in points and its size in inches.
type placedObject struct {
	Name   string `json:"name"`
	Pos    string `json:"pos"`
	Width  string `json:"width"`
	Height string `json:"height"`
}

// placedEdge is an edge of Graphviz's JSON layout: the indices of its
// tail and head in the objects, and its style.
type placedEdge struct {
	Tail  int    `json:"tail"`
	Head  int    `json:"head"`
	Style string `json:"style"`
}

// placedGraph is what markerPlacement reads of Graphviz's JSON layout.
type placedGraph struct {
	Objects []placedObject `json:"objects"`
	Edges   []placedEdge   `json:"edges"`
}

// box is a node's place: its centre and half its width and height, in
// points.
type box struct{ x, y, hw, hh float64 }

// overlaps reports whether a and b overlap, with gap points to spare.
func (a box) overlaps(b box, gap float64) bool {
	return math.Abs(a.x-b.x) < a.hw+b.hw+gap && math.Abs(a.y-b.y) < a.hh+b.hh+gap
}

// pinMarkers lays out dot, a causal-loop diagram parsed as g, with gv
// and returns the DOT with each loop marker placed inside its loop and
// every node pinned, to be laid out again with layout=nop, which routes
// the edges only. It returns nil when dot has no loop markers; otherwise
// it sets g's splines to false.
func pinMarkers(ctx context.Context, gv *graphviz.Graphviz, g *graphviz.Graph, dot []byte) ([]byte, error) {
	if !bytes.Contains(dot, []byte(`"`+markerPrefix)) {
		return nil, nil
	}
	// This pass places the nodes only: routing the links as splines
	// around them, which changes no node's place, would take most of its
	// time (TestMarkerPassPlaces); the second pass routes them.
	if err := g.SafeSet("splines", "false", ""); err != nil {
		return nil, fmt.Errorf("laying out the diagram: %w", err)
	}
	var js bytes.Buffer
	if err := gv.Render(ctx, g, "json", &js); err != nil {
		return nil, fmt.Errorf("laying out the diagram: %w", err)
	}
	var lay placedGraph
	if err := json.Unmarshal(js.Bytes(), &lay); err != nil {
		return nil, fmt.Errorf("reading graphviz's layout: %w", err)
	}
	boxes := make([]box, len(lay.Objects))
	for i, o := range lay.Objects {
		var b box
		if _, err := fmt.Sscanf(o.Pos, "%g,%g", &b.x, &b.y); err != nil {
			return nil, fmt.Errorf("reading graphviz's layout: node %q at %q: %v", o.Name, o.Pos, err)
		}
		w, h := parseInches(o.Width), parseInches(o.Height)
		b.hw, b.hh = w/2, h/2
		boxes[i] = b
	}
	loopVars := make([][]int, len(lay.Objects))
	for _, e := range lay.Edges {
		if e.Style == "invis" && e.Tail >= 0 && e.Tail < len(lay.Objects) && e.Head >= 0 && e.Head < len(lay.Objects) &&
			strings.HasPrefix(lay.Objects[e.Tail].Name, markerPrefix) {
			loopVars[e.Tail] = append(loopVars[e.Tail], e.Head)
		}
	}
	placeMarkers(lay.Objects, boxes, loopVars)

	end := bytes.LastIndexByte(dot, '}')
	if end < 0 {
		return nil, fmt.Errorf("reading the DOT: no closing brace")
	}
	body := dot[:end]
	// The bowed links of the two-variable loops: their curves go into
	// their own statements (an edge statement cannot be amended later in
	// DOT, only repeated, which would draw the link twice).
	for id, spline := range bowedLinks(lay.Objects, boxes, loopVars) {
		attr := []byte("[id=" + dotID(id) + ", ")
		body = bytes.Replace(body, attr, append(attr, "pos="+dotID(spline)+", "...), 1)
	}
	var b bytes.Buffer
	b.Write(body)
	b.WriteString("\n\t// placed: every node pinned where the spring layout left it, each loop marker inside its loop\n")
	// nop2 keeps the links that have a curve and routes the others.
	b.WriteString("\tlayout=nop2;\n")
	for i, o := range lay.Objects {
		fmt.Fprintf(&b, "\t%s [pos=\"%s,%s!\"];\n", dotID(o.Name), fmtPoint(boxes[i].x), fmtPoint(boxes[i].y))
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// placeMarkers moves each loop marker (an object whose loopVars are its
// loop's variables, in the loop's order) to the centroid of its
// variables, or to the nearest spot around it that overlaps no node and
// no marker placed before it: inside the loop where the loop has three or
// more variables, on the perpendicular through the middle of the two
// variables of a two-variable loop.
func placeMarkers(objs []placedObject, boxes []box, loopVars [][]int) {
	var taken []int // the nodes and markers placed so far
	for i, o := range objs {
		if !strings.HasPrefix(o.Name, markerPrefix) {
			taken = append(taken, i)
		}
	}
	const gap = 4 // points between a marker and its neighbours
	for i, vars := range loopVars {
		if len(vars) == 0 {
			continue
		}
		var cx, cy float64
		poly := make([][2]float64, len(vars))
		for k, v := range vars {
			cx += boxes[v].x
			cy += boxes[v].y
			poly[k] = [2]float64{boxes[v].x, boxes[v].y}
		}
		cx /= float64(len(vars))
		cy /= float64(len(vars))
		m := boxes[i]
		free := func(x, y float64) bool {
			c := box{x, y, m.hw, m.hh}
			for _, j := range taken {
				if c.overlaps(boxes[j], gap) {
					return false
				}
			}
			return len(poly) < 3 || insidePolygon(poly, x, y)
		}
		best := [2]float64{cx, cy}
		// The two links of a two-variable loop bow out either side of its
		// marker (bowedLinks), which sits in the middle. A thin or crossed
		// loop may leave no room at the first step's spacing; a finer one
		// then looks between.
		if len(vars) != 2 {
		search:
			for _, step := range []float64{max(m.hw, m.hh) / 3, max(m.hw, m.hh) / 12} {
				for r := 0; r <= 24*int(max(m.hw, m.hh)/3/step); r++ {
					n := max(1, 8*r)
					for k := range n {
						a := 2 * math.Pi * float64(k) / float64(n)
						x, y := cx+float64(r)*step*math.Cos(a), cy+float64(r)*step*math.Sin(a)
						if free(x, y) {
							best = [2]float64{x, y}
							break search
						}
					}
				}
			}
		}
		boxes[i].x, boxes[i].y = best[0], best[1]
		taken = append(taken, i)
	}
}

// insidePolygon reports whether (x, y) lies inside the polygon poly (by
// the even-odd rule).
func insidePolygon(poly [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// parseInches reads a size in inches, as Graphviz writes it, in points;
// zero if it is not a number.
func parseInches(s string) float64 {
	var v float64
	if _, err := fmt.Sscanf(s, "%g", &v); err != nil {
		return 0
	}
	return 72 * v
}

// fmtPoint formats a coordinate in points to a hundredth.
func fmtPoint(x float64) string { return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) }

// bowedLinks gives the links of each two-variable loop (a marker with two
// loopVars) their own curves, in Graphviz's spline form for an edge's
// pos: each link bows out to its left far enough to pass the marker in
// the middle, so that the two make a ring round it. It returns the curves
// by the links' DOT ids, "FROM -> TO".
func bowedLinks(objs []placedObject, boxes []box, loopVars [][]int) map[string]string {
	curves := map[string]string{}
	for i, vars := range loopVars {
		if len(vars) != 2 {
			continue
		}
		bow := (boxes[i].hw + 6) / 0.75 // a cubic's middle lies 3/4 of the way to its control points
		for _, ends := range [][2]int{{vars[0], vars[1]}, {vars[1], vars[0]}} {
			a, b := boxes[ends[0]], boxes[ends[1]]
			if spline, ok := bowedCurve(a, b, bow); ok {
				curves[objs[ends[0]].Name+" -> "+objs[ends[1]].Name] = spline
			}
		}
	}
	return curves
}

// arrowLength is the length of an arrowhead of arrowsize 1, in points.
const arrowLength = 10

// bowedCurve returns, as an edge's pos ("e,TIP P0 P1 P2 P3"), the cubic
// from the box a to the box b that bows to its left by bow points,
// clipped to the boxes' edges and ending an arrowhead short of b. It
// reports false when the boxes are too close for such a curve.
func bowedCurve(a, b box, bow float64) (string, bool) {
	dx, dy := b.x-a.x, b.y-a.y
	d := math.Hypot(dx, dy)
	if d == 0 {
		return "", false
	}
	nx, ny := -dy/d, dx/d
	c := [4][2]float64{
		{a.x, a.y},
		{a.x + dx/3 + bow*nx, a.y + dy/3 + bow*ny},
		{a.x + 2*dx/3 + bow*nx, a.y + 2*dy/3 + bow*ny},
		{b.x, b.y},
	}
	inside := func(p [2]float64, q box) bool {
		return math.Abs(p[0]-q.x) <= q.hw && math.Abs(p[1]-q.y) <= q.hh
	}
	const n = 400
	t0, t1 := -1.0, -1.0
	for k := 0; k <= n; k++ {
		t := float64(k) / n
		if t0 < 0 && !inside(cubicAt(c, t), a) {
			t0 = t
		}
		if !inside(cubicAt(c, t), b) {
			t1 = t
		}
	}
	if t0 < 0 || t1 <= t0 {
		return "", false
	}
	tip := cubicAt(c, t1)
	t2 := t1
	for k := n; k >= 0 && t2 > t0; k-- {
		t2 = t0 + (t1-t0)*float64(k)/n
		p := cubicAt(c, t2)
		if math.Hypot(p[0]-tip[0], p[1]-tip[1]) >= arrowLength {
			break
		}
	}
	if t2 <= t0 {
		return "", false
	}
	s := cubicPart(c, t0, t2)
	pt := func(p [2]float64) string { return fmtPoint(p[0]) + "," + fmtPoint(p[1]) }
	return "e," + pt(tip) + " " + pt(s[0]) + " " + pt(s[1]) + " " + pt(s[2]) + " " + pt(s[3]), true
}

// cubicAt returns the point of the cubic Bézier curve c at t.
func cubicAt(c [4][2]float64, t float64) [2]float64 {
	u := 1 - t
	var p [2]float64
	for k := range 2 {
		p[k] = u*u*u*c[0][k] + 3*u*u*t*c[1][k] + 3*u*t*t*c[2][k] + t*t*t*c[3][k]
	}
	return p
}

// cubicPart returns the part of the cubic Bézier curve c from t0 to t1
// as a cubic of its own (by de Casteljau's construction).
func cubicPart(c [4][2]float64, t0, t1 float64) [4][2]float64 {
	// split returns the part of c after t.
	split := func(c [4][2]float64, t float64) (before, after [4][2]float64) {
		lerp := func(p, q [2]float64) [2]float64 { return [2]float64{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])} }
		p01, p12, p23 := lerp(c[0], c[1]), lerp(c[1], c[2]), lerp(c[2], c[3])
		p012, p123 := lerp(p01, p12), lerp(p12, p23)
		m := lerp(p012, p123)
		return [4][2]float64{c[0], p01, p012, m}, [4][2]float64{m, p123, p23, c[3]}
	}
	_, rest := split(c, t0)
	part, _ := split(rest, (t1-t0)/(1-t0))
	return part
}
