package decl

import (
	"bytes"
	"strings"
	"testing"
)

// TestDiagramPos reads pos = [x, y], writes it back, and reads the
// written file to the same places; a variable without pos has none.
func TestDiagramPos(t *testing.T) {
	src := `
[params]
k = { value = 2, pos = [40, 30.5] }

[stocks.s]
initial = 1
inflows = ["f"]
pos = [120, 80]

[flows.f]
eq = "k * s"
pos = [60, -80]

[aux.a]
eq = "s * 2"
`
	m, err := ParseTOML("pos.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*Point{"k": {40, 30.5}, "s": {120, 80}, "f": {60, -80}, "a": nil}
	check := func(m *Model, what string) {
		t.Helper()
		for name, p := range want {
			got := m.Var(name).At
			if (got == nil) != (p == nil) || got != nil && *got != *p {
				t.Errorf("%s: %s at %v, want %v", what, name, got, p)
			}
		}
	}
	check(m, "read")
	var b bytes.Buffer
	if err := WriteTOML(&b, m); err != nil {
		t.Fatal(err)
	}
	m2, err := ParseTOML("written.toml", b.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	check(m2, "written and read again")
}

func TestDiagramPosErrors(t *testing.T) {
	for _, c := range []struct{ pos, want string }{
		{`[1]`, "pos.toml:3:7: stocks.s.pos: pos must be two finite numbers [x, y]"},
		{`[1, "a"]`, "pos.toml:3:7: stocks.s.pos: pos must be two finite numbers"},
		{`[1, nan]`, "pos.toml:3:7: stocks.s.pos: pos must be two finite numbers"},
		{`"1, 2"`, "pos.toml:3:7: stocks.s.pos: pos must be two finite numbers"},
		{`[1e300, 2]`, "pos.toml:3:7: stocks.s.pos: pos must be two finite numbers [x, y] between -1e9 and 1e9"},
		{`[1, -2000000000]`, "pos.toml:3:7: stocks.s.pos: pos must be two finite numbers [x, y] between -1e9 and 1e9"},
	} {
		src := "[stocks.s]\ninitial = 1\npos = " + c.pos + "\n"
		_, err := ParseTOML("pos.toml", []byte(src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("pos = %s: error %v, want %q", c.pos, err, c.want)
		}
	}
}
