// Package sensitivity answers "how sure are you, and which assumption
// matters most?": the phase after a model is compiled, that runs it many
// times with its params drawn from their declared distributions.
//
// In: a compiled *model.Model whose params declare a range (min, max) or
// a distribution (dist, mode, mean, sd), and Options. Out:
//
//	NewSpec      *model.Model, Options → *Spec   the study: its params and
//	                                             their distributions, its
//	                                             thresholds, variables,
//	                                             outputs, seed
//	RunShard     → *Runs                         the runs of one shard of
//	                                             the study's sample plan
//	                                             (Latin hypercube, random or
//	                                             scrambled Halton; Saltelli's
//	                                             design for Sobol; Morris's
//	                                             trajectories), in parallel
//	                                             on the one compiled model,
//	                                             each kept as its crossing
//	                                             times, outputs and series
//	Merge        []*Runs → *Runs                 the shards joined
//	Analyze      *Runs → *Result                 the share of runs crossing
//	                                             each threshold, quantiles
//	                                             of the crossing time,
//	                                             bands of variables over
//	                                             time, Sobol or Morris
//	                                             indices
//	Sensitivity  = RunShard of the whole study, then Analyze
//
// The sample plan depends on the spec alone (its seed above all), never on
// the number of workers or shards, and Analyze on the runs alone, so that
// a study split over the machines of a cluster and merged gives the
// unsharded result bit for bit.
//
// # Why a package of its own
//
// A study needs model runs and threshold crossings, which package model
// provides, and nothing of the feedback-loop analysis in package loops;
// package plots draws its results. It is therefore a package beside loops,
// between plots and model: cmd → plots → sensitivity → model. Putting it
// in model would give the simulator a statistics layer (gonum's stat,
// distuv, samplemv) that a run never needs; putting it in loops would tie
// it to an analysis it does not use.
//
// See docs/sensitivity.md for the method, how runs that never cross are
// counted, and the JSON.
package sensitivity
