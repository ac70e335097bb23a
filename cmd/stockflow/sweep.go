package main

import (
	"context"
	"flag"
	"fmt"
	"image/color"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/plots"
)

var sweepCmd = &command{
	name:    "sweep",
	args:    "MODEL --x PARAM=LO:HI:N --y PARAM=LO:HI:N [--threshold NAME] [flags]",
	short:   "map when a threshold is crossed over a grid of two params",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupSweep,
	long: `Sweep runs the model in the file MODEL once for every point of a grid of
two params — N values of each, evenly spaced from LO to HI — and records
when the run first crosses the threshold NAME (a [thresholds.NAME] of the
model; --threshold may be left out when the model has only one) in its
direction. An axis given as a param alone (--x r) sweeps the param's
declared range, from its min to its max, in 40 values. The runs share the compiled model and go in
parallel, --workers at a time (default one per core).

-o writes the tipping map: a heat map of the crossing time over the grid,
"never crosses" in its own colour, the model's own values of the two
params (with --scenario and --set) marked "baseline", with a colour bar; .png, .svg or .pdf
by the file's extension. --csv writes the grid as CSV (X,Y,time, the time
empty where the run never crosses; "-" for stdout). With neither, the CSV
goes to stdout. Files are written whole or not at all.

On a terminal, a progress bar shows on stderr.

The other flags shape every run, as for "stockflow run"; --set fixes
params that are not swept.

Examples:

	stockflow sweep examples/logistic/logistic.toml --threshold majority --x r=0.05:1:100 --y K=100:2000:100 -o map.png
	stockflow sweep examples/sir/sir.toml --threshold peak_passed --x beta=0.1:0.6:50 --y duration=2:20:50 --csv grid.csv
`,
}

// sweepFlags holds the flags of "stockflow sweep".
type sweepFlags struct {
	sim       *runFlags
	threshold string
	x, y      string
	out       string
	csv       string
	workers   int
	maxCells  int
	progress  string
}

func setupSweep(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &sweepFlags{sim: simFlags(fs)}
	fs.StringVar(&f.threshold, "threshold", "", "the model's threshold `NAME` whose first crossing is mapped")
	fs.StringVar(&f.x, "x", "", "the horizontal axis: `PARAM=LO:HI:N`")
	fs.StringVar(&f.y, "y", "", "the vertical axis: `PARAM=LO:HI:N`")
	fs.StringVar(&f.out, "o", "", "write the tipping map to `FILE` (.png, .svg or .pdf)")
	fs.StringVar(&f.csv, "csv", "", "write the grid as CSV to `FILE` (- for stdout)")
	fs.IntVar(&f.workers, "workers", 0, "make `N` runs at once (default one per core)")
	fs.IntVar(&f.maxCells, "max-cells", loops.DefaultMaxCells, "refuse a grid of more than `N` cells, --x's N times --y's")
	fs.StringVar(&f.progress, "progress", "auto", "show a progress bar on stderr: `WHEN` auto (on a terminal), always or never")
	return f.run
}

func (f *sweepFlags) run(ctx context.Context, out *output, args []string) error {
	opt, err := f.sim.runOptions(f.out, "")
	if err != nil {
		return err
	}
	var axes [2]loops.Axis
	declared := [2]bool{} // the axis is a param's declared range
	for i, a := range []struct{ name, val string }{{"x", f.x}, {"y", f.y}} {
		if a.val == "" {
			return usagef("--%s is required: PARAM=LO:HI:N, or PARAM alone for its declared range", a.name)
		}
		if name := strings.TrimSpace(a.val); !strings.Contains(name, "=") {
			axes[i], declared[i] = loops.Axis{Param: name, N: defaultSweepN}, true
			continue
		}
		if axes[i], err = loops.ParseAxis(a.val); err != nil {
			return usagef("--%s: %v", a.name, err)
		}
	}
	if f.maxCells <= 0 {
		return usagef("--max-cells must be positive, not %d", f.maxCells)
	}
	if f.workers < 0 {
		return usagef("--workers must be positive (or 0 for one per core), not %d", f.workers)
	}
	if f.out != "" {
		if _, err := plots.FormatOf(f.out); err != nil {
			return usagef("%v", err)
		}
		if axes[0].N < 2 || axes[1].N < 2 {
			return usagef("a tipping map needs at least 2 values on each axis")
		}
	}
	var bar bool
	switch f.progress {
	case "auto":
		bar = isTerminal(out.stderr)
	case "always":
		bar = true
	case "never":
	default:
		return usagef("--progress must be auto, always or never, not %q", f.progress)
	}
	path := args[0]
	if f.out != "" && f.csv != "" && f.csv != "-" && sameFile(f.out, f.csv) {
		return usagef("-o and --csv name the same file %s: give each its own", f.csv)
	}
	for _, o := range []struct{ flag, file string }{{"-o", f.out}, {"--csv", f.csv}} {
		if o.file != "" && o.file != "-" {
			if err := notInput(o.flag, o.file, path); err != nil {
				return err
			}
		}
	}
	m, err := out.load(path)
	if err != nil {
		return err
	}
	if err := f.sim.checkSet(m, out.stderr); err != nil {
		return err
	}
	if f.threshold == "" {
		if len(m.Decl.Thresholds) != 1 {
			return usagef("--threshold is required: the model has %d thresholds", len(m.Decl.Thresholds))
		}
		f.threshold = m.Decl.Thresholds[0].Name
	}
	for i, flagName := range []string{"--x", "--y"} {
		if !declared[i] {
			continue
		}
		a, err := declaredAxis(m, axes[i].Param, axes[i].N)
		if err != nil {
			return fmt.Errorf("%s %s: %w", flagName, axes[i].Param, err)
		}
		axes[i] = a
		fmt.Fprintf(out.stderr, "sweep: %s %s=%s:%s:%d, the param's declared range\n", flagName, a.Param, strconv.FormatFloat(a.Lo, 'g', -1, 64), strconv.FormatFloat(a.Hi, 'g', -1, 64), a.N)
	}
	so := &loops.SweepOptions{Run: opt, Workers: f.workers, MaxCells: f.maxCells}
	pb := startProgress(out, bar, &so.Progress)
	tp, err := loops.SweepThreshold(ctx, m, f.threshold, axes[0], axes[1], so)
	pb.finish(err == nil)
	if err != nil {
		return &fileError{path, err}
	}
	if f.out != "" {
		fig, err := plots.TippingMap(m, tp)
		if err != nil {
			return err
		}
		if err := markBaseline(ctx, m, opt, fig, tp); err != nil {
			return &fileError{path, err}
		}
		if opt.Scenario != "" {
			addScenarioTitle(fig, opt.Scenario)
		}
		pic, err := encode(fig, f.out)
		if err != nil {
			return err
		}
		if err := writePictures(ctx, io.Discard, []picture{pic}, path); err != nil {
			return err
		}
	}
	switch {
	case f.csv == "-" || (f.csv == "" && f.out == ""):
		return tp.WriteCSV(out.stdout)
	case f.csv != "":
		return writeFile(ctx, f.csv, tp.WriteCSV)
	}
	return nil
}

// defaultSweepN is the number of values on an axis given as a param
// alone, which sweeps the param's declared range.
const defaultSweepN = 40

// declaredAxis returns the axis over param's declared [min, max] range,
// n values.
func declaredAxis(m *model.Model, param string, n int) (loops.Axis, error) {
	for _, v := range m.Decl.Vars {
		if v.Name != param {
			continue
		}
		if v.Kind != decl.Param {
			return loops.Axis{}, fmt.Errorf("%s is %s, not a param", param, v.Kind)
		}
		if v.Min == nil || v.Max == nil || !(*v.Max > *v.Min) {
			return loops.Axis{}, fmt.Errorf("the param declares no range (min and max): give one as %s=LO:HI:N", param)
		}
		return loops.Axis{Param: param, Lo: *v.Min, Hi: *v.Max, N: n}, nil
	}
	return loops.Axis{}, fmt.Errorf("the model has no param %q", param)
}

// markBaseline marks on a tipping map the point of the two swept params'
// values in a run with the options of the sweep (the model's values,
// with --scenario and --set applied), when it lies on the map.
func markBaseline(ctx context.Context, m *model.Model, opt model.RunOptions, fig *plots.Figure, tp *loops.Tipping) error {
	opt.Vars = []string{tp.X.Param, tp.Y.Param}
	res, err := m.Run(ctx, opt)
	if err != nil {
		return err
	}
	x, y := res.Series(tp.X.Param)[0], res.Series(tp.Y.Param)[0]
	p := fig.Panels[0]
	if x < p.X.Min || x > p.X.Max || y < p.Y.Min || y > p.Y.Max {
		return nil
	}
	p.Markers = append(p.Markers, plots.Marker{X: x, Y: y, Label: "baseline", Color: color.White})
	return nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	file, ok := raw(w).(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws "[=====>    ]  45%  4500/10000 runs" on one line,
// at most ten times a second.
type progressBar struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
	last  time.Time
	done  int
	total int
}

// startProgress returns a progress bar drawn on out's stderr, its update
// method set in *update, when show is true; nil (whose finish does
// nothing) when it is false.
func startProgress(out *output, show bool, update *func(done, total int)) *progressBar {
	if !show {
		return nil
	}
	p := &progressBar{w: raw(out.stderr), start: time.Now()}
	*update = p.update
	return p
}

func (p *progressBar) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = done, total
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond || done == total {
		p.last = now
		p.draw()
	}
}

func (p *progressBar) draw() {
	const width = 30
	frac := 0.0
	if p.total > 0 {
		frac = float64(p.done) / float64(p.total)
	}
	n := int(frac * width)
	bar := strings.Repeat("=", n)
	if n < width {
		bar += ">" + strings.Repeat(" ", width-n-1)
	}
	fmt.Fprintf(p.w, "\r[%s] %3.0f%%  %d/%d runs", bar, 100*frac, p.done, p.total)
}

// finish ends the bar's line with the rate of the runs.
func (p *progressBar) finish(ok bool) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if ok {
		p.draw()
		secs := time.Since(p.start).Seconds()
		fmt.Fprintf(p.w, "  %.1f s, %.0f runs/s on %d cores\n", secs, float64(p.done)/secs, runtime.GOMAXPROCS(0))
		return
	}
	fmt.Fprintln(p.w)
}
