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
// # Where things are
//
// Compile runs the compiler's phases in order (compile in compile.go),
// each a function in the file named for it:
//
//	declare, check, order     compile.go    variables, names and calls, evaluation order
//	expandAll                 expand.go     stateful builtins into hidden variables
//	                          builtins.go   one record per builtin: arity, expansion, lowering
//	layout, alias, relocate   layout.go     slots, copy propagation, where temporaries go
//	markVarying               varying.go    which aux and flows change during a run
//	emitInit, emitFlows       codegen.go    equations to three-address code, folding, hoisting
//	                          fuse.go       two arithmetic instructions into one
//	groupBlocks               schedule.go   blocks of one shape together, so runs exist
//	rates, rateTables,        ratecode.go   the stocks' rates of change, and what they need
//	markRates                               at every evaluation
//	vectorize                 vector.go     runs of array elements as vector instructions
//
// The interpreter is package model/internal/vm: the instructions, their
// table (ops_gen.go, which internal/opgen writes from one table of
// instructions), the loop that runs them, lookup tables and the
// operations' helpers. runtime.go forwards the helpers that generated Go
// calls; disasm.go names a program's slots for the disassembler;
// native.go writes a model as Go (stockflow gen) from the same table. A run: run.go (settings, the run's
// phases, evaluation), integrate.go (the integrators), result.go, with
// guards.go checking arguments that must not be negative; trace.go,
// perturb.go, partials.go and graph.go serve loop analysis.
//
// The compiler still shares the program type, and the package, with the
// runs; moving it into an internal package of its own is the next step of
// this layout.
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
