// Package ring is the benchmark model of stockflow's speed measurements:
// n stocks in a ring, each with one flow and two aux (4n coupled
// variables), as a TOML model and as the same equations written by hand in
// Go — the practical limit an engine is measured against.
package ring

import (
	"fmt"
	"math"
	"strings"
)

// DT is the model's time step.
const DT = 0.25

// Model writes the ring of n stocks as a TOML model running to stop:
//
//	a_i = r * s_{i-1}          (s_{-1} is s_{n-1})
//	b_i = s_i / tau
//	f_i = max(a_i - b_i, -cap) (inflow of s_i)
func Model(n int, stop float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name = \"ring of %d\"\n[sim]\nstop = %g\ndt = %g\n[params]\nr = 0.5\ntau = 2\ncap = 10\n", n, stop, DT)
	for i := 0; i < n; i++ {
		prev := (i + n - 1) % n
		fmt.Fprintf(&b, "[stocks.s%d]\ninitial = %d\ninflows = [\"f%d\"]\n", i, 1+i%7, i)
		fmt.Fprintf(&b, "[flows.f%d]\neq = \"max(a%d - b%d, -cap)\"\n", i, i, i)
		fmt.Fprintf(&b, "[aux.a%d]\neq = \"r * s%d\"\n", i, prev)
		fmt.Fprintf(&b, "[aux.b%d]\neq = \"s%d / tau\"\n", i, i)
	}
	return b.String()
}

// ByHand integrates Model's equations by Euler, written by hand, and
// returns s0's values at each step in out (reused when it has room), like
// a run that records one variable.
func ByHand(n int, stop float64, out []float64) []float64 {
	const r, tau, cp = 0.5, 2.0, 10.0
	s := make([]float64, n)
	a := make([]float64, n)
	bb := make([]float64, n)
	f := make([]float64, n)
	for i := range s {
		s[i] = float64(1 + i%7)
	}
	steps := int(stop / DT)
	out = out[:0]
	for k := 0; ; k++ {
		for i := range s {
			prev := i - 1
			if prev < 0 {
				prev = n - 1
			}
			a[i] = r * s[prev]
			bb[i] = s[i] / tau
			f[i] = math.Max(a[i]-bb[i], -cp)
		}
		out = append(out, s[0])
		if k == steps {
			return out
		}
		for i := range s {
			s[i] += DT * f[i]
		}
	}
}
