package vm

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestOpGenCurrent checks ops_gen.go is what ../opgen writes.
func TestOpGenCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run")
	}
	out := filepath.Join(t.TempDir(), "ops_gen.go")
	cmd := exec.Command("go", "run", "../opgen", "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ../opgen: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("ops_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("ops_gen.go is stale: run go generate ./model/internal/vm")
	}
}

// vecValues are operand values that tell operations apart: signed zeros,
// infinities, NaN, integers, fractions, and values inside and outside a
// lookup's range.
var vecValues = []float64{0, math.Copysign(0, -1), 1, -1, 2.5, -3.75, 0.1, 7, 1e300, -1e-300,
	math.Inf(1), math.Inf(-1), math.NaN(), 0.5, 3, 12}

// TestExecVecMatchesExec runs every vector operation over every kind of
// operand layout (contiguous, the same slot throughout, strided, two
// levels) and checks each element is bit for bit what the scalar
// instruction computes.
func TestExecVecMatchesExec(t *testing.T) {
	tables := []Table{
		{Xs: []float64{0, 1, 2, 4}, Ys: []float64{1, 3, 2, 8}},
		{Xs: []float64{-1, 1}, Ys: []float64{5, -5}, Extrapolate: true},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const n1, n2 = 3, 4
	layouts := []struct {
		name   string
		s1, s2 int32
	}{{"contiguous", n2, 1}, {"same slot", 0, 0}, {"strided", 2 * n2, 2}, {"by row", 1, 0}, {"by column", 0, 1}}
	checked := 0
	for op := Opcode(0); op < OpVec; op++ {
		if !VectorOp(op) {
			continue
		}
		slot, lit := SlotFields(op)
		for la := range layouts {
			for lb := range layouts {
				for lc := range layouts {
					v := make([]float64, 200)
					for k := NumFixedSlots; k < 100; k++ {
						v[k] = vecValues[rng.IntN(len(vecValues))]
						if rng.IntN(3) == 0 {
							v[k] = rng.NormFloat64() * 4
						}
					}
					v[SlotTime], v[SlotTStep], v[SlotDT] = 3, 3, 0.5
					x := VInstr{Op: op, N1: n1, N2: n2}
					x.Base = [4]int32{100, 10, 40, 70}
					x.S1[0], x.S2[0] = n2, 1
					for f, l := range [3]int{la, lb, lc} {
						x.S1[f+1], x.S2[f+1] = layouts[l].s1, layouts[l].s2
					}
					for f := 1; f < 4; f++ {
						if lit[f] {
							x.Base[f], x.S1[f], x.S2[f] = int32(rng.IntN(len(tables))), 0, 0
						}
						if !slot[f] && !lit[f] {
							x.Base[f], x.S1[f], x.S2[f] = 0, 0, 0
						}
					}
					want := append([]float64(nil), v...)
					for i := range int32(n1) {
						for j := range int32(n2) {
							var f [4]int32
							for q := range 4 {
								f[q] = x.Base[q] + i*x.S1[q] + j*x.S2[q]
							}
							Exec([]Instr{{Op: op, Dst: f[0], A: f[1], B: f[2], C: f[3]}}, want, tables, nil)
						}
					}
					x.Flatten()
					got := append([]float64(nil), v...)
					Exec([]Instr{{Op: OpVec}}, got, tables, []VInstr{x})
					for k := range got {
						if math.Float64bits(got[k]) != math.Float64bits(want[k]) && !(math.IsNaN(got[k]) && math.IsNaN(want[k])) {
							t.Fatalf("%v, layouts %s/%s/%s (kind %d): slot %d is %v, scalar code gives %v",
								op, layouts[la].name, layouts[lb].name, layouts[lc].name, x.Kind, k, got[k], want[k])
						}
					}
					checked++
				}
			}
		}
	}
	if checked < 80*125 {
		t.Errorf("checked only %d cases", checked)
	}
}

// TestCachedAt checks that tables that remember their last segment give
// the value, bit for bit, that the Program's tables give, read through
// Table.At and through the interpreter's lookup, for readings that creep
// along a table, jump about, land on its points, leave it (where the
// table holds its end's value, -0 and NaN among them, or extrapolates),
// go far out and are NaN.
func TestCachedAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	var tables []Table
	for _, n := range []int{2, 3, 5, 16, 17, 40} {
		for _, extra := range []bool{false, true} {
			xs, ys := make([]float64, n), make([]float64, n)
			x := -1.0
			for i := range xs {
				x += 0.1 + rng.Float64()
				xs[i], ys[i] = x, rng.NormFloat64()
			}
			if n%2 == 1 {
				ys[0] = math.Copysign(0, -1) // held beyond the first point, -0 is not remembered
			}
			tables = append(tables, Table{Xs: xs, Ys: ys, Extrapolate: extra})
		}
	}
	tables = append(tables,
		Table{Xs: []float64{0, 1, 2}, Ys: []float64{5, 6, 7}, Mode: InterpHold},
		// Ends too far out for the line beyond them to be remembered, and
		// a NaN held beyond the last point.
		Table{Xs: []float64{-1e300, 0, 1e300}, Ys: []float64{1, 2, 3}},
		Table{Xs: []float64{-2e290, 1, 3e290}, Ys: []float64{4, 2, -1}},
		Table{Xs: []float64{3e299, 1e300}, Ys: []float64{1, 2}},
		Table{Xs: []float64{-1e300, -3e299}, Ys: []float64{1, 2}},
		Table{Xs: []float64{0, 1, 4}, Ys: []float64{2, 3, math.NaN()}})
	far := []float64{1e300, -1e300, 1e308, -1e308, 2e299, -2e299, math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), 5e289, -5e289, 2e290, -2e290}
	cached := Cached(tables)
	code := make([]Instr, len(tables))
	v := make([]float64, 2*len(tables))
	for i := range tables {
		code[i] = Instr{Op: OpLookup, Dst: int32(len(tables) + i), A: int32(i), B: int32(i)}
	}
	x := 0.0
	for k := range 20000 {
		switch r := rng.IntN(20); {
		case r == 0:
			x = math.NaN()
		case r == 1:
			x = -3 + 60*rng.Float64()
		case r == 2:
			x = tables[rng.IntN(len(tables))].Xs[0] // a table's first point
		case r < 5:
			tb := tables[rng.IntN(len(tables))]
			x = tb.Xs[rng.IntN(len(tb.Xs))]
		case r == 5:
			x = far[rng.IntN(len(far))]
		default:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				x = 0
			}
			x += 0.05 * rng.NormFloat64()
		}
		for i := range tables {
			v[i] = x
		}
		Exec(code, v, cached, nil)
		for i := range tables {
			want := tables[i].At(x)
			if got := cached[i].At(x); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("reading %d, table %d at %v: cached At gives %v, uncached %v", k, i, x, got, want)
			}
			if got := v[len(tables)+i]; math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("reading %d, table %d at %v: the interpreter gives %v, uncached At %v", k, i, x, got, want)
			}
		}
	}
	for i := range tables {
		if tables[i].Last != nil {
			t.Errorf("table %d: Cached gave the Program's table a Last", i)
		}
	}
}
