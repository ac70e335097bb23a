package model

import (
	"math"
	"slices"
)

// instr is one three-address instruction: v[dst] = op(v[a], v[b], v[c]).
type instr struct {
	op      opcode
	dst     int32
	a, b, c int32
}

// Fixed slots, at the start of every slot array.
const (
	slotTime  = iota // the time of the current evaluation
	slotTStep        // the time at the start of the current step
	slotDT
	slotStart
	slotStop
	numFixedSlots
)

// table is a compiled lookup, or a data variable's series: points on
// flat arrays.
type table struct {
	xs, ys      []float64
	extrapolate bool
	mode        interp
}

// interp is how a table is read between its points.
type interp uint8

const (
	interpLinear interp = iota // along the line between the points
	interpHold                 // the last point at or before x
	interpNone                 // only at the points; NaN between them
)

// at returns the table's value at x by linear interpolation, finding
// the segment by a linear scan in short tables and by binary search in
// long ones; a data variable's table may instead hold or not interpolate.
func (t *table) at(x float64) float64 {
	xs, ys := t.xs, t.ys
	n := len(xs)
	if math.IsNaN(x) {
		return math.NaN()
	}
	if t.mode != interpLinear {
		return t.step(x)
	}
	if x <= xs[0] {
		if t.extrapolate && x < xs[0] {
			return ys[0] + (x-xs[0])*(ys[1]-ys[0])/(xs[1]-xs[0])
		}
		return ys[0]
	}
	if x >= xs[n-1] {
		if t.extrapolate && x > xs[n-1] {
			return ys[n-1] + (x-xs[n-1])*(ys[n-1]-ys[n-2])/(xs[n-1]-xs[n-2])
		}
		return ys[n-1]
	}
	if n <= 16 {
		// A short table: a linear scan for the last point at or below x,
		// which mispredicts one branch where a binary search would
		// mispredict about half of its. Both find the same segment.
		lo := 0
		for xs[lo+1] <= x {
			lo++
		}
		return ys[lo] + (x-xs[lo])*(ys[lo+1]-ys[lo])/(xs[lo+1]-xs[lo])
	}
	lo, hi := 0, n-1 // xs[lo] < x < xs[hi]
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if xs[mid] <= x {
			lo = mid
		} else {
			hi = mid
		}
	}
	return ys[lo] + (x-xs[lo])*(ys[hi]-ys[lo])/(xs[hi]-xs[lo])
}

// pick is the equation language's "if a then b else c".
func pick(a, b, c float64) float64 {
	if a != 0 {
		return b
	}
	return c
}

// Bool returns 1 for true and 0 for false: the value of a comparison or a
// logical operator in an equation.
func Bool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Min returns the smaller of a and b as the equation language's min does:
// NaN if either is NaN. Unlike math.Min it does not order -0 before +0,
// which lets it inline.
func Min(a, b float64) float64 {
	switch {
	case a < b:
		return a
	case b <= a:
		return b
	}
	return math.NaN()
}

// Max returns the larger of a and b as the equation language's max does:
// NaN if either is NaN.
func Max(a, b float64) float64 {
	switch {
	case a > b:
		return a
	case b >= a:
		return b
	}
	return math.NaN()
}

// The functions below are the equation language's operations that take
// more than an operator. The interpreter and the Go that stockflow gen
// writes share them, so that both compute exactly the same.

// Mod is the equation language's "a mod b": the remainder of a/b with the
// sign of b (floored), as XMILE defines MOD.
func Mod(a, b float64) float64 { return a - b*math.Floor(a/b) }

// SafeDiv returns a/b, or alt when b is 0: safediv, xidz and zidz.
func SafeDiv(a, b, alt float64) float64 {
	if b == 0 {
		return alt
	}
	return a / b
}

// Step is step(height, start) at step time t: 0 before start, height from
// then on (start is matched to within a billionth of dt).
func Step(height, start, t, dt float64) float64 {
	if t >= start-1e-9*dt {
		return height
	}
	return 0
}

// Ramp is ramp(slope, start, end) at time t: 0 until start, then rising
// with slope until end.
func Ramp(slope, start, end, t float64) float64 {
	if t <= start {
		return 0
	}
	return slope * (math.Min(t, end) - start)
}

// Pulse is XMILE's PULSE at step time t: magnitude/dt during the one step
// that starts at first (and at first + k*interval when interval > 0).
func Pulse(magnitude, first, interval, t, dt float64) float64 {
	eps := 1e-9 * dt
	if t < first-eps {
		return 0
	}
	since := t - first
	if interval > 0 {
		since -= interval * math.Floor((since+eps)/interval)
	} else if since >= dt-eps {
		return 0
	}
	if since < dt-eps {
		return magnitude / dt
	}
	return 0
}

// poissonInv returns the smallest k with P(X ≤ k) ≥ u for X ~ Poisson(mean).
func poissonInv(mean, u float64) float64 {
	if !(mean > 0) {
		return 0
	}
	if mean > 500 { // normal approximation with continuity correction
		z := math.Sqrt2 * math.Erfinv(2*u-1)
		return math.Max(0, math.Floor(mean+z*math.Sqrt(mean)+0.5))
	}
	p := math.Exp(-mean)
	cdf := p
	k := 0.0
	for cdf < u && k < 10000 {
		k++
		p *= mean / k
		cdf += p
	}
	return k
}

// step returns the value at x of a table read without interpolation:
// held from the last point at or before x (ys[0] before the first), or,
// for interpNone, the value of a point at x and NaN elsewhere. Times are
// matched within a relative 1e-9, so that a time reached by adding dt
// steps still finds its point.
func (t *table) step(x float64) float64 {
	xs, ys := t.xs, t.ys
	tol := 1e-9 * max(1, math.Abs(x))
	i, _ := slices.BinarySearch(xs, x+tol) // the first point after x (with tolerance)
	if t.mode == interpNone {
		if i > 0 && math.Abs(xs[i-1]-x) <= tol {
			return ys[i-1]
		}
		return math.NaN()
	}
	if i == 0 {
		return ys[0]
	}
	return ys[i-1]
}
