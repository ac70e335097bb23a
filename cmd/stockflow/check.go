package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

var checkCmd = &command{
	name:    "check",
	args:    "MODEL",
	short:   "load and compile a model, and summarize it",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupCheck,
	long: `Check loads and compiles the model in the file MODEL without running it.

If the model is sound, check prints a summary: its name, how many stocks,
flows, aux, params and lookups it declares (an arrayed variable counts
once), its dimensions and arrayed variables with their number of
elements, its thresholds, loops, plots and scenarios (each if any), its simulation
settings, and "ok".

With --disasm, check prints instead the code the model compiles to, one
instruction a line (as "mul population birth_rate → births"): what the
interpreter computes at the start time, for the aux and flows, and for
the stocks' rates.

Check also checks the model's units of measure (docs/units.md): a units
problem is an error here, though run, plot and the other commands only warn
of it, unless the model says [sim] units = "off".

Otherwise check prints every error it finds, one per line, as

	file:line:col: key: message

and exits with status 1.
`,
}

func setupCheck(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	disasm := fs.Bool("disasm", false, "print the compiled code instead of the summary")
	return func(ctx context.Context, out *output, args []string) error {
		m, err := out.loadQuiet(args[0])
		if err != nil {
			return err
		}
		if *disasm {
			printUnitsWarnings(out.stderr, m)
			return m.Disassemble(out.stdout)
		}
		// Units problems are errors here, whatever [sim] units says
		// (unless "off"): check is where a modeler asks for them.
		if errs := m.Units().Errors; len(errs) > 0 {
			return errs
		}
		// The [[loops]] entries must name loops the model has, with the
		// polarity they have.
		if errs := loops.Check(ctx, m); len(errs) > 0 {
			return errs
		}
		if err := checkInitialRanges(m); err != nil {
			return err
		}
		// Count what the file declares: an arrayed variable once.
		d := m.Source
		if d == nil {
			d = m.Decl
		}
		printWarnings(out.stderr, d)
		printHygiene(out, m, model.RunOptions{})
		counts := map[decl.Kind]int{}
		arrayed, elements := 0, 0
		size := map[string]int{}
		for _, dim := range d.Dimensions {
			size[dim.Name] = len(dim.Elements)
		}
		for _, v := range d.Vars {
			counts[v.Kind]++
			if len(v.Dims) > 0 {
				arrayed++
				n := 1
				for _, dim := range v.Dims {
					n *= size[dim]
				}
				elements += n
			}
		}

		tw := tabwriter.NewWriter(out.stdout, 0, 0, 1, ' ', 0)
		line := func(key, format string, args ...any) {
			fmt.Fprintf(tw, "%s:\t%s\n", key, fmt.Sprintf(format, args...))
		}
		if d.Name != "" {
			line("model", "%s", d.Name)
		}
		line("file", "%s", args[0])
		for _, k := range []decl.Kind{decl.Stock, decl.Flow, decl.Aux, decl.Param, decl.Lookup} {
			line(k.Section(), "%d", counts[k])
		}
		if counts[decl.Data] > 0 {
			line(decl.Data.Section(), "%d", counts[decl.Data])
		}
		if len(d.Dimensions) > 0 {
			sizes := make([]string, len(d.Dimensions))
			for i, dim := range d.Dimensions {
				sizes[i] = fmt.Sprintf("%s: %d", dim.Name, len(dim.Elements))
			}
			line("dimensions", "%d (%s)", len(d.Dimensions), strings.Join(sizes, ", "))
		}
		if arrayed > 0 {
			line("arrayed", "%d variables, %d elements", arrayed, elements)
		}
		for _, c := range []struct {
			key string
			n   int
		}{{"thresholds", len(d.Thresholds)}, {"loops", len(d.Loops)}, {"plots", len(d.Plots)}, {"scenarios", len(d.Scenarios)}} {
			if c.n > 0 {
				line(c.key, "%d", c.n)
			}
		}
		settings, err := m.Settings(model.RunOptions{})
		if err != nil {
			return err
		}
		line("sim", "%s", simSummary(settings, d.Sim))
		if err := tw.Flush(); err != nil {
			return err
		}
		_, err = fmt.Fprintln(out.stdout, "ok")
		return err
	}
}

// checkInitialRanges returns an error, at each range = [lo, hi] given,
// for the variables whose start values (under the declared params) are
// outside their ranges.
func checkInitialRanges(m *model.Model) error {
	out, err := m.InitialRanges(model.RunOptions{})
	if err != nil {
		return err
	}
	var errs syntax.ErrorList
	for _, v := range out {
		dv := m.Decl.Var(v.Var)
		errs.Addf(dv.FieldPosOr("range"), dv.Key+".range", "%s starts at %s, outside its range %s", v.Var, num(v.Value), decl.RangeText(v.Range))
	}
	return errs.Err()
}

// simSummary describes the simulation settings on one line, as a run
// would use them; file is what the model file says, for the integration
// method a reader translated ("method rk4 (Vensim RK4 Fixed)").
func simSummary(s model.Settings, file decl.Sim) string {
	from := ""
	if file.MethodFrom != "" && file.Method == s.Method {
		from = " (" + file.MethodFrom + ")"
	}
	units := ""
	if s.TimeUnits != "" {
		units = " " + s.TimeUnits
	}
	parts := []string{
		"start " + num(s.Start) + units,
		"stop " + num(s.Stop) + units,
		"dt " + num(s.DT),
		"method " + s.Method + from,
		"save_every " + num(s.SaveEvery),
	}
	if s.Method == "rk45" {
		parts = append(parts, "rel_tol "+num(s.RelTol), "abs_tol "+num(s.AbsTol))
		if s.MaxStep > 0 {
			parts = append(parts, "max_step "+num(s.MaxStep))
		}
	}
	return strings.Join(parts, ", ")
}

// num formats x in its shortest exact form.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
