package sensitivity

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// Param is one param of a study and the distribution its values are drawn
// from, as the model declares it (see decl.Var.Dist): Dist is "uniform",
// "triangular", "normal" or "lognormal"; Min and Max truncate it (nil:
// unbounded on that side); Mode, Mean and SD are its parameters (Mean and
// SD of the param itself, for a lognormal too).
type Param struct {
	Name  string   `json:"name"`
	Units string   `json:"units,omitempty"`
	Dist  string   `json:"dist"`
	Min   *float64 `json:"min,omitempty"`
	Max   *float64 `json:"max,omitempty"`
	Mode  float64  `json:"mode,omitempty"`
	Mean  float64  `json:"mean,omitempty"`
	SD    float64  `json:"sd,omitempty"`
}

// ranged reports whether the declared param takes part in a study by
// default: it declares a distribution, or a range that is not a point.
func ranged(v *decl.Var) bool {
	if v.Dist != "" {
		return true
	}
	return v.Min != nil && v.Max != nil && *v.Min < *v.Max
}

// studyParams returns the params of the study: those named, in the given
// order, or by default every param with a range or a distribution that
// fixed does not hold, in declaration order. A named param may not be in
// set, which fixes it in every run.
func studyParams(m *model.Model, names []string, fixed, set map[string]float64) ([]Param, error) {
	var all []string
	byName := map[string]*decl.Var{}
	for _, v := range m.Decl.Vars {
		if v.Kind == decl.Param {
			all = append(all, v.Name)
			byName[v.Name] = v
		}
	}
	if names == nil {
		for _, n := range all {
			if _, isFixed := fixed[n]; ranged(byName[n]) && !isFixed {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return nil, errors.New("no param that the run does not fix declares a range (min and max) or a distribution: give the params of the study a range, or name them with a distribution")
		}
	}
	var ps []Param
	seen := map[string]bool{}
	for _, n := range names {
		v := byName[n]
		if v == nil {
			msg := fmt.Sprintf("the model has no param %q", n)
			if s := syntax.Suggest(n, all); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, errors.New(msg)
		}
		if seen[n] {
			return nil, fmt.Errorf("param %q is named twice", n)
		}
		if _, isSet := set[n]; isSet {
			return nil, fmt.Errorf("param %q is both varied by the study and fixed in every run (--set, RunOptions.Set): drop one", n)
		}
		seen[n] = true
		if !ranged(v) {
			return nil, fmt.Errorf("%s: %s has no range to draw from: declare min and max (or a dist) for it", v.Pos, v.Key)
		}
		p := Param{Name: n, Units: v.Units, Dist: v.Dist, Min: v.Min, Max: v.Max, Mode: v.Value, Mean: v.Value}
		if p.Dist == "" {
			p.Dist = "uniform"
		}
		if v.Mode != nil {
			p.Mode = *v.Mode
		}
		if v.Mean != nil {
			p.Mean = *v.Mean
		}
		if v.SD != nil {
			p.SD = *v.SD
		}
		switch p.Dist {
		case "uniform":
			p.Mode, p.Mean = 0, 0
		case "triangular":
			p.Mean = 0
		default:
			p.Mode = 0
		}
		if _, err := p.quantiler(); err != nil {
			return nil, fmt.Errorf("%s: %s: %v", v.FieldPosOr("dist"), v.Key, err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// quantiler returns the inverse of the param's cumulative distribution,
// truncated to [Min, Max]: it maps a probability u in [0, 1] to a value.
func (p Param) quantiler() (func(u float64) float64, error) {
	lo, hi := math.NaN(), math.NaN()
	if p.Min != nil {
		lo = *p.Min
	}
	if p.Max != nil {
		hi = *p.Max
	}
	switch p.Dist {
	case "uniform":
		if math.IsNaN(lo) || math.IsNaN(hi) {
			return nil, errors.New("a uniform distribution needs both min and max")
		}
		return func(u float64) float64 { return lo + u*(hi-lo) }, nil
	case "triangular":
		if math.IsNaN(lo) || math.IsNaN(hi) || p.Mode < lo || p.Mode > hi {
			return nil, errors.New("a triangular distribution needs min ≤ mode ≤ max")
		}
		if lo == hi {
			return func(float64) float64 { return lo }, nil
		}
		t := distuv.NewTriangle(lo, hi, p.Mode, nil)
		return t.Quantile, nil
	}
	var d interface {
		CDF(float64) float64
		Quantile(float64) float64
	}
	switch p.Dist {
	case "normal":
		if !(p.SD > 0) {
			return nil, errors.New("a normal distribution needs a positive sd")
		}
		d = distuv.Normal{Mu: p.Mean, Sigma: p.SD}
	case "lognormal":
		if !(p.SD > 0) || !(p.Mean > 0) {
			return nil, errors.New("a lognormal distribution needs a positive mean and sd")
		}
		s2 := math.Log1p(p.SD * p.SD / (p.Mean * p.Mean))
		d = distuv.LogNormal{Mu: math.Log(p.Mean) - s2/2, Sigma: math.Sqrt(s2)}
	default:
		return nil, fmt.Errorf("unknown distribution %q (want %v)", p.Dist, decl.Dists)
	}
	a, b := 0.0, 1.0
	if !math.IsNaN(lo) {
		a = d.CDF(lo)
	}
	if !math.IsNaN(hi) {
		b = d.CDF(hi)
	}
	if !(b-a > 1e-12) {
		return nil, fmt.Errorf("the %s distribution puts no probability in [%g, %g]", p.Dist, lo, hi)
	}
	return func(u float64) float64 {
		x := d.Quantile(a + u*(b-a))
		// Keep rounding (and the infinite ends of an unbounded
		// distribution at u = 0 or 1) inside the declared range.
		if !math.IsNaN(lo) && !(x >= lo) {
			x = lo
		}
		if !math.IsNaN(hi) && !(x <= hi) {
			x = hi
		}
		if math.IsInf(x, 0) {
			x = d.Quantile(math.Min(math.Max(u, 1e-12), 1-1e-12))
		}
		return x
	}, nil
}
