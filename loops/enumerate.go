package loops

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/stockflow/stockflow/model/decl"
)

// DefaultMaxLoops is the bound on the number of loops Find lists when
// Options.MaxLoops is zero.
const DefaultMaxLoops = 1000

// MaxLoopsLimit bounds the number of loops Find lists whatever the
// options: a dozen densely coupled stocks have a hundred million loops,
// and each listed loop costs its variables in memory, and in Analyze a
// score per save point.
const MaxLoopsLimit = 100_000

// Options bounds the loop enumeration. The zero value lists up to
// DefaultMaxLoops loops of any length.
type Options struct {
	// MaxLoops bounds the number of loops listed. Zero means
	// DefaultMaxLoops; a negative value, or one above MaxLoopsLimit,
	// means MaxLoopsLimit.
	MaxLoops int
	// MaxLength bounds the number of variables in a loop. Zero means no
	// bound.
	MaxLength int
}

// Loop is a feedback loop: a closed path through the graph that visits
// no variable twice.
type Loop struct {
	// ID identifies the loop by its variables alone: 12 hexadecimal
	// digits of a hash of its canonical cycle (LoopID). It stays the same
	// whatever the bounds of the enumeration, the scenario, the run or
	// the analysis, as long as the loop's variables keep their names.
	ID string
	// Label is "L1", "L2", …: the loop's place in the list, which is
	// sorted by length, then by the names of its variables, for display.
	// It can change with the list's bounds; ID does not.
	Label string
	// Name is the name of the model's [[loops]] entry for this loop, if
	// it has one.
	Name string
	// Vars lists the loop's variables in causal order, each influencing
	// the next and the last the first. It starts at the loop's stock that
	// the model declares first, or, in a loop without a stock, at its
	// first declared variable.
	Vars []string
	// Polarity is the structural polarity: the product of the signs of
	// the loop's links, or Undetermined when one of them is unknown.
	Polarity Polarity
	// Partition numbers the loop's cycle partition (List.Partitions).
	Partition int
	// Discovered reports whether the loop was found by the strongest-path
	// search of Analyze rather than by the enumeration.
	Discovered bool

	nodes []int // Vars as node indices
	edges []int // edges[k] links nodes[k] to nodes[k+1], cyclically
}

// Len returns the number of variables (and of links) in the loop.
func (l *Loop) Len() int { return len(l.Vars) }

// String returns the loop as "L1 growth (R): population → births".
func (l *Loop) String() string {
	return fmt.Sprintf("%s (%s): %s", l.Title(), l.Polarity, strings.Join(l.Vars, " → "))
}

// Title returns the loop's label and name, as "L1 growth", or its label
// alone if it has no name.
func (l *Loop) Title() string {
	if l.Name == "" {
		return l.Label
	}
	return l.Label + " " + l.Name
}

// LoopID returns the ID of the loop through the named variables, in
// causal order: the first 12 hexadecimal digits of the FNV-1a hash of
// the cycle read from its least variable name, names joined by " → ".
func LoopID(vars []string) string {
	if len(vars) == 0 {
		return ""
	}
	first := 0
	for k, v := range vars {
		if v < vars[first] {
			first = k
		}
	}
	h := fnv.New64a()
	for k := range vars {
		if k > 0 {
			h.Write([]byte(" → "))
		}
		h.Write([]byte(vars[(first+k)%len(vars)]))
	}
	return fmt.Sprintf("%012x", h.Sum64()>>16)
}

// List is the feedback loops of a model, as Find lists them.
type List struct {
	Graph *Graph
	// Loops holds the loops sorted by length, then by the names of their
	// variables; Loops[k].Label is "L" followed by k+1.
	Loops []*Loop
	// Truncated reports that a bound (Options.MaxLoops or MaxLength) may
	// have cut the list short. Analyze then searches for the loops that
	// matter among those not listed.
	Truncated bool
	// Partitions holds the variables of each cycle partition — a
	// strongly connected component of the graph, within which loop scores
	// are compared — in declaration order. Partitions holding listed
	// loops come first, in the order of their first loop.
	Partitions [][]string

	part []int // per node: its partition, or -1
}

// Loop returns the loop with the given ID, label or name, or nil.
func (l *List) Loop(key string) *Loop { return findLoop(l.Loops, key) }

func findLoop(ls []*Loop, key string) *Loop {
	for _, lp := range ls {
		if lp.ID == key || lp.Label == key || (lp.Name != "" && lp.Name == key) {
			return lp
		}
	}
	return nil
}

// Find lists the feedback loops of g. It searches each strongly connected
// component with Johnson's algorithm, bounded by opt; the result is the
// same on every call. Loops the model names in [[loops]] entries get
// their names.
func Find(g *Graph, opt Options) *List {
	maxLoops := opt.MaxLoops
	switch {
	case maxLoops == 0:
		maxLoops = DefaultMaxLoops
	case maxLoops < 0 || maxLoops > MaxLoopsLimit:
		maxLoops = MaxLoopsLimit
	}
	n := len(g.Nodes)
	succ := make([][]int, n)
	for v := range n {
		for _, k := range g.out[v] {
			succ[v] = append(succ[v], g.to[k])
		}
	}
	comps := components(succ)
	part := make([]int, n)
	for v := range part {
		part[v] = -1
	}
	for c, comp := range comps {
		for _, v := range comp {
			part[v] = c
		}
	}

	e := &enumerator{succ: succ, part: part, maxLen: opt.MaxLength, maxLoops: maxLoops,
		blocked: make([]bool, n), b: make([][]int, n), seen: make([]int, n),
		out: g.out, mk: &loopMaker{g: g, block: 1 << 14}}
	for _, comp := range comps {
		for _, s := range comp {
			if e.stop {
				break
			}
			e.start(s)
		}
	}

	l := &List{Graph: g, Truncated: e.truncated, Loops: e.found}
	sortLoops(g, l.Loops)
	// Number the partitions: those with listed loops first, in order of
	// their first loop, then the rest in declaration order.
	renum := make([]int, len(comps))
	for c := range renum {
		renum[c] = -1
	}
	next := 0
	for _, lp := range l.Loops {
		if c := part[lp.nodes[0]]; renum[c] < 0 {
			renum[c] = next
			next++
		}
	}
	for c := range comps {
		if renum[c] < 0 {
			renum[c] = next
			next++
		}
	}
	l.Partitions = make([][]string, len(comps))
	for c, comp := range comps {
		names := make([]string, len(comp))
		for k, v := range comp {
			names[k] = g.Nodes[v].Name
		}
		l.Partitions[renum[c]] = names
	}
	l.part = make([]int, n)
	for v := range part {
		l.part[v] = -1
		if part[v] >= 0 {
			l.part[v] = renum[part[v]]
		}
	}
	for k, lp := range l.Loops {
		lp.ID, lp.Label = LoopID(lp.Vars), fmt.Sprintf("L%d", k+1)
		lp.Partition = l.part[lp.nodes[0]]
	}
	l.name(g.m.Decl.Loops)
	return l
}

// components returns the strongly connected components of the graph that
// hold a cycle (two or more nodes, or one with a link to itself), each
// sorted, in order of their first node.
func components(succ [][]int) [][]int {
	sg := simple.NewDirectedGraph()
	for v := range succ {
		sg.AddNode(simple.Node(v))
	}
	self := make([]bool, len(succ))
	for v, ws := range succ {
		for _, w := range ws {
			if v == w {
				self[v] = true
				continue
			}
			sg.SetEdge(sg.NewEdge(simple.Node(v), simple.Node(w)))
		}
	}
	var comps [][]int
	for _, c := range topo.TarjanSCC(sg) {
		if len(c) == 1 && !self[c[0].ID()] {
			continue
		}
		comp := make([]int, len(c))
		for k, nd := range c {
			comp[k] = int(nd.ID())
		}
		slices.Sort(comp)
		comps = append(comps, comp)
	}
	slices.SortFunc(comps, func(a, b []int) int { return a[0] - b[0] })
	return comps
}

// enumerator is Johnson's circuit search with a bound on the number of
// circuits and on their length. A search cut short by the length bound
// leaves its nodes unblocked, so that no circuit within the bound is
// missed.
type enumerator struct {
	succ     [][]int
	part     []int
	maxLen   int
	maxLoops int

	s         int
	blocked   []bool
	b         [][]int
	stack     []int
	out       [][]int // per node: the links to succ
	links     []int   // the links along stack
	mk        *loopMaker
	found     []*Loop
	truncated bool
	stop      bool

	seen  []int // per node: the call of reaches that last saw it
	calls int
	queue []int
}

func (e *enumerator) allowed(w int) bool { return w >= e.s && e.part[w] == e.part[e.s] }

func (e *enumerator) start(s int) {
	e.s = s
	for v := range e.blocked {
		e.blocked[v] = false
		e.b[v] = e.b[v][:0]
	}
	e.circuit(s)
}

func (e *enumerator) circuit(v int) bool {
	f := false
	e.stack = append(e.stack, v)
	e.blocked[v] = true
	for j, w := range e.succ[v] {
		if e.stop {
			break
		}
		if !e.allowed(w) {
			continue
		}
		switch {
		case w == e.s:
			if e.maxLoops >= 0 && len(e.found) >= e.maxLoops {
				e.truncated, e.stop = true, true
				break
			}
			e.found = append(e.found, e.mk.make(e.stack, append(e.links, e.out[v][j])))
			f = true
		case e.blocked[w]:
		case e.maxLen > 0 && len(e.stack) >= e.maxLen:
			// Any circuit through w is longer than the bound.
			if !e.truncated && e.reaches(w) {
				e.truncated = true
			}
			f = true
		default:
			e.links = append(e.links, e.out[v][j])
			if e.circuit(w) {
				f = true
			}
			e.links = e.links[:len(e.links)-1]
		}
	}
	if f || e.stop {
		e.unblock(v)
	} else {
		for _, w := range e.succ[v] {
			if e.allowed(w) && !slices.Contains(e.b[w], v) {
				e.b[w] = append(e.b[w], v)
			}
		}
	}
	e.stack = e.stack[:len(e.stack)-1]
	return f
}

func (e *enumerator) unblock(u int) {
	e.blocked[u] = false
	for len(e.b[u]) > 0 {
		w := e.b[u][len(e.b[u])-1]
		e.b[u] = e.b[u][:len(e.b[u])-1]
		if e.blocked[w] {
			e.unblock(w)
		}
	}
}

// reaches reports whether w reaches the start without passing through
// the current path: whether a circuit through w exists.
func (e *enumerator) reaches(w int) bool {
	e.calls++
	e.seen[w] = e.calls
	for _, v := range e.stack {
		e.seen[v] = e.calls
	}
	e.queue = append(e.queue[:0], w)
	for q := 0; q < len(e.queue); q++ {
		for _, x := range e.succ[e.queue[q]] {
			if x == e.s {
				return true
			}
			if e.seen[x] != e.calls && e.allowed(x) {
				e.seen[x] = e.calls
				e.queue = append(e.queue, x)
			}
		}
	}
	return false
}

// newLoop makes a loop of a circuit of node indices, rotated to its
// canonical start.
func (g *Graph) newLoop(c []int) *Loop {
	return (&loopMaker{g: g}).make(c, nil)
}

// loopMaker makes loops, carving their slices out of blocks of block
// elements (or each its own, when block is 0).
type loopMaker struct {
	g     *Graph
	block int
	ints  []int
	names []string
}

func (mk *loopMaker) grabInts(n int) []int {
	if len(mk.ints) < n {
		mk.ints = make([]int, max(n, mk.block))
	}
	s := mk.ints[:n:n]
	mk.ints = mk.ints[n:]
	return s
}

// make makes the loop of circuit c, whose links are es (or, if es is
// nil, found in the graph); it keeps neither.
func (mk *loopMaker) make(c, es []int) *Loop {
	g, n := mk.g, len(c)
	if len(mk.names) < n {
		mk.names = make([]string, max(n, mk.block))
	}
	l := &Loop{nodes: mk.grabInts(n), Vars: mk.names[:n:n], edges: mk.grabInts(n)}
	mk.names = mk.names[n:]
	b := canonicalStart(g, c)
	copy(l.nodes, c[b:])
	copy(l.nodes[n-b:], c[:b])
	if es != nil {
		copy(l.edges, es[b:])
		copy(l.edges[n-b:], es[:b])
	}
	p := 1
	for k, v := range l.nodes {
		l.Vars[k] = g.Nodes[v].Name
		if es == nil {
			w := l.nodes[0]
			if k+1 < n {
				w = l.nodes[k+1]
			}
			l.edges[k] = g.edgeBetween(v, w)
		}
		p *= g.Edges[l.edges[k]].Sign
	}
	l.Polarity = polarityOf(p)
	return l
}

// canonicalStart returns the index in c at which its canonical rotation
// starts.
func canonicalStart(g *Graph, c []int) int {
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
	return best
}

// loopSet is a set of circuits in canonical rotation, for telling the
// loops found apart without building a key of each. A circuit's hash is
// the sum of its nodes' hashes, which a path can keep up as it grows: it
// does not depend on the rotation (nor on the order).
type loopSet struct {
	byHash map[uint64][][]int
}

// nodeHash mixes a node index (the finaliser of splitmix64).
func nodeHash(v int) uint64 {
	h := uint64(v) + 0x9e3779b97f4a7c15
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9
	h = (h ^ (h >> 27)) * 0x94d049bb133111eb
	return h ^ (h >> 31)
}

func circuitHash(c []int) uint64 {
	var h uint64
	for _, v := range c {
		h += nodeHash(v)
	}
	return h
}

// add adds the circuit c, in canonical rotation, and keeps it.
func (s *loopSet) add(c []int) {
	if s.byHash == nil {
		s.byHash = map[uint64][][]int{}
	}
	h := circuitHash(c)
	s.byHash[h] = append(s.byHash[h], c)
}

// has reports whether the set holds circuit c, in any rotation, given its
// hash and the place in c of each of its nodes.
func (s *loopSet) has(c []int, h uint64, pos []int) bool {
	for _, o := range s.byHash[h] {
		if len(o) != len(c) {
			continue
		}
		if b := pos[o[0]]; b >= 0 && b < len(c) && c[b] == o[0] && equalRotated(o, c, b) {
			return true
		}
	}
	return false
}

// equalRotated reports whether a equals c rotated to start at b.
func equalRotated(a, c []int, b int) bool {
	if len(a) != len(c) {
		return false
	}
	for k, v := range a {
		if c[(b+k)%len(c)] != v {
			return false
		}
	}
	return true
}

// sortLoops sorts loops by length, then by the names of their variables.
func sortLoops(g *Graph, ls []*Loop) {
	slices.SortStableFunc(ls, func(a, b *Loop) int {
		if a.Len() != b.Len() {
			return a.Len() - b.Len()
		}
		// Names are unique, so comparing their ranks compares them.
		for k, v := range a.nodes {
			if w := b.nodes[k]; v != w {
				return g.rank[v] - g.rank[w]
			}
		}
		return 0
	})
}

// name gives each listed loop the name of the [[loops]] entry that
// declares it.
func (l *List) name(entries []*decl.Loop) {
	for _, en := range entries {
		c, ok := l.Graph.circuit(en.Path)
		if !ok {
			continue
		}
		b := canonicalStart(l.Graph, c)
		for _, lp := range l.Loops {
			if equalRotated(lp.nodes, c, b) {
				if lp.Name == "" {
					lp.Name = en.Name
				}
				break
			}
		}
	}
}

// circuit turns a path of names into node indices, if every name is a
// node, none repeats and each links to the next and the last to the
// first.
func (g *Graph) circuit(path []string) ([]int, bool) {
	if len(path) == 0 {
		return nil, false
	}
	c := make([]int, len(path))
	for k, name := range path {
		v, ok := g.index[name]
		if !ok || slices.Contains(c[:k], v) {
			return nil, false
		}
		c[k] = v
	}
	for k := range c {
		if g.edgeIndex(path[k], path[(k+1)%len(path)]) < 0 {
			return nil, false
		}
	}
	return c, true
}
