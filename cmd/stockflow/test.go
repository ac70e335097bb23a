package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"

	"github.com/stockflow/stockflow/model"
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

Example:

	stockflow test examples/middle-corridor/corridor.toml
`,
}

func setupTest(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	asJSON := fs.Bool("json", false, "write JSON instead of one line a check")
	return func(ctx context.Context, out *output, args []string) error {
		m, err := out.load(args[0])
		if err != nil {
			return err
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
