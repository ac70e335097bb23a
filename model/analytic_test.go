package model

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

func mustParse(t testing.TB, src string) *Model {
	t.Helper()
	m, err := Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func mustRun(t testing.TB, m *Model, opt RunOptions) *Result {
	t.Helper()
	r, err := m.Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}

const decay = `
[sim]
start = 0
stop = 10
dt = 0.5
[params]
k = 0.3
[stocks.s]
initial = 100
outflows = ["out"]
[flows.out]
eq = "k * s"
`

// TestDecayEuler checks Euler against its exact discrete solution
// s_n = s0 (1 - k dt)^n, to rounding error.
func TestDecayEuler(t *testing.T) {
	m := mustParse(t, decay)
	r := mustRun(t, m, RunOptions{})
	s := r.Series("s")
	if len(s) != 21 {
		t.Fatalf("got %d save points, want 21", len(s))
	}
	for n, got := range s {
		want := 100 * math.Pow(1-0.3*0.5, float64(n))
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("s(t=%g) = %.15g, want %.15g", r.Times[n], got, want)
		}
	}
	out := r.Series("out")
	if math.Abs(out[0]-30) > 1e-12 {
		t.Errorf("out(0) = %g, want 30", out[0])
	}
}

// TestDecayMethods checks every method against exp(-kt), with tolerances
// that fit each method's order at dt = 0.5.
func TestDecayMethods(t *testing.T) {
	m := mustParse(t, decay)
	for _, tc := range []struct {
		method string
		tol    float64 // relative, at t = 10
	}{
		{"euler", 0.25},
		{"rk2", 2e-2},
		{"rk4", 2e-5},
		{"rk45", 1e-6},
	} {
		r := mustRun(t, m, RunOptions{Method: tc.method})
		got, err := r.At("s", 10)
		if err != nil {
			t.Fatal(err)
		}
		want := 100 * math.Exp(-3)
		if rel := math.Abs(got-want) / want; rel > tc.tol {
			t.Errorf("%s: s(10) = %g, want %g (relative error %.2g > %g)", tc.method, got, want, rel, tc.tol)
		}
	}
}

const logistic = `
[sim]
stop = 40
dt = 0.125
method = "rk4"
[params]
r = 0.3
K = 1000
[stocks.population]
initial = 10
inflows = ["births"]
[flows.births]
eq = "r * population * (1 - population / K)"
`

func logisticExact(t float64) float64 {
	const r, K, p0 = 0.3, 1000.0, 10.0
	return K / (1 + (K/p0-1)*math.Exp(-r*t))
}

// TestLogistic checks rk4 against the closed form to 1e-6 relative.
func TestLogistic(t *testing.T) {
	r := mustRun(t, mustParse(t, logistic), RunOptions{})
	for i, tm := range r.Times {
		got, want := r.Series("population")[i], logisticExact(tm)
		if math.Abs(got-want) > 1e-6*want {
			t.Fatalf("population(%g) = %.10g, want %.10g", tm, got, want)
		}
	}
}

// TestConvergenceOrder halves dt and checks that the error at t = 20
// shrinks by 2 for euler, 4 for rk2 and 16 for rk4.
func TestConvergenceOrder(t *testing.T) {
	m := mustParse(t, logistic)
	errAt := func(method string, dt float64) float64 {
		r := mustRun(t, m, RunOptions{Method: method, DT: dt, Stop: 20})
		got, _ := r.At("population", 20)
		return math.Abs(got - logisticExact(20))
	}
	for _, tc := range []struct {
		method   string
		dt       float64
		want     float64
		min, max float64
	}{
		{"euler", 0.05, 2, 1.8, 2.2},
		{"rk2", 0.1, 4, 3.5, 4.5},
		{"rk4", 0.5, 16, 13, 19},
	} {
		ratio := errAt(tc.method, tc.dt) / errAt(tc.method, tc.dt/2)
		if ratio < tc.min || ratio > tc.max {
			t.Errorf("%s: halving dt cut the error %.3g×, want about %g×", tc.method, ratio, tc.want)
		}
	}
}

// TestSmoothStepEuler checks smth1 of a step under Euler against its
// discrete closed form 1 - (1 - dt/T)^k, k steps after the step.
func TestSmoothStepEuler(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 20
dt = 0.25
[aux.input]
eq = "step(1, 2)"
[aux.smoothed]
eq = "smth1(input, 4)"
`)
	r := mustRun(t, m, RunOptions{})
	for i, tm := range r.Times {
		want := 0.0
		if k := math.Round((tm - 2) / 0.25); k > 0 {
			want = 1 - math.Pow(1-0.25/4, k)
		}
		if got := r.Series("smoothed")[i]; math.Abs(got-want) > 1e-12 {
			t.Fatalf("smoothed(%g) = %.15g, want %.15g", tm, got, want)
		}
	}
}

// erlang3 is the CDF of the Erlang distribution with shape 3 and mean T:
// the unit step response of a third-order delay or smooth.
func erlang3(t, T float64) float64 {
	if t <= 0 {
		return 0
	}
	x := 3 * t / T
	return 1 - math.Exp(-x)*(1+x+x*x/2)
}

// TestThirdOrderStepRK4 checks delay3 and smth3 of a unit step at t=1
// against the Erlang-3 CDF under rk4, to 1e-6.
func TestThirdOrderStepRK4(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 30
dt = 0.0625
method = "rk4"
[aux.input]
eq = "step(1, 1)"
[flows.delayed]
eq = "delay3(input, 6)"
[aux.smoothed]
eq = "smth3(input, 6)"
`)
	r := mustRun(t, m, RunOptions{})
	for _, name := range []string{"delayed", "smoothed"} {
		for i, tm := range r.Times {
			want := erlang3(tm-1, 6)
			if got := r.Series(name)[i]; math.Abs(got-want) > 1e-6 {
				t.Fatalf("%s(%g) = %.10g, want %.10g", name, tm, got, want)
			}
		}
	}
}

// TestBassRK45 checks Bass diffusion under rk45 against its closed form,
// to 1e-5 relative, and that rk45's save points fall on the grid.
func TestBassRK45(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 30
dt = 0.5
method = "rk45"
save_every = 1
rel_tol = 1e-8
abs_tol = 1e-10
[params]
p = 0.03
q = 0.38
M = 1000
[stocks.adopters]
initial = 0
inflows = ["adoption"]
[flows.adoption]
eq = "(p + q * adopters / M) * (M - adopters)"
`)
	r := mustRun(t, m, RunOptions{})
	if len(r.Times) != 31 {
		t.Fatalf("got %d save points, want 31", len(r.Times))
	}
	const p, q, M = 0.03, 0.38, 1000.0
	for i, tm := range r.Times {
		if math.Abs(tm-float64(i)) > 1e-12 {
			t.Fatalf("save point %d at t=%g", i, tm)
		}
		e := math.Exp(-(p + q) * tm)
		want := M * (1 - e) / (1 + q/p*e)
		if got := r.Series("adopters")[i]; math.Abs(got-want) > 1e-5*math.Max(want, 1) {
			t.Errorf("adopters(%g) = %.10g, want %.10g", tm, got, want)
		}
	}
	// The crossing of half the market, located on the dense output.
	cs, err := r.Crossings("adopters", 500, Rising)
	if err != nil || len(cs) != 1 {
		t.Fatalf("Crossings = %v, %v; want one", cs, err)
	}
	// Solve M(1-e)/(1+q/p e) = M/2 for e: e = 1/(2 + q/p).
	want := -math.Log(1/(2+q/p)) / (p + q)
	if math.Abs(cs[0].Time-want) > 1e-6 {
		t.Errorf("crossing at %.10g, want %.10g", cs[0].Time, want)
	}
}

// TestPipelineDelayRamp checks the exact pipeline delay: the output is the
// input one delay time earlier, exactly, at every save point.
func TestPipelineDelayRamp(t *testing.T) {
	for _, method := range []string{"euler", "rk4", "rk45"} {
		m := mustParse(t, `
[sim]
stop = 10
dt = 0.25
[aux.input]
eq = "ramp(2, 1)"
[aux.delayed]
eq = "delay(input, 3)"
`)
		r := mustRun(t, m, RunOptions{Method: method})
		for i, tm := range r.Times {
			want := 2 * math.Max(0, tm-3-1)
			if got := r.Series("delayed")[i]; math.Abs(got-want) > 1e-12 {
				t.Fatalf("%s: delayed(%g) = %g, want %g", method, tm, got, want)
			}
		}
	}
}

func TestNonNegativeStock(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 5
dt = 1
[stocks.s]
initial = 25
outflows = ["drain"]
non_negative = true
[flows.drain]
eq = "10"
`)
	r := mustRun(t, m, RunOptions{})
	wantS := []float64{25, 15, 5, 0, 0, 0}
	wantD := []float64{10, 10, 5, 0, 0, 0}
	for i := range r.Times {
		if got := r.Series("s")[i]; got != wantS[i] {
			t.Errorf("s(%g) = %g, want %g", r.Times[i], got, wantS[i])
		}
		if got := r.Series("drain")[i]; got != wantD[i] {
			t.Errorf("drain(%g) = %g, want %g", r.Times[i], got, wantD[i])
		}
	}
}

func TestPreviousAndInit(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 4
dt = 1
[aux.x]
eq = "time * time"
[aux.px]
eq = "previous(x, -1)"
[aux.x0]
eq = "init(x + 5)"
`)
	r := mustRun(t, m, RunOptions{})
	for i, tm := range r.Times {
		wantP := -1.0
		if i > 0 {
			wantP = (tm - 1) * (tm - 1)
		}
		if got := r.Series("px")[i]; got != wantP {
			t.Errorf("px(%g) = %g, want %g", tm, got, wantP)
		}
		if got := r.Series("x0")[i]; got != 5 {
			t.Errorf("x0(%g) = %g, want 5", tm, got)
		}
	}
}

func TestPulse(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 10
dt = 0.5
method = "rk4"
[stocks.total]
initial = 0
inflows = ["in"]
[flows.in]
eq = "pulse(3, 2, 4)"
`)
	r := mustRun(t, m, RunOptions{})
	// Pulses at 2, 6, 10 each add exactly 3 over one dt.
	for i, tm := range r.Times {
		want := 0.0
		for _, p := range []float64{2, 6} {
			if tm > p {
				want += 3
			}
		}
		if got := r.Series("total")[i]; math.Abs(got-want) > 1e-12 {
			t.Errorf("total(%g) = %g, want %g", tm, got, want)
		}
	}
}

func TestRandomSeeded(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 100
dt = 1
[aux.u]
eq = "random(2, 4)"
[aux.z]
eq = "normal(10, 2)"
`)
	a := mustRun(t, m, RunOptions{Seed: 7})
	b := mustRun(t, m, RunOptions{Seed: 7})
	c := mustRun(t, m, RunOptions{Seed: 8})
	same, diff := true, false
	for i := range a.Times {
		same = same && a.Series("u")[i] == b.Series("u")[i] && a.Series("z")[i] == b.Series("z")[i]
		diff = diff || a.Series("u")[i] != c.Series("u")[i]
		if u := a.Series("u")[i]; u < 2 || u >= 4 {
			t.Fatalf("random(2, 4) gave %g", u)
		}
	}
	if !same {
		t.Error("the same seed gave different runs")
	}
	if !diff {
		t.Error("different seeds gave the same run")
	}
}

func TestNaNStopsRun(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 10
[stocks.s]
initial = 1
inflows = ["f"]
[flows.f]
eq = "1 / (3 - time)"
`)
	_, err := m.Run(context.Background(), RunOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	want := `flows.f.eq: f became +Inf at t=3: 1 / (3 - time) with time = 3; stock s became infinite at t=4`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

func TestStepLimit(t *testing.T) {
	m := mustParse(t, decay)
	_, err := m.Run(context.Background(), RunOptions{DT: 1e-7})
	if err == nil {
		t.Fatal("a run of 10 million steps was not refused")
	}
	if _, err := m.Run(context.Background(), RunOptions{DT: 1e-3, MaxSteps: 20000}); err != nil {
		t.Errorf("raised limit: %v", err)
	}
}

func TestCancel(t *testing.T) {
	m := mustParse(t, decay)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Run(ctx, RunOptions{DT: 1e-4}); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestConcurrentRuns runs one compiled model from many goroutines with
// different params and checks each against a run made alone.
func TestConcurrentRuns(t *testing.T) {
	m := mustParse(t, logistic)
	want := make([]float64, 8)
	for i := range want {
		r := mustRun(t, m, RunOptions{Set: map[string]float64{"r": 0.1 + 0.05*float64(i)}})
		want[i] = r.Series("population")[len(r.Times)-1]
	}
	errs := make(chan error, len(want))
	for i := range want {
		go func() {
			r, err := m.Run(context.Background(), RunOptions{Set: map[string]float64{"r": 0.1 + 0.05*float64(i)}})
			if err == nil && r.Series("population")[len(r.Times)-1] != want[i] {
				err = fmt.Errorf("run %d differs when run concurrently", i)
			}
			errs <- err
		}()
	}
	for range want {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestStepAllocatesNothing checks that a run's allocations do not grow
// with its number of steps.
func TestStepAllocatesNothing(t *testing.T) {
	m := mustParse(t, logistic)
	for _, method := range []string{"euler", "rk4", "rk45"} {
		allocs := func(stop float64) float64 {
			return testing.AllocsPerRun(5, func() {
				m.Run(context.Background(), RunOptions{Method: method, Stop: stop, Vars: []string{"population"}, SaveEvery: stop / 4})
			})
		}
		if a, b := allocs(40), allocs(400); a != b {
			t.Errorf("%s: %v allocations for 320 steps, %v for 3200", method, a, b)
		}
	}
}

// TestOutputsDoNotChangeResults checks that asking for fewer outputs,
// which lets a run skip or defer equations, gives the same numbers.
func TestOutputsDoNotChangeResults(t *testing.T) {
	src := logistic + `
[aux.report]
eq = "births * 2 + smth1(population, 3)"
[aux.unused]
eq = "sqrt(population) * time"
`
	m := mustParse(t, src)
	dt := m.Decl.Sim.DT
	for _, method := range []string{"euler", "rk4", "rk45"} {
		// Saving at every step makes each evaluation a save point, which
		// runs the outputs' code with the rates'.
		for _, save := range []float64{0, dt, 2 * dt} {
			full := mustRun(t, m, RunOptions{Method: method, SaveEvery: save})
			for _, vars := range [][]string{{"report"}, {"population"}, {"unused", "births"}} {
				// The second run takes the plan the first made.
				for range 2 {
					part := mustRun(t, m, RunOptions{Method: method, SaveEvery: save, Vars: vars})
					for _, name := range vars {
						a, b := part.Series(name), full.Series(name)
						for i := range b {
							if a[i] != b[i] {
								t.Fatalf("%s, save every %g, outputs %v: %s(%g) = %g, full run %g", method, save, vars, name, full.Times[i], a[i], b[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestPlansKept checks that a model keeps the plan of a set of outputs
// for the runs after the first, one plan a set and settings, and refuses
// a name asked for twice every time.
func TestPlansKept(t *testing.T) {
	m := mustParse(t, logistic)
	for range 3 {
		mustRun(t, m, RunOptions{Vars: []string{"population"}})
		mustRun(t, m, RunOptions{Vars: []string{"births", "population"}})
		mustRun(t, m, RunOptions{})
		mustRun(t, m, RunOptions{Method: "euler"})
		for range 2 {
			if _, err := m.Run(context.Background(), RunOptions{Vars: []string{"births", "births"}}); err == nil || !strings.Contains(err.Error(), `"births" is asked for twice`) {
				t.Fatalf("a name asked for twice: %v", err)
			}
		}
	}
	if len(m.plans) != 4 {
		t.Errorf("%d plans kept, want 4", len(m.plans))
	}
	// Beyond maxPlans, runs still run, each with a plan of its own.
	var src strings.Builder
	src.WriteString(logistic)
	for k := range maxPlans + 3 {
		fmt.Fprintf(&src, "[aux.a%d]\neq = \"population * %d\"\n", k, k)
	}
	m = mustParse(t, src.String())
	for k := range maxPlans + 3 {
		name := fmt.Sprintf("a%d", k)
		for range 2 {
			r := mustRun(t, m, RunOptions{Vars: []string{name}})
			if got, want := r.Series(name)[3], r.Series(name)[0]; k > 0 && got <= want {
				t.Fatalf("%s: %g at the fourth save point, %g at the first", name, got, want)
			}
		}
	}
	if len(m.plans) > maxPlans {
		t.Errorf("%d plans kept, at most %d", len(m.plans), maxPlans)
	}
}

// TestNonNegativeClip checks the clip_stock rule: the stock stops at zero
// and the flow reports what its equation says.
func TestNonNegativeClip(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 5
dt = 1
non_negative = "clip_stock"
[stocks.s]
initial = 25
outflows = ["drain"]
non_negative = true
[flows.drain]
eq = "10"
`)
	r := mustRun(t, m, RunOptions{})
	wantS := []float64{25, 15, 5, 0, 0, 0}
	for i := range r.Times {
		if got := r.Series("s")[i]; got != wantS[i] {
			t.Errorf("s(%g) = %g, want %g", r.Times[i], got, wantS[i])
		}
		if got := r.Series("drain")[i]; got != 10 {
			t.Errorf("drain(%g) = %g, want 10", r.Times[i], got)
		}
	}
	// The run option overrides the model's rule.
	r = mustRun(t, m, RunOptions{NonNegative: "cut_outflows"})
	if got := r.Series("drain")[3]; got != 0 {
		t.Errorf("cut_outflows: drain(3) = %g, want 0", got)
	}
	if _, err := m.Run(context.Background(), RunOptions{NonNegative: "clamp"}); err == nil {
		t.Error("an unknown rule was accepted")
	}
}

func TestCSVQuotesElementNames(t *testing.T) {
	m := mustParse(t, `
[dimensions]
r = ["a", "b"]
s = ["x", "y"]
[aux.m]
dims = ["r", "s"]
eq = "1"
`)
	res := mustRun(t, m, RunOptions{Stop: 1})
	var b strings.Builder
	if err := res.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(b.String(), "\n")
	if want := `time,"m[a,x]","m[a,y]","m[b,x]","m[b,y]"`; head != want {
		t.Errorf("header %s, want %s", head, want)
	}
}
