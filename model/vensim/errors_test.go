package vensim

import (
	"strings"
	"testing"
)

// TestNotAVensimModel checks that a file with no equations, whether
// empty, garbage or a lone "|", is an error rather than an empty model.
func TestNotAVensimModel(t *testing.T) {
	const want = "m.mdl:1:1: the file has no model equations: it is not a Vensim model (a .mdl file holds equations such as \"x = 1 ~ units ~ comment |\")"
	for _, src := range []string{
		"",
		"|",
		"|||\n",
		"{UTF-8}\n",
		"~\xb3R[\xaa\xc7\xec\x11\x95\x89\xf8'\xcb6",
		"********\n~\n|",
	} {
		_, err := Parse("m.mdl", []byte(src))
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %s", src, err, want)
		}
	}
	// A NUL byte says a binary file.
	_, err := Parse("m.mdl", []byte("x = 1 ~~|\ny = \x00 ~~|\n"))
	if want := "m.mdl:2:5: a NUL byte: this is a binary file, not a Vensim model"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("NUL: got %v, want %s", err, want)
	}
	// A model of control variables alone, as Vensim saves a new model,
	// is a model.
	if _, err := Parse("m.mdl", []byte("FINAL TIME = 100 ~ Month ~|\nINITIAL TIME = 0 ~ Month ~|\nSAVEPER = TIME STEP ~~|\nTIME STEP = 1 ~~|\n")); err != nil {
		t.Errorf("control variables alone: %v", err)
	}
}

// TestUnterminatedMacro checks that a :MACRO: without :END OF MACRO: is
// an error at the macro, not a macro that swallows the rest of the file.
func TestUnterminatedMacro(t *testing.T) {
	src := "x = 1 ~~|\n  :MACRO: F(a)\nF = a ~~|\ny = 2 ~~|\n"
	_, err := Parse("m.mdl", []byte(src))
	want := "m.mdl:2:3: F: macro F has no :END OF MACRO:; everything after it would belong to the macro"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	// Terminated, it reads.
	src = "x = 1 ~~|\n:MACRO: F(a)\nF = a ~~|\n:END OF MACRO:\ny = F(2) ~~|\n"
	if _, err := Parse("m.mdl", []byte(src)); err != nil {
		t.Errorf("a terminated macro: %v", err)
	}
}

// TestErrors checks that each construct the reader refuses is an error
// naming the file, line, column and the construct, and what to do.
func TestErrors(t *testing.T) {
	const ctl = "INITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
	for _, tc := range []struct{ name, src, want string }{
		{
			"partial combinations",
			"r: A, B ~~|\ns: X, Y ~~|\nx[A, X] = 1 ~~|\nx[B, Y] = 2 ~~|\n",
			"m.mdl:3:1: x: x has no equation for [A,Y], [B,X]: it is defined on some combinations of its subscripts' elements only, and stockflow needs an equation for each combination of the elements it is defined on (add the missing ones, e.g. with value 0)",
		},
		{
			"element outside a partial variable",
			"r: A, B, C ~~|\nx[A] = 1 ~~|\nx[C] = 2 ~~|\ny = x[B] ~~|\n",
			`m.mdl:4:5: y: "x" has no element B (its range x_r holds A, C)`,
		},
		{
			"VECTOR SELECT action",
			"r: A, B ~~|\ns[r] = 1, 0 ~~|\nx[r] = 3, 4 ~~|\ny = VECTOR SELECT(s[r!], x[r!], -1, 11, 0) ~~|\n",
			"m.mdl:4:37: y: VECTOR SELECT action 11 is not one of Vensim's: 0 to 4 the sum, product, min, max or mean of selection × value, 5 the product of value^selection, 6 to 10 the sum, product, min, max or mean of the values",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("m.mdl", []byte(tc.src+ctl))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}
