package vensim_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// TestVectorsLong runs the vector functions over a range of 200 elements,
// past the sizes the reader once wrote out as text, and checks each
// result against a sort done here: VECTOR RANK and VECTOR SORT ORDER
// both ways, VECTOR REORDER by the sort order, VECTOR ELM MAP with an
// offset, and VECTOR SELECT of every third element, its action computed
// during the run.
func TestVectorsLong(t *testing.T) {
	const n = 200
	var vals []string
	xs := make([]float64, n)
	for i := range n {
		// Values with ties (i mod 37), shifted by Time for element 0.
		xs[i] = float64((i * 53) % 37)
		vals = append(vals, fmt.Sprint(xs[i]))
	}
	var sel []string
	for i := range n {
		sel = append(sel, fmt.Sprint(map[bool]int{true: 1, false: 0}[i%3 == 0]))
	}
	src := fmt.Sprintf(`item: (i1-i%[1]d) ~~|
value[item] = %[2]s ~~|
pick[item] = %[3]s ~~|
rank up[item] = VECTOR RANK(value[item], 1) ~~|
rank down[item] = VECTOR RANK(value[item], 0) ~~|
order up[item] = VECTOR SORT ORDER(value[item], 1) ~~|
sorted up[item] = VECTOR REORDER(value[item], order up[item]) ~~|
shifted[item] = VECTOR ELM MAP(value[item], 3) ~~|
action = MODULO(Time, 11) ~~|
selected = VECTOR SELECT(pick[item!], value[item!], -1, action, 0) ~~|
INITIAL TIME = 0 ~~|
FINAL TIME = 10 ~~|
TIME STEP = 1 ~~|
SAVEPER = 1 ~~|
`, n, strings.Join(vals, ", "), strings.Join(sel, ", "))
	m, err := model.Parse("long.mdl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	at := func(name string, i int) float64 {
		s := res.Series(fmt.Sprintf("%s[i%d]", name, i+1))
		if s == nil {
			t.Fatalf("no column %s[i%d]", name, i+1)
		}
		return s[0]
	}
	up := make([]int, n)
	for i := range up {
		up[i] = i
	}
	slices.SortStableFunc(up, func(a, b int) int { return int(xs[a] - xs[b]) })
	down := slices.Clone(up)
	slices.SortStableFunc(down, func(a, b int) int { return int(xs[b] - xs[a]) })
	for r := range n {
		if got := at("rank_up", up[r]); got != float64(r+1) {
			t.Errorf("rank up of element %d: got %g, want %d", up[r], got, r+1)
		}
		if got := at("rank_down", down[r]); got != float64(r+1) {
			t.Errorf("rank down of element %d: got %g, want %d", down[r], got, r+1)
		}
		if got := at("order_up", r); got != float64(up[r]) {
			t.Errorf("order up %d: got %g, want %d", r, got, up[r])
		}
		if got := at("sorted_up", r); got != xs[up[r]] {
			t.Errorf("sorted up %d: got %g, want %g", r, got, xs[up[r]])
		}
		want := math.NaN()
		if r+3 < n {
			want = xs[r+3]
		}
		if got := at("shifted", r); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("shifted %d: got %g, want %g", r, got, want)
		}
	}
	// VECTOR SELECT at each time: the action is Time mod 11.
	sels := res.Series("selected")
	for k, tm := range res.Times {
		var picked []float64
		for i := 0; i < n; i += 3 {
			picked = append(picked, xs[i])
		}
		var want float64
		switch int(tm) % 11 {
		case 0, 6:
			for _, x := range picked {
				want += x
			}
		case 1, 5, 7:
			want = 1
			for _, x := range picked {
				want *= x
			}
		case 2, 8:
			want = slices.Min(picked)
		case 3, 9:
			want = slices.Max(picked)
		case 4, 10:
			for _, x := range picked {
				want += x
			}
			want /= float64(len(picked))
		}
		if got := sels[k]; got != want {
			t.Errorf("select at time %g: got %g, want %g", tm, got, want)
		}
	}
}

// TestVectorLookupModeSet runs the feature model vector_lookup with its
// constant lookup mode set to other values: the lookup follows the mode
// the run sets (2, the backward lookup) rather than the one read, and
// gives :NA: for a mode not read (1, area).
func TestVectorLookupModeSet(t *testing.T) {
	m, err := model.Load("testdata/features/vector_lookup/vector_lookup.mdl")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mode float64
		want string // the column it must equal, or "" for :NA:
	}{{2, "backward"}, {4, "forward"}, {1, ""}} {
		res, err := m.Run(context.Background(), model.RunOptions{Set: map[string]float64{"lookup_mode": c.mode}})
		if err != nil {
			t.Fatal(err)
		}
		got := res.Series("by_constant_mode")
		for i := range got {
			want := -1.298074214633707e33
			if c.want != "" {
				want = res.Series(c.want)[i]
			}
			if got[i] != want {
				t.Errorf("mode %g at t=%g: got %g, want %g", c.mode, res.Times[i], got[i], want)
			}
		}
	}
}
