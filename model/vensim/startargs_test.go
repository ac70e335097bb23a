package vensim_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// runMdl loads and runs a .mdl model's text, returning the series of the
// named variable.
func runMdl(t *testing.T, src, name string) []float64 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.mdl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Series(name)
}

// TestStartArguments checks that the arguments Vensim takes once, at the
// start — a random function's seed, DELAY N's and SMOOTH N's order — may
// be expressions of constants: the run equals the one with the number
// written out.
func TestStartArguments(t *testing.T) {
	const ctl = "base seed = 7 ~~|\nstages = 2 ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 20 ~~|\nTIME STEP = 0.5 ~~|\n"
	for _, tc := range []struct{ name, expr, number string }{
		{"RANDOM UNIFORM seed", "RANDOM UNIFORM(0, 10, base seed * 2 + 1)", "RANDOM UNIFORM(0, 10, 15)"},
		{"RANDOM NORMAL seed", "RANDOM NORMAL(-5, 5, 0, 1, base seed + INITIAL TIME)", "RANDOM NORMAL(-5, 5, 0, 1, 7)"},
		{"DELAY N order", "DELAY N(STEP(10, 1), 4, 0, stages * 2)", "DELAY N(STEP(10, 1), 4, 0, 4)"},
		{"RANDOM POISSON seed", "RANDOM POISSON(0, 100, 4, 0, 1, base seed - 2)", "RANDOM POISSON(0, 100, 4, 0, 1, 5)"},
		{"RANDOM EXPONENTIAL seed", "RANDOM EXPONENTIAL(0, 100, 0, 1, base seed)", "RANDOM EXPONENTIAL(0, 100, 0, 1, 7)"},
		{"SMOOTH N order", "SMOOTH N(STEP(10, 1), 4, 0, stages + 1)", "SMOOTH N(STEP(10, 1), 4, 0, 3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runMdl(t, "x = "+tc.expr+" ~~|\n"+ctl, "x")
			want := runMdl(t, "x = "+tc.number+" ~~|\n"+ctl, "x")
			if len(got) != len(want) || len(got) == 0 {
				t.Fatalf("got %d values, want %d", len(got), len(want))
			}
			varies := false
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("at step %d: got %v, want %v", i, got[i], want[i])
				}
				varies = varies || got[i] != got[0]
			}
			if !varies {
				t.Errorf("the series is constant (%v): the test would not see a wrong argument", got[0])
			}
		})
	}
}

// TestBuiltinMacroShadowed checks that a model's own macro named NPV is
// used instead of the reader's NPV.
func TestBuiltinMacroShadowed(t *testing.T) {
	src := ":MACRO: NPV(a, b, c, d)\nNPV = a * 2 ~~|\n:END OF MACRO:\nx = NPV(3, 0.1, 0, 1) ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
	got := runMdl(t, src, "x")
	if len(got) != 2 || got[0] != 6 || got[1] != 6 {
		t.Errorf("got %v, want [6 6] (the model's macro)", got)
	}
}

// TestRandomDistributions checks RANDOM POISSON, EXPONENTIAL, WEIBULL,
// TRIANGULAR and RANDOM 0 1 against their documented distributions over
// 20,000 draws: a Poisson draw of mean 4 is a whole number with mean and
// variance 4, an exponential one has mean 1 and standard deviation 1, a
// Weibull one mean 1, each times stretch plus shift, clipped to [min,
// max]. The bounds on the means are five standard errors wide.
func TestRandomDistributions(t *testing.T) {
	const ctl = "INITIAL TIME = 0 ~~|\nFINAL TIME = 20000 ~~|\nTIME STEP = 1 ~~|\n"
	stats := func(xs []float64) (mean, sd float64) {
		for _, x := range xs {
			mean += x
		}
		mean /= float64(len(xs))
		for _, x := range xs {
			sd += (x - mean) * (x - mean)
		}
		return mean, math.Sqrt(sd / float64(len(xs)-1))
	}
	// Poisson of mean 4, stretched by 2 and shifted by 1: odd whole
	// numbers with mean 9 and standard deviation 4.
	p := runMdl(t, "x = RANDOM POISSON(-1e9, 1e9, 4, 1, 2, 3) ~~|\n"+ctl, "x")
	for _, x := range p {
		if math.Mod(x, 2) != 1 {
			t.Fatalf("RANDOM POISSON: %v is not 1 + 2k", x)
		}
	}
	if m, sd := stats(p); math.Abs(m-9) > 5*4/math.Sqrt(float64(len(p))) || math.Abs(sd-4) > 0.1 {
		t.Errorf("RANDOM POISSON: mean %v, sd %v; want 9 and 4", m, sd)
	}
	// Exponential of mean 1 times 3, plus 2: mean 5, sd 3, nothing below 2.
	e := runMdl(t, "x = RANDOM EXPONENTIAL(-1e9, 1e9, 2, 3, 11) ~~|\n"+ctl, "x")
	for _, x := range e {
		if x < 2 {
			t.Fatalf("RANDOM EXPONENTIAL: %v below the shift 2", x)
		}
	}
	if m, sd := stats(e); math.Abs(m-5) > 5*3/math.Sqrt(float64(len(e))) || math.Abs(sd-3) > 0.15 {
		t.Errorf("RANDOM EXPONENTIAL: mean %v, sd %v; want 5 and 3", m, sd)
	}
	// Weibull of shape 2 scaled to mean 1: sd sqrt(Γ(2)/Γ(1.5)² - 1),
	// Γ(1.5) = √π/2; times 2 plus 1.
	w := runMdl(t, "x = RANDOM WEIBULL(-1e9, 1e9, 2, 1, 2, 5) ~~|\n"+ctl, "x")
	wsd := 2 * math.Sqrt(4/math.Pi-1)
	if m, sd := stats(w); math.Abs(m-3) > 5*wsd/math.Sqrt(float64(len(w))) || math.Abs(sd-wsd) > 0.03 {
		t.Errorf("RANDOM WEIBULL: mean %v, sd %v; want 3 and %v", m, sd, wsd)
	}
	// Triangular from 1 to 4, peak 2: mean 7/3, variance 7/18, within
	// [1, 4].
	tr := runMdl(t, "x = RANDOM TRIANGULAR(-1e9, 1e9, 1, 2, 4, 9) ~~|\n"+ctl, "x")
	for _, x := range tr {
		if x < 1 || x > 4 {
			t.Fatalf("RANDOM TRIANGULAR: %v outside [1, 4]", x)
		}
	}
	tsd := math.Sqrt(7.0 / 18)
	if m, sd := stats(tr); math.Abs(m-7.0/3) > 5*tsd/math.Sqrt(float64(len(tr))) || math.Abs(sd-tsd) > 0.02 {
		t.Errorf("RANDOM TRIANGULAR: mean %v, sd %v; want 7/3 and %v", m, sd, tsd)
	}
	// RANDOM 0 1: uniform on [0, 1).
	u := runMdl(t, "x = RANDOM 0 1() ~~|\n"+ctl, "x")
	if m, sd := stats(u); math.Abs(m-0.5) > 5/math.Sqrt(12*float64(len(u))) || math.Abs(sd-1/math.Sqrt(12)) > 0.01 {
		t.Errorf("RANDOM 0 1: mean %v, sd %v; want 0.5 and %v", m, sd, 1/math.Sqrt(12))
	}
	// Clipped to [min, max] after the stretch and shift.
	c := runMdl(t, "x = RANDOM EXPONENTIAL(2.5, 4, 2, 3, 11) ~~|\n"+ctl, "x")
	lo, hi := 0, 0
	for _, x := range c {
		switch {
		case x < 2.5 || x > 4:
			t.Fatalf("RANDOM EXPONENTIAL clipped to [2.5, 4]: %v", x)
		case x == 2.5:
			lo++
		case x == 4:
			hi++
		}
	}
	if lo == 0 || hi == 0 {
		t.Errorf("RANDOM EXPONENTIAL clipped to [2.5, 4]: %d draws at 2.5, %d at 4; want some at each", lo, hi)
	}
}

// TestRandomStreams checks that the RANDOM calls that name one seed draw
// independently, as the calls of one stream do in Vensim: the elements
// of an arrayed variable and two calls in one equation differ at every
// step, and a second run repeats the first.
func TestRandomStreams(t *testing.T) {
	const ctl = "r: a, b ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 50 ~~|\nTIME STEP = 1 ~~|\n"
	src := "x[r] = RANDOM UNIFORM(0, 1, 4) ~~|\ny = RANDOM UNIFORM(0, 1, 4) - RANDOM UNIFORM(0, 1, 4) ~~|\n" + ctl
	xa, xb := runMdl(t, src, "x[a]"), runMdl(t, src, "x[b]")
	y := runMdl(t, src, "y")
	again := runMdl(t, src, "x[a]")
	for i := range xa {
		if xa[i] == xb[i] {
			t.Errorf("step %d: x[a] = x[b] = %v; the elements draw the same numbers", i, xa[i])
		}
		if y[i] == 0 {
			t.Errorf("step %d: two calls with seed 4 in one equation drew the same number", i)
		}
		if again[i] != xa[i] {
			t.Errorf("step %d: a second run drew %v, the first %v", i, again[i], xa[i])
		}
	}
}
