package vensim_test

import (
	"math"
	"testing"
)

// TestRandomArgumentOnce checks that a RANDOM call given to a function
// the reader writes out as a chain of if_then_else, which reads its
// argument several times, is drawn once per step, as Vensim evaluates an
// argument: the results are values the function can take at some
// argument, which two draws (one choosing the branch, another computing
// in it) would not give.
func TestRandomArgumentOnce(t *testing.T) {
	const ctl = "INITIAL TIME = 0 ~~|\nFINAL TIME = 400 ~~|\nTIME STEP = 1 ~~|\n"
	for _, tc := range []struct {
		name, src string
		ok        func(x float64) bool
		want      string
	}{
		// The inverse of this CDF maps [0, 1] onto [0, 2]: inverse
		// transform sampling.
		{"LOOKUP INVERT", "cdf((0,0),(1,0.5),(2,1)) ~~|\nx = LOOKUP INVERT(cdf, RANDOM UNIFORM(0, 1, 0)) ~~|\n",
			func(x float64) bool { return x >= 0 && x <= 2 }, "in [0, 2]"},
		// The area under a tent of height 1 from 0 to x in [0, 2] is at
		// most 1 and at least 0.
		{"LOOKUP AREA", "tent((0,0),(1,1),(2,0)) ~~|\nx = LOOKUP AREA(tent, 0, RANDOM UNIFORM(0, 2, 0)) ~~|\n",
			func(x float64) bool { return x >= 0 && x <= 1 }, "in [0, 1]"},
		// The same tent as a vector, extrapolated: within [0, 1] on [0, 1].
		{"VECTOR LOOKUP", "R: (r1-r3) ~~|\nv[R] = 0, 1, 0 ~~|\nx = VECTOR LOOKUP(v[r1], RANDOM UNIFORM(0, 1, 0), 0, 1, 3) ~~|\n",
			func(x float64) bool { return x >= 0 && x <= 1 }, "in [0, 1]"},
		// Within 0.5 of spec 0 the stock is 0.
		{"SINTEG", "x = SINTEG(RANDOM UNIFORM(-1, 1, 0), 0, :NA:, :NA:, :NA:, 0, 0.5) ~~|\n",
			func(x float64) bool { return x == 0 || math.Abs(x) >= 0.5 }, "0 or at least 0.5 from 0"},
		// A triangular draw from a random start in [0, 1] to 2, peak 1.5.
		{"RANDOM TRIANGULAR", "x = RANDOM TRIANGULAR(-10, 10, RANDOM UNIFORM(0, 1, 0), 1.5, 2, 0) ~~|\n",
			func(x float64) bool { return x >= 0 && x <= 2 }, "in [0, 2]"},
		// With a depreciation time of one TIME STEP the payout is the
		// investment of the step, so a draw in [0, 1] (fisc TIME STEP).
		{"DEPRECIATE STRAIGHTLINE", "x = DEPRECIATE STRAIGHTLINE(RANDOM UNIFORM(0, 1, 0), 1, 1, 0.5) ~~|\n",
			func(x float64) bool { return x >= 0 && x <= 1 }, "in [0, 1]"},
		// cosh is at least 1, which (e^a + e^-b) / 2 of two draws is not.
		{"COSH", "x = COSH(RANDOM UNIFORM(-1, 1, 0)) ~~|\n",
			func(x float64) bool { return x >= 1 && x <= math.Cosh(1) }, "in [1, cosh(1)]"},
	} {
		xs := runMdl(t, tc.src+ctl, "x")
		if len(xs) == 0 {
			t.Fatalf("%s: no results", tc.name)
		}
		for i, x := range xs {
			if !tc.ok(x) {
				t.Errorf("%s: %v at step %d, want a value %s", tc.name, x, i, tc.want)
				break
			}
		}
	}
}
