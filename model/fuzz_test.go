package model

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"

	"github.com/stockflow/stockflow/internal/fuzzbound"
)

// FuzzParseRun feeds arbitrary model files through the whole pipeline:
// read, compile, and a short run. Nothing may panic, and every error
// position must lie inside the input. A run that records one variable
// computes it exactly as a run that records all of them: it takes
// another path through the code (only what the stocks' rates need at
// each evaluation, the rest at save points).
func FuzzParseRun(f *testing.F) {
	paths, _ := filepath.Glob("../examples/*/*.toml")
	for _, p := range paths {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{decay, logistic, ringModel(3, 5),
		"[aux.a]\neq = \"b +\"\n[flows.f]\neq = \"g\"\n",
		"[aux.a]\neq = \"smth3(a, 2) + delay(time, 1) + previous(a)\"\n",
		"[stocks.s]\ninitial = \"t\"\n[aux.t]\neq = \"s\"\n",
		"[sim]\nmethod = \"rk45\"\nstop = 3\n[stocks.s]\ninitial = 1\ninflows = [\"f\"]\n[flows.f]\neq = \"s * pulse(1, 1) / 0\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzbound.Check(t, func() {
			lines := 1
			for _, b := range src {
				if b == '\n' {
					lines++
				}
			}
			m, err := Parse("fuzz.toml", src)
			if err != nil {
				var list syntax.ErrorList
				if errors.As(err, &list) {
					for _, e := range list {
						if e.Pos.Line < 0 || e.Pos.Line > lines || (e.Pos.Line > 0 && e.Pos.Col < 1) {
							t.Fatalf("error outside the input: %v", e)
						}
					}
				}
				return
			}
			full, err := m.Run(context.Background(), RunOptions{MaxSteps: 2000, MaxValues: 1_000_000})
			if err != nil || len(full.Names) == 0 {
				return
			}
			name := full.Names[len(full.Names)/2]
			one, err := m.Run(context.Background(), RunOptions{MaxSteps: 2000, MaxValues: 1_000_000, Vars: []string{name}})
			if err != nil {
				t.Fatalf("recording only %s: %v; recording all of them ran", name, err)
			}
			want, got := full.Series(name), one.Series(name)
			if len(got) != len(want) {
				t.Fatalf("recording only %s: %d values, want %d", name, len(got), len(want))
			}
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
					t.Fatalf("recording only %s: %v at t=%v, recording all: %v", name, got[i], full.Times[i], want[i])
				}
			}
		})
	})
}
