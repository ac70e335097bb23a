package model

// Vectorising: arrays expand into one scalar variable per element, with
// consecutive slots, and an equation written once for all elements
// compiles to the same instruction for each, its slots advancing by one.
// A run of such instructions becomes one vector instruction that loops
// over the elements itself, so the interpreter dispatches once per array
// instead of once per element. The elements are computed in the same
// order as before, so results are identical.

var vectorOf = map[opcode]opcode{opMov: opVecMov, opAdd: opVecAdd, opSub: opVecSub, opMul: opVecMul, opDiv: opVecDiv}

// minVector is the shortest run worth a vector instruction.
const minVector = 4

// vectorize returns code with runs of like instructions replaced by vector
// instructions. Slots from tempLo on are temporaries, which are never
// part of a run. code itself is left as it is.
func vectorize(code []instr, tempLo int32) []instr {
	out := make([]instr, 0, len(code))
	for i := 0; i < len(code); {
		in := code[i]
		vop, ok := vectorOf[in.op]
		n := 1
		var sa, sb int32
		if ok && in.dst < tempLo && in.a < tempLo && (in.op == opMov || in.b < tempLo) && i+1 < len(code) {
			next := code[i+1]
			sa, sb = next.a-in.a, next.b-in.b
			if in.op == opMov {
				sb = 0
			}
			if (sa == 0 || sa == 1) && (sb == 0 || sb == 1) {
				for j := i + 1; j < len(code); j++ {
					c, k := code[j], int32(j-i)
					if c.op != in.op || c.dst != in.dst+k || c.a != in.a+k*sa ||
						(in.op != opMov && c.b != in.b+k*sb) ||
						c.dst >= tempLo || c.a >= tempLo || (in.op != opMov && c.b >= tempLo) {
						break
					}
					// An element may not read what an earlier one of the run
					// wrote: the loop would see the same values, but keep it
					// simple and stop there.
					if (c.a >= in.dst && c.a < c.dst) || (in.op != opMov && c.b >= in.dst && c.b < c.dst) {
						break
					}
					n++
				}
			}
		}
		if n < minVector {
			out = append(out, in)
			i++
			continue
		}
		out = append(out, instr{op: vop, sa: int8(sa), sb: int8(sb), dst: in.dst, a: in.a, b: in.b, c: int32(n)})
		i += n
	}
	return out
}
