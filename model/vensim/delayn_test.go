package vensim_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// delayNModel is a DELAY N of order n whose delay time changes twice.
func delayNModel(n int, delayTime string, dt float64) string {
	return fmt.Sprintf(`Input = 3 + STEP(5, 2) - STEP(7, 9) ~ ~ |
Delay Time = %s ~ ~ |
Out = DELAY N(Input, Delay Time, 2, %d) ~ ~ |
INITIAL TIME = 0 ~ ~ |
FINAL TIME = 30 ~ ~ |
TIME STEP = %g ~ ~ |
SAVEPER = TIME STEP ~ ~ |
`, delayTime, n, dt)
}

// vensimDelayN steps Vensim's DELAY N by Euler: stages 1..n-1 drain at
// stock/(T/n) with the current delay time T; the output is the last
// stage over T/n with the T of the step before (T at the start time on
// the first step), and it drains the last stage, so the delay conserves
// what enters it.
func vensimDelayN(n int, input, T func(t float64) float64, init, dt float64, steps int) []float64 {
	stage := make([]float64, n)
	for k := range stage {
		stage[k] = init * T(0) / float64(n)
	}
	prevT := T(0)
	var out []float64
	for i := 0; i <= steps; i++ {
		t := float64(i) * dt
		y := stage[n-1] / (prevT / float64(n))
		out = append(out, y)
		in := input(t)
		for k := 0; k < n; k++ {
			drain := y
			if k < n-1 {
				drain = stage[k] / (T(t) / float64(n))
			}
			stage[k] += dt * (in - drain)
			in = drain
		}
		prevT = T(t)
	}
	return out
}

func TestDelayNVaryingDelayTime(t *testing.T) {
	step := func(h, at, t, dt float64) float64 {
		if t+dt/2 > at {
			return h
		}
		return 0
	}
	for _, tc := range []struct {
		n  int
		dt float64
	}{{1, 1}, {2, 1}, {3, 1}, {5, 0.5}, {3, 0.25}} {
		t.Run(fmt.Sprintf("n=%d,dt=%g", tc.n, tc.dt), func(t *testing.T) {
			m, err := model.Parse("delayn.mdl", []byte(delayNModel(tc.n, "6 + STEP(4, 5) - STEP(7, 14)", tc.dt)))
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Run(context.Background(), model.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			input := func(t float64) float64 { return 3 + step(5, 2, t, tc.dt) - step(7, 9, t, tc.dt) }
			T := func(t float64) float64 { return 6 + step(4, 5, t, tc.dt) - step(7, 14, t, tc.dt) }
			want := vensimDelayN(tc.n, input, T, 2, tc.dt, int(math.Round(30/tc.dt)))
			got := res.Series("Out")
			if len(got) != len(want) {
				t.Fatalf("got %d values, want %d", len(got), len(want))
			}
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
					t.Errorf("t=%g: got %.15g, want %.15g", res.Times[i], got[i], want[i])
				}
			}
		})
	}
}

// TestDelayNLateDelayTime checks what Vensim's help says of DELAY N: its
// output depends only on the values the delay time had in earlier steps,
// so a change of delay time shows in the output one step later.
func TestDelayNLateDelayTime(t *testing.T) {
	run := func(delayTime string) []float64 {
		m, err := model.Parse("delayn.mdl", []byte(delayNModel(3, delayTime, 1)))
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Run(context.Background(), model.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Series("Out")
	}
	varying, fixed := run("6 + STEP(4, 5)"), run("6")
	for i := 0; i <= 5; i++ {
		if varying[i] != fixed[i] {
			t.Errorf("t=%d: got %g, want %g, the value with the delay time unchanged", i, varying[i], fixed[i])
		}
	}
	if varying[6] == fixed[6] {
		t.Errorf("t=6: got %g with either delay time, want the change of delay time at t=5 to show", varying[6])
	}
}

// TestDelayNOrderExpression gives DELAY N its order as functions of a
// constant, as Tom Fiddaman's thyroid model does (MAX(1, Delay Order)):
// the order is evaluated at the start, and the delay is the one of that
// order.
func TestDelayNOrderExpression(t *testing.T) {
	for _, tc := range []struct {
		order string
		n     int
	}{{"MAX(1, Delay Order)", 1}, {"IF THEN ELSE(Delay Order > 2, Delay Order, 3)", 3}, {"INTEGER(Delay Order + 2.7)", 2}} {
		src := strings.Replace(delayNModel(0, "6", 1), ", 0) ~", ", "+tc.order+") ~", 1) + "Delay Order = 0 ~ ~ |\n"
		m, err := model.Parse("delayn.mdl", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", tc.order, err)
		}
		res, err := m.Run(context.Background(), model.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		input := func(t float64) float64 {
			x := 3.0
			if t+0.5 > 2 {
				x += 5
			}
			if t+0.5 > 9 {
				x -= 7
			}
			return x
		}
		want := vensimDelayN(tc.n, input, func(float64) float64 { return 6 }, 2, 1, 30)
		got := res.Series("Out")
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
				t.Errorf("%s: t=%g: got %.15g, want %.15g (order %d)", tc.order, res.Times[i], got[i], want[i], tc.n)
				break
			}
		}
	}
}
