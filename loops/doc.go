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
//	                                   observed polarity, dominant periods
//	                                   and shifts
//
// Dominance is computed from the saved trajectory alone, by re-evaluating
// each equation with one input moved at a time, so it works the same for
// every integration method. See docs/loops.md for the method, the timing
// convention and the JSON form the command line writes.
package loops
