package model

import (
	"github.com/stockflow/stockflow/model/decl"
)

// Graph is a compiled model's causal structure, for loop analysis: every
// variable, including the hidden stocks and flows that stateful builtins
// (smooth, delay, trend, ...) expand into, and every link between them.
type Graph struct {
	Nodes []Node
	Edges []Edge
}

// NodeKind says what a graph node is.
type NodeKind int

// Kinds of graph node.
const (
	NodeParam    NodeKind = iota + 1
	NodeStock             // a stock, or a hidden stock of a smooth or delay
	NodeFlow              // a flow, or a hidden flow
	NodeAux               // an aux
	NodeDiscrete          // the state of previous or delay (the exact pipeline): its value is its input one dt or one delay time earlier
	NodeConstant          // a value fixed at the start: init(x), a pipeline's delay time
	NodeRandom            // a random draw
)

var nodeKindNames = [...]string{NodeParam: "param", NodeStock: "stock", NodeFlow: "flow", NodeAux: "aux",
	NodeDiscrete: "discrete", NodeConstant: "constant", NodeRandom: "random"}

// String names the kind.
func (k NodeKind) String() string {
	if k > 0 && int(k) < len(nodeKindNames) {
		return nodeKindNames[k]
	}
	return "unknown"
}

// Node is one variable of the graph.
type Node struct {
	Name string
	Kind NodeKind
	// Hidden reports whether the node was made by expanding a builtin;
	// its Name starts with "$", and Owner is the declared variable whose
	// equation holds the builtin call, Builtin the call's kind (e.g.
	// "smooth3.2").
	Hidden  bool
	Owner   string
	Builtin string
}

// Edge is a link From → To: To's equation uses From, or From is a flow of
// the stock To (Sign +1 for an inflow, -1 for an outflow; 0 otherwise,
// where the sign depends on the equation).
type Edge struct {
	From, To string
	Sign     int
}

// Graph returns the model's causal graph. Lookups are not nodes; a call
// of a lookup links its argument's variables to the caller. A stock's
// initial value adds no edge.
func (m *Model) Graph() *Graph {
	p := m.prog
	g := &Graph{}
	for _, v := range p.vars {
		if v.role == rLookup {
			continue
		}
		n := Node{Name: v.name, Kind: v.role.nodeKind()}
		if v.hidden {
			n.Hidden, n.Owner, n.Builtin = true, v.src.Name, v.builtin
		}
		g.Nodes = append(g.Nodes, n)
	}
	for _, v := range p.vars {
		switch {
		case v.role.isStock():
			for _, j := range v.inflows {
				g.Edges = append(g.Edges, Edge{From: p.vars[j].name, To: v.name, Sign: 1})
			}
			for _, j := range v.outflows {
				g.Edges = append(g.Edges, Edge{From: p.vars[j].name, To: v.name, Sign: -1})
			}
		case v.role.isFlowLike():
			seen := map[int]bool{}
			p.refs(v.eq, func(j int) {
				if !seen[j] && p.vars[j].role != rLookup {
					seen[j] = true
					g.Edges = append(g.Edges, Edge{From: p.vars[j].name, To: v.name})
				}
			})
		case v.role == rPrevious || v.role == rPipeline:
			g.Edges = append(g.Edges, Edge{From: p.vars[v.input].name, To: v.name})
		}
	}
	return g
}

func (r role) nodeKind() NodeKind {
	switch r {
	case rParam:
		return NodeParam
	case rStock, rHiddenStock:
		return NodeStock
	case rFlow, rHiddenFlow:
		return NodeFlow
	case rAux:
		return NodeAux
	case rPrevious, rPipeline:
		return NodeDiscrete
	case rInitial:
		return NodeConstant
	case rUniform, rNormal:
		return NodeRandom
	}
	return 0
}

// Kind returns the declared kind of a model variable, or 0 if there is no
// such declared variable.
func (m *Model) Kind(name string) decl.Kind {
	if v := m.Decl.Var(name); v != nil {
		return v.Kind
	}
	return 0
}
