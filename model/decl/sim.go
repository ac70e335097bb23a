package decl

import (
	"fmt"
	"math"
)

// The tolerances rk45 accepts. Tighter than MinRelTol the step control
// asks for more than float64 arithmetic can give and shrinks the step
// until the run hits its step limit; looser than MaxRelTol or MaxAbsTol
// it accepts steps of any size and returns numbers that mean nothing.
const (
	MinRelTol = 1e-14
	MaxRelTol = 0.1
	MaxAbsTol = 1.0
)

// MinTimeSpacing is how many times the spacing of float64 numbers near
// the run's largest time dt must be at least: every time of the run is
// then exact to within a two-thousandth of dt.
const MinTimeSpacing = 1000

// CheckRelTol returns what is wrong with rk45's relative tolerance x, or
// "" when it lies in [MinRelTol, MaxRelTol].
func CheckRelTol(x float64) string {
	if !(x >= MinRelTol && x <= MaxRelTol) {
		return fmt.Sprintf("rel_tol must be from %g to %g, got %s", MinRelTol, MaxRelTol, ff(x))
	}
	return ""
}

// CheckAbsTol returns what is wrong with rk45's absolute tolerance x, or
// "" when it lies in (0, MaxAbsTol].
func CheckAbsTol(x float64) string {
	if !(x > 0 && x <= MaxAbsTol) {
		return fmt.Sprintf("abs_tol must be greater than 0 and at most %g (rel_tol governs large values), got %s", MaxAbsTol, ff(x))
	}
	return ""
}

// CheckTimeResolution returns what is wrong with a run from start to
// stop in steps of dt whose times float64 cannot tell apart, or "": dt
// must be at least MinTimeSpacing times the spacing of float64 numbers
// near the larger of |start| and |stop|. (Near 1e17 that spacing is 16,
// so a dt of 1 would repeat each time many times over.)
func CheckTimeResolution(start, stop, dt float64) string {
	m := math.Max(math.Abs(start), math.Abs(stop))
	ulp := math.Nextafter(m, math.Inf(1)) - m
	if !(dt >= MinTimeSpacing*ulp) {
		return fmt.Sprintf("dt (%s) is below the resolution of time near %s, where float64 numbers are %s apart: the run's times would not be exact; use a dt of at least %s or count time from a nearer origin (a smaller start)",
			ff(dt), ff(m), ff(ulp), ff(MinTimeSpacing*ulp))
	}
	return ""
}

// Steps returns the number of steps of dt a run from start takes without
// passing stop (a float64: it may be too many to run).
func Steps(start, stop, dt float64) float64 {
	return math.Floor((stop-start)/dt + 1e-9)
}

// EndsEarly returns, when a run from start to stop in steps of dt,
// saving every save, has its last save point before stop, a sentence
// saying so; otherwise "". Vensim and Stella users expect the last row
// at stop; stockflow never steps past stop, so it warns instead.
func EndsEarly(start, stop, dt, save float64) string {
	if !(dt > 0) || !(save >= dt) {
		return ""
	}
	saveK := math.Round(save / dt)
	n := Steps(start, stop, dt)
	last := start + math.Floor(n/saveK)*saveK*dt
	if !(n < 1e15) || stop-last <= 1e-9*dt {
		return ""
	}
	what := fmt.Sprintf("dt (%s)", ff(dt))
	if saveK > 1 {
		what = fmt.Sprintf("save_every (%s)", ff(save))
	}
	return fmt.Sprintf("stop (%s) is not start (%s) plus a whole number of %s: the run ends at %s, not at stop", ff(stop), ff(start), what, ff(last))
}
