package plots

import (
	"testing"
)

// worldModel is the World3-size model of the benchmarks: 12 stocks, 24
// flows, 177 aux and 51 params.
const worldModel = "../bench/synth/testdata/world.mdl"

// TestDenseDiagram: the World3-size model's whole diagram is too dense
// and its most connected variables come first; the corridor's is not,
// nor is any diagram with a focus.
func TestDenseDiagram(t *testing.T) {
	w := loadList(t, worldModel).Graph
	hubs, dense := DenseDiagram(w, DiagramOptions{}, 3)
	if !dense || len(hubs) != 3 {
		t.Fatalf("world: dense %v, hubs %v; want dense with 3 hubs", dense, hubs)
	}
	degree := map[string]int{}
	for _, e := range w.Edges {
		degree[e.From]++
		degree[e.To]++
	}
	most := 0
	for _, d := range degree {
		most = max(most, d)
	}
	if degree[hubs[0]] != most || degree[hubs[0]] < degree[hubs[1]] || degree[hubs[1]] < degree[hubs[2]] {
		t.Errorf("world hubs %v with %d, %d, %d links; the most connected has %d", hubs, degree[hubs[0]], degree[hubs[1]], degree[hubs[2]], most)
	}
	if _, dense := DenseDiagram(w, DiagramOptions{Focus: hubs[0], Depth: 1}, 3); dense {
		t.Error("world with --focus: dense")
	}
	c := loadList(t, diagramExamples["corridor"]).Graph
	if hubs, dense := DenseDiagram(c, DiagramOptions{}, 3); dense {
		t.Errorf("corridor: dense, hubs %v", hubs)
	}
}
