package model

import "github.com/stockflow/stockflow/model/internal/vm"

// The equation language's operations that take more than an operator,
// for the Go that stockflow gen writes: generated code calls these, and
// they forward to the interpreter's own (package model/internal/vm), so
// that generated and interpreted models compute exactly the same. They
// are not otherwise part of the API.

// Bool returns 1 for true and 0 for false: the value of a comparison or a
// logical operator in an equation.
func Bool(b bool) float64 { return vm.Bool(b) }

// Min returns the smaller of a and b as the equation language's min does:
// NaN if either is NaN. Unlike math.Min it does not order -0 before +0.
func Min(a, b float64) float64 { return vm.Min(a, b) }

// Max returns the larger of a and b as the equation language's max does:
// NaN if either is NaN.
func Max(a, b float64) float64 { return vm.Max(a, b) }

// Mod is the equation language's "a mod b": the remainder of a/b with the
// sign of b (floored), as XMILE defines MOD.
func Mod(a, b float64) float64 { return vm.Mod(a, b) }

// Lgamma is gammaln(x): ln |Γ(x)|, Vensim's GAMMA LN.
func Lgamma(x float64) float64 { return vm.Lgamma(x) }

// SafeDiv returns a/b, or alt when b is 0: safediv, xidz and zidz.
func SafeDiv(a, b, alt float64) float64 { return vm.SafeDiv(a, b, alt) }

// Step is step(height, start) at step time t: 0 before start, height from
// then on (start is matched to within a billionth of dt).
func Step(height, start, t, dt float64) float64 { return vm.Step(height, start, t, dt) }

// Ramp is ramp(slope, start, end) at time t: 0 until start, then rising
// with slope until end.
func Ramp(slope, start, end, t float64) float64 { return vm.Ramp(slope, start, end, t) }

// Pulse is XMILE's PULSE at step time t: magnitude/dt during the one step
// that starts at first (and at first + k*interval when interval > 0).
func Pulse(magnitude, first, interval, t, dt float64) float64 {
	return vm.Pulse(magnitude, first, interval, t, dt)
}

// CallFunc runs the vector function (an allocation, a rank, a matrix
// inverse) whose record starts at slot b of v and returns its result k.
func CallFunc(v []float64, b int32, k float64) float64 { return vm.CallFunc(v, b, k) }
