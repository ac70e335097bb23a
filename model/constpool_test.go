package model

import (
	"math"
	"testing"
)

// TestConstantPoolKeepsSpecialValuesApart checks that the constant pool
// tells NaN from -Inf and -0 from +0: each equation gets back the very
// value it wrote, whatever other constants share the pool.
func TestConstantPoolKeepsSpecialValuesApart(t *testing.T) {
	m := mustParse(t, specialValues)
	r := mustRun(t, m, RunOptions{All: true})
	for _, c := range specialValueCases {
		got := r.Series(c.name)[1]
		if math.Float64bits(got) != math.Float64bits(c.want) && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s = %v (sign bit %v), want %v (sign bit %v)", c.name, got, math.Signbit(got), c.want, math.Signbit(c.want))
		}
	}
}

// specialValues declares NaN, ±Inf and ±0 as constants side by side, and
// divides by a signed zero at run time.
const specialValues = `
[sim]
stop = 2
dt = 1
[aux.neginf]
eq = "-inf"
[aux.nan]
eq = "0/0"
[aux.posinf]
eq = "inf"
[aux.poszero]
eq = "0"
[aux.negzero]
eq = "-0"
[aux.neg_over_negzero]
eq = "1/(-0*time)"
[aux.pos_over_poszero]
eq = "1/(0*time)"
`

var specialValueCases = []struct {
	name string
	want float64
}{
	{"neginf", math.Inf(-1)},
	{"nan", math.NaN()},
	{"posinf", math.Inf(1)},
	{"poszero", 0},
	{"negzero", math.Copysign(0, -1)},
	{"neg_over_negzero", math.Inf(-1)},
	{"pos_over_poszero", math.Inf(1)},
}
