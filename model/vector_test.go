package model

import (
	"io/fs"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// checkVectorised checks that the program's vectorised flow and rate code,
// with its superinstructions, computes bit for bit what its scalar code
// does, from random slots. It
// returns the number of runs the program has.
func checkVectorised(t *testing.T, name string, p *vm.Program) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, uint64(len(p.FlowCode))))
	// The values at the start, then random stocks, flows and aux.
	v := make([]float64, p.NSlots)
	copy(v, p.Consts)
	v[vm.SlotTime], v[vm.SlotTStep], v[vm.SlotDT], v[vm.SlotStop] = 2, 2, 0.25, 10
	for _, x := range p.Vars {
		if x.Role == vm.Param {
			v[x.Slot] = x.Src.Value
		}
	}
	vm.Exec(p.InitCode, v, p.Tables, nil)
	for k := range p.Stocks {
		v[int(p.StockLo)+k] = rng.NormFloat64() * 10
	}
	for _, i := range p.FlowVars {
		v[p.Vars[i].Slot] = rng.NormFloat64() * 10
	}
	scalar := append([]float64(nil), v...)
	vm.Exec(p.FlowCode, scalar, p.Tables, nil)
	fast := append([]float64(nil), v...)
	vm.Exec(p.FastCode, fast, p.Tables, p.Vecs)
	// And with tables that remember their last segment, as a run's do:
	// twice, so that the second finds them.
	cached := append([]float64(nil), v...)
	tables := vm.Cached(p.Tables)
	vm.Exec(p.FastCode, cached, tables, p.Vecs)
	vm.Exec(p.FastCode, cached, tables, p.Vecs)
	for k := range int(p.TempLo) {
		for _, got := range []float64{fast[k], cached[k]} {
			if math.Float64bits(got) != math.Float64bits(scalar[k]) && !(math.IsNaN(got) && math.IsNaN(scalar[k])) {
				t.Fatalf("%s: slot %d (%s) is %v vectorised, %v scalar\nscalar code:\n%s\nvectorised:\n%s",
					name, k, p.SlotNames()(int32(k)), got, scalar[k], p.Disasm(p.FlowCode), p.Disasm(p.FastCode))
			}
		}
	}
	if len(p.NonNeg) > 0 {
		return len(p.FlowRuns)
	}
	vm.Exec(p.FastRates, fast, p.Tables, p.Vecs)
	for i := range p.Stocks {
		d := 0.0
		for k := p.RateLo[i]; k < p.RateLo[i+1]; k++ {
			d += p.RateSign[k] * scalar[p.RateSlot[k]]
		}
		if got := fast[int(p.DyLo)+i]; got != d && !(math.IsNaN(got) && math.IsNaN(d)) {
			t.Fatalf("%s: rate of stock %d is %v vectorised, %v summed", name, i, got, d)
		}
	}
	return len(p.FlowRuns)
}

// TestVectorisedMatchesScalar checks vectorised code against scalar code
// on models built to exercise runs: one- and two-level strides, elements
// that depend on each other (which must not become a run), scalars read
// by every element, temporaries, lookups, and runs of hidden stocks.
func TestVectorisedMatchesScalar(t *testing.T) {
	src := `
[sim]
stop = 4
dt = 0.25
[dimensions]
r = ["a", "b", "c", "d"]
s = ["x", "y", "z"]
[params]
k = 0.3
w = { dims = ["s"], values = { x = 1, y = 2, z = 3 } }
[lookups.effect]
points = [[0, 1], [1, 2], [4, 0.5]]
[stocks.p]
dims = ["r"]
initial = "10"
inflows = ["grow"]
[stocks.q]
dims = ["r", "s"]
initial = "w[s] + 1"
inflows = ["gain"]
outflows = ["loss"]
[flows.grow]
dims = ["r"]
eq = "k * p * effect(p / 20) - total / 100"
[flows.gain]
dims = ["r", "s"]
eq = "p[r] * w[s] / (1 + q)"
[flows.loss]
dims = ["r", "s"]
eq = "smth1(q * k, 2) + max(0, q - p[r])"
[aux.total]
eq = "sum(q[*, *])"
[aux.chain]
dims = ["r"]
eqs = { a = "p[a]", b = "min(chain[a], 50) + p[b]", c = "min(chain[b], 50) + p[c]", d = "min(chain[c], 50) + p[d]" }
[aux.chain2]
dims = ["r"]
eqs = { a = "p[a] * 2", b = "min(chain2[a], 50) + p[b]", c = "min(chain2[b], 50) + p[c]", d = "min(chain2[c], 50) + p[d]" }
`
	m := mustParse(t, src)
	if n := checkVectorised(t, "test model", m.prog); n < 3 {
		t.Errorf("%d runs, want at least 3", n)
	}
	// The chain's elements read each other: none of them may be in a run.
	for _, r := range m.prog.FlowRuns {
		for k := r.First; k < r.First+r.Size(); k++ {
			if name := m.prog.Vars[m.prog.FlowVars[k]].Name; strings.HasPrefix(name, "chain") {
				t.Errorf("%s is in a run of %d", name, r.Size())
			}
		}
	}
	// And a run gives the same trajectories as the scalar code.
	for _, method := range []string{"euler", "rk4", "rk45"} {
		res := mustRun(t, m, RunOptions{Method: method})
		for _, name := range []string{"q[c,z]", "p[d]", "total", "chain[d]", "chain2[d]"} {
			got := res.Series(name)
			if len(got) == 0 || math.IsNaN(got[len(got)-1]) {
				t.Errorf("%s %s: %v", method, name, got)
			}
		}
	}
}

// TestVectorisedConformance checks vectorised against scalar code (the
// interpreter's code, with its superinstructions, against the plain
// code) on every model of the conformance suite and on the benchmark's
// large, World3-class and business models.
func TestVectorisedConformance(t *testing.T) {
	var files []string
	filepath.WalkDir("../testdata/test-models", func(path string, d fs.DirEntry, err error) error {
		switch filepath.Ext(path) {
		case ".xmile", ".stmx", ".mdl":
			files = append(files, path)
		}
		return nil
	})
	files = append(files, "../bench/large/testdata/large.toml", "../bench/synth/testdata/world.mdl", "../bench/synth/testdata/business.mdl")
	runs, supers := 0, 0
	for _, f := range files {
		m, err := Load(f)
		if err != nil {
			continue // the conformance tests report what does not load
		}
		runs += checkVectorised(t, f, m.prog)
		for _, in := range m.prog.FastCode {
			if _, ok := vm.SuperOf(in.Op); ok {
				supers++
			}
		}
	}
	if runs < 20 {
		t.Errorf("%d runs in all, want at least 20", runs)
	}
	if supers < 60 {
		t.Errorf("%d superinstructions in all, want at least 60", supers)
	}
}

// TestTableScanMatchesSearch checks the linear scan of short tables finds
// the segment the binary search of long ones does, steps (repeated x) and
// the points themselves included.
func TestTableScanMatchesSearch(t *testing.T) {
	search := func(xs, ys []float64, x float64) float64 {
		lo, hi := 0, len(xs)-1
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if xs[mid] <= x {
				lo = mid
			} else {
				hi = mid
			}
		}
		return ys[lo] + (x-xs[lo])*(ys[hi]-ys[lo])/(xs[hi]-xs[lo])
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 2; n <= 20; n++ {
		for range 50 {
			xs, ys := make([]float64, n), make([]float64, n)
			x := 0.0
			for k := range xs {
				if k == 0 || rng.IntN(4) > 0 {
					x += float64(rng.IntN(3) + 1)
				}
				xs[k], ys[k] = x, rng.NormFloat64()
			}
			if xs[n-1] == xs[0] {
				continue
			}
			tb := vm.Table{Xs: xs, Ys: ys}
			for range 40 {
				x := xs[0] + rng.Float64()*(xs[n-1]-xs[0])
				if rng.IntN(3) == 0 {
					x = xs[rng.IntN(n)]
				}
				if x <= xs[0] || x >= xs[n-1] {
					continue
				}
				if got, want := tb.At(x), search(xs, ys, x); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("xs %v ys %v at %v: %v, binary search gives %v", xs, ys, x, got, want)
				}
			}
		}
	}
}
