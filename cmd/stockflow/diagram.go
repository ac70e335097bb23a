package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/plots"
)

var diagramCmd = &command{
	name:    "diagram",
	args:    "MODEL [flags]",
	short:   "draw a model's stock-and-flow diagram or causal-loop diagram",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupDiagram,
	long: `Diagram draws the structure of the model in the file MODEL.

By default it draws the stock-and-flow diagram: stocks as boxes, each flow
as a valve (a hexagon) on a double-line pipe from the stock it drains, or
a cloud, to the stock it fills, or a cloud; aux as ellipses, params as
grey names; information links as thin arrows marked + or − by their
structural polarity (? where the equation leaves it open).

--cld draws the causal-loop diagram instead: the stocks, flows and aux
(stocks in boxes), every link with its polarity, and for each loop the
model names in [[loops]] a marker, R (reinforcing) or B (balancing) and
its name, among the loop's variables; the named loops' links take the
loop's colour, warm for reinforcing loops, cool for balancing ones.
--loop NAME (repeatable; a name, label or ID from "stockflow loops")
highlights those loops and dims the rest. --loops-only leaves out every
variable that is not on a named loop (on a --loop one, when given): the
loops' argument alone, for a model too large to read whole. --dominant-at
T runs the model and draws each named loop's share of the loop dominance at time T on its
marker, its links and marker bolder the larger the share. --at-crossings
does the same at each crossing of each of the model's thresholds, one file
each, -o's name with "-THRESHOLD-tTIME" before the extension.

--params=false leaves the params out of the stock-and-flow diagram;
--focus VAR --depth N draws only the variables within N links of VAR.

--layout file draws the variables where the model file's own diagram has
them: an XMILE file's view, a Vensim file's sketch, or pos = [x, y] in a
TOML file (convert keeps the places of an imported model). It is the
default when the file places its variables; --layout auto lays the
diagram out anew.

The format follows the extension of -o (default MODEL-diagram.png, or
MODEL-cld.png with --cld): .png, .svg, .pdf or .dot (the Graphviz source,
to edit and lay out with Graphviz yourself). Layout is by Graphviz,
compiled to WebAssembly and built in: no Graphviz install is needed.

Examples:

	stockflow diagram examples/sir/sir.toml -o sir-diagram.svg
	stockflow diagram examples/middle-corridor/corridor.toml --params=false -o corridor-diagram.png
	stockflow diagram examples/middle-corridor/corridor.toml --cld -o corridor-cld.png
	stockflow diagram examples/middle-corridor/corridor.toml --cld --loop congestion -o congestion.png
	stockflow diagram examples/middle-corridor/corridor.toml --cld --loops-only --loop 'institutional feedback' --loop 'infrastructure reinforcement' --loop 'regulatory adaptation' -o three-loops.png
	stockflow diagram examples/middle-corridor/corridor.toml --focus throughput --depth 1 -o throughput.dot
`,
}

// diagramFlags holds the flags of "stockflow diagram".
type diagramFlags struct {
	sim        *runFlags
	dom        *dominanceFlags
	out        string
	cld        bool
	params     bool
	focus      string
	depth      int
	loops      loopNames
	loopsOnly  bool
	dominantAt string
	crossings  bool
	layout     string
}

// loopNames collects the values of a repeatable flag (--loop,
// --data-file).
type loopNames []string

func (l *loopNames) String() string     { return strings.Join(*l, ",") }
func (l *loopNames) Set(s string) error { *l = append(*l, s); return nil }

func setupDiagram(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &diagramFlags{sim: simFlags(fs), dom: newDominanceFlags(fs)}
	fs.StringVar(&f.out, "o", "", "write the diagram to `FILE` (.png, .svg, .pdf or .dot; default MODEL-diagram.png)")
	fs.BoolVar(&f.cld, "cld", false, "draw the causal-loop diagram")
	fs.BoolVar(&f.params, "params", true, "draw the params (stock-and-flow diagram)")
	fs.StringVar(&f.focus, "focus", "", "draw only the neighbourhood of variable `VAR`")
	fs.IntVar(&f.depth, "depth", 1, "with --focus, draw the variables within `N` links of it")
	fs.Var(&f.loops, "loop", "with --cld, highlight the loop `NAME` (repeatable)")
	fs.BoolVar(&f.loopsOnly, "loops-only", false, "with --cld, draw only the variables of the named loops (or of the --loop ones)")
	fs.StringVar(&f.dominantAt, "dominant-at", "", "with --cld, draw the loops' dominance at time `T`")
	fs.BoolVar(&f.crossings, "at-crossings", false, "with --cld, draw the loops' dominance at each threshold crossing, one file each")
	fs.StringVar(&f.layout, "layout", "", "`file`: draw the variables where the model file's own diagram has them; auto: lay them out (default: file when the file places its variables, else auto)")
	return f.run
}

func (f *diagramFlags) run(ctx context.Context, out *output, args []string) error {
	path := args[0]
	if f.depth < 1 {
		return usagef("--depth must be at least 1, not %d", f.depth)
	}
	if !f.cld && (len(f.loops) > 0 || f.dominantAt != "" || f.crossings || f.loopsOnly) {
		return usagef("--loop, --loops-only, --dominant-at and --at-crossings apply to the causal-loop diagram: add --cld")
	}
	if f.crossings && f.dominantAt != "" {
		return usagef("give --dominant-at or --at-crossings, not both")
	}
	var at float64
	if f.dominantAt != "" {
		v, err := strconv.ParseFloat(f.dominantAt, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return usagef("--dominant-at %q is not a time (a number such as 2030)", f.dominantAt)
		}
		at = v
	}
	file := f.out
	if file == "" {
		suffix := "-diagram.png"
		if f.cld {
			suffix = "-cld.png"
		}
		file = strings.TrimSuffix(path, filepath.Ext(path)) + suffix
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	switch format {
	case "png", "svg", "pdf", "dot":
	default:
		return usagef("-o %s: unknown diagram format %q (want .png, .svg, .pdf or .dot)", file, "."+format)
	}

	switch f.layout {
	case "", plots.LayoutFile, plots.LayoutAuto:
	default:
		return usagef("--layout %q: want file (the model file's own diagram) or auto", f.layout)
	}
	m, err := out.load(path)
	if err != nil {
		return err
	}
	opt := plots.DiagramOptions{HideParams: !f.params, Focus: f.focus, Depth: f.depth, Loops: f.loops, LoopsOnly: f.loopsOnly, At: at, Layout: f.layout}
	if opt.Layout == "" {
		opt.Layout = plots.LayoutAuto
		if plots.HasPlaces(loops.NewGraph(m)) {
			opt.Layout = plots.LayoutFile
		}
	}
	var dot []byte
	if f.cld {
		list := loops.Find(loops.NewGraph(m), loops.Options{})
		if f.dominantAt != "" || f.crossings {
			runOpt, err := f.sim.runOptions(file, "")
			if err != nil {
				return err
			}
			set, err := f.dom.settings()
			if err != nil {
				return err
			}
			res, err := m.Run(ctx, loops.TraceOptions(m, runOpt, &set))
			if err != nil {
				return err
			}
			if opt.Dominance, err = loops.Analyze(list, res.Trace(), &set); err != nil {
				return err
			}
			if f.crossings {
				return drawAtCrossings(ctx, out, m, list, res, opt, file, format)
			}
		}
		dot, err = plots.LoopDOT(list, opt)
	} else {
		dot, err = plots.StockFlowDOT(loops.NewGraph(m), opt)
	}
	if errors.Is(err, plots.ErrNoPlaces) {
		return fmt.Errorf("--layout file: %s: %w", path, err)
	}
	if err != nil {
		return usagef("%v", err)
	}
	if err := writeFile(ctx, file, func(w io.Writer) error { return plots.RenderDiagram(ctx, dot, format, w) }); err != nil {
		return err
	}
	fmt.Fprintln(out.stdout, file)
	if hubs, dense := plots.DenseDiagram(loops.NewGraph(m), opt, 3); dense {
		fmt.Fprintf(out.stderr, "note: %s draws too many variables to read as a whole; draw the neighbourhood of one with --focus VAR --depth N (the most connected: %s)\n",
			path, strings.Join(hubs, ", "))
	}
	return nil
}

// drawAtCrossings draws the causal-loop diagram of list with the loops'
// dominance at each crossing of each of the model's thresholds in the run
// res, one file each: file with "-THRESHOLD-tTIME" before its extension.
func drawAtCrossings(ctx context.Context, out *output, m *model.Model, list *loops.List, res *model.Result, opt plots.DiagramOptions, file, format string) error {
	type drawing struct {
		file string
		opt  plots.DiagramOptions
	}
	var todo []drawing
	for _, th := range m.Decl.Thresholds {
		dir, err := model.ParseDirection(th.Direction)
		if err != nil {
			return fmt.Errorf("%s: %v", th.Key, err)
		}
		cs, err := res.Crossings(th.Var, th.Level, dir)
		if err != nil {
			return err
		}
		for _, c := range cs {
			o := opt
			o.At = c.Time
			o.Caption = fmt.Sprintf("threshold %s: %s crosses %s (%s) at t = %.2f", th.Name, th.Var, strconv.FormatFloat(th.Level, 'g', -1, 64), c.Direction, c.Time)
			ext := filepath.Ext(file)
			name := fmt.Sprintf("%s-%s-t%s%s", strings.TrimSuffix(file, ext), th.Name, strconv.FormatFloat(c.Time, 'f', 2, 64), ext)
			todo = append(todo, drawing{name, o})
		}
	}
	if len(todo) == 0 {
		if len(m.Decl.Thresholds) == 0 {
			return errors.New("--at-crossings: the model declares no [thresholds.NAME]; use --dominant-at T")
		}
		return errors.New("--at-crossings: the run crosses none of the model's thresholds; use --dominant-at T")
	}
	for _, d := range todo {
		dot, err := plots.LoopDOT(list, d.opt)
		if err != nil {
			return err
		}
		if err := writeFile(ctx, d.file, func(w io.Writer) error { return plots.RenderDiagram(ctx, dot, format, w) }); err != nil {
			return err
		}
		fmt.Fprintln(out.stdout, d.file)
	}
	return nil
}
