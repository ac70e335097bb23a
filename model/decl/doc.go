// Package decl holds what a model file declares — params, stocks, flows,
// aux, lookups, simulation settings, thresholds, named loops and plots —
// before anything is compiled.
//
// It is the meeting point of the readers and the compiler: the TOML reader
// here (ParseTOML), and the XMILE and Vensim readers in their own packages,
// each produce a *Model; package model compiles it. Checks that need only
// the declaration (unknown keys, wrong types, names defined twice, a flow
// in two stocks, unsorted lookup points, bad simulation settings, equations
// that do not parse) are made here, each error naming file, line, column
// and key. Checks that need the equations' meaning (unknown names and
// functions, algebraic loops) are the compiler's.
package decl
