package initgc

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestPercent checks the reading of GOGC against the runtime's documented
// rule (package runtime: "GOGC=off disables the garbage collector
// entirely", the default is GOGC=100).
func TestPercent(t *testing.T) {
	for _, c := range []struct {
		gogc string
		want int
	}{
		{"", 100},
		{"off", -1},
		{"100", 100},
		{"50", 50},
		{"400", 400},
		{"0", 0},
		{"-1", -1},
		{"OFF", 100}, // the runtime only knows "off"
		{"fifty", 100},
		{"50%", 100},
	} {
		if got := Percent(c.gogc); got != c.want {
			t.Errorf("Percent(%q) = %d, want %d", c.gogc, got, c.want)
		}
	}
}

// TestResume checks that the package's init turned the collector off and
// that Resume turns it back on as GOGC says. The test binary links no
// cmd/stockflow, so nothing has called Resume before this test.
func TestResume(t *testing.T) {
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("after init, the GC percentage is %d, want -1 (off)", p)
	}
	Resume()
	want := Percent(os.Getenv("GOGC"))
	if p := debug.SetGCPercent(want); p != want {
		t.Errorf("after Resume, the GC percentage is %d, want %d (GOGC=%q)", p, want, os.Getenv("GOGC"))
	}
}
