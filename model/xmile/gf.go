package xmile

import (
	"math"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
)

// gf reads a graphical function into the lookup v. XMILE's three kinds
// map to stockflow's lookups as follows: continuous holds the end values
// outside the points, extrapolate extends the end segments, and discrete
// (a step at each point, held until the next) becomes a lookup whose every
// step rises within one unit in the last place before the next point.
func (r *reader) gf(g *node, v *decl.Var) {
	typ, _ := g.attr("type")
	typ = strings.ToLower(strings.TrimSpace(typ))
	if d, ok := g.attr("discrete"); ok && strings.EqualFold(strings.TrimSpace(d), "true") && typ == "" {
		typ = "discrete"
	}
	switch typ {
	case "", "continuous":
	case "extrapolate":
		v.Extrapolate = true
	case "discrete":
	default:
		r.errorf(g.start, v.Key, "unknown graphical function type %q (XMILE has continuous, extrapolate and discrete)", typ)
		return
	}
	yn := g.child("ypts")
	if yn == nil {
		r.errorf(g.start, v.Key+".points", "a graphical function needs <ypts>")
		return
	}
	v.FieldPos["points"] = r.pos(yn.start)
	ys, ok := r.points(yn, v.Key)
	if !ok {
		return
	}
	var xs []float64
	if xn := g.child("xpts"); xn != nil {
		if xs, ok = r.points(xn, v.Key); !ok {
			return
		}
		if len(xs) != len(ys) {
			r.errorf(xn.start, v.Key+".points", "%d x values for %d y values", len(xs), len(ys))
			return
		}
	} else if xsn := g.child("xscale"); xsn != nil {
		lo, ok1 := r.attrNum(xsn, "min", v.Key)
		hi, ok2 := r.attrNum(xsn, "max", v.Key)
		if !ok1 || !ok2 {
			return
		}
		for i := range ys {
			if len(ys) == 1 {
				xs = append(xs, lo)
				break
			}
			xs = append(xs, lo+float64(i)*(hi-lo)/float64(len(ys)-1))
		}
	} else {
		r.errorf(g.start, v.Key+".points", "a graphical function needs <xpts> or <xscale>")
		return
	}
	if len(xs) < 2 {
		r.errorf(yn.start, v.Key+".points", "a graphical function needs at least 2 points, got %d", len(xs))
		return
	}
	for i := 1; i < len(xs); i++ {
		if !(xs[i] > xs[i-1]) {
			r.errorf(yn.start, v.Key+".points", "x values must increase: point %d has x = %g after x = %g", i+1, xs[i], xs[i-1])
			return
		}
	}
	for i := range xs {
		if typ == "discrete" && i > 0 {
			v.Points = append(v.Points, [2]float64{math.Nextafter(xs[i], math.Inf(-1)), ys[i-1]})
			if v.Points[len(v.Points)-1][0] <= v.Points[len(v.Points)-2][0] {
				v.Points = v.Points[:len(v.Points)-1]
			}
		}
		v.Points = append(v.Points, [2]float64{xs[i], ys[i]})
	}
}

// points reads the numbers of an <xpts> or <ypts>, separated by its sep
// attribute (default ",").
func (r *reader) points(n *node, key string) ([]float64, bool) {
	sep, ok := n.attr("sep")
	if !ok || sep == "" {
		sep = ","
	}
	text, offs := r.doc.trimmed(n)
	var out []float64
	at := 0
	for _, f := range strings.Split(text, sep) {
		s := strings.TrimSpace(f)
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			r.errorf(offs[min(at, len(offs)-1)], key+".points", "<%s>: expected a number, got %q", n.name, s)
			return nil, false
		}
		out = append(out, x)
		at += len(f) + len(sep)
	}
	return out, true
}

func (r *reader) attrNum(n *node, name, key string) (float64, bool) {
	s, ok := n.attr(name)
	if !ok {
		r.errorf(n.start, key+".points", "<%s> has no %s", n.name, name)
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		r.errorf(n.start, key+".points", "<%s %s=%q>: expected a number", n.name, name, s)
		return 0, false
	}
	return x, true
}
