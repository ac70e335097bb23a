// Package calibrate fits a model's params to observed time series: the
// phase after a model is compiled that runs it many times, moving the
// chosen params within their declared [min, max] to minimise a payoff,
// the weighted sum of squared errors between the model and the data.
//
// In: a compiled *model.Model, a *decl.Table of observations (a time
// column and one column per observed variable, named as in the model),
// and Options (the params to fit, weights, method, starts, seed). Out:
//
//	Calibrate  *model.Model, *decl.Table, Options → *Result
//	           the fitted values, the payoff, for each matched variable
//	           R², MAPE and Theil's inequality statistics (Uᴹ, Uˢ, Uᶜ), and
//	           approximate confidence intervals of the fitted values from
//	           the payoff's curvature
//	Compare    *model.Result, *decl.Table → map[string]Fit
//	           the statistics alone, for a run already made
//	WriteFitted  the model file with the fitted values written in
//
// The minimiser is gonum's optimize: Nelder–Mead by default, or BFGS with
// its gradient by central finite differences. Each param is searched on
// the whole real line through a logistic map onto its [min, max], so that
// no step can leave the range. Several starts (the model's values, then
// points drawn uniformly in the ranges from Seed) run in parallel; the
// best is kept, and the same seed gives the same result with any number
// of cores.
//
// # Why a package of its own
//
// Calibration needs model runs, which package model provides, and
// nothing of the feedback-loop analysis in package loops; package plots
// draws its result. It is therefore a package beside loops and
// sensitivity, between plots and model: cmd → plots → calibrate → model.
// Inside package model it would pull gonum's optimizer into every user of
// the simulator, and the model package would know about data files'
// statistics it never needs to run; inside loops it would make loop
// analysis and fitting depend on each other for no reason.
package calibrate
