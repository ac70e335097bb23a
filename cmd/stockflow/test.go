package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/plots"
	"github.com/stockflow/stockflow/sensitivity"
)

var testCmd = &command{
	name:    "test",
	args:    "MODEL [flags]",
	short:   "run the model's reality checks",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupTest,
	long: `Test runs each reality check the model declares ([[checks]]: a name, the
input it is given — a scenario or param values — and the condition it
expects at every time, at the end or within [t0, t1]) and prints one line
a check: "ok   NAME", or "FAIL NAME: CONDITION is false at time T: VAR =
VALUE, ..." with the values at the first time the condition failed. It
exits with status 1 if any check fails. See docs/testing.md.

--json writes {"checks": [{"name", "pass", "time", "values", "error"}]}
instead; "time" and "values" only for a failed check.

With --extremes, test runs each param (or those --params names) at its
declared min and max, at 0 and at ten times its value, where its range
allows, and prints a table: each case, and what broke in it — a run that
failed, a value NaN or infinite, a range left, a non-negative stock or
flow below 0, a reality check failed. It exits with status 1 if any case
broke something. --json writes {"extremes": [{"param", "at", "value",
"problems": [{"kind", "var", "time", "value", "text"}]}]}.

With --tornado THRESHOLD, test moves each param with a declared min or
max to each end in turn and times the threshold's first crossing; it
prints the params ranked by the swing between the two times (a run that
never crosses counts as crossing at the stop), --top N the N widest, and
-o FILE draws the tornado chart (.png, .svg or .pdf).

Example:

	stockflow test examples/middle-corridor/corridor.toml
	stockflow test examples/logistic/logistic.toml --extremes
	stockflow test examples/logistic/logistic.toml --tornado majority -o tornado.png
`,
}

func setupTest(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	asJSON := fs.Bool("json", false, "write JSON instead of one line a check")
	extremes := fs.Bool("extremes", false, "run each param at its min, max, 0 and ×10 (where its range allows) and report what breaks")
	tornado := fs.String("tornado", "", "time the first crossing of the threshold `NAME` with each param at its min and at its max, ranked")
	top := fs.Int("top", 0, "with --tornado, print and draw only the `N` params of widest swing (default all)")
	outFile := fs.String("o", "", "with --tornado, draw the tornado chart to `FILE` (.png, .svg or .pdf)")
	params := fs.String("params", "", "with --extremes or --tornado, only these params, a comma-separated `LIST` (default every param)")
	return func(ctx context.Context, out *output, args []string) error {
		var names []string
		if *params != "" {
			if names = syntax.SplitNames(*params); len(names) == 0 {
				return usagef("--params needs at least one param name")
			}
		}
		if *top < 0 {
			return usagef("--top must be positive (or 0 for all), not %d", *top)
		}
		if *extremes && *tornado != "" {
			return usagef("--extremes and --tornado are different tests: give one")
		}
		if *outFile != "" {
			if *tornado == "" {
				return usagef("-o draws the tornado chart: give --tornado THRESHOLD too")
			}
			if _, err := plots.FormatOf(*outFile); err != nil {
				return usagef("%v", err)
			}
			if err := notInput("-o", *outFile, args[0]); err != nil {
				return err
			}
		}
		m, err := out.load(args[0])
		if err != nil {
			return err
		}
		if *tornado != "" {
			return testTornado(ctx, out, args[0], m, *tornado, names, *top, *outFile, *asJSON)
		}
		if *extremes {
			return testExtremes(ctx, out, args[0], m, names, *asJSON)
		}
		results, err := m.RunChecks(ctx, model.RunOptions{})
		if err != nil {
			return &fileError{args[0], err}
		}
		failed := 0
		for _, r := range results {
			if !r.Pass {
				failed++
			}
		}
		if *asJSON {
			err = writeChecksJSON(out, results)
		} else {
			for _, r := range results {
				if _, err = fmt.Fprintln(out.stdout, r.String()); err != nil {
					break
				}
			}
		}
		if err != nil {
			return err
		}
		if len(results) == 0 {
			fmt.Fprintf(out.stderr, "%s: warning: the model declares no [[checks]]\n", args[0])
		}
		if failed > 0 {
			return fmt.Errorf("%d of %d checks failed", failed, len(results))
		}
		return nil
	}
}

// testExtremes runs the extreme-condition test and prints a table, a row
// per case (a param at one of its extremes) and a line per problem, or
// JSON.
func testExtremes(ctx context.Context, out *output, path string, m *model.Model, names []string, asJSON bool) error {
	cases, err := m.Extremes(ctx, model.RunOptions{}, names)
	if err != nil {
		return &fileError{path, err}
	}
	bad := 0
	for _, c := range cases {
		if len(c.Problems) > 0 {
			bad++
		}
	}
	if asJSON {
		err = writeExtremesJSON(out, cases)
	} else {
		tw := tabwriter.NewWriter(out.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "param\tat\tvalue\tresult")
		for _, c := range cases {
			fmt.Fprintf(tw, "%s\t%s\t%s\t", c.Param, c.At, num(c.Value))
			if len(c.Problems) == 0 {
				fmt.Fprintln(tw, "ok")
			}
			for i, p := range c.Problems {
				if i > 0 {
					fmt.Fprint(tw, "\t\t\t")
				}
				fmt.Fprintf(tw, "%s: %s\n", p.Kind, p.Text)
			}
		}
		err = tw.Flush()
	}
	if err != nil {
		return err
	}
	if len(cases) == 0 {
		fmt.Fprintf(out.stderr, "%s: warning: no extreme values to try: no params, or none whose range allows a value other than its own\n", path)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d extreme cases broke a range, a check or the run", bad, len(cases))
	}
	return nil
}

func writeExtremesJSON(out *output, cases []model.ExtremeCase) error {
	type problem struct {
		Kind  string   `json:"kind"`
		Var   string   `json:"var,omitempty"`
		Time  *jsonNum `json:"time,omitempty"`
		Value *jsonNum `json:"value,omitempty"`
		Text  string   `json:"text"`
	}
	type extreme struct {
		Param    string    `json:"param"`
		At       string    `json:"at"`
		Value    jsonNum   `json:"value"`
		Problems []problem `json:"problems"`
	}
	opt := func(x float64) *jsonNum {
		if math.IsNaN(x) {
			return nil
		}
		j := jsonNum(x)
		return &j
	}
	doc := struct {
		Extremes []extreme `json:"extremes"`
	}{Extremes: []extreme{}}
	for _, c := range cases {
		e := extreme{Param: c.Param, At: c.At, Value: jsonNum(c.Value), Problems: []problem{}}
		for _, p := range c.Problems {
			q := problem{Kind: p.Kind, Var: p.Var, Time: opt(p.Time), Text: p.Text}
			if p.Kind != "check" {
				q.Value = opt(p.Value)
			}
			e.Problems = append(e.Problems, q)
		}
		doc.Extremes = append(doc.Extremes, e)
	}
	return writeJSON(out.stdout, doc)
}

// testTornado runs the one-at-a-time study of a threshold's crossing time
// and prints it as a table, a row per param, widest swing first (or
// JSON); -o draws it.
func testTornado(ctx context.Context, out *output, path string, m *model.Model, threshold string, names []string, top int, file string, asJSON bool) error {
	t, err := sensitivity.RunTornado(ctx, m, model.RunOptions{}, threshold, names)
	if err != nil {
		return &fileError{path, err}
	}
	if top > 0 && len(t.Bars) > top {
		t.Bars = t.Bars[:top]
	}
	if file != "" {
		fig, err := plots.Tornado(t)
		if err != nil {
			return &fileError{path, err}
		}
		format, _ := plots.FormatOf(file)
		if err := writeFile(ctx, file, func(w io.Writer) error { return fig.WriteTo(w, format) }); err != nil {
			return err
		}
	}
	if asJSON {
		return writeJSON(out.stdout, t)
	}
	when := func(x float64) string {
		if math.IsNaN(x) {
			return "never"
		}
		return num(math.Round(x*1000) / 1000)
	}
	tw := tabwriter.NewWriter(out.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "first crossing of %s: %s with every param at its value\n", threshold, when(t.Base))
	fmt.Fprintln(tw, "param\tvalue\tmin\tmax\tat min\tat max\tswing")
	for _, b := range t.Bars {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.Param, num(b.Value), num(b.Low), num(b.High), when(b.AtLow), when(b.AtHigh),
			num(math.Round(b.Swing(t.Stop)*1000)/1000))
	}
	return tw.Flush()
}

// jsonNum is a number written in its shortest round-trip form.
type jsonNum float64

func (x jsonNum) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
		return json.Marshal(num(float64(x))) // a string: JSON has no NaN
	}
	return []byte(num(float64(x))), nil
}

func writeChecksJSON(out *output, results []model.CheckResult) error {
	type check struct {
		Name   string             `json:"name"`
		Pass   bool               `json:"pass"`
		Time   *jsonNum           `json:"time,omitempty"`
		Values map[string]jsonNum `json:"values,omitempty"`
		Error  string             `json:"error,omitempty"`
	}
	doc := struct {
		Checks []check `json:"checks"`
	}{Checks: []check{}}
	for _, r := range results {
		c := check{Name: r.Check.Name, Pass: r.Pass}
		if r.Err != nil {
			c.Error = r.Err.Error()
		} else if !r.Pass {
			t := jsonNum(r.Time)
			c.Time = &t
			c.Values = map[string]jsonNum{}
			for i, n := range r.Names {
				c.Values[n] = jsonNum(r.Values[i])
			}
		}
		doc.Checks = append(doc.Checks, c)
	}
	enc := json.NewEncoder(out.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
