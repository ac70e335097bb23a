// Package model is stockflow's public face: it loads a model file,
// compiles it, runs it, and hands back the results.
//
// The pipeline, one function each:
//
//	Load/Parse   file → decl.Model        (the readers; model/decl for TOML)
//	Compile      decl.Model → *Model       (resolve names, expand stateful
//	                                        builtins into hidden stocks, order
//	                                        the equations, generate code)
//	Run          *Model → *Result          (integrate with euler, rk2, rk4 or rk45)
//
// A compiled Model is immutable and safe for concurrent runs: all run
// state (slot values, integrator scratch, delay pipelines, random
// generators) lives in the run.
//
// # Why a hand-written compiler and integrators
//
// The equations compile to a flat three-address code over a []float64 of
// slots, executed by a single loop with a switch; a time step allocates
// nothing. A general expression library would allocate per evaluation and
// could not expand stateful builtins (smooth, delay, trend) into hidden
// stocks that integrate with the model. The integrators are ours too:
// gonum has no ODE solver, and ours must step discrete state (pipeline
// delays, previous, pulses) on the dt grid between stages, cut the outflows
// of non-negative stocks the way XMILE defines, and give rk45's dense output
// to Crossings. gonum's topo package orders the equations.
package model
