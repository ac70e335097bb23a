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
// Three packages, importing one way: model → model/internal/compile →
// model/internal/vm (and all three → model/decl → model/syntax).
//
// model/internal/compile is the compiler. Compile (compile.go) runs its
// phases in order, each a function in the file named for it, and returns
// a *vm.Program:
//
//	declare, check, order     compile.go    variables, names and calls, evaluation order
//	declareData               data.go       data variables as lookups over time
//	expandAll                 expand.go     stateful builtins into hidden variables
//	                          builtins.go   one record per builtin: arity, expansion, lowering
//	nonNegative               guards.go     arguments a run must check are not negative
//	layout, alias, relocate   layout.go     slots, copy propagation, where temporaries go
//	markVarying               varying.go    which aux and flows change during a run
//	emitInit, emitFlows       codegen.go    equations to three-address code, folding, hoisting
//	                          fuse.go       two arithmetic instructions into one
//	groupBlocks               schedule.go   blocks of one shape together, so runs exist
//	rates, rateTables,        ratecode.go   the stocks' rates of change, and what they need
//	markRates                               at every evaluation
//	vectorize                 vector.go     runs of array elements as vector instructions
//	GenerateGo                gogen.go      a program as Go source (stockflow gen)
//
// Its exported API is Compile, GenerateGo (with CheckPackage), Refs (the
// variables an expression uses, for the causal graph) and EqKey.
//
// model/internal/vm is the interpreter and what it runs: Program
// (program.go: the variables, their slots, the code, the stocks' rate
// tables, with the disassembler and the choice of code for a run that
// records only some variables), the instructions and their table
// (ops_gen.go, which internal/opgen writes from one table of
// instructions), Exec and the vector instructions, lookup tables and the
// operations' helpers, and the integrators (integrate.go: euler, rk2,
// rk4 and rk45 with its dense output, over a System). It knows nothing
// of files, options or results.
//
// Package model keeps the public API: Load, Parse and Compile (model.go);
// a run (run.go: settings, the run's phases, evaluation — the vm.System
// the integrators step — recording, and errors that name the user's
// variables; result.go); data ranges, checks, guards, scenarios and
// extreme conditions (ranges.go, checks.go, guards.go, scenario.go,
// extremes.go); what loop analysis reads (trace.go, perturb.go,
// partials.go, graph.go); generated code (native.go: Native, Kernel,
// LoadNative, GenerateGo; runtime.go: the helpers generated Go calls,
// forwarding to vm) and Disassemble (disasm.go). No file in model reads
// a compiler internal: it sees the exported API of compile and vm only.
//
// Evaluation stays in model rather than vm because it is where the
// model's view of a run meets the program's: generated code (Native,
// Kernel, which generated packages import from model), the outputs a run
// records, and errors that quote equations. The integrators see a run
// only through vm.System.
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
