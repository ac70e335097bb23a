package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

var emergenceCmd = &command{
	name:    "emergence",
	args:    "MODEL [flags]",
	short:   "when thresholds are crossed, which loops carry them, and when the run amplifies",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupEmergence,
	long: `Emergence runs the model in the file MODEL and reports three signals:

  thresholds        every crossing of each [thresholds.NAME] in its
                    direction, interpolated between the points of the
                    analysis run (on the solver's dense output with rk45),
                    with the stability regime there and why: over the
                    minimum duration before and after it, the polarity
                    ahead and by how much, contested or not, the strongest
                    reinforcing and balancing loops with their paths, and
                    the named loops' relative scores;
  dominance shifts  the times the dominant loop polarity changes (Loops
                    That Matter, continuous scores on the integration
                    grid), where the balance of the reinforcing and
                    balancing relative loop scores last passes zero before
                    the new polarity holds by --margin for --min-duration;
  stability         the times the largest real part of the Jacobian's
                    eigenvalues changes sign: amplifying (> 0) or damping
                    (< 0). Zero eigenvalues of conserved totals (S + I + R)
                    are left out.

The analysis run records every dt (or --analysis-step), whatever
--save-every says. --scores discrete uses the discrete LTM of the papers
over the save interval instead, for comparison with Stella and Simlin.

--json writes {"thresholds": [...], "dominance": {"loops": [...],
"shifts": [...]}, "stability": {"conserved": [...], "sign_changes":
[...]}}, loops referred to by their stable ids; see docs/emergence.md.

Examples:

	stockflow emergence examples/logistic/logistic.toml
	stockflow emergence examples/sir/sir.toml --json --set beta=0.4
`,
}

// emergenceFlags holds the flags of "stockflow emergence".
type emergenceFlags struct {
	sim       *runFlags
	json      bool
	maxLoops  int
	maxLength int
	dom       *dominanceFlags
}

func setupEmergence(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &emergenceFlags{sim: simFlags(fs), dom: newDominanceFlags(fs)}
	cutFlags(fs, f.sim)
	fs.BoolVar(&f.json, "json", false, "write JSON instead of a report")
	fs.IntVar(&f.maxLoops, "max-loops", loops.DefaultMaxLoops, "analyse at most `N` enumerated loops")
	fs.IntVar(&f.maxLength, "max-length", 0, "enumerate only loops of at most `N` variables (default no limit)")
	return f.run
}

// simFlags defines the flags that shape a run — --scenario, --set,
// --method, --dt, --start, --stop, --save-every, --seed, --max-steps — as
// "stockflow run" has them, and returns their holder; its options method
// checks them and makes the run options.
func simFlags(fs *flag.FlagSet) *runFlags {
	return simFlagsAs(fs, "method")
}

// simFlagsAs is simFlags with the integration method under the flag name
// method, for commands whose --method names something else (sensitivity's
// study, calibrate's minimiser).
func simFlagsAs(fs *flag.FlagSet, method string) *runFlags {
	f := &runFlags{fs: fs, set: setFlag{}}
	fs.StringVar(&f.scenario, "scenario", "", "run the model's scenario `NAME` (its [scenarios.NAME] param values; --set applies after it)")
	fs.Var(f.set, "set", "override a param for this run: `NAME=VALUE` (repeatable; within its declared min and max)")
	fs.BoolVar(&f.allowOutOfRange, "allow-out-of-range", false, "let --set give a param a value outside its declared min and max, with a warning")
	fs.StringVar(&f.method, method, "", "integration `METHOD`: euler, rk2, rk4 or rk45, in any case (default the model's)")
	fs.Float64Var(&f.dt, "dt", 0, "time step `X` (for rk45, the first step; default the model's)")
	fs.Float64Var(&f.start, "start", 0, "start time `T` (default the model's)")
	fs.Float64Var(&f.stop, "stop", 0, "stop time `T` (default the model's)")
	fs.Float64Var(&f.saveEvery, "save-every", 0, "output interval `X`, a whole multiple of dt (default the model's)")
	fs.Uint64Var(&f.seed, "seed", 0, "seed `N` for the random functions; the same seed gives the same run (default 1)")
	fs.IntVar(&f.maxSteps, "max-steps", 0, "refuse a run of more than `N` steps (default 10000000)")
	fs.Int64Var(&f.maxValues, "max-values", 0, "refuse a run that would keep more than `N` numbers, save points × variables (default 100000000)")
	return f
}

// usage replaces the usage text of the flags named in texts (name, text,
// name, text, ...), for a command whose run flags mean a little more than
// run's.
func usage(fs *flag.FlagSet, texts ...string) {
	for i := 0; i+1 < len(texts); i += 2 {
		fs.Lookup(texts[i]).Usage = texts[i+1]
	}
}

// runOptions checks the run flags and makes the run options; out and
// vars are the values of the command's own -o and --vars flags, if it
// has them (run's checks of those look at the same flag set).
func (f *runFlags) runOptions(out, vars string) (model.RunOptions, error) {
	f.out, f.vars = out, vars
	opt, _, err := f.options()
	return opt, err
}

func (f *emergenceFlags) run(ctx context.Context, out *output, args []string) error {
	opt, err := f.sim.runOptions("", "")
	if err != nil {
		return err
	}
	if f.maxLoops <= 0 || f.maxLoops > loops.MaxLoopsLimit {
		return usagef("--max-loops must be from 1 to %d, not %d", loops.MaxLoopsLimit, f.maxLoops)
	}
	if f.maxLength < 0 {
		return usagef("--max-length must be positive (or 0 for no limit), not %d", f.maxLength)
	}
	dom, err := f.dom.settings()
	if err != nil {
		return err
	}
	path := args[0]
	m, err := out.load(path)
	if err != nil {
		return err
	}
	if err := f.sim.checkSet(m, out.stderr); err != nil {
		return err
	}
	if m, err = f.sim.cutModel(m); err != nil {
		return err
	}
	if err := loops.CheckStep(m, opt, &dom); err != nil {
		return usagef("--analysis-step: %v", err)
	}
	set := &loops.EmergenceSettings{Loops: loops.Options{MaxLoops: f.maxLoops, MaxLength: f.maxLength}, Dominance: dom}
	e, err := loops.AnalyzeEmergence(ctx, m, opt, set)
	if err != nil {
		return &fileError{path, err}
	}
	printRunWarnings(out.stderr, path, e.Result)
	if f.json {
		return writeJSON(out.stdout, e)
	}
	if m.Decl.Name != "" {
		fmt.Fprintf(out.stdout, "model: %s\n", m.Decl.Name)
	}
	return e.WriteReport(out.stdout, 3)
}

// writeJSON writes v to w as one line of JSON, as every --json does.
func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
