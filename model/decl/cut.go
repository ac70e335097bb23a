package decl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model/syntax"
)

// Link is a causal link from one variable to another: To's equation
// reads From.
type Link struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// String returns the link as "from->to".
func (l Link) String() string { return l.From + "->" + l.To }

// ParseLink reads a link written "A->B" (or "A → B"), with or without
// spaces around the arrow.
func ParseLink(s string) (Link, error) {
	from, to, ok := strings.Cut(s, "->")
	if !ok {
		from, to, ok = strings.Cut(s, "→")
	}
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if !ok || from == "" || to == "" {
		return Link{}, fmt.Errorf("a link is written FROM->TO, e.g. demand->orders (quoted in a shell: 'demand->orders'), not %q", s)
	}
	return Link{From: from, To: to}, nil
}

// Cut returns a copy of d in which each link is cut: the equation of the
// link's To reads, in place of From, From's value at the start time
// (init(From)), so that From's changes no longer reach To while every
// other reader of From sees them as before. This is the loop knockout of
// model testing (Sterman, Business Dynamics, ch. 21): a loop through a
// cut link is broken, and a run shows the behaviour without it.
//
// To must be an aux or a flow whose equation (or, for an arrayed
// variable, any of its element equations) reads From; names are as the
// file declares them, an arrayed variable by its name alone. A link from
// a flow into its stock cannot be cut this way: cut a link into the flow
// instead. d is not changed.
func Cut(d *Model, links ...Link) (*Model, error) {
	out := *d
	out.Vars = slices.Clone(d.Vars)
	index := map[string]int{}
	for i, v := range out.Vars {
		index[v.Name] = i
	}
	for _, l := range links {
		fi, ok := index[l.From]
		if !ok {
			return nil, fmt.Errorf("cut %s: no variable %q%s", l, l.From, suggestVar(l.From, d))
		}
		ti, ok := index[l.To]
		if !ok {
			return nil, fmt.Errorf("cut %s: no variable %q%s", l, l.To, suggestVar(l.To, d))
		}
		from, to := out.Vars[fi], out.Vars[ti]
		switch to.Kind {
		case Aux, Flow:
		case Stock:
			if slices.Contains(to.Inflows, l.From) || slices.Contains(to.Outflows, l.From) {
				return nil, fmt.Errorf("cut %s: %s is a flow of the stock %s, which a cut cannot hold; cut a link into %s instead", l, l.From, l.To, l.From)
			}
			return nil, fmt.Errorf("cut %s: %s is a stock, whose value only its flows change; cut a link into one of its flows", l, l.To)
		default:
			return nil, fmt.Errorf("cut %s: %s is a %s, which has no equation to cut", l, l.To, to.Kind)
		}
		if from.Kind == Lookup {
			return nil, fmt.Errorf("cut %s: %s is a lookup, a function rather than a value", l, l.From)
		}
		cut := *to
		n := 0
		cut.Eq, n = holdRefs(to.Eq, l.From)
		cut.ElementEqs = slices.Clone(to.ElementEqs)
		for k := range cut.ElementEqs {
			var m int
			cut.ElementEqs[k].Eq, m = holdRefs(to.ElementEqs[k].Eq, l.From)
			n += m
		}
		if n == 0 {
			return nil, fmt.Errorf("cut %s: the equation of %s does not read %s", l, l.To, l.From)
		}
		out.Vars[ti] = &cut
	}
	return &out, nil
}

// holdRefs returns eq with each reference to name (name or name[...])
// outside an init call wrapped in init(...), and how many it wrapped.
func holdRefs(eq Equation, name string) (Equation, int) {
	if eq.Expr == nil {
		return eq, 0
	}
	n := 0
	x := rewrite(eq.Expr, func(x syntax.Expr) (syntax.Expr, bool) {
		switch x := x.(type) {
		case *syntax.Call:
			// init(name) is already held; so is any init(...).
			return x, strings.EqualFold(x.Fn.Name, "init")
		case *syntax.Ident:
			if x.Name == name {
				n++
				return hold(x), true
			}
		case *syntax.Index:
			if x.X.Name == name {
				n++
				return hold(x), true
			}
		}
		return x, false
	})
	if n == 0 {
		return eq, 0
	}
	text := syntax.Print(x)
	parsed, err := syntax.Parse(text)
	if err != nil { // cannot happen: the printer writes what the parser reads
		parsed = x
	}
	return Equation{Text: text, Pos: eq.Pos, Expr: parsed}, n
}

func hold(x syntax.Expr) syntax.Expr {
	return &syntax.Call{Fn: &syntax.Ident{Name: "init", At: x.Start()}, Args: []syntax.Expr{x}, Rparen: x.End()}
}

// rewrite returns a copy of x in which f has replaced nodes: f returns
// the node to use and whether it is final (not to be descended into).
func rewrite(x syntax.Expr, f func(syntax.Expr) (syntax.Expr, bool)) syntax.Expr {
	if y, done := f(x); done {
		return y
	}
	switch x := x.(type) {
	case *syntax.Unary:
		c := *x
		c.X = rewrite(x.X, f)
		return &c
	case *syntax.Binary:
		c := *x
		c.X, c.Y = rewrite(x.X, f), rewrite(x.Y, f)
		return &c
	case *syntax.Paren:
		c := *x
		c.X = rewrite(x.X, f)
		return &c
	case *syntax.Call:
		c := *x
		c.Args = make([]syntax.Expr, len(x.Args))
		for i, a := range x.Args {
			c.Args[i] = rewrite(a, f)
		}
		return &c
	case *syntax.Index:
		c := *x
		c.Subs = make([]syntax.Expr, len(x.Subs))
		for i, s := range x.Subs {
			c.Subs[i] = rewrite(s, f)
		}
		return &c
	case *syntax.If:
		c := *x
		c.Cond, c.Then, c.Else = rewrite(x.Cond, f), rewrite(x.Then, f), rewrite(x.Else, f)
		return &c
	}
	return x
}

// suggestVar returns " (did you mean X?)" for the variable of d whose
// name is closest to name, or "".
func suggestVar(name string, d *Model) string {
	if s := syntax.Suggest(name, d.Names()); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}
