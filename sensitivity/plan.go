package sensitivity

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// Random streams drawn from the seed: one for the sample plan, one for
// Morris's trajectories, one for Sobol's bootstrap. Each is a PCG
// generator seeded with (seed, stream), so the same seed gives the same
// numbers on any machine.
const (
	streamPlan = iota + 1
	streamMorris
	streamBootstrap
)

// plan is a study's sample plan: every run's params as probabilities
// (each mapped to a value through its param's truncated quantile
// function), and for Morris the step that leads to each run. Runs are
// made from a compact description when asked for, so that a shard of a
// large study holds no more than its base sample.
type plan struct {
	spec  *Spec
	quant []func(float64) float64
	d     int // params
	rows  int // runs
	// Monte Carlo: rows × d probabilities; Sobol: N × 2d, the base
	// points A (the first d columns) and B (the last d); row-major.
	unit []float64
	// Morris: each trajectory's start on the grid (N × d levels), the
	// order in which it moves the params (N × d) and each param's target
	// level (N × d).
	start, order, target []int
}

// newPlan makes the sample plan of spec. It depends on nothing but the
// spec, so that every shard of a study makes the same plan.
func newPlan(spec *Spec) (*plan, error) {
	p := &plan{spec: spec, d: len(spec.Params)}
	for _, par := range spec.Params {
		q, err := par.quantiler()
		if err != nil {
			return nil, fmt.Errorf("param %s: %v", par.Name, err)
		}
		p.quant = append(p.quant, q)
	}
	n, d := spec.Samples, p.d
	src := rand.NewPCG(spec.Seed, streamPlan)
	switch spec.Method {
	case MonteCarlo:
		p.rows = n
		p.unit = unitSample(n, d, spec.Sampler, src)
	case Sobol:
		// Saltelli's scheme: two independent samples A and B (the halves
		// of one sample of 2d columns), then for each base point j and
		// param i the point AB_i: A_j with its i-th coordinate from B_j.
		// Runs go base point by base point: A_j, B_j, AB_1, …, AB_d.
		p.rows = n * (d + 2)
		p.unit = unitSample(n, 2*d, spec.Sampler, src)
	case Morris:
		p.morris(rand.New(rand.NewPCG(spec.Seed, streamMorris)))
	default:
		return nil, fmt.Errorf("unknown method %q (want %s, %s or %s)", spec.Method, MonteCarlo, Sobol, Morris)
	}
	return p, nil
}

// unitSample returns n points of the unit hypercube of d dimensions,
// row-major: a Latin hypercube ("lhs"), independent uniform draws
// ("random") or a scrambled Halton sequence ("halton").
func unitSample(n, d int, sampler string, src rand.Source) []float64 {
	batch := mat.NewDense(n, d, nil)
	switch sampler {
	case Halton:
		samplemv.Halton{Kind: samplemv.Owen, Q: distmv.NewUnitUniform(d, nil), Src: src}.Sample(batch)
	case Random:
		samplemv.IID{Dist: distmv.NewUnitUniform(d, src)}.Sample(batch)
	default:
		samplemv.LatinHypercube{Q: distmv.NewUnitUniform(d, nil), Src: src}.Sample(batch)
	}
	return batch.RawMatrix().Data
}

// morris lays out Spec.Samples trajectories of Morris's elementary-effects
// design on a grid of Levels probabilities, the centres of Levels equal
// bins ((k+½)/Levels), so that every point maps to a finite value of any
// distribution. Each trajectory starts at a random grid point and moves
// one param at a time, in random order, by half the levels (a step of ½
// in probability), up or down as the start allows.
func (p *plan) morris(rng *rand.Rand) {
	n, d, levels := p.spec.Samples, p.d, p.spec.Levels
	jump := levels / 2
	p.rows = n * (d + 1)
	p.start = make([]int, n*d)
	p.order = make([]int, 0, n*d)
	p.target = make([]int, n*d)
	for t := range n {
		at := p.start[t*d : (t+1)*d]
		for i := range at {
			at[i] = rng.IntN(levels)
		}
		p.order = append(p.order, rng.Perm(d)...)
		for i, l := range at {
			if l+jump < levels {
				p.target[t*d+i] = l + jump
			} else {
				p.target[t*d+i] = l - jump
			}
		}
	}
}

// grid returns the probability of Morris level k.
func (p *plan) grid(k int) float64 { return (float64(k) + 0.5) / float64(p.spec.Levels) }

// unitRow writes the probabilities of run r into dst.
func (p *plan) unitRow(r int, dst []float64) {
	d := p.d
	switch p.spec.Method {
	case Sobol:
		j, k := r/(d+2), r%(d+2)
		a, b := p.unit[j*2*d:j*2*d+d], p.unit[j*2*d+d:(j+1)*2*d]
		switch k {
		case 1:
			copy(dst, b)
		default:
			copy(dst, a)
			if k >= 2 {
				dst[k-2] = b[k-2]
			}
		}
	case Morris:
		t, k := r/(d+1), r%(d+1)
		for i, l := range p.start[t*d : (t+1)*d] {
			dst[i] = p.grid(l)
		}
		for _, i := range p.order[t*d : t*d+k] {
			dst[i] = p.grid(p.target[t*d+i])
		}
	default:
		copy(dst, p.unit[r*d:(r+1)*d])
	}
}

// values writes the param values of run r into dst.
func (p *plan) values(r int, dst []float64) {
	p.unitRow(r, dst)
	for i, u := range dst {
		dst[i] = p.quant[i](u)
	}
}

// moved returns, for run r of a Morris design, the param its step moved
// and the signed size of the step, in probability; -1 for the first run
// of a trajectory.
func (p *plan) moved(r int) (param int, step float64) {
	d := p.d
	t, k := r/(d+1), r%(d+1)
	if k == 0 {
		return -1, 0
	}
	i := p.order[t*d+k-1]
	return i, p.grid(p.target[t*d+i]) - p.grid(p.start[t*d+i])
}

// samples reports whether run r is a draw from the params' joint
// distribution, which the shares, quantiles and bands describe: every run
// of a Monte Carlo study and of a Morris design, and the A and B runs of a
// Sobol study (not its AB runs, which mix the two).
func (p *plan) samples(r int) bool {
	if p.spec.Method != Sobol {
		return true
	}
	return r%(p.d+2) < 2
}
