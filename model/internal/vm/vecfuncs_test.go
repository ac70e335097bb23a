package vm

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// callAll lays out a record of fn over the values args (each in a slot of
// its own) as the compiler does, calls it for every result, and returns
// the results and the number of allocations one call for each made.
func callAll(t *testing.T, fn Func, args []float64) ([]float64, float64) {
	t.Helper()
	results, scratch, cached, ok := FuncSizes(fn, len(args))
	if !ok {
		t.Fatalf("FuncSizes(%d, %d) refuses the layout", fn, len(args))
	}
	v := append([]float64{0}, args...) // slot 0: k
	b := int32(len(v))
	v = append(v, float64(fn), float64(len(args)), float64(results), 0, float64(scratch))
	for i := range args {
		v = append(v, float64(1+i))
	}
	if cached {
		v[b+RecCache] = float64(len(v))
		v = append(v, make([]float64, 1+len(args)+results+scratch)...)
	}
	out := make([]float64, max(results, 1))
	allocs := testing.AllocsPerRun(3, func() {
		for k := range out {
			out[k] = CallFunc(v, b, float64(k))
		}
	})
	return out, allocs
}

// TestAllocateAvailable checks ALLOCATE AVAILABLE for each profile type:
// the allocations add up to what is available, none exceeds its request,
// the higher priority gets the larger share while supply is short,
// every request is met when
// there is enough, and no call allocates.
func TestAllocateAvailable(t *testing.T) {
	for typ := 1.0; typ <= 4; typ++ {
		for _, avail := range []float64{0, 1, 37.5, 120, 299, 500} {
			// Three requesters: priorities 6, 5 and 5, widths 2, 1 and 3.
			args := []float64{avail, 100, typ, 6, 2, 0, 150, typ, 5, 1, 0, 50, typ, 5, 3, 0}
			got, allocs := callAll(t, FuncAllocAvail, args)
			if allocs != 0 {
				t.Errorf("type %g: %v allocations", typ, allocs)
			}
			sum := 0.0
			for i, x := range got {
				sum += x
				if x < 0 || x > args[1+5*i] {
					t.Errorf("type %g, avail %g: requester %d gets %g of %g", typ, avail, i, x, args[1+5*i])
				}
			}
			if want := math.Min(avail, 300); math.Abs(sum-want) > 1e-9*want {
				t.Errorf("type %g, avail %g: allocations %v add up to %g, want %g", typ, avail, got, sum, want)
			}
			if avail > 0 && avail <= 120 && got[0]/100 <= got[1]/150 {
				t.Errorf("type %g, avail %g: the higher priority gets the smaller share: %v", typ, avail, got)
			}
		}
	}
	// Rectangular profiles one width apart, by hand: between x = 4 and
	// 5 both get shares, 100·(6 − x)/2 and 100·(5 − x)/2.
	got, _ := callAll(t, FuncAllocAvail, []float64{100, 100, 1, 5, 2, 0, 100, 1, 4, 2, 0})
	if math.Abs(got[0]-75) > 1e-12 || math.Abs(got[1]-25) > 1e-12 {
		t.Errorf("rectangular: got %v, want [75 25]", got)
	}
	// Fixed profiles (type 0) share in proportion to the requests, as
	// Vensim gives in SDEverywhere's allocate_ptype: 200 and 300 of 100
	// get 40 and 60; a width of 0 does not matter.
	got, _ = callAll(t, FuncAllocAvail, []float64{100, 200, 0, 0.1, 0, 0, 300, 0, 0.9, 0.5, 0})
	if math.Abs(got[0]-40) > 1e-12 || math.Abs(got[1]-60) > 1e-12 {
		t.Errorf("fixed: got %v, want [40 60]", got)
	}
	// A profile type stockflow does not implement, a width of 0, or a
	// fixed profile beside one that is not.
	for _, args := range [][]float64{{10, 100, 5, 5, 2, 1}, {10, 100, 11, 5, 2, 0}, {10, 100, 1, 5, 0, 0}, {10, 100, 0, 5, 2, 0, 100, 1, 5, 2, 0}} {
		if got, _ := callAll(t, FuncAllocAvail, args); !math.IsNaN(got[0]) {
			t.Errorf("%v: got %v, want NaN", args, got)
		}
	}
}

// TestAllocateByPriority checks ALLOCATE BY PRIORITY against a case by
// hand: priorities 10, 9 and 5 with width 2 and requests 4, 6 and 2.
// The first alone gets supply until it has (10 − 9)/2 of its request;
// then both share in proportion to their requests; the third, 4 widths
// below, gets nothing until the second is full.
func TestAllocateByPriority(t *testing.T) {
	for _, c := range []struct {
		supply float64
		want   []float64
	}{
		{1, []float64{1, 0, 0}},
		{2, []float64{2, 0, 0}},
		{7, []float64{2 + 5*0.4, 5 * 0.6, 0}},
		{11, []float64{4, 6, 1}},
		{20, []float64{4, 6, 2}},
	} {
		got, allocs := callAll(t, FuncAllocPriority, []float64{2, c.supply, 4, 10, 6, 9, 2, 5})
		if allocs != 0 {
			t.Errorf("%v allocations", allocs)
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("supply %g: got %v, want %v", c.supply, got, c.want)
				break
			}
		}
	}
}

// TestInvert checks INVERT MATRIX against gonum's inverse, and that a
// singular matrix gives NaN.
func TestInvert(t *testing.T) {
	a := []float64{4, 7, 2, 0, 1, 3, 5, 2, 1, 0, 8, 1, 2, 2, 0, 6}
	got, allocs := callAll(t, FuncInvert, a)
	if allocs != 0 {
		t.Errorf("%v allocations", allocs)
	}
	var inv mat.Dense
	if err := inv.Inverse(mat.NewDense(4, 4, a)); err != nil {
		t.Fatal(err)
	}
	for k, x := range got {
		if w := inv.At(k/4, k%4); math.Abs(x-w) > 1e-12*(1+math.Abs(w)) {
			t.Errorf("entry %d: got %g, gonum %g", k, x, w)
		}
	}
	got, _ = callAll(t, FuncInvert, []float64{1, 2, 2, 4})
	for _, x := range got {
		if !math.IsNaN(x) {
			t.Errorf("singular: got %v, want NaN", got)
			break
		}
	}
}

// TestRankOrder checks VECTOR RANK and VECTOR SORT ORDER with ties, both
// ways.
func TestRankOrder(t *testing.T) {
	xs := []float64{30, 10, 40, 10}
	for _, c := range []struct {
		fn   Func
		dir  float64
		want []float64
	}{
		{FuncRank, 1, []float64{3, 1, 4, 2}},
		{FuncRank, 0, []float64{2, 3, 1, 4}},
		{FuncSortOrder, 1, []float64{1, 3, 0, 2}},
		{FuncSortOrder, 0, []float64{2, 0, 1, 3}},
	} {
		got, allocs := callAll(t, c.fn, append([]float64{c.dir}, xs...))
		if allocs != 0 {
			t.Errorf("%v allocations", allocs)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("func %d direction %g: got %v, want %v", c.fn, c.dir, got, c.want)
				break
			}
		}
	}
}

// TestNormalAbove checks Vensim's normal tail against the exact one
// (math.Erfc): within the 1e-5 that Abramowitz and Stegun give for
// formula 26.2.16 (1.15e-5 at most, near z = 0.53), and equal to the values Vensim printed in
// SDEverywhere's allocate_normal_width model to their six digits.
func TestNormalAbove(t *testing.T) {
	for z := -8.0; z <= 8; z += 0.01 {
		exact := 0.5 * math.Erfc(z/math.Sqrt2)
		if got := normalAbove(z); math.Abs(got-exact) > 1.2e-5 {
			t.Errorf("z = %g: got %g, exact %g", z, got, exact)
		}
	}
	for _, c := range []struct{ z, want float64 }{
		{0.6, 0.274264}, {-0.5, 0.691451}, {2.8, 0.00256221}, {7.0 / 3, 0.00982624},
	} {
		if got := normalAbove(c.z); math.Abs(got-c.want) > 5e-6*c.want {
			t.Errorf("z = %g: got %.6g, Vensim %g", c.z, got, c.want)
		}
	}
}

// TestAtPrice checks DEMAND AT PRICE and SUPPLY AT PRICE by hand: a
// rectangular profile of priority 5 and width 2 wants all of 100 below
// 4, half at 5, none above 6, and offers the rest; a fixed one wants or
// offers 100 at any price; a normal one of width 0 is read with the
// least standard deviation, 0.05, so that at 5.05 it is 1 standard
// deviation above its priority, as one of width 1 is at 6.
func TestAtPrice(t *testing.T) {
	for _, c := range []struct {
		typ, width, price, demand, supply float64
	}{
		{1, 2, 3, 100, 0},
		{1, 2, 4.5, 75, 25},
		{1, 2, 5, 50, 50},
		{1, 2, 7, 0, 100},
		{0, 0, 1e6, 100, 100},
		{3, 0, 5, 100 * normalAbove(0), 100 - 100*normalAbove(0)},
		{3, 0, 5.05, 100 * normalAbove(1), 100 - 100*normalAbove(1)},
		{3, 0.01, 5.05, 100 * normalAbove(1), 100 - 100*normalAbove(1)},
		{3, 1, 6, 100 * normalAbove(1), 100 - 100*normalAbove(1)},
	} {
		for _, fn := range []Func{FuncDemandAtPrice, FuncSupplyAtPrice} {
			want := c.demand
			if fn == FuncSupplyAtPrice {
				want = c.supply
			}
			got, allocs := callAll(t, fn, []float64{100, c.typ, 5, c.width, c.price})
			if math.Abs(got[0]-want) > 1e-9 {
				t.Errorf("func %d, type %g, width %g, price %g: got %g, want %g", fn, c.typ, c.width, c.price, got[0], want)
			}
			if allocs != 0 {
				t.Errorf("%v allocations", allocs)
			}
		}
	}
	for _, args := range [][]float64{{100, 5, 5, 1, 5}, {100, 1, 5, 0, 5}, {100, 2, 5, -1, 5}} {
		if got, _ := callAll(t, FuncDemandAtPrice, args); !math.IsNaN(got[0]) {
			t.Errorf("%v: got %g, want NaN", args, got[0])
		}
	}
}

// TestMarketPrice checks FIND MARKET PRICE by hand. A demander of q
// with a rectangular profile (priority 5, width 2) wants q·(6 − x)/2 at
// price x in [4, 6]; a supplier of 100 (priority 4, width 2) offers
// 100·(x − 3)/2 in [3, 5]. The price is sought between 3 and 6, the
// lowest priority less half a width and the highest plus half a width.
func TestMarketPrice(t *testing.T) {
	rect := func(q float64) []float64 { return []float64{1, q, 1, 5, 2, 0, 100, 1, 4, 2, 0} }
	for _, c := range []struct {
		args []float64
		want float64
	}{
		{rect(0), 3},     // no demand: the lowest price
		{rect(50), 4},    // 50 = 100·(x − 3)/2
		{rect(100), 4.5}, // 100·(6 − x)/2 = 100·(x − 3)/2
		{rect(200), 5},   // 200·(6 − x)/2 = 100
		{rect(250), 5.2}, // 250·(6 − x)/2 = 100, the supply full
		// A fixed demand of 60 against the supplier: 60 = 100·(x − 3)/2.
		{[]float64{1, 60, 0, 0, 0, 0, 100, 1, 4, 2, 0}, 4.2},
		// A fixed demand above all supply: the highest price.
		{[]float64{1, 120, 0, 0, 0, 0, 100, 1, 4, 2, 0}, 5},
		// Normal profiles of width 0 (read as 0.05) mirror each other
		// about 10: the price is 10 however much is traded.
		{[]float64{1, 7, 3, 10, 0, 0, 7, 3, 10, 0, 0}, 10},
		// The bounds of a normal profile are 5 standard deviations, of
		// an exponential one 10 widths: with no demand, 10 − 5 and
		// 10 − 20.
		{[]float64{1, 0, 3, 10, 1, 0, 5, 3, 10, 1, 0}, 5},
		{[]float64{1, 0, 4, 10, 2, 0, 5, 4, 10, 2, 0}, -10},
	} {
		got, allocs := callAll(t, FuncMarketPrice, c.args)
		if math.Abs(got[0]-c.want) > 1e-9 {
			t.Errorf("%v: got %.12g, want %g", c.args, got[0], c.want)
		}
		if allocs != 0 {
			t.Errorf("%v allocations", allocs)
		}
	}
	// No price clears a market of fixed profiles; a count of demanders
	// that is not one; a profile type not implemented.
	for _, args := range [][]float64{
		{1, 60, 0, 0, 0, 0, 100, 0, 4, 2, 0},
		{3, 60, 1, 5, 2, 0, 100, 1, 4, 2, 0},
		{0.5, 60, 1, 5, 2, 0, 100, 1, 4, 2, 0},
		{1, 60, 5, 5, 2, 0.5, 100, 1, 4, 2, 0},
	} {
		if got, _ := callAll(t, FuncMarketPrice, args); !math.IsNaN(got[0]) {
			t.Errorf("%v: got %g, want NaN", args, got[0])
		}
	}
}
