package loops

import (
	"strings"
	"testing"
)

// TestWorkersPanic checks a panic on a worker goroutine comes back in the
// goroutine that waits, where a recover can catch it.
func TestWorkersPanic(t *testing.T) {
	got := func() (r any) {
		defer func() { r = recover() }()
		var w workGroup
		for k := range 4 {
			w.Go(func() {
				if k == 2 {
					panic("boom")
				}
			})
		}
		w.Wait()
		return nil
	}()
	if s, ok := got.(string); !ok || !strings.Contains(s, "boom") {
		t.Errorf("recovered %v, want the worker's panic", got)
	}
}
