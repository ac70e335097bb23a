package model

import (
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/units"
)

// Units checks the model's units of measure (package model/units): the
// units of every variable, declared or inferred and where from, and the
// problems, as "file:line:col: key: units: ..." errors. Under the model's
// [sim] units setting "off" the problems are left out; under "strict"
// there are none, since Compile refuses a model that has any; under
// "warn", the default, the model runs and the caller says what it likes
// (the stockflow command prints them as warnings, and check fails).
//
// Units checks the declaration each time it is called (a fraction of a
// millisecond for the Middle Corridor); keep the result to use it more
// than once.
func (m *Model) Units() *units.Info {
	in := units.Check(m.Source)
	if in.Mode == units.Off {
		in.Errors = nil
	}
	return in
}

// strictUnits returns the units problems of d when its [sim] units
// setting is "strict", for Compile to refuse it.
func strictUnits(d *decl.Model) syntax.ErrorList {
	if units.Mode(d) != units.Strict {
		return nil
	}
	return units.Check(d).Errors
}
