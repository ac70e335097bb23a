package vm

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// Program is a compiled model: its variables, where each lives among the
// slots, and the code that computes them. Package compile makes it;
// package model runs it. It is never modified after compile, so runs may
// share it.
type Program struct {
	Vars   []*Var         // user variables in declaration order, then hidden ones
	ByName map[string]int // index into Vars by name

	NSlots int
	Consts []float64 // initial slot values: fixed slots are set per run

	InitCode []Instr  // computes every value at the start time, in dependency order
	FlowCode []Instr  // computes aux and flows from time and state
	FlowVars []int    // the variables FlowCode computes, in its order
	FlowRuns []Loop   // runs of FlowVars whose code is the same, as loops
	FastCode []Instr  // FlowCode with the runs as vector instructions and superinstructions
	Vecs     []VInstr // the vector instructions FastCode and FastRates name

	// RateCode computes the stocks' rates into the slots from DyLo, one
	// block per stock (RateBlocks), the blocks of an array's elements
	// together; FastRates is it with the runs as vector instructions and
	// superinstructions.
	// Neither is used when stocks are non-negative.
	RateCode   []Instr
	RateBlocks [][2]int32
	RateRuns   []Loop
	FastRates  []Instr
	DyLo       int32
	TempLo     int32 // the first slot of the temporaries, which end at DyLo

	Stocks  []int // indices of stocks, user then hidden; stock i lives at slot StockLo+i
	StockLo int32
	InIdx   [][]int32 // per stock: slots of its inflows
	OutIdx  [][]int32 // per stock: slots of its outflows
	NonNeg  []int     // stock positions (into Stocks) that are non-negative

	// A stock's rate is the sum of RateSign[k] * v[RateSlot[k]] for k in
	// RateLo[i] to RateLo[i+1]: its inflows (+1) and outflows (-1).
	RateLo   []int32
	RateSlot []int32
	RateSign []float64
	RateOne  []int32 // per stock: the slot of its only inflow, or -1
	RateNeed []Need  // per variable: ForRates if the rates need it, else Unneeded
	Prevs    []int   // previous variables
	Pipes    []int   // pipeline variables
	Randoms  []int   // random draw variables
	GridOnly bool    // discrete state or step-time functions: rk45 must land on the dt grid
	Guards   []Guard // arguments that must not be negative
	Varying  []Guard // the Guards that are not Fixed, in order

	Tables []Table
	Lits   map[int32]bool // the slots of literal constants, for disassembly
}

// Role is what a compiled variable is. The first five mirror decl.Kind;
// the rest are hidden variables made by expanding stateful builtins.
type Role int

// The roles.
const (
	Param Role = iota + 1
	Stock
	Flow
	Aux
	Lookup
	HiddenStock // a stage of a smooth or delay
	HiddenFlow  // the rate of a hidden stock, or a value recorded each step
	Previous    // previous(x): x one step earlier
	Pipeline    // delay(x, T): x one delay time earlier
	Initial     // init(x), and a pipeline's delay time
	Uniform     // a uniform random draw in [0, 1), fresh each step
	Normal      // a standard normal random draw, fresh each step
)

// IsStock reports whether r is integrated: a stock, or a hidden one.
func (r Role) IsStock() bool { return r == Stock || r == HiddenStock }

// IsFlowLike reports whether r is computed by the flow code from time
// and state: a flow, an aux, or a hidden flow.
func (r Role) IsFlowLike() bool {
	return r == Flow || r == Aux || r == HiddenFlow
}

// A PipeKind is what a pipeline variable does with its delay time.
type PipeKind int8

// The kinds of pipeline.
const (
	// FixedPipe is delay: the delay time is read once, at the start.
	FixedPipe PipeKind = iota
	// MaterialPipe is delay_material: the input of each step leaves after
	// the delay time of that step; inputs leaving at the same step add,
	// and a step where none leaves gives the missing value.
	MaterialPipe
	// InformationPipe is delay_information: likewise, but its value is
	// the latest-entered input that has left, held until a later one
	// leaves.
	InformationPipe
)

// Var is a variable of the compiled model.
type Var struct {
	Name   string
	Role   Role
	Hidden bool      // made by expanding a builtin; the name is "$owner·what·N"
	Src    *decl.Var // the declared variable whose equation this came from
	Key    string    // the key errors name, e.g. "flows.births.eq"
	Slot   int32

	Eq   syntax.Expr // flows and aux: the equation
	Init syntax.Expr // stocks, previous, pipeline, initial: the initial value

	// InitEq, when not nil, is what a flow or aux computes at the start
	// time instead of Eq: the initial argument of active_initial.
	InitEq syntax.Expr

	Inflows, Outflows []int // stocks: indices of flow variables
	NonNeg            bool

	Input  int   // previous and pipeline: the variable recorded each step
	DelayT int   // pipeline: the variable holding its delay time
	Seed   int64 // random draws: the call's own seed, or -1
	Table  int   // lookups: index into Program.Tables

	Pipe    PipeKind // pipeline: what it does with its delay time
	Missing int      // a MaterialPipe: the variable holding its missing value

	CodeLo, CodeHi int32  // flows and aux: their instructions in Program.FlowCode
	Deps           []int  // flows and aux: the varying flows and aux their equation uses
	AliasOf        *Var   // flows and aux whose equation is another variable's name: the variable whose slot they share
	AliasRef       *Var   // and the variable the equation names (AliasOf, or another alias of it)
	Builtin        string // hidden variables: the builtin they expand, e.g. "smth1.stage"
}

// A Guard is an argument of a builtin that must not be negative, such
// as a smoothing time or an exprnd mean: a run checks it at each step,
// after evaluating the model at the step's start (and at each rk45
// step), and stops with an error naming the variable whose equation
// holds the call, the time and the equation.
//
// A Fixed guard's variable keeps its value for the whole run (a param, an
// initial value): a run checks it at the start only.
type Guard struct {
	Var   int    // the variable holding the argument's value
	Owner int    // the variable whose equation holds the call
	What  string // "the averaging time of smth1"
	Fixed bool
}

// A Loop is a run of blocks with the same code, blocks First to
// First+N1*N2, that the interpreter runs as vector instructions and
// stockflow gen writes as a Go for loop. Element k = i*N2 + j, and each
// operand's slot is base + i*S1 + j*S2.
type Loop struct {
	First  int
	N1, N2 int32
	Body   []Instr    // the first block's code
	S1, S2 [][4]int32 // per instruction of Body: the strides of dst, a, b, c
	Vec    []Instr    // the interpreter's code for the run
}

// Size returns the number of blocks in the run.
func (r *Loop) Size() int { return int(r.N1 * r.N2) }

// WalkBlocks visits, in order, the blocks 0 to n-1 that keep selects (all
// when keep is nil): each run of runs that keep selects whole goes to
// loop, which may decline it by returning false, and every other block
// to one.
func WalkBlocks(n int, runs []Loop, keep func(k int) bool, loop func(r *Loop) bool, one func(k int)) {
	for k := 0; k < n; {
		if len(runs) > 0 && runs[0].First == k {
			r := &runs[0]
			runs = runs[1:]
			all := true
			for q := k; q < k+r.Size() && keep != nil; q++ {
				all = all && keep(q)
			}
			if all && loop(r) {
				k += r.Size()
				continue
			}
		}
		if keep == nil || keep(k) {
			one(k)
		}
		k++
	}
}

// MinVec is the fewest elements for which the interpreter runs a run
// as vector instructions. Setting up a vector instruction costs about
// what four or five scalar instructions do, and the scalar code of a
// short run joins into superinstructions: measured on the World3-class
// model's runs of 3 and 4 elements, the scalar code took 20 % less time
// for the rates and 5 % less for the flows, and on runs of 12 and 15
// the vector instructions took as long as the superinstructions or less.
const MinVec = 8

// LowerFlow returns the interpreter's code computing the flow variables
// keep selects (by their index in FlowVars; all when keep is nil), in
// FlowCode's order, with runs of array elements of at least MinVec
// elements as vector instructions when keep selects the whole run, and
// superinstructions (Superize).
func (p *Program) LowerFlow(keep func(k int) bool) []Instr {
	// A run's vector instructions are fewer than its blocks' code.
	out := make([]Instr, 0, len(p.FlowCode))
	WalkBlocks(len(p.FlowVars), p.FlowRuns, keep, func(r *Loop) bool {
		if r.Size() < MinVec {
			return false
		}
		out = append(out, r.Vec...)
		return true
	}, func(k int) {
		v := p.Vars[p.FlowVars[k]]
		out = append(out, p.FlowCode[v.CodeLo:v.CodeHi]...)
	})
	return Superize(out)
}

// Need is what the flow code of a run must compute of a variable.
type Need uint8

// The needs, in increasing order.
const (
	Unneeded  Need = iota
	ForOutput      // only for a requested output: at save points
	ForRates       // for the stocks' rates or the discrete state: at every evaluation
)

// Mark raises variable i, and what its equation uses, to level.
func (p *Program) Mark(need []Need, i int, level Need) {
	if need[i] >= level {
		return
	}
	need[i] = level
	for _, j := range p.Vars[i].Deps {
		p.Mark(need, j, level)
	}
}

// Needs marks, for each variable, whether the stocks' rates need it, or
// only the given outputs, or nothing.
func (p *Program) Needs(outputs []string) []Need {
	need := slices.Clone(p.RateNeed)
	for _, name := range outputs {
		p.Mark(need, p.ByName[name], ForOutput)
	}
	return need
}

// Layout fingerprints the program's code and slot count: generated code
// is valid for the program whose layout it was written for.
func (p *Program) Layout() string {
	h := fnv.New64a()
	fmt.Fprintf(h, "stockflow-1 %d %d %d\n", p.NSlots, len(p.InitCode), len(p.FlowCode))
	for _, code := range [][]Instr{p.InitCode, p.FlowCode} {
		for _, in := range code {
			fmt.Fprintf(h, "%d %d %d %d %d\n", in.Op, in.Dst, in.A, in.B, in.C)
		}
	}
	return strconv.FormatUint(h.Sum64(), 16)
}

// SlotNames returns a function naming slot s of the program for a
// reader: the variable that lives there, a fixed slot, a constant's
// value, a temporary or a stock's rate.
func (p *Program) SlotNames() func(s int32) string {
	byslot := map[int32]string{SlotTime: "time", SlotTStep: "tstep", SlotDT: "dt", SlotStart: "starttime", SlotStop: "stoptime"}
	for _, v := range p.Vars {
		if v.Role != Lookup && v.AliasOf == nil {
			byslot[v.Slot] = v.Name
		}
	}
	return func(s int32) string {
		if n, ok := byslot[s]; ok {
			return n
		}
		switch {
		case s >= p.DyLo && int(s) < int(p.DyLo)+len(p.Stocks):
			return "d/dt " + p.Vars[p.Stocks[s-p.DyLo]].Name
		case s >= p.TempLo && s < p.DyLo:
			return "t" + strconv.Itoa(int(s-p.TempLo))
		case p.Lits[s]:
			return strconv.FormatFloat(p.Consts[s], 'g', -1, 64)
		}
		return "s" + strconv.Itoa(int(s))
	}
}

// Disasm writes code one instruction a line, slots by name, each vector
// instruction followed by its operation on the first element and its
// counts, each superinstruction by its parts.
func (p *Program) Disasm(code []Instr) string {
	name := p.SlotNames()
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		in := code[i]
		if _, ok := SuperOf(in.Op); ok {
			parts, words := UnpackSuper(code[i:])
			fmt.Fprintf(&b, "%4d  %s\n", i, in.Op)
			for _, part := range parts {
				fmt.Fprintf(&b, "        %s\n", part.Format(name))
			}
			i += words - 1
			continue
		}
		fmt.Fprintf(&b, "%4d  %s\n", i, in.Format(name))
		if in.Op == OpVec && int(in.A) < len(p.Vecs) {
			x := &p.Vecs[in.A]
			one := Instr{Op: x.Op, Dst: x.Base[0], A: x.Base[1], B: x.Base[2], C: x.Base[3]}
			fmt.Fprintf(&b, "        %s  (×%d×%d)\n", one.Format(name), x.N1, x.N2)
		}
	}
	return b.String()
}
