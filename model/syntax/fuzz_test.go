package syntax

import (
	"errors"
	"testing"

	"github.com/stockflow/stockflow/internal/fuzzbound"
)

func FuzzParse(f *testing.F) {
	for _, tt := range shapeTests {
		f.Add(tt.src)
	}
	for _, tt := range errorTests {
		f.Add(tt.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fuzzbound.Check(t, func() {
			x, err := Parse(src)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("Parse(%q): error %T, want *ParseError", src, err)
				}
				if pe.Offset < 0 || pe.Offset > len(src) {
					t.Fatalf("Parse(%q): error offset %d outside [0, %d]: %s", src, pe.Offset, len(src), pe.Msg)
				}
				if pe.Msg == "" {
					t.Fatalf("Parse(%q): empty error message", src)
				}
				return
			}
			if x == nil {
				t.Fatalf("Parse(%q) = nil, nil", src)
			}
			Walk(x, func(n Expr) bool {
				if s, e := n.Start(), n.End(); s < 0 || s > e || e > len(src) {
					t.Fatalf("Parse(%q): %T %q spans [%d, %d), outside [0, %d]", src, n, Print(n), s, e, len(src))
				}
				return true
			})
			checkRoundTrip(t, src)
		})
	})
}
