package xmile_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/xmile"
)

// doc wraps the variables of a model in a minimal XMILE file whose
// variables start on line 5.
func doc(header, vars string) string {
	return `<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<header>` + header + `</header>
<sim_specs><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
<model><variables>
` + vars + `
</variables></model>
</xmile>`
}

func run(t *testing.T, src string) *model.Result {
	t.Helper()
	m, err := model.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Run(context.Background(), model.RunOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestNames(t *testing.T) {
	src := doc("", `<aux name="Characteristic Time"><eqn>10</eqn></aux>
<aux name="heat  loss (W)"><eqn>"characteristic time" * CHARACTERISTIC_TIME</eqn></aux>
<aux name="if"><eqn>heat_loss_W + "heat loss (W)"</eqn></aux>
<aux name="2nd"><eqn>"if" + 1</eqn></aux>`)
	m, err := xmile.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(m.Names(), " ")
	if want := "Characteristic_Time heat_loss_W if_ _2nd"; got != want {
		t.Errorf("names %q, want %q", got, want)
	}
	if got, want := m.Vars[1].Eq.Text, "Characteristic_Time * Characteristic_Time"; got != want {
		t.Errorf("eq %q, want %q", got, want)
	}
	if got, want := m.Vars[2].Eq.Text, "heat_loss_W + heat_loss_W"; got != want {
		t.Errorf("eq %q, want %q", got, want)
	}
	r := run(t, src)
	if got := r.Series("_2nd")[0]; got != 201 {
		t.Errorf("_2nd = %g, want 201", got)
	}
}

func TestVendorIntMod(t *testing.T) {
	vars := `<aux name="x"><eqn>-7.5</eqn></aux>
<aux name="i"><eqn>INT(x)</eqn></aux>
<aux name="m"><eqn>x MOD 2</eqn></aux>
<aux name="f"><eqn>MOD(x, 2)</eqn></aux>`
	for _, c := range []struct {
		header     string
		i, m, f    float64
		wantModulo bool
	}{
		{"<vendor>isee systems, inc.</vendor><product>Stella</product>", -8, 0.5, 0.5, false},
		{"<vendor>Ventana Systems, xmutil</vendor><product>Vensim, xmutil</product>", -7, -1.5, -1.5, true},
	} {
		src := doc(c.header, vars)
		r := run(t, src)
		if got := r.Series("i")[0]; got != c.i {
			t.Errorf("%s: INT(-7.5) = %g, want %g", c.header, got, c.i)
		}
		if got := r.Series("m")[0]; got != c.m {
			t.Errorf("%s: -7.5 MOD 2 = %g, want %g", c.header, got, c.m)
		}
		if got := r.Series("f")[0]; got != c.f {
			t.Errorf("%s: MOD(-7.5, 2) = %g, want %g", c.header, got, c.f)
		}
		d, _ := xmile.Parse("t.xmile", []byte(src))
		if got := strings.HasPrefix(d.Var("m").Eq.Text, "modulo("); got != c.wantModulo {
			t.Errorf("%s: m's equation %q", c.header, d.Var("m").Eq.Text)
		}
	}
}

func TestGraphicalFunctions(t *testing.T) {
	src := doc("", `<gf name="g" type="discrete"><xscale min="0" max="2"/><ypts>10;20;30</ypts></gf>
<gf name="e" type="extrapolate"><xpts>0,1</xpts><ypts>0,2</ypts></gf>
<aux name="d"><eqn>g(TIME/2)</eqn></aux>
<aux name="x"><eqn>e(TIME)</eqn></aux>
<aux name="inline"><eqn>TIME</eqn><gf><xscale min="0" max="1"/><ypts sep=";">0;1</ypts></gf></aux>
<aux name="call"><eqn>inline(0.5)</eqn></aux>`)
	src = strings.Replace(src, "<ypts>10;20;30", `<ypts sep=";">10;20;30`, 1)
	r := run(t, src)
	for _, c := range []struct {
		name string
		want []float64
	}{
		{"d", []float64{10, 10, 20, 20, 30}},
		{"x", []float64{0, 2, 4, 6, 8}},
		{"inline", []float64{0, 1, 1, 1, 1}},
		{"call", []float64{0.5, 0.5, 0.5, 0.5, 0.5}},
	} {
		for i, w := range c.want {
			if got := r.Series(c.name)[i]; math.Abs(got-w) > 1e-12 {
				t.Errorf("%s(t=%g) = %g, want %g", c.name, r.Times[i], got, w)
			}
		}
	}
}

func TestSimSpecs(t *testing.T) {
	src := strings.Replace(doc("", `<aux name="a"><eqn>1</eqn></aux>`),
		"<sim_specs><start>0</start><stop>4</stop><dt>1</dt></sim_specs>",
		`<sim_specs method="RK4" time_units="Months"><start>1</start><stop>13</stop><dt reciprocal="true">4</dt></sim_specs>`, 1)
	m, err := xmile.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Sim
	if s.Start != 1 || s.Stop != 13 || s.DT != 0.25 || s.SaveEvery != 0.25 || s.Method != "rk4" || m.TimeUnits != "Months" {
		t.Errorf("sim %+v, time units %q", s, m.TimeUnits)
	}
}

func TestNonNegativeAndBehavior(t *testing.T) {
	src := strings.Replace(doc("", `<stock name="s"><eqn>1</eqn><outflow>f</outflow></stock>
<stock name="s2"><eqn>1</eqn><outflow>f2</outflow><non_negative>false</non_negative></stock>
<flow name="f"><eqn>-1</eqn></flow>
<flow name="f2"><eqn>-1</eqn><non_negative/></flow>
<aux name="a"><eqn>TIME</eqn></aux>`), "<model>", "<behavior><stock><non_negative/></stock></behavior>\n<model>", 1)
	m, err := xmile.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"s": true, "s2": false, "f": false, "f2": true} {
		if got := m.Var(name).NonNegative; got != want {
			t.Errorf("%s: non-negative %v, want %v", name, got, want)
		}
	}
}

func TestModules(t *testing.T) {
	src := `<xmile xmlns="http://www.systemdynamics.org/XMILE" version="1.0">
<sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
<model><variables>
<module name="pop"><connect to="rate" from=".growth rate"/></module>
<aux name="growth rate"><eqn>0.5</eqn></aux>
<aux name="twice"><eqn>2 * pop.people</eqn></aux>
</variables></model>
<model name="pop"><variables>
<stock name="people"><eqn>100</eqn><inflow>births</inflow></stock>
<flow name="births"><eqn>people * rate</eqn></flow>
<aux name="rate"><eqn>{set from outside}</eqn></aux>
</variables></model>
</xmile>`
	r := run(t, src)
	if got := r.Series("pop_people"); got[1] != 150 || got[2] != 225 {
		t.Errorf("pop_people = %v, want [100 150 225]", got)
	}
	if got := r.Series("twice")[2]; got != 450 {
		t.Errorf("twice(2) = %g, want 450", got)
	}
}

// badCases are inputs that must fail with the given error at the given
// position.
var badCases = []struct {
	name, src string
	line, col int
	msg       string
}{
	{"not xml", "hello", 1, 6, "not an XMILE file: no root element"},
	{"save interval not a multiple of dt", "<xmile>\n<sim_specs isee:save_interval=\"0.3\"><start>0</start><stop>1</stop><dt>0.25</dt></sim_specs>\n<model><variables><aux name=\"a\"><eqn>1</eqn></aux></variables></model>\n</xmile>", 2, 1, "the save interval (0.3) must be a whole multiple of dt (0.25)"},
	{"save interval not a number", "<xmile>\n<sim_specs isee:save_interval=\"often\"><start>0</start><stop>1</stop><dt>0.25</dt></sim_specs>\n<model><variables><aux name=\"a\"><eqn>1</eqn></aux></variables></model>\n</xmile>", 2, 1, `expected a number greater than 0, got "often"`},
	{"not xmile", "<model/>", 1, 1, "not an XMILE file: the root element is <model>, not <xmile>"},
	{"mismatched", doc("", `<aux name="a"><eqn>1</eq></aux>`), 5, 21, "malformed XML: </eq> closes no open element (<eqn> opened at line 5 is still open)"},
	{"closed by the wrong tag", doc("", `<aux name="a"><eqn>1</aux>`), 5, 21, "malformed XML: <eqn> opened at line 5 is closed by </aux>"},
	{"unclosed at end", "<xmile>\n<model>", 2, 8, "malformed XML: <model> opened at line 2 is not closed at the end of the file"},
	{"bad equation", doc("", `<aux name="a"><eqn>1 +</eqn></aux>`), 5, 23, "missing operand after \"+\""},
	{"bad entity position", doc("", `<aux name="a"><eqn>1 &gt; * 2</eqn></aux>`), 5, 27, "missing operand after \">\""},
	{"unknown variable", doc("", `<aux name="a b"><eqn>2 *
  "a  c"</eqn></aux>`), 6, 3, `unknown variable "a_c"`},
	{"unknown flow", doc("", `<stock name="s"><eqn>1</eqn><inflow>nope</inflow></stock>`), 5, 37, `no flow named "nope"`},
	{"bad gf", doc("", `<gf name="g"><xpts>0,1</xpts><ypts>1,x</ypts></gf>`), 5, 38, `expected a number, got "x"`},
	{"bad dt", strings.Replace(doc("", `<aux name="a"><eqn>1</eqn></aux>`), "<dt>1</dt>", "<dt>one</dt>", 1), 3, 46, `expected a number, got "one"`},
	{"unterminated quote", doc("", `<aux name="a"><eqn>"a + 1</eqn></aux>`), 5, 20, "unterminated quoted name"},
	{"init_eqn on a stock", doc("", `<stock name="s"><eqn>1</eqn><init_eqn>2</init_eqn></stock>`), 5, 29, "a stock's initial value is its <eqn>; <init_eqn> is for flows and auxes"},
	{"empty init_eqn", doc("", `<aux name="a"><eqn>TIME</eqn><init_eqn> </init_eqn></aux>`), 5, 30, "<init_eqn> is empty"},
	{"bad init_eqn", doc("", `<aux name="a"><eqn>TIME</eqn><init_eqn>1 +</init_eqn></aux>`), 5, 43, "missing operand after \"+\""},
	{"lookup of a plain aux", doc("", `<aux name="b"><eqn>1</eqn></aux>
<aux name="a"><eqn>LOOKUP(b, TIME)</eqn></aux>`), 6, 27, "the first argument of lookup must be the name of a lookup"},
	{"list too short", strings.Replace(doc("", `<aux name="m"><dimensions><dim name="R"/><dim name="C"/></dimensions><eqn>1, 2; 3</eqn></aux>`), "<model>", `<dimensions><dim name="R"><elem name="a"/><elem name="b"/></dim><dim name="C"><elem name="x"/><elem name="y"/></dim></dimensions><model>`, 1), 5, 75, "3 values for 4 elements"},
	{"element gf without eqn", strings.Replace(doc("", `<aux name="m"><dimensions><dim name="R"/></dimensions><element subscript="a"><gf><xpts>0,1</xpts><ypts>0,1</ypts></gf></element><element subscript="b"><eqn>1</eqn></element></aux>`), "<model>", `<dimensions><dim name="R"><elem name="a"/><elem name="b"/></dim></dimensions><model>`, 1), 5, 55, "m[a] has a graphical function but no <eqn> for its input"},
	{"connect to nothing", `<xmile><model><variables><module name="m"><connect to="m.nope" from=".a"/></module><aux name="a"><eqn>1</eqn></aux></variables></model><model name="m"><variables><aux name="b"><eqn>0</eqn></aux></variables></model></xmile>`, 1, 43, `module "m": <connect to="m.nope">: no variable "nope" in module m`},
	{"connect to an unknown module", `<xmile><model><variables><module name="m"><connect to="q.b" from=".a"/></module><aux name="a"><eqn>1</eqn></aux></variables></model><model name="m"><variables><aux name="b"><eqn>0</eqn></aux></variables></model></xmile>`, 1, 43, `name a variable of the module (x or m.x) or of the enclosing model (.x)`},
	{"connected twice", `<xmile><model><variables><module name="m"><connect to="b" from=".a"/><connect to="m.b" from=".c"/></module><aux name="a"><eqn>1</eqn></aux><aux name="c"><eqn>1</eqn></aux></variables></model><model name="m"><variables><aux name="b"><eqn>0</eqn></aux></variables></model></xmile>`, 1, 70, `"m.b" is connected twice (first at line 1)`},
	{"connect from nothing", `<xmile><model><variables><module name="m"><connect to="b" from=".nope"/></module></variables></model><model name="m"><variables><aux name="b"><eqn>0</eqn></aux></variables></model></xmile>`, 1, 43, `<connect from=".nope">: no variable "nope" in the main model`},
	{"conveyor sample", doc("", `<stock name="c"><eqn>0</eqn><outflow>o</outflow><conveyor><len>2</len><sample>TIME > 1</sample></conveyor></stock><flow name="o"/>`), 5, 71, `conveyor "c": <sample> is not supported`},
	{"limited conveyor fed by a conveyor", doc("", `<stock name="a"><eqn>0</eqn><outflow>m</outflow><conveyor><len>1</len></conveyor></stock><flow name="m"/>
<stock name="b"><eqn>0</eqn><inflow>m</inflow><conveyor><len>1</len><capacity>3</capacity></conveyor></stock>`), 5, 90, `flow "m" leaves conveyor "a" and enters conveyor "b", which has a capacity or an inflow limit`},
	{"limited conveyor element inflow", strings.Replace(doc("", `<stock name="c"><dimensions><dim name="D"/></dimensions><eqn>0</eqn><inflow>i</inflow><conveyor><len>1</len><in_limit>3</in_limit></conveyor></stock>
<flow name="i"><dimensions><dim name="D"/></dimensions><element subscript="a"><eqn>1</eqn></element><element subscript="b"><eqn>2</eqn></element></flow>`), "<model>", `<dimensions><dim name="D"><elem name="a"/><elem name="b"/></dim></dimensions><model>`, 1), 6, 1, `flow "i", defined element by element, enters conveyor "c", which has a capacity or an inflow limit`},
	{"limited conveyor bad capacity", doc("", `<stock name="c"><eqn>0</eqn><inflow>i</inflow><conveyor><len>1</len><capacity>3 +</capacity></conveyor></stock><flow name="i"><eqn>1</eqn></flow>`), 5, 82, `missing operand after "+"`},
	{"conveyor leak", doc("", `<stock name="c"><eqn>0</eqn><outflow>o</outflow><outflow>l</outflow><conveyor><len>2</len></conveyor></stock><flow name="o"/>
<flow name="l"><eqn>0.1</eqn><leak/><leak_start>0.5</leak_start><leak_end>0.25</leak_end></flow>`), 6, 1, `leakage flow "l": its leak zone starts at 0.5 and ends at 0.25 of the conveyor`},
	{"conveyor leak zone outside", doc("", `<stock name="c"><eqn>0</eqn><outflow>o</outflow><outflow>l</outflow><conveyor><len>2</len></conveyor></stock><flow name="o"/>
<flow name="l"><eqn>0.1</eqn><leak/><leak_end>1.5</leak_end></flow>`), 6, 47, `<leak_end> holds "1.5"; expected a number from 0 to 1`},
	{"conveyor leak integers", doc("", `<stock name="c"><eqn>0</eqn><outflow>o</outflow><outflow>l</outflow><conveyor><len>2</len></conveyor></stock><flow name="o"/>
<flow name="l"><eqn>0.1</eqn><leak/><leak_integers/></flow>`), 6, 37, `leakage flow "l": <leak_integers> is not supported`},
	{"conveyor arrest", doc("", `<stock name="c"><eqn>0</eqn><outflow>o</outflow><conveyor><len>2</len><arrest>TIME > 1</arrest></conveyor></stock><flow name="o"/>`), 5, 71, `conveyor "c": <arrest> is not supported`},
	{"conveyor exponential leak", doc("", `<stock name="c"><eqn>0</eqn><outflow>o</outflow><conveyor><len>2</len><exponential_leak/></conveyor></stock><flow name="o"/>`), 5, 71, `conveyor "c": <exponential_leak> is not supported`},
	{"conveyor discrete attribute", doc("", `<stock name="c"><eqn>5</eqn><outflow>o</outflow><conveyor discrete="true"><len>2</len></conveyor></stock><flow name="o"/>`), 5, 49, `conveyor "c": discrete="true" is not supported for a conveyor that starts with contents`},
	{"conveyor exponential attribute", doc("", `<stock name="c"><eqn>0</eqn><outflow>o</outflow><conveyor exponential_leak="true"><len>2</len></conveyor></stock><flow name="o"/>`), 5, 49, `conveyor "c": exponential_leak="true" is not supported`},
	{"leak zone attribute outside", doc("", `<stock name="c"><eqn>0</eqn><outflow>o</outflow><outflow>l</outflow><conveyor><len>2</len></conveyor></stock><flow name="o"/>
<flow name="l" leak_end="2"><leak>0.1</leak></flow>`), 6, 1, `leak_end="2"; expected a number from 0 to 1`},
	{"conveyor without len", doc("", `<stock name="c"><eqn>0</eqn><conveyor/></stock>`), 5, 29, `conveyor "c" has no <len>`},
	{"queue feeding a conveyor", doc("", `<stock name="q"><eqn>0</eqn><outflow>a</outflow><queue/></stock><flow name="a"/>
<stock name="c"><eqn>0</eqn><inflow>a</inflow><conveyor><len>1</len></conveyor></stock>`), 5, 29, `queue "q" feeds conveyor "c" through "a"`},
	{"queue feeding a conveyor with an inflow limit", doc("", `<stock name="q"><eqn>0</eqn><outflow>a</outflow><queue/></stock><flow name="a"/>
<stock name="c"><eqn>0</eqn><inflow>a</inflow><conveyor one_at_a_time="false"><len>1</len><in_limit>2</in_limit></conveyor></stock>`), 5, 29, `has no <in_limit> and starts empty`},
	{"size of a queue", doc("", `<stock name="q"><eqn>0</eqn><queue/></stock><aux name="n"><eqn>1 + SIZE(q)</eqn></aux>`), 5, 68, `SIZE(q): the number of batches in queue "q" is not supported`},
	{"oven", doc("", `<stock name="o"><eqn>0</eqn><isee:oven/></stock>`), 5, 29, `stock "o" is an oven; stockflow does not run ovens`},
	{"queue and conveyor", doc("", `<stock name="q"><eqn>0</eqn><queue/><conveyor><len>1</len></conveyor></stock>`), 5, 37, `stock "q" is both a queue and a conveyor`},
	{"range min above max", doc("", `<aux name="a"><eqn>TIME</eqn><range min="2" max="1"/></aux>`), 5, 30, "<range min=2 max=1>: min is greater than max"},
	{"range not a number", doc("", `<aux name="a"><eqn>TIME</eqn><range min="low"/></aux>`), 5, 30, `<range min="low">: expected a number`},
	{"seed not known at the start", doc("", `<aux name="a"><eqn>RANDOM(0, 1, TIME + 1)</eqn></aux>`), 5, 33, "a random function's seed must be a number"},
	{"subrange", strings.Replace(doc("", `<aux name="x"><dimensions><dim name="D"/></dimensions><eqn>1</eqn></aux>
<aux name="s"><eqn>SUM(x[*:Sub])</eqn></aux>`), "<model>", `<dimensions><dim name="D"><elem name="a"/><elem name="b"/></dim></dimensions><model>`, 1), 6, 28, "[*:Sub]: Sub is not a dimension"},
	{"subrange without a name", strings.Replace(doc("", `<aux name="x"><dimensions><dim name="D"/></dimensions><eqn>1</eqn></aux>
<aux name="s"><eqn>SUM(x[*: ])</eqn></aux>`), "<model>", `<dimensions><dim name="D"><elem name="a"/><elem name="b"/></dim></dimensions><model>`, 1), 6, 26, "[*:] needs the name of a dimension after the colon"},
	{"subrange of the defined dimension", strings.Replace(doc("", `<aux name="x"><dimensions><dim name="D"/></dimensions><eqn>1</eqn></aux>
<aux name="s"><dimensions><dim name="S"/></dimensions><eqn>SUM(x[*:S])</eqn></aux>`), "<model>", `<dimensions><dim name="D"><elem name="a"/><elem name="b"/></dim><dim name="S"><elem name="a"/></dim></dimensions><model>`, 1), 6, 66, "[*:S] in an equation of a variable arrayed over S is not supported"},
	{"colon without wildcard", strings.Replace(doc("", `<aux name="x"><dimensions><dim name="D"/></dimensions><eqn>1</eqn></aux>
<aux name="s"><eqn>SUM(x[a:b])</eqn></aux>`), "<model>", `<dimensions><dim name="D"><elem name="a"/><elem name="b"/></dim></dimensions><model>`, 1), 6, 27, "a subrange is written [*:SubRange]"},
	{"element as a value", strings.Replace(doc("", `<aux name="t"><eqn>1 + D.c</eqn></aux>`), "<model>", `<dimensions><dim name="D"><elem name="a"/><elem name="b"/></dim></dimensions><model>`, 1), 5, 24, "D.c: dimension D has no element c"},
	{"module loop", `<xmile><model><variables><module name="m"/></variables></model><model name="m"><variables><module name="m"/></variables></model></xmile>`, 1, 91, "nest more than"},
}

func TestErrors(t *testing.T) {
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			_, err := model.Parse("t.xmile", []byte(c.src))
			var list syntax.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("got %v, want an error list", err)
			}
			e := list[0]
			if e.Pos.Line != c.line || e.Pos.Col != c.col || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got %v, want %d:%d: ...%s...", e, c.line, c.col, c.msg)
			}
		})
	}
}

// TestUnclosedVariable checks the repair of the malformed files of
// tests/non_negative_flows: an unclosed <flow>.
func TestUnclosedVariable(t *testing.T) {
	src := doc("", `<flow name="f"><eqn>1</eqn>
<stock name="s"><eqn>0</eqn><inflow>f</inflow></stock>`)
	m, err := xmile.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) != 1 {
		t.Fatalf("warnings %v, want 1", m.Warnings)
	}
	w := m.Warnings[0]
	if want := `t.xmile:5:1: malformed XML: <flow name="f"> is not closed; read as closed before the <stock> at line 6`; w.Error() != want {
		t.Errorf("warning %q, want %q", w.Error(), want)
	}
	if s := m.Var("s"); s == nil || s.Kind != decl.Stock || len(s.Inflows) != 1 {
		t.Errorf("stock s not read: %+v", s)
	}
}

// TestUnclosedNested checks the repair of 32,000 <aux> elements none of
// which is closed, so that each nests in the one before: each is read as
// closed before the next, with its own equation, in time linear in their
// number (closing them one at a time moved every later element once per
// level, and took minutes).
func TestUnclosedNested(t *testing.T) {
	const n = 32000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<aux name=\"a%d\"><eqn>time + %d</eqn>\n", i, i)
	}
	m, err := xmile.Parse("t.xmile", []byte(doc("", b.String())))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Vars) != n || len(m.Warnings) != n {
		t.Fatalf("%d variables and %d warnings, want %d of each", len(m.Vars), len(m.Warnings), n)
	}
	for i, v := range m.Vars {
		if want := fmt.Sprintf("a%d", i); v.Name != want || v.Eq.Text != "time + "+strconv.Itoa(i) {
			t.Fatalf("variable %d is %s = %q, want %s = time + %d", i, v.Name, v.Eq.Text, want, i)
		}
	}
	if got, want := m.Warnings[1].Error(), `t.xmile:6:1: malformed XML: <aux name="a1"> is not closed; read as closed before the <aux> at line 7`; got != want {
		t.Errorf("warning %q, want %q", got, want)
	}
}

// TestModuleInstancesBounded checks that modules instantiating modules
// stop at decl.MaxElements instances: 30 models, each instantiating the
// next twice, would flatten to 2^30 instances.
func TestModuleInstancesBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<xmile><sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>
<model><variables><module name="a" model="m1"/><module name="b" model="m1"/></variables></model>
`)
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, `<model name="m%d"><variables><aux name="x"><eqn>1</eqn></aux>`, i)
		if i < 30 {
			fmt.Fprintf(&b, `<module name="a" model="m%d"/><module name="b" model="m%d"/>`, i+1, i+1)
		}
		b.WriteString("</variables></model>\n")
	}
	b.WriteString("</xmile>\n")
	_, err := xmile.Parse("t.xmile", []byte(b.String()))
	var list syntax.ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("got %v, want one error", err)
	}
	if want := fmt.Sprintf("the modules expand to more than %d variables and module instances", decl.MaxElements); !strings.Contains(list[0].Msg, want) {
		t.Errorf("got %q, want …%s…", list[0].Msg, want)
	}
}

func TestPostfixNotRepaired(t *testing.T) {
	src := `<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<header><vendor>Ventana</vendor><product version="1">xmutil</product></header>
<sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>
<model><variables>
<aux name="a"><eqn>0</eqn></aux>
<aux name="b"><eqn>IF a not THEN 1 ELSE 2</eqn></aux>
</variables></model></xmile>`
	d, err := xmile.Parse("m.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b := d.Var("b")
	if b == nil || syntax.Print(b.Eq.Expr) != "if not a then 1 else 2" {
		t.Fatalf("b = %v", b)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Msg, `"not a"`) || d.Warnings[0].Pos.Line != 6 {
		t.Errorf("warnings %v", d.Warnings)
	}
}

// TestRange checks that <range min max> becomes a param's min and max
// and a stock's, flow's or aux's range, with open ends, and that a param
// outside its range keeps none, with a warning.
func TestRange(t *testing.T) {
	src := doc("", `<aux name="share"><eqn>0.5</eqn><range min="0" max="1"/></aux>
<aux name="floor"><eqn>2</eqn><range min="1"/></aux>
<aux name="out"><eqn>5</eqn><range min="0" max="1"/></aux>
<stock name="s"><eqn>0</eqn><inflow>f</inflow><range min="0" max="2.5"/></stock>
<flow name="f"><eqn>1</eqn><range max="10"/><scale min="0" max="100"/></flow>
<aux name="a"><eqn>s * 2</eqn><range min="-1" max=" "/></aux>`)
	m, err := xmile.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	for _, c := range []struct{ name, min, max string }{{"share", "0", "1"}, {"floor", "1", "nil"}, {"out", "nil", "nil"}} {
		v := m.Var(c.name)
		if got, want := f(v.Min)+" "+f(v.Max), c.min+" "+c.max; got != want {
			t.Errorf("%s: min max %s, want %s", c.name, got, want)
		}
	}
	inf := math.Inf(1)
	for _, c := range []struct {
		name string
		want [2]float64
	}{{"s", [2]float64{0, 2.5}}, {"f", [2]float64{-inf, 10}}, {"a", [2]float64{-1, inf}}} {
		if v := m.Var(c.name); v.Range == nil || *v.Range != c.want {
			t.Errorf("%s: range %v, want %v", c.name, v.Range, c.want)
		}
	}
	if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0].Msg, "the value 5 lies outside <range>") || m.Warnings[0].Pos.Line != 7 {
		t.Errorf("warnings %v, want one at line 7 for out", m.Warnings)
	}
}

// TestSeedExpression checks that a random function's seed written as an
// expression of numbers and params runs as the number it comes to.
func TestSeedExpression(t *testing.T) {
	r := run(t, doc("", `<aux name="s"><eqn>7</eqn></aux>
<aux name="a"><eqn>RANDOM(0, 1, (s + 3) * 2) + NORMAL(0, 1, -s)</eqn></aux>
<aux name="b"><eqn>RANDOM(0, 1, 20) + NORMAL(0, 1, -7)</eqn></aux>
<aux name="c"><eqn>RANDOM(0, 1, 21)</eqn></aux>
<aux name="d"><eqn>RANDOM(0, 1, s * 3 - 1)</eqn></aux>`))
	a, b, c, d := r.Series("a"), r.Series("b"), r.Series("c"), r.Series("d")
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("at row %d: a = %g, b = %g; want the same draws", i, a[i], b[i])
		}
	}
	if d[1] == c[1] {
		t.Errorf("seeds 20 and 21 drew the same %g", d[1])
	}
}

// TestDataImportMapped checks that an import whose file lies beside the
// model makes the columns' variables data variables, and that the
// imports it cannot use are warnings (or, for a bad file, an error)
// naming the resource.
func TestDataImportMapped(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "obs.csv"), []byte("time,a,s,nobody\n0,1,2,3\n1,2,3,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("time,a\n0,1\nx,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	with := func(imports string) string {
		return strings.Replace(doc("", `<aux name="a"><eqn>1</eqn></aux><stock name="s"><eqn>0</eqn></stock>`), "<model>", "<data>"+imports+"</data>\n<model>", 1)
	}
	m, err := xmile.Parse(filepath.Join(dir, "m.xmile"), []byte(with(`<import type="CSV" resource="r1:obs.csv"/>`)))
	if err != nil {
		t.Fatal(err)
	}
	a := m.Var("a")
	if a.Kind != decl.Data || a.Data.File != "obs.csv" || a.Data.Column != "a" || a.Key != "data.a" {
		t.Errorf("a: got kind %v, data %+v, key %s; want a data variable reading obs.csv", a.Kind, a.Data, a.Key)
	}
	var msgs []string
	for _, w := range m.Warnings {
		msgs = append(msgs, w.Msg)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{`column "s" names stock "s", which stockflow cannot give a series`, `column "nobody" names no flow or aux of the model`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings\n%s\nwant one saying %s", all, want)
		}
	}
	for _, tc := range []struct{ imp, want string }{
		{`<import resource="r1:../obs.csv"/>`, "lies outside the model's directory"},
		{`<import resource="a1:/tmp/obs.csv"/>`, "its path is absolute"},
		{`<import resource="r1:none.csv"/>`, "no file"},
		{`<import resource="r1:obs.csv" enabled="false"/>`, "is disabled"},
		{`<import resource="r1:obs.csv" orientation="horizontal"/>`, "is horizontal"},
	} {
		m, err := xmile.Parse(filepath.Join(dir, "m.xmile"), []byte(with(tc.imp)))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0].Msg, tc.want) || m.Warnings[0].Pos.Line != 4 || m.Var("a").Kind == decl.Data {
			t.Errorf("%s: warnings %v, want one at line 4 saying %s, and a kept", tc.imp, m.Warnings, tc.want)
		}
	}
	_, err = xmile.Parse(filepath.Join(dir, "m.xmile"), []byte(with(`<import resource="r1:bad.csv"/>`)))
	if err == nil || !strings.Contains(err.Error(), `the data import from "r1:bad.csv"`) || !strings.Contains(err.Error(), "bad.csv:3:1") {
		t.Errorf("got %v, want an error naming the import and bad.csv:3:1", err)
	}
}

// TestDataImportWarns checks that a run-time data import, which stockflow
// does not read, is a warning naming its resource.
func TestDataImportWarns(t *testing.T) {
	src := strings.Replace(doc("", `<aux name="a"><eqn>1</eqn></aux>`), "<model>",
		`<data><import type="CSV" enabled="true" resource="r1:sales.csv"/><export resource="out.csv"/></data>`+"\n<model>", 1)
	m, err := xmile.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0].Msg, `the data import from "r1:sales.csv" is not read`) || m.Warnings[0].Pos.Line != 4 || m.Warnings[0].Pos.Col != 7 {
		t.Errorf("warnings %v, want one at 4:7 about r1:sales.csv", m.Warnings)
	}
}

// TestDataImportAllowPaths checks that ParseWith's AllowPaths lets a data
// import read a file outside the model's directory, by a relative path
// through ".." and by an absolute one, as --allow-paths does for every
// other data file; without it both stay warnings (TestDataImportMapped).
func TestDataImportAllowPaths(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "model")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	obs := filepath.Join(dir, "obs.csv")
	if err := os.WriteFile(obs, []byte("time,a\n0,1\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, res := range []string{"r1:../obs.csv", "a1:" + filepath.ToSlash(obs)} {
		src := strings.Replace(doc("", `<aux name="a"><eqn>1</eqn></aux>`), "<model>", `<data><import resource="`+res+`"/></data>`+"\n<model>", 1)
		m, err := xmile.Parse(filepath.Join(sub, "m.xmile"), []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if m.Var("a").Kind == decl.Data || len(m.Warnings) != 1 {
			t.Errorf("%s without AllowPaths: kind %v, warnings %v; want a kept and one warning", res, m.Var("a").Kind, m.Warnings)
		}
		m, err = xmile.ParseWith(filepath.Join(sub, "m.xmile"), []byte(src), decl.DataOptions{AllowPaths: true})
		if err != nil {
			t.Fatal(err)
		}
		if a := m.Var("a"); a.Kind != decl.Data || len(m.Warnings) != 0 {
			t.Errorf("%s with AllowPaths: kind %v, warnings %v; want a data variable and no warning", res, a.Kind, m.Warnings)
			continue
		}
		if err := decl.ReadData(m, decl.DataOptions{AllowPaths: true}); err != nil {
			t.Errorf("%s: reading the data: %v", res, err)
		} else if p := m.Var("a").Points; len(p) != 2 || p[1] != [2]float64{1, 2} {
			t.Errorf("%s: points %v, want [[0 1] [1 2]]", res, p)
		}
	}
}

// TestQueueOutflowEquation checks that a queue's outflow runs as the
// queue emptying itself, queue/dt + inflows, and that an equation the file
// gives it is not used silently: a warning names the flow.
func TestQueueOutflowEquation(t *testing.T) {
	src := doc("", `<stock name="q"><eqn>2</eqn><inflow>i</inflow><outflow>o</outflow><queue/></stock>
<flow name="i"><eqn>1</eqn></flow>
<flow name="o"><eqn>0.5</eqn></flow>`)
	m, err := xmile.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Var("o").Eq.Text, "q / dt + (i)"; got != want {
		t.Errorf("outflow equation %q, want %q", got, want)
	}
	if len(m.Warnings) != 1 || m.Warnings[0].Pos.Line != 7 || !strings.Contains(m.Warnings[0].Msg, `outflow "o" of queue "q": its <eqn> is not used`) {
		t.Errorf("warnings %v, want one at line 7 about o", m.Warnings)
	}
}

// TestLeakFractionInLeak checks the form of a leakage flow the XMILE
// specification shows, <flow leak_end="0.25"><leak>0.1</leak></flow>:
// the fraction is the text of <leak>, the zone end an attribute.
func TestLeakFractionInLeak(t *testing.T) {
	src := doc("", `<stock name="c"><eqn>0</eqn><inflow>i</inflow><outflow>o</outflow><outflow>l</outflow><conveyor><len>2</len></conveyor></stock>
<flow name="i"><eqn>1</eqn></flow><flow name="o"/>
<flow name="l" leak_end="0.25"><leak>0.1</leak></flow>`)
	m, err := xmile.Parse("t.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Var("o").Eq.Text, "delay((1 - (init(0.1))) * (i), 2, init(c) / (2))"; got != want {
		t.Errorf("outflow %q, want %q", got, want)
	}
	if got := m.Var("l").Eq.Text; !strings.HasPrefix(got, "init(0.1) * c_l_zone / (dt * (max(1, int(0.25 * init(2)") {
		t.Errorf("leak %q, want init(0.1) times the zone over its steps, 0.25 of the conveyor", got)
	}
}

// TestConveyorVaryingWarnings checks that a transit time or a leakage
// fraction that may change during the run, which stockflow reads once at
// the start, is not used silently, and that fixed ones (numbers, auxes of
// numbers, arithmetic of them) give no warning.
func TestConveyorVaryingWarnings(t *testing.T) {
	conv := func(lenEq, frac string) string {
		return doc("", `<stock name="c"><eqn>0</eqn><inflow>i</inflow><outflow>o</outflow><outflow>l</outflow><conveyor><len>`+lenEq+`</len></conveyor></stock>
<flow name="i"><eqn>1</eqn></flow><flow name="o"/>
<flow name="l"><leak>`+frac+`</leak></flow>
<aux name="base"><eqn>2</eqn></aux><aux name="twice"><eqn>base * 2</eqn></aux>
<stock name="s"><eqn>1</eqn></stock>`)
	}
	for _, tc := range []struct {
		len, frac string
		want      []string
	}{
		{"3", "0.1", nil},
		{"twice + 1", "0.1 * init(s)", nil},
		{`"base" * 2`, "0.1", nil},
		{"2 + TIME", "0.1", []string{`the transit time <len> of conveyor "c" may change`}},
		{"base", "s / 10", []string{`the leakage fraction of "l" may change`}},
	} {
		m, err := xmile.Parse("t.xmile", []byte(conv(tc.len, tc.frac)))
		if err != nil {
			t.Fatalf("%s, %s: %v", tc.len, tc.frac, err)
		}
		if len(m.Warnings) != len(tc.want) {
			t.Errorf("%s, %s: warnings %v, want %d", tc.len, tc.frac, m.Warnings, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(m.Warnings[i].Msg, w) {
				t.Errorf("%s, %s: warning %q, want one saying %s", tc.len, tc.frac, m.Warnings[i].Msg, w)
			}
		}
	}
}
