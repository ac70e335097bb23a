package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/calibrate"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/plots"
)

var calibrateCmd = &command{
	name:    "calibrate",
	args:    "MODEL --data FILE --params LIST [flags]",
	short:   "fit params to observed time series",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupCalibrate,
	long: `Calibrate fits the params named by --params, each within its declared
[min, max], so that the model in the file MODEL reproduces the observations
in the CSV or TSV file --data, or a sheet of an Excel workbook (.xlsx;
--sheet, default the first): a time column (--time-column, default
"time") and one column per observed variable, named as in the model. An
empty cell is a missing observation.

It minimises a payoff, the sum over the observed variables of their
squared errors at the observed times, each variable's divided by the
variance of its observations and multiplied by its --weights (default 1);
--log compares logarithms (relative errors). The minimiser is Nelder–Mead
(--method nelder-mead, the default) or BFGS with the gradient by finite
differences (--method gradient). --starts N starts from the model's values
and from N−1 points drawn in the params' ranges (--seed), in parallel, and
keeps the best.

It reports the fitted values with approximate 95 % confidence intervals
from the payoff's curvature, the payoff, and for each observed variable R²,
MAPE and Theil's inequality statistics Uᴹ (bias), Uˢ (unequal variation)
and Uᶜ (unequal covariation), which sum to 1. -o FILE writes the model with
the fitted values (a TOML model keeps its comments); --plot FILE draws the
data against the fit; --json writes the report as JSON. See docs/calibration.md.

On a terminal, a progress bar of the starts shows on stderr.

Examples:

	stockflow calibrate examples/fit/logistic.toml --data examples/fit/observed.csv --params r,K
	stockflow calibrate examples/fit/logistic.toml --data examples/fit/observed.csv --params r,K --starts 4 --json
`,
}

// calibrateFlags holds the flags of "stockflow calibrate".
type calibrateFlags struct {
	sim      *runFlags
	data     string
	obs      *observationFlags
	params   string
	weights  string
	log      bool
	method   string
	starts   int
	workers  int
	progress string
	json     bool
	out      string
	plot     string
}

func setupCalibrate(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &calibrateFlags{sim: simFlagsAs(fs, "integrator")}
	fs.StringVar(&f.data, "data", "", "the observations: a CSV, TSV or Excel (.xlsx) `FILE` with a time column and one column per observed variable")
	f.obs = observationFlagsOf(fs, "the --data file")
	fs.StringVar(&f.params, "params", "", "fit these params, a comma-separated `LIST`; each must declare min and max")
	fs.StringVar(&f.weights, "weights", "", "weigh the observed variables' errors: `LIST` of VAR=W, comma-separated (default 1 each)")
	fs.BoolVar(&f.log, "log", false, "compare the logarithms of simulated and observed values (relative errors)")
	fs.StringVar(&f.method, "method", calibrate.NelderMead, "the minimiser, `METHOD` nelder-mead or gradient (BFGS, finite differences)")
	fs.IntVar(&f.starts, "starts", 1, "start from the model's values and `N`−1 points drawn in the params' ranges")
	fs.IntVar(&f.workers, "workers", 0, "run `N` starts at once (default one per core)")
	fs.StringVar(&f.progress, "progress", "auto", "show a progress bar on stderr: `WHEN` auto (on a terminal), always or never")
	fs.BoolVar(&f.json, "json", false, "write the report as JSON")
	fs.StringVar(&f.out, "o", "", "write the model with the fitted values to `FILE` (TOML), whole or not at all")
	fs.StringVar(&f.plot, "plot", "", "draw the data against the fit into the picture `FILE` (.png, .svg or .pdf)")

	// The run flags of "stockflow run", but --integrator for --method.
	usage(fs,
		"scenario", "start from the model's scenario `NAME` (its [scenarios.NAME] param values)",
		"set", "set a param in every run, or a fitted param's start: `NAME=VALUE` (repeatable)",
		"seed", "seed `S` of the drawn starts and the model's random functions (default 1)")
	return f.run
}

func (f *calibrateFlags) run(ctx context.Context, out *output, args []string) error {
	opt, err := f.sim.runOptions(f.out, "")
	if err != nil {
		return err
	}
	if f.data == "" {
		return usagef("--data FILE is required: the observations to fit")
	}
	if err := f.obs.checkSheet("--data", f.data); err != nil {
		return err
	}
	params := syntax.SplitNames(f.params)
	if len(params) == 0 {
		return usagef("--params LIST is required: the params to fit")
	}
	if f.starts < 1 {
		return usagef("--starts must be at least 1, not %d", f.starts)
	}
	if f.workers < 0 {
		return usagef("--workers must be positive (or 0 for one per core), not %d", f.workers)
	}
	if f.method != calibrate.NelderMead && f.method != calibrate.Gradient {
		return usagef("unknown method %q (want nelder-mead or gradient)", f.method)
	}
	weights := map[string]float64{}
	for _, w := range syntax.SplitNames(f.weights) {
		name, val, ok := strings.Cut(w, "=")
		x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if !ok || err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
			return usagef("--weights: %q is not VAR=W with W a number not below 0", w)
		}
		weights[strings.TrimSpace(name)] = x
	}
	path := args[0]
	if f.out != "" {
		if err := notInput("-o", f.out, path); err != nil {
			return err
		}
	}
	bar, err := progressWanted(f.progress, out)
	if err != nil {
		return err
	}
	m, err := out.load(path)
	if err != nil {
		return err
	}
	if err := f.sim.checkSet(m, out.stderr); err != nil {
		return err
	}
	obs, err := f.obs.read(out, f.data)
	if err != nil {
		return err
	}
	co := calibrate.Options{
		Run: opt, Params: params, Weights: weights, Log: f.log, Method: f.method,
		Starts: f.starts, Seed: opt.Seed, Workers: f.workers,
	}
	pb := startProgress(out, bar, &co.Progress)
	res, err := calibrate.Calibrate(ctx, m, obs, co)
	pb.finish(err == nil)
	if err != nil {
		return &fileError{path, err}
	}
	if f.out != "" {
		var text []byte
		if ext := strings.ToLower(filepath.Ext(path)); ext == ".toml" || ext == "" {
			if text, err = decl.ReadFile(path, out.maxInput); err != nil {
				return err
			}
		}
		err := writeFile(ctx, f.out, func(w io.Writer) error {
			return calibrate.WriteFitted(w, m.Source, text, res.Values(), params)
		})
		if err != nil {
			return err
		}
	}
	if f.plot != "" {
		format, err := plots.FormatOf(f.plot)
		if err != nil {
			return usagef("--plot: %v", err)
		}
		fig, err := plots.Fit(m, res, obs)
		if err != nil {
			return err
		}
		if err := writeFile(ctx, f.plot, func(w io.Writer) error { return fig.WriteTo(w, format) }); err != nil {
			return err
		}
	}
	if f.json {
		return writeJSON(out.stdout, res)
	}
	if err := res.WriteText(out.stdout); err != nil {
		return err
	}
	for _, file := range []string{f.out, f.plot} {
		if file != "" {
			fmt.Fprintf(out.stdout, "\nwrote %s\n", file)
		}
	}
	return nil
}
