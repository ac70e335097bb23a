package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/calibrate"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

var runCmd = &command{
	name:    "run",
	args:    "MODEL [flags]",
	short:   "simulate a model and print its results",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupRun,
	long: `Run simulates the model in the file MODEL and writes its results: a
column "time", then every stock, flow and aux in the order the file
declares them (--all adds the params, --vars picks the columns).

The results go to stdout unless -o names a file. That file is written
whole or not at all: if the run fails or is interrupted, an existing file
is left as it was. -o may not name the model file; see "stockflow help"
for how files are written (links, permissions, devices).
The format is csv unless --format says otherwise or -o's extension is
.tsv or .json.

Flags override the model's [sim] settings and param values for this run
only; the file is not changed. --scenario applies one of the model's
[scenarios], and --set then overrides params on top of it.

Examples:

	stockflow run examples/logistic/logistic.toml
	stockflow run examples/sir/sir.toml -o sir.json --set beta=0.4
	stockflow run examples/middle-corridor/corridor.toml --scenario no_fibre_cable
	stockflow run examples/logistic/logistic.toml --method euler --dt 0.5 --vars population
`,
}

// formats lists the output formats and the file extensions that imply them.
var formats = []string{"csv", "tsv", "json"}

// runFlags holds the flags of "stockflow run".
type runFlags struct {
	fs     *flag.FlagSet
	out    string
	format string
	set    setFlag
	// allowOutOfRange turns a --set value outside the param's declared
	// range from an error into a warning.
	allowOutOfRange bool
	scenario        string
	method          string
	dt              float64
	start           float64
	stop            float64
	saveEvery       float64
	vars            string
	all             bool
	digits          int
	seed            uint64
	maxSteps        int
	maxValues       int64
	// cuts are the links --cut cuts.
	cuts cutFlag
	// strict makes a run that takes a variable outside its declared
	// range an error.
	strict bool
	// compare names a file of observations to compare the run with, and
	// obs where in it they stand.
	compare string
	obs     *observationFlags
}

func setupRun(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := simFlags(fs) // the flags that shape a run, as the other commands have them
	cutFlags(fs, f)
	fs.StringVar(&f.out, "o", "", "write the results to `FILE` instead of stdout, whole or not at all")
	fs.StringVar(&f.format, "format", "", "output `FORMAT`: csv, tsv or json (default from -o's extension, else csv)")
	fs.StringVar(&f.vars, "vars", "", "write only these variables, a comma-separated `LIST` (default every stock, flow and aux)")
	fs.BoolVar(&f.all, "all", false, "write the params too")
	fs.IntVar(&f.digits, "digits", 0, "print numbers with `N` significant digits (default the shortest exact form)")
	fs.BoolVar(&f.strict, "strict", false, "fail, writing nothing, if a variable leaves its declared range")
	fs.StringVar(&f.compare, "compare", "", "compare the run with the observations in `FILE` (CSV, TSV or Excel .xlsx: a time column, one column per variable) and print the fit statistics on stderr")
	f.obs = observationFlagsOf(fs, "the --compare file")
	return f.run
}

func (f *runFlags) run(ctx context.Context, out *output, args []string) error {
	opt, kind, err := f.options()
	if err != nil {
		return err
	}
	path := args[0]
	if f.out != "" {
		if err := notInput("-o", f.out, path); err != nil {
			return err
		}
	}
	if f.compare == "" {
		var stray string
		f.fs.Visit(func(fl *flag.Flag) {
			if fl.Name == "sheet" || fl.Name == "time-column" {
				stray = fl.Name
			}
		})
		if stray != "" {
			return usagef("--%s describes the --compare file; give --compare FILE", stray)
		}
	} else if err := f.obs.checkSheet("--compare", f.compare); err != nil {
		return err
	}
	m, err := out.load(path)
	if err != nil {
		return err
	}
	if err := f.checkSet(m, out.stderr); err != nil {
		return err
	}
	if m, err = f.cutModel(m); err != nil {
		return err
	}
	printHygiene(out, m, opt)
	var res *model.Result
	err = out.timings.time("run", func() (err error) {
		res, err = m.Run(ctx, opt)
		return err
	})
	if err != nil {
		return &fileError{path, err}
	}
	printRunWarnings(out.stderr, path, res)
	if f.strict && len(res.OutOfRange) > 0 {
		return &fileError{path, errors.New("a variable left its declared range (see the warnings above), an error under --strict")}
	}
	if f.compare != "" {
		if err := compareRun(out, f.compare, f.obs, res); err != nil {
			return err
		}
	}
	format := model.Format{Kind: kind, Digits: f.digits}
	return out.timings.time("write", func() error {
		if f.out == "" {
			return res.Write(out.stdout, format)
		}
		return writeFile(ctx, f.out, func(w io.Writer) error { return res.Write(w, format) })
	})
}

// compareRun prints on stderr how well the run res fits the observations
// in file, as calibrate reports a fit.
func compareRun(out *output, file string, where *observationFlags, res *model.Result) error {
	obs, err := where.read(out, file)
	if err != nil {
		return err
	}
	fits, err := calibrate.Compare(res, obs)
	if err != nil {
		return fmt.Errorf("%w (with --vars, name the observed variables too)", err)
	}
	return calibrate.WriteFits(out.stderr, obs.Names, fits)
}

// options checks the flags and turns them into run options and an output
// format. Its errors are usage errors.
func (f *runFlags) options() (model.RunOptions, string, error) {
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })

	var opt model.RunOptions
	kind := f.format
	switch {
	case kind != "":
		if !slices.Contains(formats, kind) {
			return opt, "", usagef("unknown format %q (want csv, tsv or json)", kind)
		}
	case f.out != "":
		kind = "csv"
		if ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(f.out)), "."); slices.Contains(formats, ext) {
			kind = ext
		}
	default:
		kind = "csv"
	}
	if given["o"] && f.out == "" {
		return opt, "", usagef("-o needs a file name")
	}

	// Any case, as in [sim]: RK4 is rk4.
	f.method = strings.ToLower(f.method)
	if f.method != "" && !slices.Contains(decl.Methods, f.method) {
		return opt, "", usagef("unknown method %q (want %s)", f.method, strings.Join(decl.Methods, ", "))
	}
	for _, p := range []struct {
		name string
		x    float64
	}{{"dt", f.dt}, {"save-every", f.saveEvery}} {
		if given[p.name] && !(p.x > 0 && !math.IsInf(p.x, 0)) {
			return opt, "", usagef("--%s must be a positive number, not %v", p.name, p.x)
		}
	}
	for _, p := range []struct {
		name string
		x    float64
	}{{"start", f.start}, {"stop", f.stop}} {
		if math.IsNaN(p.x) || math.IsInf(p.x, 0) {
			return opt, "", usagef("--%s must be a finite number, not %v", p.name, p.x)
		}
	}
	if f.digits < 0 || f.digits > 17 {
		return opt, "", usagef("--digits must be from 1 to 17 (or 0 for the shortest exact form), not %d", f.digits)
	}
	if given["max-steps"] && f.maxSteps <= 0 {
		return opt, "", usagef("--max-steps must be positive, not %d", f.maxSteps)
	}
	if given["max-values"] && f.maxValues <= 0 {
		return opt, "", usagef("--max-values must be positive, not %d", f.maxValues)
	}

	opt.Method = f.method
	opt.DT = f.dt
	opt.Start, opt.StartSet = f.start, given["start"]
	opt.Stop, opt.StopSet = f.stop, given["stop"]
	opt.SaveEvery = f.saveEvery
	opt.Scenario = f.scenario
	if len(f.set) > 0 {
		opt.Set = f.set
	}
	if given["vars"] {
		opt.Vars = syntax.SplitNames(f.vars)
		if len(opt.Vars) == 0 {
			return opt, "", usagef("--vars needs at least one variable name")
		}
	}
	opt.All = f.all
	opt.Seed = f.seed
	opt.MaxSteps = f.maxSteps
	opt.MaxValues = f.maxValues
	return opt, kind, nil
}

// checkSet checks the --set values against the min and max the model
// declares for each param, the rule a scenario's values follow: a value
// outside is an error, or with --allow-out-of-range a warning on stderr.
// Names the model does not have are left for the run to report.
func (f *runFlags) checkSet(m *model.Model, stderr io.Writer) error {
	names := make([]string, 0, len(f.set))
	for n := range f.set {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		x := f.set[name]
		v := m.Decl.Var(name)
		if v == nil {
			if base, _, ok := strings.Cut(name, "["); ok {
				v = m.Decl.Var(base)
			}
		}
		if v == nil || v.Kind != decl.Param || !(v.Min != nil && x < *v.Min || v.Max != nil && x > *v.Max) {
			continue
		}
		lo, hi := "-inf", "+inf"
		if v.Min != nil {
			lo = strconv.FormatFloat(*v.Min, 'g', -1, 64)
		}
		if v.Max != nil {
			hi = strconv.FormatFloat(*v.Max, 'g', -1, 64)
		}
		msg := fmt.Sprintf("--set %s=%s is outside the range [%s, %s] that params.%s declares", name, strconv.FormatFloat(x, 'g', -1, 64), lo, hi, v.Name)
		if f.allowOutOfRange {
			fmt.Fprintf(stderr, "stockflow: warning: %s\n", msg)
			continue
		}
		return usagef("%s: a run must stay within the values the param is documented for; widen min or max in the model if the value is meaningful, or give --allow-out-of-range", msg)
	}
	return nil
}

// setFlag is the value of the repeatable --set NAME=VALUE flag.
type setFlag map[string]float64

// String returns the settings as "a=1,b=2" in name order.
func (s setFlag) String() string {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		names[i] = n + "=" + strconv.FormatFloat(s[n], 'g', -1, 64)
	}
	return strings.Join(names, ",")
}

// Set parses one NAME=VALUE; a later setting of the same name wins.
func (s setFlag) Set(arg string) error {
	name, value, ok := strings.Cut(arg, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" || value == "" {
		return fmt.Errorf("want NAME=VALUE, as in --set r=0.5")
	}
	x, err := strconv.ParseFloat(value, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Errorf("%q is not a number", value)
	}
	s[name] = x
	return nil
}
