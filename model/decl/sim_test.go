package decl

import (
	"fmt"
	"testing"
)

func ExampleEndsEarly() {
	fmt.Println(EndsEarly(0, 10, 3, 3))
	fmt.Printf("%q\n", EndsEarly(0, 9, 3, 3))
	// Output:
	// stop (10) is not start (0) plus a whole number of dt (3): the run ends at 9, not at stop
	// ""
}

func ExampleCheckTimeResolution() {
	fmt.Println(CheckTimeResolution(1e17, 1e17+1e4, 1))
	fmt.Printf("%q\n", CheckTimeResolution(2020, 2100, 0.25))
	// Output:
	// dt (1) is below the resolution of time near 1.0000000000001e+17, where float64 numbers are 16 apart: the run's times would not be exact; use a dt of at least 16000 or count time from a nearer origin (a smaller start)
	// ""
}

// TestCheckTimeResolution checks the bound: dt at MinTimeSpacing times
// the spacing of float64 near the largest time passes, just below fails.
func TestCheckTimeResolution(t *testing.T) {
	for _, c := range []struct {
		start, stop, dt float64
		ok              bool
	}{
		{1e17, 2e17, 16000 * 2, true}, // spacing 32 near 2e17 (2^57 ≤ 2e17 < 2^58)
		{1e17, 2e17, 31999, false},
		{-1e17, 0, 16000, true}, // the magnitude counts, not the sign
		{-1e17, 0, 15999, false},
		{0, 1, 1e-12, true},
		{1e9, 1e9 + 1, 1e-3, true}, // milliseconds in Unix seconds
	} {
		if got := CheckTimeResolution(c.start, c.stop, c.dt) == ""; got != c.ok {
			t.Errorf("start %g, stop %g, dt %g: ok %v, want %v", c.start, c.stop, c.dt, got, c.ok)
		}
	}
}
