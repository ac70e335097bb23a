package calibrate

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

const logistic = `
[sim]
start = 0
stop = 40
dt = 0.125
method = "rk4"
[params]
r = { value = 0.3, min = 0.05, max = 1 }
K = { value = 1000, min = 100, max = 5000 }
[stocks.population]
initial = 10
inflows = ["births"]
[flows.births]
eq = "r * population * (1 - population / K)"
`

// observe runs m with set and returns its variables at the given times,
// each multiplied by 1 + noise·N(0, 1) from a fixed seed.
func observe(t testing.TB, m *model.Model, set map[string]float64, vars []string, times []float64, noise float64) *decl.Table {
	t.Helper()
	res, err := m.Run(context.Background(), model.RunOptions{Set: set})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	tab := &decl.Table{File: "observed.csv", Time: times, Names: vars}
	for _, v := range vars {
		col := make([]float64, len(times))
		for i, tm := range times {
			y, err := res.At(v, tm)
			if err != nil {
				t.Fatal(err)
			}
			col[i] = y * (1 + noise*rng.NormFloat64())
		}
		tab.Cols = append(tab.Cols, col)
	}
	return tab
}

func parse(t testing.TB, src string) *model.Model {
	t.Helper()
	m, err := model.Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func grid(lo, hi, step float64) []float64 {
	var out []float64
	for x := lo; x <= hi+1e-9; x += step {
		out = append(out, x)
	}
	return out
}

// TestLogistic recovers r and K of a logistic model from its own output
// with 1 % noise, within 2 % of the truth, from a start 30 % off, by each
// method; the truth lies within the approximate 95 % intervals, and the
// fit statistics say the fit is close.
func TestLogistic(t *testing.T) {
	m := parse(t, logistic)
	obs := observe(t, m, nil, []string{"population"}, grid(0, 40, 1), 0.01)
	truth := map[string]float64{"r": 0.3, "K": 1000}
	for _, method := range []string{NelderMead, Gradient} {
		res, err := Calibrate(context.Background(), m, obs, Options{
			Params: []string{"r", "K"},
			Run:    model.RunOptions{Set: map[string]float64{"r": 0.21, "K": 1300}},
			Method: method,
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Params {
			want := truth[p.Name]
			if math.Abs(p.Value-want) > 0.02*want {
				t.Errorf("%s: %s = %g, want %g within 2 %%", method, p.Name, p.Value, want)
			}
			if !(p.Interval[0] < want && want < p.Interval[1]) {
				t.Errorf("%s: %s's interval %v does not hold the truth %g", method, p.Name, p.Interval, want)
			}
			if w := p.Interval[1] - p.Interval[0]; !(w < 0.05*want) {
				t.Errorf("%s: %s's interval %v is %g wide, want under 5 %% of %g", method, p.Name, p.Interval, w, want)
			}
		}
		fit := res.Fit["population"]
		if fit.N != 41 || fit.R2 < 0.999 || fit.MAPE > 0.02 || math.Abs(fit.UM+fit.US+fit.UC-1) > 1e-9 {
			t.Errorf("%s: fit %+v, want 41 points, R² ≥ 0.999, MAPE ≤ 2 %%, Uᴹ+Uˢ+Uᶜ = 1", method, fit)
		}
	}
}

const sir = `
[sim]
start = 0
stop = 100
dt = 0.25
method = "rk4"
[params]
total_population = 10000
contact_rate = { value = 6, min = 1, max = 20 }
infectivity = 0.05
duration = { value = 5, min = 1, max = 20 }
[stocks.susceptible]
initial = "total_population - 1"
outflows = ["infection_rate"]
[stocks.infected]
initial = 1
inflows = ["infection_rate"]
outflows = ["recovery_rate"]
[stocks.recovered]
initial = 0
inflows = ["recovery_rate"]
[flows.infection_rate]
eq = "contact_rate * infectivity * susceptible * infected / total_population"
[flows.recovery_rate]
eq = "infected / duration"
`

// TestSIR recovers the contact rate and the duration of a Vensim-style
// SIR model from its infected and recovered series, exactly given, from
// several starts.
func TestSIR(t *testing.T) {
	m := parse(t, sir)
	obs := observe(t, m, nil, []string{"infected", "recovered"}, grid(0, 100, 2), 0)
	res, err := Calibrate(context.Background(), m, obs, Options{
		Params: []string{"contact_rate", "duration"},
		Run:    model.RunOptions{Set: map[string]float64{"contact_rate": 9, "duration": 3}},
		Starts: 3,
		Seed:   5,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"contact_rate": 6, "duration": 5}
	for _, p := range res.Params {
		if math.Abs(p.Value-want[p.Name]) > 1e-3*want[p.Name] {
			t.Errorf("%s = %g, want %g within 0.1 %%", p.Name, p.Value, want[p.Name])
		}
	}
	if res.Payoff > 1e-8 {
		t.Errorf("payoff %g, want about 0 for exact data", res.Payoff)
	}
}

// TestStats checks Theil's statistics on a series with a known bias and
// spread: sim = 2·act + 1 over act = 1..4.
func TestStats(t *testing.T) {
	act := []float64{1, 2, 3, 4}
	sim := []float64{3, 5, 7, 9}
	f := stats(sim, act)
	// Errors 2, 3, 4, 5: MSE 13.5; means 6 and 2.5; SDs √5 and √1.25.
	wantUM := 3.5 * 3.5 / 13.5
	wantUS := (math.Sqrt(5) - math.Sqrt(1.25)) * (math.Sqrt(5) - math.Sqrt(1.25)) / 13.5
	if math.Abs(f.MSE-13.5) > 1e-12 || math.Abs(f.UM-wantUM) > 1e-12 || math.Abs(f.US-wantUS) > 1e-12 || math.Abs(f.UC) > 1e-12 || math.Abs(f.R2-1) > 1e-12 {
		t.Errorf("got %+v, want MSE 13.5, UM %g, US %g, UC 0, R² 1", f, wantUM, wantUS)
	}
	wantMAPE := (2.0/1 + 3.0/2 + 4.0/3 + 5.0/4) / 4
	if math.Abs(f.MAPE-wantMAPE) > 1e-12 {
		t.Errorf("MAPE %g, want %g", f.MAPE, wantMAPE)
	}
}

// TestStatsNearPerfect checks that Theil's shares stay shares when a
// fit is off by rounding only: each in [0, 1], summing to 1. Computed
// from the correlation, 1 − r loses all its digits there, and the
// covariation share came out as −2·10¹⁴.
func TestStatsNearPerfect(t *testing.T) {
	tests := [][2][]float64{
		{{57.58845905044163, 168.6647836094331}, {57.588459050441636, 168.66478360943307}},
		{{10, 18.072609523094673, 32.44832948400859, 57.58845905044163}, {10, 18.07260952309467, 32.448329484008596, 57.58845905044163}},
		{{1e6, 2e6, 3e6}, {1e6 + 1e-9, 2e6, 3e6 - 1e-9}},
	}
	for _, tt := range tests {
		act, sim := tt[0], tt[1]
		f := stats(sim, act)
		for _, u := range []float64{f.UM, f.US, f.UC} {
			if !(u >= 0 && u <= 1) {
				t.Errorf("sim %v against act %v: got UM %g, US %g, UC %g, want each in [0, 1]", sim, act, f.UM, f.US, f.UC)
				break
			}
		}
		if sum := f.UM + f.US + f.UC; math.Abs(sum-1) > 1e-9 {
			t.Errorf("sim %v against act %v: UM + US + UC = %g, want 1", sim, act, sum)
		}
	}
}

// TestBadOptions reports each mistake in what to fit.
func TestBadOptions(t *testing.T) {
	m := parse(t, sir)
	obs := observe(t, m, nil, []string{"infected"}, grid(0, 10, 2), 0)
	tests := []struct {
		opt  Options
		want string
	}{
		{Options{}, "no params to fit: name at least one"},
		{Options{Params: []string{"infectivity"}}, `test.toml:10:1: params.infectivity: param "infectivity" has no range: declare its min and max, the range calibration searches`},
		{Options{Params: []string{"infected"}}, `"infected" is not a param of the model`},
		{Options{Params: []string{"duration"}, Weights: map[string]float64{"recovered": 2}}, `a weight is given for "recovered", which the data has no column for`},
		{Options{Params: []string{"duration"}, Method: "newton"}, `unknown method "newton" (want nelder-mead or gradient)`},
	}
	for _, tt := range tests {
		_, err := Calibrate(context.Background(), m, obs, tt.opt)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%+v: got %v, want %s", tt.opt, err, tt.want)
		}
	}
	bad := &decl.Table{File: "o.csv", Time: []float64{0}, Names: []string{"infectd"}, Cols: [][]float64{{1}}}
	_, err := Calibrate(context.Background(), m, bad, Options{Params: []string{"duration"}})
	if want := `o.csv: column "infectd" names no stock, flow, aux or data variable of the model (did you mean "infected"?)`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
