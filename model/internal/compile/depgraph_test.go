package compile

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// TestDepGraphOrder checks that topo.SortStabilized orders a depGraph as
// it orders the same graph held in a simple.DirectedGraph, which sort
// used before: the same evaluation order, and the same cycles, on random
// graphs with and without cycles.
func TestDepGraphOrder(t *testing.T) {
	byIndex := func(ns []graph.Node) {
		slices.SortFunc(ns, func(a, b graph.Node) int { return int(a.ID() - b.ID()) })
	}
	ids := func(ns []graph.Node) []int64 {
		out := make([]int64, len(ns))
		for k, n := range ns {
			if n == nil {
				out[k] = -1
				continue
			}
			out[k] = n.ID()
		}
		return out
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		var nodes []int
		for i := range n {
			if rng.IntN(5) > 0 { // some variables are not in the graph
				nodes = append(nodes, i)
			}
		}
		cyclic := trial%3 == 0
		want := simple.NewDirectedGraph()
		for _, i := range nodes {
			want.AddNode(simple.Node(i))
		}
		got := newDepGraph(n, nodes)
		for _, i := range nodes {
			for _, j := range nodes {
				if i == j || rng.IntN(8) > 0 || (!cyclic && j > i) {
					continue
				}
				if want.HasEdgeFromTo(int64(j), int64(i)) {
					continue
				}
				want.SetEdge(want.NewEdge(simple.Node(j), simple.Node(i)))
				got.from[j] = append(got.from[j], simple.Node(i))
			}
		}
		w, werr := topo.SortStabilized(want, byIndex)
		g, gerr := topo.SortStabilized(got, byIndex)
		if !reflect.DeepEqual(ids(g), ids(w)) {
			t.Fatalf("trial %d: order %v, want %v", trial, ids(g), ids(w))
		}
		wc, _ := werr.(topo.Unorderable)
		gc, _ := gerr.(topo.Unorderable)
		if len(gc) != len(wc) {
			t.Fatalf("trial %d: %d cycles, want %d", trial, len(gc), len(wc))
		}
		for k := range wc {
			if !reflect.DeepEqual(ids(gc[k]), ids(wc[k])) {
				t.Fatalf("trial %d: cycle %d is %v, want %v", trial, k, ids(gc[k]), ids(wc[k]))
			}
		}
		for _, i := range nodes {
			for _, j := range nodes {
				if got.HasEdgeFromTo(int64(j), int64(i)) != want.HasEdgeFromTo(int64(j), int64(i)) {
					t.Fatalf("trial %d: edge %d → %d: %v, want %v", trial, j, i, got.HasEdgeFromTo(int64(j), int64(i)), want.HasEdgeFromTo(int64(j), int64(i)))
				}
			}
		}
	}
}
