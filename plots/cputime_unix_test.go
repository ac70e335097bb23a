//go:build unix

package plots

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the processor time the process has used, user and
// system, on all its threads.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
