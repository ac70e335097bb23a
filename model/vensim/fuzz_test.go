package vensim_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/vensim"

	"github.com/stockflow/stockflow/internal/fuzzbound"
)

// FuzzParse checks that no input makes Parse panic, and that every error
// lies inside the input.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(suite, "tests", "*", "*.mdl"))
	for i, p := range files {
		if i%3 != 0 {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("x = 1 ~~|"))
	f.Add([]byte(":MACRO: M(a)\nM = a*2 ~~|\n:END OF MACRO:\ny = M(3) ~~|"))
	// The functions the reader writes out at load, with random arguments.
	f.Add([]byte("t((0,0),(1,0.5),(2,1)) ~~|\nR: (r1-r3) ~~|\nv[R] = 0, 1, 0 ~~|\n" +
		"a = LOOKUP INVERT(t, RANDOM UNIFORM(0, 1, 0)) + LOOKUP AREA(t, 0, 1.5) + LOOKUP SLOPE(t, 1, 0) ~~|\n" +
		"b = VECTOR LOOKUP(v[r1], RANDOM UNIFORM(0, 1, 0), 0, 1, 3) ~~|\n" +
		"c = SINTEG(RANDOM NORMAL(-1, 1, 0, 1, 0), 0, 0, 10, 1, 5, 0.5) ~~|\n" +
		"d = DEPRECIATE STRAIGHTLINE(RANDOM POISSON(0, 9, 3, 0, 1, 0), 1, 1, 0) + RANDOM TRIANGULAR(0, 3, 0, 1, 2, 0) ~~|\n" +
		"TIME STEP = 1 ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 3 ~~|\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzbound.Check(t, func() {
			_, err := vensim.Parse("f.mdl", src)
			var list syntax.ErrorList
			if err != nil && errors.As(err, &list) {
				lines := 1
				for _, c := range src {
					if c == '\n' || c == '\r' {
						lines++
					}
				}
				for _, e := range list {
					if e.Pos.Line < 1 || e.Pos.Line > lines {
						t.Fatalf("error outside the input (%d lines): %v", lines, e)
					}
				}
			}
		})
	})
}
