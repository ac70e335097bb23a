package decl

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

// arrayModel declares two dimensions and arrayed variables of every kind.
const arrayModel = `[dimensions]
region = ["kaz", "aze", "geo"]
mode = ["rail", "sea"]

[params]
cap = { dims = ["region"], value = 5 }
share = { dims = ["region"], values = { kaz = 0.5, aze = 0.3, geo = 0.2 } }
k = 0.1

[stocks.port]
dims = ["region"]
initial = "cap[region]"
inflows = ["build"]

[flows.build]
dims = ["region"]
eq = "k * (cap[region] - port[region])"

[aux.total]
eq = "sum(port[*])"

[aux.bias]
dims = ["region"]
eqs = { kaz = "1", aze = 2, geo = "port[region] / 2" }

[aux.cargo]
dims = ["region", "mode"]
eq = "port * share + cap[kaz]"

[aux.cargo_by_mode]
dims = ["mode"]
eq = "sum(cargo[*, mode])"

[aux.stats]
eq = "mean(port) + size(cargo[*, *]) + MAX(port[*]) + min(port[1], port[aze]) + stddev(port[*])"

[aux.weighted]
eq = "sum(port[*] * share[*]) / prod(share[region])"

[aux.lane]
dims = ["region", "mode"]
eqs = { "kaz,rail" = 1, "kaz, sea" = 2, "aze,rail" = 3, "aze,sea" = 4, "geo,rail" = 5, "geo,sea" = "cargo[region, mode]" }

[thresholds.full]
var = "port[ geo ]"
level = 5

[[loops]]
name = "build"
path = ["port[kaz]", "build[kaz]"]
polarity = "B"

[[plots]]
file = "p.png"
vars = ["port", "total", "cargo[geo, *]"]

[scenarios.big]
set = { cap = 7, k = 0.2 }
`

func expandTOML(t *testing.T, src string) *Model {
	t.Helper()
	m, err := ParseTOML("a.toml", []byte(src))
	if err != nil {
		t.Fatalf("ParseTOML: %v", err)
	}
	x, err := Expand(m)
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	return x
}

func TestExpand(t *testing.T) {
	m, err := ParseTOML("a.toml", []byte(arrayModel))
	if err != nil {
		t.Fatal(err)
	}
	before := syntax.Print(m.Var("build").Eq.Expr)
	x, err := Expand(m)
	if err != nil {
		t.Fatal(err)
	}

	wantNames := "cap[kaz] cap[aze] cap[geo] share[kaz] share[aze] share[geo] k " +
		"port[kaz] port[aze] port[geo] build[kaz] build[aze] build[geo] total bias[kaz] bias[aze] bias[geo] " +
		"cargo[kaz,rail] cargo[kaz,sea] cargo[aze,rail] cargo[aze,sea] cargo[geo,rail] cargo[geo,sea] " +
		"cargo_by_mode[rail] cargo_by_mode[sea] stats weighted " +
		"lane[kaz,rail] lane[kaz,sea] lane[aze,rail] lane[aze,sea] lane[geo,rail] lane[geo,sea]"
	if got := strings.Join(x.Names(), " "); got != wantNames {
		t.Errorf("got names\n%s\nwant\n%s", got, wantNames)
	}

	eqs := []struct{ name, want string }{
		{"port[aze]", "cap[aze]"},
		{"build[geo]", "k * (cap[geo] - port[geo])"},
		{"total", "(port[kaz] + port[aze] + port[geo])"},
		{"bias[kaz]", "1"},
		{"bias[aze]", "2"},
		{"bias[geo]", "port[geo] / 2"},
		{"cargo[aze,sea]", "port[aze] * share[aze] + cap[kaz]"},
		{"cargo_by_mode[sea]", "(cargo[kaz,sea] + cargo[aze,sea] + cargo[geo,sea])"},
		{"stats", "((port[kaz] + port[aze] + port[geo]) / 3) + 6 + MAX(port[kaz], port[aze], port[geo]) + min(port[kaz], port[aze]) + " +
			"sqrt(((port[kaz] - ((port[kaz] + port[aze] + port[geo]) / 3)) ^ 2 + (port[aze] - ((port[kaz] + port[aze] + port[geo]) / 3)) ^ 2 + " +
			"(port[geo] - ((port[kaz] + port[aze] + port[geo]) / 3)) ^ 2) / 3)"},
		{"weighted", "(port[kaz] * share[kaz] + port[aze] * share[aze] + port[geo] * share[geo]) / (share[kaz] * share[aze] * share[geo])"},
		{"lane[kaz,sea]", "2"},
		{"lane[geo,sea]", "cargo[geo,sea]"},
	}
	for _, tt := range eqs {
		v := x.Var(tt.name)
		if v == nil {
			t.Errorf("no variable %s", tt.name)
			continue
		}
		if got := syntax.Print(v.Eq.Expr); got != tt.want {
			t.Errorf("%s: got  %s\nwant %s", tt.name, got, tt.want)
		}
	}

	// Params: one value for all elements, or one each.
	for name, want := range map[string]float64{"cap[kaz]": 5, "cap[geo]": 5, "share[kaz]": 0.5, "share[geo]": 0.2, "k": 0.1} {
		if v := x.Var(name); v == nil || v.Kind != Param || v.Value != want || !v.Eq.IsZero() {
			t.Errorf("%s: got %+v, want a param with value %g", name, v, want)
		}
	}

	// Each element keeps its declaration's key and positions; its
	// equation keeps the text it came from.
	b := x.Var("build[aze]")
	src := m.Var("build")
	if b.Key != "flows.build" || b.Pos != src.Pos || b.Eq.Text != src.Eq.Text || b.Eq.Pos != src.Eq.Pos || b.Dims != nil {
		t.Errorf("build[aze]: got key %q pos %v eq %q at %v dims %v", b.Key, b.Pos, b.Eq.Text, b.Eq.Pos, b.Dims)
	}
	var offs []int
	syntax.Walk(b.Eq.Expr, func(e syntax.Expr) bool {
		if id, ok := e.(*syntax.Ident); ok && id.Name == "port[aze]" {
			offs = append(offs, id.At)
		}
		return true
	})
	if want := strings.Index(src.Eq.Text, "port"); len(offs) != 1 || offs[0] != want {
		t.Errorf("port[aze] in build[aze] at offsets %v, want [%d], where port[region] was written", offs, want)
	}
	if g := x.Var("bias[geo]"); g.Eq.Pos == src.Eq.Pos || g.Eq.Text != "port[region] / 2" {
		t.Errorf("bias[geo]: got eq %q at %v, want its own equation", g.Eq.Text, g.Eq.Pos)
	}

	// Stocks connect to their flows element by element.
	if got := x.Var("port[geo]").Inflows; !reflect.DeepEqual(got, []string{"build[geo]"}) {
		t.Errorf("port[geo] inflows %q, want [build[geo]]", got)
	}

	// Thresholds, loops and plots name elements.
	if got := x.Thresholds[0].Var; got != "port[geo]" {
		t.Errorf("threshold var %q, want port[geo]", got)
	}
	if got := x.Loops[0].Path; !reflect.DeepEqual(got, []string{"port[kaz]", "build[kaz]"}) {
		t.Errorf("loop path %q", got)
	}
	wantPlot := []string{"port[kaz]", "port[aze]", "port[geo]", "total", "cargo[geo,rail]", "cargo[geo,sea]"}
	if got := x.Plots[0].Vars; !reflect.DeepEqual(got, wantPlot) {
		t.Errorf("plot vars %q, want %q", got, wantPlot)
	}

	// A scenario sets every element of an arrayed param.
	big := x.Scenario("big")
	if got, want := big.Params, []string{"cap[kaz]", "cap[aze]", "cap[geo]", "k"}; !reflect.DeepEqual(got, want) ||
		big.Set["cap[geo]"] != 7 || big.Set["k"] != 0.2 || big.FieldPos["set.cap[aze]"] != big.FieldPos["set.cap"] {
		t.Errorf("scenario big: got params %q, set %v", got, big.Set)
	}

	if x.Dimensions != nil {
		t.Errorf("expanded model has dimensions %v, want none", x.Dimensions)
	}
	// The input is left as it was.
	if got := syntax.Print(m.Var("build").Eq.Expr); got != before || len(m.Var("build").Dims) != 1 || len(m.Vars) != 12 {
		t.Errorf("Expand modified its input: build's eq is now %q", got)
	}
}

// TestExpandScalar: a model without arrays comes back as it is.
func TestExpandScalar(t *testing.T) {
	m, err := ParseTOML("s.toml", []byte(flowModel))
	if err != nil {
		t.Fatal(err)
	}
	x, err := Expand(m)
	if err != nil || x != m {
		t.Errorf("Expand(scalar model) = %p, %v; want the model itself (%p)", x, err, m)
	}
	// Array functions of scalars need no dimensions.
	x = expandTOML(t, flowModel+"[aux.s]\neq = \"sum(population) + size(births) + stddev(crowding)\"\n")
	if got, want := syntax.Print(x.Var("s").Eq.Expr), "(population) + 1 + sqrt(((crowding - ((crowding) / 1)) ^ 2) / 1)"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestExpandFlows: a flow with more dimensions than its stock fills it
// with all its matching elements; an arrayed flow fills a scalar stock
// with all of them.
func TestExpandFlows(t *testing.T) {
	x := expandTOML(t, `[dimensions]
region = ["kaz", "aze"]
mode = ["rail", "sea"]
[stocks.port]
dims = ["region"]
initial = 0
inflows = ["arrivals"]
outflows = ["departures"]
[stocks.yard]
initial = 0
inflows = ["departures"]
[flows.arrivals]
dims = ["mode", "region"]
eq = 1
[flows.departures]
dims = ["region"]
eq = "port"
`)
	for name, want := range map[string][][]string{
		"port[kaz]": {{"arrivals[rail,kaz]", "arrivals[sea,kaz]"}, {"departures[kaz]"}},
		"port[aze]": {{"arrivals[rail,aze]", "arrivals[sea,aze]"}, {"departures[aze]"}},
		"yard":      {{"departures[kaz]", "departures[aze]"}, nil},
	} {
		v := x.Var(name)
		if !reflect.DeepEqual(v.Inflows, want[0]) || !reflect.DeepEqual(v.Outflows, want[1]) {
			t.Errorf("%s: inflows %q, outflows %q; want %q, %q", name, v.Inflows, v.Outflows, want[0], want[1])
		}
	}
	if got := syntax.Print(x.Var("departures[aze]").Eq.Expr); got != "port[aze]" {
		t.Errorf("departures[aze] = %s, want port[aze]", got)
	}
}

// arrayBase is a small arrayed model that the bad cases append to.
const arrayBase = `[dimensions]
region = ["kazakhstan", "azerbaijan", "georgia"]
mode = ["rail", "sea"]

[stocks.port]
dims = ["region"]
initial = 1
inflows = ["build"]

[flows.build]
dims = ["region"]
eq = "0.1 * port[region]"

[aux.cargo]
dims = ["region", "mode"]
eq = "port[region]"

[aux.total]
eq = "sum(port[*])"
`

// badArrays are arrayed models with one error each. at is a piece of the
// source, found once in it, that starts where the error is reported.
var badArrays = []struct {
	name, src, at, key, msg string
}{
	// The declaration (the TOML reader).
	{"unknown dimension", arrayBase + "[aux.a]\ndims = [\"regoin\"]\neq = \"1\"\n", `"regoin"`, "aux.a.dims", `unknown dimension "regoin" (did you mean "region"?)`},
	{"dimension without a table", "[aux.a]\ndims = [\"region\"]\neq = \"1\"\n", `"region"`, "aux.a.dims", `unknown dimension "region"; declare it under [dimensions]`},
	{"dimension listed twice", arrayBase + "[aux.a]\ndims = [\"mode\", \"mode\"]\neq = \"1\"\n", "\"mode\"]\neq = \"1\"", "aux.a.dims", `dimension "mode" is listed twice`},
	{"empty dims", arrayBase + "[aux.a]\ndims = []\neq = \"1\"\n", `[]`, "aux.a.dims", `empty dims`},
	{"element listed twice", "[dimensions]\nregion = [\"a\", \"b\", \"a\"]\n", `"a"]`, "dimensions.region", `element "a" is listed twice in dimension region`},
	{"empty dimension", "[dimensions]\nregion = []\n", `[]`, "dimensions.region", `dimension "region" has no elements`},
	{"invalid element", "[dimensions]\nregion = [\"north america\"]\n", `"north`, "dimensions.region", `invalid element name "north america"`},
	{"dimension a keyword", "[dimensions]\nif = [\"a\"]\n", `if =`, "dimensions.if", `"if" is a keyword`},
	{"eqs missing an element", arrayBase + "[aux.b]\ndims = [\"region\"]\neqs = { kazakhstan = \"1\", azerbaijan = \"2\" }\n", `{ kazakhstan = "1"`, "aux.b.eqs", `eqs has no entry for element georgia`},
	{"eqs unknown element", arrayBase + "[aux.b]\ndims = [\"region\"]\neqs = { kazakhstan = \"1\", azerbaijan = \"2\", gorgia = \"3\" }\n", `gorgia`, "aux.b.eqs.gorgia", `unknown element "gorgia" of dimension region (did you mean "georgia"?)`},
	{"eqs key of wrong arity", arrayBase + "[aux.b]\ndims = [\"region\", \"mode\"]\neqs = { kazakhstan = 1 }\n", `kazakhstan = 1`, "aux.b.eqs.kazakhstan", `"kazakhstan" names 1 element, want one for each of the 2 dimensions region, mode (write "kazakhstan,rail")`},
	{"eqs without dims", arrayBase + "[aux.b]\neqs = { kazakhstan = \"1\" }\n", `{ kazakhstan`, "aux.b.eqs", `eqs needs dims`},
	{"eq and eqs", arrayBase + "[aux.b]\ndims = [\"mode\"]\neq = \"1\"\neqs = { rail = \"1\", sea = \"2\" }\n", `{ rail`, "aux.b.eqs", `give either eq (for all elements) or eqs (one per element), not both`},
	{"eqs does not parse", arrayBase + "[aux.b]\ndims = [\"mode\"]\neqs = { rail = \"1 +\", sea = \"2\" }\n", `", sea`, "aux.b.eqs.rail", `missing operand after "+"`},
	{"values not numbers", arrayBase + "[params]\np = { dims = [\"mode\"], values = { rail = \"x\", sea = 2 } }\n", `"x"`, "params.p.values.rail", `expected a number, got a string`},
	{"values outside range", arrayBase + "[params]\np = { dims = [\"mode\"], values = { rail = 1, sea = 20 }, max = 10 }\n", `20 }`, "params.p.values.sea", `value 20 is outside its range [-inf, 10]`},
	{"param without value or values", arrayBase + "[params]\np = { dims = [\"mode\"] }\n", `p = {`, "params.p", `missing value`},
	{"stock initials missing", arrayBase + "[stocks.s]\ndims = [\"mode\"]\ninitials = { rail = 1 }\n", `{ rail = 1 }`, "stocks.s.initials", `initials has no entry for element sea`},
	{"lookup with dims", arrayBase + "[lookups.f]\ndims = [\"mode\"]\npoints = [[0, 0], [1, 1]]\n", `dims = ["mode"]`, "lookups.f.dims", `unknown key "dims"`},
	{"threshold names an arrayed var", arrayBase + "[thresholds.t]\nvar = \"port\"\nlevel = 1\n", `"port"`, "thresholds.t.var", `"port" is arrayed over region; name one element, such as port[kazakhstan]`},
	{"threshold unknown element", arrayBase + "[thresholds.t]\nvar = \"port[gorgia]\"\nlevel = 1\n", `"port[gorgia]"`, "thresholds.t.var", `unknown element "gorgia" of dimension region (did you mean "georgia"?)`},
	{"loop subscripts a scalar", arrayBase + "[[loops]]\nname = \"l\"\npath = [\"total[georgia]\"]\npolarity = \"B\"\n", `"total[`, "loops[1].path", `"total" is not arrayed`},
	{"plot element of unknown var", arrayBase + "[[plots]]\nfile = \"p.png\"\nvars = [\"prt[georgia]\"]\n", `"prt[`, "plots[1].vars", `unknown variable "prt" (did you mean "port"?)`},

	// Equations (Expand).
	{"unknown element", arrayBase + "[aux.a]\neq = \"port[kazakstan]\"\n", `kazakstan]`, "aux.a.eq", `unknown element "kazakstan" of dimension region (did you mean "kazakhstan"?)`},
	{"unknown element far from all", arrayBase + "[aux.a]\neq = \"port[china]\"\n", `china]`, "aux.a.eq", `unknown element "china" of dimension region (its elements: kazakhstan, azerbaijan, georgia)`},
	{"too many subscripts", arrayBase + "[aux.a]\neq = \"2 * port[georgia, rail]\"\n", `georgia, rail]`, "aux.a.eq", `"port" has 1 dimension (region), got 2 subscripts`},
	{"too few subscripts", arrayBase + "[aux.a]\neq = \"cargo[georgia]\"\n", `georgia]"`, "aux.a.eq", `"cargo" has 2 dimensions (region, mode), got 1 subscript`},
	{"subscripted scalar", arrayBase + "[aux.a]\neq = \"1 + total[georgia]\"\n", `total[georgia]`, "aux.a.eq", `"total" is not arrayed; write it without subscripts`},
	{"subscripted unknown var", arrayBase + "[aux.a]\neq = \"prt[georgia]\"\n", `prt[`, "aux.a.eq", `unknown variable "prt" (did you mean "port"?)`},
	{"arrayed var bare in a scalar", arrayBase + "[aux.a]\neq = \"port * 2\"\n", `port * 2`, "aux.a.eq", `"port" is arrayed over region; name its elements (port[kazakhstan]) or reduce it (sum(port[*]))`},
	{"arrayed var bare over another dimension", arrayBase + "[aux.a]\ndims = [\"mode\"]\neq = \"cargo\"\n", `cargo"`, "aux.a.eq", `"cargo" is arrayed over region × mode`},
	{"wildcard outside a reduction", arrayBase + "[aux.a]\neq = \"port[*] + 1\"\n", `*] + 1`, "aux.a.eq", `port[*] stands for every element of region; use it in an array function such as sum(port[*])`},
	{"dimension not the defined var's", arrayBase + "[aux.a]\neq = \"port[region] + 1\"\n", `region] + 1`, "aux.a.eq", `region is not a dimension of the variable being defined (a is not arrayed)`},
	{"dimension in the wrong place", arrayBase + "[aux.a]\ndims = [\"region\", \"mode\"]\neq = \"cargo[mode, region]\"\n", `mode, region]`, "aux.a.eq", `subscript 1 of "cargo" must be an element of region, got the dimension mode`},
	{"subscript an expression", arrayBase + "[aux.a]\neq = \"port[1 + 1]\"\n", `1 + 1]`, "aux.a.eq", `subscript 1 of "port" must be a dimension, an element, a position or *, got 1 + 1`},
	{"position out of range", arrayBase + "[aux.a]\neq = \"port[4]\"\n", `4]`, "aux.a.eq", `subscript 4 is not an element of region, nor a position from 1 to 3`},
	{"sum of two", arrayBase + "[aux.a]\neq = \"sum(port[*], 1)\"\n", `sum(port[*], 1)`, "aux.a.eq", `sum takes one argument, an array such as sum(x[*]); got 2`},
	{"per-element eq error", arrayBase + "[aux.b]\ndims = [\"mode\"]\neqs = { rail = \"port[rial]\", sea = \"2\" }\n", `rial]`, "aux.b.eqs.rail", `unknown element "rial" of dimension region`},
	{"stock initial", arrayBase + "[stocks.s]\ndims = [\"mode\"]\ninitial = \"port[mode]\"\n", `mode]"`, "stocks.s.initial", `subscript 1 of "port" must be an element of region, got the dimension mode`},
	{"lookup subscripted", arrayBase + "[lookups.f]\npoints = [[0, 0], [1, 1]]\n[aux.a]\neq = \"f[1]\"\n", `f[1]`, "aux.a.eq", `"f" is a lookup; call it as f(x)`},

	// Stocks and flows (Expand).
	{"scalar flow into arrayed stock", arrayBase + "[stocks.s]\ndims = [\"region\"]\ninitial = 0\ninflows = [\"f\"]\n[flows.f]\neq = \"1\"\n", `["f"]`, "stocks.s.inflows", `flow "f" is not arrayed, but stock "s" is (over region); a flow fills or drains one stock only, so give the flow the stock's dimensions (dims = ["region"])`},
	{"flow lacking a stock dimension", arrayBase + "[stocks.s]\ndims = [\"region\", \"mode\"]\ninitial = 0\noutflows = [\"f\"]\n[flows.f]\ndims = [\"mode\"]\neq = \"1\"\n", `["f"]`, "stocks.s.outflows", `flow "f" is arrayed over mode, which lacks the stock's dimension region`},
}

func TestBadArrays(t *testing.T) {
	for _, tc := range badArrays {
		t.Run(tc.name, func(t *testing.T) {
			if n := strings.Count(tc.src, tc.at); n != 1 {
				t.Fatalf("at %q occurs %d times in the source, want once", tc.at, n)
			}
			off := strings.Index(tc.src, tc.at)
			line := strings.Count(tc.src[:off], "\n") + 1
			col := off - strings.LastIndex(tc.src[:off], "\n")

			m, err := ParseTOML("bad.toml", []byte(tc.src))
			if err == nil {
				_, err = Expand(m)
			}
			var list syntax.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got error %v (%T), want a syntax.ErrorList", err, err)
			}
			if len(list) != 1 {
				t.Errorf("got %d errors, want 1:\n%s", len(list), listString(list))
			}
			e := list[0]
			if e.Pos.File != "bad.toml" || e.Pos.Line != line || e.Pos.Col != col || e.Key != tc.key || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got  %s\nwant bad.toml:%d:%d: %s: …%s…", e, line, col, tc.key, tc.msg)
			}
		})
	}
}

// TestExpandDeclErrors checks Expand's own checks of a declaration built
// without the TOML reader, as other readers make them: errors fall back to
// the positions the declaration has.
func TestExpandDeclErrors(t *testing.T) {
	p := func(line int) syntax.Pos { return syntax.Pos{File: "m.xmile", Line: line} }
	num := func(f float64) Equation {
		return Equation{Text: "1", Pos: p(9), Expr: &syntax.Num{Text: "1", Value: f}}
	}
	region := &Dimension{Name: "region", Elements: []string{"a", "b"}, Pos: p(1)}
	for _, tc := range []struct {
		name string
		m    *Model
		want string
	}{
		{"unknown dimension", &Model{Dimensions: []*Dimension{region},
			Vars: []*Var{{Kind: Aux, Name: "x", Key: "aux.x", Pos: p(2), Dims: []string{"regio"}, Eq: num(1)}}},
			`m.xmile:2: aux.x.dims: unknown dimension "regio" (did you mean "region"?)`},
		{"dimension twice", &Model{Dimensions: []*Dimension{region, {Name: "region", Elements: []string{"c"}, Pos: p(3)}}},
			`m.xmile:3: dimensions.region: dimension "region" is defined twice (first at m.xmile:1)`},
		{"bad element", &Model{Dimensions: []*Dimension{{Name: "d", Elements: []string{"a b"}, Pos: p(4), Key: "dims.d"}}},
			`m.xmile:4: dims.d: invalid element name "a b" in dimension d: an element is letters, digits and _`},
		{"element eq of a scalar", &Model{Dimensions: []*Dimension{region},
			Vars: []*Var{{Kind: Aux, Name: "x", Key: "aux.x", Pos: p(2), ElementEqs: []ElementEq{{Elements: []string{"a"}, Eq: num(1)}}}}},
			`m.xmile:2: aux.x.eqs: per-element eqs need dims: the dimensions the elements belong to`},
		{"element eq missing", &Model{Dimensions: []*Dimension{region},
			Vars: []*Var{{Kind: Stock, Name: "x", Key: "stocks.x", Pos: p(2), Dims: []string{"region"}, ElementEqs: []ElementEq{{Elements: []string{"a"}, Eq: num(1)}}}}},
			`m.xmile:2: stocks.x.initials: initials has no entry for element b: give one per element`},
		{"element eq twice", &Model{Dimensions: []*Dimension{region},
			Vars: []*Var{{Kind: Aux, Name: "x", Key: "aux.x", Pos: p(2), Dims: []string{"region"}, ElementEqs: []ElementEq{
				{Elements: []string{"a"}, Eq: num(1)}, {Elements: []string{"b"}, Eq: num(1)}, {Elements: []string{"a"}, Eq: num(2)}}}}},
			`m.xmile:9: aux.x.eqs.a: element a is given twice`},
		{"param element not a number", &Model{Dimensions: []*Dimension{region},
			Vars: []*Var{{Kind: Param, Name: "x", Key: "params.x", Pos: p(2), Dims: []string{"region"}, ElementEqs: []ElementEq{
				{Elements: []string{"a"}, Eq: num(1)}, {Elements: []string{"b"}, Eq: Equation{Text: "y", Pos: p(5), Expr: &syntax.Ident{Name: "y"}}}}}}},
			`m.xmile:5: params.x.values.b: the value of a param's element must be a number`},
		{"arrayed lookup", &Model{Dimensions: []*Dimension{region},
			Vars: []*Var{{Kind: Lookup, Name: "f", Key: "lookups.f", Pos: p(2), Dims: []string{"region"}}}},
			`m.xmile:2: lookups.f.dims: a lookup cannot be arrayed; make one lookup and call it with each element`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Expand(tc.m)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestElementName(t *testing.T) {
	for _, tt := range []struct {
		name  string
		elems []string
		want  string
	}{
		{"port", []string{"kazakhstan"}, "port[kazakhstan]"},
		{"cargo", []string{"georgia", "sea"}, "cargo[georgia,sea]"},
	} {
		if got := ElementName(tt.name, tt.elems); got != tt.want {
			t.Errorf("ElementName(%q, %q) = %q, want %q", tt.name, tt.elems, got, tt.want)
		}
	}
}

// TestReadArrays checks what the TOML reader makes of the array keys.
func TestReadArrays(t *testing.T) {
	m, err := ParseTOML("a.toml", []byte(arrayModel))
	if err != nil {
		t.Fatal(err)
	}
	want := []*Dimension{
		{Name: "region", Elements: []string{"kaz", "aze", "geo"}, Pos: syntax.Pos{File: "a.toml", Line: 2, Col: 1}, Key: "dimensions.region"},
		{Name: "mode", Elements: []string{"rail", "sea"}, Pos: syntax.Pos{File: "a.toml", Line: 3, Col: 1}, Key: "dimensions.mode"},
	}
	if !reflect.DeepEqual(m.Dimensions, want) {
		t.Errorf("got dimensions %+v %+v", m.Dimensions[0], m.Dimensions[1])
	}
	share := m.Var("share")
	if !reflect.DeepEqual(share.Dims, []string{"region"}) || len(share.ElementEqs) != 3 {
		t.Fatalf("share: got dims %q and %d element values", share.Dims, len(share.ElementEqs))
	}
	// Per-element entries come in element order, whatever the file's.
	for i, want := range []string{"kaz", "aze", "geo"} {
		if got := share.ElementEqs[i].Elements; !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("share element %d: got %q, want %s", i, got, want)
		}
	}
	lane := m.Var("lane")
	if got := lane.ElementEqs[1]; !reflect.DeepEqual(got.Elements, []string{"kaz", "sea"}) || got.Eq.Text != "2" {
		t.Errorf("lane[kaz,sea] (written \"kaz, sea\"): got %+v", got)
	}
	geo := lane.ElementEqs[5]
	if geo.Eq.Text != "cargo[region, mode]" || geo.Eq.Pos != (syntax.Pos{File: "a.toml", Line: 42, Col: 101}) || geo.Eq.PosAt(6) != (syntax.Pos{File: "a.toml", Line: 42, Col: 107}) {
		t.Errorf("lane[geo,sea]: got %q at %v, \"region\" at %v", geo.Eq.Text, geo.Eq.Pos, geo.Eq.PosAt(6))
	}
	if p := m.Var("port"); !reflect.DeepEqual(p.Dims, []string{"region"}) || p.Eq.Text != "cap[region]" || p.ElementEqs != nil {
		t.Errorf("port: got %+v", p)
	}
}

// TestExpandLimits: a small file cannot ask for an unbounded expansion.
func TestExpandLimits(t *testing.T) {
	elems := make([]string, 400)
	for i := range elems {
		elems[i] = fmt.Sprintf("\"e%d\"", i)
	}
	dims := "[dimensions]\nbig = [" + strings.Join(elems, ", ") + "]\nother = [" + strings.Join(elems, ", ") + "]\n"
	for _, tc := range []struct{ name, src, want string }{
		{"too many elements", dims + "[aux.x]\ndims = [\"big\", \"other\"]\neq = 1\n", "more than 100000 elements"},
		{"nested reductions", dims + "[aux.x]\ndims = [\"big\"]\neq = 1\n[aux.y]\neq = \"sum(x[*] * sum(x[*] * sum(x[*])))\"\n", "too large"},
		{"reduction over a product", dims + "[aux.x]\ndims = [\"big\"]\neq = 1\n[aux.z]\ndims = [\"other\"]\neq = 1\n[aux.y]\neq = \"sum(x[*] * z[*])\"\n", "sum ranges over more than 100000 elements"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseTOML("big.toml", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Expand(m); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want …%s…", err, tc.want)
			}
		})
	}
}

// TestFormatDocArrays checks that the example of the Arrays section of
// docs/format.md reads and expands as the section says.
func TestFormatDocArrays(t *testing.T) {
	doc, err := os.ReadFile("../../docs/format.md")
	if err != nil {
		t.Skip(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n## Arrays\n")
	_, rest, ok2 := strings.Cut(section, "```toml\n")
	src, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("no TOML example in the Arrays section of docs/format.md")
	}
	x := expandTOML(t, src)
	for name, want := range map[string]string{
		"port[georgia]":      "capacity[georgia]",
		"build[azerbaijan]":  "0.1 * (capacity[azerbaijan] - port[azerbaijan])",
		"total":              "(port[kazakhstan] + port[azerbaijan] + port[georgia])",
		"bias[georgia]":      "port[georgia] / 2",
		"cargo[georgia,sea]": "6",
		"cargo_by_mode[sea]": "(cargo[kazakhstan,sea] + cargo[azerbaijan,sea] + cargo[georgia,sea])",
	} {
		if v := x.Var(name); v == nil || syntax.Print(v.Eq.Expr) != want {
			t.Errorf("%s: got %+v, want eq %s", name, v, want)
		}
	}
	if v := x.Var("share[azerbaijan]"); v == nil || v.Value != 0.3 {
		t.Errorf("share[azerbaijan]: got %+v, want 0.3", v)
	}
}

// subrangeModel has a subrange (bakery, elements of store), a
// reordering of store (back, a subrange of it and it of back), and a
// dimension mapped to store by position (lane).
const subrangeModel = `[dimensions]
store = ["downtown", "glendale", "landsdown", "whyte"]
bakery = ["downtown", "landsdown"]
back = ["whyte", "landsdown", "glendale", "downtown"]
lane = { elements = ["l1", "l2", "l3", "l4"], maps_to = "store" }

[params]
sales = { dims = ["store"], values = { downtown = 1, glendale = 2, landsdown = 3, whyte = 4 } }

[aux.bread]
dims = ["bakery"]
eq = "sales[bakery] * 10"

[aux.bread_bare]
dims = ["bakery"]
eq = "sales * 2"

[aux.bread_parent]
dims = ["bakery"]
eq = "sales[store]"

[aux.bread_total]
eq = "sum(sales[bakery]) + size(bakery)"

[aux.all_total]
eq = "sum(sales[back])"

[aux.lane_sales]
dims = ["lane"]
eq = "sales[store]"

[aux.store_lane]
dims = ["store"]
eq = "lane_sales[lane] + sum(bread[*])"

[aux.reversed]
dims = ["back"]
eq = "sales[store]"
`

// TestExpandSubranges: a subscript naming a subrange, a superrange or a
// mapped dimension of the subscript's own stands for the element bound to
// it: the same element, or the element at the same position.
func TestExpandSubranges(t *testing.T) {
	x := expandTOML(t, subrangeModel)
	for _, tt := range []struct{ name, want string }{
		{"bread[landsdown]", "sales[landsdown] * 10"},
		{"bread_bare[landsdown]", "sales[landsdown] * 2"},
		{"bread_parent[downtown]", "sales[downtown]"},
		{"bread_total", "(sales[downtown] + sales[landsdown]) + 2"},
		{"all_total", "(sales[whyte] + sales[landsdown] + sales[glendale] + sales[downtown])"},
		{"lane_sales[l2]", "sales[glendale]"},
		{"store_lane[whyte]", "lane_sales[l4] + (bread[downtown] + bread[landsdown])"},
		{"reversed[whyte]", "sales[whyte]"},
	} {
		v := x.Var(tt.name)
		if v == nil {
			t.Errorf("no variable %s; have %v", tt.name, x.Names())
			continue
		}
		if got := syntax.Print(v.Eq.Expr); got != tt.want {
			t.Errorf("%s: got  %s\nwant %s", tt.name, got, tt.want)
		}
	}

	// Round trip: the mapping is written back.
	m, err := ParseTOML("a.toml", []byte(subrangeModel))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteTOML(&b, m); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `lane = { elements = ["l1", "l2", "l3", "l4"], maps_to = ["store"] }`) {
		t.Errorf("WriteTOML lost the mapping:\n%s", b.String())
	}
	back, err := ParseTOML("b.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Dimensions[3].MapsTo; !reflect.DeepEqual(got, []string{"store"}) {
		t.Errorf("read back maps_to %q", got)
	}
}

// TestBadSubranges: an element the subrange does not hold, a dimension
// unrelated to the subscript's, and bad mappings are positioned errors.
func TestBadSubranges(t *testing.T) {
	for _, tc := range []struct{ name, add, want string }{
		{"superrange element outside", "[aux.bad]\ndims = [\"store\"]\neq = \"bread[store]\"\n",
			"aux.bad.eq: store stands for glendale here, which is not an element of bakery"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseTOML("bad.toml", []byte(subrangeModel+tc.add))
			if err == nil {
				_, err = Expand(m)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want …%s…", err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ src, want string }{
		{"[dimensions]\na = [\"x\", \"y\"]\nb = { elements = [\"p\"], maps_to = \"a\" }\n",
			"bad.toml:3:1: dimensions.b: dimension b (1 elements) maps to a (2 elements)"},
		{"[dimensions]\na = [\"x\", \"y\"]\nb = { elements = [\"p\", \"q\"], maps_to = \"aa\" }\n",
			`bad.toml:3:1: dimensions.b: dimension b maps to "aa", which is not a dimension (did you mean "a"?)`},
		{"[dimensions]\nb = { elemnts = [\"p\", \"q\"] }\n", `bad.toml:2:5: dimensions.b: dimension "b" has no elements`},
		{"[dimensions]\na = [\"x\"]\nc = [\"y\"]\n[aux.v]\ndims = [\"a\"]\neq = \"1\"\n[aux.w]\ndims = [\"c\"]\neq = \"v[c]\"\n",
			"subscript 1 of \"v\" must be an element of a, got the dimension c (neither a subrange of the other, nor mapped to it)"},
	} {
		m, err := ParseTOML("bad.toml", []byte(tc.src))
		if err == nil {
			_, err = Expand(m)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want …%s…", tc.src, err, tc.want)
		}
	}
}
