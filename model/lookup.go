package model

// Interp returns the value at x of a lookup whose points are xs and ys
// (at least two, xs ascending): linear between the points, the end
// values beyond them, NaN for NaN — what a lookup read linearly without
// extrapolation gives, to the last bit. It finds the segment by a linear
// scan, and is small enough for the compiler to inline: the Go that
// stockflow gen writes calls it for each lookup of up to 16 points, so
// that each lookup gets its own copy of the scan, whose branches the
// processor then predicts well from one step to the next.
func Interp(xs, ys []float64, x float64) float64 {
	n := len(xs)
	if x <= xs[0] {
		return ys[0]
	}
	if x >= xs[n-1] {
		return ys[n-1]
	}
	lo := 0
	for xs[lo+1] <= x {
		lo++
	}
	return ys[lo] + (x-xs[lo])*(ys[lo+1]-ys[lo])/(xs[lo+1]-xs[lo])
}
