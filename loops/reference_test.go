package loops

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// This file keeps straightforward versions of the enumeration's loop
// making and ordering, the loop scores, the relative scores, dominance and
// the strongest-path search — one loop, one link, one save point at a
// time, by name — and checks that the fast ones give exactly the same
// numbers and lists.

func refNewLoop(g *Graph, c []int) *Loop {
	c = refCanonical(g, c)
	l := &Loop{nodes: c, Vars: make([]string, len(c)), edges: make([]int, len(c))}
	sgns := make([]int, len(c))
	for k, v := range c {
		l.Vars[k] = g.Nodes[v].Name
		w := c[(k+1)%len(c)]
		l.edges[k] = g.edgeIndex(g.Nodes[v].Name, g.Nodes[w].Name)
		sgns[k] = g.Edges[l.edges[k]].Sign
	}
	l.Polarity = polarityOf(sgns...)
	return l
}

func refCanonical(g *Graph, c []int) []int {
	best := -1
	for k, v := range c {
		isStock := g.Nodes[v].Kind == decl.Stock
		switch {
		case best < 0:
			best = k
		case isStock && g.Nodes[c[best]].Kind != decl.Stock:
			best = k
		case isStock == (g.Nodes[c[best]].Kind == decl.Stock) && v < c[best]:
			best = k
		}
	}
	return append(slices.Clone(c[best:]), c[:best]...)
}

func refLoopKey(vars []int) string {
	b := make([]byte, 0, 4*len(vars))
	for _, v := range vars {
		b = strconv.AppendInt(b, int64(v), 36)
		b = append(b, ',')
	}
	return string(b)
}

func refSortLoops(ls []*Loop) {
	slices.SortStableFunc(ls, func(a, b *Loop) int {
		if a.Len() != b.Len() {
			return a.Len() - b.Len()
		}
		return slices.Compare(a.Vars, b.Vars)
	})
}

func refLoopScores(ls *LinkScores, loops []*Loop) [][]float64 {
	n := len(ls.Times)
	out := make([][]float64, len(loops))
	for k, lp := range loops {
		s := make([]float64, n)
		for i := range s {
			s[i] = 1
		}
		for _, e := range lp.edges {
			es := ls.Score(ls.g.Edges[e].From, ls.g.Edges[e].To)
			for i := range s {
				s[i] *= es[i]
			}
		}
		for i := range min(ls.first, n) {
			s[i] = 0
		}
		out[k] = s
	}
	return out
}

func refRelative(d *Dominance, parts int) [][]float64 {
	n := len(d.Times)
	rel := make([][]float64, len(d.Loops))
	for k := range rel {
		rel[k] = make([]float64, n)
	}
	for p := range parts {
		var members []int
		for k, lp := range d.Loops {
			if lp.Partition == p {
				members = append(members, k)
			}
		}
		for i := range n {
			sum, infs := 0.0, 0
			for _, k := range members {
				s := d.Score[k][i]
				if math.IsInf(s, 0) {
					infs++
				}
				sum += math.Abs(s)
			}
			for _, k := range members {
				s := d.Score[k][i]
				switch {
				case infs > 0 && math.IsInf(s, 0):
					rel[k][i] = sign(s) / float64(infs)
				case infs > 0 || sum == 0:
				default:
					rel[k][i] = s / sum
				}
			}
		}
	}
	return rel
}

func refDiscover(l *List, ls *LinkScores) []*Loop {
	g := l.Graph
	known := map[string]bool{}
	for _, lp := range l.Loops {
		known[refLoopKey(lp.nodes)] = true
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
	s := &refSearcher{g: g, part: l.part, best: make([]float64, len(g.Nodes)), on: make([]bool, len(g.Nodes))}
	var found []*Loop
	step := max(1, (len(ls.Times)-ls.first+searchPoints-1)/searchPoints)
	for i := ls.first; i < len(ls.Times) && len(found) < maxDiscovered; i += step {
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
				key := refLoopKey(refCanonical(g, c))
				if known[key] {
					continue
				}
				known[key] = true
				lp := refNewLoop(g, c)
				lp.Discovered = true
				lp.Partition = l.part[lp.nodes[0]]
				found = append(found, lp)
			}
		}
	}
	refSortLoops(found)
	for k, lp := range found {
		lp.ID, lp.Label = LoopID(lp.Vars), fmt.Sprintf("L%d", len(l.Loops)+k+1)
	}
	return found
}

type refSearcher struct {
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

func (s *refSearcher) search(v int, score float64) {
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

// sameBits reports whether a and b hold the same float64 values bit for
// bit (NaN equal to NaN).
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func sameLoops(t *testing.T, what string, got, want []*Loop) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d loops, want %d", what, len(got), len(want))
	}
	for k := range got {
		g, w := got[k], want[k]
		if g.ID != w.ID || g.Label != w.Label || !slices.Equal(g.Vars, w.Vars) || !slices.Equal(g.nodes, w.nodes) ||
			!slices.Equal(g.edges, w.edges) || g.Polarity != w.Polarity || g.Partition != w.Partition ||
			g.Discovered != w.Discovered || g.Name != w.Name {
			t.Fatalf("%s: loop %d is %v %v, want %v %v", what, k, g, g.edges, w, w.edges)
		}
	}
}

// TestReference compares the fast computations with the straightforward
// ones, exactly, on small models and on a truncated dense one.
func TestReference(t *testing.T) {
	cases := []struct {
		name string
		src  string
		opt  Options
	}{
		{"logistic", logisticCrowding, Options{}},
		{"bass", bass, Options{}},
		{"dense", benchModel(12), Options{MaxLoops: 40}},
		{"dense-long", benchModel(30), Options{MaxLoops: 200, MaxLength: 25}},
		{"dense-full", denseModel(4), Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := mustParse(t, c.src)
			for _, run := range []struct {
				method string
				scores ScoreMethod
			}{{"euler", Discrete}, {"rk4", Discrete}, {"rk4", Continuous}} {
				method := run.method + " " + string(run.scores)
				res, err := m.Run(context.Background(), model.RunOptions{Trace: true, Method: run.method})
				if err != nil {
					t.Fatal(err)
				}
				g := NewGraph(m)
				l := Find(g, c.opt)

				// Loops made and ordered as by the reference.
				want := make([]*Loop, len(l.Loops))
				for k, lp := range l.Loops {
					want[k] = refNewLoop(g, lp.nodes)
					want[k].ID, want[k].Label, want[k].Name, want[k].Partition = lp.ID, lp.Label, lp.Name, lp.Partition
				}
				refSortLoops(want)
				sameLoops(t, "Find", l.Loops, want)

				d, err := Analyze(l, res.Trace(), &Settings{Scores: run.scores})
				if err != nil {
					t.Fatal(err)
				}
				if l.Truncated {
					sameLoops(t, "discover", d.Loops[len(l.Loops):], refDiscover(l, d.Links))
				} else if len(d.Loops) != len(l.Loops) {
					t.Fatalf("%d loops analysed, want %d", len(d.Loops), len(l.Loops))
				}
				score := refLoopScores(d.Links, d.Loops)
				for k := range score {
					if !sameBits(d.Score[k], score[k]) {
						t.Fatalf("%s score of %s: got %v, want %v", method, d.Loops[k].ID, d.Score[k], score[k])
					}
				}
				rel := refRelative(d, len(l.Partitions))
				for k := range rel {
					if !sameBits(d.Relative[k], rel[k]) {
						t.Fatalf("%s relative score of %s: got %v, want %v", method, d.Loops[k].ID, d.Relative[k], rel[k])
					}
				}
				t.Logf("%s: %d loops (%d listed), %d periods", method, len(d.Loops), len(l.Loops), len(d.Periods))
			}
		})
	}
}
