package sensitivity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/stockflow/stockflow/model"
)

func parse(t testing.TB, src string) *model.Model {
	t.Helper()
	m, err := model.Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// logistic is logistic growth with P0 = 10 and a threshold at 700; the
// ranges of r and K are filled in.
const logistic = `
name = "logistic"
[sim]
stop = %STOP%
dt = 0.125
method = "rk4"
[params]
r = %R%
K = %K%
P0 = 10
[stocks.population]
initial = "P0"
inflows = ["births"]
[flows.births]
eq = "r * population * (1 - population / K)"
[thresholds.t700]
var = "population"
level = 700
direction = "rising"
`

func logisticModel(t testing.TB, r, k, stop string) *model.Model {
	src := strings.NewReplacer("%R%", r, "%K%", k, "%STOP%", stop).Replace(logistic)
	return parse(t, src)
}

// TestCrossingQuantilesLogistic checks the crossing-time quantiles
// against the closed form: population(t) = K / (1 + (K/P0 - 1) e^(-rt))
// reaches 700 with K = 1000, P0 = 10 at t = ln(231)/r, which falls as r
// rises, so the q-quantile of the crossing time is ln(231)/r_(1-q); with r
// uniform on [0.2, 0.4], r_(1-q) = 0.2 + 0.2(1-q).
func TestCrossingQuantilesLogistic(t *testing.T) {
	m := logisticModel(t, "{ value = 0.3, min = 0.2, max = 0.4 }", "1000", "40")
	for _, sampler := range []string{LHS, Random} {
		res, err := Sensitivity(context.Background(), m, &Options{Samples: 4000, Sampler: sampler, Vars: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Runs != 4000 || len(res.Thresholds) != 1 {
			t.Fatalf("%s: got %d runs, %d thresholds", sampler, res.Runs, len(res.Thresholds))
		}
		tr := res.Thresholds[0]
		if tr.Crossed != 4000 || tr.CrossedShare != 1 {
			t.Errorf("%s: crossed %d (share %g), want all", sampler, tr.Crossed, tr.CrossedShare)
		}
		for k, q := range Probabilities {
			want := math.Log(231) / (0.2 + 0.2*(1-q))
			if got := tr.Quantiles[k]; math.Abs(got-want) > 0.01*want {
				t.Errorf("%s: %g%% quantile of the crossing time: got %g, want %g within 1%%", sampler, 100*q, got, want)
			}
		}
		// The curve "probability crossed by t" is the distribution
		// function of ln(231)/r: P(r ≥ ln(231)/t).
		for _, tt := range []float64{15, 18, 22, 26} {
			want := math.Max(0, math.Min(1, (0.4-math.Log(231)/tt)/0.2))
			if got := tr.CrossedBy(tt); math.Abs(got-want) > 0.02 {
				t.Errorf("%s: crossed by %g: got %g, want %g", sampler, tt, got, want)
			}
		}
	}
}

// TestCrossedShareLogistic: with K uniform on [500, 1500] the population
// settles at K, so a run crosses 700 exactly when K > 700 (given time):
// the share is 0.8. A random sample of 4,000 has a standard error of
// sqrt(0.8·0.2/4000) = 0.0063; a Latin hypercube puts exactly 800 of its
// slices below 700.
func TestCrossedShareLogistic(t *testing.T) {
	m := logisticModel(t, "0.5", "{ value = 1000, min = 500, max = 1500 }", "100")
	for _, tc := range []struct {
		sampler string
		tol     float64
	}{{LHS, 1.0 / 4000}, {Random, 3 * 0.0063}} {
		res, err := Sensitivity(context.Background(), m, &Options{Samples: 4000, Sampler: tc.sampler, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Thresholds[0].CrossedShare; math.Abs(got-0.8) > tc.tol {
			t.Errorf("%s: crossed share %g, want 0.8 within %g", tc.sampler, got, tc.tol)
		}
		// A fifth of the runs never cross: the 5 and 25 % quantiles exist
		// (runs with large K cross first), the 95 % does not.
		q := res.Thresholds[0].Quantiles
		if math.IsNaN(q[0]) || math.IsNaN(q[2]) || !math.IsNaN(q[4]) {
			t.Errorf("%s: quantiles %v, want 5 and 50 %% and no 95 %%", tc.sampler, q)
		}
	}
}

// TestDistributions checks that each declared distribution is sampled as
// declared: the drawn values' empirical distribution function stays
// within the Kolmogorov–Smirnov bound (1.63/√n, 1 %) of the truncated
// distribution's.
func TestDistributions(t *testing.T) {
	m := parse(t, `
[sim]
stop = 1
[params]
u = { value = 1, min = 0, max = 4 }
tri = { value = 1, min = 0, max = 4, dist = "triangular", mode = 1 }
nrm = { value = 2, min = 1, max = 4, dist = "normal", sd = 1.5 }
lgn = { value = 2, max = 6, dist = "lognormal", mean = 2, sd = 1 }
[stocks.s]
initial = "u + tri + nrm + lgn"
`)
	const n = 2000
	runs, err := RunShard(context.Background(), m, &Options{Samples: n, Sampler: Random, Seed: 3}, Shard{})
	if err != nil {
		t.Fatal(err)
	}
	s2 := math.Log1p(1.0 / 4)
	ln := distuv.LogNormal{Mu: math.Log(2) - s2/2, Sigma: math.Sqrt(s2)}
	nr := distuv.Normal{Mu: 2, Sigma: 1.5}
	tri := distuv.NewTriangle(0, 4, 1, nil)
	cdfs := []func(float64) float64{
		func(x float64) float64 { return x / 4 },
		tri.CDF,
		func(x float64) float64 { return (nr.CDF(x) - nr.CDF(1)) / (nr.CDF(4) - nr.CDF(1)) },
		func(x float64) float64 { return ln.CDF(x) / ln.CDF(6) },
	}
	for i, p := range runs.Spec.Params {
		xs := make([]float64, n)
		for r, row := range runs.Rows {
			xs[r] = row.Params[i]
		}
		d := ks(xs, cdfs[i])
		if bound := 1.63 / math.Sqrt(n); d > bound {
			t.Errorf("%s (%s): Kolmogorov–Smirnov distance %g, want below %g", p.Name, p.Dist, d, bound)
		}
	}
}

// ks returns the Kolmogorov–Smirnov distance of the sample xs from cdf.
func ks(xs []float64, cdf func(float64) float64) float64 {
	s := append([]float64(nil), xs...)
	sortFloats(s)
	var d float64
	n := float64(len(s))
	for i, x := range s {
		f := cdf(x)
		d = math.Max(d, math.Max(f-float64(i)/n, float64(i+1)/n-f))
	}
	return d
}

// ishigami is the Ishigami function as a model: y = sin x1 + 7 sin² x2 +
// 0.1 x3⁴ sin x1 with each x uniform on [-π, π], and x4 used nowhere.
const ishigami = `
[sim]
stop = 1
[params]
x1 = { value = 0, min = -3.141592653589793, max = 3.141592653589793 }
x2 = { value = 0, min = -3.141592653589793, max = 3.141592653589793 }
x3 = { value = 0, min = -3.141592653589793, max = 3.141592653589793 }
x4 = { value = 0, min = 0, max = 1 }
[aux.y]
eq = "sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)"
`

// TestSobolIshigami checks the Sobol indices of the Ishigami function
// against their exact values (Ishigami and Homma 1990; as tabulated by
// Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, and
// SALib): S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437; and that
// x4, which no equation uses, gets indices of exactly zero. With the
// default scrambled Halton sample of 4,096 base points (24,576 runs) the
// largest error over seeds 1 to 4 is 0.008; a Latin hypercube needs
// 8,192 base points for 0.02.
func TestSobolIshigami(t *testing.T) {
	m := parse(t, ishigami)
	res, err := Sensitivity(context.Background(), m, &Options{Method: Sobol, Samples: 4096, Seed: 1, Outputs: []Output{{"y", 0}}, Bootstrap: 200})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{"x1": {0.3139, 0.5576}, "x2": {0.4424, 0.4424}, "x3": {0, 0.2437}, "x4": {0, 0}}
	if len(res.Indices) != 4 {
		t.Fatalf("got %d indices, want 4", len(res.Indices))
	}
	for _, x := range res.Indices {
		w := want[x.Param]
		if x.Output != "y@0" {
			t.Errorf("output %q, want y@0", x.Output)
		}
		if math.Abs(x.FirstOrder-w[0]) > 0.02 || math.Abs(x.Total-w[1]) > 0.02 {
			t.Errorf("%s: S = %.4f, ST = %.4f; want %.4f, %.4f within 0.02", x.Param, x.FirstOrder, x.Total, w[0], w[1])
		}
		if !(x.FirstOrderCI[0] <= x.FirstOrder && x.FirstOrder <= x.FirstOrderCI[1]) || !(x.TotalCI[0] <= x.Total && x.Total <= x.TotalCI[1]) {
			t.Errorf("%s: S = %g outside its interval %v, or ST = %g outside %v", x.Param, x.FirstOrder, x.FirstOrderCI, x.Total, x.TotalCI)
		}
		if x.Param == "x4" && (x.Total != 0 || x.FirstOrder != 0) {
			t.Errorf("x4, used nowhere: S = %g, ST = %g, want 0", x.FirstOrder, x.Total)
		}
	}
	if got := []string{res.Indices[0].Param, res.Indices[1].Param, res.Indices[2].Param, res.Indices[3].Param}; strings.Join(got, ",") != "x1,x2,x3,x4" {
		t.Errorf("ranked %v, want x1, x2, x3, x4 (by total index)", got)
	}
}

// TestMorrisLinear checks Morris's measures on y = 3a − 2b with a uniform
// on [0, 2] and b on [1, 2]: a step of ½ in probability moves a by 1 and
// b by ½, so every elementary effect of a is 3·2 = 6 and of b −2·1 = −2;
// μ* = 6 and 2, μ = 6 and −2, σ = 0; c, used nowhere, gets 0.
func TestMorrisLinear(t *testing.T) {
	m := parse(t, `
[sim]
stop = 1
[params]
a = { value = 1, min = 0, max = 2 }
b = { value = 1, min = 1, max = 2 }
c = { value = 1, min = 0, max = 9 }
[aux.y]
eq = "3 * a - 2 * b"
`)
	res, err := Sensitivity(context.Background(), m, &Options{Method: Morris, Samples: 20, Outputs: []Output{{"y", 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Runs != 20*4 {
		t.Errorf("runs %d, want 80", res.Runs)
	}
	want := map[string][3]float64{"a": {6, 6, 0}, "b": {2, -2, 0}, "c": {0, 0, 0}}
	for _, x := range res.Indices {
		w := want[x.Param]
		if math.Abs(x.MuStar-w[0]) > 1e-9 || math.Abs(x.Mu-w[1]) > 1e-9 || math.Abs(x.Sigma-w[2]) > 1e-9 {
			t.Errorf("%s: μ* %g, μ %g, σ %g; want %v", x.Param, x.MuStar, x.Mu, x.Sigma, w)
		}
	}
}

// TestWorkersAndShards checks that the result depends on neither the
// number of workers nor the sharding: shards written to JSON, read back
// and merged give the unsharded result bit for bit.
func TestWorkersAndShards(t *testing.T) {
	m := logisticModel(t, "{ value = 0.3, min = 0.1, max = 0.5 }", "{ value = 1000, min = 500, max = 1500 }", "30")
	for _, method := range []string{MonteCarlo, Sobol, Morris} {
		opt := &Options{Method: method, Samples: 60, Seed: 11, Workers: 1, Vars: []string{"population"}, Outputs: []Output{{"population", 10}}, Bootstrap: 50}
		one, err := Sensitivity(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(one)
		opt.Workers = 5
		many, err := Sensitivity(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := json.Marshal(many); !bytes.Equal(got, want) {
			t.Errorf("%s: 5 workers give another result than 1", method)
		}
		var shards []*Runs
		for _, k := range []int{2, 0, 1} {
			r, err := RunShard(context.Background(), m, opt, Shard{K: k, N: 3})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := r.WriteJSON(&buf); err != nil {
				t.Fatal(err)
			}
			back, err := ReadRuns(&buf)
			if err != nil {
				t.Fatal(err)
			}
			shards = append(shards, back)
		}
		if _, err := Analyze(shards[0]); err == nil || !strings.Contains(err.Error(), "merge every shard") {
			t.Errorf("%s: analysing one shard: got %v, want a request to merge", method, err)
		}
		if _, err := Merge(shards[0], shards[1]); err == nil || !strings.Contains(err.Error(), "in no shard") {
			t.Errorf("%s: merging two of three shards: got %v", method, err)
		}
		if _, err := Merge(shards[0], shards[1], shards[2], shards[1]); err == nil || !strings.Contains(err.Error(), "is in shards") {
			t.Errorf("%s: merging a shard twice: got %v", method, err)
		}
		merged, err := Merge(shards...)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Analyze(merged)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := json.Marshal(res); !bytes.Equal(got, want) {
			t.Errorf("%s: merged shards give another result than the unsharded study", method)
		}
	}
}

func TestMergeOtherStudy(t *testing.T) {
	m := logisticModel(t, "{ value = 0.3, min = 0.1, max = 0.5 }", "1000", "30")
	a, err := RunShard(context.Background(), m, &Options{Samples: 10, Seed: 1}, Shard{0, 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := RunShard(context.Background(), m, &Options{Samples: 10, Seed: 2}, Shard{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Merge(a, b)
	if err == nil || !strings.Contains(err.Error(), "its seed is 2, not 1") {
		t.Errorf("got %v, want the seeds named", err)
	}
}

func TestBadOptions(t *testing.T) {
	m := logisticModel(t, "{ value = 0.3, min = 0.1, max = 0.5 }", "1000", "30")
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{Params: []string{"rr"}}, `the model has no param "rr" (did you mean "r"?)`},
		{Options{Params: []string{"K"}}, "test.toml:9:1: params.K has no range to draw from"},
		{Options{Method: "fast"}, `unknown method "fast"`},
		{Options{Sampler: "sobol"}, `unknown sampler "sobol"`},
		{Options{Samples: 1}, "at least 2 samples"},
		{Options{Method: Morris, Levels: 3}, "even number of levels"},
		{Options{Thresholds: []string{"t70"}}, `no threshold "t70" (did you mean "t700"?)`},
		{Options{Vars: []string{"populaton"}}, `vars: the model has no stock, flow or aux "populaton" (did you mean "population"?)`},
		{Options{Outputs: []Output{{"population", 99}}}, "output population@99: time 99 is outside the run [0, 30]"},
		{Options{Run: model.RunOptions{Scenario: "x"}}, `unknown scenario "x"`},
		{Options{Params: []string{"r"}, Run: model.RunOptions{Set: map[string]float64{"r": 0.3}}}, `param "r" is both varied by the study and fixed in every run`},
	} {
		_, err := Sensitivity(context.Background(), m, &tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want …%s…", tc.opt, err, tc.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		s, env, want string
	}{
		{"0/4", "", "0/4"},
		{"3/4", "", "3/4"},
		{"4/4", "", "error"},
		{"-1/4", "", "error"},
		{"1/0", "", "error"},
		{"auto/4", "2", "2/4"},
		{"auto/4", "", "error"},
		{"x", "", "error"},
	} {
		t.Setenv("JOB_COMPLETION_INDEX", tc.env)
		t.Setenv("SLURM_ARRAY_TASK_ID", "")
		sh, err := ParseShard(tc.s)
		got := sh.String()
		if err != nil {
			got = "error"
		}
		if got != tc.want {
			t.Errorf("ParseShard(%q) with index %q: got %s (%v), want %s", tc.s, tc.env, got, err, tc.want)
		}
	}
	t.Setenv("JOB_COMPLETION_INDEX", "")
	t.Setenv("SLURM_ARRAY_TASK_ID", "5")
	if sh, err := ParseShard("auto/8"); err != nil || sh != (Shard{5, 8}) {
		t.Errorf("auto/8 with SLURM_ARRAY_TASK_ID=5: got %v, %v", sh, err)
	}
	// The shards of a study cover its runs once each.
	for _, total := range []int{0, 1, 7, 100} {
		next := 0
		for k := range 6 {
			lo, hi := Shard{k, 6}.Range(total)
			if lo != next || hi < lo {
				t.Errorf("%d runs, shard %d/6: [%d, %d), want to start at %d", total, k, lo, hi, next)
			}
			next = hi
		}
		if next != total {
			t.Errorf("%d runs: the shards end at %d", total, next)
		}
	}
}

func sortFloats(s []float64) { slices.Sort(s) }

// TestWorkerPanic checks that a panic on a worker (here in Progress)
// reaches the caller, where a recover can catch it, instead of ending the
// program.
func TestWorkerPanic(t *testing.T) {
	m := logisticModel(t, "{ value = 0.3, min = 0.1, max = 0.5 }", "1000", "30")
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.Contains(s, "in a worker: boom") {
			t.Errorf("recovered %v, want the worker's panic", r)
		}
	}()
	RunShard(context.Background(), m, &Options{Samples: 20, Workers: 3, Progress: func(done, total int) { panic("boom") }}, Shard{})
	t.Error("RunShard returned")
}

// TestFixedParams checks that the params a run fixes — by Set or by its
// scenario — stay out of the default study, and that a scenario's param
// named in Params is varied.
func TestFixedParams(t *testing.T) {
	m := parse(t, `
[sim]
stop = 1
[params]
a = { value = 1, min = 0, max = 2 }
b = { value = 1, min = 0, max = 2 }
c = { value = 1, min = 0, max = 2 }
[aux.y]
eq = "a + b + c"
[scenarios.low_b]
set = { b = 0.5 }
`)
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{}, "a,b,c"},
		{Options{Run: model.RunOptions{Set: map[string]float64{"a": 1.5}}}, "b,c"},
		{Options{Run: model.RunOptions{Scenario: "low_b"}}, "a,c"},
		{Options{Run: model.RunOptions{Scenario: "low_b"}, Params: []string{"b"}}, "b"},
	} {
		spec, err := NewSpec(m, &tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(paramNames(spec.Params), ","); got != tc.want {
			t.Errorf("%+v: varies %s, want %s", tc.opt, got, tc.want)
		}
	}
}

// TestHaltonDimensions: gonum's Halton sequence takes 1,000 dimensions; a
// Sobol study of more than 500 params falls back to a Latin hypercube by
// default and refuses halton when asked for it.
func TestHaltonDimensions(t *testing.T) {
	var b strings.Builder
	b.WriteString("[sim]\nstop = 1\n[params]\n")
	for i := range 501 {
		fmt.Fprintf(&b, "p%d = { value = 0, min = 0, max = 1 }\n", i)
	}
	b.WriteString("[aux.y]\neq = \"p0\"\n")
	m := parse(t, b.String())
	spec, err := NewSpec(m, &Options{Method: Sobol})
	if err != nil {
		t.Fatal(err)
	}
	if spec.Sampler != LHS {
		t.Errorf("501 params: sampler %q, want lhs", spec.Sampler)
	}
	if _, err := NewSpec(m, &Options{Method: Sobol, Sampler: Halton}); err == nil || !strings.Contains(err.Error(), "up to 1000 dimensions, and this study needs 1002") {
		t.Errorf("halton asked for: got %v", err)
	}
}

// paramNames returns the names of ps.
func paramNames(ps []Param) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}

// TestThresholdUnits: a threshold's level is reported in its variable's
// checked units — declared, or inferred where none is declared — and a
// model without units reports none.
func TestThresholdUnits(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"none", logistic, ""},
		{"declared", strings.Replace(logistic, "[stocks.population]\n", "[stocks.population]\nunits = \"people\"\n", 1), "people"},
		{"inferred", strings.Replace(logistic, "P0 = 10\n", "P0 = { value = 10, units = \"people\" }\n", 1), "people"},
	} {
		src := strings.NewReplacer("%R%", "{ value = 0.3, min = 0.2, max = 0.4 }", "%K%", "1000", "%STOP%", "40").Replace(c.src)
		res, err := Sensitivity(context.Background(), parse(t, src), &Options{Samples: 20, Vars: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Thresholds[0].Units; got != c.want {
			t.Errorf("%s: units %q, want %q", c.name, got, c.want)
		}
		var b bytes.Buffer
		if err := res.WriteText(&b, 0); err != nil {
			t.Fatal(err)
		}
		want := "t700: population rising 700\n"
		if c.want != "" {
			want = "t700: population rising 700 " + c.want + "\n"
		}
		if !strings.Contains(b.String(), want) {
			t.Errorf("%s: report lacks %q:\n%s", c.name, want, b.String())
		}
	}
}
