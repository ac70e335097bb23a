package loops

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/stockflow/stockflow/model/decl"
)

// maxDiscovered bounds the loops the strongest-path search adds;
// searchPoints bounds the save points it searches at.
const (
	maxDiscovered = 1000
	searchPoints  = 50
)

// discover runs the strongest-path search of Eberlein and Schoenberg
// (2020) at each save point and returns the loops it finds that l does
// not list, numbered after them. It searches at up to searchPoints save
// points spread evenly over the run. At a save point, each link weighs the
// magnitude of its score; for each stock (or, in a partition without a
// declared stock, its first variable) as target, the search goes depth
// first from the target along the heaviest links first, records a loop
// when it comes back to the target, and prunes a path whose score is no better
// than the best score with which a path has reached its node.
func discover(l *List, ls *LinkScores) []*Loop {
	g := l.Graph
	var known loopSet
	for _, lp := range l.Loops {
		known.add(lp.nodes, 0)
	}
	var targets []int
	parts := 0
	for _, p := range l.part {
		parts = max(parts, p+1)
	}
	seen := make([]bool, parts)
	for v, nd := range g.Nodes {
		if p := l.part[v]; p >= 0 && nd.Kind == decl.Stock {
			targets = append(targets, v)
			seen[p] = true
		}
	}
	for v := range g.Nodes {
		if p := l.part[v]; p >= 0 && !seen[p] {
			targets = append(targets, v)
			seen[p] = true
		}
	}

	s := &searcher{
		g: g, part: l.part, known: &known, mk: &loopMaker{g: g, block: 1 << 12},
		w: make([]float64, len(g.Edges)), out: make([][]int, len(g.Nodes)),
		best: make([]float64, len(g.Nodes)), on: make([]bool, len(g.Nodes)),
	}
	step := max(1, (len(ls.Times)-2+searchPoints-1)/searchPoints)
	for i := 2; i < len(ls.Times) && len(s.found) < maxDiscovered; i += step {
		// Out-links by decreasing weight at this save point.
		for k, sc := range ls.scores {
			if sc != nil {
				s.w[k] = math.Abs(sc[i])
			}
		}
		for v := range g.Nodes {
			out := s.out[v][:0]
			for _, k := range g.out[v] {
				if sc := ls.scores[k]; sc != nil && sc[i] != 0 && !math.IsNaN(sc[i]) {
					out = append(out, k)
				}
			}
			slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(s.w[b], s.w[a]) })
			s.out[v] = out
		}
		for _, t := range targets {
			clear(s.best)
			s.target, s.tpart = t, l.part[t]
			s.search(t, 1)
		}
	}
	found := s.found
	sortLoops(g, found)
	for k, lp := range found {
		lp.ID = fmt.Sprintf("L%d", len(l.Loops)+k+1)
	}
	return found
}

// searcher is the strongest-path search at one save point.
type searcher struct {
	g     *Graph
	part  []int
	known *loopSet
	mk    *loopMaker
	found []*Loop

	w   []float64 // per edge: the magnitude of its score
	out [][]int   // per node: its out-links of nonzero score, heaviest first

	target, tpart int
	best          []float64
	on            []bool
	path          []int
}

// search goes on from v, which a path of the given score has reached
// without passing through it or being pruned.
func (s *searcher) search(v int, score float64) {
	s.best[v] = score
	s.on[v] = true
	s.path = append(s.path, v)
	for _, k := range s.out[v] {
		w := s.g.to[k]
		if s.part[w] != s.tpart {
			continue
		}
		sc := score * s.w[k]
		switch {
		case s.on[w]:
			if w == s.target {
				s.record()
			}
		case !(sc <= s.best[w]): // NaN goes on, as a path not pruned
			s.search(w, sc)
		}
	}
	s.path = s.path[:len(s.path)-1]
	s.on[v] = false
}

// record adds the loop of the current path, unless it is known.
func (s *searcher) record() {
	b := canonicalStart(s.g, s.path)
	if s.known.has(s.path, b) {
		return
	}
	lp := s.mk.make(s.path)
	s.known.add(lp.nodes, 0)
	lp.Discovered = true
	lp.Partition = s.part[lp.nodes[0]]
	s.found = append(s.found, lp)
}
