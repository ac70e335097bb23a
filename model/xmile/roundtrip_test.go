package xmile_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/xmile"
)

// sharedFlow lists the models in which one flow drains two stocks, which
// XMILE files may say (and the compiler runs) but the TOML format refuses.
var sharedFlow = map[string]bool{
	"test_non_negative_all1.xmile":            true,
	"test_non_negative_all2.xmile":            true,
	"test_non_negative_stocks.xmile":          true,
	"test_non_negative_stocks_behavior.xmile": true,
}

// TestRoundTrip converts every conformance model and every example to
// TOML with decl.WriteTOML, reads it back, and checks that both simulate
// to the same numbers, exactly.
func TestRoundTrip(t *testing.T) {
	var files []string
	for _, pat := range []string{"../../testdata/test-models/*/*/*.xmile", "../../testdata/test-models/*/*/*.stmx", "../../examples/*/*.toml"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 40 {
		t.Fatalf("found only %d models", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d *decl.Model
		if strings.HasSuffix(f, ".toml") {
			d, err = decl.ParseTOML(f, src)
		} else {
			d, err = xmile.Parse(f, src)
		}
		if err != nil {
			continue // the expected failures of the conformance test
		}
		orig, err := model.Compile(d)
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		if err := decl.WriteTOML(&buf, d); err != nil {
			t.Errorf("%s: WriteTOML: %v", f, err)
			continue
		}
		conv, err := model.Parse(strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".toml", buf.Bytes())
		if err != nil && sharedFlow[filepath.Base(f)] {
			continue
		}
		if err != nil {
			t.Errorf("%s: the TOML does not load: %v\n%s", f, err, buf.String())
			continue
		}
		opt := model.RunOptions{All: true}
		r1, err1 := orig.Run(context.Background(), opt)
		r2, err2 := conv.Run(context.Background(), opt)
		if err1 != nil || err2 != nil {
			t.Errorf("%s: run: %v / %v", f, err1, err2)
			continue
		}
		if strings.Join(r1.Names, " ") != strings.Join(r2.Names, " ") || len(r1.Times) != len(r2.Times) {
			t.Errorf("%s: columns %v × %d, converted %v × %d", f, r1.Names, len(r1.Times), r2.Names, len(r2.Times))
			continue
		}
	cols:
		for _, n := range r1.Names {
			a, b := r1.Series(n), r2.Series(n)
			for i := range a {
				if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
					t.Errorf("%s: %s at t=%g: converted %g, want %g", f, n, r1.Times[i], b[i], a[i])
					break cols
				}
			}
		}
	}
}

// TestExamplesThroughXMILE takes every example TOML → XMILE (Write) →
// TOML (Parse, then decl.WriteTOML) and checks that the TOML read back
// keeps every variable under its name and kind — a param stays a param,
// arrayed or not — and runs to the same numbers, exactly. A data variable
// comes back as an aux (a graphical function of TIME, which XMILE has for
// data), with its lookup beside it.
func TestExamplesThroughXMILE(t *testing.T) {
	var files []string
	filepath.WalkDir("../../examples", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".toml") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 7 {
		t.Fatalf("found only %d examples", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			orig, err := model.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			var xb bytes.Buffer
			if _, err := xmile.Write(&xb, orig.Source); err != nil {
				t.Fatalf("Write: %v", err)
			}
			fromX, err := xmile.Parse(filepath.Join(filepath.Dir(f), "x.xmile"), xb.Bytes())
			if err != nil {
				t.Fatalf("the XMILE does not read: %v", err)
			}
			var tb bytes.Buffer
			if err := decl.WriteTOML(&tb, fromX); err != nil {
				t.Fatalf("WriteTOML: %v", err)
			}
			back, err := decl.ParseTOML(filepath.Join(filepath.Dir(f), "back.toml"), tb.Bytes())
			if err != nil {
				t.Fatalf("the TOML does not read: %v\n%s", err, tb.String())
			}
			for _, v := range orig.Source.Vars {
				w := back.Var(v.Name)
				want := v.Kind
				if want == decl.Data {
					want = decl.Aux
				}
				switch {
				case w == nil:
					t.Errorf("%s is lost", v.Name)
				case w.Kind != want:
					t.Errorf("%s: a %s, comes back a %s", v.Name, v.Kind, w.Kind)
				case strings.Join(w.Dims, ",") != strings.Join(v.Dims, ","):
					t.Errorf("%s: dims %v, come back %v", v.Name, v.Dims, w.Dims)
				}
			}
			conv, err := model.Compile(back)
			if err != nil {
				t.Fatalf("the TOML does not compile: %v\n%s", err, tb.String())
			}
			opt := model.RunOptions{All: true}
			r1, err1 := orig.Run(context.Background(), opt)
			r2, err2 := conv.Run(context.Background(), opt)
			if err1 != nil || err2 != nil {
				t.Fatalf("run: %v / %v", err1, err2)
			}
			got := map[string][]float64{}
			for _, n := range r2.Names {
				got[n] = r2.Series(n)
			}
			onlyAtPoints := map[string]bool{}
			for _, v := range orig.Source.Vars {
				if v.Kind == decl.Data && v.Data != nil && v.Data.Interpolate == decl.InterpNone {
					onlyAtPoints[v.Name] = true
				}
			}
			for _, n := range r1.Names {
				a, b := r1.Series(n), got[n]
				if b == nil {
					t.Errorf("column %s is lost", n)
					continue
				}
				for i := range a {
					if math.IsNaN(a[i]) && onlyAtPoints[n] {
						continue
					}
					if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
						t.Errorf("%s at t=%g: %g through XMILE, want %g", n, r1.Times[i], b[i], a[i])
						break
					}
				}
			}
		})
	}
}
