package model

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// slotNames returns a function naming slot s of the program for a
// reader: the variable that lives there, a fixed slot, a constant's
// value, a temporary or a stock's rate.
func (p *program) slotNames() func(s int32) string {
	byslot := map[int32]string{vm.SlotTime: "time", vm.SlotTStep: "tstep", vm.SlotDT: "dt", vm.SlotStart: "starttime", vm.SlotStop: "stoptime"}
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
func (p *program) disasm(code []vm.Instr) string {
	name := p.slotNames()
	var b strings.Builder
	for i, in := range code {
		fmt.Fprintf(&b, "%4d  %s\n", i, in.Format(name))
		if in.Op == vm.OpVec && int(in.A) < len(p.vecs) {
			x := &p.vecs[in.A]
			one := vm.Instr{Op: x.Op, Dst: x.Base[0], A: x.Base[1], B: x.Base[2], C: x.Base[3]}
			fmt.Fprintf(&b, "        %s  (×%d×%d)\n", one.Format(name), x.N1, x.N2)
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
		code []vm.Instr
	}{{"init", p.initCode}, {"flow", p.fastCode}, {"flow, scalar", p.flowCode}, {"rates", p.fastRates}} {
		if _, err := fmt.Fprintf(w, "%s:\n%s", part.name, p.disasm(part.code)); err != nil {
			return err
		}
	}
	return nil
}
