// Package vm is stockflow's interpreter and what it runs: a compiled
// model's Program (its variables, their slots and its code, which package
// compile makes), the instructions the equations compile to, their Table
// (written by internal/opgen into ops_gen.go), the loop that executes
// them (Exec) and its vector instructions (ExecVec), lookup tables, and
// the operations' helpers that both the interpreter and generated Go
// (through package model) call.
//
// Instructions are three-address code over a []float64 of slots: Instr
// is dst = op(a, b, c), VInstr repeats one operation over the elements of
// an array. The first slots are fixed (SlotTime, SlotTStep, SlotDT,
// SlotStart, SlotStop); package compile lays out the rest. An opcode's
// properties (OpTable) tell the compiler which fields are slots, whether
// it may fold an instruction, and what Go stockflow gen writes for it.
package vm
