package model

import (
	"context"
	"strings"
	"testing"
)

// TestNegativeTimesAndMeansRefusedAtCompileTime checks that a smoothing
// or delay time or an exprnd mean written as a negative number is an
// error at the number.
func TestNegativeTimesAndMeansRefusedAtCompileTime(t *testing.T) {
	for _, c := range []struct{ eq, want string }{
		{`exprnd(-1)`, `test.toml:6:14: aux.y.eq: the mean of exprnd must not be negative, got -1`},
		{`smth1(x, -2)`, `test.toml:6:16: aux.y.eq: the averaging time of smth1 must not be negative, got -2`},
		{`smooth3(x, 1 - 3)`, `test.toml:6:18: aux.y.eq: the averaging time of smooth3 must not be negative, got -2`},
		{`delay3(x, -(4))`, `test.toml:6:17: aux.y.eq: the delay time of delay3 must not be negative, got -4`},
		{`delayn(x, -1, 2)`, `test.toml:6:17: aux.y.eq: the delay time of delayn must not be negative, got -1`},
		{`delay(x, -1)`, `test.toml:6:16: aux.y.eq: the delay time of delay must not be negative, got -1`},
		{`trend(x, -1)`, `test.toml:6:16: aux.y.eq: the averaging time of trend must not be negative, got -1`},
	} {
		src := "[params]\nx = 1\n[stocks.s]\ninitial = 0\n[aux.y]\neq = \"" + c.eq + "\"\n"
		_, err := Parse("test.toml", []byte(src))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.eq, err, c.want)
		}
	}
}

// TestNegativeTimesAndMeansRefusedAtRunTime checks that a smoothing or
// delay time or an exprnd mean that is negative when the model runs
// stops the run with an error naming the variable, the time and the
// equation; zero and positive values run.
func TestNegativeTimesAndMeansRefusedAtRunTime(t *testing.T) {
	const head = "[sim]\nstop = 10\n[params]\ntau = 2\n[aux.input]\neq = \"time\"\n"
	for _, c := range []struct {
		eq   string
		set  map[string]float64
		want string
	}{
		{`smth1(input, tau)`, map[string]float64{"tau": -1}, `aux.y.eq: the averaging time of smth1 in the equation of y is -1 at t=0; it must not be negative (equation "smth1(input, tau)")`},
		{`smth1(input, if time < 6 then tau else tau - 3)`, nil, `aux.y.eq: the averaging time of smth1 in the equation of y is -1 at t=6; it must not be negative (equation "smth1(input, if time < 6 then tau else tau - 3)")`},
		{`delay1(input, if time < 4 then tau else -tau)`, nil, `aux.y.eq: the delay time of delay1 in the equation of y is -2 at t=4; it must not be negative (equation "delay1(input, if time < 4 then tau else -tau)")`},
		{`delayn(input, tau, 3)`, map[string]float64{"tau": -0.5}, `aux.y.eq: the delay time of delayn in the equation of y is -0.5 at t=0`},
		{`delay(input, tau)`, map[string]float64{"tau": -3}, `aux.y.eq: the delay time of delay must be 0 or more, got -3`},
		{`exprnd(2 - time)`, nil, `aux.y.eq: the mean of exprnd in the equation of y is -1 at t=3; it must not be negative (equation "exprnd(2 - time)")`},
		{`exprnd(tau)`, map[string]float64{"tau": -1}, `aux.y.eq: the mean of exprnd in the equation of y is -1 at t=0`},
		{`smth1(input, tau)`, nil, ``},
		{`delay(input, tau)`, map[string]float64{"tau": 0}, ``},
		{`exprnd(tau)`, map[string]float64{"tau": 0}, ``},
	} {
		m := mustParse(t, head+"[aux.y]\neq = \""+c.eq+"\"\n")
		for _, method := range []string{"euler", "rk4", "rk45"} {
			_, err := m.Run(context.Background(), RunOptions{Method: method, Set: c.set})
			want := c.want
			if method == "rk45" {
				// Adaptive steps find it at the end of the step it happens in.
				want, _, _ = strings.Cut(want, " at t=")
			}
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%s %v under %s: %v", c.eq, c.set, method, err)
			case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), want)):
				t.Errorf("%s %v under %s:\ngot  %v\nwant %s…", c.eq, c.set, method, err, want)
			}
		}
	}
	// exprnd's draws are never negative.
	m := mustParse(t, "[sim]\nstop = 1000\n[aux.y]\neq = \"exprnd(3)\"\n")
	r := mustRun(t, m, RunOptions{})
	for i, y := range r.Series("y") {
		if y < 0 {
			t.Fatalf("exprnd(3) = %v at t=%v", y, r.Times[i])
		}
	}
}

// TestGuardsFixed checks which guarded arguments a run checks only at
// the start: those whose value is fixed for the run (a param, an aux of
// params), not one that varies, nor an aux that is a stock's name (it
// shares the stock's slot), which a run must go on checking: the stock
// goes negative at t=3.
func TestGuardsFixed(t *testing.T) {
	m := mustParse(t, `[sim]
stop = 6
[params]
tau = 2
[stocks.s]
initial = 2.5
outflows = ["drain"]
[flows.drain]
eq = "1"
[aux.input]
eq = "time"
[aux.twice]
eq = "2 * tau"
[aux.level]
eq = "s"
[aux.moving]
eq = "tau + time"
[aux.a]
eq = "smth1(input, tau)"
[aux.b]
eq = "smth1(input, twice)"
[aux.c]
eq = "smth1(input, moving)"
[aux.d]
eq = "smth1(input, level)"
`)
	p := m.prog
	got := map[string]bool{}
	for _, g := range p.Guards {
		got[p.Vars[g.Var].Name] = g.Fixed
	}
	want := map[string]bool{"tau": true, "twice": true, "moving": false, "level": false}
	for name, fixed := range want {
		if f, ok := got[name]; !ok || f != fixed {
			t.Errorf("guard on %s: fixed %v (guarded %v), want %v", name, f, ok, fixed)
		}
	}
	if len(p.Varying) != 2 {
		t.Errorf("%d varying guards, want 2", len(p.Varying))
	}
	_, err := m.Run(context.Background(), RunOptions{})
	const msg = `aux.d.eq: the averaging time of smth1 in the equation of d is -0.5 at t=3; it must not be negative (equation "smth1(input, level)")`
	if err == nil || err.Error() != msg {
		t.Errorf("got %v, want %s", err, msg)
	}
}
