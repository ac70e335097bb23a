package vensim

import (
	"math"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// unitsRange splits a Vensim units field into the units and the range
// after them: "Month [0,?]", "Dmnl [-1, 1, 0.1]". An end given as ? (or
// left out) is open, and comes back nil; a third field, the slider's
// increment, is dropped. msg is not empty when the brackets do not hold a
// range; the units are still returned.
func unitsRange(field string) (units string, lo, hi *float64, msg string) {
	i := strings.Index(field, "[")
	if i < 0 {
		return strings.TrimSpace(field), nil, nil, ""
	}
	units = strings.TrimSpace(field[:i])
	body, ok := strings.CutSuffix(strings.TrimSpace(field[i+1:]), "]")
	if !ok {
		return units, nil, nil, "the range " + strconv.Quote(strings.TrimSpace(field[i:])) + " has no closing ]"
	}
	parts := strings.Split(body, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return units, nil, nil, "the range " + strconv.Quote(strings.TrimSpace(field[i:])) + " is not [min,max] or [min,max,increment]"
	}
	var ends [2]*float64
	for k := range ends {
		p := strings.TrimSpace(parts[k])
		if p == "?" || p == "" {
			continue
		}
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return units, nil, nil, "the range " + strconv.Quote(strings.TrimSpace(field[i:])) + " has " + strconv.Quote(p) + " for its " + [2]string{"min", "max"}[k] + ", not a number or ?"
		}
		ends[k] = &f
	}
	if ends[0] != nil && ends[1] != nil && *ends[0] > *ends[1] {
		return units, nil, nil, "the range " + strconv.Quote(strings.TrimSpace(field[i:])) + " has its min above its max"
	}
	return units, ends[0], ends[1], ""
}

// applyRange gives dv the range of its units field: min and max for a
// param, the expected range (a warning when a run leaves it) for a stock,
// flow or aux. A param whose value lies outside keeps no range, with a
// warning, as would a range that does not read; Vensim itself uses the
// range only for sliders, optimisation and range checks.
func (r *reader) applyRange(dv *decl.Var, field string) {
	units, lo, hi, msg := unitsRange(field)
	dv.Units = units
	warn := func(m string) {
		r.m.Warnings = append(r.m.Warnings, &syntax.Error{Pos: dv.Pos, Key: dv.Key, Msg: m})
	}
	if msg != "" {
		warn(msg + "; the range is ignored")
		return
	}
	if lo == nil && hi == nil {
		return
	}
	switch dv.Kind {
	case decl.Param:
		outside := func(f float64) bool { return lo != nil && f < *lo || hi != nil && f > *hi }
		vals := []float64{dv.Value}
		if len(dv.ElementEqs) > 0 {
			vals = vals[:0]
			for _, ee := range dv.ElementEqs {
				if f, err := strconv.ParseFloat(ee.Eq.Text, 64); err == nil {
					vals = append(vals, f)
				}
			}
		}
		for _, f := range vals {
			if outside(f) {
				warn("the value " + strconv.FormatFloat(f, 'g', -1, 64) + " lies outside the range of the units field [" + rangeEnd(lo, "?") + "," + rangeEnd(hi, "?") + "]; the param gets no min and max")
				return
			}
		}
		dv.Min, dv.Max = lo, hi
	case decl.Stock, decl.Flow, decl.Aux:
		dv.Range = decl.OpenRange(lo, hi)
	}
}

func rangeEnd(f *float64, open string) string {
	if f == nil {
		return open
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}
