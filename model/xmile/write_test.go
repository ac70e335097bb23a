package xmile_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/xmile"
)

// TestWriteRoundTrip writes every example and every conformance and
// feature model as XMILE with Write, reads it back with Parse, and checks
// that both simulate to the same numbers, exactly, under the same names.
func TestWriteRoundTrip(t *testing.T) {
	var files []string
	for _, pat := range []string{"../../examples/*/*.toml", "../../testdata/test-models/*/*/*.xmile", "../../testdata/test-models/*/*/*.stmx", "testdata/features/*/*.xmile"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 50 {
		t.Fatalf("found only %d models", len(files))
	}
	written := 0
	for _, f := range files {
		orig, err := model.Load(f)
		if err != nil {
			continue // the expected failures of the conformance test
		}
		d := orig.Source
		var buf bytes.Buffer
		_, err = xmile.Write(&buf, d)
		if err != nil {
			t.Errorf("%s: Write: %v", f, err)
			continue
		}
		conv, err := model.Parse(strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".xmile", buf.Bytes())
		if err != nil && sharedFlow[filepath.Base(f)] {
			continue
		}
		if err != nil {
			t.Errorf("%s: the XMILE does not load: %v\n%s", f, err, buf.String())
			continue
		}
		written++
		opt := model.RunOptions{All: true}
		r1, err1 := orig.Run(context.Background(), opt)
		r2, err2 := conv.Run(context.Background(), opt)
		if err1 != nil || err2 != nil {
			t.Errorf("%s: run: %v / %v", f, err1, err2)
			continue
		}
		if strings.Join(r1.Names, " ") != strings.Join(r2.Names, " ") || len(r1.Times) != len(r2.Times) {
			t.Errorf("%s: columns %v × %d, from XMILE %v × %d", f, r1.Names, len(r1.Times), r2.Names, len(r2.Times))
			continue
		}
		// A data variable read only at its points (interpolate =
		// "none") is NaN between them, which XMILE cannot say: it must
		// agree where it has a value, and so must everything else.
		onlyAtPoints := map[string]bool{}
		for _, v := range d.Vars {
			if v.Kind == decl.Data && v.Data != nil && v.Data.Interpolate == decl.InterpNone {
				onlyAtPoints[v.Name] = true
			}
		}
	cols:
		for _, n := range r1.Names {
			a, b := r1.Series(n), r2.Series(n)
			for i := range a {
				if math.IsNaN(a[i]) && onlyAtPoints[n] {
					continue
				}
				if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
					t.Errorf("%s: %s at t=%g: from XMILE %g, want %g", f, n, r1.Times[i], b[i], a[i])
					break cols
				}
			}
		}
	}
	t.Logf("%d models written and read back", written)
}

// TestWriteRefuses checks the models Write cannot write: nothing is
// written and the error names the entry.
func TestWriteRefuses(t *testing.T) {
	for _, c := range []struct{ name, src, msg string }{
		{"trailing underscore", "[aux.x_]\neq = \"1\"\n", `the name "x_" would read back from XMILE as "x"`},
		{"names differing in case", "[aux.Pop]\neq = \"1\"\n[aux.pop]\neq = \"2\"\n", `the names "Pop" and "pop" are one name in XMILE`},
		{"data without its points", "[data.d]\nfile = \"obs.csv\"\n", `data variable d has no points to write`},
		{"data read looking forward", "[data.d]\npoints = [[0, 1], [1, 2]]\ninterpolate = \"forward\"\n", `data variable d has interpolate = "forward" (Vensim's :LOOK FORWARD:), which an XMILE graphical function cannot say`},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := decl.ParseTOML("m.toml", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			_, err = xmile.Write(&buf, d)
			var list syntax.ErrorList
			if !errors.As(err, &list) || !strings.Contains(list[0].Msg, c.msg) || list[0].Pos.File != "m.toml" {
				t.Errorf("got %v, want an error at m.toml saying %s", err, c.msg)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes", buf.Len())
			}
		})
	}
}

// TestWriteXMILEForms checks the XMILE that Write gives for the forms
// stockflow and XMILE spell differently.
func TestWriteXMILEForms(t *testing.T) {
	src := `[sim]
stop = 4
method = "rk4"
save_every = 2

[params.k]
value = 0.5
min = 0
max = 1

[aux.a]
eq = "if time >= 2 and not (k <> 1) then safediv(k, 2) mod 3 else zidz(1, k)"

[aux.b]
eq = "active_initial(time * 2, 10)"
range = [0, inf]

[lookups.g]
points = [[0, 0], [1, 2]]
extrapolate = true

[aux.c]
eq = "g(time) + lookup(g, 1)"
`
	d, err := decl.ParseTOML("m.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	warns, err := xmile.Write(&buf, d)
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<sim_specs method="RK4" isee:save_interval="2">`,
		`<eqn>0.5</eqn>`, `<range min="0" max="1"/>`,
		`<eqn>IF TIME &gt;= 2 AND NOT (k &lt;&gt; 1) THEN SAFEDIV(k, 2) MOD 3 ELSE ZIDZ(1, k)</eqn>`,
		`<eqn>TIME * 2</eqn>`, `<init_eqn>10</init_eqn>`, `<range min="0"/>`,
		`<gf name="g" type="extrapolate">`, `<xpts>0,1</xpts>`, `<ypts>0,2</ypts>`,
		`<eqn>g(TIME) + LOOKUP(g, 1)</eqn>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Msg, "zidz is not a function of XMILE 1.0") || warns[0].Pos.Line != 12 {
		t.Errorf("warnings %v, want one at line 12 about zidz", warns)
	}
}

// TestWriteDataNone checks that a data variable read only at its points
// (interpolate = "none", NaN between them), which XMILE cannot say, is
// written as a discrete graphical function of TIME with a warning at its
// entry: read back, it has the data's value at every point's time and
// holds it until the next. A single point (XMILE wants two) is written
// as a constant. Write used to refuse both.
func TestWriteDataNone(t *testing.T) {
	src := `[sim]
start = 0
stop = 4
dt = 0.5

[data.obs]
points = [[1, 10], [3, 30]]
interpolate = "none"

[data.target]
points = [[2, 5]]
interpolate = "none"

[data.ramp]
points = [[2, 7]]
`
	d, err := decl.ParseTOML("m.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	warns, err := xmile.Write(&buf, d)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	if len(warns) != 2 || warns[0].Pos.Line != 6 || warns[1].Pos.Line != 10 || !strings.Contains(warns[0].Msg, `data variable obs has interpolate = "none"`) || !strings.Contains(warns[0].Msg, "discrete graphical function") {
		t.Errorf("warnings %v, want one at line 6 (obs) and one at line 10 (target) about interpolate = \"none\"", warns)
	}
	out := buf.String()
	for _, want := range []string{`<gf type="discrete">`, `<xpts>1,3</xpts>`, `<ypts>10,30</ypts>`, `<xpts>2,3</xpts>`, `<ypts>5,5</ypts>`, `<ypts>7,7</ypts>`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	conv, err := model.Parse("m.xmile", buf.Bytes())
	if err != nil {
		t.Fatalf("the XMILE does not load: %v\n%s", err, out)
	}
	r, err := conv.Run(context.Background(), model.RunOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float64{
		// times 0, 0.5, …, 4
		"obs":    {10, 10, 10, 10, 10, 10, 30, 30, 30},
		"target": {5, 5, 5, 5, 5, 5, 5, 5, 5},
		"ramp":   {7, 7, 7, 7, 7, 7, 7, 7, 7},
	}
	for n, w := range want {
		got := r.Series(n)
		if len(got) != len(w) {
			t.Fatalf("%s: %d values, want %d", n, len(got), len(w))
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%s at t=%g: %g, want %g", n, r.Times[i], got[i], w[i])
			}
		}
	}
}
