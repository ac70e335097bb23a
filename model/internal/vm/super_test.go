package vm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSupers checks every superinstruction against its parts run one by
// one, bit for bit over every slot, on random operands: operands that
// are other parts' slots, lookups inside and outside their last segment
// (so that Exec resumes a superinstruction at a part), zeros, infinities
// and NaN. It also checks that packing and unpacking give the parts
// back, and that Linked refuses parts whose links do not hold.
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
