package fuzzbound

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that records a failure instead of stopping.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
}

var sink [][]byte

// TestAlloc checks an input that allocates more than the bound fails and
// one within it passes.
func TestAlloc(t *testing.T) {
	b := Bounds{Time: time.Minute, Heap: 1 << 40, Alloc: 8 << 20}
	alloc := func(n int) func() {
		return func() {
			sink = nil
			for range n {
				sink = append(sink, make([]byte, 1<<20))
			}
			sink = nil
		}
	}
	r := &recorder{TB: t}
	CheckWith(r, b, alloc(1))
	if r.failed != "" {
		t.Errorf("1 MB: %s", r.failed)
	}
	CheckWith(r, b, alloc(32))
	if !strings.HasPrefix(r.failed, "fuzzbound: the input allocated 3") || !strings.HasSuffix(r.failed, " MB, more than 8 MB") {
		t.Errorf("32 MB: %q, want the bound's failure", r.failed)
	}
}
