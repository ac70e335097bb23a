package syntax

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// TestPrintError checks each kind of error PrintError writes: a list one
// error a line, a wrapped single error, a file system error by its path,
// anything else by its message, and the prefix only on lines without a
// position.
func TestPrintError(t *testing.T) {
	var list ErrorList
	list.Addf(Pos{File: "a.toml", Line: 2, Col: 3}, "aux.x.eq", "bad")
	list.Addf(Pos{File: "a.toml"}, "sim", "worse")
	list.Addf(Pos{}, "sim.dt", "nowhere")
	for _, tc := range []struct {
		err  error
		want string
	}{
		{list, "a.toml:2:3: aux.x.eq: bad\na.toml: sim: worse\np: sim.dt: nowhere\n"},
		{fmt.Errorf("loading: %w", list[0]), "a.toml:2:3: aux.x.eq: bad\n"},
		{&fs.PathError{Op: "open", Path: "m.toml", Err: fs.ErrNotExist}, "p: m.toml: file does not exist\n"},
		{fmt.Errorf("plain"), "p: plain\n"},
		{ErrorList{}, "p: no errors\n"},
		{nil, ""},
	} {
		var b strings.Builder
		PrintError(&b, "p: ", tc.err)
		if b.String() != tc.want {
			t.Errorf("PrintError(%v) wrote %q, want %q", tc.err, b.String(), tc.want)
		}
	}
}
