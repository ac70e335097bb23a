package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/units"
)

var unitsCmd = &command{
	name:    "units",
	args:    "MODEL",
	short:   "list every variable's units, declared or inferred",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupUnits,
	long: `Units checks the units of measure of the model in the file MODEL and lists
every variable with its units: as declared, or as inferred from its
equation or its uses, and where each inference came from. A lookup shows
its input's units and its output's (x → y). Units that are neither
declared nor inferable show as "?".

The units problems print on stderr as warnings; "stockflow check" makes
them errors. docs/units.md describes the units language and the rules.

With --json, units prints one JSON object:

	{"time_units": "year", "mode": "warn",
	 "variables": [{"name", "kind", "units", "declared", "source"}, ...],
	 "problems": ["file:line:col: key: units: ...", ...]}

where a lookup's entry adds x_units, x_declared and x_source.

Example:

	stockflow units examples/sir/sir.toml
`,
}

func setupUnits(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, out *output, args []string) error {
		m, err := out.loadQuiet(args[0])
		if err != nil {
			return err
		}
		in := m.Units()
		if *asJSON {
			problems := make([]string, len(in.Errors))
			for i, e := range in.Errors {
				problems[i] = e.Error()
			}
			return writeJSON(out.stdout, struct {
				*units.Info
				Problems []string `json:"problems"`
			}{in, problems})
		}
		printUnitsWarnings(out.stderr, m)
		return printUnits(out.stdout, in)
	}
}

// printUnits writes the table of every variable's units.
func printUnits(w io.Writer, in *units.Info) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "variable\tkind\tunits\tsource")
	for _, v := range in.Vars {
		u, src := v.Units, v.Source
		if u == "" {
			u, src = "?", "not declared, not inferred"
		}
		if v.Kind == "lookup" && v.XUnits != "" {
			u = v.XUnits + " → " + u
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.Name, v.Kind, u, src)
	}
	return tw.Flush()
}

// printUnitsWarnings writes the units problems of m to w, one per line,
// as "file:line:col: key: warning: units: ...".
func printUnitsWarnings(w io.Writer, m *model.Model) {
	for _, e := range m.Units().Errors {
		c := *e
		c.Msg = "warning: " + c.Msg
		syntax.PrintError(w, "stockflow: ", &c)
	}
}
