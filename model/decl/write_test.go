package decl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

// TestWriteTOML reads every example, writes it back with WriteTOML and
// reads that: the two declarations must say the same thing. (That they
// simulate the same is tested in model/xmile, which may import model.)
func TestWriteTOML(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*/*.toml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m1, err := ParseTOML(f, src)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var buf bytes.Buffer
		if err := WriteTOML(&buf, m1); err != nil {
			t.Fatal(err)
		}
		m2, err := ParseTOML("out.toml", buf.Bytes())
		if err != nil {
			t.Fatalf("%s: written TOML does not read: %v\n%s", f, err, buf.String())
		}
		if got, want := summary(m2), summary(m1); got != want {
			t.Errorf("%s: written and read back:\n%s\nwant\n%s", f, got, want)
		}
	}
}

// summary describes what a declaration says, leaving out positions.
func summary(m *Model) string {
	var b strings.Builder
	s := m.Sim
	s.Pos = nil
	if s.SaveEvery == 0 {
		s.SaveEvery = s.DT
	}
	b.WriteString(m.Name + "|" + m.Description + "|" + m.TimeUnits + "\n")
	b.WriteString(strings.TrimSpace(strings.ReplaceAll(
		strings.Join([]string{ff(s.Start), ff(s.Stop), ff(s.DT), s.Method, ff(s.SaveEvery), s.Units}, " "), "\n", " ")) + "\n")
	for _, u := range m.Units {
		b.WriteString("unit " + u.Name + "=" + u.Def + "\n")
	}
	for _, d := range m.Dimensions {
		b.WriteString(d.Name + "=" + strings.Join(d.Elements, ",") + "\n")
	}
	for _, v := range m.Vars {
		b.WriteString(v.Kind.String() + " " + v.Name + ": " + syntax.Print(v.Eq.Expr) + " " + ff(v.Value) +
			" " + strings.Join(v.Inflows, ",") + "/" + strings.Join(v.Outflows, ",") + " " + v.Units + " " + v.XUnits + " " + v.Doc +
			" " + strings.Join(v.Dims, ","))
		for _, e := range v.ElementEqs {
			b.WriteString(" [" + strings.Join(e.Elements, ",") + "]=" + syntax.Print(e.Eq.Expr))
		}
		if v.NonNegative || v.Extrapolate {
			b.WriteString(" flags")
		}
		if v.Min != nil || v.Max != nil {
			b.WriteString(" range " + reflectString(v.Min) + " " + reflectString(v.Max))
		}
		if v.Range != nil {
			b.WriteString(" values in " + RangeText(*v.Range))
		}
		for _, p := range v.Points {
			b.WriteString(" " + ff(p[0]) + ":" + ff(p[1]))
		}
		b.WriteString("\n")
	}
	for _, th := range m.Thresholds {
		b.WriteString("threshold " + th.Name + " " + th.Var + " " + ff(th.Level) + " " + th.Direction + " " + th.Doc + "\n")
	}
	for _, l := range m.Loops {
		b.WriteString("loop " + l.Name + " " + strings.Join(l.Path, ",") + " " + l.Polarity + " " + l.Doc + "\n")
	}
	for _, sc := range m.Scenarios {
		b.WriteString("scenario " + sc.Name + " " + sc.Doc)
		for _, p := range sc.Params {
			b.WriteString(" " + p + "=" + ff(sc.Set[p]))
		}
		b.WriteString("\n")
	}
	for _, c := range m.Checks {
		b.WriteString("check " + c.Name + " " + c.Doc + " given " + c.Scenario)
		for _, p := range c.Params {
			b.WriteString(" " + p + "=" + ff(c.Set[p]))
		}
		b.WriteString(" expect " + syntax.Print(c.Expect.Expr))
		if c.AtEnd {
			b.WriteString(" at end")
		}
		if c.Within != nil {
			b.WriteString(" within " + ff(c.Within[0]) + " " + ff(c.Within[1]))
		}
		b.WriteString("\n")
	}
	for _, p := range m.Plots {
		b.WriteString("plot " + p.File + " " + p.Title + " " + strings.Join(p.Vars, ",") + " " + strings.Join(p.Thresholds, ",") + "\n")
	}
	return b.String()
}

func reflectString(p *float64) string {
	if p == nil {
		return "-"
	}
	return ff(*p)
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`a"b`:    `"a\"b"`,
		`c:\x`:   `"c:\\x"`,
		"l1\nl2": `"l1\nl2"`,
		"\x01é":  `"\u0001é"`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestWriteRange writes back the ranges of stocks, flows and aux, open
// ends included.
func TestWriteRange(t *testing.T) {
	src := `[stocks.s]
initial = 1
inflows = ["f"]
range = [0, inf]

[flows.f]
eq = "0.1"
range = [-inf, 2.5]

[aux.share]
eq = "s / 10"
range = [0, 1]
`
	m1, err := ParseTOML("m.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"s": "[0, inf]", "f": "[-inf, 2.5]", "share": "[0, 1]"}
	for name, w := range want {
		if v := m1.Var(name); v.Range == nil || RangeText(*v.Range) != w {
			t.Errorf("%s: range %v, want %s", name, v.Range, w)
		}
	}
	var buf bytes.Buffer
	if err := WriteTOML(&buf, m1); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"range = [0, inf]", "range = [-inf, 2.5]", "range = [0, 1]"} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("written TOML lacks %q:\n%s", w, buf.String())
		}
	}
	m2, err := ParseTOML("out.toml", buf.Bytes())
	if err != nil {
		t.Fatalf("written TOML does not read: %v\n%s", err, buf.String())
	}
	if got, w := summary(m2), summary(m1); got != w {
		t.Errorf("read back:\n%s\nwant\n%s", got, w)
	}
}

// TestWriteUnits checks that the [units] table, [sim] units and a
// lookup's x_units survive WriteTOML.
func TestWriteUnits(t *testing.T) {
	src := `time_units = "month"

[sim]
units = "strict"

[units]
month = "year/12"
Mt = "1e6 t"

[lookups.effect]
points = [[0, 1], [2, 0.5]]
units = "dmnl"
x_units = "Mt/year"
`
	m1, err := ParseTOML("u.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := m1.Sim.Units; got != "strict" {
		t.Errorf("got sim.units %q, want strict", got)
	}
	if len(m1.Units) != 2 || m1.Units[0].Name != "month" || m1.Units[0].Def != "year/12" || m1.Units[1].Key != "units.Mt" {
		t.Errorf("got units %+v %+v, want month = year/12, Mt = 1e6 t in order", m1.Units[0], m1.Units[1])
	}
	if p := m1.Units[0].Pos; p.Line != 7 || p.Col != 9 {
		t.Errorf("got the position of month's definition %s, want 7:9", p)
	}
	var buf bytes.Buffer
	if err := WriteTOML(&buf, m1); err != nil {
		t.Fatal(err)
	}
	m2, err := ParseTOML("out.toml", buf.Bytes())
	if err != nil {
		t.Fatalf("written TOML does not read: %v\n%s", err, buf.String())
	}
	if got, want := summary(m2), summary(m1); got != want {
		t.Errorf("written and read back:\n%s\nwant\n%s", got, want)
	}
}
