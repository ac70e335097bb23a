package model

import (
	"strings"
	"testing"
)

// TestLookupOfConstants checks that a lookup of a number is folded when
// the model compiles and a lookup of a param computed once a run, at the
// end of the init code: the flow code has no lookup left, and the values
// are the table's, also when a run sets the param.
func TestLookupOfConstants(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 2
[params]
p = 0.5
[lookups.effect]
points = [[0, 1], [1, 3], [2, 4]]
[aux.a]
eq = "effect(1.5)"
[aux.b]
eq = "effect(p) * time"
[aux.c]
eq = "effect(time)"
`)
	var dis strings.Builder
	if err := m.Disassemble(&dis); err != nil {
		t.Fatal(err)
	}
	init, flow, _ := strings.Cut(dis.String(), "flow:")
	// "lookup " is an instruction, or a part of a superinstruction
	// ("mul+lookup", whose parts follow).
	if got := strings.Count(flow, "lookup "); got != 2 {
		t.Errorf("the flow code has %d lookups, want 2 (c's, in the vector and the scalar code):\n%s", got, dis.String())
	}
	if got := strings.Count(init, "lookup "); got != 3 {
		t.Errorf("the init code has %d lookups, want 3 (b's initial value, c's, and b's hoisted for the flow code):\n%s", got, dis.String())
	}
	for _, c := range []struct {
		set  map[string]float64
		want float64 // b at time 1
	}{{nil, 2}, {map[string]float64{"p": 1.5}, 3.5}} {
		res := mustRun(t, m, RunOptions{Set: c.set})
		if got := res.Series("a")[1]; got != 3.5 {
			t.Errorf("a = %v, want 3.5", got)
		}
		if got := res.Series("b")[1]; got != c.want {
			t.Errorf("with %v: b at time 1 = %v, want %v", c.set, got, c.want)
		}
		if got := res.Series("c")[1]; got != 3 {
			t.Errorf("c at time 1 = %v, want 3", got)
		}
	}
}
