package loops

import (
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Graph is the causal graph of a model's declared variables: a link x → z
// wherever z's equation uses x, and from each inflow (+) and outflow (−)
// to its stock. A stock's initial value adds no link. The hidden stocks
// and flows that smooth, delay, trend and the other stateful builtins
// expand into are collapsed: a builtin's input links straight to the
// variable whose equation calls it. Lookups are not nodes; a lookup call
// links its argument to the caller.
//
// A Graph is read-only after NewGraph and safe for concurrent use.
type Graph struct {
	// Nodes lists the params, stocks, flows and aux in declaration order.
	Nodes []Node
	// Edges lists the links, sorted by the declaration order of From,
	// then of To.
	Edges []Edge

	m     *model.Model
	index map[string]int
	out   [][]int // per node: indices into Edges of its out-links
	to    []int   // per edge: the node index of its To
	rank  []int   // per node: its place in the order of the names
	paths [][]path
}

// Node is a declared variable of the graph.
type Node struct {
	Name string
	Kind decl.Kind // decl.Param, decl.Stock, decl.Flow or decl.Aux
}

// Edge is a causal link From → To.
type Edge struct {
	From, To string
	// Sign is the link's structural polarity: +1 when To rises (or
	// stays) as From rises, whatever the other inputs, -1 when it falls,
	// and 0 when that cannot be decided from the equation.
	Sign int
	// Via names the builtins the link passes through (for example
	// "smooth1" or "delay3"), when To's equation reaches From through a
	// stateful builtin; nil for a direct use. A link may be both direct
	// and via a builtin.
	Via []string
}

// path is one chain of links of the model's expanded graph that a
// collapsed link stands for: From, hidden variables, To.
type path []model.Edge

// maxPaths bounds the hidden chains kept for one collapsed link.
const maxPaths = 64

// NewGraph builds the causal graph of a compiled model.
func NewGraph(m *model.Model) *Graph {
	mg := m.Graph()
	g := &Graph{m: m, index: map[string]int{}}
	hidden := map[string]model.Node{}
	for _, n := range mg.Nodes {
		if n.Hidden {
			hidden[n.Name] = n
			continue
		}
		k := m.Kind(n.Name)
		if k == 0 {
			continue
		}
		g.index[n.Name] = len(g.Nodes)
		g.Nodes = append(g.Nodes, Node{Name: n.Name, Kind: k})
	}
	out := map[string][]model.Edge{}
	for _, e := range mg.Edges {
		out[e.From] = append(out[e.From], e)
	}

	type key struct{ from, to int }
	links := map[key][]path{}
	for from, n := range g.Nodes {
		// Depth-first along hidden variables to the declared ones.
		var chain path
		onChain := map[string]bool{}
		var walk func(name string)
		walk = func(name string) {
			for _, e := range out[name] {
				if to, ok := g.index[e.To]; ok {
					k := key{from, to}
					if len(links[k]) < maxPaths {
						links[k] = append(links[k], append(slices.Clone(chain), e))
					}
					continue
				}
				if _, ok := hidden[e.To]; !ok || onChain[e.To] {
					continue
				}
				onChain[e.To] = true
				chain = append(chain, e)
				walk(e.To)
				chain = chain[:len(chain)-1]
				onChain[e.To] = false
			}
		}
		walk(n.Name)
	}
	keys := make([]key, 0, len(links))
	for k := range links {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.from != b.from {
			return a.from - b.from
		}
		return a.to - b.to
	})
	g.out = make([][]int, len(g.Nodes))
	sa := newSignAnalyzer(m.Decl)
	for _, k := range keys {
		e := Edge{From: g.Nodes[k.from].Name, To: g.Nodes[k.to].Name}
		for _, p := range links[k] {
			for _, h := range p[:len(p)-1] {
				b, _, _ := strings.Cut(hidden[h.To].Builtin, ".")
				if b != "" && !slices.Contains(e.Via, b) {
					e.Via = append(e.Via, b)
				}
			}
		}
		e.Sign = sa.linkSign(e.From, e.To)
		g.out[k.from] = append(g.out[k.from], len(g.Edges))
		g.to = append(g.to, k.to)
		g.Edges = append(g.Edges, e)
		g.paths = append(g.paths, links[k])
	}
	byName := make([]int, len(g.Nodes))
	for v := range byName {
		byName[v] = v
	}
	slices.SortFunc(byName, func(a, b int) int { return strings.Compare(g.Nodes[a].Name, g.Nodes[b].Name) })
	g.rank = make([]int, len(g.Nodes))
	for r, v := range byName {
		g.rank[v] = r
	}
	return g
}

// Model returns the model the graph was built from.
func (g *Graph) Model() *model.Model { return g.m }

// Node returns the node with the given name.
func (g *Graph) Node(name string) (Node, bool) {
	i, ok := g.index[name]
	if !ok {
		return Node{}, false
	}
	return g.Nodes[i], true
}

// Edge returns the link from → to.
func (g *Graph) Edge(from, to string) (Edge, bool) {
	k := g.edgeIndex(from, to)
	if k < 0 {
		return Edge{}, false
	}
	return g.Edges[k], true
}

// Out returns the links leaving the named node, in the order of Edges.
func (g *Graph) Out(name string) []Edge {
	i, ok := g.index[name]
	if !ok {
		return nil
	}
	es := make([]Edge, len(g.out[i]))
	for k, j := range g.out[i] {
		es[k] = g.Edges[j]
	}
	return es
}

func (g *Graph) edgeIndex(from, to string) int {
	v, ok := g.index[from]
	if !ok {
		return -1
	}
	w, ok := g.index[to]
	if !ok {
		return -1
	}
	return g.edgeBetween(v, w)
}

// edgeBetween returns the index of the link from node v to node w, or -1.
func (g *Graph) edgeBetween(v, w int) int {
	for _, k := range g.out[v] {
		if g.to[k] == w {
			return k
		}
	}
	return -1
}
