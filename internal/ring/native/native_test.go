package native_test

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/stockflow/stockflow/internal/ring"
	"github.com/stockflow/stockflow/internal/ring/native"
	"github.com/stockflow/stockflow/model"
)

const n, stop = 250, 100

// TestNativeMatches checks the generated code against the interpreter
// (to 1e-12) and against the equations written by hand.
func TestNativeMatches(t *testing.T) {
	nm, err := native.Load()
	if err != nil {
		t.Fatal(err)
	}
	im, err := model.Parse(native.Filename, []byte(native.Source))
	if err != nil {
		t.Fatal(err)
	}
	if !nm.IsNative() || im.IsNative() {
		t.Fatal("IsNative is wrong")
	}
	ctx := context.Background()
	nr, err := nm.Run(ctx, model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ir, err := im.Run(ctx, model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ir.Names {
		a, b := nr.Series(name), ir.Series(name)
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-12*math.Max(1, math.Abs(b[i])) {
				t.Fatalf("%s at t=%g: native %g, interpreted %g", name, ir.Times[i], a[i], b[i])
			}
		}
	}
	hand := ring.ByHand(n, stop, nil)
	for i, x := range nr.Series("s0") {
		if math.Abs(x-hand[i]) > 1e-12*math.Max(1, math.Abs(hand[i])) {
			t.Fatalf("s0 at step %d: native %g, by hand %g", i, x, hand[i])
		}
	}
}

// TestSourceIsCurrent checks that the generated package embeds the model
// that ring.Model writes today.
func TestSourceIsCurrent(t *testing.T) {
	src, err := os.ReadFile("../testdata/ring250.toml")
	if err != nil {
		t.Fatal(err)
	}
	if string(src) != ring.Model(n, stop) || native.Source != string(src) {
		t.Fatal("internal/ring/testdata/ring250.toml or its generated package is stale; see internal/ring/README.md")
	}
}

// BenchmarkRun runs the ring of 1,000 variables three ways side by side:
// the interpreter, the generated Go, and the equations by hand.
func BenchmarkRun(b *testing.B) {
	vars, steps := 4*n, int(stop/ring.DT)+1
	perVarStep := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(vars*steps), "ns/var-step")
	}
	im, err := model.Parse(native.Filename, []byte(native.Source))
	if err != nil {
		b.Fatal(err)
	}
	nm, err := native.Load()
	if err != nil {
		b.Fatal(err)
	}
	opt := model.RunOptions{Vars: []string{"s0"}}
	for _, c := range []struct {
		name string
		m    *model.Model
	}{{"interpreted", im}, {"generated", nm}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.m.Run(context.Background(), opt); err != nil {
					b.Fatal(err)
				}
			}
			perVarStep(b)
		})
	}
	b.Run("by-hand", func(b *testing.B) {
		b.ReportAllocs()
		out := make([]float64, 0, steps)
		for b.Loop() {
			out = ring.ByHand(n, stop, out)
		}
		perVarStep(b)
	})
}
