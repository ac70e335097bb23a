package model

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

// FuzzParseRun feeds arbitrary model files through the whole pipeline:
// read, compile, and a short run. Nothing may panic, and every error
// position must lie inside the input.
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
		m.Run(context.Background(), RunOptions{MaxSteps: 2000})
	})
}
