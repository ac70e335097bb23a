package loops

import "github.com/stockflow/stockflow/model/units"

// varUnits returns the checked units (units.Info.UnitsOf: declared, or
// inferred when none is declared) of each of the named variables, in
// their order, "" where not known; nil when none is known, so that a
// model without units adds nothing to the JSON.
func varUnits(in *units.Info, names []string) []string {
	out := make([]string, len(names))
	known := false
	for k, n := range names {
		out[k] = in.UnitsOf(n)
		known = known || out[k] != ""
	}
	if !known {
		return nil
	}
	return out
}

// withUnits returns x followed by its units, "500 people", or x alone
// when the units are not known.
func withUnits(x, u string) string {
	if u == "" {
		return x
	}
	return x + " " + u
}
