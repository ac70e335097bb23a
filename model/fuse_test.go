package model

import (
	"testing"
)

// TestFuseShortensCode checks that the compiler fuses what it can.
func TestFuseShortensCode(t *testing.T) {
	m := mustParse(t, "[params]\nk = 2\n[stocks.s]\ninitial = 1\ninflows = [\"f\"]\n[flows.f]\neq = \"(s - k) / (s + 1) * 3\"\n")
	if n := len(m.prog.FlowCode); n > 3 {
		t.Errorf("(s - k) / (s + 1) * 3 compiles to %d instructions, want at most 3 (4 unfused)", n)
	}
}
