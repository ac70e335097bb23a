package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/plots"
	"github.com/stockflow/stockflow/sensitivity"
)

var sensitivityCmd = &command{
	name:    "sensitivity",
	args:    "MODEL [flags]  |  stockflow sensitivity merge FILES... [flags]",
	short:   "Monte Carlo and global sensitivity (Sobol, Morris) of threshold crossings",
	minArgs: 1,
	maxArgs: -1,
	setup:   setupSensitivity,
	long: `Sensitivity runs the model in the file MODEL many times with its params
drawn from their distributions — by default uniform over each param's
declared [min, max]; a param may declare dist = "triangular", "normal" or
"lognormal" with mode, mean and sd (see docs/sensitivity.md) — and reports,
for each of the model's thresholds, the share of runs that cross it and
the 5, 25, 50, 75 and 95 % quantiles of the first crossing time; with -o,
the pictures: the curve "probability crossed by time t" of each threshold
and a fan chart (5–95 %, 25–75 %, median) of each variable of --vars
(default the thresholds' variables and those of the model's [[plots]]).

--method sobol (Saltelli's design, N·(d+2) runs for d params) and --method
morris (N trajectories of d+1 runs) add the params' sensitivity indices of
each threshold's crossing time and of each --outputs VAR@TIME, and a
ranked bar chart of each with -o. A run that never crosses counts as
crossing at the end of the run, and the report says how many did.

The runs share the compiled model and go in parallel, --workers at a
time; the same --seed gives the same numbers with any number of workers.
--seed also seeds the model's random functions, the same in every run.

--shard K/N (K from 0 to N-1) runs only the K-th of N slices of the
study's runs and writes what it keeps of them to DIR/shard-K-of-N.json
(DIR from -o, default the current directory); --shard auto/N takes K from
JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (a
Slurm job array). "stockflow sensitivity merge FILES..." reads the shards
(a directory stands for the shard-K-of-N.json files in it) and writes the
report of the whole study, the same bit for bit as one unsharded run, with
--json, -o and --top as for a study.

The other flags shape every run, as for "stockflow run"; the integration
method is --integrator, since --method names the study's.

On a terminal, a progress bar shows on stderr.

Examples:

	stockflow sensitivity examples/middle-corridor/corridor.toml --samples 1000 -o corridor-mc
	stockflow sensitivity examples/middle-corridor/corridor.toml --method sobol --samples 256 --json
	stockflow sensitivity examples/logistic/logistic.toml --method morris --outputs population@20
	stockflow sensitivity examples/middle-corridor/corridor.toml --samples 10000 --shard auto/10 -o shards
	stockflow sensitivity merge shards -o corridor-mc
`,
}

// sensitivityFlags holds the flags of "stockflow sensitivity".
type sensitivityFlags struct {
	sim        *runFlags
	method     string
	samples    int
	params     string
	sampler    string
	vars       string
	outputs    string
	thresholds string
	levels     int
	bootstrap  int
	workers    int
	progress   string
	json       bool
	out        string
	shard      string
	top        int
}

func setupSensitivity(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &sensitivityFlags{sim: simFlagsAs(fs, "integrator")}
	fs.StringVar(&f.method, "method", "mc", "the study: `METHOD` mc (Monte Carlo), sobol or morris")
	fs.IntVar(&f.samples, "samples", sensitivity.DefaultSamples, "`N`: runs of a Monte Carlo study, base points of a Sobol study, trajectories of a Morris design")
	fs.StringVar(&f.params, "params", "", "vary these params, a comma-separated `LIST` (default every param with a range or a dist)")
	fs.StringVar(&f.sampler, "sampler", "", "`SAMPLER` lhs (Latin hypercube), random or halton (default lhs; halton for sobol)")
	fs.StringVar(&f.vars, "vars", "", "fan charts of these variables, a comma-separated `LIST` (default the thresholds' and the [[plots]] variables)")
	fs.StringVar(&f.outputs, "outputs", "", "indices of these values too, a comma-separated `LIST` of VAR@TIME")
	fs.StringVar(&f.thresholds, "thresholds", "", "report these thresholds, a comma-separated `LIST` (default all)")
	fs.IntVar(&f.levels, "levels", sensitivity.DefaultLevels, "`N` grid levels of a Morris design, even")
	fs.IntVar(&f.bootstrap, "bootstrap", sensitivity.DefaultBootstrap, "`N` bootstrap resamples for the intervals of Sobol indices")
	fs.IntVar(&f.workers, "workers", 0, "make `N` runs at once (default one per core)")
	fs.StringVar(&f.progress, "progress", "auto", "show a progress bar on stderr: `WHEN` auto (on a terminal), always or never")
	fs.BoolVar(&f.json, "json", false, "write the report as JSON")
	fs.StringVar(&f.out, "o", "", "write the pictures (with --shard, the shard's runs) into the directory `DIR`")
	fs.StringVar(&f.shard, "shard", "", "run only slice `K/N` of the study (K from 0 to N-1, or auto/N) and write its runs to a file")
	fs.IntVar(&f.top, "top", 10, "list the `N` most influential params of each output (0: all)")

	// The run flags of "stockflow run", but --integrator for --method.
	usage(fs,
		"scenario", "run the model's scenario `NAME` (its [scenarios.NAME] param values; --set and the study's params apply after it)",
		"set", "fix a param in every run: `NAME=VALUE` (repeatable; within its declared min and max)",
		"seed", "seed `S` of the sample plan, the bootstrap and the model's random functions (default 1)")
	return f.run
}

func (f *sensitivityFlags) run(ctx context.Context, out *output, args []string) error {
	if f.top < 0 {
		return usagef("--top must not be negative, not %d", f.top)
	}
	if args[0] == "merge" {
		return f.merge(ctx, out, args[1:])
	}
	if len(args) > 1 {
		return usagef("unexpected argument %q", args[1])
	}
	opt, err := f.sim.runOptions(f.out, f.vars)
	if err != nil {
		return err
	}
	if f.workers < 0 {
		return usagef("--workers must be positive (or 0 for one per core), not %d", f.workers)
	}
	switch f.method {
	case sensitivity.MonteCarlo, sensitivity.Sobol, sensitivity.Morris:
	default:
		return usagef("unknown method %q (want mc, sobol or morris)", f.method)
	}
	switch f.sampler {
	case "", sensitivity.LHS, sensitivity.Random, sensitivity.Halton:
	default:
		return usagef("unknown sampler %q (want lhs, random or halton)", f.sampler)
	}
	if f.sampler != "" && f.method == sensitivity.Morris {
		return usagef("--sampler does not apply to --method morris, whose trajectories are a design of their own")
	}
	if f.samples < 2 {
		return usagef("--samples must be at least 2, not %d", f.samples)
	}
	so := &sensitivity.Options{
		Run: opt, Method: f.method, Samples: f.samples, Seed: opt.Seed, Sampler: f.sampler,
		Levels: f.levels, Bootstrap: f.bootstrap, Workers: f.workers,
	}
	given := map[string]bool{}
	f.sim.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if given["params"] {
		if so.Params = syntax.SplitNames(f.params); len(so.Params) == 0 {
			return usagef("--params needs at least one param name")
		}
	}
	if given["thresholds"] {
		so.Thresholds = syntax.SplitNames(f.thresholds)
	}
	if given["vars"] {
		so.Vars = opt.Vars
	}
	for _, s := range syntax.SplitNames(f.outputs) {
		o, err := sensitivity.ParseOutput(s)
		if err != nil {
			return usagef("--outputs: %v", err)
		}
		so.Outputs = append(so.Outputs, o)
	}
	if len(so.Outputs) > 0 && f.method == sensitivity.MonteCarlo {
		return usagef("--outputs are for the indices of --method sobol or morris")
	}
	var shard sensitivity.Shard
	if f.shard != "" {
		if shard, err = sensitivity.ParseShard(f.shard); err != nil {
			return usagef("--shard: %v", err)
		}
		if f.json {
			return usagef("--shard writes the shard's runs to a file; merge the shards for the report (--json)")
		}
	}
	bar, err := progressWanted(f.progress, out)
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
	pb := startProgress(out, bar, &so.Progress)
	runs, err := sensitivity.RunShard(ctx, m, so, shard)
	pb.finish(err == nil)
	if err != nil {
		return &fileError{path, err}
	}
	if f.shard != "" {
		dir := f.out
		if dir == "" {
			dir = "."
		} else if err := os.MkdirAll(dir, 0o777); err != nil {
			return err
		}
		file := filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d.json", shard.K, shard.N))
		if err := writeFile(ctx, file, runs.WriteJSON); err != nil {
			return err
		}
		fmt.Fprintf(out.stdout, "wrote %s (runs %d to %d of %d)\n", file, runs.Shard.K*runs.Total/runs.Shard.N, (runs.Shard.K+1)*runs.Total/runs.Shard.N-1, runs.Total)
		return nil
	}
	res, err := sensitivity.Analyze(runs)
	if err != nil {
		return err
	}
	return f.report(ctx, out, res)
}

// merge implements "stockflow sensitivity merge FILES...".
func (f *sensitivityFlags) merge(ctx context.Context, out *output, files []string) error {
	if len(files) == 0 {
		return usagef("merge needs the shards' files")
	}
	var paths []string
	for _, arg := range files {
		if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
			found, _ := filepath.Glob(filepath.Join(arg, "shard-*-of-*.json"))
			if len(found) == 0 {
				return fmt.Errorf("%s: no shard-K-of-N.json files in the directory", arg)
			}
			paths = append(paths, found...)
			continue
		}
		paths = append(paths, arg)
	}
	var shards []*sensitivity.Runs
	for _, file := range paths {
		fh, err := os.Open(file)
		if err != nil {
			return err
		}
		r, err := sensitivity.ReadRuns(fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("%s: %v", file, err)
		}
		shards = append(shards, r)
	}
	runs, err := sensitivity.Merge(shards...)
	if err != nil {
		return err
	}
	res, err := sensitivity.Analyze(runs)
	if err != nil {
		return err
	}
	return f.report(ctx, out, res)
}

// report prints the result (text or JSON) and draws its pictures into -o.
func (f *sensitivityFlags) report(ctx context.Context, out *output, res *sensitivity.Result) error {
	if f.out != "" {
		pics, err := sensitivityPictures(res, f.out, f.top)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(f.out, 0o777); err != nil {
			return err
		}
		w := out.stdout
		if f.json {
			w = out.stderr
		}
		if err := writePictures(ctx, w, pics); err != nil {
			return err
		}
	}
	if f.json {
		return writeJSON(out.stdout, res)
	}
	return res.WriteText(out.stdout, f.top)
}

// sensitivityPictures draws a study's pictures into dir: the crossing
// probability of each threshold, the fan chart of each banded variable
// and the ranked indices of each output.
func sensitivityPictures(res *sensitivity.Result, dir string, top int) ([]picture, error) {
	var pics []picture
	add := func(fig *plots.Figure, err error, name string) error {
		if err != nil {
			return err
		}
		pic, err := encode(fig, filepath.Join(dir, fileName(name)+".png"))
		if err != nil {
			return err
		}
		pics = append(pics, pic)
		return nil
	}
	for _, tr := range res.Thresholds {
		fig, err := plots.CrossingProbability(res, tr.Name)
		if err := add(fig, err, "crossing-"+tr.Name); err != nil {
			return nil, err
		}
	}
	for _, b := range res.Bands {
		fig, err := plots.Fan(res, b.Var)
		if err := add(fig, err, "fan-"+b.Var); err != nil {
			return nil, err
		}
	}
	for _, o := range res.Outputs {
		fig, err := plots.Indices(res, o.Name, top)
		if err := add(fig, err, "indices-"+o.Name); err != nil {
			return nil, err
		}
	}
	return pics, nil
}

// fileName makes a variable or output name safe as a file name:
// "crossing_time:emergence" → "crossing_time-emergence".
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ':', '/', '\\', ' ', ',', '*', '?', '"', '<', '>', '|':
			return '-'
		}
		return r
	}, s)
}

// progressWanted reads --progress: whether to draw a progress bar.
func progressWanted(when string, out *output) (bool, error) {
	switch when {
	case "auto":
		return isTerminal(out.stderr), nil
	case "always":
		return true, nil
	case "never":
		return false, nil
	}
	return false, usagef("--progress must be auto, always or never, not %q", when)
}
