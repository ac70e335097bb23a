// Package examples_test loads and runs every bundled example model and
// checks each against what its comment promises: an analytic solution, a
// conserved quantity, or the shape of its behaviour.
package examples_test

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// checks holds one check per example file. TestExamples fails for an
// example without one: every example is exercised by a test.
var checks = map[string]func(t *testing.T, m *model.Model, res *model.Result){
	"logistic/logistic.toml":           checkLogistic,
	"sir/sir.toml":                     checkSIR,
	"predator-prey/predator_prey.toml": checkPredatorPrey,
	"arrays/regions.toml":              checkRegions,
	"middle-corridor/corridor.toml":    checkCorridor,
	"bass/bass.toml":                   checkBass,
	"fit/logistic.toml":                checkFit,
}

func TestExamples(t *testing.T) {
	files, err := filepath.Glob("*/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no examples found")
	}
	for _, file := range files {
		file = filepath.ToSlash(file)
		t.Run(file, func(t *testing.T) {
			m, err := model.Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			res, err := m.Run(t.Context(), model.RunOptions{})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res.Len() < 2 {
				t.Fatalf("run has %d save points, want many", res.Len())
			}
			if got, want := res.Names, m.Names(); !slices.Equal(got, want) {
				t.Errorf("result columns %q, want the model's variables %q", got, want)
			}
			checkDeclared(t, m, res)
			check, ok := checks[file]
			if !ok {
				t.Fatalf("no check for %s: add one to checks in examples_test.go", file)
			}
			check(t, m, res)
		})
	}
}

// series returns the named series of res, failing the test if it is absent.
func series(t *testing.T, res *model.Result, name string) []float64 {
	t.Helper()
	ys := res.Series(name)
	if ys == nil {
		t.Fatalf("result has no series %q; it has %q", name, res.Names)
	}
	return ys
}

// param returns the default value of the named param.
func param(t *testing.T, m *model.Model, name string) float64 {
	t.Helper()
	for _, p := range m.Params() {
		if p.Name == name {
			return p.Value
		}
	}
	t.Fatalf("model has no param %q", name)
	return 0
}

// logistic growth: the population follows the exact solution
// K / (1 + (K/P0 - 1) exp(-r t)), approaches K, and crosses K/2 at
// ln(K/P0 - 1)/r.
func checkLogistic(t *testing.T, m *model.Model, res *model.Result) {
	r, K, P0 := param(t, m, "r"), param(t, m, "K"), param(t, m, "P0")
	exact := func(t float64) float64 { return K / (1 + (K/P0-1)*math.Exp(-r*t)) }

	pop := series(t, res, "population")
	const tol = 1e-6 // relative to K; rk4 with dt 0.125 comes within about 1e-8
	for i, tm := range res.Times {
		if got, want := pop[i], exact(tm); math.Abs(got-want) > tol*K {
			t.Fatalf("population(%g) = %.9g, want %.9g (exact) within %g", tm, got, want, tol*K)
		}
	}
	if got := pop[len(pop)-1]; math.Abs(got-K) > 1e-3*K {
		t.Errorf("final population %g, want within 0.1%% of K = %g", got, K)
	}

	// The threshold "majority" at K/2, where the curve turns from
	// accelerating to decelerating.
	th := m.Decl.Thresholds
	if len(th) != 1 || th[0].Name != "majority" || th[0].Level != K/2 {
		t.Fatalf("want one threshold majority at K/2 = %g", K/2)
	}
	cs, err := res.Crossings("population", th[0].Level, model.Rising)
	if err != nil {
		t.Fatal(err)
	}
	if want := math.Log(K/P0-1) / r; len(cs) != 1 || math.Abs(cs[0].Time-want) > 1e-3 {
		t.Errorf("population crosses %g at %v, want once at t = %.6g (within 1e-3)", K/2, cs, want)
	}

	// amenity is the lookup amenity_of_crowding of crowding = population/K:
	// piecewise linear through its points, holding the end values.
	pts := [][2]float64{{0, 1.0}, {0.5, 0.9}, {1.0, 0.5}, {2.0, 0.0}}
	crowding, amenity := series(t, res, "crowding"), series(t, res, "amenity")
	for i := range res.Times {
		if got, want := crowding[i], pop[i]/K; math.Abs(got-want) > 1e-12 {
			t.Fatalf("crowding = %g, want population/K = %g", got, want)
		}
		if got, want := amenity[i], interp(pts, crowding[i]); math.Abs(got-want) > 1e-12 {
			t.Fatalf("amenity = %g at crowding %g, want %g", got, crowding[i], want)
		}
	}
}

// interp evaluates a piecewise-linear lookup that holds its end values.
func interp(pts [][2]float64, x float64) float64 {
	if x <= pts[0][0] {
		return pts[0][1]
	}
	for i := 1; i < len(pts); i++ {
		if x <= pts[i][0] {
			a, b := pts[i-1], pts[i]
			return a[1] + (b[1]-a[1])*(x-a[0])/(b[0]-a[0])
		}
	}
	return pts[len(pts)-1][1]
}

// SIR: S + I + R = N at all times; S + I - (N/R0) ln S is conserved; the
// epidemic rises, peaks at the height that invariant predicts (where
// S = N/R0), and dies out.
func checkSIR(t *testing.T, m *model.Model, res *model.Result) {
	N, I0 := param(t, m, "N"), param(t, m, "I0")
	R0 := param(t, m, "beta") * param(t, m, "duration")
	rho := N / R0
	S, I, R := series(t, res, "susceptible"), series(t, res, "infectious"), series(t, res, "recovered")

	invariant := func(i int) float64 { return S[i] + I[i] - rho*math.Log(S[i]) }
	inv0 := invariant(0)
	for i, tm := range res.Times {
		if got := S[i] + I[i] + R[i]; math.Abs(got-N) > 1e-9*N {
			t.Fatalf("S+I+R = %.12g at t=%g, want N = %g (within 1e-9 N)", got, tm, N)
		}
		if got := invariant(i); math.Abs(got-inv0) > 1e-6*N {
			t.Fatalf("S + I - (N/R0) ln S = %.12g at t=%g, want %.12g (within 1e-6 N)", got, tm, inv0)
		}
	}

	peak := 0
	for i := range I {
		if I[i] > I[peak] {
			peak = i
		}
	}
	if peak == 0 || peak == len(I)-1 {
		t.Fatalf("infectious peaks at t=%g, the edge of the run; want an epidemic that rises and falls", res.Times[peak])
	}
	S0 := N - I0
	want := I0 + S0 - rho*math.Log(S0) - rho + rho*math.Log(rho)
	// The peak is sampled at save points 0.5 days apart: within 0.5%.
	if got := I[peak]; math.Abs(got-want) > 5e-3*want {
		t.Errorf("infectious peak %.6g at t=%g, want %.6g (within 0.5%%)", got, res.Times[peak], want)
	}
	if got := S[peak]; math.Abs(got-rho)/rho > 0.02 {
		t.Errorf("susceptible at the peak %.6g, want about N/R0 = %.6g", got, rho)
	}
	if last := I[len(I)-1]; last > I[peak]/100 {
		t.Errorf("infectious at the end %g, want under 1%% of the peak %g", last, I[peak])
	}
	if got := series(t, res, "R0")[0]; math.Abs(got-R0) > 1e-12 {
		t.Errorf("aux R0 = %g, want beta*duration = %g", got, R0)
	}
}

// predator–prey: the populations oscillate with a steady period and
// amplitude, and V = δx − γ ln x + βy − α ln y stays constant: within 1e-6
// under the file's rk45 (rel_tol 1e-9), within 1e-5 under rk4 with
// dt 0.125, and rk4's drift falls about 16× when dt halves.
func checkPredatorPrey(t *testing.T, m *model.Model, res *model.Result) {
	alpha, beta := param(t, m, "alpha"), param(t, m, "beta")
	gamma, delta := param(t, m, "gamma"), param(t, m, "delta")
	drift := func(res *model.Result) float64 {
		x, y := series(t, res, "hares"), series(t, res, "lynx")
		V := func(i int) float64 {
			return delta*x[i] - gamma*math.Log(x[i]) + beta*y[i] - alpha*math.Log(y[i])
		}
		d := 0.0
		for i := range x {
			d = max(d, math.Abs(V(i)-V(0)))
		}
		return d
	}

	if got := res.Method; got != "rk45" {
		t.Errorf("method %q, want rk45 as the file says", got)
	}
	if d := drift(res); d > 1e-6 {
		t.Errorf("rk45: V drifts by %g, want within 1e-6", d)
	}
	v, x := series(t, res, "V"), series(t, res, "hares")
	for i := range v {
		if math.Abs(v[i]-v[0]) > 1e-6 {
			t.Fatalf("aux V = %.10g at t=%g, want %.10g (within 1e-6)", v[i], res.Times[i], v[0])
		}
	}

	// Oscillation: six hare peaks in 60 years, evenly spaced (period about
	// 10.3 years) and of the same height; hares never die out.
	var peaks []int
	for i := 1; i+1 < len(x); i++ {
		if x[i] > x[i-1] && x[i] >= x[i+1] {
			peaks = append(peaks, i)
		}
	}
	if len(peaks) < 5 {
		t.Fatalf("hares peak %d times in the run, want at least 5", len(peaks))
	}
	for k := 1; k < len(peaks); k++ {
		period := res.Times[peaks[k]] - res.Times[peaks[k-1]]
		if math.Abs(period-10.29) > 0.3 {
			t.Errorf("hare peaks %g years apart, want about 10.29", period)
		}
		if h0, h := x[peaks[0]], x[peaks[k]]; math.Abs(h-h0) > 1e-2*h0 {
			t.Errorf("hare peak %d is %g, want the same height as the first, %g", k, h, h0)
		}
	}
	if lo := slices.Min(x); lo < 5 {
		t.Errorf("hares fall to %g, want the orbit to stay above 5", lo)
	}

	// rk4 at the file's dt, and at half of it.
	var d [2]float64
	for i, dt := range []float64{0.125, 0.0625} {
		r, err := m.Run(t.Context(), model.RunOptions{Method: "rk4", DT: dt, SaveEvery: 0.25})
		if err != nil {
			t.Fatalf("rk4 dt=%g: %v", dt, err)
		}
		d[i] = drift(r)
	}
	if d[0] > 1e-5 {
		t.Errorf("rk4 dt=0.125: V drifts by %g, want within 1e-5", d[0])
	}
	if ratio := d[0] / d[1]; ratio < 10 || ratio > 24 {
		t.Errorf("rk4: halving dt cuts V's drift %.3g×, want about 16× (10 to 24)", ratio)
	}
}

// regions (arrays): each country's capacity closes the gap to its target
// exponentially, capacity(t) = target - (target - initial) exp(-t/T); the
// corridor-wide aux are the sum, minimum and population standard
// deviation of the three; shares add up to 1; Kazakhstan, the last
// bottleneck, reaches the demand of 18 at t = T ln((target - initial) /
// (target - 18)).
func checkRegions(t *testing.T, m *model.Model, res *model.Result) {
	regions := []string{"kazakhstan", "azerbaijan", "georgia"}
	T := param(t, m, "build_time")
	exact := func(r string, tm float64) float64 {
		target, c0 := param(t, m, "target["+r+"]"), param(t, m, "initial_capacity["+r+"]")
		return target - (target-c0)*math.Exp(-tm/T)
	}
	caps := make([][]float64, len(regions))
	for k, r := range regions {
		caps[k] = series(t, res, "capacity["+r+"]")
	}
	total, bottleneck, imbalance := series(t, res, "total_capacity"), series(t, res, "bottleneck"), series(t, res, "imbalance")
	throughput, demand := series(t, res, "throughput"), param(t, m, "demand")
	for i, tm := range res.Times {
		var c [3]float64
		for k, r := range regions {
			c[k] = caps[k][i]
			// rk4 with dt 0.125 comes within about 1e-9.
			if want := exact(r, tm); math.Abs(c[k]-want) > 1e-6 {
				t.Fatalf("capacity[%s](%g) = %.10g, want %.10g (exact) within 1e-6", r, tm, c[k], want)
			}
		}
		sum := c[0] + c[1] + c[2]
		mean := sum / 3
		sd := math.Sqrt(((c[0]-mean)*(c[0]-mean) + (c[1]-mean)*(c[1]-mean) + (c[2]-mean)*(c[2]-mean)) / 3)
		low := min(c[0], c[1], c[2])
		for _, chk := range []struct {
			name      string
			got, want float64
		}{
			{"total_capacity", total[i], sum},
			{"bottleneck", bottleneck[i], low},
			{"imbalance", imbalance[i], sd},
			{"throughput", throughput[i], min(demand, low)},
		} {
			if math.Abs(chk.got-chk.want) > 1e-12*math.Max(1, chk.want) {
				t.Fatalf("%s(%g) = %.15g, want %.15g", chk.name, tm, chk.got, chk.want)
			}
		}
		shares := 0.0
		for k, r := range regions {
			share := series(t, res, "share["+r+"]")[i]
			if want := c[k] / sum; math.Abs(share-want) > 1e-12 {
				t.Fatalf("share[%s](%g) = %g, want capacity/total = %g", r, tm, share, want)
			}
			shares += share
			if got, want := series(t, res, "utilization["+r+"]")[i], min(demand, low)/c[k]; math.Abs(got-want) > 1e-12 {
				t.Fatalf("utilization[%s](%g) = %g, want throughput/capacity = %g", r, tm, got, want)
			}
		}
		if math.Abs(shares-1) > 1e-12 {
			t.Fatalf("shares add up to %.15g at t=%g, want 1", shares, tm)
		}
	}

	// The threshold names an element; the plot names the whole array.
	th := m.Decl.Thresholds
	if len(th) != 1 || th[0].Var != "capacity[kazakhstan]" {
		t.Fatalf("want one threshold on capacity[kazakhstan], got %+v", th)
	}
	cs, err := res.Crossings(th[0].Var, th[0].Level, model.Rising)
	if err != nil {
		t.Fatal(err)
	}
	target, c0 := param(t, m, "target[kazakhstan]"), param(t, m, "initial_capacity[kazakhstan]")
	// The crossing is interpolated linearly between save points 0.5 years
	// apart, on a curve that bends: within 0.01 years.
	if want := T * math.Log((target-c0)/(target-th[0].Level)); len(cs) != 1 || math.Abs(cs[0].Time-want) > 1e-2 {
		t.Errorf("capacity[kazakhstan] crosses %g at %v, want once at t = %.6g (within 0.01)", th[0].Level, cs, want)
	}
	if got := m.Decl.Plots[0].Vars; !slices.Equal(got, []string{"capacity[kazakhstan]", "capacity[azerbaijan]", "capacity[georgia]", "bottleneck"}) {
		t.Errorf("plot vars %q, want the three capacities and the bottleneck", got)
	}
}

// fit: the data variable observed_population is observed.csv's counts in
// the years counted (every second year) and NaN between them.
func checkFit(t *testing.T, m *model.Model, res *model.Result) {
	obs := series(t, res, "observed_population")
	want := map[float64]float64{0: 10, 2: 18.1, 20: 802.6, 40: 1012.2}
	for i, tm := range res.Times {
		counted := math.Mod(tm, 2) == 0
		switch {
		case !counted && !math.IsNaN(obs[i]):
			t.Errorf("observed_population(%g) = %g, want NaN between counts", tm, obs[i])
		case counted && math.IsNaN(obs[i]):
			t.Errorf("observed_population(%g) = NaN, want a count", tm)
		}
		if w, ok := want[tm]; ok && obs[i] != w {
			t.Errorf("observed_population(%g) = %g, want %g", tm, obs[i], w)
		}
	}
}
