package decl

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model/syntax"
)

// WriteTOML writes m in stockflow's TOML format, for a person to read:
// variables in declaration order, each in a table of its own
// ([stocks.population]) so that the order survives, with units and docs;
// equations as written (or, when written over several lines, as
// syntax.Print gives them); numbers in their shortest exact form. Reading
// the output with ParseTOML gives a model that simulates identically.
func WriteTOML(w io.Writer, m *Model) error {
	bw := bufio.NewWriter(w)
	tw := &tomlWriter{w: bw}
	tw.model(m)
	return bw.Flush()
}

type tomlWriter struct {
	w     *bufio.Writer
	wrote bool // something has been written: tables need a blank line before them
}

func (t *tomlWriter) line(format string, args ...any) {
	fmt.Fprintf(t.w, format, args...)
	t.w.WriteByte('\n')
	t.wrote = true
}

func (t *tomlWriter) table(header string) {
	if t.wrote {
		t.w.WriteByte('\n')
	}
	t.line("%s", header)
}

// str sets key to a string, leaving it out when empty.
func (t *tomlWriter) str(key, s string) {
	if s != "" {
		t.line("%s = %s", key, quote(s))
	}
}

func (t *tomlWriter) model(m *Model) {
	t.str("name", m.Name)
	t.str("description", m.Description)
	t.str("time_units", m.TimeUnits)

	s := m.Sim
	t.table("[sim]")
	t.line("start = %s", num(s.Start))
	t.line("stop = %s", num(s.Stop))
	t.line("dt = %s", num(s.DT))
	if s.Method != "" {
		t.line("method = %s", quote(s.Method))
	}
	if s.SaveEvery != 0 && s.SaveEvery != s.DT {
		t.line("save_every = %s", num(s.SaveEvery))
	}
	if s.RelTol != 0 && s.RelTol != DefaultRelTol {
		t.line("rel_tol = %s", num(s.RelTol))
	}
	if s.AbsTol != 0 && s.AbsTol != DefaultAbsTol {
		t.line("abs_tol = %s", num(s.AbsTol))
	}
	if s.MaxStep != 0 {
		t.line("max_step = %s", num(s.MaxStep))
	}
	t.str("units", s.Units)

	if len(m.Units) > 0 {
		t.table("[units]")
		for _, u := range m.Units {
			t.line("%s = %s", key(u.Name), quote(u.Def))
		}
	}

	if len(m.Dimensions) > 0 {
		t.table("[dimensions]")
		for _, d := range m.Dimensions {
			if len(d.MapsTo) > 0 {
				t.line("%s = { elements = %s, maps_to = %s }", key(d.Name), strList(d.Elements), strList(d.MapsTo))
				continue
			}
			t.line("%s = %s", key(d.Name), strList(d.Elements))
		}
	}
	for _, v := range m.Vars {
		t.variable(v)
	}
	for _, th := range m.Thresholds {
		t.table("[thresholds." + key(th.Name) + "]")
		t.line("var = %s", quote(th.Var))
		t.line("level = %s", num(th.Level))
		if th.Direction != "" {
			t.line("direction = %s", quote(th.Direction))
		}
		t.str("doc", th.Doc)
	}
	for _, l := range m.Loops {
		t.table("[[loops]]")
		t.line("name = %s", quote(l.Name))
		t.line("path = %s", strList(l.Path))
		t.line("polarity = %s", quote(l.Polarity))
		t.str("doc", l.Doc)
	}
	for _, p := range m.Plots {
		t.table("[[plots]]")
		t.line("file = %s", quote(p.File))
		t.str("title", p.Title)
		t.line("vars = %s", strList(p.Vars))
		if len(p.Data) > 0 {
			t.line("data = %s", strList(p.Data))
		}
		if len(p.Thresholds) > 0 {
			t.line("thresholds = %s", strList(p.Thresholds))
		}
		if len(p.Scenarios) > 0 {
			t.line("scenarios = %s", strList(p.Scenarios))
		}
	}
	for _, sc := range m.Scenarios {
		t.table("[scenarios." + key(sc.Name) + "]")
		t.str("doc", sc.Doc)
		if len(sc.Params) > 0 {
			t.line("set = %s", paramTable(sc.Params, sc.Set))
		}
	}
	for _, c := range m.Checks {
		t.table("[[checks]]")
		t.line("name = %s", quote(c.Name))
		t.str("doc", c.Doc)
		switch {
		case c.Scenario != "":
			t.line("given = %s", quote(c.Scenario))
		case len(c.Params) > 0:
			t.line("given = %s", paramTable(c.Params, c.Set))
		}
		t.line("expect = %s", quote(c.Expect.Text))
		if c.AtEnd {
			t.line("at = \"end\"")
		}
		if c.Within != nil {
			t.line("within = [%s, %s]", num(c.Within[0]), num(c.Within[1]))
		}
	}
}

// paramTable writes param values as an inline TOML table, the params in
// the order given.
func paramTable(params []string, set map[string]float64) string {
	kv := make([]string, len(params))
	for i, p := range params {
		kv[i] = key(p) + " = " + num(set[p])
	}
	return "{ " + strings.Join(kv, ", ") + " }"
}

func (t *tomlWriter) variable(v *Var) {
	t.table("[" + v.Kind.Section() + "." + key(v.Name) + "]")
	if v.Dims != nil {
		t.line("dims = %s", strList(v.Dims))
	}
	switch v.Kind {
	case Param:
		if len(v.ElementEqs) > 0 {
			t.elements("values", v.ElementEqs, true)
		} else {
			t.line("value = %s", num(v.Value))
		}
		if v.Min != nil {
			t.line("min = %s", num(*v.Min))
		}
		if v.Max != nil {
			t.line("max = %s", num(*v.Max))
		}
		if v.Dist != "" {
			t.line("dist = %s", quote(v.Dist))
		}
		for _, p := range []struct {
			key string
			x   *float64
		}{{"mode", v.Mode}, {"mean", v.Mean}, {"sd", v.SD}} {
			if p.x != nil {
				t.line("%s = %s", p.key, num(*p.x))
			}
		}
	case Stock:
		t.eq("initial", v.Eq, v.ElementEqs, "initials")
		if len(v.Inflows) > 0 {
			t.line("inflows = %s", strList(v.Inflows))
		}
		if len(v.Outflows) > 0 {
			t.line("outflows = %s", strList(v.Outflows))
		}
		if v.NonNegative {
			t.line("non_negative = true")
		}
		if v.Range != nil {
			t.line("range = %s", RangeText(*v.Range))
		}
	case Flow, Aux:
		t.eq("eq", v.Eq, v.ElementEqs, "eqs")
		if v.NonNegative && v.Kind == Flow {
			t.line("non_negative = true")
		}
		if v.Range != nil {
			t.line("range = %s", RangeText(*v.Range))
		}
	case Lookup:
		t.line("points = %s", pointsText(v.Points))
		if v.Extrapolate {
			t.line("extrapolate = true")
		}
	case Data:
		t.data(v)
	}
	t.str("units", v.Units)
	if v.Kind == Lookup {
		t.str("x_units", v.XUnits)
	}
	t.str("doc", v.Doc)
	if v.At != nil && v.Kind != Lookup {
		t.line("pos = [%s, %s]", num(v.At.X), num(v.At.Y))
	}
}

// eq writes an equation, or the per-element ones.
func (t *tomlWriter) eq(field string, e Equation, elems []ElementEq, plural string) {
	if len(elems) > 0 {
		t.elements(plural, elems, false)
		return
	}
	if e.IsZero() {
		return
	}
	t.line("%s = %s", field, eqValue(e))
}

// elements writes a table of per-element equations (or values).
func (t *tomlWriter) elements(field string, elems []ElementEq, values bool) {
	var b strings.Builder
	b.WriteString("{ ")
	for i, el := range elems {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(strings.Join(el.Elements, ",")))
		b.WriteString(" = ")
		if values {
			f, _ := numExpr(el.Eq.Expr)
			b.WriteString(num(f))
		} else {
			b.WriteString(eqValue(el.Eq))
		}
	}
	b.WriteString(" }")
	t.line("%s = %s", field, b.String())
}

// eqValue returns the TOML value of an equation: a number when it is one,
// else a string.
func eqValue(e Equation) string {
	if f, ok := numExpr(e.Expr); ok {
		return num(f)
	}
	text := e.Text
	if e.Expr != nil && (text == "" || strings.ContainsAny(text, "\n\r")) {
		text = syntax.Print(e.Expr)
	}
	return quote(text)
}

// numExpr returns the value of an equation that is a number literal,
// perhaps negated.
func numExpr(x syntax.Expr) (float64, bool) {
	switch x := x.(type) {
	case *syntax.Num:
		return x.Value, true
	case *syntax.Unary:
		if n, ok := x.X.(*syntax.Num); ok && x.Op == syntax.SUB {
			return -n.Value, true
		}
	}
	return 0, false
}

// num formats f in its shortest form that reads back exactly.
func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// key returns name as a TOML key: bare when it can be, else quoted.
func key(name string) string {
	if name == "" {
		return `""`
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return quote(name)
		}
	}
	return name
}

func strList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// quote returns s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// pointsText writes points as a TOML array of [x, y] pairs.
func pointsText(points [][2]float64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, p := range points {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "[%s, %s]", num(p[0]), num(p[1]))
	}
	b.WriteByte(']')
	return b.String()
}

// data writes a data variable's source: its file and columns, or its
// points inline.
func (t *tomlWriter) data(v *Var) {
	src := v.Data
	if src == nil {
		src = &DataSource{}
	}
	if src.File != "" {
		t.str("file", src.File)
		t.str("sheet", src.Sheet)
		t.str("column", src.Column)
		t.str("time_column", src.TimeColumn)
	} else {
		t.line("points = %s", pointsText(v.Points))
	}
	t.str("interpolate", src.Interpolate)
	if v.Extrapolate {
		t.line("extrapolate = true")
	}
}
