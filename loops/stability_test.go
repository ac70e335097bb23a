package loops

import (
	"math"
	"slices"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// logisticTOML is logistic growth with r = 0.3, K = 1000, P0 = 10 and a
// crowding aux: P(t) = K / (1 + 99 exp(-r t)), P = K/2 at ln(99)/r.
const logisticTOML = `
time_units = "year"
[sim]
stop = 40
dt = 0.125
method = "rk4"
save_every = 0.25

[params]
r = 0.3
K = 1000
P0 = 10

[stocks.population]
initial = "P0"
inflows = ["births"]
units = "people"

[flows.births]
eq = "r * population * (1 - crowding)"

[aux.crowding]
eq = "population / K"

[thresholds.majority]
var = "population"
level = 700
direction = "rising"
`

// sirTOML is an SIR epidemic: S + I + R is conserved.
const sirTOML = `
[sim]
stop = 120
dt = 0.25
method = "rk4"
save_every = 1

[params]
N = 10000
beta = 0.3
duration = 10

[stocks.susceptible]
initial = "N - 10"
outflows = ["infection"]

[stocks.infectious]
initial = 10
inflows = ["infection"]
outflows = ["recovery"]

[stocks.recovered]
initial = 0
inflows = ["recovery"]

[flows.infection]
eq = "beta * infectious * susceptible / N"

[flows.recovery]
eq = "infectious / duration"
`

func traced(t testing.TB, src string, opt model.RunOptions) (*model.Model, *model.Result) {
	t.Helper()
	m, err := model.Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	opt.Trace = true
	res, err := m.Run(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return m, res
}

// TestStabilityLogistic checks the known answer: the Jacobian of
// r P (1 - P/K) is r (1 - 2P/K), which changes sign from amplifying to
// damping at P = K/2, t = ln(99)/r.
func TestStabilityLogistic(t *testing.T) {
	const r, K = 0.3, 1000.0
	want := math.Log(99) / r
	for _, method := range []string{"rk4", "rk45"} {
		t.Run(method, func(t *testing.T) {
			_, res := traced(t, logisticTOML, model.RunOptions{Method: method})
			st, err := AnalyzeStability(res.Trace(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Conserved) != 0 {
				t.Errorf("conserved totals %q, want none", st.Conserved)
			}
			pop := res.Series("population")
			for i, x := range st.MaxReal {
				if w := r * (1 - 2*pop[i]/K); math.Abs(x-w) > 1e-6 {
					t.Fatalf("max real part at t=%g: got %g, want %g", st.Times[i], x, w)
				}
			}
			if len(st.SignChanges) != 1 {
				t.Fatalf("sign changes %+v, want one", st.SignChanges)
			}
			sc := st.SignChanges[0]
			// Linear interpolation of r(1-2P/K) between save points 0.25
			// apart, around the inflection where P is nearly linear.
			if math.Abs(sc.Time-want) > 1e-3 || sc.From != Amplifying || sc.To != Damping {
				t.Errorf("sign change %+v, want amplifying → damping at %.4f ± 1e-3", sc, want)
			}
			if got := st.RegimeAt(1); got != Amplifying {
				t.Errorf("regime at t=1: got %v, want amplifying", got)
			}
			if got := st.RegimeAt(30); got != Damping {
				t.Errorf("regime at t=30: got %v, want damping", got)
			}
		})
	}
}

// TestStabilitySIR checks that the zero eigenvalue of the conserved total
// S + I + R is recognised and left out, and the rest are right: the
// Jacobian on the range of the flows has eigenvalues whose largest real
// part changes sign once, near the peak of infections (where
// beta S/N = 1/duration).
func TestStabilitySIR(t *testing.T) {
	_, res := traced(t, sirTOML, model.RunOptions{})
	st, err := AnalyzeStability(res.Trace(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"susceptible + infectious + recovered"}; !slices.Equal(st.Conserved, want) {
		t.Errorf("conserved totals %q, want %q", st.Conserved, want)
	}
	for i, vals := range st.Eigenvalues {
		if len(vals) != 2 {
			t.Fatalf("t=%g: %d eigenvalues, want 2 (3 stocks, 1 conserved total)", st.Times[i], len(vals))
		}
	}
	// The full Jacobian at (S, I) is [[-b I/N, -b S/N, 0], [b I/N, b S/N - g, 0],
	// [0, g, 0]]; without the zero its eigenvalues are those of the top-left
	// 2×2 block: trace b(S-I)/N - g, determinant b g I/N.
	S, I := res.Series("susceptible"), res.Series("infectious")
	const b, g, N = 0.3, 0.1, 10000.0
	for i := range st.Times {
		tr := b*(S[i]-I[i])/N - g
		det := b * g * I[i] / N
		disc := tr*tr - 4*det
		want := tr / 2
		if disc > 0 {
			want = (tr + math.Sqrt(disc)) / 2
		}
		if math.Abs(st.MaxReal[i]-want) > 1e-6 {
			t.Fatalf("max real part at t=%g: got %g, want %g", st.Times[i], st.MaxReal[i], want)
		}
	}
	if len(st.SignChanges) == 0 || st.SignChanges[0].From != Amplifying || st.SignChanges[0].To != Damping {
		t.Errorf("sign changes %+v, want amplifying → damping first", st.SignChanges)
	}
}

// TestStabilityNoFlows checks a stock that no flow changes: its zero
// eigenvalue is left out, and with nothing left the run is neutral.
func TestStabilityNoFlows(t *testing.T) {
	_, res := traced(t, `
[sim]
stop = 2
[stocks.x]
initial = 5
`, model.RunOptions{})
	st, err := AnalyzeStability(res.Trace(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Conserved, []string{"x"}) {
		t.Errorf("conserved %q, want [x]", st.Conserved)
	}
	for i, x := range st.MaxReal {
		if !math.IsNaN(x) || st.Regimes[i] != Neutral {
			t.Errorf("t=%g: max real %g, regime %v; want NaN, neutral", st.Times[i], x, st.Regimes[i])
		}
	}
}

func TestStabilityNeedsTrace(t *testing.T) {
	if _, err := AnalyzeStability(nil, nil); err == nil {
		t.Error("AnalyzeStability(nil) succeeded, want an error")
	}
}

func TestFormatTotal(t *testing.T) {
	stocks := []string{"a", "b", "c"}
	for _, tc := range []struct {
		v    []float64
		want string
	}{
		{[]float64{1, 1, 1}, "a + b + c"},
		{[]float64{0.5, -1, 0}, "a - 2 b"},
		{[]float64{-1, 0, 0.25}, "-4 a + c"},
	} {
		if got := formatTotal(tc.v, stocks); got != tc.want {
			t.Errorf("formatTotal(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
