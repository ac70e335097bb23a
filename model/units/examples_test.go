package units_test

import (
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/units"
)

// TestExamplesPass checks that every example model passes the units check
// with no problem.
func TestExamplesPass(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*/*.toml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		m, err := decl.LoadTOML(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		in := units.Check(m)
		for _, e := range in.Errors {
			t.Errorf("%s", e)
		}
	}
}
