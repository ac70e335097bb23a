// Package fuzzbound bounds the time and memory the fuzz targets may spend
// on one input. A panic-free run is half of a fuzz target's contract; the
// other half is a run in bounded time and memory, since an input that
// takes minutes or gigabytes takes down the user's machine as surely as a
// crash. Check runs the target's body under a watchdog and fails the input
// that breaks a bound, so that the fuzzer keeps it as a crasher in
// testdata/fuzz.
package fuzzbound

import (
	"fmt"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// The bounds on one input. Inputs are small (the fuzzer's run to a few
// kilobytes), and the limits of the readers and of a run (docs/limits.md)
// bound what even a hostile one may ask for, so these are far above what
// any input needs and far below what would hurt a machine.
const (
	// Time bounds the wall time of one input. A watchdog ends the process
	// when it passes, since a goroutine stuck in a loop cannot be stopped:
	// the fuzzer reports the input, which then reproduces as an ordinary
	// test.
	Time = 20 * time.Second
	// Heap bounds the growth of the live heap during one input; the
	// watchdog checks it every few milliseconds.
	Heap = 1 << 30
	// Alloc bounds the bytes one input allocates in all, garbage
	// included: a measure of work that, unlike time, does not depend on
	// the load of the machine.
	Alloc = 4 << 30
)

// Bounds are the bounds of CheckWith.
type Bounds struct {
	Time  time.Duration
	Heap  uint64
	Alloc uint64
}

// Check calls body, which handles one fuzz input, and fails t if it takes
// longer than Time, grows the heap by more than Heap, or allocates more
// than Alloc bytes. Passing Time or Heap panics on the watchdog's
// goroutine, which ends the process: the input may otherwise never
// return, or exhaust the machine's memory before it does.
func Check(t testing.TB, body func()) {
	t.Helper()
	CheckWith(t, Bounds{Time: Time, Heap: Heap, Alloc: Alloc}, body)
}

// CheckWith is Check with other bounds.
func CheckWith(t testing.TB, b Bounds, body func()) {
	t.Helper()
	samples := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(samples)
	alloc0, heap0 := samples[0].Value.Uint64(), samples[1].Value.Uint64()
	start := time.Now()

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if el := time.Since(start); el > b.Time {
				panic(fmt.Sprintf("fuzzbound: the input took more than %v", b.Time))
			}
			metrics.Read(s)
			if h := s[0].Value.Uint64(); h > heap0 && h-heap0 > b.Heap {
				panic(fmt.Sprintf("fuzzbound: the input grew the heap by %d MB, more than %d MB", (h-heap0)>>20, b.Heap>>20))
			}
		}
	})
	returned := false
	defer func() {
		// Also when body fails the test (runtime.Goexit) or panics.
		close(done)
		wg.Wait()
		if !returned {
			return
		}
		metrics.Read(samples)
		if a := samples[0].Value.Uint64() - alloc0; a > b.Alloc {
			t.Fatalf("fuzzbound: the input allocated %d MB, more than %d MB", a>>20, b.Alloc>>20)
		}
	}()
	body()
	returned = true
}
