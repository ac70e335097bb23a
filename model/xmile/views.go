package xmile

import (
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
)

// viewGap is the space left between two views of a model when their
// diagrams are put one below the other, in the views' units (pixels).
const viewGap = 80

// views reads where the root model's variables stand on its diagram
// (decl.Var.At): the x and y of the <stock>, <flow> and <aux> elements of
// the model's <views><view>, matched to the variables by name as the
// equations are. A flow's place is its valve. XMILE places an object by
// its centre, or by its top left corner when the element gives its width
// and height. A variable drawn in several views keeps its first place,
// and each view is put below the ones before it, so that a model drawn
// on several pages still makes one diagram without overlaps.
func (r *reader) views(main *node, s *scope) {
	vs := main.child("views")
	if vs == nil {
		return
	}
	bottom := 0.0 // the lowest place of the views so far
	for i, view := range vs.all("view") {
		type place struct {
			v    *decl.Var
			x, y float64
		}
		var places []place
		top := 0.0
		for _, n := range view.children {
			if n.prefix != "" || (n.name != "stock" && n.name != "flow" && n.name != "aux") {
				continue
			}
			name, _ := n.attr("name")
			x, ok := s.vars[key(unescapeName(name))]
			if !ok || x.tag != n.name {
				continue
			}
			v := r.m.Var(x.name)
			if v == nil || v.At != nil || slices.ContainsFunc(places, func(p place) bool { return p.v == v }) {
				continue
			}
			px, okx := r.viewNum(n, "x")
			py, oky := r.viewNum(n, "y")
			if !okx || !oky {
				continue
			}
			if w, ok := r.viewNum(n, "width"); ok {
				if h, ok := r.viewNum(n, "height"); ok {
					px, py = px+w/2, py+h/2
				}
			}
			if len(places) == 0 || py < top {
				top = py
			}
			places = append(places, place{v, px, py})
		}
		shift := 0.0
		if i > 0 && len(places) > 0 && bottom > 0 {
			shift = bottom + viewGap - top
		}
		for _, p := range places {
			p.v.At = &decl.Point{X: p.x, Y: p.y + shift}
			bottom = max(bottom, p.y+shift)
		}
	}
}

// viewNum reads a numeric attribute of a view element; a malformed one
// is a warning, and the element is left without a place.
func (r *reader) viewNum(n *node, attr string) (float64, bool) {
	s, ok := n.attr(attr)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !decl.Coord(f) {
		name, _ := n.attr("name")
		r.warnf(n.start, "", "<%s name=%q> in <views>: %s=%q is not a place on the diagram; its place is left out", n.name, name, attr, s)
		return 0, false
	}
	return f, true
}
