package compile

import "github.com/stockflow/stockflow/model/internal/vm"

// Superinstructions: the interpreter's code has runs of instructions
// that it runs most (a flow's mul, lookup and mulmul; a weighted sum's
// mul and muladd; a comparison and the if that reads it) as one
// superinstruction each (vm.Super), dispatched once. A superinstruction
// runs its parts exactly as written, storing each part's result, so any
// run of instructions that are its parts, with its links, may become one.

// superize returns code with each run of instructions that is a
// superinstruction's parts written as that superinstruction, taking the
// longest first from the start of the code.
func superize(code []vm.Instr) []vm.Instr {
	out := make([]vm.Instr, 0, len(code))
	for i := 0; i < len(code); {
		best := -1
		for k := range vm.Supers {
			s := &vm.Supers[k]
			n := len(s.Parts)
			if i+n <= len(code) && (best < 0 || n > len(vm.Supers[best].Parts)) && s.Linked(code[i:i+n]) {
				best = k
			}
		}
		if best < 0 {
			out = append(out, code[i])
			i++
			continue
		}
		out = vm.PackSuper(out, best, code[i:i+len(vm.Supers[best].Parts)])
		i += len(vm.Supers[best].Parts)
	}
	return out
}

// superizeFlow writes the flow code's blocks with superinstructions
// into SuperCode, block by block.
func superizeFlow(p *vm.Program) {
	p.SuperCode = nil
	p.SuperAt = make([]int32, 0, len(p.FlowVars)+1)
	for _, i := range p.FlowVars {
		v := p.Vars[i]
		p.SuperAt = append(p.SuperAt, int32(len(p.SuperCode)))
		p.SuperCode = append(p.SuperCode, superize(p.FlowCode[v.CodeLo:v.CodeHi])...)
	}
	p.SuperAt = append(p.SuperAt, int32(len(p.SuperCode)))
}
