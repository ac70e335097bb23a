package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Probabilities are the quantiles a study reports: 5, 25, 50, 75 and 95 %.
var Probabilities = [5]float64{0.05, 0.25, 0.5, 0.75, 0.95}

// Quantiles holds a value at each of Probabilities; NaN where it does not
// exist (a crossing time beyond the end of the runs). In JSON it is
// {"5": …, "25": …, "50": …, "75": …, "95": …}, null for NaN.
type Quantiles [5]float64

// Result is what a study found.
type Result struct {
	// Spec is the study.
	Spec Spec
	// Runs is the number of runs; Draws the number of those that are
	// draws from the params' distribution (all of them but a Sobol
	// study's AB runs), which the shares, quantiles and bands describe.
	Runs, Draws int
	// Times are the runs' save points.
	Times []float64
	// Thresholds holds, for each of Spec.Thresholds, the share of runs
	// that cross it and when.
	Thresholds []ThresholdResult
	// Bands holds, for each of Spec.Vars, its quantiles over time.
	Bands []Band
	// Outputs describes each output whose indices a Sobol or Morris study
	// reports: the crossing time of each threshold, then Spec.Outputs.
	Outputs []OutputResult
	// Indices holds the sensitivity indices of a Sobol or Morris study,
	// output by output in the order of Outputs, each output's params
	// ranked, the most influential first.
	Indices []Index
}

// ThresholdResult is when the runs cross one threshold.
type ThresholdResult struct {
	Threshold
	// Crossed counts the sample runs that cross the threshold in its
	// direction; CrossedShare is their share of the sample runs.
	Crossed      int
	CrossedShare float64
	// Quantiles of the first crossing time over all sample runs, a run
	// that never crosses counting as crossing after the end: a quantile
	// beyond the crossed share is NaN, "not crossed by the end".
	Quantiles Quantiles
	// CrossingTimes are the first crossing times of the sample runs that
	// cross, in increasing order: the steps of the curve "probability
	// crossed by time t", which rises by 1/Draws at each.
	CrossingTimes []float64

	draws int
}

// CrossedBy returns the share of the draws that have crossed the
// threshold at or before time t.
func (tr *ThresholdResult) CrossedBy(t float64) float64 {
	if tr.draws == 0 {
		return 0
	}
	n, _ := slices.BinarySearch(tr.CrossingTimes, math.Nextafter(t, math.Inf(1)))
	return float64(n) / float64(tr.draws)
}

// Band is the spread of one variable over the sample runs at each save
// point: Q[k][i] is the quantile Probabilities[k] at Times[i].
type Band struct {
	Var string
	Q   [5][]float64
}

// OutputResult describes an output of a Sobol or Morris study.
type OutputResult struct {
	// Name is "crossing_time:NAME" for a threshold's first crossing time,
	// or VAR@TIME.
	Name string
	// Censored counts the runs that never cross, for a crossing time:
	// they count as crossing at the end of the run (the last save point),
	// the earliest time they could have crossed. Zero for VAR@TIME.
	Censored int
	// Mean and Variance of the output over the sample runs.
	Mean, Variance float64
}

// Index is the sensitivity of one output to one param. A Sobol study
// fills FirstOrder, Total and their 95 % bootstrap intervals; a Morris
// study MuStar (the mean absolute elementary effect), Mu (the mean) and
// Sigma (their standard deviation). An index that cannot be computed (an
// output that does not vary) is NaN.
type Index struct {
	Output string
	Param  string

	FirstOrder, Total     float64
	FirstOrderCI, TotalCI [2]float64

	MuStar, Mu, Sigma float64
}

// Analyze turns the runs of a whole study into its result. The result
// depends on the runs alone, in their order: sharded and merged runs give
// the unsharded result bit for bit.
func Analyze(r *Runs) (*Result, error) {
	if r.Shard.N > 1 || len(r.Rows) != r.Total {
		return nil, fmt.Errorf("the runs are shard %s, %d of %d runs: merge every shard of the study first", r.Shard, len(r.Rows), r.Total)
	}
	for i, row := range r.Rows {
		if row.Index != i {
			return nil, errors.New("the runs are out of order")
		}
	}
	spec := &r.Spec
	p, err := newPlan(spec)
	if err != nil {
		return nil, err
	}
	if p.rows != r.Total {
		return nil, fmt.Errorf("the study's plan has %d runs, the runs %d", p.rows, r.Total)
	}
	res := &Result{Spec: *spec, Runs: r.Total, Times: r.Times}
	var sample []int
	for i, row := range r.Rows {
		if p.samples(i) {
			if len(row.Series) != len(spec.Vars) {
				return nil, fmt.Errorf("run %d has %d series for %d variables", i, len(row.Series), len(spec.Vars))
			}
			sample = append(sample, i)
		}
	}
	res.Draws = len(sample)
	buf := make([]float64, len(sample))

	for ti, th := range spec.Thresholds {
		tr := ThresholdResult{Threshold: th, draws: len(sample)}
		for k, i := range sample {
			t := r.Rows[i].Crossings[ti]
			if math.IsNaN(t) {
				t = math.Inf(1)
			} else {
				tr.CrossingTimes = append(tr.CrossingTimes, t)
			}
			buf[k] = t
		}
		slices.Sort(buf)
		slices.Sort(tr.CrossingTimes)
		tr.Crossed = len(tr.CrossingTimes)
		tr.CrossedShare = float64(tr.Crossed) / float64(len(sample))
		tr.Quantiles = quantiles(buf)
		res.Thresholds = append(res.Thresholds, tr)
	}

	for vi, v := range spec.Vars {
		b := Band{Var: v}
		for k := range b.Q {
			b.Q[k] = make([]float64, len(r.Times))
		}
		for ti := range r.Times {
			for k, i := range sample {
				buf[k] = r.Rows[i].Series[vi][ti]
			}
			slices.Sort(buf)
			q := quantiles(buf)
			for k := range q {
				b.Q[k][ti] = q[k]
			}
		}
		res.Bands = append(res.Bands, b)
	}

	if spec.Method == MonteCarlo {
		return res, nil
	}
	end := math.NaN()
	if len(r.Times) > 0 {
		end = r.Times[len(r.Times)-1]
	}
	y := make([]float64, r.Total)
	output := func(o OutputResult) {
		var sy []float64
		for _, i := range sample {
			sy = append(sy, y[i])
		}
		o.Mean, o.Variance = stat.MeanVariance(sy, nil)
		res.Outputs = append(res.Outputs, o)
		var idx []Index
		if spec.Method == Sobol {
			idx = sobolIndices(p, y, spec.Bootstrap)
		} else {
			idx = morrisIndices(p, y)
		}
		for i := range idx {
			idx[i].Output = o.Name
			idx[i].Param = spec.Params[i].Name
		}
		rank(idx, spec.Method)
		res.Indices = append(res.Indices, idx...)
	}
	for ti, th := range spec.Thresholds {
		o := OutputResult{Name: "crossing_time:" + th.Name}
		for i, row := range r.Rows {
			y[i] = row.Crossings[ti]
			if math.IsNaN(y[i]) {
				y[i] = end
				o.Censored++
			}
		}
		output(o)
	}
	for oi, out := range spec.Outputs {
		for i, row := range r.Rows {
			y[i] = row.Outputs[oi]
		}
		output(OutputResult{Name: out.String()})
	}
	return res, nil
}

// quantiles returns the quantiles at Probabilities of sorted values, by
// linear interpolation of the empirical distribution (gonum's
// stat.LinInterp); NaN where the quantile falls among infinite values.
func quantiles(sorted []float64) Quantiles {
	var q Quantiles
	for k, p := range Probabilities {
		q[k] = math.NaN()
		if len(sorted) == 0 {
			continue
		}
		x := stat.Quantile(p, stat.LinInterp, sorted, nil)
		if !math.IsInf(x, 0) && !math.IsNaN(x) {
			q[k] = x
		}
	}
	return q
}

// rank orders indices by influence: by total index (Sobol) or μ*
// (Morris), largest first, NaN last, ties in param order.
func rank(idx []Index, method string) {
	key := func(x Index) float64 {
		v := x.Total
		if method == Morris {
			v = x.MuStar
		}
		if math.IsNaN(v) {
			return math.Inf(-1)
		}
		return v
	}
	slices.SortStableFunc(idx, func(a, b Index) int {
		ka, kb := key(a), key(b)
		switch {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		}
		return 0
	})
}
