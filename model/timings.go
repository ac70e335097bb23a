package model

import "time"

// Timings is the wall time of each stage of loading a model, as LoadWith
// records it when LoadOptions.Timings points to one. Stages that did not
// happen (a load that failed part way) are zero.
type Timings struct {
	Read    time.Duration // reading the file
	Parse   time.Duration // the reader (TOML, XMILE or Vensim) making the declaration, data files included
	Expand  time.Duration // decl.Expand: arrays to one variable per element
	Check   time.Duration // declaring the variables, expanding builtins into hidden stocks, checking names, arguments, units and the time settings
	Compile time.Duration // ordering the evaluation and generating the program
}

// Total returns the sum of the stages.
func (t Timings) Total() time.Duration {
	return t.Read + t.Parse + t.Expand + t.Check + t.Compile
}
