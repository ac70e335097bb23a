package model

import (
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// TestDisasm checks the disassembly of a small model's code: slots by
// the names of their variables, constants by value, fused instructions
// by both operations, and the stocks' rates as d/dt.
func TestDisasm(t *testing.T) {
	m, err := Parse("t.toml", []byte(`
[sim]
stop = 1
[params]
rate = 0.1
[stocks.pop]
initial = "100"
inflows = ["births"]
outflows = ["deaths"]
[flows.births]
eq = "pop * rate * 2"
[flows.deaths]
eq = "(pop - 10) / 50"
`))
	if err != nil {
		t.Fatal(err)
	}
	p := m.prog
	got := p.Disasm(p.FlowCode) + "--\n" + p.Disasm(p.RateCode)
	want := `   0  mulmul pop rate 2 → births
   1  subdiv pop 10 50 → deaths
--
   0  sub births deaths → d/dt pop
`
	if got != want {
		t.Errorf("disassembly:\n%s\nwant:\n%s", got, want)
	}
	if s := (vm.Instr{Op: vm.OpLookup, Dst: 9, A: 7, B: 2}).String(); s != "lookup s7 #2 → s9" {
		t.Errorf("lookup disassembles as %q", s)
	}
	for op := range vm.NumOps {
		if name := op.String(); name == "" || strings.HasPrefix(name, "op") && vm.VectorOp(op) {
			t.Errorf("opcode %d has no name", op)
		}
	}
}
