package vm

import (
	"context"
	"fmt"
	"math"
	"strconv"
)

// Steps are the time settings the integrators step by, resolved from a
// model's and a run's.
type Steps struct {
	Method                  string // "euler", "rk2", "rk4" or "rk45"
	Start, Stop, DT, Save   float64
	RelTol, AbsTol, MaxStep float64 // rk45's error control
	NSteps, SaveK           int     // fixed steps, and steps per save point
	MaxSteps                int
	Clip                    bool // non-negative stocks are clipped, not their outflows cut

	// When Den is not 0, Start = Num0/Den and DT = Num/Den exactly, with
	// Num0, Num and Den whole numbers: At computes step times from them.
	Num0, Num, Den float64
}

// At returns the time of step i, Start + i·DT. Where Start and DT are
// decimals of up to nine places (as a model file writes them), it is the
// float64 nearest the exact decimal: with DT = 0.01, step 297 is at 2.97,
// not 2.9699999999999998 as 297 × 0.01 rounds.
func (s *Steps) At(i int) float64 {
	if s.Den != 0 {
		return (s.Num0 + float64(i)*s.Num) / s.Den
	}
	return s.Start + float64(i)*s.DT
}

// A System is a run of a model as the integrators see it: its slots, the
// evaluation of its rates, and what happens between steps and at save
// points. Package model's run is one.
type System interface {
	// Slots returns the run's slot values; the stocks are at
	// Program.StockLo.
	Slots() []float64
	// Eval computes the aux and flows at time t and stocks y, and the
	// stocks' rates of change into dy; h is the current step.
	Eval(t, h float64, y, dy []float64)
	// Record stores the outputs at save point t, the slots holding the
	// values at t.
	Record(t float64)
	// CheckGuards returns an error if an argument that must not be
	// negative is, at time t.
	CheckGuards(t float64) error
	// Capture records the inputs of discrete state at the start of a
	// step; Advance moves the discrete state one step on.
	Capture()
	Advance()
	// ClipStocks sets non-negative stocks below zero to zero, when the
	// run clips them, and reports whether it changed any.
	ClipStocks(y []float64) bool
	// CheckFinite returns an error if a stock in y is NaN or infinite at t.
	CheckFinite(t float64, y []float64) error
	// BlameStep explains err, a stock that became NaN or infinite in the
	// step that evaluated the model at the given times and states.
	BlameStep(err error, times []float64, states [][]float64) error
	// Clone returns a copy of the run with slots of its own.
	Clone() System
	// Needs says which of the calls between evaluations do anything in
	// this run; the fixed-step loop leaves out the others.
	Needs() StepNeeds
}

// StepNeeds says which of a System's calls between evaluations a run
// needs: a call it does not need does nothing.
type StepNeeds struct {
	Guards   bool // CheckGuards after the first step: a guard's value varies
	Discrete bool // Capture and Advance: previous, delay or random state
	Clip     bool // ClipStocks: the run clips non-negative stocks
}

// integrator is one integration of a System.
type integrator struct {
	sys System
	p   *Program
	s   *Steps
	n   int // number of stocks
}

// Integrate runs sys from s.Start to the last step with s.Method:
// euler, rk2 and rk4 with a fixed step, rk45 with error control. It
// honours ctx. For a free rk45 run (one with no discrete state), it
// returns the states at the save points, from which Refiner locates
// crossings; otherwise nil.
func Integrate(ctx context.Context, sys System, p *Program, s *Steps) ([][]float64, error) {
	r := &integrator{sys: sys, p: p, s: s, n: len(p.Stocks)}
	if s.Method == "rk45" {
		return r.adaptive(ctx)
	}
	return nil, r.fixed(ctx)
}

// stocks returns a copy of the stocks' current values.
func (r *integrator) stocks() []float64 {
	y := make([]float64, r.n)
	copy(y, r.sys.Slots()[r.p.StockLo:int(r.p.StockLo)+r.n])
	return y
}

// fixed runs euler, rk2 (Heun) or rk4 with a fixed step. Each step starts
// with an evaluation at the step's start, whose values are the ones
// recorded; discrete state (previous, delay, random draws) moves on between
// steps, and step-time functions (pulse, step) hold through a step's
// stages.
func (r *integrator) fixed(ctx context.Context) error {
	s := r.s
	n := r.n
	y := r.stocks()
	if s.Method == "euler" && n > 0 {
		// Euler evaluates only at the state itself, so the state can live
		// in the slots, and eval need not copy it there.
		lo := int(r.p.StockLo)
		y = r.sys.Slots()[lo : lo+n : lo+n]
	}
	if err := r.sys.CheckFinite(s.Start, y); err != nil {
		return err
	}
	// The slopes, a stage's state and the state at the step's start (to
	// explain a failure), in one allocation.
	buf := make([]float64, 6*n)
	k1, k2, k3 := buf[0:n:n], buf[n:2*n:2*n], buf[2*n:3*n:3*n]
	k4, tmp, y0 := buf[3*n:4*n:4*n], buf[4*n:5*n:5*n], buf[5*n:6*n:6*n]
	h := s.DT
	v := r.sys.Slots()
	needs := r.sys.Needs()
	// A plain Euler step updates the stocks, keeps their values at the
	// step's start and sums them in one pass; CheckFinite runs only when
	// the sum is not finite, and finds the same stock it would have.
	plain := s.Method == "euler" && !needs.Clip
	// Each step's time is the one computed as the last step's next, and
	// the save points are counted down: a step computes one time and no
	// remainder.
	next, save := s.At(0), 0
	for i := 0; ; i++ {
		t := next
		next = s.At(i + 1)
		v[SlotTStep] = t
		r.sys.Eval(t, h, y, k1)
		if save == 0 {
			r.sys.Record(t)
			save = s.SaveK
		}
		save--
		if i == 0 || needs.Guards {
			if err := r.sys.CheckGuards(t); err != nil {
				return err
			}
		}
		if i == s.NSteps {
			return nil
		}
		if needs.Discrete {
			r.sys.Capture()
		}
		check := true
		if plain {
			// The sum of the stocks is finite when they all are, and
			// NaN or infinite when one is; a finite sum that overflows
			// only sends the check to CheckFinite, which finds nothing.
			var s0, s1, s2, s3 float64
			j := 0
			for ; j+4 <= len(y); j += 4 {
				w, w0, k := y[j:j+4:j+4], y0[j:j+4:j+4], k1[j:j+4:j+4]
				w0[0], w0[1], w0[2], w0[3] = w[0], w[1], w[2], w[3]
				a, b, c, d := w[0]+h*k[0], w[1]+h*k[1], w[2]+h*k[2], w[3]+h*k[3]
				w[0], w[1], w[2], w[3] = a, b, c, d
				s0 += a
				s1 += b
				s2 += c
				s3 += d
			}
			for ; j < len(y); j++ {
				a := y[j]
				y0[j] = a
				a += h * k1[j]
				y[j] = a
				s0 += a
			}
			sum := (s0 + s1) + (s2 + s3)
			check = sum-sum != 0
		} else {
			r.step(s.Method, t, next, h, y, y0, tmp, k1, k2, k3, k4)
			if needs.Clip {
				r.sys.ClipStocks(y)
			}
		}
		if check {
			if err := r.sys.CheckFinite(next, y); err != nil {
				return r.sys.BlameStep(err, stageTimes(s.Method, t, h), stageStates(s.Method, h, y0, k1, k2, k3))
			}
		}
		if needs.Discrete {
			r.sys.Advance()
		}
		if i&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
}

// step moves the stocks y on by one fixed step of h from t to next by
// method, keeping their values at t in y0; tmp and k2 to k4 are scratch,
// k1 holds the rates at t.
func (r *integrator) step(method string, t, next, h float64, y, y0, tmp, k1, k2, k3, k4 []float64) {
	copy(y0, y)
	switch method {
	case "euler":
		for j := range y {
			y[j] += h * k1[j]
		}
	case "rk2":
		for j := range y {
			tmp[j] = y[j] + h*k1[j]
		}
		r.sys.Eval(next, h, tmp, k2)
		for j := range y {
			y[j] += h / 2 * (k1[j] + k2[j])
		}
	case "rk4":
		for j := range y {
			tmp[j] = y[j] + h/2*k1[j]
		}
		r.sys.Eval(t+h/2, h, tmp, k2)
		for j := range y {
			tmp[j] = y[j] + h/2*k2[j]
		}
		r.sys.Eval(t+h/2, h, tmp, k3)
		for j := range y {
			tmp[j] = y[j] + h*k3[j]
		}
		r.sys.Eval(next, h, tmp, k4)
		for j := range y {
			y[j] += h / 6 * (k1[j] + 2*k2[j] + 2*k3[j] + k4[j])
		}
	}
}

// stageTimes returns the times at which a step of method from t evaluates
// the model, in order.
func stageTimes(method string, t, h float64) []float64 {
	switch method {
	case "rk2":
		return []float64{t, t + h}
	case "rk4":
		return []float64{t, t + h/2, t + h/2, t + h}
	}
	return []float64{t}
}

// stageStates rebuilds the states at which a step of method from y0
// evaluated the model, given its slopes k1, k2, k3.
func stageStates(method string, h float64, y0, k1, k2, k3 []float64) [][]float64 {
	at := func(c float64, k []float64) []float64 {
		y := make([]float64, len(y0))
		for j := range y {
			y[j] = y0[j] + c*k[j]
		}
		return y
	}
	switch method {
	case "rk2":
		return [][]float64{y0, at(h, k1)}
	case "rk4":
		return [][]float64{y0, at(h/2, k1), at(h/2, k2), at(h, k3)}
	}
	return [][]float64{y0}
}

// Dormand–Prince 5(4) coefficients (Hairer, Nørsett & Wanner, DOPRI5).
const (
	dpC2, dpC3, dpC4, dpC5 = 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9

	dpA21 = 1.0 / 5
	dpA31 = 3.0 / 40
	dpA32 = 9.0 / 40
	dpA41 = 44.0 / 45
	dpA42 = -56.0 / 15
	dpA43 = 32.0 / 9
	dpA51 = 19372.0 / 6561
	dpA52 = -25360.0 / 2187
	dpA53 = 64448.0 / 6561
	dpA54 = -212.0 / 729
	dpA61 = 9017.0 / 3168
	dpA62 = -355.0 / 33
	dpA63 = 46732.0 / 5247
	dpA64 = 49.0 / 176
	dpA65 = -5103.0 / 18656
	dpA71 = 35.0 / 384
	dpA73 = 500.0 / 1113
	dpA74 = 125.0 / 192
	dpA75 = -2187.0 / 6784
	dpA76 = 11.0 / 84

	dpE1 = 71.0 / 57600
	dpE3 = -71.0 / 16695
	dpE4 = 71.0 / 1920
	dpE5 = -17253.0 / 339200
	dpE6 = 22.0 / 525
	dpE7 = -1.0 / 40

	dpD1 = -12715105075.0 / 11282082432
	dpD3 = 87487479700.0 / 32700410799
	dpD4 = -10690763975.0 / 1880347072
	dpD5 = 701980252875.0 / 199316789632
	dpD6 = -1453857185.0 / 822651844
	dpD7 = 69997945.0 / 29380423
)

// dopri is the scratch of the Dormand–Prince integrator.
type dopri struct {
	r                          *integrator
	k1, k2, k3, k4, k5, k6, k7 []float64
	y1, tmp                    []float64
	dense                      [5][]float64 // continuous extension of the last step
	t, h                       float64      // the last accepted step
	steps                      int
}

func newDopri(r *integrator) *dopri {
	n := r.n
	d := &dopri{r: r}
	for _, p := range []*[]float64{&d.k1, &d.k2, &d.k3, &d.k4, &d.k5, &d.k6, &d.k7, &d.y1, &d.tmp} {
		*p = make([]float64, n)
	}
	for i := range d.dense {
		d.dense[i] = make([]float64, n)
	}
	return d
}

// at sets out to the state at time t within the last accepted step.
func (d *dopri) at(t float64, out []float64) {
	th := (t - d.t) / d.h
	th1 := 1 - th
	c := &d.dense
	for i := range out {
		out[i] = c[0][i] + th*(c[1][i]+th1*(c[2][i]+th*(c[3][i]+th1*c[4][i])))
	}
}

// integrate advances y from t0 to t1 with error-controlled steps,
// starting with step h; d.k1 must hold the rates at (t0, y). After each
// accepted step it calls onStep (when not nil) with the step's span;
// d.at gives the state inside it. It returns the step size to try next.
func (d *dopri) integrate(ctx context.Context, t0, t1 float64, y []float64, h float64, onStep func(t, h float64) error) (float64, error) {
	r := d.r
	s := r.s
	t := t0
	rejected := false
	for t < t1 {
		if s.MaxStep > 0 {
			h = math.Min(h, s.MaxStep)
		}
		last := false
		if t+h >= t1-1e-12*math.Max(1, math.Abs(t1)) {
			h = t1 - t
			last = true
		}
		if h < 1e-12*math.Max(1, math.Abs(t)) {
			return h, fmt.Errorf("rk45: the step size fell below %g at t=%s; the model changes too abruptly for adaptive steps: use a fixed-step method (euler, rk4) or loosen rel_tol", h, strconv.FormatFloat(t, 'g', -1, 64))
		}
		d.steps++
		if d.steps > s.MaxSteps {
			return h, fmt.Errorf("rk45: more than %d steps; raise the limit (RunOptions.MaxSteps, --max-steps) or loosen rel_tol", s.MaxSteps)
		}
		if d.steps&255 == 0 {
			if err := ctx.Err(); err != nil {
				return h, err
			}
		}
		k1, k2, k3, k4, k5, k6, k7, tmp, y1 := d.k1, d.k2, d.k3, d.k4, d.k5, d.k6, d.k7, d.tmp, d.y1
		for i := range y {
			tmp[i] = y[i] + h*dpA21*k1[i]
		}
		r.sys.Eval(t+dpC2*h, h, tmp, k2)
		for i := range y {
			tmp[i] = y[i] + h*(dpA31*k1[i]+dpA32*k2[i])
		}
		r.sys.Eval(t+dpC3*h, h, tmp, k3)
		for i := range y {
			tmp[i] = y[i] + h*(dpA41*k1[i]+dpA42*k2[i]+dpA43*k3[i])
		}
		r.sys.Eval(t+dpC4*h, h, tmp, k4)
		for i := range y {
			tmp[i] = y[i] + h*(dpA51*k1[i]+dpA52*k2[i]+dpA53*k3[i]+dpA54*k4[i])
		}
		r.sys.Eval(t+dpC5*h, h, tmp, k5)
		for i := range y {
			tmp[i] = y[i] + h*(dpA61*k1[i]+dpA62*k2[i]+dpA63*k3[i]+dpA64*k4[i]+dpA65*k5[i])
		}
		r.sys.Eval(t+h, h, tmp, k6)
		for i := range y {
			y1[i] = y[i] + h*(dpA71*k1[i]+dpA73*k3[i]+dpA74*k4[i]+dpA75*k5[i]+dpA76*k6[i])
		}
		r.sys.Eval(t+h, h, y1, k7)
		sum := 0.0
		for i := range y {
			e := h * (dpE1*k1[i] + dpE3*k3[i] + dpE4*k4[i] + dpE5*k5[i] + dpE6*k6[i] + dpE7*k7[i])
			sc := s.AbsTol + s.RelTol*math.Max(math.Abs(y[i]), math.Abs(y1[i]))
			sum += (e / sc) * (e / sc)
		}
		err := 0.0
		if len(y) > 0 {
			err = math.Sqrt(sum / float64(len(y)))
		}
		if math.IsNaN(err) {
			if cerr := r.sys.CheckFinite(t+h, y1); cerr != nil && h < 1e-6*math.Max(1, math.Abs(t)) {
				return h, cerr
			}
			err = math.Inf(1)
		}
		if err <= 1 {
			c := &d.dense
			for i := range y {
				diff := y1[i] - y[i]
				b := h*k1[i] - diff
				c[0][i] = y[i]
				c[1][i] = diff
				c[2][i] = b
				c[3][i] = diff - h*k7[i] - b
				c[4][i] = h * (dpD1*k1[i] + dpD3*k3[i] + dpD4*k4[i] + dpD5*k5[i] + dpD6*k6[i] + dpD7*k7[i])
			}
			d.t, d.h = t, h
			if last {
				t = t1
			} else {
				t += h
			}
			copy(y, y1)
			copy(k1, k7)
			if r.sys.ClipStocks(y) {
				r.sys.Eval(t, h, y, k1)
			}
			if cerr := r.sys.CheckFinite(t, y); cerr != nil {
				return h, cerr
			}
			if cerr := r.sys.CheckGuards(t); cerr != nil {
				return h, cerr
			}
			if onStep != nil {
				if e := onStep(d.t, d.h); e != nil {
					return h, e
				}
			}
			fac := 10.0
			if err > 0 {
				fac = math.Min(10, math.Max(0.2, 0.9*math.Pow(err, -0.2)))
			}
			if rejected {
				fac = math.Min(fac, 1)
			}
			rejected = false
			if !last {
				h *= fac
			}
		} else {
			h *= math.Max(0.2, 0.9*math.Pow(err, -0.2))
			rejected = true
		}
	}
	return h, nil
}

// adaptive runs rk45. A model with discrete state or step-time functions
// is integrated from one dt grid point to the next, the discrete state
// moving on at each; any other model is integrated freely, and its save
// points are read off the solver's dense output.
func (r *integrator) adaptive(ctx context.Context) ([][]float64, error) {
	s := r.s
	d := newDopri(r)
	y := r.stocks()
	if err := r.sys.CheckFinite(s.Start, y); err != nil {
		return nil, err
	}
	h := s.DT
	if r.p.GridOnly {
		var err error
		for i := 0; ; i++ {
			t := s.At(i)
			r.sys.Slots()[SlotTStep] = t
			r.sys.Eval(t, s.DT, y, d.k1)
			if i%s.SaveK == 0 {
				r.sys.Record(t)
			}
			if err := r.sys.CheckGuards(t); err != nil {
				return nil, err
			}
			if i == s.NSteps {
				return nil, nil
			}
			r.sys.Capture()
			h, err = d.integrate(ctx, t, s.At(i+1), y, h, nil)
			if err != nil {
				return nil, err
			}
			r.sys.Advance()
		}
	}
	r.sys.Eval(s.Start, h, y, d.k1)
	r.sys.Record(s.Start)
	if err := r.sys.CheckGuards(s.Start); err != nil {
		return nil, err
	}
	nSave := s.NSteps / s.SaveK
	next := 1
	saveAt := func(j int) float64 { return s.At(j * s.SaveK) }
	states := [][]float64{append([]float64(nil), y...)}
	ys := make([]float64, r.n)
	scratch := make([]float64, r.n)
	end := saveAt(nSave)
	_, err := d.integrate(ctx, s.Start, end, y, h, func(t, h float64) error {
		for next <= nSave && saveAt(next) <= t+h+1e-9*s.Save {
			ts := saveAt(next)
			d.at(ts, ys)
			r.sys.Eval(ts, h, ys, scratch)
			r.sys.Record(ts)
			states = append(states, append([]float64(nil), ys...))
			next++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return states, nil
}

// Refiner returns a function that locates a crossing of level by the
// variable name between save points i and i+1 of a free rk45 run of
// sys, on the dense output of a fresh integration between them: states
// are the save points' states, as Integrate returned them, and times
// their times. It works on a copy of sys, which it leaves alone.
func Refiner(sys System, p *Program, s *Steps, states [][]float64, times []float64) func(name string, i int, level float64) (float64, bool) {
	return func(name string, i int, level float64) (float64, bool) {
		idx, ok := p.ByName[name]
		if !ok || i+1 >= len(states) || i+1 >= len(times) {
			return 0, false
		}
		// A private copy of the run, so that Crossings never disturbs it.
		rr := &integrator{sys: sys.Clone(), p: p, s: s, n: len(p.Stocks)}
		v := rr.sys.Slots()
		slot := p.Vars[idx].Slot
		d := newDopri(rr)
		y := append([]float64(nil), states[i]...)
		ys := make([]float64, rr.n)
		scratch := make([]float64, rr.n)
		value := func(t, h float64) float64 {
			d.at(t, ys)
			rr.sys.Eval(t, h, ys, scratch)
			return v[slot] - level
		}
		t0, t1 := times[i], times[i+1]
		rr.sys.Eval(t0, s.DT, y, d.k1)
		prev := v[slot] - level
		found, tc := false, 0.0
		_, err := d.integrate(context.Background(), t0, t1, y, s.DT, func(t, h float64) error {
			if found {
				return nil
			}
			b := value(t+h, h)
			if (prev < 0 && b >= 0) || (prev > 0 && b <= 0) {
				lo, hi := t, t+h
				fa := prev
				for k := 0; k < 60 && hi-lo > 1e-15*math.Max(1, math.Abs(hi)); k++ {
					mid := (lo + hi) / 2
					fm := value(mid, h)
					if (fa < 0 && fm >= 0) || (fa > 0 && fm <= 0) {
						hi = mid
					} else {
						lo, fa = mid, fm
					}
				}
				found, tc = true, (lo+hi)/2
			}
			prev = b
			return nil
		})
		if err != nil || !found {
			return 0, false
		}
		return tc, true
	}
}
