package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/plots"
)

var convertCmd = &command{
	name:    "convert",
	args:    "MODEL [flags]",
	short:   "write a model (XMILE, Vensim or TOML) as stockflow TOML or as XMILE",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupConvert,
	long: `Convert reads the model in the file MODEL (.xmile, .stmx, .xml, .mdl or .toml),
checks that it compiles, and writes it in stockflow's TOML format:
variables in the order the file declares them, each in a table of its
own, with their units and docs. The converted model simulates to the
same numbers. The places of the variables on an XMILE or Vensim file's
own diagram are kept, as pos = [x, y].

With -o FILE.xmile (or .stmx, .xml), or --to xmile, it writes XMILE 1.0
instead, for Stella, Simlin and other XMILE tools: the settings,
dimensions and variables, which read back into the same model. What
XMILE has no place for (thresholds, loops, plots, scenarios, checks,
params' distributions) is left out with a warning, as are functions
that XMILE does not define, which are written as they are. The diagram
is written as a view: the variables at their places, or, for a model
without places, where stockflow diagram lays them out.

The output goes to stdout unless -o names a file. That file is written
whole or not at all: if the conversion fails, an existing file is left
as it was. Warnings about the input (an element the XMILE reader had to
repair, say) and the output go to stderr.

Examples:

	stockflow convert teacup.xmile -o teacup.toml
	stockflow convert teacup.mdl -o teacup.toml
	stockflow convert model.stmx
	stockflow convert corridor.toml -o corridor.xmile
`,
}

func setupConvert(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	var out, to string
	fs.StringVar(&out, "o", "", "write to `FILE` instead of stdout, whole or not at all")
	fs.StringVar(&to, "to", "", "the output `FORMAT`: toml or xmile (default: by -o's extension, else toml)")
	return func(ctx context.Context, o *output, args []string) error {
		if out != "" {
			if err := notInput("-o", out, args[0]); err != nil {
				return err
			}
		}
		switch strings.ToLower(to) {
		case "":
			to = "toml"
			switch strings.ToLower(filepath.Ext(out)) {
			case ".xmile", ".stmx", ".xml":
				to = "xmile"
			}
		case "toml", "xmile":
			to = strings.ToLower(to)
		default:
			return fmt.Errorf("--to %s: the formats are toml and xmile", to)
		}
		m, err := o.load(args[0])
		if err != nil {
			return err
		}
		d := m.Source
		if d == nil {
			d = m.Decl
		}
		printWarnings(o.stderr, d)
		write := func(w io.Writer) error { return decl.WriteTOML(w, d) }
		if to == "xmile" {
			if err := placeForXMILE(ctx, m, d); err != nil {
				return err
			}
			write = func(w io.Writer) error {
				warns, err := xmile.Write(w, d)
				printWarningList(o.stderr, warns)
				return err
			}
		}
		if out == "" {
			return write(o.stdout)
		}
		return writeFile(ctx, out, write)
	}
}

// printWarnings writes the problems the reader worked around, one per
// line, as "file:line:col: warning: message".
func printWarnings(w io.Writer, d *decl.Model) {
	printWarningList(w, d.Warnings)
}

// printWarningList writes each problem as "file:line:col: warning:
// message".
func printWarningList(w io.Writer, list []*syntax.Error) {
	for _, e := range list {
		c := *e
		c.Msg = "warning: " + c.Msg
		syntax.PrintError(w, "stockflow: ", &c)
	}
}

// placeForXMILE gives the variables of d, the declaration of m, the
// places of m's automatic stock-and-flow diagram when none has a place of
// its own, so that the XMILE written opens in Stella or Simlin with a
// diagram.
func placeForXMILE(ctx context.Context, m *model.Model, d *decl.Model) error {
	if slices.ContainsFunc(d.Vars, func(v *decl.Var) bool { return v.At != nil }) {
		return nil
	}
	places, err := plots.Places(ctx, loops.NewGraph(m))
	if err != nil {
		return fmt.Errorf("laying out the diagram for the XMILE view: %w", err)
	}
	for _, v := range d.Vars {
		if p, ok := places[v.Name]; ok {
			v.At = &p
		}
	}
	return nil
}
