package compile

import "github.com/stockflow/stockflow/model/internal/vm"

// Vectorising. Arrays expand into one scalar variable per element, and
// the elements of an array sit in consecutive slots and share one
// equation, so their code is the same but for slots that advance by fixed
// strides from one element to the next. A run of such blocks (a block is
// one variable's code, or one stock's rate) becomes a loop:
//
//   - the interpreter runs each instruction of the block over all the
//     elements before the next (a vector instruction, vm.ExecVec), so it
//     dispatches once per instruction of the equation instead of once per
//     instruction and element; the temporaries of the block get one slot
//     per element for that;
//   - stockflow gen writes a Go for loop over the elements, with the
//     temporaries as local variables.
//
// Each element computes exactly the operations it did before, so results
// are identical bit for bit. The loop runs over i < n1 and j < n2, element
// k = i*n2 + j, and each operand's slot is base + i*s1 + j*s2: two levels,
// so that an element of x[region, sector] may read y[region] (stride 0
// across sectors) or z[sector] (stride 0 across regions).

// minRun is the fewest blocks worth a loop.
const minRun = 3

// vectorize finds the runs of the flow and rate code and writes the
// interpreter's code with them as vector instructions.
func (c *compiler) vectorize() {
	p := c.p
	base := p.TempLo
	// Runs of array elements become loops; their temporaries, one slot
	// per element, go after everything else.
	z := &vectorizer{code: p.FlowCode, tempLo: base, tempHi: base + c.tempMax}
	for _, i := range p.FlowVars {
		v := p.Vars[i]
		z.blocks = append(z.blocks, [2]int32{v.CodeLo, v.CodeHi})
	}
	p.FlowRuns = z.runs()
	var vecTemps int32
	for k := range p.FlowRuns {
		vecTemps = max(vecTemps, z.lower(&p.FlowRuns[k], &p.Vecs, int32(p.NSlots)))
	}
	p.NSlots += int(vecTemps)
	p.FastCode = p.LowerFlow(nil)
	rz := &vectorizer{code: p.RateCode, blocks: p.RateBlocks, tempLo: base, tempHi: base + c.tempMax}
	p.RateRuns = rz.runs()
	p.FastRates = vm.Superize(rz.lowerAll(p.RateRuns, &p.Vecs))
}

// vectorizer finds runs in code split into blocks.
type vectorizer struct {
	code           []vm.Instr
	blocks         [][2]int32 // code[lo:hi] of each block
	tempLo, tempHi int32      // the slots of temporaries
	seen           slotMarks  // what the blocks of the run being fitted write and read
	looked         int        // blocks compared or admitted so far: the work runs did, for tests
}

func (z *vectorizer) isTemp(s int32) bool { return s >= z.tempLo && s < z.tempHi }

// runs returns the runs of blocks worth a loop, in order. It takes time
// linear in the code: each block is compared with the first of its shape
// once, and fitting a run from a block stops at the first block that
// breaks the strides or depends on an earlier one, so a long chain of
// blocks that each read the one before costs a few blocks per block.
func (z *vectorizer) runs() []vm.Loop {
	var out []vm.Loop
	end := 0 // blocks b to end-1 have the shape of block b
	for b := 0; b < len(z.blocks); {
		if end <= b {
			// sameShape compares a projection of the blocks, so it is an
			// equivalence: the blocks from b+1 to end-1 have one shape.
			end = b + 1
			for end < len(z.blocks) && z.sameShape(b, end) {
				end++
			}
		}
		m := end - b
		if m < minRun || !z.tempsLocal(b) {
			b = end
			continue
		}
		r := z.fit(b, m)
		if r.Size() < minRun {
			b++
			continue
		}
		out = append(out, r)
		b += r.Size()
	}
	return out
}

// sameShape reports whether blocks j and k have the same operations, the
// same temporaries and literals in the same places, and other slots in
// the same places as each other.
func (z *vectorizer) sameShape(j, k int) bool {
	z.looked++
	bj, bk := z.blocks[j], z.blocks[k]
	if bj[1]-bj[0] != bk[1]-bk[0] || bj[1] == bj[0] {
		return false
	}
	for i := int32(0); i < bj[1]-bj[0]; i++ {
		x, y := &z.code[bj[0]+i], &z.code[bk[0]+i]
		if x.Op != y.Op {
			return false
		}
		slot, lit := vm.SlotFields(x.Op)
		fx, fy := vm.Fields(x), vm.Fields(y)
		for f := range 4 {
			switch {
			case lit[f] && fx[f] != fy[f]:
				return false
			case slot[f] && z.isTemp(fx[f]) != z.isTemp(fy[f]):
				return false
			case slot[f] && z.isTemp(fx[f]) && fx[f] != fy[f]:
				return false
			}
		}
	}
	return true
}

// tempsLocal reports whether block b writes every temporary before it
// reads it, so that each element may have temporaries of its own.
func (z *vectorizer) tempsLocal(b int) bool {
	written := map[int32]bool{}
	for _, in := range z.code[z.blocks[b][0]:z.blocks[b][1]] {
		slot, _ := vm.SlotFields(in.Op)
		f := vm.Fields(&in)
		for k := 1; k < 4; k++ {
			if slot[k] && z.isTemp(f[k]) && !written[f[k]] {
				return false
			}
		}
		if z.isTemp(in.Dst) {
			written[in.Dst] = true
		}
	}
	return true
}

// fit finds the longest run of the m same-shaped blocks from b whose
// slots are base + i*s1 + j*s2 (one level if they allow, else two) and
// whose blocks are independent of each other (admit). It looks at no
// block past the first that fails.
func (z *vectorizer) fit(b, m int) vm.Loop {
	lo, hi := z.blocks[b][0], z.blocks[b][1]
	L := int(hi - lo)
	at := func(k, i, f int) int32 { // field f of instruction i of block b+k
		return vm.Fields(&z.code[z.blocks[b+k][0]+int32(i)])[f]
	}
	varies := func(i, f int) bool {
		slot, lit := vm.SlotFields(z.code[lo+int32(i)].Op)
		return slot[f] && !lit[f] && !z.isTemp(at(0, i, f))
	}
	// step reports whether block k is block k0 advanced by n strides s.
	step := func(k, k0, n int, s [][4]int32) bool {
		z.looked++
		for i := range L {
			for f := range 4 {
				if varies(i, f) && at(k, i, f) != at(k0, i, f)+int32(n)*s[i][f] {
					return false
				}
			}
		}
		return true
	}
	// row reports whether blocks k0, k0+1, ..., k0+n-1 advance by the
	// strides s from block k0 and are independent of the blocks before.
	row := func(k0, n int, s [][4]int32) bool {
		for k := 1; k < n; k++ {
			if !step(k0+k, k0, k, s) {
				return false
			}
		}
		for k := range n {
			if !z.admit(b + k0 + k) {
				return false
			}
		}
		return true
	}
	stride := func(k int) [][4]int32 { // from block 0 to block k
		s := make([][4]int32, L)
		for i := range L {
			for f := range 4 {
				if varies(i, f) {
					s[i][f] = at(k, i, f) - at(0, i, f)
				}
			}
		}
		return s
	}
	z.seen.reset(z.code)
	z.admit(b)
	s2 := stride(1)
	p := 1
	for p < m && step(p, 0, p, s2) && z.admit(b+p) {
		p++
	}
	r := vm.Loop{First: b, N1: 1, N2: int32(p), Body: z.code[lo:hi], S1: make([][4]int32, L), S2: s2}
	if p == 1 || p == m || 2*p > m {
		return r
	}
	s1 := stride(p)
	g := 1
	for (g+1)*p <= m && step(g*p, 0, g, s1) && row(g*p, p, s2) {
		g++
	}
	if g >= 2 {
		r.N1, r.S1 = int32(g), s1
	}
	return r
}

// admit reports whether block k neither reads nor writes a slot (other
// than a temporary) that a block admitted to the run before writes, nor
// writes one that such a block reads, and if so admits it. The elements
// of a run of such blocks may be computed in any order, a whole
// instruction at a time.
func (z *vectorizer) admit(k int) bool {
	z.looked++
	code := z.code[z.blocks[k][0]:z.blocks[k][1]]
	for _, in := range code {
		if !z.isTemp(in.Dst) && (z.seen.wasWritten(in.Dst) || z.seen.wasRead(in.Dst)) {
			return false
		}
		slot, lit := vm.SlotFields(in.Op)
		f := vm.Fields(&in)
		for q := 1; q < 4; q++ {
			if slot[q] && !lit[q] && !z.isTemp(f[q]) && z.seen.wasWritten(f[q]) {
				return false
			}
		}
	}
	for _, in := range code {
		if !z.isTemp(in.Dst) {
			z.seen.markWritten(in.Dst)
		}
		slot, lit := vm.SlotFields(in.Op)
		f := vm.Fields(&in)
		for q := 1; q < 4; q++ {
			if slot[q] && !lit[q] && !z.isTemp(f[q]) {
				z.seen.markRead(f[q])
			}
		}
	}
	return true
}

// slotMarks records which slots the blocks of a run write and read. A
// mark holds the generation it was made in, so that starting over is one
// increment, not a clearing of every slot.
type slotMarks struct {
	gen         int32
	wrote, read []int32 // per slot: the generation it was last written, read in
}

// reset forgets every mark, sizing the marks for the slots code uses.
func (s *slotMarks) reset(code []vm.Instr) {
	if s.wrote == nil {
		n := int32(0)
		for k := range code {
			slot, lit := vm.SlotFields(code[k].Op)
			f := vm.Fields(&code[k])
			for q := range 4 {
				if slot[q] && !lit[q] {
					n = max(n, f[q]+1)
				}
			}
		}
		s.wrote, s.read = make([]int32, n), make([]int32, n)
	}
	s.gen++
}

func (s *slotMarks) wasWritten(slot int32) bool { return s.wrote[slot] == s.gen }
func (s *slotMarks) wasRead(slot int32) bool    { return s.read[slot] == s.gen }
func (s *slotMarks) markWritten(slot int32)     { s.wrote[slot] = s.gen }
func (s *slotMarks) markRead(slot int32)        { s.read[slot] = s.gen }

// lowerAll returns the interpreter's code for all the blocks, with the
// runs of at least vm.MinVec blocks as vector instructions (which need no
// temporaries of their own: the blocks may not use any).
func (z *vectorizer) lowerAll(runs []vm.Loop, vecs *[]vm.VInstr) []vm.Instr {
	var out []vm.Instr
	vm.WalkBlocks(len(z.blocks), runs, nil, func(r *vm.Loop) bool {
		if r.Size() < vm.MinVec {
			return false
		}
		z.lower(r, vecs, -1) // sets r.vec
		out = append(out, r.Vec...)
		return true
	}, func(k int) {
		out = append(out, z.code[z.blocks[k][0]:z.blocks[k][1]]...)
	})
	return out
}

// lower writes the interpreter's code for run r: a vector instruction per
// instruction of the block, appended to *vecs, with the block's
// temporaries given one slot per element from tempBase on. It returns the
// slots the temporaries take.
func (z *vectorizer) lower(r *vm.Loop, vecs *[]vm.VInstr, tempBase int32) int32 {
	n := int32(r.Size())
	temps := map[int32]int32{} // temporary → its first element's slot
	for _, in := range r.Body {
		if z.isTemp(in.Dst) {
			if _, ok := temps[in.Dst]; !ok {
				temps[in.Dst] = tempBase + int32(len(temps))*n
			}
		}
	}
	r.Vec = nil
	for i, in := range r.Body {
		slot, _ := vm.SlotFields(in.Op)
		x := vm.VInstr{Op: in.Op, N1: r.N1, N2: r.N2, Base: vm.Fields(&in), S1: r.S1[i], S2: r.S2[i]}
		for f := range 4 {
			if slot[f] && z.isTemp(x.Base[f]) {
				x.Base[f], x.S1[f], x.S2[f] = temps[x.Base[f]], r.N2, 1
			}
		}
		x.Flatten()
		if !vm.VectorOp(in.Op) {
			// One instruction per element, in the same order.
			for i1 := range r.N1 {
				for j := range r.N2 {
					var f [4]int32
					for q := range 4 {
						f[q] = x.Base[q] + i1*x.S1[q] + j*x.S2[q]
					}
					r.Vec = append(r.Vec, vm.Instr{Op: in.Op, Dst: f[0], A: f[1], B: f[2], C: f[3]})
				}
			}
			continue
		}
		r.Vec = append(r.Vec, vm.Instr{Op: vm.OpVec, A: int32(len(*vecs))})
		*vecs = append(*vecs, x)
	}
	return int32(len(temps)) * n
}
