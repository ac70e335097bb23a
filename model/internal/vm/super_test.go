package vm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSupers checks every superinstruction against its parts run one by
// one, bit for bit over every slot, on random operands: operands that
// are other parts' slots, lookups inside and outside their last segment,
// zeros, infinities and NaN; and that it allocates nothing. It also checks that packing and
// unpacking give the parts back, and that Linked refuses parts whose
// links do not hold.
func TestSupers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tables := []Table{
		{Xs: []float64{0, 1, 2, 4}, Ys: []float64{1, 3, 2, 8}},
		{Xs: []float64{-1, 1}, Ys: []float64{5, -5}, Extrapolate: true},
		{Xs: []float64{0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 9}, Ys: []float64{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}},
	}
	const nslots = 24
	for k := range Supers {
		s := &Supers[k]
		op := OpSuper + Opcode(k)
		checked := 0
		for try := 0; checked < 300; try++ {
			if try > 100000 {
				t.Fatalf("%v: could not make parts it links", op)
			}
			parts := make([]Instr, len(s.Parts))
			for q, pop := range s.Parts {
				in := Instr{Op: pop, Dst: int32(NumFixedSlots + rng.IntN(nslots-NumFixedSlots))}
				slot, lit := SlotFields(pop)
				for f := 1; f < 4; f++ {
					x := int32(0)
					switch {
					case lit[f]:
						x = int32(rng.IntN(len(tables)))
					case slot[f]:
						x = int32(rng.IntN(nslots))
					}
					setField(&in, int8(f), x)
				}
				parts[q] = in
			}
			for _, l := range s.Links {
				setField(&parts[l.To], l.Field, parts[l.From].Dst)
			}
			if !s.Linked(parts) {
				continue // a part in between overwrote a linked slot
			}
			code := PackSuper(nil, k, parts)
			if got, words := UnpackSuper(code); !slices.Equal(got, parts) || words != len(code) {
				t.Fatalf("%v: unpacked %v (%d words), packed %v (%d words)", op, got, words, parts, len(code))
			}
			want := make([]float64, nslots)
			for i := range want {
				want[i] = vecValues[rng.IntN(len(vecValues))]
				if rng.IntN(2) == 0 {
					want[i] = rng.Float64()*12 - 2
				}
			}
			got := slices.Clone(want)
			wt, gt := Cached(tables), Cached(tables)
			for range 3 { // again, so that lookups find their last segments
				Exec(parts, want, wt, nil)
				Exec(code, got, gt, nil)
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
						t.Fatalf("%v on %v: slot %d is %v, the parts give %v", op, parts, i, got[i], want[i])
					}
				}
			}
			// Tables without a last segment send every lookup to the
			// search, which allocates nothing.
			if allocs := testing.AllocsPerRun(5, func() { Exec(code, got, tables, nil) }); allocs != 0 {
				t.Fatalf("%v allocates %v times a run", op, allocs)
			}
			checked++
		}
		// A part in between that writes a linked slot breaks the link.
		for _, l := range s.Links {
			if l.To-l.From < 2 {
				continue
			}
			parts := make([]Instr, len(s.Parts))
			for q, pop := range s.Parts {
				parts[q] = Instr{Op: pop, Dst: int32(10 + q)}
			}
			for _, l := range s.Links {
				setField(&parts[l.To], l.Field, parts[l.From].Dst)
			}
			if !s.Linked(parts) {
				t.Fatalf("%v: refuses %v", op, parts)
			}
			parts[l.From+1].Dst = parts[l.From].Dst
			if s.Linked(parts) {
				t.Errorf("%v: links %v, whose part %d overwrites part %d's result", op, parts, l.From+1, l.From)
			}
		}
	}
}

// TestSuperize checks that superized code computes bit for bit what the
// code did, on random runs of the instructions superinstructions are made
// of over a few slots (so that links often hold, and often do not), and
// that it takes the fewest dispatches: a flow's mul, lookup and mulmul
// after a lookup are two, not the lookup and mul, then the lookup, then
// the mulmul.
func TestSuperize(t *testing.T) {
	tables := []Table{
		{Xs: []float64{0, 1, 2, 4}, Ys: []float64{1, 3, 2, 8}},
		{Xs: []float64{-1, 1}, Ys: []float64{5, -5}},
	}
	flow := []Instr{
		{Op: OpLookup, Dst: 5, A: 6, B: 0},
		{Op: OpMul, Dst: 20, A: 7, B: 8},
		{Op: OpLookup, Dst: 21, A: 9, B: 1},
		{Op: OpFused + 28, Dst: 10, A: 20, B: 21, C: 11},
	}
	got := Superize(slices.Clone(flow))
	var ops []string
	for i := 0; i < len(got); {
		_, w := UnpackSuper(got[i:])
		ops = append(ops, got[i].Op.String())
		i += w
	}
	if want := []string{"lookup", "mul+lookup+mulmul"}; !slices.Equal(ops, want) {
		t.Errorf("superized %v, want %v", ops, want)
	}

	var pool []Opcode
	for _, s := range Supers {
		pool = append(pool, s.Parts...)
	}
	rng := rand.New(rand.NewPCG(8, 9))
	supers := 0
	for range 2000 {
		code := make([]Instr, 1+rng.IntN(12))
		for k := range code {
			op := pool[rng.IntN(len(pool))]
			in := Instr{Op: op, Dst: int32(NumFixedSlots + rng.IntN(6))}
			slot, lit := SlotFields(op)
			for f := 1; f < 4; f++ {
				switch {
				case lit[f]:
					setField(&in, int8(f), int32(rng.IntN(len(tables))))
				case slot[f]:
					setField(&in, int8(f), int32(rng.IntN(NumFixedSlots+6)))
				}
			}
			code[k] = in
		}
		v := make([]float64, NumFixedSlots+6)
		for i := range v {
			v[i] = rng.Float64()*6 - 2
		}
		want, got := slices.Clone(v), slices.Clone(v)
		wt, gt := Cached(tables), Cached(tables)
		sup := Superize(slices.Clone(code))
		for _, in := range sup {
			if _, ok := SuperOf(in.Op); ok {
				supers++
			}
		}
		for range 2 {
			Exec(code, want, wt, nil)
			Exec(sup, got, gt, nil)
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
					t.Fatalf("%v superized as %v: slot %d is %v, the code gives %v", code, sup, i, got[i], want[i])
				}
			}
		}
	}
	if supers < 1000 {
		t.Errorf("only %d superinstructions in all", supers)
	}
}
