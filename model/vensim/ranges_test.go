package vensim

import (
	"math"
	"strings"
	"testing"
)

// TestUnitsRange checks that the [min,max,increment] of a units field
// becomes a param's min and max and a stock's, flow's or aux's range, and
// that a range that does not read, or that a param's value lies outside,
// is a warning and no range.
func TestUnitsRange(t *testing.T) {
	src := `growth rate = 0.05 ~ 1/Year [0, 0.2, 0.01] ~|
r: A, B ~~|
capacity[r] = 10, -20 ~ Widget [0,?] ~|
cap2[r] = 10, 20 ~ Widget [?,100] ~|
pop = INTEG(births, 100) ~ People [0,?] ~|
births = pop * growth rate ~ People/Year [0, 10] ~|
share = births / pop ~ Dmnl [?,?] ~|
bad = 3 ~ Dmnl [a, 4] ~|
upside = 3 ~ Dmnl [4, 1] ~|
INITIAL TIME = 0 ~~|
FINAL TIME = 10 ~~|
TIME STEP = 1 ~ Year [0,?] ~|
`
	m, err := Parse("m.mdl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	inf := math.Inf(1)
	for _, tc := range []struct {
		name, units string
		min, max    *float64
		rg          *[2]float64
	}{
		{"growth_rate", "1/Year", ptr(0), ptr(0.2), nil},
		{"capacity", "Widget", nil, nil, nil},
		{"cap2", "Widget", nil, ptr(100), nil},
		{"pop", "People", nil, nil, &[2]float64{0, inf}},
		{"births", "People/Year", nil, nil, &[2]float64{0, 10}},
		{"share", "Dmnl", nil, nil, nil},
		{"bad", "Dmnl", nil, nil, nil},
		{"upside", "Dmnl", nil, nil, nil},
	} {
		v := m.Var(tc.name)
		if v == nil {
			t.Errorf("%s: missing", tc.name)
			continue
		}
		if v.Units != tc.units || !samePtr(v.Min, tc.min) || !samePtr(v.Max, tc.max) || (v.Range == nil) != (tc.rg == nil) || v.Range != nil && *v.Range != *tc.rg {
			t.Errorf("%s: got units %q min %v max %v range %v, want %q %v %v %v", tc.name, v.Units, deref(v.Min), deref(v.Max), v.Range, tc.units, deref(tc.min), deref(tc.max), tc.rg)
		}
	}
	var got []string
	for _, w := range m.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"m.mdl:3:1: params.capacity: the value -20 lies outside the range of the units field [0,?]; the param gets no min and max",
		`m.mdl:8:1: params.bad: the range "[a, 4]" has "a" for its min, not a number or ?; the range is ignored`,
		`m.mdl:9:1: params.upside: the range "[4, 1]" has its min above its max; the range is ignored`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func ptr(f float64) *float64 { return &f }

func samePtr(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
