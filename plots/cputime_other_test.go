//go:build !unix

package plots

import (
	"testing"
	"time"
)

// cpuTime returns 0: the processor time is only read on Unix.
func cpuTime(testing.TB) time.Duration { return 0 }
