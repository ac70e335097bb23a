package model

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestBuiltinValues evaluates each stateless builtin in a one-aux model
// and checks its value at t = 0 against the definition.
func TestBuiltinValues(t *testing.T) {
	for _, tc := range []struct {
		eq   string
		want float64
	}{
		{"abs(-2.5)", 2.5},
		{"arccos(1)", 0},
		{"arcsin(1)", math.Pi / 2},
		{"arctan(1)", math.Pi / 4},
		{"cos(0)", 1},
		{"sin(pi / 2)", 1},
		{"tan(0)", 0},
		{"exp(1)", math.E},
		{"ln(exp(2))", 2},
		{"log10(1000)", 3},
		{"gammaln(5)", math.Log(24)}, // ln 4!
		{"gammaln(0.5)", math.Log(math.Sqrt(math.Pi))},
		{"gammaln(1)", 0},
		{"sqrt(16)", 4},
		{"int(2.7)", 2},
		{"int(-2.7)", -3}, // XMILE: INT is floor
		{"-7 mod 3", 2},   // XMILE: the result takes the divisor's sign
		{"7 mod -3", -2},
		{"integer(-2.7)", -2}, // Vensim: INTEGER truncates
		{"modulo(-7, 3)", -1}, // Vensim: MODULO takes the dividend's sign
		{"max(1, 5, 3)", 5},
		{"min(4, 2, 8)", 2},
		{"max(3)", 3},
		{"inf", math.Inf(1)},
		{"pi", math.Pi},
		{"-2^2", -4},
		{"2^3^2", 512},
		{"2^-1", 0.5},
		{"if 1 < 2 then 10 else 20", 10},
		{"if_then_else(0, 10, 20)", 20},
		{"(1 = 1) + (1 <> 1) + (2 >= 2) + (3 > 4) + (1 == 1) + (1 != 1)", 3},
		{"not 0 + (1 and 0) + (1 or 0)", 2},
		{"safediv(1, 0)", 0},
		{"safediv(1, 0, 7)", 7},
		{"safediv(6, 3)", 2},
		{"xidz(1, 0, 9)", 9},
		{"zidz(1, 0)", 0},
		{"zidz(5, 2)", 2.5},
		{"starttime + stoptime + dt", 0 + 10 + 0.5},
		{"time", 0},
		{"step(3, 0)", 3},
		{"step(3, 1)", 0},
		{"ramp(2, -1)", 2},
		{"ramp(2, -3, -2)", 2},
		{"pulse(4, 0)", 8},
		{"pulse(4, 1)", 0},
		{"init(time + 1)", 1},
		{"previous(time, 42)", 42},
		{"delay1(5, 2)", 5},
		{"delay3(5, 2, 7)", 7},
		{"delayn(5, 2, 4)", 5},
		{"smth1(5, 2)", 5},
		{"smthn(5, 2, 5, 1)", 1},
		{"smooth(5, 2)", 5},
		{"trend(5, 2)", 0},
		{"trend(5, 2, 0.1)", 0.1},
		{"forcst(5, 2, 10)", 5},
		{"forcst(5, 2, 10, 0.1)", 10},
		{"delay(5, 3, 1)", 1},
		{"tbl(0.25)", 5},
		{"lookup(tbl, 2)", 10},
		{"tbl(-1)", 0},
		{"ext(-1)", -10},
		{"ext(3)", 30},
	} {
		src := fmt.Sprintf(`
[sim]
stop = 10
dt = 0.5
[lookups.tbl]
points = [[0, 0], [0.5, 10], [1, 10]]
[lookups.ext]
points = [[0, 0], [1, 10]]
extrapolate = true
[aux.x]
eq = %q
`, tc.eq)
		m, err := Parse("b.toml", []byte(src))
		if err != nil {
			t.Errorf("%s: %v", tc.eq, err)
			continue
		}
		r := mustRun(t, m, RunOptions{})
		got := r.Series("x")[0]
		if !(math.Abs(got-tc.want) <= 1e-12*math.Max(1, math.Abs(tc.want))) && got != tc.want {
			t.Errorf("%s = %.15g, want %.15g", tc.eq, got, tc.want)
		}
	}
}

// TestTrendOfExponential checks trend and forcst on an exponential input,
// whose fractional growth rate is constant: trend converges to it.
func TestTrendOfExponential(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 60
dt = 0.03125
method = "rk4"
[aux.input]
eq = "exp(0.05 * time)"
[aux.tr]
eq = "trend(input, 5, 0.05 / (1 + 0.05 * 5))"
[aux.fc]
eq = "forcst(input, 5, 10)"
`)
	r := mustRun(t, m, RunOptions{})
	// With input = e^{gt}, the smoothed average settles to
	// input/(1+gT), so trend = (input - avg)/(T avg) = g.
	tr := r.Series("tr")
	if got := tr[len(tr)-1]; math.Abs(got-0.05) > 1e-6 {
		t.Errorf("trend at t=60 is %.8g, want 0.05", got)
	}
	fc, in := r.Series("fc"), r.Series("input")
	if got, want := fc[len(fc)-1], in[len(in)-1]*(1+0.05*10); math.Abs(got-want) > 1e-3*want {
		t.Errorf("forcst at t=60 is %.8g, want %.8g", got, want)
	}
}

// TestRandomDistributions checks the sample mean and spread of each
// random function over many steps.
func TestRandomDistributions(t *testing.T) {
	for _, tc := range []struct {
		eq         string
		mean, sd   float64
		tolM, tolS float64
	}{
		{"random(2, 4)", 3, 2 / math.Sqrt(12), 0.01, 0.01},
		{"normal(10, 2)", 10, 2, 0.03, 0.03},
		{"exprnd(3)", 3, 3, 0.05, 0.1},
		{"lognormal(5, 1)", 5, 1, 0.03, 0.03},
		{"poisson(4)", 4, 2, 0.03, 0.03},
		{"normal(0, 1, 17)", 0, 1, 0.02, 0.02},
	} {
		m := mustParse(t, fmt.Sprintf("[sim]\nstop = 40000\n[aux.x]\neq = %q\n", tc.eq))
		r := mustRun(t, m, RunOptions{Seed: 3})
		xs := r.Series("x")
		var sum, sum2 float64
		for _, x := range xs {
			sum += x
		}
		mean := sum / float64(len(xs))
		for _, x := range xs {
			sum2 += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(sum2 / float64(len(xs)-1))
		if math.Abs(mean-tc.mean) > tc.tolM*math.Max(1, tc.mean) || math.Abs(sd-tc.sd) > tc.tolS*math.Max(1, tc.sd) {
			t.Errorf("%s: mean %.4g sd %.4g, want %g and %g", tc.eq, mean, sd, tc.mean, tc.sd)
		}
	}
}

// TestDelay1Conserves checks that a first-order delay passes its input
// through with no loss: what goes in comes out.
func TestDelay1Conserves(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 100
dt = 0.125
method = "rk4"
[stocks.sent]
initial = 0
inflows = ["send"]
[stocks.received]
initial = 0
inflows = ["receive"]
[flows.send]
eq = "pulse(10, 1)"
[flows.receive]
eq = "delay1(send, 4)"
`)
	r := mustRun(t, m, RunOptions{})
	n := len(r.Times) - 1
	if s, rc := r.Series("sent")[n], r.Series("received")[n]; math.Abs(s-10) > 1e-12 || math.Abs(rc-10) > 1e-8 {
		t.Errorf("sent %g, received %g; want 10 and 10", s, rc)
	}
	// The response of a first-order delay to an impulse of 10 at t=1 is
	// 10/4 e^{-(t-1)/4} (the pulse lasts one dt, so allow dt's spread).
	got, _ := r.At("receive", 9)
	if want := 10.0 / 4 * math.Exp(-8.0/4); math.Abs(got-want) > 0.02*want {
		t.Errorf("receive(9) = %g, want about %g", got, want)
	}
}

// TestStageCountsApart checks that each smthn and delayn call expands
// into the number of stages its own third argument gives.
func TestStageCountsApart(t *testing.T) {
	m, err := Parse("t.toml", []byte(`
[sim]
stop = 1
[aux.a]
eq = "smthn(time, 2, 2) + smthn(time, 2, 4) + delayn(time, 1, 3) + delayn(time, 1, 1)"
`))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, n := range m.Graph().Nodes {
		if n.Kind == NodeStock {
			stage, _, _ := strings.Cut(n.Builtin, ".")
			count[stage]++
		}
	}
	want := map[string]int{"smooth2": 2, "smooth4": 4, "delay3": 3, "delay1": 1}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Errorf("hidden stocks by builtin: %v, want %v", count, want)
	}
}
