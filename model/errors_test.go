package model

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

// TestCompileErrors checks the errors the compiler finds: each model has
// one fault, reported once, naming the file, line, column and key, and
// saying what to do.
func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
		key, msg  string
	}{
		{"unknown variable", `
[aux.a]
eq = "1 + capitol"
[params]
capital = 3
`, 3, 11, "aux.a.eq", `unknown variable "capitol" (did you mean "capital"?)`},
		{"unknown function", `
[aux.a]
eq = "sqrtt(4)"
`, 3, 7, "aux.a.eq", `unknown function "sqrtt" (did you mean "sqrt"?)`},
		{"too few arguments", `
[aux.a]
eq = "2 * smth1(time)"
`, 3, 11, "aux.a.eq", `smth1 takes 2 to 3 arguments, got 1: smth1(input, averaging_time[, initial])`},
		{"too many arguments", `
[aux.a]
eq = "abs(1, 2)"
`, 3, 7, "aux.a.eq", `abs takes 1 argument, got 2`},
		{"algebraic loop", `
[aux.a]
eq = "b + 1"
[aux.b]
eq = "c * 2"
[aux.c]
eq = "a"
`, 3, 7, "aux.a.eq", `algebraic loop: a → c → b → a`},
		{"self reference", `
[flows.f]
eq = "f + 1"
`, 3, 7, "flows.f.eq", `algebraic loop: f depends on itself`},
		{"circular initial values", `
[stocks.a]
initial = "b"
[stocks.b]
initial = "a * 2"
`, 3, 12, "stocks.a.initial", `circular initial values: a → b → a`},
		{"lookup used as a value", `
[lookups.effect]
points = [[0, 0], [1, 1]]
[aux.a]
eq = "effect * 2"
`, 5, 7, "aux.a.eq", `"effect" is a lookup; call it as effect(x)`},
		{"call of a non-lookup", `
[params]
k = 2
[aux.a]
eq = "k(3)"
`, 5, 7, "aux.a.eq", `"k" is a param, not a lookup or function`},
		{"function used as a value", `
[aux.a]
eq = "sqrt + 1"
`, 3, 7, "aux.a.eq", `"sqrt" is a function; call it as sqrt(x)`},
		{"lookup() needs a lookup", `
[params]
k = 2
[aux.a]
eq = "lookup(k, 3)"
`, 5, 14, "aux.a.eq", `the first argument of lookup must be the name of a lookup`},
		{"order of delayn", `
[params]
n = 3
[aux.a]
eq = "delayn(time, 4, n)"
`, 5, 23, "aux.a.eq", `the order of smthn and delayn must be a whole number`},
		{"reserved name", `
[aux.time]
eq = "1"
`, 2, 1, "aux.time", `"time" is the name of a builtin; rename the variable`},
		{"subscripted scalar", `
[aux.a]
eq = "b[1]"
[aux.b]
eq = "1"
`, 3, 7, "aux.a.eq", `"b" is not arrayed; write it without subscripts`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("m.toml", []byte(tc.src))
			var list syntax.ErrorList
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("got %v, want an ErrorList of one error", err)
			}
			e := list[0]
			if e.Pos.File != "m.toml" || e.Pos.Line != tc.line || e.Pos.Col != tc.col || e.Key != tc.key || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got  %s\nwant m.toml:%d:%d: %s: %s...", e, tc.line, tc.col, tc.key, tc.msg)
			}
		})
	}
}

// TestAllErrorsReported checks that compile reports every problem, not
// only the first: each where it is, in the order of the file.
func TestAllErrorsReported(t *testing.T) {
	_, err := Parse("m.toml", []byte(`
[aux.a]
eq = "b1 + 1"
[aux.c]
eq = "nosuch(2)"
[aux.d]
eq = "max()"
`))
	var list syntax.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v, want an ErrorList", err)
	}
	want := []string{
		`m.toml:3:7: aux.a.eq: unknown variable "b1"`,
		`m.toml:5:7: aux.c.eq: unknown function "nosuch"`,
		`m.toml:7:7: aux.d.eq: max takes at least 1 argument, got 0: max(a, b, ...)`,
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRunOptionErrors(t *testing.T) {
	m := mustParse(t, logistic)
	for _, tc := range []struct {
		opt RunOptions
		msg string
	}{
		{RunOptions{Method: "eular"}, `unknown method "eular" (did you mean "euler"?)`},
		{RunOptions{DT: -1}, "dt must be greater than 0"},
		{RunOptions{Stop: -5}, "stop (-5) must be after start (0)"},
		{RunOptions{SaveEvery: 0.3}, "save_every (0.3) must be a whole multiple of dt (0.125)"},
		{RunOptions{Set: map[string]float64{"rr": 1}}, `cannot set "rr": the model has no such param (did you mean "r"?)`},
		{RunOptions{Set: map[string]float64{"births": 1}}, `cannot set "births": it is a flow, and only params can be set`},
		{RunOptions{Vars: []string{"populaton"}}, `unknown variable "populaton" (did you mean "population"?)`},
	} {
		_, err := m.Run(context.Background(), tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%+v: got %v, want %q", tc.opt, err, tc.msg)
		}
	}
}
