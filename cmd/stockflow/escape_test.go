package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscaper(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain name, tab\tand newline\n", "plain name, tab\tand newline\n"},
		{"a\x1b[31mred\x1b[0m", `a\x1b[31mred\x1b[0m`},
		{"over\rwrite\a\b\f\v\x00\x7f", `over\rwrite\a\b\f\v\x00\x7f`},
		{"c1 \u009b2J and \u0085", `c1 \u009b2J and \u0085`},
		{"not utf-8 \x9b2J", `not utf-8 \x9b2J`},
		{"αβγ → ∑ 人口", "αβγ → ∑ 人口"},
	} {
		// Whole, and a byte at a time (a character split across writes).
		for _, split := range []bool{false, true} {
			var b strings.Builder
			e := newEscaper(&b)
			if split {
				for i := range len(tc.in) {
					e.Write([]byte{tc.in[i]})
				}
			} else {
				e.Write([]byte(tc.in))
			}
			if got := b.String(); got != tc.want {
				t.Errorf("escape %q (split %v) = %q, want %q", tc.in, split, got, tc.want)
			}
		}
	}
}

// TestErrorsEscaped loads a Vensim file whose equation holds an escape
// sequence: the error quoting it must not send the sequence to the
// terminal.
func TestErrorsEscaped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.mdl")
	src := "{UTF-8}\n\"a\x1b[31mb\" = = 5\n\t~\t\n\t~\t|\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	if code := Main([]string{"check", path}, &stdout, &stderr); code != exitFail {
		t.Fatalf("check exited %d, want 1; stderr %q", code, stderr.String())
	}
	if msg := stderr.String(); strings.ContainsRune(msg, '\x1b') || !strings.Contains(msg, `"a\x1b:`) {
		t.Errorf("check printed %q: want the escape sequence escaped", msg)
	}
}

// BenchmarkEscaper writes a run's CSV line to a terminal: plain, as
// numbers are, and holding one character the escaper must look at (a
// name in Greek), which takes the escaping path.
func BenchmarkEscaper(b *testing.B) {
	line := []byte(strings.Repeat("0.123456789012345,", 200) + "\n")
	greek := append([]byte("α,"), line...)
	for _, c := range []struct {
		name string
		p    []byte
	}{{"plain", line}, {"escaping", greek}} {
		b.Run(c.name, func(b *testing.B) {
			e := newEscaper(io.Discard)
			b.SetBytes(int64(len(c.p)))
			b.ReportAllocs()
			for b.Loop() {
				e.Write(c.p)
			}
		})
	}
}
