package model

// RunOptions adjusts one run. The zero value runs the model as its file
// declares it.
type RunOptions struct {
	// Method overrides the integration method: "euler", "rk2", "rk4" or
	// "rk45". Empty means the model's own (default euler).
	Method string
	// DT overrides the time step (for rk45, the first step). Zero means
	// the model's.
	DT float64
	// Start and Stop override the start and stop times. Zero means the
	// model's; to start or stop at 0 when the model does not, set StartSet
	// or StopSet.
	Start, Stop float64
	// StartSet and StopSet make Start and Stop count even when zero.
	StartSet, StopSet bool
	// SaveEvery overrides the output interval; it must be a whole multiple
	// of dt. Zero means the model's (default dt); with a new DT that no
	// longer divides the model's own interval, the run saves at every step
	// and says so in Result.Warnings.
	SaveEvery float64
	// NonNegative overrides the rule for non-negative stocks:
	// "cut_outflows" or "clip_stock" (see decl.Sim.NonNegative). Empty
	// means the model's (default cut_outflows).
	NonNegative string
	// RelTol, AbsTol and MaxStep override rk45's error control. Zero means
	// the model's (defaults 1e-6, 1e-9, no limit).
	RelTol, AbsTol, MaxStep float64

	// Scenario names one of the model's [scenarios]: its param values
	// override the file's. Empty means none.
	Scenario string
	// Set overrides param values by name, after the scenario's.
	Set map[string]float64

	// Vars lists the variables to record, in output order. Nil means every
	// stock, flow and aux in declaration order (and every param too when
	// All is set). Recording fewer variables makes a run cheaper.
	Vars []string
	// All adds the params to the default outputs.
	All bool

	// Seed seeds the random functions; the same seed gives the same run.
	// Zero means seed 1.
	Seed uint64

	// Trace keeps the complete state at each save point, hidden variables
	// included, for analyses that re-evaluate equations (Result.Trace).
	// It costs memory in proportion to the model's size times the save
	// points.
	Trace bool

	// MaxSteps bounds the number of steps a run may take. Zero means ten
	// million; a run that would take more is refused before it starts.
	MaxSteps int

	// MaxValues bounds the numbers a run keeps: its save points times
	// the recorded variables and the time (and the whole state with
	// Trace). Zero means DefaultMaxValues; a negative value means no
	// bound. A run that would keep more is refused before it starts.
	MaxValues int64

	// Reuse, when not nil, is the Result of an earlier run of the same
	// model that the caller is done with: the run keeps its values in
	// Reuse's storage, where that is large enough, and its slots and its
	// copies of the lookup tables in those of the run before, instead of
	// allocating its own, and returns Reuse itself, overwritten. Sweeps, Monte Carlo
	// and calibration that read one run's Result before starting the next
	// allocate the storage once. A run that fails leaves Reuse
	// overwritten in part. Nil makes a new Result.
	Reuse *Result
}

// DefaultMaxSteps is the bound on steps when RunOptions.MaxSteps is zero.
const DefaultMaxSteps = 10_000_000

// DefaultMaxValues is the bound on the numbers a run keeps when
// RunOptions.MaxValues is zero: a hundred million, 800 MB.
const DefaultMaxValues = 100_000_000

// Settings are the simulation settings a run uses: the model's, with the
// run's overrides applied and every default filled in.
type Settings struct {
	Method          string  // "euler", "rk2", "rk4" or "rk45"
	Start, Stop, DT float64 // for rk45, DT is the first step
	SaveEvery       float64 // a whole multiple of DT
	RelTol, AbsTol  float64 // rk45's error control
	MaxStep         float64 // rk45's largest step; 0 for no limit
	ClipStocks      bool    // non-negative stocks are clipped (clip_stock), not their outflows cut
	TimeUnits       string  // the model's time units, "" when it names none
}

// Settings returns the simulation settings a run with opt would use, or
// the error Run would give for them.
func (m *Model) Settings(opt RunOptions) (Settings, error) {
	s, err := m.settings(opt)
	if err != nil {
		return Settings{}, err
	}
	return Settings{
		Method: s.Method, Start: s.Start, Stop: s.Stop, DT: s.DT, SaveEvery: s.Save,
		RelTol: s.RelTol, AbsTol: s.AbsTol, MaxStep: s.MaxStep, ClipStocks: s.Clip,
		TimeUnits: m.Decl.TimeUnits,
	}, nil
}
