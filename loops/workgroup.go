package loops

import (
	"fmt"
	"sync"
)

// workGroup runs functions on goroutines of their own, like a
// sync.WaitGroup, and carries a panic in one of them back to the goroutine
// that waits: a panic on a goroutine nobody recovers ends the program with
// a stack dump, while one raised again in the caller reaches the caller's
// recover (the command line's guard turns it into a one-line message).
type workGroup struct {
	wg       sync.WaitGroup
	mu       sync.Mutex
	panic    any // the first panic, if any
	panicked bool
}

// Go calls f on a new goroutine.
func (w *workGroup) Go(f func()) {
	w.wg.Go(func() {
		defer func() {
			if r := recover(); r != nil {
				w.mu.Lock()
				if !w.panicked {
					w.panic, w.panicked = r, true
				}
				w.mu.Unlock()
			}
		}()
		f()
	})
}

// Wait waits for every function to return, then panics again with the
// first panic of one of them, if any.
func (w *workGroup) Wait() {
	w.wg.Wait()
	if w.panicked {
		panic(fmt.Sprintf("in a worker: %v", w.panic))
	}
}
