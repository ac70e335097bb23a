package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/plots"
)

var loopsCmd = &command{
	name:    "loops",
	args:    "MODEL [flags]",
	short:   "list a model's feedback loops and which of them dominate when",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupLoops,
	long: `Loops lists the feedback loops of the model in the file MODEL: their label
(L1, L2, ... sorted by length, then by the names of their variables), the
name of the model's [[loops]] entry for each, their polarity (R reinforcing,
B balancing, U undetermined), their length, their id (a hash of the loop's
variables, the same whatever the bounds, the run or the scenario; the
JSON's loop lists refer to loops by it) and their variables in causal
order. Smooth and delay builtins count as one link from their input to
the variable that calls them.

A polarity comes from the signs of the links in the equations. Where the
equations do not decide it, loops runs the model and reports the polarity
the loop showed, marked with *; U means the loop changed sign during the
run.

With --dominance, loops runs the model and prints the dominant periods
(Loops That Matter): from when to when which polarity dominates, the
smallest set of loops that makes up half of the loops' combined score, and
that set's mean share; then the shifts of dominant polarity. The scores are
continuous-time ones, evaluated on the integration grid (--analysis-step
to choose another), so they do not change with --save-every; --scores
discrete gives the discrete LTM of the papers, over the save interval, as
Stella and Simlin compute it. A polarity dominates when its share is at
least 0.5 + --margin for at least --min-duration; anything closer is
"contested", with both sides' loops named, and a shift counts only when
the new polarity holds that long.

The enumeration stops at --max-loops loops and skips loops longer than
--max-length; the output says when a bound cut the list short. Dominance
then also searches for the strongest loops among those not listed.

--json writes {"loops": [...], "truncated": ..., "dominance": {...}};
see docs/loops.md.

With --knockout, loops runs the model once as it is and once per named
loop (--all: every loop) with one of the loop's links cut — its target
reads the source's value at the start time, the link through the fewest
other loops — and prints a table: the link cut, the other loops it
breaks, and each threshold's first crossing and how far it moved; -o FILE
draws the first threshold's variable in every run.
--cut FROM->TO (repeatable) cuts links before anything else; see
docs/testing.md.

Examples:

	stockflow loops examples/logistic/logistic.toml
	stockflow loops examples/sir/sir.toml --dominance --method rk45
	stockflow loops examples/predator-prey/predator_prey.toml --json
	stockflow loops examples/logistic/logistic.toml --knockout
`,
}

// loopsFlags holds the flags of "stockflow loops".
type loopsFlags struct {
	fs        *flag.FlagSet
	json      bool
	dominance bool
	knockout  bool
	allLoops  bool
	out       string
	maxLoops  int
	maxLength int
	sim       *runFlags
	dom       *dominanceFlags
}

func setupLoops(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &loopsFlags{fs: fs, sim: simFlags(fs), dom: newDominanceFlags(fs)}
	cutFlags(fs, f.sim)
	fs.BoolVar(&f.json, "json", false, "write JSON instead of a table")
	fs.BoolVar(&f.dominance, "dominance", false, "run the model and report the dominant loops over time")
	fs.BoolVar(&f.knockout, "knockout", false, "run the model once per named loop with the loop cut, and report how each threshold crossing moves")
	fs.BoolVar(&f.allLoops, "all", false, "with --knockout, knock out every loop, named or not")
	fs.StringVar(&f.out, "o", "", "with --knockout, draw the first threshold's variable in every run to `FILE` (.png, .svg or .pdf)")
	fs.IntVar(&f.maxLoops, "max-loops", loops.DefaultMaxLoops, "list at most `N` loops")
	fs.IntVar(&f.maxLength, "max-length", 0, "list only loops of at most `N` variables (default no limit)")
	return f.run
}

func (f *loopsFlags) run(ctx context.Context, out *output, args []string) error {
	opt, err := f.sim.runOptions(f.out, "")
	if err != nil {
		return err
	}
	set, err := f.dom.settings()
	if err != nil {
		return err
	}
	if f.maxLoops <= 0 || f.maxLoops > loops.MaxLoopsLimit {
		return usagef("--max-loops must be from 1 to %d, not %d", loops.MaxLoopsLimit, f.maxLoops)
	}
	if f.maxLength < 0 {
		return usagef("--max-length must be positive (or 0 for no limit), not %d", f.maxLength)
	}
	path := args[0]
	if f.out != "" {
		if !f.knockout {
			return usagef("-o draws the knockout test: give --knockout too")
		}
		if _, err := plots.FormatOf(f.out); err != nil {
			return usagef("%v", err)
		}
		if err := notInput("-o", f.out, path); err != nil {
			return err
		}
	}
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
	if f.knockout {
		if f.dominance {
			return usagef("--knockout and --dominance are different reports: give one")
		}
		return f.knockouts(ctx, out, path, m, opt)
	}
	if err := loops.CheckStep(m, opt, &set); err != nil {
		return usagef("--analysis-step: %v", err)
	}
	sum, err := loops.Summarize(ctx, m, opt, &loops.SummarySettings{
		Loops:         loops.Options{MaxLoops: f.maxLoops, MaxLength: f.maxLength},
		Dominance:     set,
		WithDominance: f.dominance,
	})
	if err != nil {
		return &fileError{path, err}
	}
	if sum.Result != nil {
		printRunWarnings(out.stderr, path, sum.Result)
	}
	if f.json {
		return writeJSON(out.stdout, sum)
	}
	return f.table(out.stdout, sum)
}

func (f *loopsFlags) table(w io.Writer, sum *loops.Summary) error {
	if len(sum.Loops) == 0 {
		fmt.Fprintln(w, "no feedback loops")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "loop\tname\tpolarity\tlength\tid\tvariables")
		star := false
		for _, l := range sum.Loops {
			p := string(l.Polarity)
			if l.Observed() {
				p += "*"
				star = true
			}
			name := l.Name
			if name == "" {
				name = "-"
			}
			if l.Discovered {
				name += " (discovered)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", l.Label, name, p, l.Length, l.ID, strings.Join(l.Variables, " → "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if star {
			fmt.Fprintln(w, "* observed during a run: the equations alone do not decide it")
		}
	}
	if sum.Truncated {
		fmt.Fprintf(w, "truncated: the bounds (--max-loops %d", f.maxLoops)
		if f.maxLength > 0 {
			fmt.Fprintf(w, ", --max-length %d", f.maxLength)
		}
		fmt.Fprintln(w, ") cut the list short")
	}
	if !f.dominance {
		return nil
	}
	fmt.Fprintln(w)
	dom := sum.Dominance
	if len(dom.Periods) == 0 {
		_, err := fmt.Fprintln(w, "no dominant periods: the model has no loops, or the run is too short")
		return err
	}
	multi := len(sum.List.Partitions) > 1
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	tu := ""
	if sum.TimeUnits != "" {
		tu = " (" + sum.TimeUnits + ")"
	}
	head := "start" + tu + "\tend" + tu + "\tpolarity\tshare\tloops"
	if multi {
		head = "partition\t" + head
	}
	fmt.Fprintln(tw, "dominant periods:")
	fmt.Fprintln(tw, head)
	for _, p := range dom.Periods {
		if multi {
			fmt.Fprintf(tw, "%d\t", p.Partition+1)
		}
		loopsCol := titles(sum, p.Loops)
		pol := string(p.Polarity)
		if p.Contested {
			pol = "contested"
			loopsCol += " against " + titles(sum, p.Rivals)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", num(round3(p.Start)), num(round3(p.End)), pol, num(round3(p.Share)), loopsCol)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(dom.Shifts) == 0 {
		_, err := fmt.Fprintln(w, "shifts: none")
		return err
	}
	fmt.Fprintln(w, "shifts"+tu+":")
	for _, s := range dom.Shifts {
		where := ""
		if multi {
			where = fmt.Sprintf(" (partition %d)", s.Partition+1)
		}
		fmt.Fprintf(w, "  at %s: %s → %s%s\n", num(round3(s.Time)), s.From, s.To, where)
	}
	return nil
}

// knockouts runs the knockout test and prints it as a table, a row per
// loop and a column per threshold, or as JSON.
func (f *loopsFlags) knockouts(ctx context.Context, out *output, path string, m *model.Model, opt model.RunOptions) error {
	k, err := loops.KnockOut(ctx, m, opt, &loops.KnockoutSettings{
		Loops: loops.Options{MaxLoops: f.maxLoops, MaxLength: f.maxLength},
		All:   f.allLoops,
	})
	if err != nil {
		return &fileError{path, err}
	}
	if f.out != "" {
		if len(m.Decl.Thresholds) == 0 {
			return &fileError{path, errors.New("-o draws a threshold's variable, and the model declares no [thresholds]")}
		}
		fig, err := plots.Knockouts(m, k, m.Decl.Thresholds[0].Name)
		if err != nil {
			return &fileError{path, err}
		}
		format, _ := plots.FormatOf(f.out)
		if err := writeFile(ctx, f.out, func(w io.Writer) error { return fig.WriteTo(w, format) }); err != nil {
			return err
		}
	}
	if f.json {
		return writeJSON(out.stdout, k)
	}
	w := out.stdout
	if len(k.Knockouts) == 0 {
		_, err := fmt.Fprintln(w, "no feedback loops to knock out")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "loop\tcut\talso broken")
	for _, b := range k.Base {
		fmt.Fprintf(tw, "\t%s", b.Name)
	}
	fmt.Fprint(tw, "\n-\t(intact)\t-")
	for _, b := range k.Base {
		fmt.Fprintf(tw, "\t%s", firstTime(b.Times))
	}
	fmt.Fprintln(tw)
	for _, ko := range k.Knockouts {
		broken := "-"
		if len(ko.Broken) > 0 {
			ts := make([]string, len(ko.Broken))
			for i, id := range ko.Broken {
				ts[i] = k.Title(id)
			}
			broken = strings.Join(ts, ", ")
		}
		fmt.Fprintf(tw, "%s\t%s → %s\t%s", ko.Loop.Title(), ko.Cut.From, ko.Cut.To, broken)
		if ko.Err != "" {
			fmt.Fprintf(tw, "\tfailed: %s\n", ko.Err)
			continue
		}
		for i, th := range ko.Thresholds {
			cell := firstTime(th.Times)
			if len(th.Times) > 0 && len(k.Base[i].Times) > 0 {
				cell += fmt.Sprintf(" (%+.3g)", round3(th.Times[0]-k.Base[i].Times[0]))
			}
			fmt.Fprintf(tw, "\t%s", cell)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(k.Base) == 0 {
		_, err := fmt.Fprintln(w, "the model declares no [thresholds], so there are no crossings to compare")
		return err
	}
	in := ""
	if k.TimeUnits != "" {
		in = " in " + k.TimeUnits
	}
	_, err = fmt.Fprintf(w, "each cell: the first crossing of the threshold (and how far it moved)%s, or never\n", in)
	return err
}

// firstTime returns the first of the crossing times, rounded to three
// decimals, or "never".
func firstTime(ts []float64) string {
	if len(ts) == 0 {
		return "never"
	}
	return num(round3(ts[0]))
}

// titles returns the labels and names of the loops with the given IDs,
// comma-separated, or "-" for none.
func titles(sum *loops.Summary, ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = id
		if l := sum.Loop(id); l != nil {
			out[k] = l.Title()
		}
	}
	return strings.Join(out, ", ")
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
