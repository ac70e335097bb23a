package vensim_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// runMdl loads and runs a .mdl model's text, returning the series of the
// named variable.
func runMdl(t *testing.T, src, name string) []float64 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.mdl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Series(name)
}

// TestStartArguments checks that the arguments Vensim takes once, at the
// start — a random function's seed, DELAY N's and SMOOTH N's order — may
// be expressions of constants: the run equals the one with the number
// written out.
func TestStartArguments(t *testing.T) {
	const ctl = "base seed = 7 ~~|\nstages = 2 ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 20 ~~|\nTIME STEP = 0.5 ~~|\n"
	for _, tc := range []struct{ name, expr, number string }{
		{"RANDOM UNIFORM seed", "RANDOM UNIFORM(0, 10, base seed * 2 + 1)", "RANDOM UNIFORM(0, 10, 15)"},
		{"RANDOM NORMAL seed", "RANDOM NORMAL(-5, 5, 0, 1, base seed + INITIAL TIME)", "RANDOM NORMAL(-5, 5, 0, 1, 7)"},
		{"DELAY N order", "DELAY N(STEP(10, 1), 4, 0, stages * 2)", "DELAY N(STEP(10, 1), 4, 0, 4)"},
		{"SMOOTH N order", "SMOOTH N(STEP(10, 1), 4, 0, stages + 1)", "SMOOTH N(STEP(10, 1), 4, 0, 3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runMdl(t, "x = "+tc.expr+" ~~|\n"+ctl, "x")
			want := runMdl(t, "x = "+tc.number+" ~~|\n"+ctl, "x")
			if len(got) != len(want) || len(got) == 0 {
				t.Fatalf("got %d values, want %d", len(got), len(want))
			}
			varies := false
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("at step %d: got %v, want %v", i, got[i], want[i])
				}
				varies = varies || got[i] != got[0]
			}
			if !varies {
				t.Errorf("the series is constant (%v): the test would not see a wrong argument", got[0])
			}
		})
	}
}

// TestBuiltinMacroShadowed checks that a model's own macro named NPV is
// used instead of the reader's NPV.
func TestBuiltinMacroShadowed(t *testing.T) {
	src := ":MACRO: NPV(a, b, c, d)\nNPV = a * 2 ~~|\n:END OF MACRO:\nx = NPV(3, 0.1, 0, 1) ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
	got := runMdl(t, src, "x")
	if len(got) != 2 || got[0] != 6 || got[1] != 6 {
		t.Errorf("got %v, want [6 6] (the model's macro)", got)
	}
}
