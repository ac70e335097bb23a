package plots

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/goccy/go-graphviz"
	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model/decl"
	"gonum.org/v1/plot/font"
)

// Diagram layouts: DiagramOptions.Layout.
const (
	// LayoutAuto lays the diagram out automatically: the stock-and-flow
	// diagram with Graphviz's dot (pipes left to right), the causal-loop
	// diagram with neato (a spring layout).
	LayoutAuto = "auto"
	// LayoutFile draws each variable where the model file's own diagram
	// has it (decl.Var.At: an XMILE view, a Vensim sketch, the TOML's
	// pos), and lays out only what the file does not place.
	LayoutFile = "file"
)

// ErrNoPlaces is the error of a diagram asked for in the file's own
// layout (LayoutFile) of a model whose file places none of the variables
// drawn.
var ErrNoPlaces = errors.New("the model file places none of the variables drawn: it has no diagram of its own (an XMILE <views>, a Vensim sketch, or pos = [x, y] in the TOML); draw it with --layout auto")

// HasPlaces reports whether g's model file places any of its variables on
// a diagram of its own (decl.Var.At), so that LayoutFile can draw it.
func HasPlaces(g *loops.Graph) bool {
	return slices.ContainsFunc(g.Nodes, func(n loops.Node) bool {
		v := g.Model().Decl.Var(n.Name)
		return v != nil && v.At != nil
	})
}

// writeFileLayout writes, at the end of a diagram's DOT, the statements
// that pin each drawn variable the model file places where the file has
// it, for Graphviz's neato: positions in points (inputscale=72), the y
// axis turned up as Graphviz has it, the rest of the diagram (variables
// the file does not place) laid out around them, and links routed round
// the nodes. The file's places are spread out evenly (fileScale) where
// stockflow's nodes, which carry their names, are too wide for them; a
// flow's clouds go on the line of its pipe, beyond its valve. It returns
// ErrNoPlaces if the file places none of the variables kept.
func writeFileLayout(b *bytes.Buffer, g *loops.Graph, keep map[string]bool, cld bool) error {
	d := g.Model().Decl
	var placed []placedNode
	for _, n := range g.Nodes {
		if !keep[n.Name] {
			continue
		}
		if v := d.Var(n.Name); v != nil && v.At != nil {
			placed = append(placed, placedNode{n.Name, n.Kind, v.At.X, v.At.Y})
		}
	}
	if len(placed) == 0 {
		return ErrNoPlaces
	}
	s := fileScale(placed, cld)
	face := labelFace()
	b.WriteString("\n\t// the file's own layout: each variable it places pinned there\n")
	b.WriteString("\tlayout=neato; inputscale=72; overlap=true; splines=true; mode=major;\n")
	at := map[string][2]float64{}
	for _, p := range placed {
		at[p.name] = [2]float64{p.x * s, p.y * s}
		fmt.Fprintf(b, "\t%s [pos=\"%s,%s!\"];\n", dotID(p.name), fmtPoint(p.x*s), fmtPoint(-p.y*s))
	}
	if cld {
		return nil
	}
	// The clouds: beyond the valve, on the line from the stock at the
	// pipe's other end, or to the valve's left (a source) or right (a
	// sink) when the flow has no stock at either end.
	for _, p := range placed {
		if p.kind != decl.Flow {
			continue
		}
		from, to := pipeEnds(d, keep, p.name)
		valve := at[p.name]
		cloud := func(name string, other []string, side float64) {
			dir := [2]float64{side, 0}
			if len(other) > 0 {
				if o, ok := at[other[0]]; ok {
					dx, dy := valve[0]-o[0], valve[1]-o[1]
					if l := math.Hypot(dx, dy); l > 0 {
						dir = [2]float64{dx / l, dy / l}
					}
				}
			}
			reach := flowWidth(float64(face.Width(p.name)))/2 + 40 // points from the valve's centre
			fmt.Fprintf(b, "\t%s [pos=\"%s,%s!\"];\n", dotID(name), fmtPoint(valve[0]+reach*dir[0]), fmtPoint(-(valve[1] + reach*dir[1])))
		}
		if len(from) == 0 {
			cloud("cloud: "+p.name+" source", to, -1)
		}
		if len(to) == 0 {
			cloud("cloud: "+p.name+" sink", from, 1)
		}
	}
	return nil
}

// flowWidth is the width of a valve, a hexagon round a flow's name of
// width w, in points (about what Graphviz makes of it).
func flowWidth(w float64) float64 { return 1.9*w + 10 }

// labelFace returns the face of the diagrams' labels in the PNG and PDF
// pictures (painter.text), 12 points, whose widths size the nodes.
func labelFace() font.Face {
	return font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans"}, 12)
}

// placedNode is a variable the model file places, at (x, y) in the
// file's units.
type placedNode struct {
	name string
	kind decl.Kind
	x, y float64
}

// maxFileScale bounds how far fileScale spreads a file's places out.
const maxFileScale = 3

// fileScale returns the factor by which to spread out the places of a
// model file's diagram so that no two of stockflow's nodes, sized by
// their names, overlap: for each pair the least factor that parts them
// across or up and down, the largest of these, at least 1 and at most
// maxFileScale (a file that puts two variables nearly on one spot is not
// allowed to blow the whole diagram up).
func fileScale(placed []placedNode, cld bool) float64 {
	face := labelFace()
	type size struct{ w, h float64 }
	sizes := make([]size, len(placed))
	for i, p := range placed {
		w := float64(face.Width(p.name))
		switch {
		case cld && p.kind == decl.Stock:
			sizes[i] = size{w + 24, 36}
		case cld:
			sizes[i] = size{w + 8, 22}
		case p.kind == decl.Stock:
			sizes[i] = size{w + 24, 44}
		case p.kind == decl.Flow:
			sizes[i] = size{flowWidth(w), 30}
		case p.kind == decl.Aux:
			sizes[i] = size{w*1.2 + 16, 36}
		default:
			sizes[i] = size{w + 12, 20}
		}
	}
	gap := 24.0 // points between two nodes
	if cld {
		gap = 60 // room for the arrows between them and their signs
	}
	s := 1.0
	if len(placed) > 2000 {
		return s // a pass over every pair would cost more than it gives
	}
	for i := range placed {
		for j := i + 1; j < len(placed); j++ {
			dx, dy := math.Abs(placed[i].x-placed[j].x), math.Abs(placed[i].y-placed[j].y)
			needX, needY := (sizes[i].w+sizes[j].w)/2+gap, (sizes[i].h+sizes[j].h)/2+gap
			if dx >= needX || dy >= needY {
				continue
			}
			sx, sy := math.Inf(1), math.Inf(1)
			if dx > 0 {
				sx = needX / dx
			}
			if dy > 0 {
				sy = needY / dy
			}
			s = max(s, min(sx, sy))
		}
	}
	return min(s, maxFileScale)
}

// layoutStatements writes the statements of opt.Layout at the end of a
// diagram's DOT: none for LayoutAuto, the file's places for LayoutFile.
func layoutStatements(b *bytes.Buffer, g *loops.Graph, keep map[string]bool, opt DiagramOptions, cld bool) error {
	switch opt.Layout {
	case "", LayoutAuto:
		return nil
	case LayoutFile:
		return writeFileLayout(b, g, keep, cld)
	}
	return fmt.Errorf("unknown diagram layout %q (want %s or %s)", opt.Layout, LayoutFile, LayoutAuto)
}

// placesMargin is the space Places leaves above and left of a diagram, in
// points.
const placesMargin = 50

// Places lays out g's stock-and-flow diagram automatically, as
// StockFlowDOT and RenderDiagram draw it (LayoutAuto, params included),
// and returns where each variable stands, in the units of XMILE's and
// Vensim's diagrams: screen pixels (points here), x to the right and y
// down, with a margin above and left of the top left node. A model
// written as XMILE without places of its own is given these, so that
// other tools open it with a diagram.
func Places(ctx context.Context, g *loops.Graph) (map[string]decl.Point, error) {
	dot, err := StockFlowDOT(g, DiagramOptions{})
	if err != nil {
		return nil, err
	}
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting graphviz: %w", err)
	}
	defer gv.Close()
	gg, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("reading the DOT: %w", err)
	}
	defer gg.Close()
	var js bytes.Buffer
	if err := gv.Render(ctx, gg, "json", &js); err != nil {
		return nil, fmt.Errorf("laying out the diagram: %w", err)
	}
	var lay placedGraph
	if err := json.Unmarshal(js.Bytes(), &lay); err != nil {
		return nil, fmt.Errorf("reading graphviz's layout: %w", err)
	}
	pts := map[string][2]float64{}
	minX, maxY := math.Inf(1), math.Inf(-1)
	for _, o := range lay.Objects {
		if _, ok := g.Node(o.Name); !ok {
			continue // a cloud
		}
		var x, y float64
		if _, err := fmt.Sscanf(o.Pos, "%g,%g", &x, &y); err != nil {
			return nil, fmt.Errorf("reading graphviz's layout: node %q at %q: %v", o.Name, o.Pos, err)
		}
		pts[o.Name] = [2]float64{x, y}
		minX, maxY = min(minX, x), max(maxY, y)
	}
	places := make(map[string]decl.Point, len(pts))
	for name, p := range pts {
		places[name] = decl.Point{X: math.Round(p[0] - minX + placesMargin), Y: math.Round(maxY - p[1] + placesMargin)}
	}
	return places, nil
}
