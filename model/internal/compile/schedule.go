package compile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// Scheduling: the flow code, one block per variable in dependency order,
// is reordered so that blocks of the same shape sit together and runs of
// them become loops (vector.go).

// groupBlocks reorders the flow variables and their code so that blocks
// of the same shape (the same operations on different slots) sit
// together wherever the dependencies between them allow, and returns the
// reordered code. Runs of like blocks become loops (vector.go): the
// elements of an array already sit together, and this also gathers
// variables that are copies of one structure under different names, as
// in a model written out element by element. Among the blocks that are
// ready, it takes the next of the same array as the last, else the next
// of the same shape, else the first in the present order. Dependencies
// are read from the code: a block comes after the blocks that write the
// slots it reads.
func (c *compiler) groupBlocks(code []vm.Instr) []vm.Instr {
	p := c.p
	n := len(p.FlowVars)
	block := func(k int) []vm.Instr {
		v := p.Vars[p.FlowVars[k]]
		return code[v.CodeLo:v.CodeHi]
	}
	writer := map[int32]int{}
	for k := range n {
		for _, in := range block(k) {
			if in.Dst < tempMark {
				writer[in.Dst] = k
			}
		}
	}
	indeg := make([]int, n)
	users := make([][]int, n)
	shapes := make([]string, n)
	families := make([]string, n)
	var key strings.Builder
	for k := range n {
		key.Reset()
		seen := map[int]bool{}
		for _, in := range block(k) {
			slot, lit := vm.SlotFields(in.Op)
			f := vm.Fields(&in)
			key.WriteString(strconv.Itoa(int(in.Op)))
			for q := range 4 {
				switch {
				case lit[q]:
					fmt.Fprintf(&key, " =%d", f[q])
				case slot[q] && f[q] >= tempMark:
					fmt.Fprintf(&key, " t%d", f[q]-tempMark)
				case slot[q]:
					key.WriteString(" s")
				}
				if q == 0 || !slot[q] || lit[q] || f[q] >= tempMark {
					continue
				}
				j, ok := writer[f[q]]
				if !ok || j == k {
					continue
				}
				from, to := j, k // j writes what k reads
				if j > k {
					from, to = k, j // k reads the value before j writes it
				}
				if !seen[j] {
					seen[j] = true
					indeg[to]++
					users[from] = append(users[from], to)
				}
			}
			key.WriteByte(';')
		}
		shapes[k] = key.String()
		families[k] = family(p.Vars[p.FlowVars[k]])
	}
	var ready intHeap
	byFamily := map[string]*intHeap{}
	byShape := map[string]*intHeap{}
	push := func(k int) {
		ready.push(k)
		for _, m := range []struct {
			heaps map[string]*intHeap
			key   string
		}{{byFamily, families[k]}, {byShape, shapes[k]}} {
			if m.heaps[m.key] == nil {
				m.heaps[m.key] = &intHeap{}
			}
			m.heaps[m.key].push(k)
		}
	}
	for k := range n {
		if indeg[k] == 0 {
			push(k)
		}
	}
	done := make([]bool, n)
	order := make([]int, 0, n)
	next := func(h *intHeap) int {
		for h != nil && len(*h) > 0 {
			if k := h.pop(); !done[k] {
				return k
			}
		}
		return -1
	}
	for len(order) < n {
		k := -1
		if len(order) > 0 {
			last := order[len(order)-1]
			if k = next(byFamily[families[last]]); k < 0 {
				k = next(byShape[shapes[last]])
			}
		}
		if k < 0 {
			k = next(&ready)
		}
		if k < 0 {
			return code // cannot happen: the present order satisfies the dependencies
		}
		done[k] = true
		order = append(order, k)
		for _, u := range users[k] {
			if indeg[u]--; indeg[u] == 0 {
				push(u)
			}
		}
	}
	out := make([]vm.Instr, 0, len(code))
	vars := make([]int, n)
	for pos, k := range order {
		v := p.Vars[p.FlowVars[k]]
		lo := int32(len(out))
		out = append(out, block(k)...)
		vars[pos] = p.FlowVars[k]
		v.CodeLo, v.CodeHi = lo, int32(len(out))
	}
	p.FlowVars = vars
	return out
}

// family returns the name of the array a variable is an element of: its
// name without subscripts, and for a hidden variable without the counter
// that makes its name unique ("$x[a]·smth1·7" gives "$x·smth1").
func family(v *vm.Var) string {
	name := v.Name
	if k := strings.LastIndex(name, "·"); k > 0 && v.Hidden {
		if _, err := strconv.Atoi(name[k+len("·"):]); err == nil {
			name = name[:k]
		}
	}
	lo := strings.IndexByte(name, '[')
	hi := strings.IndexByte(name, ']')
	if lo < 0 || hi < lo {
		return name
	}
	return name[:lo] + name[hi+1:]
}

// intHeap is a min-heap of ints.
type intHeap []int

func (h *intHeap) push(x int) {
	*h = append(*h, x)
	s := *h
	for k := len(s) - 1; k > 0; {
		p := (k - 1) / 2
		if s[p] <= s[k] {
			break
		}
		s[p], s[k] = s[k], s[p]
		k = p
	}
}

func (h *intHeap) pop() int {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	for k := 0; ; {
		m := k
		if l := 2*k + 1; l < n && s[l] < s[m] {
			m = l
		}
		if r := 2*k + 2; r < n && s[r] < s[m] {
			m = r
		}
		if m == k {
			break
		}
		s[k], s[m] = s[m], s[k]
		k = m
	}
	*h = s
	return top
}
