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
// the edges only. It returns nil when dot has no loop markers and no two
// variables linked both ways (LoopDOT marks their links twoWay), whose
// links it bows apart, having moved the two apart first if they are too
// close for that (spreadPairs); otherwise it sets g's splines to false.
func pinMarkers(ctx context.Context, gv *graphviz.Graphviz, g *graphviz.Graph, dot []byte) ([]byte, error) {
	if !bytes.Contains(dot, []byte(`"`+markerPrefix)) && !bytes.Contains(dot, []byte(twoWay)) {
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
	var links [][2]int
	for _, e := range lay.Edges {
		if e.Style != "invis" && e.Tail >= 0 && e.Tail < len(lay.Objects) && e.Head >= 0 && e.Head < len(lay.Objects) {
			links = append(links, [2]int{e.Tail, e.Head})
		}
	}
	if g.GetStr("inputscale") == "" {
		// Not where the model file places the variables
		// (writeFileLayout), which stay there.
		spreadPairs(lay.Objects, boxes, loopVars, links)
	}
	placeMarkers(lay.Objects, boxes, loopVars, links)

	end := bytes.LastIndexByte(dot, '}')
	if end < 0 {
		return nil, fmt.Errorf("reading the DOT: no closing brace")
	}
	body := dot[:end]
	// The bowed links of the two-variable loops, and the links that would
	// run straight through a node: their curves go into their own
	// statements (an edge statement cannot be amended later in DOT, only
	// repeated, which would draw the link twice).
	for id, c := range routeLinks(lay, boxes, loopVars) {
		attr := []byte("[id=" + dotID(id) + ", ")
		set := "pos=" + dotID(c.pos()) + ", "
		if c.label != nil {
			set += "lp=" + dotID(fmtPoint(c.label[0])+","+fmtPoint(c.label[1])) + ", "
		}
		body = bytes.Replace(body, attr, append(attr, set...), 1)
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
// variables of a two-variable loop. A loop of three or more variables
// that has no such spot inside it has its marker just outside, at the
// nearest spot that overlaps nothing.
//
// Of the spots inside a loop, the nearest that keeps the marker off the
// straight lines of the links (between the centres of their ends) is
// taken first: a link through a marker has to bow out round it.
func placeMarkers(objs []placedObject, boxes []box, loopVars [][]int, links [][2]int) {
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
		clear := func(x, y float64) bool {
			c := box{x, y, m.hw, m.hh}
			for _, j := range taken {
				if c.overlaps(boxes[j], gap) {
					return false
				}
			}
			return true
		}
		free := func(x, y float64) bool {
			return clear(x, y) && (len(poly) < 3 || insidePolygon(poly, x, y))
		}
		offLinks := func(x, y float64) bool {
			r := max(m.hw, m.hh) + linkMargin
			for _, l := range links {
				a, b := boxes[l[0]], boxes[l[1]]
				if segmentDistance([2]float64{x, y}, [2]float64{a.x, a.y}, [2]float64{b.x, b.y}) < r {
					return false
				}
			}
			return true
		}
		best := [2]float64{cx, cy}
		// The two links of a two-variable loop bow out either side of its
		// marker (routeLinks), which sits in the middle or, when that
		// would overlap a node (the two variables are close), at the
		// nearest spot on the perpendicular through the middle that does
		// not. A thin or crossed loop may leave no room at the first
		// step's spacing; a finer one then looks between. A loop too
		// tight to hold its marker has it beside the loop, at the nearest
		// spot to the centroid that overlaps nothing: on the centroid it
		// would hide the variables' names.
		if len(vars) == 2 {
			a, b := boxes[vars[0]], boxes[vars[1]]
			if d := math.Hypot(b.x-a.x, b.y-a.y); d > 0 {
				nx, ny := -(b.y-a.y)/d, (b.x-a.x)/d
				step := max(m.hw, m.hh) / 6
			along:
				for k := 0; k <= 48; k++ {
					for _, side := range []float64{1, -1} {
						x, y := cx+side*float64(k)*step*nx, cy+side*float64(k)*step*ny
						if clear(x, y) {
							best = [2]float64{x, y}
							break along
						}
					}
				}
			}
		} else {
		search:
			for _, ok := range []func(x, y float64) bool{
				func(x, y float64) bool { return free(x, y) && offLinks(x, y) },
				free,
				func(x, y float64) bool { return clear(x, y) && offLinks(x, y) },
				clear,
			} {
				for _, step := range []float64{max(m.hw, m.hh) / 3, max(m.hw, m.hh) / 12} {
					for r := 0; r <= 24*int(max(m.hw, m.hh)/3/step); r++ {
						n := max(1, 8*r)
						for k := range n {
							a := 2 * math.Pi * float64(k) / float64(n)
							x, y := cx+float64(r)*step*math.Cos(a), cy+float64(r)*step*math.Sin(a)
							if ok(x, y) {
								best = [2]float64{x, y}
								break search
							}
						}
					}
				}
			}
		}
		boxes[i].x, boxes[i].y = best[0], best[1]
		taken = append(taken, i)
	}
}

// pairSpace is the least room, in points, between two variables linked
// both ways that spreadPairs makes: enough for the two links, bowed
// apart, an arrowhead each and their polarities.
const pairSpace = 40

// spreadPairs moves apart two variables linked both ways that are not a
// two-variable loop with a marker (whose links ring the marker) and
// stand closer than pairSpace: the one with fewer links, or the second,
// moves straight away from the other, to the nearest place that leaves
// pairSpace between them and overlaps no other node. Where there is no
// such place within a few times pairSpace the two stay where they are.
func spreadPairs(objs []placedObject, boxes []box, loopVars [][]int, links [][2]int) {
	shown := map[[2]int]bool{}
	degree := make([]int, len(objs))
	for _, l := range links {
		shown[l] = true
		degree[l[0]]++
		degree[l[1]]++
	}
	ringed := map[[2]int]bool{}
	for _, vars := range loopVars {
		if len(vars) == 2 {
			ringed[[2]int{vars[0], vars[1]}] = true
			ringed[[2]int{vars[1], vars[0]}] = true
		}
	}
	const gap = 4 // points between the moved node and the others
	for _, l := range links {
		a, b := l[0], l[1]
		if a >= b || !shown[[2]int{b, a}] || ringed[l] || !boxes[a].overlaps(boxes[b], pairSpace) {
			continue
		}
		if degree[b] > degree[a] {
			a, b = b, a
		}
		dx, dy := boxes[b].x-boxes[a].x, boxes[b].y-boxes[a].y
		d := math.Hypot(dx, dy)
		if d == 0 {
			continue
		}
		for s := 2.0; s <= 4*pairSpace; s += 2 {
			c := boxes[b]
			c.x += s * dx / d
			c.y += s * dy / d
			if c.overlaps(boxes[a], pairSpace) {
				continue
			}
			free := true
			for j := range boxes {
				if j != a && j != b && !strings.HasPrefix(objs[j].Name, markerPrefix) && c.overlaps(boxes[j], gap) {
					free = false
					break
				}
			}
			if free {
				boxes[b] = c
				break
			}
		}
	}
}

// segmentDistance returns the distance from p to the segment from a to b.
func segmentDistance(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = min(1, max(0, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
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

// linkMargin is the room, in points, that a link routed by routeLinks
// leaves between itself and a node it passes (the diagram's esep).
const linkMargin = 4

// routeLinks gives curves, in Graphviz's spline form for an edge's pos,
// to the links that need one, by the links' DOT ids, "FROM -> TO":
//
//   - the links of each two-variable loop (a marker with two loopVars)
//     make a ring round its marker, which is in the middle between the
//     two variables or to one side;
//   - a link whose straight line would run through a node other than its
//     ends bows out to one side or the other, evenly or nearer one end,
//     or winds from one side to the other, as little as clears every
//     node.
//
// Graphviz routes the other links, round the nodes when the nodes leave
// it room; when nodes overlap (a marker may overlap its loop's variables)
// it draws every link it routes as a straight line, which these stay
// clear of. A bowed loop link that crosses a node bows out farther; a
// link for which no bow clears every node is left to Graphviz.
func routeLinks(lay placedGraph, boxes []box, loopVars [][]int) map[string]linkCurve {
	objs := lay.Objects
	curves := map[string]linkCurve{}
	bowed := map[[2]int]bool{}
	for i, vars := range loopVars {
		if len(vars) != 2 {
			continue
		}
		// The marker lies h points to the left of the first variable's
		// link to the second (placeMarkers puts it on the perpendicular
		// through their middle): that link passes beyond it, the other
		// between it and the line between the variables, or beyond it on
		// the other side when it is in the middle, so that the two make a
		// ring round it. A cubic's middle lies 3/4 of the way to its
		// control points.
		a, b, m := boxes[vars[0]], boxes[vars[1]], boxes[i]
		d := math.Hypot(b.x-a.x, b.y-a.y)
		if d == 0 {
			continue
		}
		h := ((m.x-(a.x+b.x)/2)*-(b.y-a.y) + (m.y-(a.y+b.y)/2)*(b.x-a.x)) / d
		room := max(m.hw, m.hh) + 6
		bows := [2]float64{(h + room) / 0.75, (room - h) / 0.75}
		pair := [][2]int{{vars[0], vars[1]}, {vars[1], vars[0]}}
		// Best, a ring round the marker, the two links arcs of one
		// circle: the smallest of those about the marker or about a
		// point between it and the variables that crosses no node.
		var ring [2]linkCurve
		least := math.Inf(1)
		for _, shift := range []float64{0, 0.25, 0.5} {
			var arcs [2]linkCurve
			r := 0.0
			ok := true
			for n, ends := range pair {
				c, rc, fits := ringCurve(boxes[ends[0]], boxes[ends[1]], m, shift)
				if ok = fits && !c.crosses(objs, boxes, ends[0], ends[1], linkMargin); !ok {
					break
				}
				arcs[n], r = c, rc
			}
			if ok && r < least {
				ring, least = arcs, r
			}
		}
		for n, ends := range pair {
			bowed[ends] = true
			id := objs[ends[0]].Name + " -> " + objs[ends[1]].Name
			if !math.IsInf(least, 1) {
				curves[id] = ring[n]
				continue
			}
			// Round a marker off the middle, wide enough for it.
			spread := d / 6
			if n == 0 && h != 0 {
				spread = max(spread, 1.2*room)
			}
			for k, f := range []float64{1, 1.5, 2, 3} {
				c, ok := spreadCurve(boxes[ends[0]], boxes[ends[1]], f*bows[n], f*bows[n], spread)
				if !ok {
					break
				}
				clear := !c.crosses(objs, boxes, ends[0], ends[1], linkMargin)
				if k == 0 || clear {
					curves[id] = c
				}
				if clear {
					break
				}
			}
		}
	}
	shown := map[[2]int]bool{}
	for _, e := range lay.Edges {
		if e.Style != "invis" {
			shown[[2]int{e.Tail, e.Head}] = true
		}
	}
	for _, e := range lay.Edges {
		ends := [2]int{e.Tail, e.Head}
		if e.Style == "invis" || bowed[ends] || e.Tail < 0 || e.Tail >= len(objs) || e.Head < 0 || e.Head >= len(objs) || e.Tail == e.Head {
			continue
		}
		a, b := boxes[e.Tail], boxes[e.Head]
		id := objs[e.Tail].Name + " -> " + objs[e.Head].Name
		if shown[[2]int{e.Head, e.Tail}] {
			// A link with one back, not on a named loop: the two bow out
			// either side of the line between their variables, a lens,
			// so that neither they nor their polarities overlap.
			found := false
			for _, bow := range []float64{pairBow, 2 * pairBow, 4 * pairBow} {
				if c, ok := bowedCurve(a, b, bow/0.75); ok && !c.crosses(objs, boxes, e.Tail, e.Head, linkMargin) {
					curves[id] = c.labelled(1)
					found = true
					break
				}
			}
			if found {
				continue
			}
		}
		straight := linkCurve{c: [][2]float64{{a.x, a.y}, {a.x + (b.x-a.x)/3, a.y + (b.y-a.y)/3}, {a.x + 2*(b.x-a.x)/3, a.y + 2*(b.y-a.y)/3}, {b.x, b.y}}}
		straight.tip = straight.c[3]
		if !straight.crosses(objs, boxes, e.Tail, e.Head, linkMargin) {
			continue
		}
	search:
		// Clear of every node by linkMargin if it can be, else by less.
		for _, margin := range []float64{linkMargin, 0} {
			for k := 1; k <= 40; k++ {
				bow := float64(k) * 3 * linkMargin
				// Even, then nearer one end or the other, then winding.
				for _, bows := range [][2]float64{{bow, bow}, {2 * bow, 0}, {0, 2 * bow}, {bow, -bow}} {
					for _, side := range []float64{1, -1} {
						c, ok := skewedCurve(a, b, side*bows[0], side*bows[1])
						if ok && !c.crosses(objs, boxes, e.Tail, e.Head, margin) {
							curves[id] = c
							break search
						}
					}
				}
			}
		}
	}
	return curves
}

// pairBow is how far, in points, the middle of each of the links
// between two variables linked both ways, and not on a named loop, lies
// off the line between them.
const pairBow = 9

// linkCurve is a link drawn as a piecewise cubic Bézier curve c (3n+1
// points for n pieces) that ends at the base of its arrowhead, whose tip
// is tip; label, when not nil, is where its polarity goes.
type linkCurve struct {
	c     [][2]float64
	tip   [2]float64
	label *[2]float64
}

// pos returns the curve as an edge's pos: "e,TIP P0 P1 P2 P3 …".
func (l linkCurve) pos() string {
	pt := func(p [2]float64) string { return fmtPoint(p[0]) + "," + fmtPoint(p[1]) }
	s := "e," + pt(l.tip)
	for _, p := range l.c {
		s += " " + pt(p)
	}
	return s
}

// pieces returns the cubic pieces of the curve.
func (l linkCurve) pieces() [][4][2]float64 {
	var ps [][4][2]float64
	for k := 0; k+3 < len(l.c); k += 3 {
		ps = append(ps, [4][2]float64{l.c[k], l.c[k+1], l.c[k+2], l.c[k+3]})
	}
	return ps
}

// labelLift is how far, in points, a routed link's polarity sits off the
// middle of its curve: about half the height of a 14-point sign.
const labelLift = 9

// labelled returns l with its label beside the middle of its curve (the
// middle of its middle piece), labelLift points off it on its left (side
// 1) or its right (side -1).
func (l linkCurve) labelled(side float64) linkCurve {
	ps := l.pieces()
	c := ps[len(ps)/2]
	t := 0.5
	if len(ps)%2 == 0 {
		t = 0 // the joint between the two middle pieces
	}
	p := cubicAt(c, t)
	dx, dy := cubicTangent(c, t)
	if d := math.Hypot(dx, dy); d > 0 {
		p[0] -= side * labelLift * dy / d
		p[1] += side * labelLift * dx / d
	}
	l.label = &p
	return l
}

// cubicTangent returns the derivative of the cubic Bézier curve c at t.
func cubicTangent(c [4][2]float64, t float64) (dx, dy float64) {
	u := 1 - t
	var d [2]float64
	for k := range 2 {
		d[k] = 3*u*u*(c[1][k]-c[0][k]) + 6*u*t*(c[2][k]-c[1][k]) + 3*t*t*(c[3][k]-c[2][k])
	}
	return d[0], d[1]
}

// ringGap is the least room, in points, between a two-variable loop's
// marker and the ring of its links (ringCurve); ringDepth is how far the
// ring reaches into the nearer variable's box past its edge.
const (
	ringGap   = 10
	ringDepth = 8
)

// ringCurve returns the link from the box a to the box b round the loop
// marker m of their two-variable loop: the arc, on the link's left, of a
// circle round the marker, clipped to the boxes' edges and ending an
// arrowhead short of b, with its polarity just outside the ring. The
// link back, also on its own left, is the rest of the circle. The
// circle's centre is shift of the way from m's centre to the middle
// between a's and b's; the circle is the smallest about it that leaves
// ringGap round the marker and reaches ringDepth into both boxes on the
// lines from the centre to theirs, or, when that would pass beyond
// either box, the one through their centres (m lies as far from each:
// placeMarkers), when that leaves the gap. It reports false when there
// is no such circle or the arc is too short for an arrowhead.
func ringCurve(a, b, m box, shift float64) (l linkCurve, radius float64, ok bool) {
	m0 := m
	m.x += shift * ((a.x+b.x)/2 - m.x)
	m.y += shift * ((a.y+b.y)/2 - m.y)
	d := math.Hypot(a.x-m.x, a.y-m.y)
	if d == 0 || math.Hypot(b.x-a.x, b.y-a.y) == 0 || math.Hypot(b.x-m.x, b.y-m.y) == 0 {
		return linkCurve{}, 0, false
	}
	least := math.Hypot(m.x-m0.x, m.y-m0.y) + max(m0.hw, m0.hh) + ringGap
	// reach returns how far from the marker the line to q's centre
	// enters and leaves q's box.
	reach := func(q box) (in, out float64) {
		l := math.Hypot(q.x-m.x, q.y-m.y)
		ux, uy := math.Abs(q.x-m.x)/l, math.Abs(q.y-m.y)/l
		half := math.Inf(1)
		if ux > 0 {
			half = q.hw / ux
		}
		if uy > 0 {
			half = min(half, q.hh/uy)
		}
		return l - half, l + half
	}
	inA, outA := reach(a)
	inB, outB := reach(b)
	r := max(least, max(inA, inB)+ringDepth)
	if r >= min(outA, outB) {
		if r = d; r < least || shift != 0 {
			return linkCurve{}, 0, false
		}
	}
	ta := math.Atan2(a.y-m.y, a.x-m.x)
	tb := math.Atan2(b.y-m.y, b.x-m.x)
	sweep := math.Mod(tb-ta+4*math.Pi, 2*math.Pi) // anticlockwise from a to b
	at := func(t float64) [2]float64 { return [2]float64{m.x + r*math.Cos(t), m.y + r*math.Sin(t)} }
	if mid := at(ta + sweep/2); (b.x-a.x)*(mid[1]-a.y)-(b.y-a.y)*(mid[0]-a.x) < 0 {
		sweep -= 2 * math.Pi // the arc on the right: clockwise
	}
	inside := func(p [2]float64, q box) bool {
		return math.Abs(p[0]-q.x) <= q.hw && math.Abs(p[1]-q.y) <= q.hh
	}
	const n = 400
	t0, t1 := -1.0, -1.0
	for k := 0; k <= n; k++ {
		t := ta + sweep*float64(k)/n
		if t0 == -1 && !inside(at(t), a) {
			t0 = t
		}
		if !inside(at(t), b) {
			t1 = t
		}
	}
	if t0 == -1 || t1 == -1 || (t1-t0)*sweep <= 0 {
		return linkCurve{}, 0, false
	}
	tip := at(t1)
	// The arrowhead's base: the chord from it to the tip an arrowhead long.
	if 2*r <= arrowLength {
		return linkCurve{}, 0, false
	}
	t2 := t1 - math.Copysign(2*math.Asin(arrowLength/(2*r)), sweep)
	if (t2-t0)*sweep <= 0 {
		return linkCurve{}, 0, false
	}
	l = linkCurve{tip: tip, c: arcPieces(m.x, m.y, r, t0, t2)}
	mid := at((t0 + t1) / 2)
	out := 1 + labelLift/r
	l.label = &[2]float64{m.x + out*(mid[0]-m.x), m.y + out*(mid[1]-m.y)}
	return l, r, true
}

// arcPieces returns the arc of the circle about (cx, cy) of radius r from
// the angle t0 to t1 as cubic Bézier pieces, none over a quarter turn.
func arcPieces(cx, cy, r, t0, t1 float64) [][2]float64 {
	n := int(math.Ceil(math.Abs(t1-t0) / (math.Pi / 2)))
	n = max(n, 1)
	d := (t1 - t0) / float64(n)
	k := 4.0 / 3 * math.Tan(d/4) * r
	pts := [][2]float64{{cx + r*math.Cos(t0), cy + r*math.Sin(t0)}}
	for i := range n {
		a, b := t0+float64(i)*d, t0+float64(i+1)*d
		pts = append(pts,
			[2]float64{cx + r*math.Cos(a) - k*math.Sin(a), cy + r*math.Sin(a) + k*math.Cos(a)},
			[2]float64{cx + r*math.Cos(b) + k*math.Sin(b), cy + r*math.Sin(b) - k*math.Cos(b)},
			[2]float64{cx + r*math.Cos(b), cy + r*math.Sin(b)})
	}
	return pts
}

// crosses reports whether the curve, or its arrowhead, comes within
// margin points of a node other than its ends, the nodes from and to:
// within a loop marker's circle or another node's box, widened by the
// margin.
func (l linkCurve) crosses(objs []placedObject, boxes []box, from, to int, margin float64) bool {
	const n = 64
	near := func(p [2]float64) bool {
		for j, b := range boxes {
			if j != from && j != to && inNode(objs[j].Name, b, p, margin) {
				return true
			}
		}
		return false
	}
	for i := 0; i+3 < len(l.c); i += 3 {
		c := [4][2]float64{l.c[i], l.c[i+1], l.c[i+2], l.c[i+3]}
		for k := 0; k <= n; k++ {
			if near(cubicAt(c, float64(k)/n)) {
				return true
			}
		}
	}
	return near(l.tip)
}

// inNode reports whether p lies within margin of the node name placed at
// b: a loop marker is a circle, any other node a box.
func inNode(name string, b box, p [2]float64, margin float64) bool {
	if strings.HasPrefix(name, markerPrefix) {
		return math.Hypot(p[0]-b.x, p[1]-b.y) < max(b.hw, b.hh)+margin
	}
	return math.Abs(p[0]-b.x) < b.hw+margin && math.Abs(p[1]-b.y) < b.hh+margin
}

// arrowLength is the length of an arrowhead of arrowsize 1, in points.
const arrowLength = 10

// bowedCurve returns the cubic from the box a to the box b that bows to
// its left by bow points (to its right if bow is negative), clipped to
// the boxes' edges and ending an arrowhead short of b. It reports false
// when the boxes are too close for such a curve.
func bowedCurve(a, b box, bow float64) (linkCurve, bool) {
	return skewedCurve(a, b, bow, bow)
}

// skewedCurve is bowedCurve with the control point a third of the way
// from a moved bowA points to the left and the one two thirds of the way
// moved bowB, so that the curve bulges nearer one end, or, with bows of
// opposite signs, winds from one side to the other.
func skewedCurve(a, b box, bowA, bowB float64) (linkCurve, bool) {
	return spreadCurve(a, b, bowA, bowB, math.Hypot(b.x-a.x, b.y-a.y)/6)
}

// spreadCurve is skewedCurve with the control points spread points
// before and after the middle of the line from a to b (skewedCurve's
// are a sixth of the line's length), so that a curve round something
// wide between two close boxes swings wide enough.
func spreadCurve(a, b box, bowA, bowB, spread float64) (linkCurve, bool) {
	dx, dy := b.x-a.x, b.y-a.y
	d := math.Hypot(dx, dy)
	if d == 0 {
		return linkCurve{}, false
	}
	nx, ny := -dy/d, dx/d
	tx, ty := dx/d, dy/d
	mx, my := (a.x+b.x)/2, (a.y+b.y)/2
	c := [4][2]float64{
		{a.x, a.y},
		{mx - spread*tx + bowA*nx, my - spread*ty + bowA*ny},
		{mx + spread*tx + bowB*nx, my + spread*ty + bowB*ny},
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
		return linkCurve{}, false
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
		return linkCurve{}, false
	}
	part := cubicPart(c, t0, t2)
	return linkCurve{c: part[:], tip: tip}, true
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
