package units

import (
	"testing"
)

// FuzzParse checks the units parser on any string: no panic; an error's
// offset lies inside the string; units that parse print as a string that
// parses back to the same units.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "dmnl", "%", "people/year", "million USD/year", "Mt/year/year", "1/year",
		"widget/(month*month)", "index (2024 = 1)", "1e6 t", "m^-2", "kg·m/s^2",
		"people//year", "(a", "a^x", "$/€", "per per", "((((a))))^3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, _ := NewSystem(nil)
		u, err := s.Parse(text)
		if err != nil {
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("Parse(%q): error %v is a %T, want a *ParseError", text, err, err)
			}
			if pe.Off < 0 || pe.Off > len(text) {
				t.Fatalf("Parse(%q): error offset %d outside the string", text, pe.Off)
			}
			return
		}
		printed := u.String()
		s2, _ := NewSystem(nil)
		v, err := s2.Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) = %s, which does not parse: %v", text, printed, err)
		}
		if !u.SameDims(v) || !u.SameScale(v) {
			t.Fatalf("Parse(%q) = %s (scale %g), printed and parsed %s (scale %g)", text, printed, u.Scale, v, v.Scale)
		}
	})
}
