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
	// A profile type stockflow does not implement, or a width of 0.
	for _, args := range [][]float64{{10, 100, 0, 5, 2, 0}, {10, 100, 5, 5, 2, 1}, {10, 100, 11, 5, 2, 0}, {10, 100, 1, 5, 0, 0}} {
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
