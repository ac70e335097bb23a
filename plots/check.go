package plots

import (
	"errors"
	"fmt"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// The checks below turn inputs a plot cannot be drawn from — a missing
// model, analyses whose slices disagree in length — into errors, so that
// no function of this package panics on what it is given.

// errNoStudy is the error of a sensitivity plot given no result.
var errNoStudy = errors.New("no sensitivity study")

// checkModel returns an error unless m is a loaded model.
func checkModel(m *model.Model) error {
	if m == nil || m.Decl == nil {
		return errors.New("no model")
	}
	return nil
}

// checkDominance returns an error unless d's loops, scores and times
// agree in length.
func checkDominance(d *loops.Dominance) error {
	if d == nil {
		return errors.New("no dominance analysis")
	}
	if len(d.Relative) != len(d.Loops) {
		return fmt.Errorf("the dominance analysis has relative scores for %d loops, not its %d", len(d.Relative), len(d.Loops))
	}
	for k, lp := range d.Loops {
		if lp == nil {
			return fmt.Errorf("the dominance analysis's loop %d is missing", k)
		}
		if len(d.Relative[k]) != len(d.Times) {
			return fmt.Errorf("the dominance analysis has %d relative scores of loop %s for %d times", len(d.Relative[k]), lp.ID, len(d.Times))
		}
	}
	return nil
}

// checkStability returns an error unless st's values and times agree in
// length.
func checkStability(st *loops.Stability) error {
	if st == nil || len(st.Times) == 0 {
		return errors.New("no stability analysis")
	}
	if len(st.MaxReal) != len(st.Times) {
		return fmt.Errorf("the stability analysis has %d values for %d times", len(st.MaxReal), len(st.Times))
	}
	return nil
}

// checkTipping returns an error unless tp's grid of times matches its
// axes.
func checkTipping(tp *loops.Tipping) error {
	if tp == nil || len(tp.Times) == 0 || len(tp.Times[0]) == 0 {
		return errors.New("the tipping map is empty")
	}
	if tp.Y.N != len(tp.Times) {
		return fmt.Errorf("the tipping map has %d rows for %d values of %s", len(tp.Times), tp.Y.N, tp.Y.Param)
	}
	for _, row := range tp.Times {
		if len(row) != tp.X.N {
			return fmt.Errorf("the tipping map has a row of %d times for %d values of %s", len(row), tp.X.N, tp.X.Param)
		}
	}
	return nil
}
