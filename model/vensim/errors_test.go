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
