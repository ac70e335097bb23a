// Package units checks a model's units of measure: it parses the units
// strings of a declaration (decl.Model), derives the units of every
// equation from its operands', infers the units of the variables that
// declare none, and reports each mismatch as
// "file:line:col: key: units: ...", naming the sub-expression at fault and
// the units on both sides.
//
// It is a phase of its own between the readers and the compiler: in goes
// the declaration as read (arrays not expanded, so that an arrayed
// variable is checked once and errors point at what the user wrote), out
// comes an Info: every variable's units, declared or inferred with the
// place the inference came from, and the problems. Package model calls
// Check from Compile and, by the model's [sim] units setting, makes the
// problems errors (strict), warnings (warn, the default) or nothing (off).
//
// The units language (Parse; docs/units.md has the whole of it): products
// and quotients of named units with integer powers ("people/year",
// "million USD/year", "Mt/year^2", "1/year"); dmnl, dimensionless, 1,
// fraction, share, index and ratio are dimensionless, % and percent are
// 0.01; thousand, million and billion are scale factors; names match
// without regard to case or a plural s. A model's [units] table defines
// aliases and multiples (month = "year/12", Mt = "1e6 t"); any other name
// is a base unit of its own.
//
// Inference works like Simlin's: a variable without units takes those of
// its equation, else those its uses imply (a param added to people is
// people; a flow of a stock in people is people per time unit). The
// checker visits equations from a queue until nothing more can be
// inferred, then checks everything once; a mismatch with an inferred
// variable names the place its units were inferred from, so that two
// contradictory inferences are both named.
//
// Each builtin's units rule (smooth and delay keep their input's units
// and need a time-valued delay; exp, ln and sin need a dimensionless
// argument; a lookup maps its x units to its y units; ...) is a row of one
// table here, by the builtin's name, rather than a field of the compiler's
// builtin record: the checker runs on the declaration, below the compiler,
// and must not import it. A test of package model/internal/compile checks
// that the two tables name the same builtins.
package units
