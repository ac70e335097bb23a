package model

import (
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/internal/compile"
	"github.com/stockflow/stockflow/model/internal/vm"
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
	for _, v := range p.Vars {
		if v.Role == vm.Lookup {
			continue
		}
		n := Node{Name: v.Name, Kind: nodeKind(v.Role)}
		if v.Hidden {
			n.Hidden, n.Owner, n.Builtin = true, v.Src.Name, v.Builtin
		}
		g.Nodes = append(g.Nodes, n)
	}
	for _, v := range p.Vars {
		switch {
		case v.Role.IsStock():
			for _, j := range v.Inflows {
				g.Edges = append(g.Edges, Edge{From: p.Vars[j].Name, To: v.Name, Sign: 1})
			}
			for _, j := range v.Outflows {
				g.Edges = append(g.Edges, Edge{From: p.Vars[j].Name, To: v.Name, Sign: -1})
			}
		case v.Role.IsFlowLike():
			seen := map[int]bool{}
			compile.Refs(p, v.Eq, func(j int) {
				if !seen[j] && p.Vars[j].Role != vm.Lookup {
					seen[j] = true
					g.Edges = append(g.Edges, Edge{From: p.Vars[j].Name, To: v.Name})
				}
			})
		case v.Role == vm.Previous || v.Role == vm.Pipeline:
			g.Edges = append(g.Edges, Edge{From: p.Vars[v.Input].Name, To: v.Name})
			if v.Role == vm.Pipeline && v.Pipe != vm.FixedPipe {
				g.Edges = append(g.Edges, Edge{From: p.Vars[v.DelayT].Name, To: v.Name})
			}
		}
	}
	return g
}

func nodeKind(r vm.Role) NodeKind {
	switch r {
	case vm.Param:
		return NodeParam
	case vm.Stock, vm.HiddenStock:
		return NodeStock
	case vm.Flow, vm.HiddenFlow:
		return NodeFlow
	case vm.Aux:
		return NodeAux
	case vm.Previous, vm.Pipeline:
		return NodeDiscrete
	case vm.Initial:
		return NodeConstant
	case vm.Uniform, vm.Normal:
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
