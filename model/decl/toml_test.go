package decl

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

func pos(line, col int) syntax.Pos {
	return syntax.Pos{File: "testdata/logistic.toml", Line: line, Col: col}
}

func TestLoadTOML(t *testing.T) {
	m, err := LoadTOML("testdata/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	if m.File != "testdata/logistic.toml" || m.Name != "Logistic growth" || m.TimeUnits != "year" ||
		m.Description != "One stock, a reinforcing and a balancing loop" {
		t.Errorf("got file %q, name %q, time units %q, description %q", m.File, m.Name, m.TimeUnits, m.Description)
	}

	wantSim := Sim{Start: 0, Stop: 40, DT: 0.125, SaveEvery: 0.5, Method: "rk4", RelTol: 1e-6, AbsTol: 1e-9,
		Pos: map[string]syntax.Pos{"start": pos(6, 9), "stop": pos(7, 8), "dt": pos(8, 6), "method": pos(9, 10), "save_every": pos(10, 14)}}
	if !reflect.DeepEqual(m.Sim, wantSim) {
		t.Errorf("got sim %+v\nwant     %+v", m.Sim, wantSim)
	}

	if got, want := strings.Join(m.Names(), " "), "r K population births crowding effect_of_crowding"; got != want {
		t.Errorf("got names %q, want %q", got, want)
	}
	kinds := []Kind{Param, Param, Stock, Flow, Aux, Lookup}
	for i, v := range m.Vars {
		if v.Kind != kinds[i] {
			t.Errorf("%s: got kind %v, want %v", v.Name, v.Kind, kinds[i])
		}
		if want := v.Kind.Section() + "." + v.Name; v.Key != want {
			t.Errorf("%s: got key %q, want %q", v.Name, v.Key, want)
		}
	}

	r := m.Var("r")
	if r.Value != 0.3 || r.Pos != pos(13, 1) || r.Min != nil || r.Max != nil {
		t.Errorf("r: got %+v", r)
	}
	k := m.Var("K")
	if k.Value != 1000 || k.Units != "people" || k.Doc != "carrying capacity" || k.Min == nil || *k.Min != 100 || k.Max == nil || *k.Max != 5000 {
		t.Errorf("K: got %+v", k)
	}
	if k.Pos != pos(14, 1) || k.FieldPos["value"] != pos(14, 15) || k.FieldPos["max"] != pos(14, 83) {
		t.Errorf("K: got pos %v, field positions %v", k.Pos, k.FieldPos)
	}

	p := m.Var("population")
	if p.Pos != pos(16, 1) || p.Units != "people" || p.Doc != "People in the region" || p.NonNegative ||
		!reflect.DeepEqual(p.Inflows, []string{"births"}) || len(p.Outflows) != 0 {
		t.Errorf("population: got %+v", p)
	}
	wantInit := Equation{Text: "10", Pos: pos(17, 11), Expr: &syntax.Num{Text: "10", Value: 10}}
	if !reflect.DeepEqual(p.Eq, wantInit) {
		t.Errorf("population initial: got %+v, want %+v", p.Eq, wantInit)
	}
	if p.FieldPos["inflows"] != pos(18, 11) {
		t.Errorf("population inflows: got pos %v", p.FieldPos["inflows"])
	}

	b := m.Var("births")
	if b.Eq.Text != "r * population * (1 - crowding)" || b.Eq.Pos != pos(25, 7) || b.Eq.Expr == nil || b.Eq.Map != nil || b.Units != "people/year" {
		t.Errorf("births: got %+v, eq %+v", b, b.Eq)
	}
	if got := b.Eq.PosAt(strings.Index(b.Eq.Text, "crowding")); got != pos(25, 29) {
		t.Errorf("births: crowding at %v, want 25:29", got)
	}
	if c := m.Var("crowding"); c.Eq.Text != "population / K" || c.Eq.Pos != pos(29, 7) {
		t.Errorf("crowding: got %+v", c.Eq)
	}

	f := m.Var("effect_of_crowding")
	if want := [][2]float64{{0, 1}, {0.5, 0.9}, {1, 0.5}, {2, 0}}; !reflect.DeepEqual(f.Points, want) || f.Extrapolate {
		t.Errorf("lookup: got points %v, extrapolate %v", f.Points, f.Extrapolate)
	}

	wantTh := []*Threshold{{Name: "majority", Key: "thresholds.majority", Var: "population", Level: 700, Direction: Rising, Pos: pos(35, 1),
		FieldPos: map[string]syntax.Pos{"var": pos(36, 7), "level": pos(37, 9), "direction": pos(38, 13)}}}
	if !reflect.DeepEqual(m.Thresholds, wantTh) {
		t.Errorf("got thresholds %+v, want %+v", m.Thresholds[0], wantTh[0])
	}

	wantLoops := []*Loop{
		{Name: "growth", Key: "loops[1]", Path: []string{"population", "births"}, Polarity: "R", Pos: pos(40, 1),
			FieldPos: map[string]syntax.Pos{"name": pos(41, 8), "path": pos(42, 8), "polarity": pos(43, 12)}},
		{Name: "crowding", Key: "loops[2]", Path: []string{"population", "crowding", "births"}, Polarity: "B", Pos: pos(45, 1),
			FieldPos: map[string]syntax.Pos{"name": pos(46, 8), "path": pos(47, 8), "polarity": pos(48, 12)}},
	}
	if !reflect.DeepEqual(m.Loops, wantLoops) {
		for _, l := range m.Loops {
			t.Errorf("got loop %+v", l)
		}
	}

	wantPlots := []*Plot{{File: "population.png", Key: "plots[1]", Title: "Population", Vars: []string{"population"}, Thresholds: []string{"majority"}, Pos: pos(50, 1),
		FieldPos: map[string]syntax.Pos{"file": pos(51, 8), "title": pos(52, 9), "vars": pos(53, 8), "thresholds": pos(54, 14)}}}
	if !reflect.DeepEqual(m.Plots, wantPlots) {
		t.Errorf("got plot %+v", m.Plots[0])
	}
}

func TestLoadTOMLMissingFile(t *testing.T) {
	_, err := LoadTOML(filepath.Join(t.TempDir(), "none.toml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a not-exist error", err)
	}
}

func TestDefaults(t *testing.T) {
	m, err := ParseTOML("m.toml", []byte("[aux.a]\neq = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultSim()
	want.SaveEvery = want.DT
	if !reflect.DeepEqual(m.Sim, want) {
		t.Errorf("got sim %+v, want %+v", m.Sim, want)
	}
	m, err = ParseTOML("m.toml", []byte("[sim]\ndt = 0.25\nmethod = \"RK45\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Sim.SaveEvery != 0.25 || m.Sim.Method != "rk45" || len(m.Sim.Pos) != 2 {
		t.Errorf("got sim %+v", m.Sim)
	}
}

// TestForms checks the other ways TOML allows a model to be written:
// inline tables, dotted keys, arrays of inline tables, a byte order mark,
// CRLF line ends, equations given as numbers and in every string form.
func TestForms(t *testing.T) {
	src := "\ufeff" + `stocks.a.initial = "1 +` + "\t" + `2"` + "\r\n" +
		`[flows]` + "\r\n" +
		`f = { eq = 3 }` + "\r\n" +
		`g.eq = '''` + "\r\n" + `a *` + "\r\n" + `  2'''` + "\r\n" +
		`[aux]` + "\n" +
		`h = { eq = "\u0061 + \"b\"" }` + "\n" +
		`i.eq = """\` + "\n" + `   a + \` + "\n" + `   1"""` + "\n" +
		`[stocks.b]` + "\n" +
		`initial = 0.5` + "\n" +
		`inflows = [ "f",` + "\n" + `  # comment` + "\n" + `  "g" ]` + "\n" +
		`loops = 1` + "\n"
	_, err := ParseTOML("m.toml", []byte(src))
	var list syntax.ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("got %v", err)
	}
	// [stocks.b] is where "loops = 1" lives, so it is an unknown key
	// there; "h" has an equation that does not parse at the quote.
	if got := list[0].Error(); !strings.HasPrefix(got, `m.toml:8:22: aux.h.eq: `) {
		t.Errorf("got %s", got)
	}
	if got := list[1].Error(); !strings.HasPrefix(got, `m.toml:17:1: stocks.b.loops: unknown key "loops"`) {
		t.Errorf("got %s", got)
	}

	src = strings.Replace(src, `\"b\"`, `\u0062 *\t2`, 1)
	src = strings.Replace(src, "loops = 1\n", "", 1)
	m, err := ParseTOML("m.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(m.Names(), " "), "a f g h i b"; got != want {
		t.Errorf("got names %q, want %q", got, want)
	}
	type posCheck struct {
		name, at string
		want     syntax.Pos
	}
	at := func(line, col int) syntax.Pos { return syntax.Pos{File: "m.toml", Line: line, Col: col} }
	for _, c := range []posCheck{
		{"a", "1", at(1, 24)}, // after the byte order mark (3 bytes)
		{"a", "2", at(1, 28)}, // after a tab
		{"f", "3", at(3, 12)},
		{"g", "a", at(5, 1)},
		{"g", "2", at(6, 3)},
		{"h", "a", at(8, 13)}, // \u0061
		{"h", "+", at(8, 20)},
		{"h", "b", at(8, 22)}, // \u0062
		{"h", "*", at(8, 29)},
		{"h", "\t", at(8, 30)},
		{"h", "2", at(8, 32)},
		{"i", "a", at(10, 4)},
		{"i", "1", at(11, 4)},
	} {
		eq := m.Var(c.name).Eq
		off := strings.Index(eq.Text, c.at)
		if off < 0 {
			t.Errorf("%s: %q not in %q", c.name, c.at, eq.Text)
			continue
		}
		if got := eq.PosAt(off); got != c.want {
			t.Errorf("%s: %q at %v, want %v (text %q)", c.name, c.at, got, c.want, eq.Text)
		}
	}
	if f := m.Var("f"); f.Eq.Text != "3" || !reflect.DeepEqual(f.Eq.Expr, &syntax.Num{Text: "3", Value: 3}) {
		t.Errorf("f: got %+v", f.Eq)
	}
	if b := m.Var("b"); !reflect.DeepEqual(b.Inflows, []string{"f", "g"}) || b.Eq.Text != "0.5" || b.Pos != at(12, 1) {
		t.Errorf("b: got %+v", b)
	}
	if a := m.Var("a"); a.Pos != at(1, 4) {
		t.Errorf("a: got pos %v, want 1:4", a.Pos)
	}
}

func TestInlineLoops(t *testing.T) {
	src := `loops = [
  { name = "g", path = ["population", "births"], polarity = "r" },
  { name = "h", path = ["population", "crowdin"], polarity = "B" },
]
` + flowModel
	m, err := ParseTOML("m.toml", []byte(src))
	if got, want := fmt.Sprint(err), `m.toml:3:39: loops[2].path: unknown variable "crowdin" (did you mean "crowding"?)`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if m == nil || len(m.Loops) != 2 || m.Loops[0].Polarity != "R" || m.Loops[1].Pos != (syntax.Pos{File: "m.toml", Line: 3, Col: 3}) {
		t.Errorf("got %+v", m)
	}
}

// TestAllErrors checks that independent problems are all reported, sorted
// by position.
func TestAllErrors(t *testing.T) {
	src := `[sim]
dt = 0

[flows.births]
eq = "r * * population"

[stocks.population]
initial = 10
inflow = ["births"]
`
	_, err := ParseTOML("m.toml", []byte(src))
	var list syntax.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		"m.toml:2:6: sim.dt: dt must be greater than 0, got 0",
		`m.toml:5:11: flows.births.eq: missing operand after "*"`,
		`m.toml:9:1: stocks.population.inflow: unknown key "inflow" (did you mean "inflows"?)`,
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	if !strings.HasSuffix(err.Error(), "(and 2 more errors)") {
		t.Errorf("got %q", err)
	}
}

func ExampleParseTOML() {
	src := `name = "Decay"

[params]
k = 0.1

[stocks.amount]
initial = 100
outflows = ["decay"]

[flows.decay]
eq = "k * amount"
`
	m, err := ParseTOML("decay.toml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range m.Vars {
		fmt.Printf("%s %s %q at %v\n", v.Kind, v.Name, v.Eq.Text, v.Pos)
	}

	_, err = ParseTOML("decay.toml", []byte(strings.Replace(src, `["decay"]`, `["decy"]`, 1)))
	fmt.Println(err)
	// Output:
	// param k "" at decay.toml:4:1
	// stock amount "100" at decay.toml:6:1
	// flow decay "k * amount" at decay.toml:10:1
	// decay.toml:8:13: stocks.amount.outflows: unknown flow "decy" (did you mean "decay"?)
}

// TestFormatDoc checks that the complete example in docs/format.md reads
// without errors.
func TestFormatDoc(t *testing.T) {
	doc, err := os.ReadFile("../../docs/format.md")
	if err != nil {
		t.Skip(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```toml\n")
	src, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no TOML example in docs/format.md")
	}
	m, err := ParseTOML("format.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Vars) != 6 || len(m.Thresholds) != 1 || len(m.Loops) != 2 || len(m.Plots) != 1 {
		t.Errorf("got %d vars, %d thresholds, %d loops, %d plots", len(m.Vars), len(m.Thresholds), len(m.Loops), len(m.Plots))
	}
}

func TestSimNonNegativeRule(t *testing.T) {
	m, err := ParseTOML("m.toml", []byte("[sim]\nnon_negative = \"clip_stock\"\n"))
	if err != nil || m.Sim.NonNegative != "clip_stock" {
		t.Fatalf("got %v, %v", m, err)
	}
	_, err = ParseTOML("m.toml", []byte("[sim]\nnon_negative = \"clip_stocks\"\n"))
	if err == nil || !strings.Contains(err.Error(), `m.toml:2:16: sim.non_negative: unknown non_negative rule "clip_stocks" (did you mean "clip_stock"?)`) {
		t.Errorf("got %v", err)
	}
}
