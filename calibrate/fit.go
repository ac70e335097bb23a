package calibrate

import (
	"fmt"
	"math"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Fit holds the statistics of one simulated variable against its
// observations, at the times where there is an observation (Sterman,
// "Appropriate summary statistics for evaluating the historical fit of
// system dynamics models", Dynamica 10(2), 1984).
type Fit struct {
	N    int     // the number of observations compared
	R2   float64 // the square of the correlation of simulated and observed
	MAPE float64 // the mean absolute percent error, as a fraction (0.05 is 5 %), over observations that are not 0
	MSE  float64 // the mean squared error
	RMSE float64 // its root

	// Theil's inequality statistics: the shares of MSE due to unequal
	// means (bias, UM), unequal variances (US) and imperfect correlation
	// (UC). They sum to 1; NaN when MSE is 0.
	UM, US, UC float64
}

// pairs returns the simulated and observed values of column name of obs at
// the times where it has an observation.
func pairs(res *model.Result, obs *decl.Table, col int, name string) (sim, act []float64, err error) {
	for i, t := range obs.Time {
		a := obs.Cols[col][i]
		if math.IsNaN(a) {
			continue
		}
		s, err := res.At(name, t)
		if err != nil {
			return nil, nil, fmt.Errorf("%s at time %s: %w", name, ff(t), err)
		}
		sim = append(sim, s)
		act = append(act, a)
	}
	return sim, act, nil
}

// stats returns the fit of sim to act.
func stats(sim, act []float64) Fit {
	n := float64(len(sim))
	f := Fit{N: len(sim)}
	if f.N == 0 {
		nan := math.NaN()
		return Fit{R2: nan, MAPE: nan, MSE: nan, RMSE: nan, UM: nan, US: nan, UC: nan}
	}
	var ms, ma, me, mse, ape float64
	nape := 0
	for i := range sim {
		ms += sim[i]
		ma += act[i]
		e := sim[i] - act[i]
		me += e
		mse += e * e
		if act[i] != 0 {
			ape += math.Abs(e / act[i])
			nape++
		}
	}
	ms /= n
	ma /= n
	me /= n // ms − ma, without cancelling
	mse /= n
	var vs, va, cov, ve, dv float64
	for i := range sim {
		ds, da := sim[i]-ms, act[i]-ma
		de := (sim[i] - act[i]) - me
		vs += ds * ds
		va += da * da
		cov += ds * da
		ve += de * de
		dv += de * (ds + da) // vs − va, without cancelling
	}
	ss, sa := math.Sqrt(vs/n), math.Sqrt(va/n)
	r := cov / math.Sqrt(vs*va)
	f.R2 = r * r
	if vs == 0 || va == 0 { // no correlation to speak of
		f.R2 = math.NaN()
	}
	f.MAPE = math.NaN()
	if nape > 0 {
		f.MAPE = ape / float64(nape)
	}
	f.MSE, f.RMSE = mse, math.Sqrt(mse)
	// MSE = (ms − ma)² + (ss − sa)² + 2(1 − r)·ss·sa. The last term is
	// the variance of the errors less (ss − sa)², and ss − sa is
	// (vs − va)/n/(ss + sa), each computed from the errors themselves:
	// computed from r, 1 − r loses every digit when the fit is off by
	// little more than rounding.
	um := me * me
	us := 0.0
	if ss+sa > 0 {
		d := dv / n / (ss + sa)
		us = d * d
	}
	uc := max(ve/n-us, 0)
	total := um + us + uc // MSE, up to rounding
	f.UM, f.US, f.UC = um/total, us/total, uc/total
	return f
}

// Compare returns the fit of each variable of res that obs has a column
// for, by the column's name. A column that names no variable of res is
// an error.
func Compare(res *model.Result, obs *decl.Table) (map[string]Fit, error) {
	out := make(map[string]Fit, len(obs.Names))
	for j, name := range obs.Names {
		if !res.Has(name) {
			return nil, fmt.Errorf("%s: column %q names no variable of the run", obs.File, name)
		}
		sim, act, err := pairs(res, obs, j, name)
		if err != nil {
			return nil, err
		}
		out[name] = stats(sim, act)
	}
	return out, nil
}
