package loops

import (
	"math"

	"github.com/stockflow/stockflow/model"
)

// ScoreMethod says how link scores are computed.
type ScoreMethod string

// The score methods.
const (
	// Continuous scores are the limit of the Loops That Matter formulas
	// as the interval shrinks to 0, evaluated at each save point of the
	// trace from the state there alone. A link x → z into an aux or flow
	// scores |∂z/∂x·ẋ / ż|·sign(∂z/∂x); a link from a flow f to its stock
	// S scores |ḟ / S̈|, with + for an inflow and − for an outflow. The
	// time derivatives come from the chain rule: a stock's is its net
	// flow, an aux's or flow's ż = Σ ∂z/∂x·ẋ + ∂z/∂t, the partial
	// derivatives by central differences on the equation. Only the run's
	// accuracy matters, not the spacing of the save points.
	Continuous ScoreMethod = "continuous"
	// Discrete scores are the Loops That Matter of the papers (Schoenberg,
	// Eberlein and Hayward 2020; the flow-to-stock formula corrected in
	// 2023) over the intervals between save points, as Stella and Simlin
	// compute them: for comparison with those tools. They change with
	// the save interval.
	Discrete ScoreMethod = "discrete"
)

// scoreContinuous computes the continuous link scores, at every save
// point, of the links of the expanded graph that the needed collapsed
// links pass through, keyed by {from, to}.
func scoreContinuous(g *Graph, tr *model.Trace, need []bool) (map[[2]string][]float64, error) {
	n := tr.Len()
	mg := g.m.Graph()
	index := make(map[string]int, len(mg.Nodes))
	for k, nd := range mg.Nodes {
		index[nd.Name] = k
	}
	// The inputs of each node, and which of its in-links are scored.
	type input struct {
		from int
		sign int       // a flow into a stock: +1 inflow, -1 outflow
		s    []float64 // its scores, if needed
	}
	ins := make([][]input, len(mg.Nodes))
	for _, e := range mg.Edges {
		to := index[e.To]
		ins[to] = append(ins[to], input{from: index[e.From], sign: e.Sign})
	}
	scores := map[[2]string][]float64{}
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
				s := make([]float64, n)
				scores[key] = s
				from, to := index[e.From], index[e.To]
				for j := range ins[to] {
					if ins[to][j].from == from {
						ins[to][j].s = s
					}
				}
			}
		}
	}

	// The values of every node, and the order in which aux and flows can
	// be differentiated: each after its aux and flow inputs.
	series := make([][]float64, len(mg.Nodes))
	for k, nd := range mg.Nodes {
		s, err := tr.Series(nd.Name)
		if err != nil {
			return nil, err
		}
		series[k] = s
	}
	var eqs []int
	done := make([]bool, len(mg.Nodes))
	var visit func(v int)
	visit = func(v int) {
		if done[v] {
			return
		}
		done[v] = true
		for _, in := range ins[v] {
			if k := mg.Nodes[in.from].Kind; k == model.NodeAux || k == model.NodeFlow {
				visit(in.from)
			}
		}
		eqs = append(eqs, v)
	}
	for v, nd := range mg.Nodes {
		if nd.Kind == model.NodeAux || nd.Kind == model.NodeFlow {
			visit(v)
		}
	}
	perts := make([]*model.Perturbation, len(mg.Nodes))
	for _, v := range eqs {
		names := make([]string, len(ins[v]))
		for j, in := range ins[v] {
			names[j] = mg.Nodes[in.from].Name
		}
		p, err := tr.Perturb(mg.Nodes[v].Name, names)
		if err != nil {
			return nil, err
		}
		perts[v] = p
	}
	var stocks, discrete []int
	for v, nd := range mg.Nodes {
		switch nd.Kind {
		case model.NodeStock:
			stocks = append(stocks, v)
		case model.NodeDiscrete:
			discrete = append(discrete, v)
		}
	}
	times := tr.Times

	errs := inStretches(0, n, func(lo, hi int) error {
		var state, out []float64
		var err error
		d := make([]float64, len(mg.Nodes))  // ẋ of each node
		d2 := make([]float64, len(mg.Nodes)) // S̈ of each stock
		for i := lo; i < hi; i++ {
			if state, err = tr.Snapshot(i, state); err != nil {
				return err
			}
			clear(d)
			for _, v := range stocks {
				for _, in := range ins[v] {
					d[v] += float64(in.sign) * series[in.from][i]
				}
			}
			for _, v := range discrete {
				d[v] = slope(times, series[v], i)
			}
			for _, v := range eqs {
				if out, err = perts[v].Partials(i, state, out); err != nil {
					return err
				}
				dz := out[len(ins[v])] // ∂z/∂t
				for j, in := range ins[v] {
					dz += out[j] * d[in.from]
				}
				d[v] = dz
				for j, in := range ins[v] {
					if in.s != nil {
						in.s[i] = auxScore(out[j], d[in.from], dz)
					}
				}
			}
			for _, v := range stocks {
				d2[v] = 0
				for _, in := range ins[v] {
					d2[v] += float64(in.sign) * d[in.from]
				}
				for _, in := range ins[v] {
					if in.s != nil && d2[v] != 0 {
						in.s[i] = finite(float64(in.sign) * math.Abs(d[in.from]/d2[v]))
					}
				}
			}
			for _, v := range discrete {
				// Its one input accounts for all its change.
				for _, in := range ins[v] {
					if in.s != nil && d[v] != 0 {
						in.s[i] = 1
					}
				}
			}
		}
		return nil
	})
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return scores, nil
}

// auxScore is the continuous score of a link x → z with partial
// derivative dzdx, x changing at dx and z at dz.
func auxScore(dzdx, dx, dz float64) float64 {
	if dz == 0 || dzdx == 0 || dx == 0 {
		return 0
	}
	return finite(math.Abs(dzdx*dx/dz) * sign(dzdx))
}

// slope is the derivative of the series s at save point i: a central
// difference inside the run, one-sided at its ends.
func slope(times, s []float64, i int) float64 {
	lo, hi := max(i-1, 0), min(i+1, len(s)-1)
	if hi == lo || times[hi] == times[lo] {
		return 0
	}
	return (s[hi] - s[lo]) / (times[hi] - times[lo])
}
