package units

import (
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
)

func TestParse(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "dmnl"},
		{"dmnl", "dmnl"},
		{"Dimensionless", "dmnl"},
		{"1", "dmnl"},
		{"share", "dmnl"},
		{"index", "dmnl"},
		{"%", "%"},
		{"percent", "%"},
		{"people/year", "people/year"},
		{"persons / yr", "persons/yr"}, // the first spelling of each is kept
		{"1/year", "1/year"},
		{"million USD/year", "million USD/year"},
		{"Mt/year/year", "Mt/year^2"},
		{"Mt/year^2", "Mt/year^2"},
		{"Mt per year per year", "Mt/year^2"},
		{"people*people", "people^2"},
		{"widget/(month*month)", "widget/month^2"},
		{"1e6 t", "million t"},
		{"1e15 t", "1e15 t"},
		{"2.5 t", "2.5 t"},
		{"thousand hares", "thousand hares"},
		{"index (2024 = 1)", "dmnl"},
		{"dimensionless (2024 throughput = 1)", "dmnl"},
		{"USD/USD", "dmnl"},
		{"m^-1", "1/m"},
		{"$/widget", "$/widget"},
		{"kg·m/s^2", "kg*m/s^2"},
	} {
		s, _ := NewSystem(nil)
		u, err := s.Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := u.String(); got != c.want {
			t.Errorf("Parse(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestParseSame(t *testing.T) {
	for _, c := range [][2]string{
		{"people", "person"},
		{"persons", "People"},
		{"years", "year"},
		{"yr", "year"},
		{"boxes", "box"},
		{"commodities", "commodity"},
		{"million USD", "1e6 USD"},
		{"thousand", "1000"},
		{"1/year", "year^-1"},
		{"people/year/year", "people/(year*year)"},
		{"%", "0.01"},
		{"Mt/year per index", "Mt/year"},
	} {
		s, _ := NewSystem(nil)
		a, err1 := s.Parse(c[0])
		b, err2 := s.Parse(c[1])
		if err1 != nil || err2 != nil {
			t.Errorf("%q, %q: %v %v", c[0], c[1], err1, err2)
			continue
		}
		if !a.Equal(b) {
			t.Errorf("%q is %s and %q is %s, want them equal", c[0], a, c[1], b)
		}
	}
	for _, c := range [][2]string{
		{"USD", "million USD"},
		{"day", "year"},
		{"people", "USD"},
		{"share", "%"},
		{"status", "statu"}, // a word ending in "us" keeps its s
	} {
		s, _ := NewSystem(nil)
		a, _ := s.Parse(c[0])
		b, _ := s.Parse(c[1])
		if a.Equal(b) {
			t.Errorf("%q and %q are both %s, want them different", c[0], c[1], a)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		in  string
		off int
		msg string
	}{
		{"people//year", 7, `expected a unit name, a number or "(", got "/"`},
		{"people/", 7, "got end of units"},
		{"(people", 7, `expected ")"`},
		{"people)", 6, `unexpected ")"`},
		{"year^x", 5, "expected a whole number after"},
		{"year^1.5", 5, "not a whole number"},
		{"0 or 1", 0, `"0" is not a positive number`},
		{"people [0,100]", 7, `unexpected character "["`},
	} {
		s, _ := NewSystem(nil)
		_, err := s.Parse(c.in)
		pe, ok := err.(*ParseError)
		if !ok {
			t.Errorf("Parse(%q): got %v, want a *ParseError", c.in, err)
			continue
		}
		if pe.Off != c.off || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("Parse(%q): got offset %d %q, want %d …%s…", c.in, pe.Off, pe.Msg, c.off, c.msg)
		}
	}
}

func TestTable(t *testing.T) {
	s, errs := NewSystem([]*decl.UnitDef{
		{Name: "month", Def: "year/12"},
		{Name: "Mt", Def: "1e6 t"},
		{Name: "kt", Def: "Mt/1000"},
		{Name: "index", Def: "index"}, // a base unit of its own
	})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if errs := s.Resolve(); len(errs) > 0 {
		t.Fatal(errs)
	}
	parse := func(x string) Units {
		u, err := s.Parse(x)
		if err != nil {
			t.Fatalf("Parse(%q): %v", x, err)
		}
		return u
	}
	if a, b := parse("months"), parse("year"); !a.SameDims(b) || a.SameScale(b) {
		t.Errorf("month is %s, year %s: want the same base units at another scale", a, b)
	}
	if a, b := parse("12 months"), parse("year"); !a.Equal(b) {
		t.Errorf("12 months is %s, year %s: want them equal", a, b)
	}
	if a, b := parse("1000 kt"), parse("Mt"); !a.Equal(b) {
		t.Errorf("1000 kt is %s, Mt %s: want them equal", a, b)
	}
	if u := parse("index"); u.IsDimensionless() {
		t.Errorf("index is %s, want a base unit (the table says index = \"index\")", u)
	}
}

func TestUnitsArithmetic(t *testing.T) {
	s, _ := NewSystem(nil)
	p := func(x string) Units { u, _ := s.Parse(x); return u }
	if got := p("people").Mul(p("1/year")); !got.Equal(p("people/year")) {
		t.Errorf("people × 1/year = %s", got)
	}
	if got := p("m^2").Div(p("m")); !got.Equal(p("m")) {
		t.Errorf("m² / m = %s", got)
	}
	if got, ok := p("m^4/s^2").Root(2); !ok || !got.Equal(p("m^2/s")) {
		t.Errorf("√(m⁴/s²) = %s, %v", got, ok)
	}
	if _, ok := p("m^3").Root(2); ok {
		t.Errorf("√(m³) has whole powers, want not")
	}
	if got := p("million USD").Pow(2); got.Scale != 1e12 {
		t.Errorf("(million USD)² has scale %g, want 1e12", got.Scale)
	}
	if got := p("thousand").Mul(p("thousand")); got.String() != "million" {
		t.Errorf("thousand × thousand = %s, want million", got)
	}
	unknownScale := Units{}.Mul(p("USD"))
	if !unknownScale.Equal(p("million USD")) || !unknownScale.Equal(p("USD")) {
		t.Errorf("USD of unknown scale (%s) should equal USD at any scale", unknownScale)
	}
}
