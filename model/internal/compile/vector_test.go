package compile

import (
	"slices"
	"testing"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// chainCode returns n blocks of one addition each, block k writing slot
// base+k from slot base+k-back and a constant: with back 1, each block
// reads the one before, like a chain of aux a{i} = a{i-1} + 1.
func chainCode(n int, base, back int32) *vectorizer {
	z := &vectorizer{tempLo: 1 << 30, tempHi: 1<<30 + 1}
	for k := range int32(n) {
		z.blocks = append(z.blocks, [2]int32{k, k + 1})
		z.code = append(z.code, vm.Instr{Op: vm.OpAdd, Dst: base + k, A: base + k - back, B: 1})
	}
	return z
}

// TestRunsLinear checks that finding runs in a chain of blocks that each
// read the one before looks at a few blocks per block, not at every block
// after each (which took seconds for 10,000 aux and minutes for 100,000).
func TestRunsLinear(t *testing.T) {
	for _, n := range []int{1000, 10000, 100000} {
		z := chainCode(n, 10, 1)
		if runs := z.runs(); len(runs) != 0 {
			t.Errorf("chain of %d: %d runs, want none (each block reads the one before)", n, len(runs))
		}
		if z.looked > 8*n {
			t.Errorf("chain of %d: looked at %d blocks, want at most %d", n, z.looked, 8*n)
		}
	}
}

// TestRunStopsAtDependence checks a run ends before the first block that
// reads a block of the run, and the next run starts there: blocks 0-4
// read slots nothing writes, blocks 5-9 read what blocks 0-4 write.
func TestRunStopsAtDependence(t *testing.T) {
	z := chainCode(10, 100, 5)
	var got [][3]int
	for _, r := range z.runs() {
		got = append(got, [3]int{r.First, int(r.N1), int(r.N2)})
	}
	want := [][3]int{{0, 1, 5}, {5, 1, 5}}
	if !slices.Equal(got, want) {
		t.Errorf("runs (first, n1, n2) %v, want %v", got, want)
	}
}
