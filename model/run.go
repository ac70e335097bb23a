package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model/internal/vm"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// settings are a run's resolved simulation settings.
type settings struct {
	vm.Steps
	notes []string // what the settings chose that the user did not ask for
}

// decimalSteps sets num0, num and den when start and dt are decimals
// whose step times start + i·dt, scaled to whole numbers, stay exact in
// float64 up to the last step.
func (s *settings) decimalSteps() {
	for den := 1.0; den <= 1e9; den *= 10 {
		n0, n := math.Round(s.Start*den), math.Round(s.DT*den)
		if n0/den != s.Start || n/den != s.DT || n < 1 {
			continue
		}
		if last := math.Abs(n0) + float64(s.NSteps+1)*n; last < 1<<53 {
			s.Num0, s.Num, s.Den = n0, n, den
		}
		return
	}
}

func (m *Model) settings(opt RunOptions) (settings, error) {
	sim := m.Decl.Sim
	s := settings{Steps: vm.Steps{
		Method: sim.Method, Start: sim.Start, Stop: sim.Stop, DT: sim.DT, Save: sim.SaveEvery,
		RelTol: sim.RelTol, AbsTol: sim.AbsTol, MaxStep: sim.MaxStep, MaxSteps: DefaultMaxSteps,
	}}
	if s.Method == "" {
		s.Method = decl.DefaultMethod
	}
	if opt.Method != "" {
		s.Method = strings.ToLower(opt.Method)
	}
	if opt.DT != 0 {
		s.DT = opt.DT
		switch {
		case opt.SaveEvery != 0:
		case s.Save == 0 || s.Save == sim.DT:
			s.Save = 0 // saved at every step, as the model is
		case !isMultiple(s.Save, s.DT):
			// The file's own interval no longer fits: save at every step.
			s.notes = append(s.notes, fmt.Sprintf("save_every %s is not a whole multiple of dt %s: saving every %s (set the output interval to choose another)", fmtNum(s.Save), fmtNum(s.DT), fmtNum(s.DT)))
			s.Save = 0
		}
	}
	if opt.StartSet || opt.Start != 0 {
		s.Start = opt.Start
	}
	if opt.StopSet || opt.Stop != 0 {
		s.Stop = opt.Stop
	}
	if opt.SaveEvery != 0 {
		s.Save = opt.SaveEvery
	}
	if opt.RelTol != 0 {
		s.RelTol = opt.RelTol
	}
	if opt.AbsTol != 0 {
		s.AbsTol = opt.AbsTol
	}
	if opt.MaxStep != 0 {
		s.MaxStep = opt.MaxStep
	}
	if opt.MaxSteps != 0 {
		s.MaxSteps = opt.MaxSteps
	}
	if s.RelTol == 0 {
		s.RelTol = decl.DefaultRelTol
	}
	if s.AbsTol == 0 {
		s.AbsTol = decl.DefaultAbsTol
	}
	if s.Save == 0 {
		s.Save = s.DT
	}
	rule := sim.NonNegative
	if opt.NonNegative != "" {
		rule = opt.NonNegative
	}
	switch rule {
	case "", "cut_outflows":
	case "clip_stock":
		s.Clip = true
	default:
		return s, fmt.Errorf("unknown non_negative rule %q (want cut_outflows or clip_stock)", rule)
	}
	if !slices.Contains(decl.Methods, s.Method) {
		msg := fmt.Sprintf("unknown method %q (want euler, rk2, rk4 or rk45)", s.Method)
		if sg := suggest(s.Method, decl.Methods); sg != "" {
			msg = fmt.Sprintf("unknown method %q (did you mean %q?)", s.Method, sg)
		}
		return s, errors.New(msg)
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case !finite(s.Start) || !finite(s.Stop) || !finite(s.DT) || !finite(s.Save):
		return s, errors.New("start, stop, dt and save_every must be finite numbers")
	case !(s.DT > 0):
		return s, fmt.Errorf("dt must be greater than 0, got %s", fmtNum(s.DT))
	case !(s.Stop > s.Start):
		return s, fmt.Errorf("stop (%s) must be after start (%s)", fmtNum(s.Stop), fmtNum(s.Start))
	case !(s.Save > 0):
		return s, fmt.Errorf("save_every must be greater than 0, got %s", fmtNum(s.Save))
	case s.MaxSteps < 0:
		return s, fmt.Errorf("the step limit must be positive, got %d", s.MaxSteps)
	}
	if msg := decl.CheckTimeResolution(s.Start, s.Stop, s.DT); msg != "" {
		return s, errors.New(msg)
	}
	if s.Method == "rk45" {
		for _, msg := range []string{decl.CheckRelTol(s.RelTol), decl.CheckAbsTol(s.AbsTol)} {
			if msg != "" {
				return s, errors.New(msg)
			}
		}
	}
	if !isMultiple(s.Save, s.DT) {
		return s, fmt.Errorf("save_every (%s) must be a whole multiple of dt (%s)", fmtNum(s.Save), fmtNum(s.DT))
	}
	s.SaveK = int(math.Round(s.Save / s.DT))
	steps := decl.Steps(s.Start, s.Stop, s.DT)
	if steps > float64(s.MaxSteps) {
		return s, fmt.Errorf("the run would take %.4g steps, more than the limit of %d; use a larger dt or raise the limit (RunOptions.MaxSteps, --max-steps)", steps, s.MaxSteps)
	}
	s.NSteps = int(steps)
	s.decimalSteps()
	return s, nil
}

// isMultiple reports whether save is a whole multiple of dt, one or more
// times it, to within rounding.
func isMultiple(save, dt float64) bool {
	k := math.Round(save / dt)
	return k >= 1 && math.Abs(k*dt-save) <= 1e-9*save
}

// run is the state of one run. Nothing in it is shared with other runs.
type run struct {
	p      *vm.Program
	tables []vm.Table // the Program's tables, each remembering its last segment for this run
	native *Native    // generated code, or nil
	kernel *Kernel
	s      settings
	v      []float64 // slot values
	n      int       // number of stocks
	rng    *rand.Rand
	own    []*rand.Rand // per-draw generators for draws with their own seed

	pending []float64   // values recorded at the start of the step: previous inputs, then pipeline inputs
	rings   [][]float64 // pipeline buffers (nil for a variable delay time)
	heads   []int
	convs   []*conveyor // per pipeline: the state of delay_material or delay_information, else nil
	step    int         // the step Advance moves on from, counted from 0

	outRows rowLayout  // how record copies the outputs into the Result's rows
	dynCode []vm.Instr // when not nil: the part of flowCode the stocks' rates need
	outCode []vm.Instr // the rest of flowCode that the outputs need, run only at save points

	nativeRates bool // generated code: Rates at each evaluation, Flow (or Rest) at save points
	outVM       bool // with nativeRates: outCode, in the interpreter, at save points instead
	res         *Result

	// varLo and varHi bound the slots of the flows and aux, which record
	// looks through for a NaN or infinity that did not reach a stock, until
	// it has found one (sawNonFinite).
	varLo, varHi int
	sawNonFinite bool
	// rowLeft is 0 before the first save point, then the number of save
	// points to come that checkRow checks, or -1 when none.
	rowLeft int

	ranges rangeCheck // the variables with a declared range, checked at save points

	guarded bool // CheckGuards has checked every guard, the fixed ones once for all
}

// Slots returns the run's slot values (vm.System).
func (r *run) Slots() []float64 { return r.v }

// Clone returns a copy of the run with slots of its own (vm.System).
func (r *run) Clone() vm.System {
	cp := *r
	cp.v = append([]float64(nil), r.v...)
	cp.cacheTables()
	return &cp
}

// cacheTables gives the run copies of the lookups that remember their
// last segment, for the interpreter and for generated code's Kernel.
func (r *run) cacheTables() {
	if r.native != nil {
		r.kernel = newKernel(r.p)
		r.tables = r.kernel.tables
		return
	}
	r.tables = vm.Cached(r.p.Tables)
}

// runScratch is the storage of a run that its Result keeps, for a run
// given that Result to reuse (RunOptions.Reuse): the slots, and the
// copies of the tables whose segments the run moves (with generated code,
// in its Kernel).
type runScratch struct {
	p      *vm.Program // of the run that made it
	v      []float64
	tables []vm.Table
	segs   []vm.Segment
	kernel *Kernel
}

// takeScratch gives the run its slots and its copies of the tables: those
// of sc, when a run before made them, with every segment forgotten; else
// new ones, which sc keeps.
func (r *run) takeScratch(sc *runScratch) {
	if sc.p == nil {
		sc.p, sc.v = r.p, make([]float64, r.p.NSlots)
		if r.native != nil {
			sc.kernel = newKernel(r.p)
			sc.tables, sc.segs = sc.kernel.tables, sc.kernel.segs
		} else {
			sc.tables, sc.segs = vm.CachedSegments(r.p.Tables)
		}
	}
	r.v, r.tables = sc.v, sc.tables
	if sc.kernel != nil {
		r.kernel = sc.kernel
	}
	clear(sc.segs)
}

// stocks returns a copy of the stocks' current values.
func (r *run) stocks() []float64 {
	y := make([]float64, r.n)
	copy(y, r.v[r.p.StockLo:int(r.p.StockLo)+r.n])
	return y
}

// Run simulates the model. It honours ctx: a cancelled run stops within a
// few thousand steps and returns ctx's error. A run that produces NaN or
// an infinity in a stock stops with an error naming the first variable,
// in evaluation order, that became one, with its equation, its inputs'
// values and the time, and then the stock; one that is NaN or infinite
// at a save point in a flow or aux the run records while the stocks stay
// finite (a lookup clamped it) is a warning in Result.Warnings, naming
// the first flow or aux, in evaluation order, that was, recorded or not.
// A NaN or infinity in a flow or aux the run does not record that reaches
// neither a stock nor a recorded value goes unreported, except at the
// first save point and at the last (and under rk45, at every one).
func (m *Model) Run(ctx context.Context, opt RunOptions) (*Result, error) {
	s, err := m.settings(opt)
	if err != nil {
		return nil, err
	}
	r, err := m.newRun(s, opt)
	if err != nil {
		return nil, err
	}
	states, err := vm.Integrate(ctx, r, r.p, &r.s.Steps)
	if err != nil {
		return nil, err
	}
	if states != nil {
		r.res.refine = vm.Refiner(r, r.p, &r.s.Steps, states, r.res.Times)
	}
	r.finishRanges()
	return r.res, nil
}

// newRun readies a run: the slots at their values before the start,
// the params set, the random generators seeded, the outputs chosen, and
// every value computed at the start time.
func (m *Model) newRun(s settings, opt RunOptions) (*run, error) {
	p := m.prog
	r := &run{p: p, native: m.native, s: s, n: len(p.Stocks)}
	sc := &runScratch{}
	if re := opt.Reuse; re != nil && re.scratch != nil && re.scratch.p == p {
		sc = re.scratch // the storage of the run before, which the caller is done with
		re.scratch = nil
	}
	r.takeScratch(sc)
	copy(r.v, p.Consts)
	clear(r.v[len(p.Consts):])
	r.v[vm.SlotTime], r.v[vm.SlotTStep], r.v[vm.SlotDT] = s.Start, s.Start, s.DT
	r.v[vm.SlotStart], r.v[vm.SlotStop] = s.Start, s.Stop
	if err := r.setParams(m, opt); err != nil {
		return nil, err
	}
	r.seed(opt.Seed)
	outNames, index, err := m.outputs(opt)
	if err != nil {
		return nil, err
	}
	if err := r.startResult(m, opt, outNames, index); err != nil {
		return nil, err
	}
	r.res.scratch = sc
	if err := r.initialValues(); err != nil {
		return nil, err
	}
	return r, nil
}

// setParams gives the params their declared values, then the values of
// the run's overrides (the scenario's, then RunOptions.Set).
func (r *run) setParams(m *Model, opt RunOptions) error {
	p := r.p
	for _, v := range p.Vars {
		if v.Role == vm.Param {
			r.v[v.Slot] = v.Src.Value
		}
	}
	set, err := m.paramSet(opt)
	if err != nil {
		return err
	}
	var names []string
	for name := range set {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		i, ok := p.ByName[name]
		var elems []string
		if !ok {
			elems = m.elementsOf(name)
		}
		if len(elems) > 0 {
			// An arrayed param named bare: every element takes the value.
			for _, e := range elems {
				if v := p.Vars[p.ByName[e]]; v.Role == vm.Param {
					r.v[v.Slot] = set[name]
				} else {
					return fmt.Errorf("cannot set %q: its elements are %s, and only params can be set", name, article(v.Src.Kind.String()))
				}
			}
			continue
		}
		if !ok || p.Vars[i].Hidden {
			msg := fmt.Sprintf("cannot set %q: the model has no such param", name)
			if sg := suggest(name, m.paramNames()); sg != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sg)
			}
			return errors.New(msg)
		}
		if v := p.Vars[i]; v.Role != vm.Param {
			return fmt.Errorf("cannot set %q: it is %s, and only params can be set", name, article(v.Src.Kind.String()))
		}
		r.v[p.Vars[i].Slot] = set[name]
	}
	return nil
}

// seed makes the run's random generators: one for the draws without a
// seed of their own, and one per draw with its own seed.
func (r *run) seed(seed uint64) {
	p := r.p
	if len(p.Randoms) == 0 {
		return // nothing draws
	}
	if seed == 0 {
		seed = 1
	}
	r.rng = rand.New(rand.NewPCG(seed, 0x5eed5eed))
	r.own = make([]*rand.Rand, len(p.Randoms))
	for k, i := range p.Randoms {
		if sd := p.Vars[i].Seed; sd >= 0 {
			r.own[k] = rand.New(rand.NewPCG(uint64(sd), seed))
		}
	}

}

// outputs returns the names of the variables the run records: those
// RunOptions.Vars names (an arrayed variable's bare name standing for
// all its elements), or every stock, flow and aux (and param with
// RunOptions.All).
//
// For a run that names no outputs, it also returns the map from each
// output's name to its position, made once per model; otherwise nil.
func (m *Model) outputs(opt RunOptions) ([]string, map[string]int, error) {
	p := m.prog
	var outNames []string
	if opt.Vars == nil && !opt.All {
		m.allOnce.Do(func() {
			for _, v := range m.Decl.Vars {
				if v.Kind == decl.Stock || v.Kind == decl.Flow || v.Kind == decl.Aux || v.Kind == decl.Data {
					m.allNames = append(m.allNames, v.Name)
				}
			}
			m.allIndex = make(map[string]int, len(m.allNames))
			m.allSlots = make([]int32, len(m.allNames))
			for i, n := range m.allNames {
				m.allIndex[n] = i
				m.allSlots[i] = p.Vars[p.ByName[n]].Slot
			}
			m.allRows = layoutRows(m.allSlots)
			m.allNeed = p.Needs(m.allNames)
		})
		if re := opt.Reuse; re != nil && slices.Equal(re.Names, m.allNames) {
			return re.Names, m.allIndex, nil // the Result's own copy, reused with it
		}
		return slices.Clone(m.allNames), m.allIndex, nil
	}
	if opt.Vars != nil {
		outNames = make([]string, 0, len(opt.Vars)) // more for a whole array
		for _, name := range opt.Vars {
			i, ok := p.ByName[name]
			var elems []string
			if !ok {
				elems = m.elementsOf(arrayBase(name))
			}
			if len(elems) > 0 {
				// An arrayed variable, bare or as x[*]: all its elements.
				outNames = append(outNames, elems...)
				continue
			}
			if !ok || p.Vars[i].Hidden {
				msg := fmt.Sprintf("unknown variable %q", name)
				if sg := suggest(name, append(m.Names(), m.paramNames()...)); sg != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sg)
				}
				return nil, nil, errors.New(msg)
			}
			if p.Vars[i].Role == vm.Lookup {
				return nil, nil, fmt.Errorf("%q is a lookup and has no value over time", name)
			}
			outNames = append(outNames, name)
		}
	} else {
		for _, v := range m.Decl.Vars {
			if v.Kind == decl.Stock || v.Kind == decl.Flow || v.Kind == decl.Aux || v.Kind == decl.Data || (opt.All && v.Kind == decl.Param) {
				outNames = append(outNames, v.Name)
			}
		}
	}

	return outNames, nil, nil
}

// startResult makes the run's Result for the outputs and, unless the run
// keeps a trace, plans what the flow code computes at each evaluation.
func (r *run) startResult(m *Model, opt RunOptions, outNames []string, index map[string]int) error {
	p, s := r.p, r.s
	all := index != nil // the default outputs
	if !all {
		if re := opt.Reuse; re != nil && re.index != nil && slices.Equal(re.Names, outNames) {
			index = re.index // the names of the run before, checked and indexed
		}
	}
	ranged := r.rangedVars(m)
	pl, err := m.planFor(s, outNames, all, ranged)
	if err != nil {
		return err
	}
	r.outRows = pl.rows
	if err := checkValues(s, opt, len(outNames), p.NSlots); err != nil {
		return err
	}
	r.res = newResult(outNames, s.NSteps/s.SaveK+2, s.Method, index, &r.outRows, opt.Reuse)
	r.res.model = m
	r.res.Warnings = slices.Clone(s.notes)
	r.varLo, r.varHi = int(p.StockLo)+r.n, int(p.StockLo)+r.n
	for _, i := range p.FlowVars {
		if sl := int(p.Vars[i].Slot); sl >= r.varHi {
			r.varHi = sl + 1
		}
	}
	if msg := decl.EndsEarly(s.Start, s.Stop, s.DT, s.Save); msg != "" {
		r.res.Warnings = append(r.res.Warnings, msg)
	}
	if opt.Trace {
		r.res.trace = &Trace{m: m, s: s}
	} else {
		r.dynCode, r.outCode = pl.dynCode, pl.outCode
		r.nativeRates, r.outVM = pl.nativeRates, pl.outVM
	}

	return nil
}

// checkValues refuses a run that would keep more numbers than
// RunOptions.MaxValues: a value of each output, and the time, at each
// save point, and with a trace the whole state too.
func checkValues(s settings, opt RunOptions, outputs, slots int) error {
	limit := opt.MaxValues
	if limit == 0 {
		limit = DefaultMaxValues
	}
	if limit < 0 {
		return nil
	}
	points := float64(s.NSteps/s.SaveK + 1)
	cols := float64(outputs + 1)
	if opt.Trace {
		cols += float64(slots + 1)
	}
	if n := points * cols; n > float64(limit) {
		return fmt.Errorf("the run would keep %.4g numbers (%.0f save points × %.0f columns, %s), more than the limit of %d; record fewer variables (--vars), save less often (--save-every) or raise the limit (RunOptions.MaxValues, --max-values)",
			n, points, cols, memSize(8*n), limit)
	}
	return nil
}

// memSize writes a number of bytes in MB, GB or TB, to two or three
// significant digits.
func memSize(b float64) string {
	switch {
	case b >= 1e12:
		return fmt.Sprintf("%.3g TB", b/1e12)
	case b >= 1e9:
		return fmt.Sprintf("%.3g GB", b/1e9)
	default:
		return fmt.Sprintf("%.3g MB", b/1e6)
	}
}

// initialValues draws the first random values, computes every value at
// the start time and fills each delay's pipeline with its initial value.
func (r *run) initialValues() error {
	p, s := r.p, r.s
	r.draw()
	if r.native != nil {
		r.native.Init(r.v, r.kernel)
	} else {
		vm.Exec(p.InitCode, r.v, r.tables, nil)
	}
	r.pending = make([]float64, len(p.Prevs)+len(p.Pipes))
	r.rings = make([][]float64, len(p.Pipes))
	r.heads = make([]int, len(p.Pipes))
	r.convs = make([]*conveyor, len(p.Pipes))
	r.step = 0
	for k, i := range p.Pipes {
		pv := p.Vars[i]
		if pv.Pipe != vm.FixedPipe {
			r.convs[k] = newConveyor(pv, r.v, r.p, s.NSteps)
			continue
		}
		T := r.v[p.Vars[pv.DelayT].Slot]
		if math.IsNaN(T) || T < 0 {
			return fmt.Errorf("%s: the delay time of delay must be 0 or more, got %s", pv.Key, fmtNum(T))
		}
		// Rounded to whole steps, at least one; a delay longer than the
		// run holds its initial value throughout, so the pipeline never
		// needs more than the run's steps.
		n := max(1, int(min(math.Round(T/s.DT), float64(s.NSteps+1))))
		ring := make([]float64, n)
		for j := range ring {
			ring[j] = r.v[pv.Slot]
		}
		r.rings[k] = ring
	}
	return nil
}

func (m *Model) paramNames() []string {
	var names []string
	for _, v := range m.Decl.Vars {
		if v.Kind == decl.Param {
			names = append(names, v.Name)
		}
	}
	return names
}

// draw refreshes the random draws; it runs at the start of each step.
func (r *run) draw() {
	p := r.p
	for k, i := range p.Randoms {
		rng := r.rng
		if r.own[k] != nil {
			rng = r.own[k]
		}
		v := p.Vars[i]
		if v.Role == vm.Normal {
			r.v[v.Slot] = rng.NormFloat64()
		} else {
			r.v[v.Slot] = rng.Float64()
		}
	}
}

// Eval computes the aux and flows at time t and stocks y, and the stocks'
// rates of change into dy. h is the current step, used to cut the
// outflows of non-negative stocks.
func (r *run) Eval(t, h float64, y, dy []float64) {
	p, v := r.p, r.v
	v[vm.SlotTime] = t
	if r.n > 0 && &y[0] != &v[p.StockLo] {
		copyShort(v[p.StockLo:int(p.StockLo)+r.n], y)
	}
	switch {
	case r.nativeRates:
		r.native.Rates(v, r.kernel)
	case r.native != nil:
		r.native.Flow(v, r.kernel)
	case r.dynCode != nil:
		vm.Exec(r.dynCode, v, r.tables, p.Vecs)
	default:
		vm.Exec(p.FastCode, v, r.tables, p.Vecs)
	}
	for _, i := range p.NonNeg {
		if r.s.Clip {
			break
		}
		avail := y[i] / h
		for _, s := range p.InIdx[i] {
			avail += v[s]
		}
		for _, s := range p.OutIdx[i] {
			out := v[s]
			if out > 0 {
				out = math.Min(out, math.Max(avail, 0))
				v[s] = out
			}
			avail -= out
		}
	}
	if r.native != nil && r.native.Derivs != nil {
		r.native.Derivs(v, dy)
		return
	}
	if len(p.NonNeg) == 0 {
		vm.Exec(p.FastRates, v, r.tables, p.Vecs)
		copyShort(dy, v[p.DyLo:int(p.DyLo)+len(dy)])
		return
	}
	for i := range dy {
		if s := p.RateOne[i]; s >= 0 {
			dy[i] = v[s] // a single inflow, as most stocks have
			continue
		}
		d := 0.0
		for k := p.RateLo[i]; k < p.RateLo[i+1]; k++ {
			d += p.RateSign[k] * v[p.RateSlot[k]]
		}
		dy[i] = d
	}
}

// Record stores the outputs at time t; the slots hold the values at t,
// what the rates need computed by eval at t.
func (r *run) Record(t float64) {
	switch {
	case r.outVM:
		vm.Exec(r.outCode, r.v, r.tables, r.p.Vecs)
	case r.nativeRates && r.native.Rest != nil:
		r.native.Rest(r.v, r.kernel)
	case r.nativeRates:
		r.native.Flow(r.v, r.kernel)
	case len(r.outCode) > 0:
		vm.Exec(r.outCode, r.v, r.tables, r.p.Vecs)
	}
	res := r.res
	row := res.add(t, r.v, &r.outRows)
	if !r.sawNonFinite && r.varHi > r.varLo {
		if r.rowLeft > 0 {
			r.checkRow(t, row)
		} else {
			r.checkVars(t, len(row))
		}
	}
	if len(r.ranges.slots) > 0 {
		r.ranges.check(t, r.v)
	}
	if tr := res.trace; tr != nil {
		tr.Times = append(tr.Times, t)
		tr.states = append(tr.states, append([]float64(nil), r.v...))
	}
}

// checkVars warns, once, of a flow or aux that is NaN or infinite at a
// save point though the run goes on: a lookup, min, max or comparison
// downstream absorbed it, and the stocks never saw it. It names the first
// flow or aux, in evaluation order, that is NaN or infinite.
//
// It looks at every flow and aux at the first save point, at one after
// which the run takes no more steps, under rk45, and when the run records
// as many values as there are flows and aux; at the other save points,
// checkRow looks at what the user sees, the row just recorded. (A stock
// that became NaN or infinite stopped the run already, naming the first
// variable that was; BlameStep.) A NaN or infinity in a flow or aux the
// run does not record, that a lookup, min, max, comparison or the like
// turns back into a finite number before it reaches a stock or a recorded
// value, goes unreported there. width is the row's.
func (r *run) checkVars(t float64, width int) {
	if r.rowLeft == 0 {
		r.startCheck(width)
	}
	// The sum of the values is finite when they all are, and NaN or
	// infinite when one is. (Finite values whose sum overflows only send
	// the check to warnNonFinite, which finds nothing.) s - s is 0 for
	// finite s, NaN for NaN and ±Inf.
	if s := total(r.v[r.varLo:r.varHi]); s-s == 0 {
		return
	}
	r.warnNonFinite(t)
}

// checkRow is checkVars at a save point that looks only at row, the
// values just recorded.
func (r *run) checkRow(t float64, row []float64) {
	if r.rowLeft--; r.rowLeft == 0 {
		r.rowLeft = -1
	}
	if s := total(row); s-s != 0 && !allFinite(row) {
		r.warnNonFinite(t)
	}
}

// warnNonFinite warns of the first flow or aux, in evaluation order, that
// is NaN or infinite at save point t, if any.
func (r *run) warnNonFinite(t float64) {
	for _, i := range r.p.FlowVars {
		cv := r.p.Vars[i]
		x := r.v[cv.Slot]
		if x-x == 0 || cv.Hidden || cv.Src.Kind == decl.Data {
			continue // a data variable is NaN between points by design (interpolate = "none")
		}
		r.sawNonFinite = true
		msg := fmt.Sprintf("%s.eq: %s was %s at t=%s (%s", cv.Src.Key, cv.Src.Name, fmtNum(x), fmtNum(t), cv.Src.Eq.Text)
		if in := r.inputValues(cv); in != "" {
			msg += " with " + in
		}
		r.res.Warnings = append(r.res.Warnings, msg+"), yet the run went on: a lookup, min, max or comparison that uses it hid the value; check the equation")
		return
	}
}

// startCheck readies the checks at the first save point, given the width
// of the rows: the save points after it are checkRow's, but for the last
// when the run takes no step after it, unless the run is rk45 or the row
// is as wide as the flows and aux.
func (r *run) startCheck(width int) {
	s := &r.s
	r.rowLeft = -1
	if s.Method == "rk45" || width >= r.varHi-r.varLo || s.SaveK <= 0 {
		return
	}
	n := s.NSteps / s.SaveK // save points after the first
	if s.NSteps%s.SaveK == 0 {
		n--
	}
	if n > 0 {
		r.rowLeft = n
	}
}

// total returns the sum of v: one addition a value, four sums, so that the
// additions do not wait on each other.
func total(v []float64) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+8 <= len(v); i += 8 {
		w := v[i : i+8 : i+8]
		s0 += w[0] + w[4]
		s1 += w[1] + w[5]
		s2 += w[2] + w[6]
		s3 += w[3] + w[7]
	}
	if i+4 <= len(v) {
		w := v[i : i+4 : i+4]
		s0 += w[0]
		s1 += w[1]
		s2 += w[2]
		s3 += w[3]
		i += 4
	}
	for ; i < len(v); i++ {
		s0 += v[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// allFinite reports whether no value of v is NaN or infinite.
func allFinite(v []float64) bool {
	for _, x := range v {
		if x-x != 0 {
			return false
		}
	}
	return true
}

// Capture records the inputs of previous and delay at the start of a step.
func (r *run) Capture() {
	p := r.p
	k := 0
	for _, i := range p.Prevs {
		r.pending[k] = r.v[p.Vars[p.Vars[i].Input].Slot]
		k++
	}
	for j, i := range p.Pipes {
		r.pending[k] = r.v[p.Vars[p.Vars[i].Input].Slot]
		if cv := r.convs[j]; cv != nil {
			cv.t = r.v[p.Vars[p.Vars[i].DelayT].Slot]
		}
		k++
	}
}

// Advance moves the discrete state one step on.
func (r *run) Advance() {
	p := r.p
	k := 0
	for _, i := range p.Prevs {
		r.v[p.Vars[i].Slot] = r.pending[k]
		k++
	}
	for j, i := range p.Pipes {
		if cv := r.convs[j]; cv != nil {
			r.v[p.Vars[i].Slot] = cv.advance(r.step, r.pending[k], r.s.DT, r.s.NSteps)
			k++
			continue
		}
		ring := r.rings[j]
		h := r.heads[j]
		ring[h] = r.pending[k]
		h++
		if h == len(ring) {
			h = 0
		}
		r.heads[j] = h
		r.v[p.Vars[i].Slot] = ring[h]
		k++
	}
	r.step++
	r.draw()
}

// CheckFinite returns an error if a stock is NaN or infinite.
func (r *run) CheckFinite(t float64, y []float64) error {
	// The sum of the stocks is finite when they all are (checkVars); the
	// slow loop finds which one was not. A few stocks it checks itself:
	// x-x is 0 for finite x, NaN for NaN and ±Inf.
	if len(y) < 8 {
		for i, x := range y {
			if x-x != 0 {
				return r.nonFinite(t, i, x)
			}
		}
		return nil
	}
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(y); i += 4 {
		s0 += y[i]
		s1 += y[i+1]
		s2 += y[i+2]
		s3 += y[i+3]
	}
	for ; i < len(y); i++ {
		s0 += y[i]
	}
	if s := (s0 + s1) + (s2 + s3); s-s == 0 {
		return nil
	}
	for i, x := range y {
		if x-x != 0 {
			return r.nonFinite(t, i, x)
		}
	}
	return nil
}

func (r *run) nonFinite(t float64, i int, x float64) error {
	p := r.p
	sv := p.Vars[p.Stocks[i]]
	what := "NaN"
	if math.IsInf(x, 0) {
		what = "infinite"
	}
	name := sv.Src.Name
	key := sv.Src.Key
	// Name the flow equations behind it.
	var blame []string
	for _, j := range append(append([]int(nil), sv.Inflows...), sv.Outflows...) {
		f := p.Vars[j]
		fx := r.v[f.Slot]
		if math.IsNaN(fx) || math.IsInf(fx, 0) {
			blame = append(blame, fmt.Sprintf("%s = %s is %s (equation %q)", f.Src.Name, fmtNum(fx), "not finite", f.Src.Eq.Text))
		}
	}
	msg := fmt.Sprintf("%s: stock %s became %s at t=%s", key, name, what, fmtNum(t))
	if len(blame) > 0 {
		msg += ": " + strings.Join(blame, "; ")
	} else if sv.Hidden {
		msg = fmt.Sprintf("%s: the %s in the equation of %s became %s at t=%s (equation %q)", key, sv.Builtin, name, what, fmtNum(t), sv.Src.Eq.Text)
	}
	return &nonFiniteError{msg: msg, stock: name, what: what, t: t}
}

// nonFiniteError is a stock that became NaN or infinite.
type nonFiniteError struct {
	msg   string
	stock string  // the stock's name
	what  string  // "NaN" or "infinite"
	t     float64 // when
}

func (e *nonFiniteError) Error() string { return e.msg }

// BlameStep explains a stock that became NaN or infinite in the step
// from t: it evaluates the flow code at each state the step evaluated (the
// state at t, then each later stage's, given as times and states) and names
// the first variable, in evaluation order, whose value is NaN or infinite,
// with its equation and the values of its inputs. When no variable is
// (a stock grew past the largest float), err stands.
func (r *run) BlameStep(err error, times []float64, states [][]float64) error {
	for k, y := range states {
		if msg := r.firstNonFinite(times[k], y); msg != "" {
			if e, ok := err.(*nonFiniteError); ok {
				msg += fmt.Sprintf("; stock %s became %s at t=%s", e.stock, e.what, fmtNum(e.t))
			}
			return errors.New(msg)
		}
	}
	return err
}

// firstNonFinite evaluates every flow and aux at time t and stocks y, and
// describes the first, in evaluation order, that is NaN or infinite; ""
// when none is.
func (r *run) firstNonFinite(t float64, y []float64) string {
	p, v := r.p, r.v
	for _, x := range y {
		if x-x != 0 {
			return "" // not a state the step evaluated from
		}
	}
	v[vm.SlotTime] = t
	copy(v[p.StockLo:int(p.StockLo)+r.n], y)
	if r.native != nil {
		r.native.Flow(v, r.kernel)
	} else {
		vm.Exec(p.FastCode, v, r.tables, p.Vecs)
	}
	for _, i := range p.FlowVars {
		cv := p.Vars[i]
		x := v[cv.Slot]
		if x-x == 0 {
			continue
		}
		what := "NaN"
		if math.IsInf(x, 0) {
			what = fmtNum(x)
		}
		key, name := cv.Src.Key+".eq", cv.Src.Name
		if cv.Hidden {
			name = fmt.Sprintf("the %s in %s", cv.Builtin, cv.Src.Name)
		}
		msg := fmt.Sprintf("%s: %s became %s at t=%s: %s", key, name, what, fmtNum(t), cv.Src.Eq.Text)
		if in := r.inputValues(cv); in != "" {
			msg += " with " + in
		}
		return msg
	}
	return ""
}

// inputValues lists the current values of the variables cv's equation
// names: "throughput = 3.2, time = 2026".
func (r *run) inputValues(cv *vm.Var) string {
	if cv.Eq == nil {
		return ""
	}
	p := r.p
	var parts []string
	seen := map[string]bool{}
	syntax.Walk(cv.Eq, func(x syntax.Expr) bool {
		id, ok := x.(*syntax.Ident)
		if !ok || seen[id.Name] {
			return true
		}
		seen[id.Name] = true
		if id.Name == "time" {
			parts = append(parts, "time = "+fmtNum(r.v[vm.SlotTime]))
			return true
		}
		if i, ok := p.ByName[id.Name]; ok && p.Vars[i].Role != vm.Lookup {
			parts = append(parts, fmt.Sprintf("%s = %s", id.Name, fmtNum(r.v[p.Vars[i].Slot])))
		}
		return true
	})
	return strings.Join(parts, ", ")
}

// article puts "a" or "an" before a word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

// outPlan is what the runs that record one set of outputs compute, and
// where: the rows the outputs' slots make, and which code runs at each
// evaluation and which at save points. The first run that records
// a set makes its plan; the Model keeps it for the runs after (planFor),
// as the code it holds is read, never written, by a run.
type outPlan struct {
	rows rowLayout

	dynCode []vm.Instr // when not nil: the part of FlowCode each evaluation runs
	outCode []vm.Instr // the rest of FlowCode that the outputs need, run only at save points

	nativeRates bool // generated code: Rates at each evaluation, Flow (or Rest) at save points
	outVM       bool // with nativeRates: outCode, in the interpreter, at save points instead
}

// maxPlans bounds the plans a Model keeps: a program that runs a model with
// ever new sets of outputs makes a plan for each run beyond it, as it
// would with none kept.
const maxPlans = 64

// planFor returns the plan of a run with settings s recording outputs
// (the default outputs when all), and the variables with a range (ranged,
// the same for every run of the model): the Model's, when a run before
// made it, else a new one, which the Model keeps.
//
// A new plan's outputs must each be named once (a plan kept was checked).
func (m *Model) planFor(s settings, outputs []string, all bool, ranged []string) (*outPlan, error) {
	// The plan depends on the outputs, on whether every evaluation is a
	// save point and on the method (rk45 saves between evaluations).
	var buf [512]byte
	key := append(buf[:0], s.Method...)
	if s.SaveK == 1 {
		key = append(key, 0, 1) // saving at every step
	} else {
		key = append(key, 0, 2)
	}
	if all {
		key = append(key, 0, 0) // no name is empty
	} else {
		for _, name := range outputs {
			key = append(key, 0)
			key = append(key, name...)
		}
	}
	m.planMu.Lock()
	pl, ok := m.plans[string(key)]
	m.planMu.Unlock()
	if ok {
		return pl, nil
	}
	if !all {
		seen := make(map[string]bool, len(outputs))
		for _, name := range outputs {
			if seen[name] {
				return nil, fmt.Errorf("variable %q is asked for twice", name)
			}
			seen[name] = true
		}
	}
	var need []vm.Need
	if all && len(ranged) == 0 {
		need = m.allNeed // the default outputs
	} else {
		need = m.prog.Needs(append(slices.Clip(outputs), ranged...))
	}
	p := m.prog
	pl = &outPlan{rows: m.allRows} // the default outputs
	if !all {
		slots := make([]int32, len(outputs))
		for k, name := range outputs {
			slots[k] = p.Vars[p.ByName[name]].Slot
		}
		pl.rows = layoutRows(slots)
	}
	pl.plan(m.prog, m.native, s, need)
	m.planMu.Lock()
	if m.plans == nil {
		m.plans = make(map[string]*outPlan)
	}
	if len(m.plans) < maxPlans {
		m.plans[string(key)] = pl
	}
	m.planMu.Unlock()
	return pl, nil
}

// plan splits the flow code for runs that record only some variables,
// whose needs are need (Program.Needs of the outputs): what the stocks'
// rates (and the discrete state) need runs at every evaluation, what only
// the outputs need runs at save points, and the rest not at all. When
// every evaluation is a save point (Euler, saving every step), both run at
// every evaluation, as one code. A run that records everything keeps the
// whole flow code.
func (pl *outPlan) plan(p *vm.Program, native *Native, s settings, need []vm.Need) {
	everyEval := s.SaveK == 1 && s.Method == "euler"
	if native != nil {
		// Generated code has one function for the rates alone, one for
		// the rest and one for everything. The rates' runs at every
		// evaluation when the outputs need less than everything (and the
		// cut of non-negative outflows, which follows the rates, does not
		// get in the way); at save points, what the outputs need beyond
		// the rates runs in the interpreter when that is less than half
		// the rest (the interpreter computes the same bit for bit), and
		// as the rest's generated code otherwise. When every evaluation
		// is a save point, the interpreter's part must be less than a
		// third of the rest, as it runs at every step: generated code
		// computes the same in a third of the time or less.
		if native.Rates == nil || len(p.NonNeg) > 0 {
			return
		}
		out, rest := 0, 0
		for _, i := range p.FlowVars {
			v := p.Vars[i]
			if p.RateNeed[i] != vm.ForRates {
				rest += int(v.CodeHi - v.CodeLo)
			}
			if need[i] == vm.ForOutput {
				out += int(v.CodeHi - v.CodeLo)
			}
		}
		if rest == 0 {
			return // Rates is Flow
		}
		if everyEval && 3*out < rest || !everyEval && 2*out < rest {
			pl.nativeRates, pl.outVM = true, true
			pl.outCode = p.LowerFlow(func(k int) bool { return need[p.FlowVars[k]] == vm.ForOutput })
			return
		}
		if s.SaveK == 1 && s.Method != "rk45" {
			return // Flow runs at every save point anyway
		}
		pl.nativeRates = true
		return
	}
	skipped := false
	for _, i := range p.FlowVars {
		skipped = skipped || need[i] != vm.ForRates
	}
	if !skipped {
		return
	}
	// Outflows are cut after the rates' code runs; an output computed from
	// one at a save point would see the cut value, where a full run's sees
	// the uncut one: with non-negative stocks, outputs are computed with
	// the rates.
	cut := len(p.NonNeg) > 0
	if everyEval || cut {
		unneeded := false
		for _, i := range p.FlowVars {
			unneeded = unneeded || need[i] == vm.Unneeded
		}
		if !unneeded {
			return // the whole flow code, FastCode
		}
		pl.dynCode = p.LowerFlow(func(k int) bool { return need[p.FlowVars[k]] != vm.Unneeded })
		if pl.dynCode == nil {
			pl.dynCode = []vm.Instr{} // not nil: eval runs it even when empty
		}
		return
	}
	dyn := p.LowerFlow(func(k int) bool { return need[p.FlowVars[k]] == vm.ForRates })
	if dyn == nil {
		dyn = []vm.Instr{} // not nil: eval runs it even when empty
	}
	pl.dynCode, pl.outCode = dyn, p.LowerFlow(func(k int) bool { return need[p.FlowVars[k]] == vm.ForOutput })
}

// Needs says which of the calls between evaluations do anything in this
// run (vm.System): CheckGuards after the first step when a guard varies or
// a pipeline's delay time is read each step, Capture and Advance when there
// is previous, delay or random state, ClipStocks when the run clips.
func (r *run) Needs() vm.StepNeeds {
	p := r.p
	convs := false
	for _, c := range r.convs {
		convs = convs || c != nil
	}
	return vm.StepNeeds{
		Guards:   len(p.Varying) > 0 || convs,
		Discrete: len(p.Prevs) > 0 || len(p.Pipes) > 0 || len(p.Randoms) > 0,
		Clip:     r.s.Clip && len(p.NonNeg) > 0,
	}
}

// ClipStocks sets non-negative stocks that went below zero to zero, under
// the clip_stock rule, and reports whether it changed any.
func (r *run) ClipStocks(y []float64) bool {
	if !r.s.Clip {
		return false
	}
	changed := false
	for _, i := range r.p.NonNeg {
		if y[i] < 0 {
			y[i] = 0
			changed = true
		}
	}
	return changed
}

// elementsOf returns the expanded names of the arrayed variable name
// ("x" gives "x[a]", "x[b]", ...), or nil if there is no such array.
func (m *Model) elementsOf(name string) []string {
	var out []string
	for _, v := range m.Decl.Vars {
		if strings.HasPrefix(v.Name, name+"[") {
			out = append(out, v.Name)
		}
	}
	return out
}

// arrayBase returns x for "x" and for "x[*]" or "x[*,*]", and "" for
// anything else: the names that stand for all of an array's elements.
func arrayBase(name string) string {
	base, subs, ok := strings.Cut(name, "[")
	if !ok {
		return name
	}
	for _, s := range strings.Split(strings.TrimSuffix(subs, "]"), ",") {
		if strings.TrimSpace(s) != "*" || !strings.HasSuffix(subs, "]") {
			return ""
		}
	}
	return base
}
