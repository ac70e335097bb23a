package model

import (
	"math"
)

type opcode uint8

const (
	opMov opcode = iota
	opAdd
	opSub
	opMul
	opDiv
	opPow
	opMod
	opNeg
	opNot
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opAnd
	opOr
	opIf // dst = a != 0 ? b : c
	opAbs
	opExp
	opLn
	opLog10
	opSqrt
	opSin
	opCos
	opTan
	opAsin
	opAcos
	opAtan
	opFloor
	opMin
	opMax
	opSafeDiv // dst = b == 0 ? c : a / b
	opLookup  // dst = lookups[b](a)
	opPulse   // dst = pulse(magnitude a, first b, interval c)
	opStep    // dst = step(height a, time b)
	opRamp    // dst = ramp(slope a, start b, end c)
	opPoisson // dst = inverse Poisson CDF(mean a, uniform b)
	opTrunc   // dst = a truncated toward zero
	opFmod    // dst = a - b*trunc(a/b), the sign of a

	// opFused is the first of the fused arithmetic instructions: two
	// operations in one, dst = (a op1 b) op2 c or c op2 (a op1 b); see
	// fuse.go for the numbering.
	opFused
	opFusedEnd = opFused + 48

	// opVec runs vecs[a], a vector instruction (vector.go).
	opVec = opFusedEnd
)

// pure reports whether the op depends only on its operands, so that it
// can be folded when they are constant.
func (op opcode) pure() bool {
	switch op {
	case opPulse, opStep, opRamp, opLookup, opPoisson:
		return false
	}
	return true
}

// instr is one three-address instruction: v[dst] = op(v[a], v[b], v[c]).
type instr struct {
	op      opcode
	dst     int32
	a, b, c int32
}

// Fixed slots, at the start of every slot array.
const (
	slotTime  = iota // the time of the current evaluation
	slotTStep        // the time at the start of the current step
	slotDT
	slotStart
	slotStop
	numFixedSlots
)

// table is a compiled lookup: points on flat arrays.
type table struct {
	xs, ys      []float64
	extrapolate bool
}

// at returns the table's value at x by linear interpolation, finding
// the segment by a linear scan in short tables and by binary search in
// long ones.
func (t *table) at(x float64) float64 {
	xs, ys := t.xs, t.ys
	n := len(xs)
	if math.IsNaN(x) {
		return math.NaN()
	}
	if x <= xs[0] {
		if t.extrapolate && x < xs[0] {
			return ys[0] + (x-xs[0])*(ys[1]-ys[0])/(xs[1]-xs[0])
		}
		return ys[0]
	}
	if x >= xs[n-1] {
		if t.extrapolate && x > xs[n-1] {
			return ys[n-1] + (x-xs[n-1])*(ys[n-1]-ys[n-2])/(xs[n-1]-xs[n-2])
		}
		return ys[n-1]
	}
	if n <= 16 {
		// A short table: a linear scan for the last point at or below x,
		// which mispredicts one branch where a binary search would
		// mispredict about half of its. Both find the same segment.
		lo := 0
		for xs[lo+1] <= x {
			lo++
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

// exec runs code over the slots v; vecs holds the vector instructions
// the code's opVec instructions run. It allocates nothing.
func exec(code []instr, v []float64, tables []table, vecs []vinstr) {
	for i := range code {
		in := &code[i]
		switch in.op {
		case opVec:
			execVec(&vecs[in.a], v, tables)
		case opMov:
			v[in.dst] = v[in.a]
		case opAdd:
			v[in.dst] = v[in.a] + v[in.b]
		case opSub:
			v[in.dst] = v[in.a] - v[in.b]
		case opMul:
			v[in.dst] = v[in.a] * v[in.b]
		case opDiv:
			v[in.dst] = v[in.a] / v[in.b]
		case opNeg:
			v[in.dst] = -v[in.a]
		case opMin:
			v[in.dst] = Min(v[in.a], v[in.b])
		case opMax:
			v[in.dst] = Max(v[in.a], v[in.b])
		case opIf:
			if v[in.a] != 0 {
				v[in.dst] = v[in.b]
			} else {
				v[in.dst] = v[in.c]
			}
		case opLookup:
			v[in.dst] = tables[in.b].at(v[in.a])
		case opSafeDiv:
			v[in.dst] = SafeDiv(v[in.a], v[in.b], v[in.c])
		case opGt:
			v[in.dst] = Bool(v[in.a] > v[in.b])
		case opLt:
			v[in.dst] = Bool(v[in.a] < v[in.b])
		// Fused pairs of arithmetic (fuse.go).
		case opFused + 0: // (a + b) + c
			v[in.dst] = float64(v[in.a]+v[in.b]) + v[in.c]
		case opFused + 2: // (a + b) - c
			v[in.dst] = float64(v[in.a]+v[in.b]) - v[in.c]
		case opFused + 3: // c - (a + b)
			v[in.dst] = v[in.c] - float64(v[in.a]+v[in.b])
		case opFused + 4: // (a + b) * c
			v[in.dst] = float64(v[in.a]+v[in.b]) * v[in.c]
		case opFused + 6: // (a + b) / c
			v[in.dst] = float64(v[in.a]+v[in.b]) / v[in.c]
		case opFused + 7: // c / (a + b)
			v[in.dst] = v[in.c] / float64(v[in.a]+v[in.b])
		case opFused + 8: // min(a + b, c)
			v[in.dst] = Min(float64(v[in.a]+v[in.b]), v[in.c])
		case opFused + 9: // min(c, a + b)
			v[in.dst] = Min(v[in.c], float64(v[in.a]+v[in.b]))
		case opFused + 10: // max(a + b, c)
			v[in.dst] = Max(float64(v[in.a]+v[in.b]), v[in.c])
		case opFused + 11: // max(c, a + b)
			v[in.dst] = Max(v[in.c], float64(v[in.a]+v[in.b]))
		case opFused + 12: // (a - b) + c
			v[in.dst] = float64(v[in.a]-v[in.b]) + v[in.c]
		case opFused + 14: // (a - b) - c
			v[in.dst] = float64(v[in.a]-v[in.b]) - v[in.c]
		case opFused + 15: // c - (a - b)
			v[in.dst] = v[in.c] - float64(v[in.a]-v[in.b])
		case opFused + 16: // (a - b) * c
			v[in.dst] = float64(v[in.a]-v[in.b]) * v[in.c]
		case opFused + 18: // (a - b) / c
			v[in.dst] = float64(v[in.a]-v[in.b]) / v[in.c]
		case opFused + 19: // c / (a - b)
			v[in.dst] = v[in.c] / float64(v[in.a]-v[in.b])
		case opFused + 20: // min(a - b, c)
			v[in.dst] = Min(float64(v[in.a]-v[in.b]), v[in.c])
		case opFused + 21: // min(c, a - b)
			v[in.dst] = Min(v[in.c], float64(v[in.a]-v[in.b]))
		case opFused + 22: // max(a - b, c)
			v[in.dst] = Max(float64(v[in.a]-v[in.b]), v[in.c])
		case opFused + 23: // max(c, a - b)
			v[in.dst] = Max(v[in.c], float64(v[in.a]-v[in.b]))
		case opFused + 24: // (a * b) + c
			v[in.dst] = float64(v[in.a]*v[in.b]) + v[in.c]
		case opFused + 26: // (a * b) - c
			v[in.dst] = float64(v[in.a]*v[in.b]) - v[in.c]
		case opFused + 27: // c - (a * b)
			v[in.dst] = v[in.c] - float64(v[in.a]*v[in.b])
		case opFused + 28: // (a * b) * c
			v[in.dst] = float64(v[in.a]*v[in.b]) * v[in.c]
		case opFused + 30: // (a * b) / c
			v[in.dst] = float64(v[in.a]*v[in.b]) / v[in.c]
		case opFused + 31: // c / (a * b)
			v[in.dst] = v[in.c] / float64(v[in.a]*v[in.b])
		case opFused + 32: // min(a * b, c)
			v[in.dst] = Min(float64(v[in.a]*v[in.b]), v[in.c])
		case opFused + 33: // min(c, a * b)
			v[in.dst] = Min(v[in.c], float64(v[in.a]*v[in.b]))
		case opFused + 34: // max(a * b, c)
			v[in.dst] = Max(float64(v[in.a]*v[in.b]), v[in.c])
		case opFused + 35: // max(c, a * b)
			v[in.dst] = Max(v[in.c], float64(v[in.a]*v[in.b]))
		case opFused + 36: // (a / b) + c
			v[in.dst] = float64(v[in.a]/v[in.b]) + v[in.c]
		case opFused + 38: // (a / b) - c
			v[in.dst] = float64(v[in.a]/v[in.b]) - v[in.c]
		case opFused + 39: // c - (a / b)
			v[in.dst] = v[in.c] - float64(v[in.a]/v[in.b])
		case opFused + 40: // (a / b) * c
			v[in.dst] = float64(v[in.a]/v[in.b]) * v[in.c]
		case opFused + 42: // (a / b) / c
			v[in.dst] = float64(v[in.a]/v[in.b]) / v[in.c]
		case opFused + 43: // c / (a / b)
			v[in.dst] = v[in.c] / float64(v[in.a]/v[in.b])
		case opFused + 44: // min(a / b, c)
			v[in.dst] = Min(float64(v[in.a]/v[in.b]), v[in.c])
		case opFused + 45: // min(c, a / b)
			v[in.dst] = Min(v[in.c], float64(v[in.a]/v[in.b]))
		case opFused + 46: // max(a / b, c)
			v[in.dst] = Max(float64(v[in.a]/v[in.b]), v[in.c])
		case opFused + 47: // max(c, a / b)
			v[in.dst] = Max(v[in.c], float64(v[in.a]/v[in.b]))
		default:
			v[in.dst] = eval1(in, v, tables)
		}
	}
}

// eval1 evaluates the less common instructions; keeping them out of exec's
// switch keeps the hot loop small.
func eval1(in *instr, v []float64, tables []table) float64 {
	a := v[in.a]
	switch in.op {
	case opPow:
		return math.Pow(a, v[in.b])
	case opMod:
		return Mod(a, v[in.b])
	case opNeg:
		return -a
	case opNot:
		return Bool(a == 0)
	case opEq:
		return Bool(a == v[in.b])
	case opNe:
		return Bool(a != v[in.b])
	case opLt:
		return Bool(a < v[in.b])
	case opLe:
		return Bool(a <= v[in.b])
	case opGt:
		return Bool(a > v[in.b])
	case opGe:
		return Bool(a >= v[in.b])
	case opAnd:
		return Bool(a != 0 && v[in.b] != 0)
	case opOr:
		return Bool(a != 0 || v[in.b] != 0)
	case opIf:
		if a != 0 {
			return v[in.b]
		}
		return v[in.c]
	case opAbs:
		return math.Abs(a)
	case opExp:
		return math.Exp(a)
	case opLn:
		return math.Log(a)
	case opLog10:
		return math.Log10(a)
	case opSqrt:
		return math.Sqrt(a)
	case opSin:
		return math.Sin(a)
	case opCos:
		return math.Cos(a)
	case opTan:
		return math.Tan(a)
	case opAsin:
		return math.Asin(a)
	case opAcos:
		return math.Acos(a)
	case opAtan:
		return math.Atan(a)
	case opFloor:
		return math.Floor(a)
	case opMin:
		return math.Min(a, v[in.b])
	case opMax:
		return math.Max(a, v[in.b])
	case opSafeDiv:
		return SafeDiv(a, v[in.b], v[in.c])
	case opLookup:
		return tables[in.b].at(a)
	case opPulse:
		return Pulse(a, v[in.b], v[in.c], v[slotTStep], v[slotDT])
	case opStep:
		return Step(a, v[in.b], v[slotTStep], v[slotDT])
	case opRamp:
		return Ramp(a, v[in.b], v[in.c], v[slotTime])
	case opPoisson:
		return poissonInv(a, v[in.b])
	case opTrunc:
		return math.Trunc(a)
	case opFmod:
		return math.Mod(a, v[in.b])
	}
	return math.NaN()
}

// The functions below are the equation language's operations that take
// more than an operator. The interpreter and the Go that stockflow gen
// writes share them, so that both compute exactly the same.

// Mod is the equation language's "a mod b": the remainder of a/b with the
// sign of b (floored), as XMILE defines MOD.
func Mod(a, b float64) float64 { return a - b*math.Floor(a/b) }

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
