// Package gen_test checks the Go that stockflow gen wrote for the
// examples: it must be current, and it must run exactly as the
// interpreter does.
package gen_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"testing"

	"github.com/stockflow/stockflow/examples/gen/logistic"
	"github.com/stockflow/stockflow/examples/gen/predatorprey"
	"github.com/stockflow/stockflow/examples/gen/sir"
	"github.com/stockflow/stockflow/model"
)

var generated = []struct {
	pkg, path, source string
	load              func() (*model.Model, error)
}{
	{"logistic", "../logistic/logistic.toml", logistic.Source, logistic.Load},
	{"sir", "../sir/sir.toml", sir.Source, sir.Load},
	{"predatorprey", "../predator-prey/predator_prey.toml", predatorprey.Source, predatorprey.Load},
}

// TestGeneratedMatchesInterpreter runs each example natively and
// interpreted, under every method, and compares every series to 1e-12.
func TestGeneratedMatchesInterpreter(t *testing.T) {
	for _, g := range generated {
		nm, err := g.load()
		if err != nil {
			t.Fatalf("%s: %v", g.pkg, err)
		}
		im, err := model.Load(g.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, method := range []string{"euler", "rk2", "rk4", "rk45"} {
			opt := model.RunOptions{Method: method}
			if method == "rk2" {
				// One output: the generated code computes only the rates
				// at each evaluation and the rest at save points.
				opt.Vars = im.Names()[len(im.Names())-1:]
			}
			nr, err1 := nm.Run(context.Background(), opt)
			ir, err2 := im.Run(context.Background(), opt)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s %s: %v, %v", g.pkg, method, err1, err2)
			}
			for _, name := range ir.Names {
				a, b := nr.Series(name), ir.Series(name)
				for i := range b {
					if math.Abs(a[i]-b[i]) > 1e-12*math.Max(1, math.Abs(b[i])) {
						t.Fatalf("%s %s: %s(%g) native %.17g, interpreted %.17g", g.pkg, method, name, ir.Times[i], a[i], b[i])
					}
				}
			}
		}
	}
}

// TestGeneratedIsCurrent regenerates each package and compares it with
// the committed one: after changing an example or the compiler, run
//
//	go run ./cmd/stockflow gen examples/sir/sir.toml -o examples/gen/sir
//
// (and likewise for the others).
func TestGeneratedIsCurrent(t *testing.T) {
	for _, g := range generated {
		src, err := os.ReadFile(g.path)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.Parse(g.path, src)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.GenerateGo(&buf, g.pkg, g.path, src); err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(g.pkg + "/model.go")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), committed) {
			t.Errorf("examples/gen/%s/model.go is stale: regenerate it with stockflow gen", g.pkg)
		}
	}
}
