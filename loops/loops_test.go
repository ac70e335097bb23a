package loops

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

func mustParse(t testing.TB, src string) *model.Model {
	t.Helper()
	m, err := model.Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func mustAnalyze(t testing.TB, m *model.Model, opt model.RunOptions) (*List, *Dominance) {
	t.Helper()
	res, err := m.Run(context.Background(), TraceOptions(m, opt, nil))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	l := Find(NewGraph(m), Options{})
	d, err := Analyze(l, res.Trace(), nil)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return l, d
}

const logisticCrowding = `
[sim]
stop = 40
dt = 0.125
save_every = 0.5
[params]
r = 0.3
K = 1000
P0 = 10
[stocks.population]
initial = "P0"
inflows = ["births"]
[flows.births]
eq = "r * population * (1 - crowding)"
[aux.crowding]
eq = "population / K"
[[loops]]
name = "growth"
path = ["births", "population"]
polarity = "R"
[[loops]]
name = "crowding"
path = ["crowding", "births", "population"]
polarity = "B"
`

const bass = `
[sim]
stop = 20
dt = 0.0625
save_every = 0.25
[params]
p = 0.03
q = 0.38
N = 1000
[stocks.potential]
initial = "N"
outflows = ["adoption"]
[stocks.adopters]
initial = 0
inflows = ["adoption"]
[flows.adoption]
eq = "p * potential + q * potential * adopters / N"
`

// shiftTime returns the time of the only shift of dominance, from one
// polarity to the other.
func shiftTime(t *testing.T, d *Dominance, from, to Polarity) float64 {
	t.Helper()
	if len(d.Shifts) != 1 {
		t.Fatalf("shifts %+v, want exactly one", d.Shifts)
	}
	s := d.Shifts[0]
	if s.From != from || s.To != to {
		t.Fatalf("shift %+v, want %s → %s", s, from, to)
	}
	return s.Time
}

// accurate returns the options of a run by method accurate enough that
// the times of the analytic solutions are met within 0.05: euler with
// a dt of 1/128.
func accurate(method string) model.RunOptions {
	if method == "euler" {
		return model.RunOptions{Method: method, DT: 0.0078125}
	}
	return model.RunOptions{Method: method}
}

// TestLogisticDominance: the reinforcing loop dominates until the
// population reaches K/2, at t = ln(K/P0 - 1)/r, and the balancing loop
// after it, under every method (euler with a small dt), the shift within
// 0.05; around it, for as
// long as neither loop has 55 % of the score, dominance is contested.
func TestLogisticDominance(t *testing.T) {
	want := math.Log(1000.0/10-1) / 0.3
	m := mustParse(t, logisticCrowding)
	for _, method := range decl.Methods {
		t.Run(method, func(t *testing.T) {
			l, d := mustAnalyze(t, m, accurate(method))
			if len(l.Loops) != 2 || l.Loops[0].Name != "growth" || l.Loops[1].Name != "crowding" {
				t.Fatalf("loops %v, want growth and crowding", l.Loops)
			}
			if got := shiftTime(t, d, Reinforcing, Balancing); math.Abs(got-want) > 0.05 {
				t.Errorf("shift at %g, want %g ± 0.05", got, want)
			}
			growth, crowding := l.Loops[0].ID, l.Loops[1].ID
			if len(d.Periods) != 3 {
				t.Fatalf("periods %+v, want R, contested, B", d.Periods)
			}
			if p := d.Periods[0]; p.Start != 0 || p.Polarity != Reinforcing || p.Contested || !slices.Equal(p.Loops, []string{growth}) {
				t.Errorf("first period %+v, want growth dominant from 0", p)
			}
			// Contested while the share of growth, 1 - P/K, is within
			// 0.45 to 0.55: P from 450 to 550.
			P := func(x float64) float64 { return math.Log(x/(1000-x)*99) / 0.3 }
			if p := d.Periods[1]; !p.Contested || math.Abs(p.Start-P(450)) > 0.05 || math.Abs(p.End-P(550)) > 0.05 ||
				!slices.Equal(append(p.Loops, p.Rivals...), []string{growth, crowding}) && !slices.Equal(append(p.Loops, p.Rivals...), []string{crowding, growth}) {
				t.Errorf("second period %+v, want contested between growth and crowding from %g to %g", p, P(450), P(550))
			}
			if p := d.Periods[2]; p.End != 40 || p.Polarity != Balancing || p.Contested || !slices.Equal(p.Loops, []string{crowding}) {
				t.Errorf("third period %+v, want crowding dominant until 40", p)
			}
			if o := d.Observed; o[0].Polarity != Reinforcing || o[1].Polarity != Balancing {
				t.Errorf("observed %+v, want R and B", o)
			}
			// Relative scores within the partition: magnitudes sum to 1.
			for i := range d.Times {
				if s := math.Abs(d.Relative[0][i]) + math.Abs(d.Relative[1][i]); math.Abs(s-1) > 1e-12 {
					t.Fatalf("relative scores at %g sum to %g, want 1", d.Times[i], s)
				}
			}
			// The continuous-time relative score of the reinforcing loop
			// is its gain's share, 1 - P/K, at each point of the run.
			Pop, err := d.trace.Series("population")
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i := range d.Times {
				worst = math.Max(worst, math.Abs(d.Relative[0][i]-(1-Pop[i]/1000)))
			}
			if worst > 1e-6 {
				t.Errorf("relative score of growth differs from 1 - P/K by up to %g, want at most 1e-6", worst)
			}
		})
	}
}

// TestBassDominance: word of mouth dominates until the inflection time
// ln(q/p)/(p+q), within 0.05 under every method (euler with a small dt).
func TestBassDominance(t *testing.T) {
	const p, q = 0.03, 0.38
	want := math.Log(q/p) / (p + q)
	m := mustParse(t, bass)
	for _, method := range decl.Methods {
		t.Run(method, func(t *testing.T) {
			l, d := mustAnalyze(t, m, accurate(method))
			if len(l.Loops) != 2 {
				t.Fatalf("loops %v, want 2", l.Loops)
			}
			wom := l.Loop("L1")
			if !slices.Equal(wom.Vars, []string{"adopters", "adoption"}) || wom.Polarity != Reinforcing {
				t.Fatalf("L1 = %v, want the word-of-mouth loop adopters → adoption, R", wom)
			}
			if sat := l.Loop("L2"); sat.Polarity != Balancing {
				t.Fatalf("L2 = %v, want balancing", sat)
			}
			got := shiftTime(t, d, Reinforcing, Balancing)
			if math.Abs(got-want) > 0.05 {
				t.Errorf("shift at %g, want %g ± 0.05", got, want)
			}
		})
	}
}

// TestLotkaVolterra: exactly five loops, two reinforcing and three
// balancing, with the observed polarities agreeing.
func TestLotkaVolterra(t *testing.T) {
	m, err := model.Load("../examples/predator-prey/predator_prey.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range decl.Methods {
		t.Run(method, func(t *testing.T) {
			l, d := mustAnalyze(t, m, model.RunOptions{Method: method, DT: 0.01, SaveEvery: 0.25})
			var got []string
			count := map[Polarity]int{}
			for k, lp := range l.Loops {
				got = append(got, fmt.Sprintf("%s %s %s", lp.Label, lp.Polarity, strings.Join(lp.Vars, ",")))
				count[lp.Polarity]++
				if o := d.Observed[k].Polarity; o != lp.Polarity {
					t.Errorf("%s observed %s, structural %s", lp.ID, o, lp.Polarity)
				}
			}
			want := []string{
				"L1 R hares,hare_births",
				"L2 B hares,predation",
				"L3 R lynx,lynx_births",
				"L4 B lynx,lynx_deaths",
				"L5 B hares,lynx_births,lynx,predation",
			}
			if !slices.Equal(got, want) {
				t.Errorf("loops\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if count[Reinforcing] != 2 || count[Balancing] != 3 || l.Truncated {
				t.Errorf("%d R, %d B, truncated %v; want 2 R, 3 B, complete", count[Reinforcing], count[Balancing], l.Truncated)
			}
			if len(l.Partitions) != 1 {
				t.Errorf("partitions %v, want one", l.Partitions)
			}
		})
	}
}

// TestIntermediateAux: inserting an aux that passes its input on leaves
// every loop score unchanged.
func TestIntermediateAux(t *testing.T) {
	with := strings.Replace(logisticCrowding, `eq = "r * population * (1 - crowding)"`, `eq = "r * population * (1 - crowding2)"`, 1) + `
[aux.crowding2]
eq = "crowding"
`
	with = strings.Replace(with, `path = ["crowding", "births", "population"]`, `path = ["crowding", "crowding2", "births", "population"]`, 1)
	for _, method := range decl.Methods {
		t.Run(method, func(t *testing.T) {
			_, d1 := mustAnalyze(t, mustParse(t, logisticCrowding), model.RunOptions{Method: method})
			l2, d2 := mustAnalyze(t, mustParse(t, with), model.RunOptions{Method: method})
			if n := l2.Loops[1].Len(); n != 4 {
				t.Fatalf("the crowding loop has %d variables, want 4", n)
			}
			for k := range 2 {
				for i := range d1.Times {
					a, b := d1.Score[k][i], d2.Score[k][i]
					if math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(a)) {
						t.Fatalf("loop %d at %g: score %g with the extra aux, %g without", k+1, d1.Times[i], b, a)
					}
				}
			}
			if !slices.EqualFunc(d1.Shifts, d2.Shifts, func(a, b Shift) bool { return a == b }) {
				t.Errorf("shifts %+v with the extra aux, %+v without", d2.Shifts, d1.Shifts)
			}
		})
	}
}
