package compile

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// TestFusedOps checks every fused instruction against the pair of
// instructions it replaces, bit for bit, on random operands and on zeros,
// infinities and NaN.
func TestFusedOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	specials := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), 1e308, 1e-308}
	seen := 0
	for _, op1 := range vm.FuseInner {
		for _, op2 := range vm.FuseOuter {
			for _, right := range []bool{false, true} {
				f, ok := fusedOp(op1, op2, right)
				if !ok {
					t.Fatalf("no fused op for %d, %d", op1, op2)
				}
				want := op1.String() + op2.String()
				if right && op2 != vm.OpAdd && op2 != vm.OpMul {
					want += "r"
				}
				if f.String() != want {
					t.Fatalf("fusedOp(%v, %v, %t) = %v, want %s", op1, op2, right, f, want)
				}
				seen++
				for k := 0; k < 200; k++ {
					// slots: 0 time, 1 a, 2 b, 3 c, 4 temp, 5 dst
					v := make([]float64, 6)
					for s := 1; s <= 3; s++ {
						if k < 60 {
							v[s] = specials[rng.IntN(len(specials))]
						} else {
							v[s] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(20)-10))
						}
					}
					pair := []vm.Instr{{Op: op1, Dst: 4, A: 1, B: 2}, {Op: op2, Dst: 5, A: 4, B: 3}}
					if right {
						pair[1].A, pair[1].B = 3, 4
					}
					w := append([]float64(nil), v...)
					vm.Exec(pair, w, nil, nil)
					g := append([]float64(nil), v...)
					vm.Exec([]vm.Instr{{Op: f, Dst: 5, A: 1, B: 2, C: 3}}, g, nil, nil)
					if math.Float64bits(g[5]) != math.Float64bits(w[5]) && !(math.IsNaN(g[5]) && math.IsNaN(w[5])) {
						t.Fatalf("fused %d (%d then %d, right %v) on %v: %v, the pair gives %v", f, op1, op2, right, v[1:4], g[5], w[5])
					}
				}
			}
		}
	}
	if seen != 48 {
		t.Errorf("checked %d fused ops, want 48", seen)
	}
}
