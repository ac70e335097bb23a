// Package loops is stockflow's feedback-loop analysis: the phase after a
// model is compiled (and, for dominance, run).
//
// In: a compiled *model.Model, and for dominance the *model.Trace of a run
// of it made with RunOptions.Trace. Out:
//
//	NewGraph   *model.Model → *Graph   the causal graph of the declared
//	                                   variables, with the hidden stocks of
//	                                   smooth and delay builtins collapsed
//	                                   into single links, each link's
//	                                   structural sign from its equation
//	Find       *Graph → *List          the feedback loops, enumerated per
//	                                   strongly connected component,
//	                                   bounded, in a stable order (L1, L2, …)
//	Check      *model.Model → errors   the model's [[loops]] entries
//	                                   matched against its structure
//	Analyze    *List, *model.Trace →   Loops That Matter: link, loop and
//	           *Dominance              relative loop scores over time,
//	                                   observed polarity, dominant and
//	                                   contested periods, shifts
//	AnalyzeEmergence                   a run on the analysis grid
//	           *model.Model →          (TraceOptions), its threshold
//	           *Emergence              crossings explained, dominance
//	                                   shifts and linear stability
//
// Loop scores are by default continuous-time ones, computed from the
// state at each point of the trace alone (partial derivatives of each
// equation by central differences, time derivatives by the chain rule),
// so they depend on the run's accuracy but not on how often it is saved,
// and work the same for every integration method; the discrete scores of
// the papers remain as ScoreMethod Discrete. Loops are identified by an
// ID derived from their variables (LoopID) and shown by label (L1, L2, …)
// and name. See docs/loops.md for the method, its convergence and the
// JSON form the command line writes.
package loops
