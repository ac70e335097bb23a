package units

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Units is a unit of measure: a scale times a product of base units
// raised to integer powers. "million USD/year" is scale 1e6 times USD¹
// year⁻¹; "dmnl" is scale 1 and no base units. The zero value is not
// meaningful; use Dimensionless or System.Parse.
type Units struct {
	// Scale is the factor relating the units to the product of their base
	// units (1e6 for "million USD"). Zero means the scale is not known:
	// a number in a product or quotient is taken for a conversion factor,
	// so an expression that has one is checked for its base units only.
	Scale float64

	// Factors are the base units and their powers, sorted by key, no
	// power zero.
	Factors []Factor
}

// Factor is a base unit raised to a power.
type Factor struct {
	Key  string // the unit's key: lower case, singular ("person")
	Name string // as the model first spells it ("people"), for messages
	Pow  int
}

// Dimensionless returns the units of a pure number, scale 1.
func Dimensionless() Units { return Units{Scale: 1} }

// IsDimensionless reports whether u has no base units (whatever its
// scale: % is dimensionless).
func (u Units) IsDimensionless() bool { return len(u.Factors) == 0 }

// SameDims reports whether u and v have the same base units with the same
// powers.
func (u Units) SameDims(v Units) bool {
	if len(u.Factors) != len(v.Factors) {
		return false
	}
	for i, f := range u.Factors {
		g := v.Factors[i]
		if f.Key != g.Key || f.Pow != g.Pow {
			return false
		}
	}
	return true
}

// SameScale reports whether u and v have the same scale, or either's is
// not known.
func (u Units) SameScale(v Units) bool {
	if u.Scale == 0 || v.Scale == 0 {
		return true
	}
	return math.Abs(u.Scale-v.Scale) <= 1e-9*math.Max(math.Abs(u.Scale), math.Abs(v.Scale))
}

// Equal reports whether u and v are the same units: the same base units
// and, when both scales are known, the same scale.
func (u Units) Equal(v Units) bool { return u.SameDims(v) && u.SameScale(v) }

// Mul returns the units of a product.
func (u Units) Mul(v Units) Units { return combine(u, v, 1) }

// Div returns the units of a quotient.
func (u Units) Div(v Units) Units { return combine(u, v, -1) }

func combine(u, v Units, sign int) Units {
	out := Units{Scale: u.Scale}
	switch {
	case u.Scale == 0 || v.Scale == 0:
		out.Scale = 0
	case sign > 0:
		out.Scale *= v.Scale
	default:
		out.Scale /= v.Scale
	}
	i, j := 0, 0
	for i < len(u.Factors) || j < len(v.Factors) {
		switch {
		case j == len(v.Factors) || i < len(u.Factors) && u.Factors[i].Key < v.Factors[j].Key:
			out.Factors = append(out.Factors, u.Factors[i])
			i++
		case i == len(u.Factors) || v.Factors[j].Key < u.Factors[i].Key:
			g := v.Factors[j]
			g.Pow *= sign
			out.Factors = append(out.Factors, g)
			j++
		default:
			f := u.Factors[i]
			f.Pow += sign * v.Factors[j].Pow
			if f.Pow != 0 {
				out.Factors = append(out.Factors, f)
			}
			i++
			j++
		}
	}
	return out
}

// Pow returns u raised to the integer power n.
func (u Units) Pow(n int) Units {
	if n == 0 {
		return Dimensionless()
	}
	out := Units{Scale: math.Pow(u.Scale, float64(n))}
	for _, f := range u.Factors {
		f.Pow *= n
		out.Factors = append(out.Factors, f)
	}
	return out
}

// Root returns the n-th root of u, and whether every power of u is a
// multiple of n (the square root of m² is m; of m, nothing).
func (u Units) Root(n int) (Units, bool) {
	out := Units{Scale: math.Pow(u.Scale, 1/float64(n))}
	for _, f := range u.Factors {
		if f.Pow%n != 0 {
			return Units{}, false
		}
		f.Pow /= n
		out.Factors = append(out.Factors, f)
	}
	return out, true
}

// scaleWords are the scale factors String spells as words.
var scaleWords = []struct {
	word  string
	scale float64
}{{"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9}, {"trillion", 1e12}}

// String writes u in the units language, canonically: the scale (as a
// word where it is one, as "1e6" otherwise), the base units with positive
// powers joined by "*", then "/" and each with a negative power:
// "million USD/year", "Mt/year^2", "1/year", "dmnl", "%".
func (u Units) String() string {
	var b strings.Builder
	scale := ""
	switch {
	case u.Scale == 0 || u.Scale == 1:
	case u.Scale == 0.01 && len(u.Factors) == 0:
		return "%"
	default:
		scale = formatScale(u.Scale)
	}
	var num, den []string
	for _, f := range u.Factors {
		s := f.Name
		if strings.ContainsAny(s, " */^()") {
			s = "(" + s + ")"
		}
		p := f.Pow
		if p < 0 {
			p = -p
		}
		if p != 1 {
			s += "^" + strconv.Itoa(p)
		}
		if f.Pow > 0 {
			num = append(num, s)
		} else {
			den = append(den, s)
		}
	}
	if scale != "" {
		b.WriteString(scale)
		if len(num) > 0 {
			b.WriteByte(' ')
		}
	}
	switch {
	case len(num) > 0:
		b.WriteString(strings.Join(num, "*"))
	case scale == "" && len(den) == 0:
		return "dmnl"
	case scale == "":
		b.WriteByte('1')
	}
	for _, d := range den {
		b.WriteByte('/')
		b.WriteString(d)
	}
	return b.String()
}

// formatScale spells a scale factor: a word (million), a power of ten
// (1e-3, 1e15) or a number.
func formatScale(x float64) string {
	for _, w := range scaleWords {
		if x == w.scale {
			return w.word
		}
	}
	if e := math.Round(math.Log10(x)); math.Abs(x-math.Pow(10, e)) <= 1e-12*x && math.Abs(e) >= 3 {
		return "1e" + strconv.Itoa(int(e))
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// sortFactors sorts fs by key, merging equal keys and dropping zero
// powers.
func sortFactors(fs []Factor) []Factor {
	slices.SortStableFunc(fs, func(a, b Factor) int { return strings.Compare(a.Key, b.Key) })
	out := fs[:0]
	for _, f := range fs {
		if n := len(out); n > 0 && out[n-1].Key == f.Key {
			out[n-1].Pow += f.Pow
			if out[n-1].Pow == 0 {
				out = out[:n-1]
			}
			continue
		}
		if f.Pow != 0 {
			out = append(out, f)
		}
	}
	return out
}

// Format writes u as String does, but in terms of the model's own units
// where that removes the scale: with month = "year/12" in the [units]
// table, 12 widgets/year is written widgets/month.
func (s *System) Format(u Units) string {
	if u.Scale == 0 || u.Scale == 1 || len(u.Factors) == 0 {
		return u.String()
	}
	for _, d := range s.sortedDefs() {
		if !d.user || d.state != 2 || len(d.u.Factors) != 1 || d.u.Factors[0].Pow != 1 || d.u.Scale == 1 {
			continue
		}
		base := d.u.Factors[0]
		for i, f := range u.Factors {
			if f.Key != base.Key {
				continue
			}
			scale := u.Scale / math.Pow(d.u.Scale, float64(f.Pow))
			if math.Abs(scale-1) > 1e-9 {
				continue
			}
			v := Units{Scale: 1, Factors: slices.Clone(u.Factors)}
			v.Factors[i].Key, v.Factors[i].Name = Key(d.name), d.name
			v.Factors = sortFactors(v.Factors)
			return v.String()
		}
	}
	return u.String()
}
