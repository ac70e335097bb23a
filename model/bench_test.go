package model

import (
	"context"
	"math"
	"testing"

	"github.com/stockflow/stockflow/internal/ring"
)

func ringModel(n int, stop float64) string { return ring.Model(n, stop) }

func ringByHand(n int, stop float64, out []float64) []float64 { return ring.ByHand(n, stop, out) }

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
