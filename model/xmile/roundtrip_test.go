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
