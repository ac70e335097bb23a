package units

import (
	"strings"

	"github.com/stockflow/stockflow/model/decl"
)

// TimeScale reports whether units, read in the units language of the
// model m (with its [units] table), measure time as m's time_units do,
// and if so how many of m's time units one of them is: 1/12 for "month"
// in a model whose time_units are years and whose [units] say month =
// "year/12". It reports false when m names no time_units, when either
// does not parse, or when the scale is not known.
func TimeScale(m *decl.Model, units string) (float64, bool) {
	if strings.TrimSpace(m.TimeUnits) == "" || strings.TrimSpace(units) == "" {
		return 0, false
	}
	sys, errs := NewSystem(m.Units)
	if len(errs) > 0 {
		return 0, false
	}
	t, err := sys.Parse(m.TimeUnits)
	if err != nil {
		return 0, false
	}
	u, err := sys.Parse(units)
	if err != nil || t.IsDimensionless() || !u.SameDims(t) || u.Scale == 0 || t.Scale == 0 {
		return 0, false
	}
	return u.Scale / t.Scale, true
}
