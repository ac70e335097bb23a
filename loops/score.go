package loops

import (
	"errors"
	"fmt"
	"math"
	"runtime"

	"github.com/stockflow/stockflow/model"
)

// LinkScores holds the Loops That Matter score of each link of a graph
// that lies in a cycle partition, at each save point of a run.
//
// Timing: a Continuous score at save point i belongs to Times[i]. A
// Discrete score at save point i belongs to the interval from Times[i-1]
// to Times[i]: a link into an aux or flow z compares the values at i-1
// and i; a link from a flow to its stock compares the flow's change from
// i-2 to i-1 with the change in the stock's increase from interval i-1 to
// interval i, which is when that change of flow shows in the stock; the
// scores at save points 0 and 1 are 0, and the score at i is placed at
// Times[i-1] (At).
type LinkScores struct {
	Times []float64
	// Method is how the scores were computed.
	Method ScoreMethod

	g      *Graph
	scores [][]float64 // per edge of g; nil for links outside the partitions
	first  int         // the first save point with a score
	lag    int         // the score at save point i is placed at Times[i-lag]
}

// At returns the time at which the scores of save point i are placed:
// Times[i] for Continuous scores, Times[i-1] for Discrete ones.
func (s *LinkScores) At(i int) float64 { return s.Times[max(i-s.lag, 0)] }

// Score returns the named link's scores at each save point, or nil when
// the graph has no such link or the link lies in no cycle partition. The
// slice is the LinkScores' own: do not modify it.
func (s *LinkScores) Score(from, to string) []float64 {
	k := s.g.edgeIndex(from, to)
	if k < 0 {
		return nil
	}
	return s.scores[k]
}

// ScoreLinks computes the score of every link of l's graph within a
// cycle partition from the trace of a run of the graph's model, by the
// given method (empty means Continuous).
//
// Continuous scores are defined at ScoreMethod's Continuous. Discrete
// ones are these: a link into an aux or flow z = f(x, …) scores |Δₓz/Δz|·sign(Δₓz/Δx),
// where Δₓz is z's change with only x moved (0 when Δz or Δx is 0). A link
// from an inflow i to its stock S scores |Δt·Δi/(ΔS(t) − ΔS(t−Δt))|, an
// outflow the same with a minus sign (the corrected formula of Schoenberg,
// Hayward and Eberlein 2023; 0 when the denominator is 0). A link that
// passes through hidden builtin variables scores the product of the
// scores along the hidden chain (the sum over chains, if there are
// several).
func ScoreLinks(l *List, tr *model.Trace, method ScoreMethod) (*LinkScores, error) {
	g := l.Graph
	if tr == nil {
		return nil, errors.New("no trace: run the model with RunOptions.Trace set")
	}
	if tr.Model() != g.m {
		return nil, errors.New("the trace is of another model than the loops")
	}
	n := tr.Len()
	ls := &LinkScores{Times: tr.Times, Method: method, g: g, scores: make([][]float64, len(g.Edges))}
	switch method {
	case "", Continuous:
		ls.Method = Continuous
	case Discrete:
		ls.first, ls.lag = 2, 1
	default:
		return nil, fmt.Errorf("unknown score method %q: want %q or %q", method, Continuous, Discrete)
	}
	need := make([]bool, len(g.Edges))
	needed := 0
	for v, out := range g.out {
		for _, k := range out {
			p := l.part[v]
			need[k] = p >= 0 && p == l.part[g.to[k]]
			if need[k] {
				needed++
			}
		}
	}
	score := scoreExpanded
	if ls.Method == Continuous {
		score = scoreContinuous
	}
	ex, err := score(g, tr, need)
	if err != nil {
		return nil, err
	}
	flat := make([]float64, needed*n)
	for k := range g.Edges {
		if !need[k] {
			continue
		}
		s := flat[:n:n]
		flat = flat[n:]
		for _, p := range g.paths[k] {
			chain := make([][]float64, len(p))
			for j, e := range p {
				chain[j] = ex[[2]string{e.From, e.To}]
			}
			for i := ls.first; i < n; i++ {
				prod := 1.0
				for _, c := range chain {
					prod *= c[i]
				}
				s[i] += prod
			}
		}
		ls.scores[k] = s
	}
	return ls, nil
}

// scoreExpanded scores the links of the expanded graph that the needed
// collapsed links pass through, keyed by {from, to}: the links into
// stocks and discrete values from the series alone, the links into aux
// and flows by evaluating each equation with one input moved.
func scoreExpanded(g *Graph, tr *model.Trace, need []bool) (map[[2]string][]float64, error) {
	n := tr.Len()
	scores, targets := linkTargets(g, n, need)
	series := seriesCache{tr: tr, series: map[string][]float64{}}
	ps, err := scoreDirect(g, tr, targets, scores, &series)
	if err != nil {
		return nil, err
	}
	if err := scorePerturbed(tr, ps, n); err != nil {
		return nil, err
	}
	return scores, nil
}

// A scoreTarget is a variable of the expanded graph and the links into it
// that are to be scored.
type scoreTarget struct {
	name string
	ins  []model.Edge
}

// linkTargets returns a score series for each link of the expanded graph
// that a needed collapsed link passes through, and those links grouped
// by the variable they lead to.
func linkTargets(g *Graph, n int, need []bool) (map[[2]string][]float64, []*scoreTarget) {
	scores := map[[2]string][]float64{}
	var flat []float64 // room for more scores
	var targets []*scoreTarget
	byName := map[string]*scoreTarget{}
	for k, paths := range g.paths {
		if !need[k] {
			continue
		}
		for _, p := range paths {
			for _, e := range p {
				key := [2]string{e.From, e.To}
				if _, ok := scores[key]; ok {
					continue
				}
				if len(flat) < n {
					flat = make([]float64, 256*n)
				}
				scores[key] = flat[:n:n]
				flat = flat[n:]
				t := byName[e.To]
				if t == nil {
					t = &scoreTarget{name: e.To}
					byName[e.To] = t
					targets = append(targets, t)
				}
				t.ins = append(t.ins, e)
			}
		}
	}
	return scores, targets
}

// seriesCache reads each variable's series from the trace once.
type seriesCache struct {
	tr     *model.Trace
	series map[string][]float64
}

func (c *seriesCache) get(name string) ([]float64, error) {
	if s, ok := c.series[name]; ok {
		return s, nil
	}
	s, err := c.tr.Series(name)
	if err != nil {
		return nil, err
	}
	c.series[name] = s
	return s, nil
}

// A perturbed target is an aux or flow whose links are scored by
// evaluating its equation with one input moved at a time.
type perturbed struct {
	p  *model.Perturbation
	z  []float64   // its series
	xs [][]float64 // its inputs' series
	ls [][]float64 // the scores of the links from them
}

// scoreDirect scores the links into stocks (from the flows, signed) and
// into discrete values (their input accounts for all their change), and
// returns the aux and flows whose links need their equations evaluated.
func scoreDirect(g *Graph, tr *model.Trace, targets []*scoreTarget, scores map[[2]string][]float64, series *seriesCache) ([]*perturbed, error) {
	n := tr.Len()
	kinds := map[string]model.NodeKind{}
	for _, nd := range g.m.Graph().Nodes {
		kinds[nd.Name] = nd.Kind
	}
	var ps []*perturbed
	for _, t := range targets {
		z, err := series.get(t.name)
		if err != nil {
			return nil, err
		}
		switch kinds[t.name] {
		case model.NodeStock:
			for _, e := range t.ins {
				f, err := series.get(e.From)
				if err != nil {
					return nil, err
				}
				stockScores(scores[[2]string{e.From, e.To}], tr.Times, f, z, e.Sign)
			}
		case model.NodeFlow, model.NodeAux:
			names := make([]string, len(t.ins))
			pt := &perturbed{z: z}
			for k, e := range t.ins {
				names[k] = e.From
				x, err := series.get(e.From)
				if err != nil {
					return nil, err
				}
				pt.xs = append(pt.xs, x)
				pt.ls = append(pt.ls, scores[[2]string{e.From, e.To}])
			}
			p, err := tr.Perturb(t.name, names)
			if err != nil {
				return nil, err
			}
			pt.p = p
			ps = append(ps, pt)
		default:
			// A discrete value (previous, delay) is its input, later: its
			// one input accounts for all its change.
			for _, e := range t.ins {
				s := scores[[2]string{e.From, e.To}]
				for i := 2; i < n; i++ {
					if z[i] != z[i-1] {
						s[i] = 1
					}
				}
			}
		}
	}
	return ps, nil
}

// scorePerturbed scores the links into the aux and flows ps: at each save
// point i, |Δₓz / Δz| signed by Δₓz / Δx, where Δₓz is the change of z
// with only x moved from i-1 to i. Each stretch of save points has its
// own state buffer.
func scorePerturbed(tr *model.Trace, ps []*perturbed, n int) error {
	if len(ps) == 0 {
		return nil
	}
	errs := inStretches(2, n, func(lo, hi int) error {
		var state, out []float64
		var err error
		for i := lo; i < hi; i++ {
			if state, err = tr.Snapshot(i-1, state); err != nil {
				return err
			}
			for _, pt := range ps {
				if out, err = pt.p.At(i, state, out); err != nil {
					return err
				}
				dz := pt.z[i] - pt.z[i-1]
				for k, x := range pt.xs {
					dx := x[i] - x[i-1]
					if dz == 0 || dx == 0 {
						continue
					}
					dxz := out[k] - pt.z[i-1]
					pt.ls[k][i] = finite(math.Abs(dxz/dz) * sign(dxz/dx))
				}
			}
		}
		return nil
	})
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// stockScores fills s with the scores of the link from flow f to stock S
// whose sign is +1 for an inflow and -1 for an outflow.
func stockScores(s, times, f, S []float64, sgn int) {
	if sgn == 0 {
		return
	}
	for i := 2; i < len(s); i++ {
		den := (S[i] - S[i-1]) - (S[i-1] - S[i-2])
		if den == 0 {
			continue
		}
		dt := times[i] - times[i-1]
		s[i] = finite(float64(sgn) * math.Abs(dt*(f[i-1]-f[i-2])/den))
	}
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// finite maps NaN to 0, so that one undefined score does not poison the
// sums it enters.
func finite(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// loopScores returns the score of each loop at each save point: the
// product of its links' scores, multiplied in the loop's order. Loops that
// begin with the same links share the products of those links: the loops
// are put in a trie by their links, and a walk through it multiplies the
// scores of each link of the trie once.
func loopScores(ls *LinkScores, loops []*Loop) ([][]float64, error) {
	n := len(ls.Times)
	out := make([][]float64, len(loops))
	flat := make([]float64, len(loops)*n)
	for k, lp := range loops {
		out[k] = flat[k*n : (k+1)*n : (k+1)*n]
		for _, e := range lp.edges {
			if ls.scores[e] == nil {
				return nil, fmt.Errorf("loop %s: link %s → %s has no scores", lp.ID, ls.g.Edges[e].From, ls.g.Edges[e].To)
			}
		}
	}
	if n <= ls.first {
		return out, nil // no save point has scores
	}

	// The trie: node 0 is the root; each other node is a link following
	// its parent's, and ends the loops listed from its first loop.
	type node struct{ edge, child, next, first int32 }
	total := 0
	for _, lp := range loops {
		total += len(lp.edges)
	}
	trie := make([]node, 1, 1+total)
	trie[0] = node{child: -1, next: -1, first: -1}
	nextLoop := make([]int32, len(loops))
	maxLen := 0
	for k, lp := range loops {
		cur := int32(0)
		for _, e := range lp.edges {
			c := trie[cur].child
			for c >= 0 && trie[c].edge != int32(e) {
				c = trie[c].next
			}
			if c < 0 {
				c = int32(len(trie))
				trie = append(trie, node{edge: int32(e), child: -1, next: trie[cur].child, first: -1})
				trie[cur].child = c
			}
			cur = c
		}
		nextLoop[k] = trie[cur].first
		trie[cur].first = int32(k)
		maxLen = max(maxLen, len(lp.edges))
	}

	// prod[d] holds the product of the links of the trie node at depth
	// d+1 on the walk's path and its ancestors, at the save points of a
	// stretch.
	// Each stretch of save points walks the trie on its own.
	inStretches(ls.first, n, func(lo, hi int) error {
		m := hi - lo
		prod := make([]float64, maxLen*m)
		type visit struct{ node, depth int32 }
		var stack []visit
		for c := trie[0].child; c >= 0; c = trie[c].next {
			stack = append(stack, visit{c, 0})
		}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			nd, d := trie[v.node], int(v.depth)
			row := prod[d*m : (d+1)*m]
			sc := ls.scores[nd.edge][lo:hi]
			if d == 0 {
				copy(row, sc)
			} else {
				mulInto(row, prod[(d-1)*m:d*m], sc)
			}
			for k := nd.first; k >= 0; k = nextLoop[k] {
				copy(out[k][lo:hi], row)
			}
			for c := nd.child; c >= 0; c = trie[c].next {
				stack = append(stack, visit{c, v.depth + 1})
			}
		}
		return nil
	})
	return out, nil
}

// mulInto sets dst[i] = a[i]*b[i].
func mulInto(dst, a, b []float64) {
	a, b = a[:len(dst)], b[:len(dst)]
	i := 0
	for ; i+4 <= len(dst); i += 4 {
		d, x, y := dst[i:i+4:i+4], a[i:i+4:i+4], b[i:i+4:i+4]
		d[0] = x[0] * y[0]
		d[1] = x[1] * y[1]
		d[2] = x[2] * y[2]
		d[3] = x[3] * y[3]
	}
	for ; i < len(dst); i++ {
		dst[i] = a[i] * b[i]
	}
}

// inStretches splits the save points [lo, hi) into as many stretches as
// there are processors (runtime.GOMAXPROCS), calls f on each at once,
// and returns f's error for each stretch, in order, if any.
func inStretches(lo, hi int, f func(lo, hi int) error) []error {
	const minStretch = 16
	parts := min(runtime.GOMAXPROCS(0), (hi-lo)/minStretch)
	if parts <= 1 {
		if err := f(lo, hi); err != nil {
			return []error{err}
		}
		return nil
	}
	errs := make([]error, parts)
	var wg workGroup
	for p := range parts {
		a, b := lo+(hi-lo)*p/parts, lo+(hi-lo)*(p+1)/parts
		wg.Go(func() { errs[p] = f(a, b) })
	}
	wg.Wait()
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}
