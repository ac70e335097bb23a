package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/stockflow/stockflow/model/decl"
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
flows, aux, params and lookups it declares (and thresholds, loops and
plots, if any), its simulation settings, and "ok".

Otherwise check prints every error it finds, one per line, as

	file:line:col: key: message

and exits with status 1.
`,
}

func setupCheck(*flag.FlagSet) func(context.Context, *output, []string) error {
	return func(_ context.Context, out *output, args []string) error {
		m, err := load(args[0])
		if err != nil {
			return err
		}
		d := m.Decl
		counts := map[decl.Kind]int{}
		for _, v := range d.Vars {
			counts[v.Kind]++
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
		for _, c := range []struct {
			key string
			n   int
		}{{"thresholds", len(d.Thresholds)}, {"loops", len(d.Loops)}, {"plots", len(d.Plots)}} {
			if c.n > 0 {
				line(c.key, "%d", c.n)
			}
		}
		line("sim", "%s", simSummary(d))
		if err := tw.Flush(); err != nil {
			return err
		}
		_, err = fmt.Fprintln(out.stdout, "ok")
		return err
	}
}

// simSummary describes the model's simulation settings on one line, with
// the defaults filled in.
func simSummary(d *decl.Model) string {
	s := d.Sim
	method := s.Method
	if method == "" {
		method = decl.DefaultMethod
	}
	saveEvery := s.SaveEvery
	if saveEvery == 0 {
		saveEvery = s.DT
	}
	units := ""
	if d.TimeUnits != "" {
		units = " " + d.TimeUnits
	}
	parts := []string{
		"start " + num(s.Start) + units,
		"stop " + num(s.Stop) + units,
		"dt " + num(s.DT),
		"method " + method,
		"save_every " + num(saveEvery),
	}
	if method == "rk45" {
		parts = append(parts,
			"rel_tol "+num(orDefault(s.RelTol, decl.DefaultRelTol)),
			"abs_tol "+num(orDefault(s.AbsTol, decl.DefaultAbsTol)))
		if s.MaxStep > 0 {
			parts = append(parts, "max_step "+num(s.MaxStep))
		}
	}
	return strings.Join(parts, ", ")
}

func orDefault(x, def float64) float64 {
	if x == 0 {
		return def
	}
	return x
}

// num formats x in its shortest exact form.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
