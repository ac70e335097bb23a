package sensitivity

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/syntax"
)

// Methods of a study.
const (
	MonteCarlo = "mc"     // runs drawn from the params' distributions
	Sobol      = "sobol"  // Saltelli's design: first-order and total Sobol indices
	Morris     = "morris" // Morris's elementary effects: μ*, σ
)

// Samplers of the unit hypercube.
const (
	LHS    = "lhs"    // Latin hypercube: one point in each of N equal-probability slices of every param
	Random = "random" // independent uniform draws
	// Halton is Owen's scrambled Halton sequence (gonum's samplemv.Halton):
	// quasi-random points that fill the hypercube more evenly than
	// random ones, so that Sobol indices converge faster.
	Halton = "halton"
)

// haltonMaxDims is the most dimensions gonum's Halton sampler takes.
const haltonMaxDims = 1000

// Defaults of Options.
const (
	DefaultSamples   = 1000
	DefaultLevels    = 4
	DefaultBootstrap = 1000
)

// Options describes a study. The zero value (or nil) is a Monte Carlo
// study of 1,000 Latin-hypercube runs over every param with a range,
// seed 1.
type Options struct {
	// Run is the base of every run's options (scenario, method, dt, start,
	// stop, save interval, the model's random seed): the study's params
	// override its Set, and only the variables the study needs are
	// recorded. Its Seed is the study's seed when Seed is zero.
	Run model.RunOptions
	// Method is MonteCarlo (default), Sobol or Morris.
	Method string
	// Params names the params the study varies. Nil means every param
	// that declares a distribution or a range (min < max), in declaration
	// order, but for those that Run.Set or Run.Scenario fix. A param both
	// named here and in Run.Set is an error; one named here and set by the
	// scenario is varied.
	Params []string
	// Samples is N: the number of runs of a Monte Carlo study, of base
	// points of a Sobol study (N·(d+2) runs for d params), of
	// trajectories of a Morris design (N·(d+1) runs). Zero means 1,000.
	Samples int
	// Seed seeds the sample plan and the bootstrap, and every run's random
	// functions (Run.Seed, the same for all runs, so that runs differ by
	// their params alone). Zero means Run.Seed, and then 1. The same seed
	// gives the same numbers on any machine, with any number of workers
	// or shards.
	Seed uint64
	// Sampler is LHS, Random or Halton. Empty means LHS for a Monte Carlo
	// study and Halton for a Sobol study (LHS beyond 500 params, the most
	// gonum's Halton sequence takes); a Morris design has its own.
	Sampler string
	// Thresholds names the model's thresholds to report. Nil means all.
	Thresholds []string
	// Vars names the variables whose 5–95 % and 25–75 % bands and median
	// are reported over time. Nil means the thresholds' variables and
	// those of the model's [[plots]]; empty (non-nil) means none.
	Vars []string
	// Outputs are values of variables at times whose indices a Sobol or
	// Morris study reports, beside each threshold's crossing time.
	Outputs []Output
	// Levels is the number of grid levels of a Morris design, even. Zero
	// means 4.
	Levels int
	// Bootstrap is the number of bootstrap resamples for the confidence
	// intervals of Sobol indices. Zero means 1,000.
	Bootstrap int
	// Workers is the number of runs made at once. Zero means GOMAXPROCS.
	// It does not change the results.
	Workers int
	// Progress, if not nil, is called after each run with the number of
	// runs done and the total, from one goroutine at a time.
	Progress func(done, total int)
}

// Output is the value of a variable at a time, written VAR@TIME.
type Output struct {
	Var  string
	Time float64
}

// ParseOutput parses VAR@TIME, as in "coordination@2030".
func ParseOutput(s string) (Output, error) {
	v, t, ok := strings.Cut(s, "@")
	v = strings.TrimSpace(v)
	if !ok || v == "" {
		return Output{}, fmt.Errorf("want VAR@TIME, as in coordination@2030, not %q", s)
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return Output{}, fmt.Errorf("%q: the time %q is not a number", s, t)
	}
	return Output{Var: v, Time: x}, nil
}

// String returns the output as VAR@TIME.
func (o Output) String() string { return o.Var + "@" + strconv.FormatFloat(o.Time, 'g', -1, 64) }

// MarshalText implements encoding.TextMarshaler.
func (o Output) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Output) UnmarshalText(b []byte) error {
	x, err := ParseOutput(string(b))
	*o = x
	return err
}

// Threshold is one of the model's thresholds, as a study reports it.
type Threshold struct {
	Name      string  `json:"name"`
	Var       string  `json:"var"`
	Level     float64 `json:"level"`
	Direction string  `json:"direction"`
	// Units are the checked units of Var, those of Level (declared, or
	// inferred when none is declared); "" when not known.
	Units string `json:"units,omitempty"`
}

// Spec is what decides a study's sample plan and its report, apart from
// the model's equations: the shards of one study carry equal specs.
type Spec struct {
	Model      string      `json:"model"`
	TimeUnits  string      `json:"time_units,omitempty"`
	Method     string      `json:"method"`
	Sampler    string      `json:"sampler"`
	Samples    int         `json:"samples"`
	Seed       uint64      `json:"seed"`
	Levels     int         `json:"levels,omitempty"`
	Bootstrap  int         `json:"bootstrap,omitempty"`
	Params     []Param     `json:"params"`
	Thresholds []Threshold `json:"thresholds"`
	Vars       []string    `json:"vars"`
	Outputs    []Output    `json:"outputs"`
	// Units holds the declared units of the thresholds' variables, of
	// Vars and of the outputs' variables, for labels.
	Units map[string]string `json:"units,omitempty"`
	Run   RunSpec           `json:"run"`
}

// RunSpec records the run options every run of a study shares.
type RunSpec struct {
	Scenario  string             `json:"scenario,omitempty"`
	Set       map[string]float64 `json:"set,omitempty"`
	Method    string             `json:"method,omitempty"`
	DT        float64            `json:"dt,omitempty"`
	Start     *float64           `json:"start,omitempty"`
	Stop      *float64           `json:"stop,omitempty"`
	SaveEvery float64            `json:"save_every,omitempty"`
}

// MaxRuns bounds the runs of a study, whose sample plan and results are
// made before and kept through the runs: a million.
const MaxRuns = 1_000_000

// Runs returns the number of runs of the study.
func (s *Spec) Runs() int {
	switch s.Method {
	case Sobol:
		return s.Samples * (len(s.Params) + 2)
	case Morris:
		return s.Samples * (len(s.Params) + 1)
	}
	return s.Samples
}

// NewSpec checks opt against the model and makes the study's spec.
func NewSpec(m *model.Model, opt *Options) (*Spec, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	s := &Spec{
		Model:     m.Decl.Name,
		TimeUnits: m.Decl.TimeUnits,
		Method:    orDefault(o.Method, MonteCarlo),
		Sampler:   orDefault(o.Sampler, LHS),
		Samples:   o.Samples,
		Seed:      o.Seed,
	}
	if s.Samples == 0 {
		s.Samples = DefaultSamples
	}
	if s.Seed == 0 {
		s.Seed = max(o.Run.Seed, 1)
	}
	if !slices.Contains([]string{MonteCarlo, Sobol, Morris}, s.Method) {
		return nil, fmt.Errorf("unknown method %q (want mc, sobol or morris)", s.Method)
	}
	if o.Sampler == "" && s.Method == Sobol {
		s.Sampler = Halton
	}
	if s.Method == Morris {
		s.Sampler = ""
	}
	if s.Method != Morris && !slices.Contains([]string{LHS, Random, Halton}, s.Sampler) {
		return nil, fmt.Errorf("unknown sampler %q (want lhs, random or halton)", s.Sampler)
	}
	if s.Samples < 2 {
		return nil, fmt.Errorf("a study needs at least 2 samples, not %d", s.Samples)
	}
	switch s.Method {
	case Morris:
		s.Levels = orDefault(o.Levels, DefaultLevels)
		if s.Levels < 2 || s.Levels%2 != 0 {
			return nil, fmt.Errorf("a Morris design needs an even number of levels of at least 2, not %d", s.Levels)
		}
	case Sobol:
		s.Bootstrap = orDefault(o.Bootstrap, DefaultBootstrap)
		if s.Bootstrap < 0 {
			return nil, fmt.Errorf("the number of bootstrap resamples must not be negative, not %d", s.Bootstrap)
		}
	}
	var err error
	// The params the runs fix: --set's, and the scenario's, which the
	// study leaves as the scenario has them unless they are named.
	fixed := maps.Clone(o.Run.Set)
	if fixed == nil {
		fixed = map[string]float64{}
	}
	if sc := m.Decl.Scenario(o.Run.Scenario); o.Run.Scenario != "" && sc != nil {
		maps.Copy(fixed, sc.Set)
	}
	if s.Params, err = studyParams(m, o.Params, fixed, o.Run.Set); err != nil {
		return nil, err
	}
	runs := float64(s.Samples)
	switch s.Method {
	case Sobol:
		runs *= float64(len(s.Params) + 2)
	case Morris:
		runs *= float64(len(s.Params) + 1)
	}
	if runs > MaxRuns {
		return nil, fmt.Errorf("the study would make %.4g runs, more than the limit of %d; use fewer samples", runs, MaxRuns)
	}
	// gonum's Halton sequence has the first 1,000 primes: 1,000
	// dimensions, 2d for a Sobol study of d params.
	dims := len(s.Params)
	if s.Method == Sobol {
		dims *= 2
	}
	if s.Sampler == Halton && dims > haltonMaxDims {
		if o.Sampler != "" {
			return nil, fmt.Errorf("the halton sampler takes up to %d dimensions, and this study needs %d: use lhs", haltonMaxDims, dims)
		}
		s.Sampler = LHS
	}
	if s.Thresholds, err = thresholds(m, o.Thresholds); err != nil {
		return nil, err
	}
	known := m.Names()
	check := func(name, what string) error {
		if slices.Contains(known, name) {
			return nil
		}
		msg := fmt.Sprintf("%s: the model has no stock, flow or aux %q", what, name)
		if sug := syntax.Suggest(name, known); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		}
		return errors.New(msg)
	}
	if o.Vars == nil {
		for _, th := range s.Thresholds {
			s.Vars = appendNew(s.Vars, th.Var)
		}
		for _, pl := range m.Decl.Plots {
			for _, v := range pl.Vars {
				if slices.Contains(known, v) {
					s.Vars = appendNew(s.Vars, v)
				}
			}
		}
	}
	for _, v := range o.Vars {
		if err := check(v, "vars"); err != nil {
			return nil, err
		}
		s.Vars = appendNew(s.Vars, v)
	}
	if s.Vars == nil {
		s.Vars = []string{}
	}
	for _, out := range o.Outputs {
		if err := check(out.Var, "outputs"); err != nil {
			return nil, err
		}
	}
	s.Outputs = append([]Output{}, o.Outputs...)
	s.Units = map[string]string{}
	checked := m.Units() // declared or inferred
	unit := func(name string) {
		if u := checked.UnitsOf(name); u != "" {
			s.Units[name] = u
		}
	}
	for _, th := range s.Thresholds {
		unit(th.Var)
	}
	for _, v := range s.Vars {
		unit(v)
	}
	for _, out := range s.Outputs {
		unit(out.Var)
	}
	r := o.Run
	s.Run = RunSpec{Scenario: r.Scenario, Set: r.Set, Method: r.Method, DT: r.DT, SaveEvery: r.SaveEvery}
	if r.Start != 0 || r.StartSet {
		s.Run.Start = &r.Start
	}
	if r.Stop != 0 || r.StopSet {
		s.Run.Stop = &r.Stop
	}
	if r.Scenario != "" && m.Decl.Scenario(r.Scenario) == nil {
		msg := fmt.Sprintf("unknown scenario %q", r.Scenario)
		if sug := syntax.Suggest(r.Scenario, m.Scenarios()); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		}
		return nil, errors.New(msg)
	}
	return s, nil
}

// thresholds returns the named thresholds of the model, or all of them.
func thresholds(m *model.Model, names []string) ([]Threshold, error) {
	var all []string
	for _, th := range m.Decl.Thresholds {
		all = append(all, th.Name)
	}
	if names == nil {
		names = all
	}
	out := []Threshold{}
	for _, n := range names {
		i := slices.Index(all, n)
		if i < 0 {
			msg := fmt.Sprintf("the model has no threshold %q", n)
			if s := syntax.Suggest(n, all); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else if len(all) == 0 {
				msg += " (it declares no [thresholds])"
			}
			return nil, errors.New(msg)
		}
		th := m.Decl.Thresholds[i]
		dir := orDefault(th.Direction, "either")
		if _, err := model.ParseDirection(dir); err != nil {
			return nil, err
		}
		out = append(out, Threshold{Name: th.Name, Var: th.Var, Level: th.Level, Direction: dir, Units: m.Units().UnitsOf(th.Var)})
	}
	return out, nil
}

// Sensitivity runs the study opt describes on the model and analyses it:
// the share of runs that cross each threshold and the quantiles of the
// first crossing time, the bands of the chosen variables over time, and
// for Sobol and Morris the indices of each param. Options may be nil.
func Sensitivity(ctx context.Context, m *model.Model, opt *Options) (*Result, error) {
	runs, err := RunShard(ctx, m, opt, Shard{K: 0, N: 1})
	if err != nil {
		return nil, err
	}
	return Analyze(runs)
}

// orDefault returns x, or def if x is the zero value.
func orDefault[T comparable](x, def T) T {
	var zero T
	if x == zero {
		return def
	}
	return x
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
