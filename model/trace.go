package model

import (
	"fmt"
	"strings"

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
		if strings.HasPrefix(v.name, "$") {
			n.Hidden, n.Owner, n.Builtin = true, v.src.Name, v.builtin
		}
		g.Nodes = append(g.Nodes, n)
	}
	c := &compiler{p: p}
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
			c.refs(v.eq, func(j int) {
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

// Trace is the complete state of a run at each save point — every
// variable, hidden ones included — so that analyses such as loop dominance
// can re-evaluate equations on it. Get one by running with
// RunOptions.Trace set. A Trace is read-only and safe for concurrent use.
type Trace struct {
	m      *Model
	s      settings
	Times  []float64
	states [][]float64
}

// Trace returns the run's trace, or nil if the run was made without
// RunOptions.Trace.
func (r *Result) Trace() *Trace { return r.trace }

// Len returns the number of save points.
func (tr *Trace) Len() int { return len(tr.Times) }

func (tr *Trace) lookup(name string) (*cvar, error) {
	i, ok := tr.m.prog.byName[name]
	if !ok || tr.m.prog.vars[i].role == rLookup {
		return nil, fmt.Errorf("the trace has no variable %q", name)
	}
	return tr.m.prog.vars[i], nil
}

// Value returns the value of the named variable (hidden ones too) at save
// point i.
func (tr *Trace) Value(name string, i int) (float64, error) {
	v, err := tr.lookup(name)
	if err != nil {
		return 0, err
	}
	if i < 0 || i >= len(tr.states) {
		return 0, fmt.Errorf("save point %d is outside the trace [0, %d)", i, len(tr.states))
	}
	return tr.states[i][v.slot], nil
}

// Partial evaluates the equation of the aux or flow z on the state at
// save point i-1, except that input x takes its value at save point i:
// the value z would have had if only x had moved. It is the Δₓz of Loops
// That Matter, plus z(i-1). A z whose value is fixed for the run returns
// its value. The scratch slice, if it has room, is used to avoid an
// allocation.
func (tr *Trace) Partial(z, x string, i int, scratch []float64) (float64, []float64, error) {
	zv, err := tr.lookup(z)
	if err != nil {
		return 0, scratch, err
	}
	xv, err := tr.lookup(x)
	if err != nil {
		return 0, scratch, err
	}
	if i < 1 || i >= len(tr.states) {
		return 0, scratch, fmt.Errorf("save point %d is outside [1, %d)", i, len(tr.states))
	}
	if !zv.role.isFlowLike() {
		return 0, scratch, fmt.Errorf("%q has no equation to evaluate: it is a %s", z, zv.role.nodeKind())
	}
	prev := tr.states[i-1]
	if zv.aliasOf != nil {
		// z's equation is its source's name: z moves with it alone.
		if xv == zv.aliasRef {
			return tr.states[i][zv.slot], scratch, nil
		}
		return prev[zv.slot], scratch, nil
	}
	if zv.codeHi == zv.codeLo {
		return prev[zv.slot], scratch, nil
	}
	scratch = append(scratch[:0], prev...)
	scratch[xv.slot] = tr.states[i][xv.slot]
	p := tr.m.prog
	exec(p.flowCode[zv.codeLo:zv.codeHi], scratch, p.tables, nil)
	return scratch[zv.slot], scratch, nil
}
