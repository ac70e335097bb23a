package vm

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

//go:generate go run ../opgen -o ops_gen.go

// Opcode is an instruction of the interpreter. The opcodes, and what each
// does, are one table in model/internal/opgen, which writes ops_gen.go: the
// constants, OpTable, Exec, eval1 and ExecVec. Everything else that needs
// to know about an instruction asks OpTable.
type Opcode uint8

// OpInfo is one row of OpTable.
type OpInfo struct {
	Name string // the mnemonic, for disassembly
	Args int8   // operands read from slots: a, then b, then c
	Lit  int8   // 0, or the field (1 for a, 2 for b) that holds a literal rather than a slot
	Pure bool   // the result depends only on the operands: constant operands fold
	Grid bool   // reads the time of the step: rk45 must land on the dt grid
	Vec  bool   // ExecVec runs it
	// gen is the Go that stockflow gen writes for the instruction, over
	// $D (the destination), $A, $B and $C; "" when the generated code
	// hands it back to the interpreter.
	Gen string
}

// String returns the Opcode's mnemonic.
func (op Opcode) String() string {
	if op < NumOps && OpTable[op].Name != "" {
		return OpTable[op].Name
	}
	return "op" + strconv.Itoa(int(op))
}

// Pure reports whether the op depends only on its operands, so that it
// can be folded when they are constant.
func (op Opcode) Pure() bool { return OpTable[op].Pure }

// VectorOp reports whether execVec runs op.
func VectorOp(op Opcode) bool { return op < NumOps && OpTable[op].Vec }

// SlotFields reports which of an instruction's fields are slots it reads
// or writes (dst is always written) and which are literals (the Table of
// a lookup).
func SlotFields(op Opcode) (slot, lit [4]bool) {
	info := &OpTable[op]
	slot[0] = true
	for f := 1; f <= int(info.Args); f++ {
		slot[f] = true
	}
	if info.Lit > 0 {
		lit[info.Lit] = true
	}
	return
}

// Fields returns an instruction's dst, a, b and c.
func Fields(in *Instr) [4]int32 { return [4]int32{in.Dst, in.A, in.B, in.C} }

// String disassembles the instruction with its slots as numbers:
// "mul s12 s13 → s14".
func (in Instr) String() string {
	return in.Format(func(s int32) string { return "s" + strconv.Itoa(int(s)) })
}

// Format writes the instruction as "op a b c → dst", naming each slot
// with name.
func (in Instr) Format(name func(int32) string) string {
	slot, lit := SlotFields(in.Op)
	f := Fields(&in)
	var b strings.Builder
	b.WriteString(in.Op.String())
	for q := 1; q < 4; q++ {
		switch {
		case lit[q]:
			fmt.Fprintf(&b, " #%d", f[q])
		case slot[q]:
			b.WriteString(" " + name(f[q]))
		}
	}
	if in.Op != OpVec {
		b.WriteString(" → " + name(in.Dst))
	}
	return b.String()
}

// Instr is one three-address instruction: v[dst] = op(v[a], v[b], v[c]).
type Instr struct {
	Op      Opcode
	Dst     int32
	A, B, C int32
}

// Fixed slots, at the start of every slot array.
const (
	SlotTime  = iota // the time of the current evaluation
	SlotTStep        // the time at the start of the current step
	SlotDT
	SlotStart
	SlotStop
	NumFixedSlots
)

// Table is a compiled lookup, or a data variable's series: points on
// flat arrays.
type Table struct {
	Xs, Ys      []float64
	Extrapolate bool
	Mode        Interp

	// Last, when not nil, holds the segment the last reading fell in,
	// where At looks first: a run reads each lookup at nearby x step
	// after step. It is nil in a Program's tables, which runs share; a
	// run reads copies of them with a Last of its own (Cached).
	Last *Segment
}

// Segment is the segment between two points of a Table that a reading
// fell in: from (X0, Y0) to (X1, Y0+DY), DX = X1-X0; or the part of the
// line beyond the first or the last point where the Table holds that
// point's value, Y0, with DY 0.
type Segment struct{ X0, X1, Y0, DY, DX float64 }

// remember makes seg the segment from point i to point i+1 of xs, ys.
func (seg *Segment) remember(xs, ys []float64, i int) {
	*seg = Segment{X0: xs[i], X1: xs[i+1], Y0: ys[i], DY: ys[i+1] - ys[i], DX: xs[i+1] - xs[i]}
}

// holdBound is how far from 0 the end of a Table may lie for hold to
// remember the line beyond it: x - X0 then stays finite for every x
// inside the segment.
const holdBound = 1e290

// hold makes seg the part of the line beyond the end of a Table, from x0
// to x1 (one of them the end, the other the largest finite float of
// either sign), where the Table holds the end's value y; but only when
// the segment's arithmetic gives exactly y there: x - x0 is positive and
// finite for x0 < x < x1 when the end lies within ±holdBound, and y +
// (x-x0)*0/1 is y unless y is NaN or -0 (which adding +0 makes +0).
// Otherwise it leaves seg as it was.
func (seg *Segment) hold(x0, x1, y float64) {
	end := x0
	if math.Abs(x0) == math.MaxFloat64 {
		end = x1
	}
	if y == 0 && math.Signbit(y) || math.IsNaN(y) || !(math.Abs(end) <= holdBound) {
		return
	}
	*seg = Segment{X0: x0, X1: x1, Y0: y, DY: 0, DX: 1}
}

// Interp is how a table is read between its points.
type Interp uint8

// How a table is read between its points.
const (
	InterpLinear  Interp = iota // along the line between the points
	InterpHold                  // the last point at or before x
	InterpNone                  // only at the points; NaN between them
	InterpForward               // the first point at or after x
)

// Cached returns copies of tables that remember, each, the segment their
// last reading fell in, for one run (or one goroutine) to read: the
// copies share the points with tables but not the memory of the
// segment. The tables read linearly get a Last; the others need none.
func Cached(tables []Table) []Table {
	out, _ := CachedSegments(tables)
	return out
}

// CachedSegments returns Cached(tables) and the segments the copies
// remember, in one slice: segs[i] is table i's Last when it has one.
func CachedSegments(tables []Table) (out []Table, segs []Segment) {
	out = slices.Clone(tables)
	segs = make([]Segment, len(out))
	for i := range out {
		if out[i].Mode == InterpLinear && len(out[i].Xs) > 1 {
			out[i].Last = &segs[i]
		}
	}
	return out, segs
}

// At returns the Table's value at x by linear interpolation. A Table
// with a Last tries the segment of its last reading first; otherwise, or
// when x is not inside that segment, at finds the segment, by a linear
// scan in short tables and by binary search in long ones. Whichever finds
// it, the arithmetic is the same, so the value is the same bit for bit.
// The common case is small enough for the compiler to inline into the
// interpreter's loop.
func (t *Table) At(x float64) float64 {
	if s := t.Last; s != nil {
		if s.X0 < x && x < s.X1 {
			return s.Y0 + (x-s.X0)*s.DY/s.DX
		}
	}
	return t.at(x)
}

// at is At outside its inlined case.
func (t *Table) at(x float64) float64 {
	xs, ys := t.Xs, t.Ys
	n := len(xs)
	if math.IsNaN(x) {
		return math.NaN()
	}
	if t.Mode != InterpLinear {
		return t.step(x)
	}
	if x <= xs[0] {
		if t.Extrapolate && x < xs[0] {
			return ys[0] + (x-xs[0])*(ys[1]-ys[0])/(xs[1]-xs[0])
		}
		if t.Last != nil && !t.Extrapolate {
			t.Last.hold(-math.MaxFloat64, xs[0], ys[0])
		}
		return ys[0]
	}
	if x >= xs[n-1] {
		if t.Extrapolate && x > xs[n-1] {
			return ys[n-1] + (x-xs[n-1])*(ys[n-1]-ys[n-2])/(xs[n-1]-xs[n-2])
		}
		if t.Last != nil && !t.Extrapolate {
			t.Last.hold(xs[n-1], math.MaxFloat64, ys[n-1])
		}
		return ys[n-1]
	}
	if n <= 16 {
		// A short Table: a linear scan for the last point at or below x,
		// which mispredicts one branch where a binary search would
		// mispredict about half of its. Both find the same segment.
		lo := 0
		for xs[lo+1] <= x {
			lo++
		}
		if t.Last != nil {
			t.Last.remember(xs, ys, lo)
		}
		return ys[lo] + (x-xs[lo])*(ys[lo+1]-ys[lo])/(xs[lo+1]-xs[lo])
	}
	lo, hi := 0, n-1 // xs[lo] < x < xs[hi]
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if xs[mid] <= x {
			lo = mid
		} else {
			hi = mid
		}
	}
	if t.Last != nil {
		t.Last.remember(xs, ys, lo)
	}
	return ys[lo] + (x-xs[lo])*(ys[hi]-ys[lo])/(xs[hi]-xs[lo])
}

// pick is the equation language's "if a then b else c".
func pick(a, b, c float64) float64 {
	if a != 0 {
		return b
	}
	return c
}

// Bool returns 1 for true and 0 for false: the value of a comparison or a
// logical operator in an equation.
func Bool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Min returns the smaller of a and b as the equation language's min does:
// NaN if either is NaN. Unlike math.Min it does not order -0 before +0,
// which lets it inline.
func Min(a, b float64) float64 {
	switch {
	case a < b:
		return a
	case b <= a:
		return b
	}
	return math.NaN()
}

// Max returns the larger of a and b as the equation language's max does:
// NaN if either is NaN.
func Max(a, b float64) float64 {
	switch {
	case a > b:
		return a
	case b >= a:
		return b
	}
	return math.NaN()
}

// The functions below are the equation language's operations that take
// more than an operator. The interpreter and the Go that stockflow gen
// writes share them, so that both compute exactly the same.

// Mod is the equation language's "a mod b": the remainder of a/b with the
// sign of b (floored), as XMILE defines MOD.
func Mod(a, b float64) float64 { return a - b*math.Floor(a/b) }

// Lgamma is gammaln(x), the natural logarithm of the absolute value of
// the gamma function (Vensim's GAMMA LN): ln((x-1)!) at a positive whole
// x, +Inf at 0 and the negative whole numbers, NaN at NaN.
func Lgamma(x float64) float64 {
	y, _ := math.Lgamma(x)
	return y
}

// SafeDiv returns a/b, or alt when b is 0: safediv, xidz and zidz.
func SafeDiv(a, b, alt float64) float64 {
	if b == 0 {
		return alt
	}
	return a / b
}

// Step is step(height, start) at step time t: 0 before start, height from
// then on (start is matched to within a billionth of dt).
func Step(height, start, t, dt float64) float64 {
	if t >= start-1e-9*dt {
		return height
	}
	return 0
}

// Ramp is ramp(slope, start, end) at time t: 0 until start, then rising
// with slope until end.
func Ramp(slope, start, end, t float64) float64 {
	if t <= start {
		return 0
	}
	return slope * (math.Min(t, end) - start)
}

// Pulse is XMILE's PULSE at step time t: magnitude/dt during the one step
// that starts at first (and at first + k*interval when interval > 0).
func Pulse(magnitude, first, interval, t, dt float64) float64 {
	eps := 1e-9 * dt
	if t < first-eps {
		return 0
	}
	since := t - first
	if interval > 0 {
		since -= interval * math.Floor((since+eps)/interval)
	} else if since >= dt-eps {
		return 0
	}
	if since < dt-eps {
		return magnitude / dt
	}
	return 0
}

// poissonInv returns the smallest k with P(X ≤ k) ≥ u for X ~ Poisson(mean).
func poissonInv(mean, u float64) float64 {
	if !(mean > 0) {
		return 0
	}
	if mean > 500 { // normal approximation with continuity correction
		z := math.Sqrt2 * math.Erfinv(2*u-1)
		return math.Max(0, math.Floor(mean+z*math.Sqrt(mean)+0.5))
	}
	p := math.Exp(-mean)
	cdf := p
	k := 0.0
	for cdf < u && k < 10000 {
		k++
		p *= mean / k
		cdf += p
	}
	return k
}

// VInstr is a vector instruction: op over the slots base + i*s1 + j*s2
// of dst, a, b and c, for i < n1 and j < n2.
type VInstr struct {
	Op     Opcode
	Kind   int8 // -1, or: dst contiguous (S2 1), operand f contiguous if bit f-1 is set, else S2 0
	N1, N2 int32
	Base   [4]int32
	S1, S2 [4]int32
}

// Flatten makes a two-level loop one level when each operand's outer
// stride is n2 inner strides, and sets kind.
func (x *VInstr) Flatten() {
	slot, _ := SlotFields(x.Op)
	flat := true
	for f := range 4 {
		flat = flat && (!slot[f] || x.S1[f] == x.N2*x.S2[f])
	}
	if flat && x.N1 > 1 {
		x.N2 *= x.N1
		x.N1, x.S1 = 1, [4]int32{}
	}
	x.Kind = -1
	if x.S2[0] != 1 {
		return
	}
	var kind int8
	for f := 1; f < 4; f++ {
		switch {
		case !slot[f] || x.S2[f] == 0:
		case x.S2[f] == 1:
			kind |= 1 << (f - 1)
		default:
			return
		}
	}
	x.Kind = kind
}

// step returns the value at x of a table read without interpolation:
// held from the last point at or before x (ys[0] before the first); for
// InterpForward, the first point at or after x (the last after it); for
// InterpNone, the value of a point at x and NaN elsewhere. Times are
// matched within a relative 1e-9, so that a time reached by adding dt
// steps still finds its point.
func (t *Table) step(x float64) float64 {
	xs, ys := t.Xs, t.Ys
	tol := 1e-9 * max(1, math.Abs(x))
	if t.Mode == InterpForward {
		j, _ := slices.BinarySearch(xs, x-tol) // the first point at or after x (with tolerance)
		return ys[min(j, len(ys)-1)]
	}
	i, _ := slices.BinarySearch(xs, x+tol) // the first point after x (with tolerance)
	if t.Mode == InterpNone {
		if i > 0 && math.Abs(xs[i-1]-x) <= tol {
			return ys[i-1]
		}
		return math.NaN()
	}
	if i == 0 {
		return ys[0]
	}
	return ys[i-1]
}
