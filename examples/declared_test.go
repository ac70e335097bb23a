package examples_test

import (
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// checkDeclared checks what an example declares about itself: each
// [[loops]] entry is a loop of the model at its declared polarity, and
// each threshold is crossed in the run as the file declares it.
func checkDeclared(t *testing.T, m *model.Model, res *model.Result) {
	t.Helper()
	for _, err := range loops.Check(t.Context(), m) {
		t.Errorf("loops: %v", err)
	}
	for _, th := range m.Decl.Thresholds {
		ys := res.Series(th.Var)
		if ys == nil {
			continue // a param, or a variable the default run does not record
		}
		dir, err := model.ParseDirection(th.Direction)
		if err != nil {
			t.Errorf("threshold %s: %v", th.Name, err)
			continue
		}
		cs, err := res.Crossings(th.Var, th.Level, dir)
		if err != nil {
			t.Errorf("threshold %s: %v", th.Name, err)
			continue
		}
		if len(cs) == 0 {
			t.Errorf("threshold %s: %s never crosses %g (%s) in the run", th.Name, th.Var, th.Level, th.Direction)
		}
	}
}
