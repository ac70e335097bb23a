package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/stockflow/stockflow/loops"
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

Examples:

	stockflow loops examples/logistic/logistic.toml
	stockflow loops examples/sir/sir.toml --dominance --method rk45
	stockflow loops examples/predator-prey/predator_prey.toml --json
`,
}

// loopsFlags holds the flags of "stockflow loops".
type loopsFlags struct {
	fs        *flag.FlagSet
	json      bool
	dominance bool
	maxLoops  int
	maxLength int
	sim       *runFlags
	dom       *dominanceFlags
}

func setupLoops(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &loopsFlags{fs: fs, sim: simFlags(fs), dom: newDominanceFlags(fs)}
	fs.BoolVar(&f.json, "json", false, "write JSON instead of a table")
	fs.BoolVar(&f.dominance, "dominance", false, "run the model and report the dominant loops over time")
	fs.IntVar(&f.maxLoops, "max-loops", loops.DefaultMaxLoops, "list at most `N` loops")
	fs.IntVar(&f.maxLength, "max-length", 0, "list only loops of at most `N` variables (default no limit)")
	return f.run
}

// jsonLoop is one loop in the JSON output.
type jsonLoop struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`
	Name       string   `json:"name,omitempty"`
	Polarity   string   `json:"polarity"`
	Structural string   `json:"structural"`
	Length     int      `json:"length"`
	Variables  []string `json:"variables"`
	Discovered bool     `json:"discovered,omitempty"`
}

type jsonPeriod struct {
	Partition int      `json:"partition"`
	Start     float64  `json:"start"`
	End       float64  `json:"end"`
	Polarity  string   `json:"polarity"`
	Contested bool     `json:"contested,omitempty"`
	Loops     []string `json:"loops"`
	Rivals    []string `json:"rivals,omitempty"`
	Share     float64  `json:"share"`
}

type jsonShift struct {
	Partition int     `json:"partition"`
	Time      float64 `json:"time"`
	From      string  `json:"from"`
	To        string  `json:"to"`
}

type jsonDominance struct {
	Periods []jsonPeriod `json:"periods"`
	Shifts  []jsonShift  `json:"shifts"`
}

type jsonLoops struct {
	Loops     []jsonLoop     `json:"loops"`
	Truncated bool           `json:"truncated"`
	Dominance *jsonDominance `json:"dominance,omitempty"`
}

func (f *loopsFlags) run(ctx context.Context, out *output, args []string) error {
	opt, err := f.sim.runOptions("", "")
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
	m, err := out.load(path)
	if err != nil {
		return err
	}
	if err := f.sim.checkSet(m, out.stderr); err != nil {
		return err
	}
	if err := loops.CheckStep(m, opt, &set); err != nil {
		return usagef("--analysis-step: %v", err)
	}
	list := loops.Find(loops.NewGraph(m), loops.Options{MaxLoops: f.maxLoops, MaxLength: f.maxLength})

	// Loops whose polarity the equations leave open get the polarity of a
	// run; dominance needs the run anyway.
	var dom *loops.Dominance
	ls := list.Loops
	observed := map[*loops.Loop]loops.Polarity{}
	needRun := f.dominance || slices.ContainsFunc(ls, func(l *loops.Loop) bool { return l.Polarity == loops.Undetermined })
	if needRun {
		res, err := m.Run(ctx, loops.TraceOptions(m, opt, &set))
		if err != nil {
			return &fileError{path, err}
		}
		printRunWarnings(out.stderr, path, res)
		if dom, err = loops.Analyze(list, res.Trace(), &set); err != nil {
			return &fileError{path, err}
		}
		if f.dominance {
			ls = dom.Loops
		}
		for k, l := range dom.Loops {
			observed[l] = dom.Observed[k].Polarity
		}
	}
	polarity := func(l *loops.Loop) (string, bool) {
		if l.Polarity != loops.Undetermined {
			return string(l.Polarity), false
		}
		if p, ok := observed[l]; ok {
			return string(p), true
		}
		return string(loops.Undetermined), false
	}

	if f.json {
		j := jsonLoops{Loops: []jsonLoop{}, Truncated: list.Truncated}
		for _, l := range ls {
			p, _ := polarity(l)
			j.Loops = append(j.Loops, jsonLoop{ID: l.ID, Label: l.Label, Name: l.Name, Polarity: p, Structural: string(l.Polarity),
				Length: l.Len(), Variables: l.Vars, Discovered: l.Discovered})
		}
		if f.dominance {
			jd := &jsonDominance{Periods: []jsonPeriod{}, Shifts: []jsonShift{}}
			for _, p := range dom.Periods {
				jd.Periods = append(jd.Periods, jsonPeriod{Partition: p.Partition, Start: p.Start, End: p.End,
					Polarity: string(p.Polarity), Contested: p.Contested, Loops: nonNil(p.Loops), Rivals: p.Rivals, Share: round3(p.Share)})
			}
			for _, s := range dom.Shifts {
				jd.Shifts = append(jd.Shifts, jsonShift{Partition: s.Partition, Time: s.Time, From: string(s.From), To: string(s.To)})
			}
			j.Dominance = jd
		}
		return writeJSON(out.stdout, j)
	}
	return f.table(out.stdout, list, ls, dom, polarity)
}

func (f *loopsFlags) table(w io.Writer, list *loops.List, ls []*loops.Loop, dom *loops.Dominance, polarity func(*loops.Loop) (string, bool)) error {
	if len(ls) == 0 {
		fmt.Fprintln(w, "no feedback loops")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "loop\tname\tpolarity\tlength\tid\tvariables")
		star := false
		for _, l := range ls {
			p, obs := polarity(l)
			if obs {
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
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", l.Label, name, p, l.Len(), l.ID, strings.Join(l.Vars, " → "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if star {
			fmt.Fprintln(w, "* observed during a run: the equations alone do not decide it")
		}
	}
	if list.Truncated {
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
	if len(dom.Periods) == 0 {
		_, err := fmt.Fprintln(w, "no dominant periods: the model has no loops, or the run is too short")
		return err
	}
	multi := len(list.Partitions) > 1
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "start\tend\tpolarity\tshare\tloops"
	if multi {
		head = "partition\t" + head
	}
	fmt.Fprintln(tw, "dominant periods:")
	fmt.Fprintln(tw, head)
	for _, p := range dom.Periods {
		if multi {
			fmt.Fprintf(tw, "%d\t", p.Partition+1)
		}
		loopsCol := titles(dom, p.Loops)
		pol := string(p.Polarity)
		if p.Contested {
			pol = "contested"
			loopsCol += " against " + titles(dom, p.Rivals)
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
	fmt.Fprintln(w, "shifts:")
	for _, s := range dom.Shifts {
		where := ""
		if multi {
			where = fmt.Sprintf(" (partition %d)", s.Partition+1)
		}
		fmt.Fprintf(w, "  at %s: %s → %s%s\n", num(round3(s.Time)), s.From, s.To, where)
	}
	return nil
}

// titles returns the labels and names of the loops with the given IDs,
// comma-separated, or "-" for none.
func titles(d *loops.Dominance, ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = id
		for _, lp := range d.Loops {
			if lp.ID == id {
				out[k] = lp.Title()
			}
		}
	}
	return strings.Join(out, ", ")
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
