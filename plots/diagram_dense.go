package plots

import (
	"cmp"
	"slices"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model/decl"
)

// denseNodes is the number of variables beyond which a whole diagram is
// too dense to read (the World3-size model of bench/synth, 264 with its
// params, is a tangle of links; the Middle Corridor, 140, still reads).
const denseNodes = 160

// DenseDiagram reports whether the diagram opt asks of g draws too many
// variables to be read as a whole, and if so returns the most connected
// variables it draws, at most n: good places to start a --focus view.
// A diagram with a Focus is never too dense.
func DenseDiagram(g *loops.Graph, opt DiagramOptions, n int) (hubs []string, dense bool) {
	if opt.Focus != "" {
		return nil, false
	}
	links := map[string]int{}
	drawn := 0
	for _, v := range g.Nodes {
		if !(opt.HideParams && v.Kind == decl.Param) {
			drawn++
			links[v.Name] = 0
		}
	}
	if drawn <= denseNodes {
		return nil, false
	}
	for _, e := range g.Edges {
		if _, ok := links[e.From]; ok {
			links[e.From]++
		}
		if _, ok := links[e.To]; ok {
			links[e.To]++
		}
	}
	for name := range links {
		hubs = append(hubs, name)
	}
	slices.SortFunc(hubs, func(a, b string) int {
		return cmp.Or(links[b]-links[a], cmp.Compare(a, b))
	})
	return hubs[:min(n, len(hubs))], true
}
