package compile

import "github.com/stockflow/stockflow/model/internal/vm"

// Fusing: an equation compiles to a tree of three-address instructions in
// which each temporary is written once and read once, by the instruction
// that follows. Two such arithmetic instructions become one fused
// instruction, dst = (a op1 b) op2 c (or c op2 (a op1 b)), which saves a
// trip round the interpreter's loop and a store and load of the
// temporary. The inner result is rounded to float64 before op2 (an
// explicit conversion, which Go never fuses into a multiply-add), so a
// fused instruction computes exactly what the pair did.
//
// Numbering: opFused + (op1*6 + op2)*2 + side, with op1 the index of the
// inner operation in fuseInner (add, sub, mul, div), op2 the index of the
// outer one in fuseOuter (add, sub, mul, div, min, max), and side 1 when
// the pair's result is op2's right operand. Add and mul, exactly
// commutative in IEEE arithmetic, always use side 0. internal/opgen
// writes the fused instructions in this numbering.

// fusedOp returns the fused opcode for op1 then op2, or false.
func fusedOp(op1, op2 vm.Opcode, right bool) (vm.Opcode, bool) {
	i := indexOp(vm.FuseInner[:], op1)
	j := indexOp(vm.FuseOuter[:], op2)
	if i < 0 || j < 0 {
		return 0, false
	}
	if op2 == vm.OpAdd || op2 == vm.OpMul {
		right = false // exactly commutative; min and max are not, for ±0
	}
	side := 0
	if right {
		side = 1
	}
	return vm.OpFused + vm.Opcode((i*6+j)*2+side), true
}

func indexOp(ops []vm.Opcode, op vm.Opcode) int {
	for i, o := range ops {
		if o == op {
			return i
		}
	}
	return -1
}

// fuse rewrites code in place, fusing each arithmetic instruction that
// writes a temporary with the arithmetic instruction right after it that
// reads it, and returns the shortened code.
func fuse(code []vm.Instr) []vm.Instr {
	out := code[:0]
	for i := 0; i < len(code); i++ {
		in := code[i]
		if i+1 < len(code) && in.Dst >= tempMark {
			next := code[i+1]
			var right bool
			var other int32
			ok := true
			switch {
			case next.A == in.Dst && next.B != in.Dst:
				other = next.B
			case next.B == in.Dst && next.A != in.Dst:
				other, right = next.A, true
			default:
				ok = false
			}
			if ok {
				if op, fusable := fusedOp(in.Op, next.Op, right); fusable {
					out = append(out, vm.Instr{Op: op, Dst: next.Dst, A: in.A, B: in.B, C: other})
					i++
					continue
				}
			}
		}
		out = append(out, in)
	}
	return out
}
