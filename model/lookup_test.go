package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// TestInterpMatchesTable checks Interp against the interpreter's lookup
// on tables of 2 to 20 points, some with repeated x (a vertical step),
// at and between the points, outside them and at NaN: the same value to
// the last bit.
func TestInterpMatchesTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 2; n <= 20; n++ {
		for range 20 {
			tb := vm.Table{}
			x := rng.Float64()
			for range n {
				tb.Xs = append(tb.Xs, x)
				tb.Ys = append(tb.Ys, rng.NormFloat64())
				if rng.IntN(5) > 0 {
					x += rng.Float64()
				}
			}
			probes := []float64{math.Inf(-1), -1, math.Inf(1), 1e9, math.NaN()}
			for i, xi := range tb.Xs {
				probes = append(probes, xi, math.Nextafter(xi, -1e9), math.Nextafter(xi, 1e9))
				if i > 0 {
					probes = append(probes, (tb.Xs[i-1]+xi)/2)
				}
			}
			for range 50 {
				probes = append(probes, tb.Xs[0]-0.5+(x-tb.Xs[0]+1)*rng.Float64())
			}
			for _, p := range probes {
				got, want := Interp(tb.Xs, tb.Ys, p), tb.At(p)
				if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("%d points %v, %v: at %v Interp gives %v, the table %v", n, tb.Xs, tb.Ys, p, got, want)
				}
			}
		}
	}
}

func ExampleInterp() {
	xs, ys := []float64{0, 1, 2}, []float64{10, 20, 40}
	fmt.Println(Interp(xs, ys, -1), Interp(xs, ys, 0.5), Interp(xs, ys, 1.5), Interp(xs, ys, 3))
	// Output: 10 15 30 40
}
