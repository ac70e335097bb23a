package model

import (
	"context"
	"math"
	"os"
	"testing"
)

// TestVectorizeMatchesScalar runs the large arrayed benchmark model with
// its vectorised code and with the scalar code, and checks that every
// series is bit for bit the same, and that vectorising shortened the code.
func TestVectorizeMatchesScalar(t *testing.T) {
	src, err := os.ReadFile("../bench/large/testdata/large.toml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse("large.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.prog.fastCode) >= len(m.prog.flowCode) {
		t.Errorf("vectorised code has %d instructions, the scalar %d", len(m.prog.fastCode), len(m.prog.flowCode))
	}
	scalar := *m.prog
	scalar.fastCode = scalar.flowCode
	ms := &Model{Decl: m.Decl, Source: m.Source, prog: &scalar}
	for _, opt := range []RunOptions{{Stop: 20}, {Stop: 20, Method: "rk4"}, {Stop: 20, Vars: []string{"world_population"}}} {
		a, err := m.Run(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ms.Run(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range a.Names {
			x, y := a.Series(name), b.Series(name)
			for i := range x {
				if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
					t.Fatalf("%+v: %s(%g) vectorised %v, scalar %v", opt, name, a.Times[i], x[i], y[i])
				}
			}
		}
	}
}

func TestVectorizeRuns(t *testing.T) {
	code := []instr{
		{op: opMul, dst: 10, a: 20, b: 5},
		{op: opMul, dst: 11, a: 21, b: 5},
		{op: opMul, dst: 12, a: 22, b: 5},
		{op: opMul, dst: 13, a: 23, b: 5},
		{op: opAdd, dst: 14, a: 1, b: 2},
		{op: opMul, dst: 100, a: 1, b: 2}, // a temporary: never vectorised
		{op: opMul, dst: 101, a: 2, b: 2},
	}
	got := vectorize(code, 100)
	if len(got) != 4 || got[0].op != opVecMul || got[0].c != 4 || got[0].sa != 1 || got[0].sb != 0 {
		t.Fatalf("vectorize gave %+v", got)
	}
}
