package model

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

func TestLoadNativeRefusesStaleCode(t *testing.T) {
	noop := func([]float64, *Kernel) {}
	_, err := LoadNative("m.toml", []byte(logistic), Native{Layout: "0", Init: noop, Flow: noop})
	if err == nil || !strings.Contains(err.Error(), "run stockflow gen again") {
		t.Errorf("got %v, want a stale-code error", err)
	}
}

// TestGenerateGo checks what GenerateGo refuses, and that what it writes
// is formatted Go declaring Load and the five functions Load hands to
// LoadNative, with the model's layout. That the code computes what the
// interpreter does is checked where it is built and run: examples/gen,
// bench/large/native and internal/gencheck.
func TestGenerateGo(t *testing.T) {
	m := mustParse(t, logistic)
	var b bytes.Buffer
	if err := m.GenerateGo(&b, "type", "m.toml", []byte(logistic)); err == nil {
		t.Error("a keyword was accepted as a package name")
	}
	if err := m.GenerateGo(&b, "logi", "m.toml", []byte(decay)); err == nil {
		t.Error("a source that is not the model's was accepted")
	}
	b.Reset()
	if err := m.GenerateGo(&b, "logi", "m.toml", []byte(logistic)); err != nil {
		t.Fatal(err)
	}
	if src, err := format.Source(b.Bytes()); err != nil || !bytes.Equal(src, b.Bytes()) {
		t.Errorf("the generated code is not gofmt'd Go (%v)", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "model.go", b.Bytes(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name.Name != "logi" {
		t.Errorf("package %s, want logi", f.Name.Name)
	}
	var funcs []string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			funcs = append(funcs, fd.Name.Name)
		}
	}
	if got, want := strings.Join(funcs, " "), "Load initCode flowCode ratesCode restCode derivs"; got != want {
		t.Errorf("functions %s, want %s", got, want)
	}
	var layout string
	ast.Inspect(f, func(n ast.Node) bool {
		if kv, ok := n.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Layout" {
				layout, _ = strconv.Unquote(kv.Value.(*ast.BasicLit).Value)
			}
		}
		return true
	})
	if layout != m.prog.Layout() {
		t.Errorf("Layout %q, want the model's %q", layout, m.prog.Layout())
	}
}
