package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/plots"
)

var plotCmd = &command{
	name:    "plot",
	args:    "MODEL [flags]",
	short:   "draw a model's plots and its emergence dashboard as PNG, SVG or PDF",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupPlot,
	long: `Plot runs the model in the file MODEL and draws pictures of the run.

Without --vars or --phase, it draws every [[plots]] entry of the model
into the directory -o (default the current one; created if need be),
each to the entry's file,
and the emergence dashboard — the variables with the model's thresholds,
the loop dominance and the linear stability on a shared time axis — to
MODEL-dashboard.png (MODEL without its extension), and the model's
stock-and-flow and causal-loop diagrams, as "stockflow diagram" draws
them, to MODEL-diagram.svg and MODEL-cld.svg.

--vars a,b draws those variables over time, with the thresholds on them,
to the file -o (default MODEL.png); --phase x,y draws the phase portrait
of y against x.

The format follows the file's extension: .png (the default), .svg or .pdf.
Each file is written whole or not at all. Plot prints the name of each
file it writes.

--watch keeps running: whenever MODEL is saved, plot draws everything
again. A save that does not load or run prints its errors and leaves the
last good pictures in place. Interrupt (Ctrl-C) to stop.

Examples:

	stockflow plot examples/logistic/logistic.toml -o out
	stockflow plot examples/sir/sir.toml --vars infectious,recovered -o sir.svg
	stockflow plot examples/predator-prey/predator_prey.toml --phase hares,lynx -o phase.png
	stockflow plot examples/logistic/logistic.toml --watch
`,
}

// plotFlags holds the flags of "stockflow plot".
type plotFlags struct {
	sim      *runFlags
	out      string
	vars     string
	phase    string
	watch    bool
	interval time.Duration
}

func setupPlot(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &plotFlags{sim: simFlags(fs)}
	cutFlags(fs, f.sim)
	fs.StringVar(&f.out, "o", "", "write to `PATH`: a directory for the model's plots, a file for --vars and --phase")
	fs.StringVar(&f.vars, "vars", "", "draw these variables over time, a comma-separated `LIST`")
	fs.StringVar(&f.phase, "phase", "", "draw the phase portrait of `X,Y`")
	fs.BoolVar(&f.watch, "watch", false, "draw again whenever the model file is saved, until interrupted")
	fs.DurationVar(&f.interval, "interval", 500*time.Millisecond, "with --watch, how often to look at the file, a `DURATION`")
	return f.run
}

// picture is one rendered file: its path and bytes.
type picture struct {
	path string
	data []byte
}

func (f *plotFlags) run(ctx context.Context, out *output, args []string) error {
	opt, err := f.sim.runOptions(f.out, f.vars)
	if err != nil {
		return err
	}
	vars, err := splitList("vars", f.vars, 1)
	if err != nil {
		return err
	}
	phase, err := splitList("phase", f.phase, 2)
	if err != nil {
		return err
	}
	if phase != nil && len(phase) != 2 {
		return usagef("--phase needs two variables, X,Y")
	}
	if vars != nil && phase != nil {
		return usagef("--vars and --phase draw different pictures: give one")
	}
	if f.interval <= 0 {
		return usagef("--interval must be positive, not %v", f.interval)
	}
	path := args[0]
	single := vars != nil || phase != nil
	if single && f.out != "" {
		if _, err := plots.FormatOf(f.out); err != nil {
			return usagef("%v", err)
		}
	}
	r := &plotRender{path: path, opt: opt, vars: vars, phase: phase, out: f.out, sim: f.sim, stderr: out.stderr, output: out}
	draw := func() error {
		pics, err := r.render(ctx)
		if err != nil {
			return err
		}
		for _, msg := range r.warnings {
			fmt.Fprintf(out.stderr, "%s: warning: %s\n", path, msg)
		}
		if !single && f.out != "" {
			// -o names the directory for the model's plots: create it once
			// there is something to put in it.
			if err := os.MkdirAll(f.out, 0o777); err != nil {
				return err
			}
		}
		return writePictures(ctx, out.stdout, pics, path)
	}
	if !f.watch {
		return draw()
	}
	return watchFile(ctx, path, f.interval, draw, out.stderr)
}

// splitList splits a comma-separated flag value; nil if it is empty.
func splitList(flagName, s string, least int) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := syntax.SplitNames(s)
	if len(out) < least {
		return nil, usagef("--%s needs at least %d variable name(s)", flagName, least)
	}
	return out, nil
}

// plotRender draws the pictures "stockflow plot" asks for.
type plotRender struct {
	path  string
	opt   model.RunOptions
	vars  []string
	phase []string
	out   string
	// sim and stderr check the --set values against the model
	// (runFlags.checkSet).
	sim    *runFlags
	stderr io.Writer
	*output

	warnings []string // the last render's run warnings
}

// render loads and runs the model and renders every picture, writing
// nothing: a failure anywhere leaves the files as they were.
func (r *plotRender) render(ctx context.Context) ([]picture, error) {
	r.warnings = nil
	m, err := r.load(r.path)
	if err != nil {
		return nil, err
	}
	if err := r.sim.checkSet(m, r.stderr); err != nil {
		return nil, err
	}
	if m, err = r.sim.cutModel(m); err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(filepath.Base(r.path), filepath.Ext(r.path))
	scenarios := r.scenarios()
	if len(scenarios) > 1 {
		return r.renderScenarios(ctx, m, base, scenarios)
	}
	scenario := r.opt.Scenario
	if r.vars != nil || r.phase != nil {
		res, err := m.Run(ctx, r.opt)
		if err != nil {
			return nil, &fileError{r.path, err}
		}
		r.warnings = res.Warnings
		var fig *plots.Figure
		if r.phase != nil {
			fig, err = plots.Phase(m, res, r.phase[0], r.phase[1])
		} else {
			fig, err = plots.TimeSeries(m, res, r.vars, r.thresholdsOn(m, r.vars))
		}
		if err != nil {
			return nil, &fileError{r.path, err}
		}
		if scenario != "" {
			addScenarioTitle(fig, scenario)
		}
		out := r.out
		if out == "" {
			out = withScenario(base+".png", scenario)
		}
		pic, err := encode(fig, out)
		if err != nil {
			return nil, err
		}
		return []picture{pic}, nil
	}

	dir, err := r.dir()
	if err != nil {
		return nil, err
	}
	e, err := loops.AnalyzeEmergence(ctx, m, r.opt, nil)
	if err != nil {
		return nil, &fileError{r.path, err}
	}
	r.warnings = e.Result.Warnings
	var pics []picture
	for _, pl := range m.Decl.Plots {
		if err := localFile(pl); err != nil {
			return nil, err
		}
		fig, err := r.plot(ctx, m, e.Result, pl)
		if err != nil {
			return nil, &fileError{r.path, err}
		}
		file := pl.File
		if scenario != "" && len(pl.Scenarios) == 0 {
			// An entry that names its scenarios draws the same whatever
			// --scenario says.
			addScenarioTitle(fig, scenario)
			file = withScenario(file, scenario)
		}
		pic, err := encode(fig, filepath.Join(dir, file))
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", r.path, pl.Key, err)
		}
		pics = append(pics, pic)
	}
	pic, err := r.dashboard(m, e, dir, base, scenario)
	if err != nil {
		return nil, err
	}
	diagrams, err := r.diagrams(ctx, m, dir, base)
	if err != nil {
		return nil, err
	}
	return append(append(pics, pic), diagrams...), nil
}

// diagrams draws the model's stock-and-flow diagram and causal-loop
// diagram as SVG into dir, as "stockflow diagram" draws them by default
// (where the model file places its variables, if it does):
// MODEL-diagram.svg and MODEL-cld.svg. They show the structure, which no
// scenario changes.
func (r *plotRender) diagrams(ctx context.Context, m *model.Model, dir, base string) ([]picture, error) {
	g := loops.NewGraph(m)
	opt := plots.DiagramOptions{Layout: plots.LayoutAuto}
	if plots.HasPlaces(g) {
		opt.Layout = plots.LayoutFile
	}
	sf, err := plots.StockFlowDOT(g, opt)
	if err != nil {
		return nil, &fileError{r.path, err}
	}
	cld, err := plots.LoopDOT(loops.Find(g, loops.Options{}), opt)
	if err != nil {
		return nil, &fileError{r.path, err}
	}
	var pics []picture
	for _, d := range []struct {
		dot  []byte
		file string
	}{{sf, base + "-diagram.svg"}, {cld, base + "-cld.svg"}} {
		var buf bytes.Buffer
		if err := plots.RenderDiagram(ctx, d.dot, "svg", &buf); err != nil {
			return nil, &fileError{r.path, err}
		}
		pics = append(pics, picture{path: filepath.Join(dir, d.file), data: buf.Bytes()})
	}
	return pics, nil
}

// scenarios returns the scenarios --scenario names: none, one, or several
// separated by commas.
func (r *plotRender) scenarios() []string {
	if r.opt.Scenario == "" {
		return nil
	}
	return syntax.SplitNames(r.opt.Scenario)
}

// thresholdsOn returns the model's thresholds on any of vars.
func (r *plotRender) thresholdsOn(m *model.Model, vars []string) []string {
	var ths []string
	for _, th := range m.Decl.Thresholds {
		if slices.Contains(vars, th.Var) {
			ths = append(ths, th.Name)
		}
	}
	return ths
}

// dir returns the directory the model's plots go to.
func (r *plotRender) dir() (string, error) {
	dir := r.out
	if dir == "" {
		dir = "."
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return "", fmt.Errorf("%s: not a directory (with neither --vars nor --phase, -o names the directory for the model's plots)", dir)
	}
	return dir, nil
}

// localFile refuses a [[plots]] file that leaves the output directory.
func localFile(pl *decl.Plot) error {
	if !filepath.IsLocal(pl.File) {
		return &syntax.Error{Pos: pl.FieldPos["file"], Key: pl.Key + ".file",
			Msg: fmt.Sprintf("file %q leaves the output directory: give a relative path inside it (no \"..\", not absolute)", pl.File)}
	}
	return nil
}

// dashboard draws the emergence dashboard of a run of scenario ("" for
// the model as it is) into dir.
func (r *plotRender) dashboard(m *model.Model, e *loops.Emergence, dir, base, scenario string) (picture, error) {
	fig, err := plots.Dashboard(m, e, nil)
	if err != nil {
		return picture{}, &fileError{r.path, err}
	}
	if scenario != "" {
		addScenarioTitle(fig, scenario)
	}
	return encode(fig, filepath.Join(dir, withScenario(base+"-dashboard.png", scenario)))
}

// renderScenarios draws several scenarios together: each variable of the
// pictures asked for, one line per scenario, and a dashboard for each
// scenario. File names carry the scenarios' names.
func (r *plotRender) renderScenarios(ctx context.Context, m *model.Model, base string, names []string) ([]picture, error) {
	tag := strings.Join(names, "-")
	if r.phase != nil {
		return nil, usagef("--phase draws one scenario, not %d", len(names))
	}
	if r.vars != nil {
		if len(r.vars) != 1 {
			return nil, usagef("with several scenarios, --vars draws one variable, not %d", len(r.vars))
		}
		opt := r.opt
		opt.Scenario, opt.Vars = "", r.vars
		runs, err := m.RunScenarios(ctx, opt, names...)
		if err != nil {
			return nil, &fileError{r.path, err}
		}
		fig, err := plots.Scenarios(m, r.vars[0], names, runs, r.thresholdsOn(m, r.vars))
		if err != nil {
			return nil, &fileError{r.path, err}
		}
		out := r.out
		if out == "" {
			out = withScenario(base+".png", tag)
		}
		pic, err := encode(fig, out)
		if err != nil {
			return nil, err
		}
		return []picture{pic}, nil
	}
	dir, err := r.dir()
	if err != nil {
		return nil, err
	}
	var pics []picture
	var runs []*model.Result
	for _, name := range names {
		opt := r.opt
		opt.Scenario = name
		e, err := loops.AnalyzeEmergence(ctx, m, opt, nil)
		if err != nil {
			return nil, &fileError{r.path, fmt.Errorf("scenario %s: %w", name, err)}
		}
		r.warnings = append(r.warnings, e.Result.Warnings...)
		runs = append(runs, e.Result)
		pic, err := r.dashboard(m, e, dir, base, name)
		if err != nil {
			return nil, err
		}
		pics = append(pics, pic)
	}
	var plotted []picture
	for _, pl := range m.Decl.Plots {
		if err := localFile(pl); err != nil {
			return nil, err
		}
		if len(pl.Scenarios) > 0 {
			fig, err := r.plot(ctx, m, runs[0], pl)
			if err != nil {
				return nil, &fileError{r.path, err}
			}
			pic, err := encode(fig, filepath.Join(dir, pl.File))
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v", r.path, pl.Key, err)
			}
			plotted = append(plotted, pic)
			continue
		}
		for _, v := range pl.Vars {
			fig, err := plots.Scenarios(m, v, names, runs, pl.Thresholds)
			if err != nil {
				return nil, &fileError{r.path, fmt.Errorf("%s: %w", pl.Key, err)}
			}
			file := pl.File
			if len(pl.Vars) > 1 {
				file = withScenario(file, v)
			}
			if pl.Title != "" {
				fig.SetTitle(pl.Title + " — by scenario")
			}
			pic, err := encode(fig, filepath.Join(dir, withScenario(file, tag)))
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v", r.path, pl.Key, err)
			}
			plotted = append(plotted, pic)
		}
	}
	diagrams, err := r.diagrams(ctx, m, dir, base)
	if err != nil {
		return nil, err
	}
	return append(append(plotted, pics...), diagrams...), nil
}

// plot draws one [[plots]] entry: from res, or, for an entry that names
// scenarios, from a run of each (the run options apply to each, the
// entry's scenario replacing --scenario).
func (r *plotRender) plot(ctx context.Context, m *model.Model, res *model.Result, pl *decl.Plot) (*plots.Figure, error) {
	if len(pl.Scenarios) == 0 {
		return plots.ForPlot(m, res, pl)
	}
	opt := r.opt
	opt.Vars = pl.Vars
	runs, err := m.RunScenarios(ctx, opt, pl.Scenarios...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pl.Key, err)
	}
	return plots.ForScenarioPlot(m, pl, runs)
}

// addScenarioTitle puts the scenario's name in a figure's title.
func addScenarioTitle(fig *plots.Figure, scenario string) {
	title := fig.Title
	if len(fig.Panels) == 1 {
		title = fig.Panels[0].Title
	}
	if title == "" {
		fig.SetTitle("scenario " + scenario)
		return
	}
	fig.SetTitle(title + " — scenario " + scenario)
}

// withScenario puts the scenario's name in a file name, before its
// extension: population.png becomes population-no_fibre_cable.png.
func withScenario(file, scenario string) string {
	if scenario == "" {
		return file
	}
	ext := filepath.Ext(file)
	return strings.TrimSuffix(file, ext) + "-" + scenario + ext
}

// encode renders a figure in the format of path's extension.
func encode(fig *plots.Figure, path string) (picture, error) {
	format, err := plots.FormatOf(path)
	if err != nil {
		return picture{}, err
	}
	b, err := fig.Encode(format)
	if err != nil {
		return picture{}, fmt.Errorf("%s: %v", path, err)
	}
	return picture{path, b}, nil
}

// writePictures writes each picture whole or not at all and prints its
// name. It writes none if one of them would replace an input file.
func writePictures(ctx context.Context, w io.Writer, pics []picture, inputs ...string) error {
	for _, p := range pics {
		if err := notInput("plot", p.path, inputs...); err != nil {
			return err
		}
	}
	for _, p := range pics {
		if err := writeFile(ctx, p.path, func(w io.Writer) error {
			_, err := io.Copy(w, bytes.NewReader(p.data))
			return err
		}); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s\n", p.path)
	}
	return nil
}

// watchFile calls render now and again whenever the file at path changes
// (its modification time or size), looking every interval, until ctx is
// done; then it returns nil. render's errors are printed to stderr and
// watching goes on, so that a broken save shows its errors and the last
// good output stays.
func watchFile(ctx context.Context, path string, interval time.Duration, render func() error, stderr io.Writer) error {
	var lastMod time.Time
	lastSize := int64(-1)
	fmt.Fprintf(stderr, "stockflow: watching %s; interrupt to stop\n", path)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		fi, err := os.Stat(path)
		switch {
		case err != nil:
			if lastSize != -2 {
				printError(stderr, err)
			}
			lastSize = -2
		case !fi.ModTime().Equal(lastMod) || fi.Size() != lastSize:
			lastMod, lastSize = fi.ModTime(), fi.Size()
			if err := render(); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				printError(stderr, err)
				fmt.Fprintln(stderr, "stockflow: keeping the last good pictures; waiting for the next save")
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
