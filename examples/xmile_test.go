package examples_test

import (
	"math"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// The teacup of the test-models suite, read from XMILE as it is: under
// Euler with dt = 0.125 its temperature is exactly 70 + 110 (1 - dt/10)^n
// after n steps.
func TestXMILETeacup(t *testing.T) {
	m, err := model.Load("xmile/teacup.xmile")
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(t.Context(), model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkDeclared(t, m, res)
	if got := res.Method; got != "euler" {
		t.Errorf("method %q, want euler (XMILE's default)", got)
	}
	temp := series(t, res, "Teacup_Temperature")
	dt := m.Decl.Sim.DT
	for i, tm := range res.Times {
		n := math.Round(tm / dt)
		if got, want := temp[i], 70+110*math.Pow(1-dt/10, n); math.Abs(got-want) > 1e-9 {
			t.Fatalf("temperature(%g) = %.12g, want %.12g", tm, got, want)
		}
	}
	if last := temp[len(temp)-1]; last < 70 || last > 80 {
		t.Errorf("temperature after 30 minutes %g, want between 70 and 80", last)
	}
}
