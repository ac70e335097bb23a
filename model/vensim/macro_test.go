package vensim

import "testing"

// TestMacroParamUnits checks that a macro's equation whose units name
// one of its parameters (Vensim's units of the argument) is copied
// without them, keeping its range, while units that name no parameter
// are copied as they are.
func TestMacroParamUnits(t *testing.T) {
	src := `:MACRO: SMOOTHED(input, delay)
SMOOTHED = INTEG(change, input) ~ input ~ |
change = (input - SMOOTHED) / delay ~ input/delay [0,?] ~ |
count = 1 ~ Widget ~ |
:END OF MACRO:
demand = 10 ~ Widget/Week ~ |
avg = SMOOTHED(demand, 2) ~ Widget/Week ~ |
FINAL TIME = 1 ~~|
INITIAL TIME = 0 ~~|
TIME STEP = 1 ~~|
`
	m, err := Parse("m.mdl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"SMOOTHED_1": "", "SMOOTHED_1_change": "", "SMOOTHED_1_count": "Widget", "avg": "Widget/Week"}
	for _, v := range m.Vars {
		if w, ok := want[v.Name]; ok {
			if v.Units != w {
				t.Errorf("%s: units %q, want %q", v.Name, v.Units, w)
			}
			delete(want, v.Name)
		}
		if v.Name == "SMOOTHED_1_change" && (v.Range == nil || v.Range[0] != 0) {
			t.Errorf("%s: range %v, want [0, +Inf] from [0,?]", v.Name, v.Range)
		}
	}
	for n := range want {
		t.Errorf("no variable %s", n)
	}
}
