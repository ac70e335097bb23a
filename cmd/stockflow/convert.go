package main

import (
	"context"
	"flag"
	"io"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

var convertCmd = &command{
	name:    "convert",
	args:    "MODEL [flags]",
	short:   "write a model (XMILE, Vensim or TOML) as a stockflow TOML file",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupConvert,
	long: `Convert reads the model in the file MODEL (.xmile, .stmx, .xml, .mdl or .toml),
checks that it compiles, and writes it in stockflow's TOML format:
variables in the order the file declares them, each in a table of its
own, with their units and docs. The converted model simulates to the
same numbers.

The TOML goes to stdout unless -o names a file. That file is written
whole or not at all: if the conversion fails, an existing file is left
as it was. Warnings about the input (an element the XMILE reader had to
repair, say) go to stderr.

Examples:

	stockflow convert teacup.xmile -o teacup.toml
	stockflow convert teacup.mdl -o teacup.toml
	stockflow convert model.stmx
`,
}

func setupConvert(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	var out string
	fs.StringVar(&out, "o", "", "write the TOML to `FILE` instead of stdout, whole or not at all")
	return func(ctx context.Context, o *output, args []string) error {
		if out != "" {
			if err := notInput("-o", out, args[0]); err != nil {
				return err
			}
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
		if out == "" {
			return decl.WriteTOML(o.stdout, d)
		}
		return writeFile(ctx, out, func(w io.Writer) error { return decl.WriteTOML(w, d) })
	}
}

// printWarnings writes the problems the reader worked around, one per
// line, as "file:line:col: warning: message".
func printWarnings(w io.Writer, d *decl.Model) {
	for _, e := range d.Warnings {
		c := *e
		c.Msg = "warning: " + c.Msg
		syntax.PrintError(w, "stockflow: ", &c)
	}
}
