package model

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

// corridorArrays and corridorScalars are one model, written with arrays
// and with one variable per element.
const corridorArrays = `
[sim]
stop = 10
dt = 0.25
method = "rk4"

[dimensions]
region = ["kaz", "aze", "geo"]

[params]
cap = { dims = ["region"], values = { kaz = 20, aze = 25, geo = 30 } }
T = 4

[stocks.port]
dims = ["region"]
initial = "cap[region] / 4"
inflows = ["build"]
outflows = ["wear"]

[flows.build]
dims = ["region"]
eq = "(cap[region] - port[region]) / T + 0.1 * share[region] * total"

[flows.wear]
dims = ["region"]
eqs = { kaz = "0.02 * port[kaz]", aze = "0.03 * port", geo = "0.01 * port[geo] + 0.1" }

[aux.total]
eq = "sum(port[*])"

[aux.share]
dims = ["region"]
eq = "port / total"
`

const corridorScalars = `
[sim]
stop = 10
dt = 0.25
method = "rk4"

[params]
cap_kaz = 20
cap_aze = 25
cap_geo = 30
T = 4

[stocks.port_kaz]
initial = "cap_kaz / 4"
inflows = ["build_kaz"]
outflows = ["wear_kaz"]
[stocks.port_aze]
initial = "cap_aze / 4"
inflows = ["build_aze"]
outflows = ["wear_aze"]
[stocks.port_geo]
initial = "cap_geo / 4"
inflows = ["build_geo"]
outflows = ["wear_geo"]

[flows.build_kaz]
eq = "(cap_kaz - port_kaz) / T + 0.1 * share_kaz * total"
[flows.build_aze]
eq = "(cap_aze - port_aze) / T + 0.1 * share_aze * total"
[flows.build_geo]
eq = "(cap_geo - port_geo) / T + 0.1 * share_geo * total"

[flows.wear_kaz]
eq = "0.02 * port_kaz"
[flows.wear_aze]
eq = "0.03 * port_aze"
[flows.wear_geo]
eq = "0.01 * port_geo + 0.1"

[aux.total]
eq = "port_kaz + port_aze + port_geo"

[aux.share_kaz]
eq = "port_kaz / total"
[aux.share_aze]
eq = "port_aze / total"
[aux.share_geo]
eq = "port_geo / total"
`

// TestArraysMatchScalars: an arrayed model runs exactly as the same model
// written out with scalars, under every method.
func TestArraysMatchScalars(t *testing.T) {
	a, s := mustParse(t, corridorArrays), mustParse(t, corridorScalars)
	wantNames := []string{"port[kaz]", "port[aze]", "port[geo]", "build[kaz]", "build[aze]", "build[geo]",
		"wear[kaz]", "wear[aze]", "wear[geo]", "total", "share[kaz]", "share[aze]", "share[geo]"}
	if got := a.Names(); !slices.Equal(got, wantNames) {
		t.Fatalf("names %q, want %q", got, wantNames)
	}
	if a.Source == nil || a.Source == a.Decl || len(a.Source.Vars) != 7 || len(a.Source.Dimensions) != 1 {
		t.Errorf("Source should be the declaration as read, with its 7 variables and 1 dimension")
	}
	if s.Source != s.Decl {
		t.Errorf("a model without arrays: Source and Decl should be the same declaration")
	}
	scalar := func(name string) string {
		return strings.NewReplacer("[", "_", "]", "").Replace(name)
	}
	for _, method := range []string{"euler", "rk2", "rk4", "rk45"} {
		ra, err := a.Run(t.Context(), RunOptions{Method: method})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := s.Run(t.Context(), RunOptions{Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ra.Times, rs.Times) {
			t.Fatalf("%s: times differ", method)
		}
		for _, name := range wantNames {
			ya, ys := ra.Series(name), rs.Series(scalar(name))
			for i := range ya {
				if math.Abs(ya[i]-ys[i]) > 1e-12*math.Max(1, math.Abs(ys[i])) {
					t.Fatalf("%s: %s(%g) = %.15g, scalar model %.15g", method, name, ra.Times[i], ya[i], ys[i])
				}
			}
		}
	}
	// An element of an arrayed param is set by its name.
	r, err := a.Run(t.Context(), RunOptions{Set: map[string]float64{"cap[geo]": 40}})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Series("port[geo]")[0]; got != 10 {
		t.Errorf("port[geo] starts at %g with cap[geo] = 40, want 10", got)
	}
}

// TestReductions checks each array function's value against its
// definition.
func TestReductions(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 1
[dimensions]
i = ["a", "b", "c", "d"]
j = ["x", "y"]
[params]
v = { dims = ["i"], values = { a = 3, b = -1, c = 4, d = 1.5 } }
w = { dims = ["i", "j"], values = { "a,x" = 1, "a,y" = 2, "b,x" = 3, "b,y" = 4, "c,x" = 5, "c,y" = 6, "d,x" = 7, "d,y" = 8 } }
[aux.r_sum]
eq = "sum(v[*])"
[aux.r_prod]
eq = "prod(v)"
[aux.r_mean]
eq = "mean(v[*])"
[aux.r_min]
eq = "min(v[*])"
[aux.r_max]
eq = "MAX(v[*])"
[aux.r_size]
eq = "size(w[*, *])"
[aux.r_stddev]
eq = "stddev(v[*])"
[aux.scalar_min]
eq = "min(v[a], v[b])"
[aux.dot]
eq = "sum(v[*] * w[*, y])"
[aux.rows]
dims = ["i"]
eq = "sum(w[i, *])"
[aux.cols]
dims = ["j"]
eq = "mean(w[*, j])"
[aux.centred]
dims = ["i"]
eq = "v - mean(v[*])"
[aux.nested]
eq = "sum(w[*, x] * max(v[*]))"
[aux.by_position]
eq = "v[2] + w[4, 2]"
`)
	r, err := m.Run(t.Context(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := []float64{3, -1, 4, 1.5}
	mean := (3 - 1 + 4 + 1.5) / 4
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	for _, tt := range []struct {
		name string
		want float64
	}{
		{"r_sum", 7.5}, {"r_prod", -18}, {"r_mean", mean}, {"r_min", -1}, {"r_max", 4}, {"r_size", 8},
		{"r_stddev", math.Sqrt(ss / 4)}, {"scalar_min", -1},
		{"dot", 3*2 - 1*4 + 4*6 + 1.5*8},
		{"rows[a]", 3}, {"rows[b]", 7}, {"rows[d]", 15},
		{"cols[x]", 4}, {"cols[y]", 5},
		{"centred[a]", 3 - mean}, {"centred[b]", -1 - mean},
		{"nested", (1 + 3 + 5 + 7) * 4},
		{"by_position", -1 + 8},
	} {
		if got := r.Series(tt.name); got == nil || math.Abs(got[0]-tt.want) > 1e-12 {
			t.Errorf("%s = %v, want %g", tt.name, got, tt.want)
		}
	}
}

// TestArrays2D: a two-dimensional stock filled by its own flows, and a
// one-dimensional stock filled by a two-dimensional flow: each element
// gets the sum of its row.
func TestArrays2D(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 5
[dimensions]
region = ["kaz", "geo"]
mode = ["rail", "sea", "road"]
[params]
rate = { dims = ["region", "mode"], value = 2 }
[stocks.cargo]
dims = ["region", "mode"]
initial = 1
inflows = ["arrive"]
[flows.arrive]
dims = ["region", "mode"]
eqs = { "kaz,rail" = 1, "kaz,sea" = 2, "kaz,road" = 3, "geo,rail" = 4, "geo,sea" = 5, "geo,road" = "rate[geo, road]" }
[stocks.port]
dims = ["region"]
initial = 0
inflows = ["unload"]
[flows.unload]
dims = ["mode", "region"]
eq = "rate[region, mode]"
[stocks.hub]
initial = 0
inflows = ["transfer"]
[flows.transfer]
dims = ["region"]
eq = "1"
`)
	r, err := m.Run(t.Context(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	last := r.Len() - 1
	for name, want := range map[string]float64{
		"cargo[kaz,rail]": 1 + 5*1, "cargo[kaz,road]": 1 + 5*3, "cargo[geo,road]": 1 + 5*2,
		"port[kaz]": 5 * 3 * 2, "port[geo]": 5 * 3 * 2,
		"hub": 5 * 2,
	} {
		if got := r.Series(name)[last]; math.Abs(got-want) > 1e-12 {
			t.Errorf("%s(5) = %g, want %g", name, got, want)
		}
	}
}

// TestArrayElementsInDecl: thresholds and plots name elements after
// expansion, and a run's results can be read by element.
func TestArrayElementsInDecl(t *testing.T) {
	m := mustParse(t, corridorArrays+`
[thresholds.big]
var = "port[geo]"
level = 10
[[plots]]
file = "p.png"
vars = ["port"]
`)
	if got := m.Decl.Thresholds[0].Var; got != "port[geo]" {
		t.Errorf("threshold var %q", got)
	}
	if got := m.Decl.Plots[0].Vars; !slices.Equal(got, []string{"port[kaz]", "port[aze]", "port[geo]"}) {
		t.Errorf("plot vars %q", got)
	}
	r, err := m.Run(t.Context(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := r.Crossings("port[geo]", 10, Rising)
	if err != nil || len(cs) != 1 {
		t.Errorf("port[geo] crosses 10: %v, %v; want once", cs, err)
	}
}

// TestArrayCompileErrors: errors the compiler finds in an expanded
// equation point at what the user wrote.
func TestArrayCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
		key, msg  string
	}{
		{"unknown name in a shared eq", `[dimensions]
region = ["a", "b"]
[aux.x]
dims = ["region"]
eq = "1 + y[region] * rte"
[aux.y]
dims = ["region"]
eq = "1"
`, 5, 23, "aux.x.eq", `unknown variable "rte"`},
		{"unknown name in a per-element eq", `[dimensions]
region = ["a", "b"]
[aux.x]
dims = ["region"]
eqs = { a = "1", b = "2 * rte" }
`, 5, 27, "aux.x.eq", `unknown variable "rte"`},
		{"algebraic loop through elements", `[dimensions]
region = ["a", "b"]
[aux.x]
dims = ["region"]
eqs = { a = "x[b]", b = "x[a]" }
`, 5, 14, "aux.x.eq", `algebraic loop: x[a] → x[b] → x[a]`},
		{"expansion error", `[dimensions]
region = ["a", "b"]
[aux.x]
eq = "sum(y[*]) + y"
[aux.y]
dims = ["region"]
eq = "1"
`, 4, 19, "aux.x.eq", `"y" is arrayed over region`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("m.toml", []byte(tc.src))
			var list syntax.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want a syntax.ErrorList", err)
			}
			e := list[0]
			if e.Pos.Line != tc.line || e.Pos.Col != tc.col || e.Key != tc.key || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got  %s\nwant m.toml:%d:%d: %s: …%s…", e, tc.line, tc.col, tc.key, tc.msg)
			}
		})
	}
}

func TestSetArrayedParamBare(t *testing.T) {
	m, err := Parse("a.toml", []byte(`
[dimensions]
region = ["a", "b"]
[params]
cap = { dims = ["region"], values = { a = 1, b = 2 } }
[aux.total]
eq = "sum(cap[*])"
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Run(context.Background(), RunOptions{Set: map[string]float64{"cap": 5}})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Series("total")[0]; got != 10 {
		t.Errorf("total = %g, want 10 after setting every element of cap to 5", got)
	}
}

func TestVarsWholeArray(t *testing.T) {
	m, err := Parse("a.toml", []byte(`
[dimensions]
region = ["a", "b"]
[params]
cap = { dims = ["region"], values = { a = 1, b = 2 } }
[aux.x]
dims = ["region"]
eq = "cap[region] * 2"
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, vars := range [][]string{{"x"}, {"x[*]"}} {
		r, err := m.Run(context.Background(), RunOptions{Vars: vars})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Names, []string{"x[a]", "x[b]"}) {
			t.Errorf("Vars %q gave columns %q", vars, r.Names)
		}
	}
	if _, err := m.Run(context.Background(), RunOptions{Vars: []string{"x[*"}}); err == nil {
		t.Error("x[* was accepted")
	}
}
