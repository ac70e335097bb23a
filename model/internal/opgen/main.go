// Command opgen writes model/internal/vm/ops_gen.go from the table of the
// interpreter's instructions below: the opcodes, their properties (which
// fields are slots, whether folding may evaluate them, the Go that
// stockflow gen writes for them), the interpreter's loop (exec and
// eval1) and its vector instructions (execVec).
//
// An instruction's meaning is written once, as a row of ops; everything
// that runs or writes an instruction reads that row. Each vector
// operation gets a loop of its own, with the operation written out
// inside it, because a loop that switched on the operation per element
// would pay most of what vectorising saves; Go's generics cannot produce
// these loops (a type parameter's methods are not inlined), hence a
// generator. Run it with
//
//	go generate ./model/internal/vm
//
// and commit the result; a test in package model checks it is current.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"sort"
	"strings"
)

// An op is one instruction, dst = op(a, b, c).
//
// Its Go is written over the operands $A, $B and $C (slot values, or the
// literal of a literal field), the destination $D, and the fixed slots
// $TIME, $TSTEP and $DT. The helpers generated code calls carry the
// prefix "model." (package model forwards them to package vm), which the
// interpreter's own code, in package vm, drops.
type op struct {
	name string // the Go constant is "Op" + name
	asm  string // the disassembler's mnemonic
	args int    // operands read from slots: a, then b, then c
	lit  int    // 0, or the field (2 for b) that holds a literal rather than a slot
	// pure reports whether the result depends only on the operands, so
	// that the compiler may fold it when they are constant.
	pure bool
	// grid reports whether the instruction reads the time of the step
	// (pulse, step): rk45 must then land on the dt grid.
	grid bool
	// hot puts the instruction in exec's own switch; the rest go to
	// eval1, which keeps the hot loop small.
	hot bool
	// expr is the value as a Go expression, for the interpreter and its
	// vector loops.
	expr string
	// stmt, when set, is the instruction as a Go statement, used instead
	// of "$D = expr" by exec and stockflow gen.
	stmt string
	// gen is the Go that stockflow gen writes when it differs from stmt
	// or "$D = expr"; "-" means none, and the generated code hands the
	// instruction back to the interpreter.
	gen string
	// novec leaves the instruction out of execVec: a run of it executes
	// one scalar instruction per element.
	novec bool
	// late numbers the instruction after OpVec, so that adding it leaves
	// the numbers of the others, and so the layout of every compiled
	// model (vm.Program.Layout), as they were.
	late bool
}

var ops = []op{
	{name: "Mov", asm: "mov", args: 1, pure: true, hot: true, expr: "$A"},
	{name: "Add", asm: "add", args: 2, pure: true, hot: true, expr: "$A + $B"},
	{name: "Sub", asm: "sub", args: 2, pure: true, hot: true, expr: "$A - $B"},
	{name: "Mul", asm: "mul", args: 2, pure: true, hot: true, expr: "$A * $B"},
	{name: "Div", asm: "div", args: 2, pure: true, hot: true, expr: "$A / $B"},
	{name: "Pow", asm: "pow", args: 2, pure: true, expr: "math.Pow($A, $B)"},
	{name: "Mod", asm: "mod", args: 2, pure: true, expr: "model.Mod($A, $B)"},
	{name: "Neg", asm: "neg", args: 1, pure: true, hot: true, expr: "-$A"},
	{name: "Not", asm: "not", args: 1, pure: true, expr: "model.Bool($A == 0)"},
	{name: "Eq", asm: "eq", args: 2, pure: true, expr: "model.Bool($A == $B)"},
	{name: "Ne", asm: "ne", args: 2, pure: true, expr: "model.Bool($A != $B)"},
	{name: "Lt", asm: "lt", args: 2, pure: true, hot: true, expr: "model.Bool($A < $B)"},
	{name: "Le", asm: "le", args: 2, pure: true, expr: "model.Bool($A <= $B)"},
	{name: "Gt", asm: "gt", args: 2, pure: true, hot: true, expr: "model.Bool($A > $B)"},
	{name: "Ge", asm: "ge", args: 2, pure: true, expr: "model.Bool($A >= $B)"},
	{name: "And", asm: "and", args: 2, pure: true, expr: "model.Bool($A != 0 && $B != 0)"},
	{name: "Or", asm: "or", args: 2, pure: true, expr: "model.Bool($A != 0 || $B != 0)"},
	{name: "If", asm: "if", args: 3, pure: true, hot: true, expr: "pick($A, $B, $C)",
		stmt: "if $A != 0 {\n\t$D = $B\n} else {\n\t$D = $C\n}"},
	{name: "Abs", asm: "abs", args: 1, pure: true, expr: "math.Abs($A)"},
	{name: "Exp", asm: "exp", args: 1, pure: true, expr: "math.Exp($A)"},
	{name: "Ln", asm: "ln", args: 1, pure: true, expr: "math.Log($A)"},
	{name: "Log10", asm: "log10", args: 1, pure: true, expr: "math.Log10($A)"},
	{name: "Sqrt", asm: "sqrt", args: 1, pure: true, expr: "math.Sqrt($A)"},
	{name: "Sin", asm: "sin", args: 1, pure: true, expr: "math.Sin($A)"},
	{name: "Cos", asm: "cos", args: 1, pure: true, expr: "math.Cos($A)"},
	{name: "Tan", asm: "tan", args: 1, pure: true, expr: "math.Tan($A)"},
	{name: "Asin", asm: "asin", args: 1, pure: true, expr: "math.Asin($A)"},
	{name: "Acos", asm: "acos", args: 1, pure: true, expr: "math.Acos($A)"},
	{name: "Atan", asm: "atan", args: 1, pure: true, expr: "math.Atan($A)"},
	{name: "Floor", asm: "floor", args: 1, pure: true, expr: "math.Floor($A)"},
	{name: "Min", asm: "min", args: 2, pure: true, hot: true, expr: "model.Min($A, $B)"},
	{name: "Max", asm: "max", args: 2, pure: true, hot: true, expr: "model.Max($A, $B)"},
	{name: "SafeDiv", asm: "safediv", args: 3, pure: true, hot: true, expr: "model.SafeDiv($A, $B, $C)"},
	// b is the table's index; lookups are not folded, since folding
	// runs without the tables.
	// The interpreter tries the table's last segment itself (Table.At
	// would too, but it is too large to inline).
	{name: "Lookup", asm: "lookup", args: 1, lit: 2, hot: true, expr: "tables[$B].At($A)", gen: "$D = k.Lookup($B, $A)",
		stmt: "if s, x := tables[$B].Last, $A; s != nil && s.X0 < x && x < s.X1 {\n\t$D = s.Y0 + (x-s.X0)*s.DY/s.DX\n} else {\n\t$D = tables[$B].at(x)\n}"},
	{name: "Pulse", asm: "pulse", args: 3, grid: true, expr: "model.Pulse($A, $B, $C, $TSTEP, $DT)"},
	{name: "Step", asm: "step", args: 2, grid: true, expr: "model.Step($A, $B, $TSTEP, $DT)"},
	{name: "Ramp", asm: "ramp", args: 3, expr: "model.Ramp($A, $B, $C, $TIME)"},
	{name: "Poisson", asm: "poisson", args: 2, expr: "poissonInv($A, $B)", gen: "-"},
	{name: "Trunc", asm: "trunc", args: 1, pure: true, expr: "math.Trunc($A)"},
	{name: "Fmod", asm: "fmod", args: 2, pure: true, expr: "math.Mod($A, $B)"},
	// A vector function (vecfuncs.go): b is the first slot of the call's
	// record, a the position of the result wanted. It reads the slots
	// its record names and writes its cache, so it is neither folded nor
	// vectorised.
	{name: "Func", asm: "func", args: 1, lit: 2, expr: "model.CallFunc(v, $B, $A)", novec: true, late: true},
	// ln |Γ(x)| (Vensim's GAMMA LN), numbered late like Func.
	{name: "Lgamma", asm: "lgamma", args: 1, pure: true, expr: "model.Lgamma($A)", late: true},
}

// The fused instructions, dst = (a op1 b) op2 c or c op2 (a op1 b),
// numbered OpFused + (op1*6 + op2)*2 + side (model/fuse.go), the inner
// result rounded to float64 before op2 so that a fused instruction
// computes exactly what the pair did.
var (
	fuseInner = []struct{ asm, sym string }{{"add", "+"}, {"sub", "-"}, {"mul", "*"}, {"div", "/"}}
	fuseOuter = []struct{ asm, sym string }{{"add", "+"}, {"sub", "-"}, {"mul", "*"}, {"div", "/"}, {"min", "model.Min"}, {"max", "model.Max"}}
)

// A fusedOp is a fused instruction: its number after opFused and its row.
type fusedOp struct {
	k int
	op
}

// fused lists the fused instructions the compiler makes. Add and mul,
// exactly commutative, never take the right side.
//
// Their vector loops are most of ops_gen.go (about 3,800 of its lines)
// and were measured against two smaller forms (docs/performance.md):
// each fused vector instruction split into its two operations made the
// ring model's evaluation 1.7 times as long, and fused vector
// instructions with the general loop only (no loops specialised by
// layout) made the large model's 1.2 to 1.4 times as long. Both pay;
// all stay.
func fused() []fusedOp {
	var out []fusedOp
	for i, o1 := range fuseInner {
		for j, o2 := range fuseOuter {
			for side := 0; side < 2; side++ {
				if side == 1 && (o2.sym == "+" || o2.sym == "*") {
					continue
				}
				in := "float64($A " + o1.sym + " $B)"
				var e string
				switch {
				case len(o2.sym) > 1 && side == 1:
					e = o2.sym + "($C, " + in + ")"
				case len(o2.sym) > 1:
					e = o2.sym + "(" + in + ", $C)"
				case side == 1:
					e = "$C " + o2.sym + " " + in
				default:
					e = in + " " + o2.sym + " $C"
				}
				asm := o1.asm + o2.asm
				if side == 1 {
					asm += "r"
				}
				out = append(out, fusedOp{(i*6+j)*2 + side, op{asm: asm, args: 3, pure: true, hot: true, expr: e}})
			}
		}
	}
	return out
}

const numFused = 48 // 4 inner × 6 outer × 2 sides

// supers lists the superinstructions: runs of instructions that the
// interpreter dispatches once, the parts one after another as written,
// each part's result stored in its slot as the part alone would store it
// and also handed in a register to the operands of later parts that read
// it (the links). A superinstruction computes exactly what its parts do,
// one by one; it saves the trips round the interpreter's loop and the
// loads of what the previous part just stored. vm.Superize writes them
// into the interpreter's code (Program.LowerFlow, FastCode, FastRates);
// the code that stockflow gen writes, and every other reader of a
// program's code, sees only the parts.
//
// Each entry is the parts' mnemonics, then after a colon the links:
// "0>2a" is part 2's operand a reading part 0's result. The list is
// what the World3-class and business models of the benchmark suite
// (bench/synth) run most, counted over their compiled code, instruction
// pairs and triples, and kept where it cut the runs' time
// (docs/performance.md).
var supers = []string{
	// Within an equation. A flow such as births = population *
	// fertility * effect(ratio) * food is mul, lookup, mulmul; a
	// weighted sum a*0.3 + b*0.7 is mul, muladd; if time >= 2030 then
	// a else b is ge, if.
	"mul lookup mulmul: 0>2a 1>2b",
	"div lookup mulmul: 0>2a 1>2b",
	"mul muladd: 0>1c",
	"ge if: 0>1a",
	"gt if: 0>1a",
	"le if: 0>1a",
	"lt if: 0>1a",
	"lookup mul muladd: 1>2c",
	// Equations that follow one another: a stock's inflow and outflow,
	// lookups read one after another, a smooth's or a delay's stages,
	// the stocks' rates.
	"mul lookup mulmul div lookup mulmul: 0>2a 1>2b 3>5a 4>5b",
	"div lookup mulmul mul lookup mulmul: 0>2a 1>2b 3>5a 4>5b",
	"mul lookup mulmul mul lookup mulmul: 0>2a 1>2b 3>5a 4>5b",
	"mul muladd mul muladd: 0>1c 2>3c",
	"lookup lookup",
	"lookup mul",
	"lookup div",
	"lookup addmul",
	"mul lookup",
	"div lookup",
	"addmul lookup",
	"mul mul",
	"div div",
	"div addmul",
	"addmul addmul",
	"subdiv subdiv",
	"min min",
	"sub sub",
	// A smooth's or a delay's stages side by side, runs too short for
	// vector instructions (vm.MinVec): the outputs of a delay3's stages
	// (div), the rates of a smooth3's (subdiv) and of a delay3's (sub),
	// and the rate of a stock with a single inflow, a smooth's stage,
	// moved to its derivative (mov).
	"mov mov mov mov",
	"mov mov",
	"div div div div",
	"subdiv subdiv subdiv subdiv",
	"sub sub sub sub",
}

// A link says that operand field (1 for a, 2 for b, 3 for c) of part to
// reads the result of part from.
type link struct{ from, to, field int }

// parseSuper reads an entry of supers.
func parseSuper(s string) (parts []string, links []link) {
	names, ls, _ := strings.Cut(s, ":")
	parts = strings.Fields(names)
	for _, l := range strings.Fields(ls) {
		var from, to int
		var f byte
		if _, err := fmt.Sscanf(l, "%d>%d%c", &from, &to, &f); err != nil || from >= to || to >= len(parts) || f < 'a' || f > 'c' {
			log.Fatalf("opgen: bad link %q in %q", l, s)
		}
		links = append(links, link{from, to, int(f-'a') + 1})
	}
	return parts, links
}

// local returns Go written for package model: without the "model."
// prefix, and with the fixed slots by name.
func local(s string) string {
	return strings.NewReplacer("model.", "", "$TIME", "v[SlotTime]", "$TSTEP", "v[SlotTStep]", "$DT", "v[SlotDT]").Replace(s)
}

// constName returns the Go constant of row k of all: "opAdd", "opFused + 3".
func constName(o op, fk int) string {
	if fk >= 0 {
		return fmt.Sprintf("OpFused + %d", fk)
	}
	return "Op" + o.name
}

func main() {
	out := flag.String("o", "ops_gen.go", "the file to write")
	flag.Parse()
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ../opgen; DO NOT EDIT.\n\npackage vm\n\nimport \"math\"\n\n")

	// The opcodes.
	b.WriteString("// The opcodes; internal/opgen's table says what each does.\nconst (\n")
	for k, o := range ops {
		if o.late {
			continue
		}
		if k == 0 {
			fmt.Fprintf(&b, "\tOp%s Opcode = iota\n", o.name)
		} else {
			fmt.Fprintf(&b, "\tOp%s\n", o.name)
		}
	}
	b.WriteString(`
	// OpFused is the first of the fused arithmetic instructions: two
	// operations in one, dst = (a op1 b) op2 c or c op2 (a op1 b),
	// numbered OpFused + (op1*6 + op2)*2 + side with op1 and op2 indices
	// into FuseInner and FuseOuter, side 1 for c op2 (a op1 b).
	OpFused
	OpFusedEnd = OpFused + ` + fmt.Sprint(numFused) + `

	// OpVec runs vecs[a], a vector instruction (VInstr).
	OpVec = OpFusedEnd
`)
	last := "OpVec"
	for _, o := range ops {
		if o.late {
			fmt.Fprintf(&b, "\tOp%s = %s + 1\n", o.name, last)
			last = "Op" + o.name
		}
	}
	fmt.Fprintf(&b, `
	// OpSuper is the first of the superinstructions, OpSuper + k running
	// the parts of Supers[k]; OpExt fills the further words of one.
	OpSuper = %s + 1
	OpExt   = OpSuper + %d
	NumOps  = OpExt + 1
)

`, last, len(supers))
	var inner, outer []string
	for _, o := range fuseInner {
		inner = append(inner, "Op"+strings.ToUpper(o.asm[:1])+o.asm[1:])
	}
	for _, o := range fuseOuter {
		outer = append(outer, "Op"+strings.ToUpper(o.asm[:1])+o.asm[1:])
	}
	fmt.Fprintf(&b, "// FuseInner and FuseOuter are the operations fused instructions combine,\n// in their numbering (OpFused).\nvar (\n\tFuseInner = [...]Opcode{%s}\n\tFuseOuter = [...]Opcode{%s}\n)\n\n",
		strings.Join(inner, ", "), strings.Join(outer, ", "))
	type row struct {
		op
		name string // constant
		fk   int    // fused number, or -1
	}
	var all []row
	for _, o := range ops {
		all = append(all, row{o, constName(o, -1), -1})
	}
	for _, f := range fused() {
		all = append(all, row{f.op, constName(f.op, f.k), f.k})
	}

	byAsm := map[string]row{}
	for _, r := range all {
		byAsm[r.asm] = r
	}
	type superRow struct {
		parts  []row
		links  []link
		fields [][2]int // the packed operands: part, field (0 dst, 1 a, 2 b, 3 c)
		words  int
	}
	var sups []superRow
	for _, e := range supers {
		names, links := parseSuper(e)
		var sr superRow
		for _, n := range names {
			r, ok := byAsm[n]
			if !ok || r.novec || r.grid {
				log.Fatalf("opgen: %q cannot be part of a superinstruction", n)
			}
			sr.parts = append(sr.parts, r)
		}
		sr.links = links
		for k, r := range sr.parts {
			for f := 0; f <= max(r.args, r.lit); f++ {
				linked := false
				for _, l := range links {
					linked = linked || l.to == k && l.field == f
				}
				if !linked {
					sr.fields = append(sr.fields, [2]int{k, f})
				}
			}
		}
		sr.words = (len(sr.fields) + 3) / 4
		sups = append(sups, sr)
	}
	superName := func(sr superRow) string {
		var n []string
		for _, r := range sr.parts {
			n = append(n, r.asm)
		}
		return strings.Join(n, "+")
	}

	// The properties.
	b.WriteString("// OpTable holds each opcode's properties.\nvar OpTable = [NumOps]OpInfo{\n")
	for _, r := range all {
		gen := r.gen
		switch {
		case gen == "-":
			gen = ""
		case gen != "":
		case r.stmt != "":
			gen = r.stmt
		default:
			gen = "$D = " + r.expr
		}
		gen = strings.NewReplacer("$TIME", "v[0]", "$TSTEP", "v[1]", "$DT", "v[2]").Replace(gen)
		fmt.Fprintf(&b, "\t%s: {Name: %q, Args: %d, Lit: %d, Pure: %t, Grid: %t, Vec: %t, Gen: %q},\n",
			r.name, r.asm, r.args, r.lit, r.pure, r.grid, !r.novec, gen)
	}
	b.WriteString("\tOpVec: {Name: \"vec\", Lit: 1},\n")
	for k, sr := range sups {
		fmt.Fprintf(&b, "\tOpSuper + %d: {Name: %q},\n", k, superName(sr))
	}
	b.WriteString("\tOpExt: {Name: \"ext\"},\n}\n\n")

	// The superinstructions' parts.
	b.WriteString("// Supers holds the parts of each superinstruction (OpSuper).\nvar Supers = [...]Super{\n")
	for k, sr := range sups {
		var parts, links, fields []string
		for _, r := range sr.parts {
			parts = append(parts, r.name)
		}
		for _, l := range sr.links {
			links = append(links, fmt.Sprintf("{%d, %d, %d}", l.from, l.to, l.field))
		}
		for _, f := range sr.fields {
			fields = append(fields, fmt.Sprintf("{%d, %d}", f[0], f[1]))
		}
		fmt.Fprintf(&b, "\t%d: {Parts: []Opcode{%s}, Links: []Link{%s}, Fields: [][2]int8{%s}, Words: %d},\n",
			k, strings.Join(parts, ", "), strings.Join(links, ", "), strings.Join(fields, ", "), sr.words)
	}
	b.WriteString("}\n\n")

	// The superinstructions by their first part, longest first, for
	// Superize.
	b.WriteString("// superFirst lists, by opcode, the superinstructions whose first part it\n// is, the longest first.\nvar superFirst = [NumOps][]uint8{\n")
	var firsts []string
	byFirst := map[string][]int{}
	for k, sr := range sups {
		f := sr.parts[0].name
		if byFirst[f] == nil {
			firsts = append(firsts, f)
		}
		byFirst[f] = append(byFirst[f], k)
	}
	for _, f := range firsts {
		ks := byFirst[f]
		sort.SliceStable(ks, func(i, j int) bool { return len(sups[ks[i]].parts) > len(sups[ks[j]].parts) })
		var l []string
		for _, k := range ks {
			l = append(l, fmt.Sprint(k))
		}
		fmt.Fprintf(&b, "\t%s: {%s},\n", f, strings.Join(l, ", "))
	}
	b.WriteString("}\n\n")

	// exec and eval1.
	// Slots are read as uint32(in.A) rather than in.A: the same slot
	// (a negative int32 becomes an index far beyond any slot array, so
	// the bounds check still catches it), but the compiler then loads
	// the field straight into the index register, where the
	// sign-extending load it needs for an int32 takes an address
	// computed by separate instructions.
	field := strings.NewReplacer("$D", "v[uint32(in.Dst)]", "$A", "v[uint32(in.A)]", "$B", "v[uint32(in.B)]", "$C", "v[uint32(in.C)]")
	litField := strings.NewReplacer("$B", "uint32(in.B)")
	// eval1, out of the hot loop, and its literals that are not indices
	// (OpFunc's record), keep the fields as they are.
	coldField := strings.NewReplacer("$D", "v[in.Dst]", "$A", "v[in.A]", "$B", "v[in.B]", "$C", "v[in.C]")
	coldLit := strings.NewReplacer("$B", "in.B")
	b.WriteString(`// Exec runs code over the slots v; vecs holds the vector instructions
// the code's OpVec instructions run. It allocates nothing.
func Exec(code []Instr, v []float64, tables []Table, vecs []VInstr) {
	for i := 0; i < len(code); i++ {
		in := &code[i]
		switch in.Op {
		case OpVec:
			ExecVec(&vecs[in.A], v, tables)
`)
	for _, r := range all {
		if !r.hot {
			continue
		}
		fmt.Fprintf(&b, "\t\tcase %s:", r.name)
		if r.fk >= 0 {
			fmt.Fprintf(&b, " // %s", r.asm)
		}
		b.WriteString("\n")
		st := r.stmt
		if st == "" {
			st = "$D = " + r.expr
		}
		if r.lit == 2 {
			st = litField.Replace(st)
		}
		fmt.Fprintf(&b, "\t\t\t%s\n", strings.ReplaceAll(field.Replace(local(st)), "\n", "\n\t\t\t"))
	}
	for k, sr := range sups {
		fmt.Fprintf(&b, "\t\tcase OpSuper + %d: // %s\n", k, superName(sr))
		for w := 1; w < sr.words; w++ {
			fmt.Fprintf(&b, "\t\t\tw%d := &code[i+%d]\n", w, w)
		}
		// where returns the Go naming part k's field f.
		where := func(k, f int) string {
			for q, pf := range sr.fields {
				if pf == [2]int{k, f} {
					w := "in"
					if q >= 4 {
						w = fmt.Sprintf("w%d", q/4)
					}
					return "uint32(" + w + "." + []string{"Dst", "A", "B", "C"}[q%4] + ")"
				}
			}
			return ""
		}
		for k, r := range sr.parts {
			reg := fmt.Sprintf("r%d", k)
			var repl []string
			for f, ph := range []string{"$D", "$A", "$B", "$C"} {
				switch {
				case f == 0:
					repl = append(repl, ph, reg)
				case f == r.lit:
					repl = append(repl, ph, where(k, f))
				default:
					src := "v[" + where(k, f) + "]"
					for _, l := range sr.links {
						if l.to == k && l.field == f {
							src = fmt.Sprintf("r%d", l.from)
						}
					}
					repl = append(repl, ph, src)
				}
			}
			rp := strings.NewReplacer(repl...)
			if st := r.stmt; st != "" {
				// Inside the statement, x and s are its own.
				fmt.Fprintf(&b, "\t\t\tvar %s float64\n\t\t\t%s\n", reg, strings.ReplaceAll(rp.Replace(local(st)), "\n", "\n\t\t\t"))
			} else {
				// The explicit conversion rounds, so that no later part
				// fuses with this one (a multiply-add).
				fmt.Fprintf(&b, "\t\t\t%s := float64(%s)\n", reg, rp.Replace(local(r.expr)))
			}
			fmt.Fprintf(&b, "\t\t\tv[%s] = %s\n", where(k, 0), reg)
		}
		if sr.words > 1 {
			fmt.Fprintf(&b, "\t\t\ti += %d\n", sr.words-1)
		}
	}
	b.WriteString(`		default:
			v[in.Dst] = eval1(in, v, tables)
		}
	}
}

`)
	most := 0
	for _, sr := range sups {
		most = max(most, len(sr.parts))
	}
	fmt.Fprintf(&b, "// maxParts is the most parts a superinstruction has.\nconst maxParts = %d\n\n", most)
	b.WriteString(`// eval1 evaluates the less common instructions; keeping them out of exec's
// switch keeps the hot loop small.
func eval1(in *Instr, v []float64, tables []Table) float64 {
	switch in.Op {
`)
	for _, r := range all {
		if r.hot {
			continue
		}
		e := r.expr
		if r.lit == 2 {
			e = coldLit.Replace(e)
		}
		fmt.Fprintf(&b, "\tcase %s:\n\t\treturn %s\n", r.name, coldField.Replace(local(e)))
	}
	b.WriteString("\t}\n\treturn math.NaN()\n}\n\n")

	// execVec: a switch calling, row by row, a function of each
	// operation's own. Each is small, so that the compiler keeps its
	// indices and strides in registers (in one function holding every
	// operation's loops it kept them on the stack, and a strided loop
	// paid a store and a load per index per element).
	b.WriteString(`// ExecVec runs the vector instruction x: for i < N1 and j < N2, the
// operation over the slots Base + i*S1 + j*S2 of each operand.
func ExecVec(x *VInstr, v []float64, tables []Table) {
	for i := int32(0); i < x.N1; i++ {
		switch x.Op {
`)
	fields := []string{"d", "a", "b", "c"}
	vecName := func(r row) string {
		if r.fk >= 0 {
			return fmt.Sprintf("vecFused%d", r.fk)
		}
		return "vec" + r.op.name
	}
	for _, r := range all {
		if r.novec {
			continue
		}
		tab := ""
		if r.lit == 2 {
			tab = ", tables"
		}
		fmt.Fprintf(&b, "\t\tcase %s:\n\t\t\t%s(x, v%s, i)\n", r.name, vecName(r), tab)
	}
	b.WriteString("\t\t}\n\t}\n}\n\n")
	for _, r := range all {
		if r.novec {
			continue
		}
		expr := local(r.expr)
		n := r.args + 1
		tab := ""
		if r.lit == 2 {
			tab = ", tables []Table"
		}
		fmt.Fprintf(&b, "// %s runs row i of the vector instruction x, a %s.\nfunc %s(x *VInstr, v []float64%s, i int32) {\n", vecName(r), r.asm, vecName(r), tab)
		if r.lit == 2 {
			b.WriteString("\tt := &tables[x.Base[2]]\n")
			expr = strings.ReplaceAll(expr, "tables[$B]", "t")
		}
		var init []string
		for f := 0; f < n; f++ {
			init = append(init, fmt.Sprintf("int(x.Base[%[1]d]+i*x.S1[%[1]d])", f))
		}
		fmt.Fprintf(&b, "\t%s := %s\n", strings.Join(fields[:n], ", "), strings.Join(init, ", "))
		b.WriteString("\tn := int(x.N2)\n")
		// Fast loops: the destination contiguous, each operand either
		// contiguous or the same slot throughout (kind has bit f-1 set
		// when operand f is contiguous).
		b.WriteString("\tswitch x.Kind {\n")
		for kind := 0; kind < 1<<r.args; kind++ {
			fmt.Fprintf(&b, "\tcase %d:\n", kind)
			b.WriteString("\t\tdd := v[d : d+n]\n")
			repl := []string{}
			for f := 1; f < n; f++ {
				name := fields[f]
				ph := "$" + strings.ToUpper(name)
				if kind&(1<<(f-1)) != 0 {
					fmt.Fprintf(&b, "\t\t%[1]s%[1]s := v[%[1]s : %[1]s+n]\n\t\t%[1]s%[1]s = %[1]s%[1]s[:len(dd)]\n", name)
					repl = append(repl, ph, name+name+"[j]")
				} else {
					fmt.Fprintf(&b, "\t\t%[1]sv := v[%[1]s]\n", name)
					repl = append(repl, ph, name+"v")
				}
			}
			e := strings.NewReplacer(repl...).Replace(expr)
			fmt.Fprintf(&b, "\t\tfor j := range dd {\n\t\t\tdd[j] = %s\n\t\t}\n", e)
		}
		b.WriteString("\tdefault:\n")
		var strides, step []string
		for f := 0; f < n; f++ {
			strides = append(strides, fmt.Sprintf("int(x.S2[%d])", f))
			step = append(step, fmt.Sprintf("%[1]s += s%[1]s", fields[f]))
		}
		var snames []string
		for f := 0; f < n; f++ {
			snames = append(snames, "s"+fields[f])
		}
		fmt.Fprintf(&b, "\t\t%s := %s\n", strings.Join(snames, ", "), strings.Join(strides, ", "))
		b.WriteString("\t\tfor range n {\n")
		e := strings.NewReplacer("$A", "v[a]", "$B", "v[b]", "$C", "v[c]").Replace(expr)
		fmt.Fprintf(&b, "\t\t\tv[d] = %s\n", e)
		for _, st := range step {
			fmt.Fprintf(&b, "\t\t\t%s\n", st)
		}
		b.WriteString("\t\t}\n\t}\n}\n\n")
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatalf("opgen: %v\n%s", err, b.Bytes())
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
