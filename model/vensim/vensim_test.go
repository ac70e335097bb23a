package vensim

import "testing"

func TestDocContinuations(t *testing.T) {
	if got, want := joinLines("This is \\\n\t\tthe rate.\n\t\tSecond line."), "This is the rate.\nSecond line."; got != want {
		t.Errorf("joinLines = %q, want %q", got, want)
	}
}
