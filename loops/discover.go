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
		known.add(lp.nodes)
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
		out: make([][]arc, len(g.Nodes)), nodes: make([]nodeState, len(g.Nodes)),
		pos: make([]int, len(g.Nodes)),
	}
	step := max(1, (len(ls.Times)-ls.first+searchPoints-1)/searchPoints)
	for i := ls.first; i < len(ls.Times) && len(s.found) < maxDiscovered; i += step {
		s.at(ls, l.part, i, targets)
	}
	found := s.found
	sortLoops(g, found)
	for k, lp := range found {
		lp.ID, lp.Label = LoopID(lp.Vars), fmt.Sprintf("L%d", len(l.Loops)+k+1)
	}
	return found
}

// at searches at save point i from each target.
func (s *searcher) at(ls *LinkScores, part []int, i int, targets []int) {
	g := s.g
	// Out-links by decreasing weight at this save point. (A link with a
	// score lies in a partition.)
	for v := range g.Nodes {
		out := s.out[v][:0]
		for _, k := range g.out[v] {
			if sc := ls.scores[k]; sc != nil && sc[i] != 0 && !math.IsNaN(sc[i]) && part[g.to[k]] == part[v] {
				out = append(out, arc{to: g.to[k], k: k, w: math.Abs(sc[i])})
			}
		}
		slices.SortStableFunc(out, func(a, b arc) int { return cmp.Compare(b.w, a.w) })
		s.out[v] = out
	}
	for _, t := range targets {
		for v := range s.nodes {
			s.nodes[v].best = 0
		}
		s.target = t
		s.search(t, 1)
	}
}

// searcher is the strongest-path search.
type searcher struct {
	g     *Graph
	part  []int
	known *loopSet // the loops listed and found
	mk    *loopMaker
	found []*Loop

	out    [][]arc // per node: its out-links of nonzero score, heaviest first
	target int
	nodes  []nodeState
	path   []int  // the nodes of the path
	links  []int  // the links between them
	pos    []int  // per node on the path: its place in it
	hash   uint64 // circuitHash(path)
}

// arc is a link out of a node at a save point: the node it leads to, its
// index in the graph, and the magnitude of its score.
type arc struct {
	to, k int
	w     float64
}

// nodeState is the search's record of a node: the best score with which
// a path has reached it, and whether it lies on the path.
type nodeState struct {
	best float64
	on   bool
}

// search goes on from v, which a path of the given score has reached
// without passing through it or being pruned. (A link followed stays in
// the target's partition: the out-links hold no other.)
func (s *searcher) search(v int, score float64) {
	s.nodes[v] = nodeState{best: score, on: true}
	s.pos[v] = len(s.path)
	s.path = append(s.path, v)
	s.hash += nodeHash(v)
	for _, a := range s.out[v] {
		sc := score * a.w
		switch nw := &s.nodes[a.to]; {
		case nw.on:
			if a.to == s.target {
				s.links = append(s.links, a.k)
				s.record()
				s.links = s.links[:len(s.links)-1]
			}
		case !(sc <= nw.best): // NaN goes on, as a path not pruned
			s.links = append(s.links, a.k)
			s.search(a.to, sc)
			s.links = s.links[:len(s.links)-1]
		}
	}
	s.hash -= nodeHash(v)
	s.path = s.path[:len(s.path)-1]
	s.nodes[v].on = false
}

// record adds the loop of the current path, unless it is known.
func (s *searcher) record() {
	if s.known.has(s.path, s.hash, s.pos) {
		return
	}
	lp := s.mk.make(s.path, s.links)
	s.known.add(lp.nodes)
	lp.Discovered = true
	lp.Partition = s.part[lp.nodes[0]]
	s.found = append(s.found, lp)
}
