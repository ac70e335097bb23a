package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// The minimisers Options.Method names.
const (
	NelderMead = "nelder-mead" // the simplex method, needing no gradient (the default)
	Gradient   = "gradient"    // BFGS, with the gradient by central finite differences
)

// Options says what to fit and how. Params is required; the zero value of
// every other field is its default.
type Options struct {
	// Run is the run every evaluation starts from (scenario, --set values,
	// integrator); the fitted params override its Set.
	Run model.RunOptions
	// Params names the params to fit. Each must declare min and max.
	Params []string
	// Weights weighs each observed variable's squared errors, by name;
	// a variable not named weighs 1. Either way its squared errors are
	// first divided by the variance of its observations, so that series
	// of different sizes count alike.
	Weights map[string]float64
	// Log compares the logarithms of the simulated and observed values
	// (relative errors); every observation must then be positive.
	Log bool
	// Method is NelderMead (default) or Gradient.
	Method string
	// Starts is the number of starting points (default 1): the params'
	// values in Run, then points drawn uniformly in their ranges.
	Starts int
	// Seed seeds the drawn starting points (default 1).
	Seed uint64
	// Workers is the number of starts run at once (default one per core).
	Workers int
	// MaxRuns bounds the model runs of each start (default 5000).
	MaxRuns int
	// Progress, if not nil, is called after each start with the number
	// of starts done and the total, from any goroutine.
	Progress func(done, total int)
}

// Param is a fitted param.
type Param struct {
	Name     string
	Value    float64    // the fitted value
	Start    float64    // the value the best start began from
	Min, Max float64    // its declared range
	Interval [2]float64 // approximate 95 % confidence interval; NaN when the payoff's curvature does not give one
}

// Result is the outcome of a calibration.
type Result struct {
	Params []Param
	Payoff float64 // the weighted sum of squared errors at the fitted values
	// Fit holds the statistics of each observed variable at the fitted
	// values, by name.
	Fit map[string]Fit
	// Vars lists the observed variables, in the data's column order.
	Vars []string
	// Runs is the number of model runs made, in all starts.
	Runs int
	// Best is the run at the fitted values, recording the observed
	// variables.
	Best *model.Result
}

// Values returns the fitted values by name.
func (r *Result) Values() map[string]float64 {
	out := make(map[string]float64, len(r.Params))
	for _, p := range r.Params {
		out[p.Name] = p.Value
	}
	return out
}

// problem is one calibration's payoff, shared by its starts.
type problem struct {
	m       *model.Model
	obs     *decl.Table
	opt     Options
	params  []Param
	weights []float64 // per observed column: weight / variance
	nObs    int
}

// Calibrate fits opt.Params of m to the observations obs, minimising the
// payoff, and reports the fit (see the package documentation).
func Calibrate(ctx context.Context, m *model.Model, obs *decl.Table, opt Options) (*Result, error) {
	p, err := newProblem(m, obs, opt)
	if err != nil {
		return nil, err
	}
	opt = p.opt
	starts := p.starts()
	type outcome struct {
		x    []float64
		f    float64
		runs int
		err  error
	}
	outs := make([]outcome, len(starts))
	var wg sync.WaitGroup
	sem := make(chan struct{}, opt.Workers)
	var mu sync.Mutex
	done := 0
	for k := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			x, f, runs, err := p.minimize(ctx, starts[k])
			outs[k] = outcome{x, f, runs, err}
			if opt.Progress != nil {
				mu.Lock()
				done++
				opt.Progress(done, len(starts))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	best := -1
	res := &Result{Vars: obs.Names}
	for k, o := range outs {
		res.Runs += o.runs
		if o.err != nil {
			return nil, fmt.Errorf("start %d: %w", k+1, o.err)
		}
		if best < 0 || o.f < outs[best].f {
			best = k
		}
	}
	x := outs[best].x
	res.Payoff = outs[best].f
	if math.IsInf(res.Payoff, 1) {
		return nil, errors.New("no run of the model could be compared with the data: every run failed")
	}
	res.Params = make([]Param, len(p.params))
	copy(res.Params, p.params)
	for i := range res.Params {
		res.Params[i].Value = x[i]
		res.Params[i].Start = starts[best][i]
	}
	iv, runs := p.intervals(ctx, x, res.Payoff)
	res.Runs += runs
	for i := range res.Params {
		res.Params[i].Interval = iv[i]
	}
	run, err := p.run(ctx, x)
	res.Runs++
	if err != nil {
		return nil, err
	}
	res.Best = run
	if res.Fit, err = Compare(run, obs); err != nil {
		return nil, err
	}
	return res, nil
}

func newProblem(m *model.Model, obs *decl.Table, opt Options) (*problem, error) {
	if len(opt.Params) == 0 {
		return nil, errors.New("no params to fit: name at least one")
	}
	if opt.Starts == 0 {
		opt.Starts = 1
	}
	if opt.Starts < 0 {
		return nil, fmt.Errorf("starts must be positive, not %d", opt.Starts)
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.MaxRuns <= 0 {
		opt.MaxRuns = 5000
	}
	switch opt.Method {
	case "":
		opt.Method = NelderMead
	case NelderMead, Gradient:
	default:
		return nil, fmt.Errorf("unknown method %q (want %s or %s)", opt.Method, NelderMead, Gradient)
	}
	p := &problem{m: m, obs: obs, opt: opt}
	seen := map[string]bool{}
	for _, name := range opt.Params {
		v := m.Decl.Var(name)
		switch {
		case v == nil || v.Kind != decl.Param:
			return nil, fmt.Errorf("%q is not a param of the model", name)
		case seen[name]:
			return nil, fmt.Errorf("param %q is named twice", name)
		case v.Min == nil || v.Max == nil:
			return nil, syntax.ErrorList{{Pos: v.Pos, Key: v.Key, Msg: fmt.Sprintf("param %q has no range: declare its min and max, the range calibration searches", name)}}
		case *v.Min >= *v.Max:
			return nil, fmt.Errorf("param %q has an empty range [%s, %s] to search", name, ff(*v.Min), ff(*v.Max))
		}
		seen[name] = true
		start := v.Value
		if s, ok := opt.Run.Set[name]; ok {
			start = s
		}
		p.params = append(p.params, Param{Name: name, Start: start, Min: *v.Min, Max: *v.Max})
	}
	for w := range opt.Weights {
		if obs.Col(w) == nil {
			return nil, fmt.Errorf("a weight is given for %q, which the data has no column for", w)
		}
	}
	if len(obs.Names) == 0 {
		return nil, fmt.Errorf("%s has no column of observations besides the times", obs.File)
	}
	for j, name := range obs.Names {
		v := m.Decl.Var(name)
		if v == nil || v.Kind == decl.Param || v.Kind == decl.Lookup {
			msg := fmt.Sprintf("%s: column %q names no stock, flow, aux or data variable of the model", obs.File, name)
			if s := syntax.Suggest(name, m.Names()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, errors.New(msg)
		}
		var xs []float64
		for _, a := range obs.Cols[j] {
			if math.IsNaN(a) {
				continue
			}
			if opt.Log {
				if a <= 0 {
					return nil, fmt.Errorf("%s: column %q has %s, and log errors need positive observations", obs.File, name, ff(a))
				}
				a = math.Log(a)
			}
			xs = append(xs, a)
		}
		if len(xs) == 0 {
			return nil, fmt.Errorf("%s: column %q has no observations", obs.File, name)
		}
		p.nObs += len(xs)
		w := 1.0
		if ww, ok := opt.Weights[name]; ok {
			if ww < 0 || math.IsNaN(ww) || math.IsInf(ww, 0) {
				return nil, fmt.Errorf("the weight of %q must be a finite number not below 0, not %s", name, ff(ww))
			}
			w = ww
		}
		p.weights = append(p.weights, w/scale(xs))
	}
	p.opt.Run.Vars = append([]string(nil), obs.Names...)
	return p, nil
}

// scale returns the variance of xs, or, for a series without variance,
// its mean square (or 1), so that its errors are still weighed.
func scale(xs []float64) float64 {
	var m, v, sq float64
	for _, x := range xs {
		m += x
		sq += x * x
	}
	n := float64(len(xs))
	m /= n
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	v /= n
	switch {
	case v > 1e-12*sq/n:
		return v
	case sq > 0:
		return sq / n
	}
	return 1
}

// starts returns the starting points: the params' values, then draws.
func (p *problem) starts() [][]float64 {
	rng := rand.New(rand.NewPCG(p.opt.Seed, 0x63616c6962726174))
	out := make([][]float64, p.opt.Starts)
	for k := range out {
		x := make([]float64, len(p.params))
		for i, pr := range p.params {
			if k == 0 {
				x[i] = pr.Start
			} else {
				x[i] = pr.Min + rng.Float64()*(pr.Max-pr.Min)
			}
		}
		out[k] = x
	}
	return out
}

// toU maps a param value into the search space, the real line.
func (p *problem) toU(x []float64) []float64 {
	u := make([]float64, len(x))
	for i, pr := range p.params {
		f := (x[i] - pr.Min) / (pr.Max - pr.Min)
		f = min(max(f, 1e-9), 1-1e-9)
		u[i] = math.Log(f / (1 - f))
	}
	return u
}

// toX maps a point of the search space to param values.
func (p *problem) toX(u, x []float64) {
	for i, pr := range p.params {
		x[i] = pr.Min + (pr.Max-pr.Min)/(1+math.Exp(-u[i]))
	}
}

// run runs the model with the params at x.
func (p *problem) run(ctx context.Context, x []float64) (*model.Result, error) {
	opt := p.opt.Run
	set := make(map[string]float64, len(opt.Set)+len(x))
	for k, v := range opt.Set {
		set[k] = v
	}
	for i, pr := range p.params {
		set[pr.Name] = x[i]
	}
	opt.Set = set
	return p.m.Run(ctx, opt)
}

// payoff returns the weighted sum of squared errors at x; +Inf when the
// run fails or gives a non-finite value where there is an observation.
func (p *problem) payoff(ctx context.Context, x []float64) float64 {
	res, err := p.run(ctx, x)
	if err != nil {
		return math.Inf(1)
	}
	total := 0.0
	for j, name := range p.obs.Names {
		sim, act, err := pairs(res, p.obs, j, name)
		if err != nil {
			return math.Inf(1)
		}
		sum := 0.0
		for i := range sim {
			s, a := sim[i], act[i]
			if p.opt.Log {
				if s <= 0 {
					return math.Inf(1)
				}
				s, a = math.Log(s), math.Log(a)
			}
			e := s - a
			sum += e * e
		}
		total += p.weights[j] * sum
	}
	if math.IsNaN(total) {
		return math.Inf(1)
	}
	return total
}

// errStop ends a start whose context is done or whose runs are spent.
var errStop = errors.New("stop")

// minimize runs one start from x0 and returns the best values found, the
// payoff there and the model runs made.
func (p *problem) minimize(ctx context.Context, x0 []float64) ([]float64, float64, int, error) {
	runs := 0
	x := make([]float64, len(x0))
	f := func(u []float64) float64 {
		runs++
		p.toX(u, x)
		return p.payoff(ctx, x)
	}
	prob := optimize.Problem{Func: f}
	var method optimize.Method = &optimize.NelderMead{}
	if p.opt.Method == Gradient {
		prob.Grad = func(grad, u []float64) {
			fd.Gradient(grad, f, u, &fd.Settings{Formula: fd.Central})
		}
		method = &optimize.BFGS{}
	}
	settings := &optimize.Settings{
		FuncEvaluations: p.opt.MaxRuns,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-10, Iterations: 50},
	}
	if p.opt.Method == Gradient {
		settings.GradientThreshold = 1e-9
	}
	res, err := optimize.Minimize(prob, p.toU(x0), settings, method)
	if ctx.Err() != nil {
		return nil, 0, runs, ctx.Err()
	}
	if res == nil {
		return nil, 0, runs, err
	}
	// Running out of runs, or a line search that cannot improve, still
	// leaves the best point found.
	best := make([]float64, len(x0))
	p.toX(res.X, best)
	return best, res.F, runs, nil
}

// intervals returns approximate 95 % confidence intervals of the params
// at the fitted x from the payoff's curvature: with the payoff a weighted
// sum of squared errors, the covariance of the estimates is about
// 2 s² H⁻¹, H its Hessian and s² = payoff / (n − p) the residual
// variance (Bard, Nonlinear Parameter Estimation, 1974). The Hessian is
// taken by central differences in each param relative to its size.
func (p *problem) intervals(ctx context.Context, x []float64, f float64) ([][2]float64, int) {
	n := len(x)
	out := make([][2]float64, n)
	nan := [2]float64{math.NaN(), math.NaN()}
	for i := range out {
		out[i] = nan
	}
	if p.nObs <= n {
		return out, 0
	}
	sc := make([]float64, n)
	for i, pr := range p.params {
		sc[i] = math.Max(math.Abs(x[i]), 1e-3*(pr.Max-pr.Min))
	}
	runs := 0
	xs := make([]float64, n)
	g := func(z []float64) float64 {
		runs++
		for i := range z {
			xs[i] = z[i] * sc[i]
		}
		return p.payoff(ctx, xs)
	}
	z := make([]float64, n)
	for i := range z {
		z[i] = x[i] / sc[i]
	}
	var h mat.SymDense
	fd.Hessian(&h, g, z, &fd.Settings{Formula: fd.Central, Step: 1e-3, OriginKnown: true, OriginValue: f})
	var chol mat.Cholesky
	if !chol.Factorize(&h) {
		return out, runs
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return out, runs
	}
	s2 := f / float64(p.nObs-n)
	for i := range n {
		v := 2 * s2 * inv.At(i, i)
		if !(v >= 0) || math.IsInf(v, 0) {
			continue
		}
		half := 1.96 * math.Sqrt(v) * sc[i]
		out[i] = [2]float64{x[i] - half, x[i] + half}
	}
	return out, runs
}

func ff(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
