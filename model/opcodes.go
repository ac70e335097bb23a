package model

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// opcode is an instruction of the interpreter. The opcodes, and what each
// does, are one table in internal/opgen, which writes ops_gen.go: the
// constants, opTable, exec, eval1 and execVec. Everything else that needs
// to know about an instruction asks opTable.
type opcode uint8

// opInfo is one row of opTable.
type opInfo struct {
	name string // the mnemonic, for disassembly
	args int8   // operands read from slots: a, then b, then c
	lit  int8   // 0, or the field (1 for a, 2 for b) that holds a literal rather than a slot
	pure bool   // the result depends only on the operands: constant operands fold
	grid bool   // reads the time of the step: rk45 must land on the dt grid
	vec  bool   // execVec runs it
	// gen is the Go that stockflow gen writes for the instruction, over
	// $D (the destination), $A, $B and $C; "" when the generated code
	// hands it back to the interpreter.
	gen string
}

// String returns the opcode's mnemonic.
func (op opcode) String() string {
	if op < numOps && opTable[op].name != "" {
		return opTable[op].name
	}
	return "op" + strconv.Itoa(int(op))
}

// pure reports whether the op depends only on its operands, so that it
// can be folded when they are constant.
func (op opcode) pure() bool { return opTable[op].pure }

// vectorOp reports whether execVec runs op.
func vectorOp(op opcode) bool { return op < numOps && opTable[op].vec }

// slotFields reports which of an instruction's fields are slots it reads
// or writes (dst is always written) and which are literals (the table of
// a lookup).
func slotFields(op opcode) (slot, lit [4]bool) {
	info := &opTable[op]
	slot[0] = true
	for f := 1; f <= int(info.args); f++ {
		slot[f] = true
	}
	if info.lit > 0 {
		lit[info.lit] = true
	}
	return
}

// fieldsOf returns an instruction's dst, a, b and c.
func fieldsOf(in *instr) [4]int32 { return [4]int32{in.dst, in.a, in.b, in.c} }

// String disassembles the instruction with its slots as numbers:
// "mul s12 s13 → s14".
func (in instr) String() string {
	return in.format(func(s int32) string { return "s" + strconv.Itoa(int(s)) })
}

// format writes the instruction as "op a b c → dst", naming each slot
// with name.
func (in instr) format(name func(int32) string) string {
	slot, lit := slotFields(in.op)
	f := fieldsOf(&in)
	var b strings.Builder
	b.WriteString(in.op.String())
	for q := 1; q < 4; q++ {
		switch {
		case lit[q]:
			fmt.Fprintf(&b, " #%d", f[q])
		case slot[q]:
			b.WriteString(" " + name(f[q]))
		}
	}
	if in.op != opVec {
		b.WriteString(" → " + name(in.dst))
	}
	return b.String()
}

// slotNames returns a function naming slot s of the program for a
// reader: the variable that lives there, a fixed slot, a constant's
// value, a temporary or a stock's rate.
func (p *program) slotNames() func(s int32) string {
	byslot := map[int32]string{slotTime: "time", slotTStep: "tstep", slotDT: "dt", slotStart: "starttime", slotStop: "stoptime"}
	for _, v := range p.vars {
		if v.role != rLookup && v.aliasOf == nil {
			byslot[v.slot] = v.name
		}
	}
	return func(s int32) string {
		if n, ok := byslot[s]; ok {
			return n
		}
		switch {
		case s >= p.dyLo && int(s) < int(p.dyLo)+len(p.stocks):
			return "d/dt " + p.vars[p.stocks[s-p.dyLo]].name
		case s >= p.tempLo && s < p.dyLo:
			return "t" + strconv.Itoa(int(s-p.tempLo))
		case p.lits[s]:
			return strconv.FormatFloat(p.consts[s], 'g', -1, 64)
		}
		return "s" + strconv.Itoa(int(s))
	}
}

// disasm writes code one instruction a line, slots by name, each vector
// instruction followed by its operation on the first element and its
// counts.
func (p *program) disasm(code []instr) string {
	name := p.slotNames()
	var b strings.Builder
	for i, in := range code {
		fmt.Fprintf(&b, "%4d  %s\n", i, in.format(name))
		if in.op == opVec && int(in.a) < len(p.vecs) {
			x := &p.vecs[in.a]
			one := instr{op: x.op, dst: x.base[0], a: x.base[1], b: x.base[2], c: x.base[3]}
			fmt.Fprintf(&b, "        %s  (×%d×%d)\n", one.format(name), x.n1, x.n2)
		}
	}
	return b.String()
}

// Disassemble writes the model's compiled code, one instruction a line
// ("mul population birth_rate → births"), in four parts: the code that
// computes every value at the start time, the aux and flows as the
// interpreter runs them (runs of array elements as vector instructions,
// each followed by its operation on the first element and its counts),
// the same without vector instructions, and the stocks' rates. It is for
// reading what the compiler made of the equations; the format may change.
func (m *Model) Disassemble(w io.Writer) error {
	p := m.prog
	for _, part := range []struct {
		name string
		code []instr
	}{{"init", p.initCode}, {"flow", p.fastCode}, {"flow, scalar", p.flowCode}, {"rates", p.fastRates}} {
		if _, err := fmt.Fprintf(w, "%s:\n%s", part.name, p.disasm(part.code)); err != nil {
			return err
		}
	}
	return nil
}
