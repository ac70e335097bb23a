package model

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

// ringModel writes a model of n stocks in a ring, each with one flow and
// two aux: 4n variables, coupled all the way round.
//
//	a_i = r * s_{i-1}          (s_{-1} is s_{n-1})
//	b_i = s_i / tau
//	f_i = max(a_i - b_i, -cap) (inflow of s_i)
func ringModel(n int, stop float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name = \"ring of %d\"\n[sim]\nstop = %g\ndt = 0.25\n[params]\nr = 0.5\ntau = 2\ncap = 10\n", n, stop)
	for i := 0; i < n; i++ {
		prev := (i + n - 1) % n
		fmt.Fprintf(&b, "[stocks.s%d]\ninitial = %d\ninflows = [\"f%d\"]\n", i, 1+i%7, i)
		fmt.Fprintf(&b, "[flows.f%d]\neq = \"max(a%d - b%d, -cap)\"\n", i, i, i)
		fmt.Fprintf(&b, "[aux.a%d]\neq = \"r * s%d\"\n", i, prev)
		fmt.Fprintf(&b, "[aux.b%d]\neq = \"s%d / tau\"\n", i, i)
	}
	return b.String()
}

// ringByHand is ringModel's equations written by hand in Go, integrated by
// Euler: the practical limit for an engine. It returns s0's values at each
// step, like a run that records one variable.
func ringByHand(n int, stop float64, out []float64) []float64 {
	const r, tau, cp, dt = 0.5, 2.0, 10.0, 0.25
	s := make([]float64, n)
	a := make([]float64, n)
	bb := make([]float64, n)
	f := make([]float64, n)
	for i := range s {
		s[i] = float64(1 + i%7)
	}
	steps := int(stop / dt)
	out = out[:0]
	for k := 0; ; k++ {
		for i := range s {
			prev := i - 1
			if prev < 0 {
				prev = n - 1
			}
			a[i] = r * s[prev]
			bb[i] = s[i] / tau
			f[i] = math.Max(a[i]-bb[i], -cp)
		}
		out = append(out, s[0])
		if k == steps {
			return out
		}
		for i := range s {
			s[i] += dt * f[i]
		}
	}
}

// TestRingMatchesHand checks the benchmark's two sides compute the same.
func TestRingMatchesHand(t *testing.T) {
	m := mustParse(t, ringModel(50, 25))
	r := mustRun(t, m, RunOptions{Vars: []string{"s0"}})
	hand := ringByHand(50, 25, nil)
	got := r.Series("s0")
	if len(got) != len(hand) {
		t.Fatalf("%d values, hand-written gives %d", len(got), len(hand))
	}
	for i := range got {
		if math.Abs(got[i]-hand[i]) > 1e-12*math.Max(1, math.Abs(hand[i])) {
			t.Fatalf("s0 at step %d: engine %g, by hand %g", i, got[i], hand[i])
		}
	}
}

// BenchmarkParseCompile measures loading a model of 1,000 variables.
func BenchmarkParseCompile(b *testing.B) {
	src := []byte(ringModel(250, 100))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("ring.toml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun runs a model of 1,000 coupled variables for 400 Euler
// steps, in the engine and written by hand, and reports the time per
// variable-step of each, side by side.
func BenchmarkRun(b *testing.B) {
	const n, stop = 250, 100
	vars := 4 * n
	steps := int(stop/0.25) + 1
	m, err := Parse("ring.toml", []byte(ringModel(n, stop)))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		opt := RunOptions{Vars: []string{"s0"}}
		for b.Loop() {
			if _, err := m.Run(context.Background(), opt); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(vars*steps), "ns/var-step")
	})
	b.Run("by-hand", func(b *testing.B) {
		b.ReportAllocs()
		out := make([]float64, 0, steps)
		for b.Loop() {
			out = ringByHand(n, stop, out)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(vars*steps), "ns/var-step")
	})
}
