package vm

// Super is a superinstruction: a run of instructions, its Parts, that
// the interpreter dispatches once. Exec runs the parts one after another
// as written; each part stores its result in its slot, as it would
// alone, and the operands that Links names take that result from a
// register instead of loading it back. So a superinstruction computes
// exactly what its parts do, one by one.
//
// Superize writes them into code. In code, superinstruction OpSuper + k
// takes Supers[k].Words consecutive instructions (the first with Op
// OpSuper + k, the others OpExt): their fields Dst, A, B and C, word
// after word, hold the parts' fields in the order of Fields, every field
// of every part but the linked operands. PackSuper writes them and
// UnpackSuper reads them back.
type Super struct {
	Parts  []Opcode
	Links  []Link
	Fields [][2]int8 // per packed field: the part, and its field (0 dst, 1 a, 2 b, 3 c)
	Words  int8
}

// Link says that operand Field (1 for a, 2 for b, 3 for c) of part To of
// a superinstruction reads the result of part From.
type Link struct{ From, To, Field int8 }

// SuperOf reports whether op is a superinstruction, and which.
func SuperOf(op Opcode) (*Super, bool) {
	if op < OpSuper || op >= OpExt {
		return nil, false
	}
	return &Supers[op-OpSuper], true
}

// Linked reports whether the instructions parts, run one after another,
// can be superinstruction k: they are its parts, and each linked operand
// names the slot its part reads the result of, which no part in between
// writes.
func (s *Super) Linked(parts []Instr) bool {
	if len(parts) != len(s.Parts) {
		return false
	}
	for k, op := range s.Parts {
		if parts[k].Op != op {
			return false
		}
	}
	for _, l := range s.Links {
		dst := parts[l.From].Dst
		if Fields(&parts[l.To])[l.Field] != dst {
			return false
		}
		for q := l.From + 1; q < l.To; q++ {
			if parts[q].Dst == dst {
				return false
			}
		}
	}
	return true
}

// PackSuper writes the instructions parts, which Supers[k].Linked
// accepts, as superinstruction OpSuper + k, appending its words to code.
func PackSuper(code []Instr, k int, parts []Instr) []Instr {
	s := &Supers[k]
	lo := len(code)
	for w := range int(s.Words) {
		op := OpExt
		if w == 0 {
			op = OpSuper + Opcode(k)
		}
		code = append(code, Instr{Op: op})
	}
	for q, pf := range s.Fields {
		setField(&code[lo+q/4], int8(q%4), Fields(&parts[pf[0]])[pf[1]])
	}
	return code
}

// Superize rewrites code in place, runs of instructions that are a
// superinstruction's parts, with its links, written as that
// superinstruction, and returns the code, shortened. Of the ways to
// write it, it takes one with the fewest instructions to dispatch. Any
// code may be superized, since a superinstruction runs its parts exactly
// as written; the code must hold no superinstruction already.
func Superize(code []Instr) []Instr {
	n := len(code)
	// cost[i] is the fewest dispatches that run code[i:], taking
	// superinstruction pick[i] first, or code[i] alone when it is -1.
	cost := make([]int32, 2*(n+1))
	cost, pick := cost[:n+1], cost[n+1:]
	for i := n - 1; i >= 0; i-- {
		cost[i], pick[i] = 1+cost[i+1], -1
		for _, k := range superFirst[code[i].Op] {
			m := len(Supers[k].Parts)
			if i+m <= n && 1+cost[i+m] < cost[i] && Supers[k].Linked(code[i:i+m]) {
				cost[i], pick[i] = 1+cost[i+m], int32(k)
			}
		}
	}
	out := code[:0]
	for i := 0; i < n; {
		k := int(pick[i])
		if k < 0 {
			out = append(out, code[i])
			i++
			continue
		}
		// The parts first, since the superinstruction's words may
		// overwrite them.
		var parts [maxParts]Instr
		m := copy(parts[:], code[i:i+len(Supers[k].Parts)])
		out = PackSuper(out, k, parts[:m])
		i += m
	}
	return out
}

// UnpackSuper returns the parts of the superinstruction at the start of
// code, and the number of words it takes; of another instruction, the
// instruction, and 1.
func UnpackSuper(code []Instr) (parts []Instr, words int) {
	s, ok := SuperOf(code[0].Op)
	if !ok {
		return code[:1], 1
	}
	var p [maxParts]Instr
	n, words := unpackSuper(code, s, &p)
	return append([]Instr(nil), p[:n]...), words
}

// unpackSuper writes the parts of superinstruction s, at the start of
// code, into parts, and returns their number and the words s takes.
func unpackSuper(code []Instr, s *Super, parts *[maxParts]Instr) (n, words int) {
	for k, op := range s.Parts {
		parts[k] = Instr{Op: op}
	}
	for q, pf := range s.Fields {
		setField(&parts[pf[0]], pf[1], Fields(&code[q/4])[q%4])
	}
	for _, l := range s.Links {
		setField(&parts[l.To], l.Field, parts[l.From].Dst)
	}
	return len(s.Parts), int(s.Words)
}

// setField sets field f (0 dst, 1 a, 2 b, 3 c) of in to x.
func setField(in *Instr, f int8, x int32) {
	switch f {
	case 0:
		in.Dst = x
	case 1:
		in.A = x
	case 2:
		in.B = x
	case 3:
		in.C = x
	}
}
