package calibrate

import (
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
)

// TestWriteFitted replaces fitted numbers in place, keeping comments, and
// puts a param the file gives no number for (an arrayed one's element)
// into [scenarios.calibrated]; with no source it writes the declaration.
func TestWriteFitted(t *testing.T) {
	src := "# growth\n[dimensions]\nregion = [\"a\", \"b\"]\n[params]\nr = 0.3 # per year\nK = { value = 1e3, min = 1, max = 5e3 }\ng = { dims = [\"region\"], values = { a = 1, b = 2 }, min = 0, max = 5 }\n"
	d, err := decl.ParseTOML("m.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	x, err := decl.Expand(d)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	vals := map[string]float64{"r": 0.25, "K": 1200.5, "g[b]": 3}
	if err := WriteFitted(&b, x, []byte(src), vals, []string{"r", "K", "g[b]"}); err != nil {
		t.Fatal(err)
	}
	want := "# growth\n[dimensions]\nregion = [\"a\", \"b\"]\n[params]\nr = 0.25 # per year\nK = { value = 1200.5, min = 1, max = 5e3 }\ng = { dims = [\"region\"], values = { a = 1, b = 2 }, min = 0, max = 5 }\n" +
		"\n[scenarios.calibrated]\ndoc = \"Param values fitted by stockflow calibrate\"\nset = { \"g[b]\" = 3 }\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	b.Reset()
	if err := WriteFitted(&b, d, nil, map[string]float64{"r": 0.25}, []string{"r"}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, "[params.r]\nvalue = 0.25\n") {
		t.Errorf("written declaration lacks r = 0.25:\n%s", got)
	}
}
