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
	known := map[string]bool{}
	for _, lp := range l.Loops {
		known[loopKey(lp.nodes)] = true
	}
	var targets []int
	seen := map[int]bool{}
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

	s := &searcher{g: g, part: l.part, best: make([]float64, len(g.Nodes)), on: make([]bool, len(g.Nodes))}
	var found []*Loop
	step := max(1, (len(ls.Times)-2+searchPoints-1)/searchPoints)
	for i := 2; i < len(ls.Times) && len(found) < maxDiscovered; i += step {
		// Out-links by decreasing weight at this save point.
		s.out = make([][]int, len(g.Nodes))
		for v := range g.Nodes {
			for _, k := range g.out[v] {
				if sc := ls.scores[k]; sc != nil && sc[i] != 0 && !math.IsNaN(sc[i]) {
					s.out[v] = append(s.out[v], k)
				}
			}
			slices.SortStableFunc(s.out[v], func(a, b int) int {
				return cmp.Compare(math.Abs(ls.scores[b][i]), math.Abs(ls.scores[a][i]))
			})
		}
		s.i, s.scores = i, ls.scores
		for _, t := range targets {
			for v := range s.best {
				s.best[v] = 0
			}
			s.target, s.loops = t, nil
			s.search(t, 1)
			for _, c := range s.loops {
				key := loopKey(canonical(g, c))
				if known[key] {
					continue
				}
				known[key] = true
				lp := g.newLoop(c)
				lp.Discovered = true
				lp.Partition = l.part[lp.nodes[0]]
				found = append(found, lp)
			}
		}
	}
	sortLoops(g, found)
	for k, lp := range found {
		lp.ID = fmt.Sprintf("L%d", len(l.Loops)+k+1)
	}
	return found
}

type searcher struct {
	g      *Graph
	part   []int
	out    [][]int
	scores [][]float64
	i      int

	target int
	best   []float64
	on     []bool
	path   []int
	loops  [][]int
}

func (s *searcher) search(v int, score float64) {
	if s.on[v] {
		if v == s.target {
			s.loops = append(s.loops, slices.Clone(s.path))
		}
		return
	}
	if score <= s.best[v] {
		return
	}
	s.best[v] = score
	s.on[v] = true
	s.path = append(s.path, v)
	for _, k := range s.out[v] {
		w := s.g.index[s.g.Edges[k].To]
		if s.part[w] != s.part[s.target] {
			continue
		}
		s.search(w, score*math.Abs(s.scores[k][s.i]))
	}
	s.path = s.path[:len(s.path)-1]
	s.on[v] = false
}
