package large

import (
	"context"
	"math"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// TestByHandMatchesInterpreter checks the hand-written Go against the
// interpreter on the small model, every output at every save point, to
// 1e-12 relative.
func TestByHandMatchesInterpreter(t *testing.T) {
	for _, c := range []Config{Small, {Regions: 7, Sectors: 4, Stop: 60, DT: 0.125, SaveEvery: 0.5}} {
		m, err := model.Parse("small.toml", []byte(c.TOML()))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(m.Names()), c.Vars(); got != want {
			t.Errorf("%d variables, Vars says %d", got, want)
		}
		res, err := m.Run(context.Background(), model.RunOptions{Vars: c.Outputs()})
		if err != nil {
			t.Fatal(err)
		}
		var h Hand
		hand := h.Run(c)
		for j, name := range c.Outputs() {
			got := res.Series(name)
			if len(got) != len(hand[j]) {
				t.Fatalf("%s: %d values, by hand %d", name, len(got), len(hand[j]))
			}
			for i := range got {
				if math.Abs(got[i]-hand[j][i]) > 1e-12*math.Max(1, math.Abs(hand[j][i])) {
					t.Fatalf("%s at t=%g: interpreted %.17g, by hand %.17g", name, res.Times[i], got[i], hand[j][i])
				}
			}
		}
	}
}

// TestMDLMatchesTOML reads the .mdl with stockflow's Vensim reader and
// checks that it runs as the TOML does: a conformance check of the
// reader on arrays, SMOOTH, DELAY3 (builtin and written out), lookups,
// STEP and ZIDZ.
func TestMDLMatchesTOML(t *testing.T) {
	c := Small
	tm, err := model.Parse("small.toml", []byte(c.TOML()))
	if err != nil {
		t.Fatal(err)
	}
	vm, err := model.Parse("small.mdl", []byte(c.MDL()))
	if err != nil {
		t.Fatal(err)
	}
	opt := model.RunOptions{Vars: c.Outputs()}
	tr, err := tm.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	vr, err := vm.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range c.Outputs() {
		got, want := vr.Series(name), tr.Series(name)
		if len(got) != len(want) {
			t.Fatalf("%s: %d values from the .mdl, %d from the TOML", name, len(got), len(want))
		}
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
				t.Fatalf("%s at t=%g: .mdl %.17g, TOML %.17g", name, tr.Times[i], got[i], want[i])
			}
		}
	}
}
