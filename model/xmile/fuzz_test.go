package xmile_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/xmile"

	"github.com/stockflow/stockflow/internal/fuzzbound"
)

// FuzzParse checks that the reader never panics and that every error and
// warning it reports lies inside the input.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/test-models/*/*/*.xmile")
	features, _ := filepath.Glob("testdata/features/*/*.xmile")
	seeds = append(seeds, features...)
	for _, s := range seeds {
		if src, err := os.ReadFile(s); err == nil && len(src) < 20000 {
			f.Add(src)
		}
	}
	for _, s := range badCases {
		f.Add([]byte(s.src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzbound.Check(t, func() {
			m, err := xmile.Parse("f.xmile", src)
			check := func(e *syntax.Error) {
				if !inside(src, e.Pos) {
					t.Fatalf("position %v outside the input (%d lines): %v", e.Pos, lines(src), e)
				}
			}
			if err != nil {
				var list syntax.ErrorList
				if !errors.As(err, &list) {
					t.Fatalf("error of type %T: %v", err, err)
				}
				for _, e := range list {
					check(e)
				}
				return
			}
			for _, w := range m.Warnings {
				check(w)
			}
		})
	})
}

// inside reports whether p names a line of src and a column of that line
// (or just past its end).
func inside(src []byte, p syntax.Pos) bool {
	if p.File != "f.xmile" || p.Line < 1 || p.Col < 1 {
		return false
	}
	line, col := 1, 1
	for i := 0; i <= len(src); i++ {
		if line == p.Line && col == p.Col {
			return true
		}
		if i == len(src) {
			break
		}
		switch src[i] {
		case '\n':
			line, col = line+1, 1
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				col++
				continue
			}
			line, col = line+1, 1
		default:
			col++
		}
	}
	return false
}

func lines(src []byte) int {
	n := 1
	for i, c := range src {
		if c == '\n' || c == '\r' && (i+1 >= len(src) || src[i+1] != '\n') {
			n++
		}
	}
	return n
}
