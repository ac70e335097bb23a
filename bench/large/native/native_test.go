package native_test

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/stockflow/stockflow/bench/large"
	"github.com/stockflow/stockflow/bench/large/native"
	"github.com/stockflow/stockflow/model"
)

// TestSourceIsCurrent checks that the model files and the generated
// package hold the model that package large writes today.
func TestSourceIsCurrent(t *testing.T) {
	c := large.Default
	for name, want := range map[string]string{"large.toml": c.TOML(), "large.mdl": c.MDL()} {
		got, err := os.ReadFile("../testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("bench/large/testdata/%s is stale: run go run ./bench/cmd/benchgen (see bench/README.md)", name)
		}
	}
	if native.Source != c.TOML() {
		t.Error("bench/large/native is stale: run go run ./cmd/stockflow gen bench/large/testdata/large.toml -o bench/large/native")
	}
}

// TestNativeMatches runs the large model as generated Go, interpreted and
// by hand, and compares the outputs: generated and interpreted to 1e-12
// on every variable, by hand on the recorded outputs. Loading the model
// takes seconds, so -short skips it; bench/large's own test checks the
// hand-written Go against the interpreter on small models.
func TestNativeMatches(t *testing.T) {
	if testing.Short() {
		t.Skip("the large model takes seconds to compile")
	}
	nm, err := native.Load()
	if err != nil {
		t.Fatal(err)
	}
	im, err := model.Parse(native.Filename, []byte(native.Source))
	if err != nil {
		t.Fatal(err)
	}
	// Recording everything, and recording only the outputs: then the
	// generated code runs the rates' part at every step and the rest only
	// at save points (every fourth step).
	var nr *model.Result
	for _, opt := range []model.RunOptions{{}, {Vars: large.Default.Outputs()}} {
		var ir *model.Result
		nr, ir = run(t, nm, opt), run(t, im, opt)
		for _, name := range ir.Names {
			a, b := nr.Series(name), ir.Series(name)
			for i := range b {
				if math.Abs(a[i]-b[i]) > 1e-12*math.Max(1, math.Abs(b[i])) {
					t.Fatalf("%d outputs: %s at t=%g: generated %.17g, interpreted %.17g", len(ir.Names), name, ir.Times[i], a[i], b[i])
				}
			}
		}
	}
	var h large.Hand
	hand := h.Run(large.Default)
	for j, name := range large.Default.Outputs() {
		for i, x := range nr.Series(name) {
			if math.Abs(x-hand[j][i]) > 1e-12*math.Max(1, math.Abs(hand[j][i])) {
				t.Fatalf("%s at t=%g: generated %.17g, by hand %.17g", name, nr.Times[i], x, hand[j][i])
			}
		}
	}
}

func run(t *testing.T, m *model.Model, opt model.RunOptions) *model.Result {
	t.Helper()
	r, err := m.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
