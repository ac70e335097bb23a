package model

import (
	"fmt"
	"io"

	"github.com/stockflow/stockflow/model/internal/vm"
)

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
	}{{"init", p.InitCode}, {"flow", p.FastCode}, {"flow, scalar", p.FlowCode}, {"rates", p.FastRates}} {
		if _, err := fmt.Fprintf(w, "%s:\n%s", part.name, p.Disasm(part.code)); err != nil {
			return err
		}
	}
	return nil
}
