package xmile

import (
	"math"
	"slices"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// cloudReach is how far from its valve a flow's pipe starts or ends when
// a cloud is at that end, in the view's units (pixels).
const cloudReach = 70

// views writes the model's diagram, <views><view>, when its variables
// carry places (decl.Var.At): each placed stock, flow (its valve, with
// the pipe's ends as <pts>: the stocks it drains and fills, or a cloud a
// little beyond the valve) and aux (params and data variables too), and
// a <connector> for each link between two placed variables that an
// equation makes. Stella and Simlin then open the model with its
// diagram; a model without places is written without one.
func (x *xwriter) views() {
	at := map[string]decl.Point{}
	for _, v := range x.m.Vars {
		if v.At != nil && v.Kind != decl.Lookup {
			at[v.Name] = *v.At
		}
	}
	if len(at) == 0 {
		return
	}
	x.open("<views>")
	x.open(`<view type="stock_flow">`)
	uid := 0
	for _, v := range x.m.Vars {
		p, ok := at[v.Name]
		if !ok {
			continue
		}
		for _, ref := range refs(v) {
			if _, ok := at[ref]; !ok || ref == v.Name || x.pipe(ref, v.Name) {
				continue
			}
			x.open(`<connector uid="%d" angle="%s">`, uid, num(connectorAngle(at[ref], p)))
			x.text("from", ref)
			x.text("to", v.Name)
			x.close("connector")
			uid++
		}
	}
	for _, v := range x.m.Vars {
		p, ok := at[v.Name]
		if !ok {
			continue
		}
		switch v.Kind {
		case decl.Stock:
			x.line(`<stock name="%s" x="%s" y="%s"/>`, attr(v.Name), num(p.X), num(p.Y))
		case decl.Flow:
			x.open(`<flow name="%s" x="%s" y="%s">`, attr(v.Name), num(p.X), num(p.Y))
			from, to := x.pipeEnds(v.Name, p, at)
			x.open("<pts>")
			x.line(`<pt x="%s" y="%s"/>`, num(from.X), num(from.Y))
			x.line(`<pt x="%s" y="%s"/>`, num(to.X), num(to.Y))
			x.close("pts")
			x.close("flow")
		default:
			x.line(`<aux name="%s" x="%s" y="%s"/>`, attr(v.Name), num(p.X), num(p.Y))
		}
	}
	x.close("view")
	x.close("views")
}

// pipe reports whether the link from a to b is a pipe: a flow into or
// out of a stock, which the flow's <pts> draw, not a connector.
func (x *xwriter) pipe(a, b string) bool {
	s := x.m.Var(b)
	return s != nil && s.Kind == decl.Stock && (slices.Contains(s.Inflows, a) || slices.Contains(s.Outflows, a))
}

// pipeEnds returns where the pipe of the flow whose valve is at p starts
// and ends: at the placed stock it drains and the placed stock it fills,
// or, for a cloud, cloudReach beyond the valve on the line from the
// stock at the other end (to the left of a source, the right of a sink,
// without one).
func (x *xwriter) pipeEnds(flow string, p decl.Point, at map[string]decl.Point) (from, to decl.Point) {
	var src, dst *decl.Point
	for _, s := range x.m.Vars {
		q, ok := at[s.Name]
		if s.Kind != decl.Stock || !ok {
			continue
		}
		if src == nil && slices.Contains(s.Outflows, flow) {
			src = &q
		}
		if dst == nil && slices.Contains(s.Inflows, flow) {
			dst = &q
		}
	}
	beyond := func(other *decl.Point, side float64) decl.Point {
		dx, dy := side, 0.0
		if other != nil {
			dx, dy = p.X-other.X, p.Y-other.Y
			if l := math.Hypot(dx, dy); l > 0 {
				dx, dy = dx/l, dy/l
			} else {
				dx, dy = side, 0
			}
		}
		return decl.Point{X: p.X + cloudReach*dx, Y: p.Y + cloudReach*dy}
	}
	if src != nil {
		from = *src
	} else {
		from = beyond(dst, -1)
	}
	if dst != nil {
		to = *dst
	} else {
		to = beyond(src, 1)
	}
	return from, to
}

// connectorAngle is the angle at which a connector leaves from towards
// to, in degrees counterclockwise from the x axis, as XMILE measures it
// (the view's y axis points down).
func connectorAngle(from, to decl.Point) float64 {
	a := math.Atan2(from.Y-to.Y, to.X-from.X) * 180 / math.Pi
	if a < 0 {
		a += 360
	}
	return math.Round(a*100) / 100
}

// refs returns the names of the variables v's equations read, each once,
// in the order they first appear.
func refs(v *decl.Var) []string {
	var out []string
	add := func(e syntax.Expr) {
		if e == nil {
			return
		}
		syntax.Walk(e, func(n syntax.Expr) bool {
			if id, ok := n.(*syntax.Ident); ok && !slices.Contains(out, id.Name) {
				out = append(out, id.Name)
			}
			return true
		})
	}
	add(v.Eq.Expr)
	for _, el := range v.ElementEqs {
		add(el.Eq.Expr)
	}
	return out
}
