// Package byhand holds the models of package synth written out as
// straight-line Go (synth.Config.Go): the baselines the engines are
// measured against. world.go and business.go are generated; this file
// holds what they share.
package byhand

// lookup interpolates the table xs, ys linearly at x, holding the end
// values outside it, as stockflow's and Vensim's lookups do: a linear scan
// for the segment, the tables being short.
func lookup(xs, ys []float64, x float64) float64 {
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

// ifElse is Vensim's IF THEN ELSE.
func ifElse(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}
