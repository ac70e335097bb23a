package sensitivity

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// sobolIndices estimates the first-order and total Sobol indices of the
// output y (one value per run of a Saltelli design) for each param, with
// the estimators of Saltelli et al. (2010), "Variance based sensitivity
// analysis of model output", Computer Physics Communications 181(2):
//
//	S_i  = mean_j f(B_j)·(f(AB_i,j) − f(A_j)) / V
//	ST_i = mean_j (f(A_j) − f(AB_i,j))² / 2V    (Jansen's estimator)
//
// V the variance of the A and B runs together. The outputs are centred on
// the mean of the A and B runs first: that leaves the indices' expected
// values as they are and keeps S_i's estimate from drowning in the
// output's mean (a crossing time near 2030 would otherwise give first-
// order indices of ±10). The 95 % intervals are the
// 2.5 and 97.5 % points of the estimates over bootstrap resamples of the
// base points.
func sobolIndices(p *plan, y []float64, bootstrap int) []Index {
	d, n := p.d, p.spec.Samples
	stride := d + 2
	fa := func(j int) float64 { return y[j*stride] }
	fb := func(j int) float64 { return y[j*stride+1] }
	fab := func(j, i int) float64 { return y[j*stride+2+i] }

	// estimate computes every param's S and ST from the base points js.
	estimate := func(js []int, s, st []float64) {
		ab := make([]float64, 0, 2*len(js))
		for _, j := range js {
			ab = append(ab, fa(j), fb(j))
		}
		mean, v := stat.MeanVariance(ab, nil)
		for i := range d {
			var s1, s2 float64
			for _, j := range js {
				a, b, x := fa(j)-mean, fb(j)-mean, fab(j, i)-mean
				s1 += b * (x - a)
				s2 += (a - x) * (a - x)
			}
			m := float64(len(js))
			s[i], st[i] = s1/m/v, s2/(2*m)/v
			if !(v > 0) {
				s[i], st[i] = math.NaN(), math.NaN()
			}
		}
	}
	js := make([]int, n)
	for j := range js {
		js[j] = j
	}
	s, st := make([]float64, d), make([]float64, d)
	estimate(js, s, st)
	idx := make([]Index, d)
	for i := range idx {
		idx[i] = Index{FirstOrder: s[i], Total: st[i], MuStar: math.NaN(), Mu: math.NaN(), Sigma: math.NaN()}
		idx[i].FirstOrderCI = [2]float64{math.NaN(), math.NaN()}
		idx[i].TotalCI = [2]float64{math.NaN(), math.NaN()}
	}
	if bootstrap == 0 {
		return idx
	}
	rng := rand.New(rand.NewPCG(p.spec.Seed, streamBootstrap))
	bs, bst := make([][]float64, d), make([][]float64, d)
	for b := 0; b < bootstrap; b++ {
		for j := range js {
			js[j] = rng.IntN(n)
		}
		estimate(js, s, st)
		for i := range d {
			bs[i] = append(bs[i], s[i])
			bst[i] = append(bst[i], st[i])
		}
	}
	interval := func(x []float64) [2]float64 {
		if slices.ContainsFunc(x, math.IsNaN) {
			return [2]float64{math.NaN(), math.NaN()}
		}
		slices.Sort(x)
		return [2]float64{stat.Quantile(0.025, stat.Empirical, x, nil), stat.Quantile(0.975, stat.Empirical, x, nil)}
	}
	for i := range idx {
		idx[i].FirstOrderCI = interval(bs[i])
		idx[i].TotalCI = interval(bst[i])
	}
	return idx
}

// morrisIndices computes Morris's elementary-effects measures of the
// output y (one value per run of a Morris design) for each param: the
// elementary effect of a step is the change of the output divided by the
// step, in probability (±½); μ* is the mean of their absolute values
// (Campolongo, Cariboni and Saltelli 2007), μ their mean and σ their
// standard deviation over the trajectories.
func morrisIndices(p *plan, y []float64) []Index {
	d := p.d
	ee := make([][]float64, d)
	for r := range y {
		i, step := p.moved(r)
		if i < 0 {
			continue
		}
		ee[i] = append(ee[i], (y[r]-y[r-1])/step)
	}
	idx := make([]Index, d)
	for i, e := range ee {
		abs := make([]float64, len(e))
		for k, x := range e {
			abs[k] = math.Abs(x)
		}
		mu, sd := stat.MeanStdDev(e, nil)
		nan := [2]float64{math.NaN(), math.NaN()}
		idx[i] = Index{MuStar: stat.Mean(abs, nil), Mu: mu, Sigma: sd,
			FirstOrder: math.NaN(), Total: math.NaN(), FirstOrderCI: nan, TotalCI: nan}
	}
	return idx
}
