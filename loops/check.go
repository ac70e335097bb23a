package loops

import (
	"context"
	"fmt"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

var polarityWords = map[Polarity]string{Reinforcing: "reinforcing", Balancing: "balancing"}

// Check matches each [[loops]] entry of the model to a loop of its graph
// (the entry's path may start anywhere along the loop) and returns an
// error, at the entry's position and key, for each entry whose loop the
// model does not have or whose polarity differs from the declared one.
//
// The polarity compared is the structural one where the equations decide
// it. Where they do not — births = r*population*(1 - crowding) raises
// births with population only while crowding < 1 — Check runs the model
// as its file declares and compares the polarity the loop showed during
// the run; a loop that changed sign, or a run that failed, gives no
// error.
func Check(ctx context.Context, m *model.Model) syntax.ErrorList {
	var errs syntax.ErrorList
	if len(m.Decl.Loops) == 0 {
		return nil
	}
	g := NewGraph(m)
	type pending struct {
		en *decl.Loop
		lp *Loop
	}
	var undecided []pending
	for _, en := range m.Decl.Loops {
		lp, msg := g.declared(en)
		if msg != "" {
			errs.Add(en.Pos, en.Key, msg)
			continue
		}
		switch want := Polarity(en.Polarity); {
		case lp.Polarity == Undetermined:
			undecided = append(undecided, pending{en, lp})
		case want != Reinforcing && want != Balancing:
			// The reader reports a bad polarity.
		case lp.Polarity != want:
			errs.Addf(en.Pos, en.Key, "loop %q is %s, not %s as declared: %s",
				en.Name, polarityWords[lp.Polarity], polarityWords[want], g.explain(lp))
		}
	}
	if len(undecided) == 0 {
		return errs
	}
	res, err := m.Run(ctx, model.RunOptions{Trace: true})
	if err != nil {
		return errs
	}
	l := &List{Graph: g}
	// One partition of the loops' variables is enough to score their
	// links.
	l.part = make([]int, len(g.Nodes))
	for v := range l.part {
		l.part[v] = -1
	}
	for _, p := range undecided {
		l.Loops = append(l.Loops, p.lp)
		for _, v := range p.lp.nodes {
			l.part[v] = 0
		}
	}
	ls, err := ScoreLinks(l, res.Trace(), Continuous)
	if err != nil {
		return errs
	}
	scores, err := loopScores(ls, l.Loops)
	if err != nil {
		return errs
	}
	for k, p := range undecided {
		o := observe(ls, scores[k])
		if want := Polarity(p.en.Polarity); o.Polarity != Undetermined && o.Polarity != want && (want == Reinforcing || want == Balancing) {
			errs.Addf(p.en.Pos, p.en.Key, "loop %q was %s throughout a run, not %s as declared",
				p.en.Name, polarityWords[o.Polarity], polarityWords[want])
		}
	}
	return errs
}

// declared returns the loop a [[loops]] entry names, or a message saying
// why the graph has no such loop.
func (g *Graph) declared(en *decl.Loop) (*Loop, string) {
	if len(en.Path) == 0 {
		return nil, fmt.Sprintf("loop %q has an empty path", en.Name)
	}
	seen := map[string]bool{}
	for _, name := range en.Path {
		if _, ok := g.index[name]; !ok {
			names := make([]string, len(g.Nodes))
			for k, nd := range g.Nodes {
				names[k] = nd.Name
			}
			msg := fmt.Sprintf("loop %q: unknown variable %q", en.Name, name)
			if s := syntax.Suggest(name, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, msg
		}
		if seen[name] {
			return nil, fmt.Sprintf("loop %q passes through %q twice; a loop visits each variable once", en.Name, name)
		}
		seen[name] = true
	}
	for k, from := range en.Path {
		to := en.Path[(k+1)%len(en.Path)]
		if g.edgeIndex(from, to) < 0 {
			why := fmt.Sprintf("%s does not use %s", to, from)
			if nd, _ := g.Node(to); nd.Kind == decl.Stock {
				why = fmt.Sprintf("%s is not a flow of the stock %s", from, to)
			}
			return nil, fmt.Sprintf("the model has no loop %s: no link %s → %s (%s)",
				strings.Join(append(en.Path[:len(en.Path):len(en.Path)], en.Path[0]), " → "), from, to, why)
		}
	}
	c, _ := g.circuit(en.Path)
	lp := g.newLoop(c)
	lp.Name = en.Name
	return lp, ""
}

// explain names the negative links of a loop.
func (g *Graph) explain(lp *Loop) string {
	var neg []string
	for _, k := range lp.edges {
		if e := g.Edges[k]; e.Sign < 0 {
			neg = append(neg, e.From+" → "+e.To)
		}
	}
	switch len(neg) {
	case 0:
		return "it has no negative link"
	case 1:
		return "its one negative link is " + neg[0]
	}
	return fmt.Sprintf("its %d negative links are %s", len(neg), strings.Join(neg, ", "))
}
