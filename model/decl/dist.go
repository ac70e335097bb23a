package decl

import (
	"math"
	"strconv"

	"github.com/stockflow/stockflow/model/syntax"
)

// Dists lists the distributions a param may declare with dist = "...".
var Dists = []string{"uniform", "triangular", "normal", "lognormal"}

// distKeys says which of mode, mean and sd each distribution takes.
var distKeys = map[string][]string{
	"uniform":    nil,
	"triangular": {"mode"},
	"normal":     {"mean", "sd"},
	"lognormal":  {"mean", "sd"},
}

// dist reads a param's distribution — dist, mode, mean, sd — and checks
// that they fit together and with its range. ranged reports whether the
// param has a valid min and max, valueOK whether its value was read.
func (r *reader) dist(c loc, v *Var, x map[string]any, ranged, valueOK bool) {
	nums := map[string]**float64{"mode": &v.Mode, "mean": &v.Mean, "sd": &v.SD}
	for _, k := range []string{"mode", "mean", "sd"} {
		if raw, ok := x[k]; ok {
			if f, ok := r.num(c.child(k), raw); ok {
				*nums[k] = &f
			}
		}
	}
	if raw, ok := x["dist"]; ok {
		s, ok := r.str(c.child("dist"), raw)
		if !ok {
			return
		}
		if _, known := distKeys[s]; !known {
			msg := "unknown distribution " + strconv.Quote(s)
			if sug := syntax.Suggest(s, Dists); sug != "" {
				msg += " (did you mean " + strconv.Quote(sug) + "?)"
			} else {
				msg += " (want uniform, triangular, normal or lognormal)"
			}
			r.errorf(r.valPos(c.child("dist")), c.child("dist"), "%s", msg)
			return
		}
		v.Dist = s
	}
	// A parameter of a distribution the param does not declare.
	for _, k := range []string{"mode", "mean", "sd"} {
		if _, given := x[k]; !given || contains(distKeys[v.Dist], k) {
			continue
		}
		want := `dist = "triangular"`
		if k != "mode" {
			want = `dist = "normal" or "lognormal"`
		}
		if v.Dist == "" {
			r.errorf(r.keyPos(c.child(k)), c.child(k), "%s is a parameter of a distribution: add %s", k, want)
		} else {
			r.errorf(r.keyPos(c.child(k)), c.child(k), "a %s distribution has no %s (%s belongs to %s)", v.Dist, k, k, want)
		}
	}
	if v.Dist == "" {
		return
	}
	distPos, dc := r.valPos(c.child("dist")), c.child("dist")
	switch v.Dist {
	case "uniform", "triangular":
		if !ranged {
			r.errorf(distPos, dc, "a %s distribution needs both min and max", v.Dist)
			return
		}
	}
	center := func(k string, p *float64) (float64, syntax.Pos, loc, bool) {
		if p != nil {
			return *p, r.valPos(c.child(k)), c.child(k), true
		}
		return v.Value, v.FieldPosOr("value"), c.child("value"), valueOK && len(v.ElementEqs) == 0
	}
	switch v.Dist {
	case "triangular":
		m, pos, mc, ok := center("mode", v.Mode)
		if !ok {
			if len(v.ElementEqs) > 0 {
				r.errorf(distPos, dc, "a triangular distribution over per-element values needs a mode")
			}
			return
		}
		if m < *v.Min || m > *v.Max {
			r.errorf(pos, mc, "the mode %s is outside the range [%s, %s]", ff(m), ff(*v.Min), ff(*v.Max))
		}
	case "normal", "lognormal":
		if v.SD == nil {
			if _, given := x["sd"]; !given {
				r.errorf(distPos, dc, "a %s distribution needs sd, its standard deviation", v.Dist)
			}
			return
		}
		if !(*v.SD > 0) {
			r.errorf(r.valPos(c.child("sd")), c.child("sd"), "sd must be positive, got %s", ff(*v.SD))
			return
		}
		mean, pos, mc, ok := center("mean", v.Mean)
		if !ok {
			if len(v.ElementEqs) > 0 {
				r.errorf(distPos, dc, "a %s distribution over per-element values needs a mean", v.Dist)
			}
			return
		}
		if v.Dist == "lognormal" {
			if !(mean > 0) {
				r.errorf(pos, mc, "a lognormal distribution needs a positive mean, got %s", ff(mean))
				return
			}
			if v.Min != nil && *v.Min < 0 {
				r.errorf(v.FieldPosOr("min"), c.child("min"), "a lognormal param is positive: min must not be negative, got %s", ff(*v.Min))
				return
			}
		}
		if p := truncatedMass(v.Dist, mean, *v.SD, v.Min, v.Max); !(p > 1e-12) {
			r.errorf(distPos, dc, "the %s distribution with mean %s and sd %s puts no probability in [%s, %s]: widen the range or move the mean",
				v.Dist, ff(mean), ff(*v.SD), bound(v.Min, "-inf"), bound(v.Max, "+inf"))
		}
	}
}

// truncatedMass returns the probability that a normal or lognormal
// distribution of the given mean and sd puts in [lo, hi] (nil: unbounded).
func truncatedMass(dist string, mean, sd float64, lo, hi *float64) float64 {
	mu, sigma := mean, sd
	tr := func(x float64) float64 { return x }
	if dist == "lognormal" {
		s2 := math.Log1p(sd * sd / (mean * mean))
		mu, sigma = math.Log(mean)-s2/2, math.Sqrt(s2)
		tr = func(x float64) float64 {
			if x <= 0 {
				return math.Inf(-1)
			}
			return math.Log(x)
		}
	}
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-(tr(x)-mu)/(sigma*math.Sqrt2)) }
	a, b := 0.0, 1.0
	if lo != nil {
		a = cdf(*lo)
	}
	if hi != nil {
		b = cdf(*hi)
	}
	return b - a
}

func bound(p *float64, none string) string {
	if p == nil {
		return none
	}
	return ff(*p)
}
