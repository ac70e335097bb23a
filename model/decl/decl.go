package decl

import (
	"math"

	"github.com/stockflow/stockflow/model/syntax"
)

// Kind says what a model variable is.
type Kind int

// The kinds of model variable.
const (
	Param  Kind = iota + 1 // a constant the user may override or sweep
	Stock                  // an accumulation, integrated over time
	Flow                   // a rate that fills or drains stocks
	Aux                    // an auxiliary: an equation over other variables
	Lookup                 // a graphical function, called like a function
	Data                   // a time series read from a file or given inline
)

var kindNames = [...]string{Param: "param", Stock: "stock", Flow: "flow", Aux: "aux", Lookup: "lookup", Data: "data"}

// String returns the kind's name as the format spells it: param, stock,
// flow, aux, lookup or data.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Section returns the name of the format's table that holds variables of
// this kind: params, stocks, flows, aux, lookups or data.
func (k Kind) Section() string {
	switch k {
	case Param:
		return "params"
	case Stock:
		return "stocks"
	case Flow:
		return "flows"
	case Aux:
		return "aux"
	case Lookup:
		return "lookups"
	case Data:
		return "data"
	}
	return "unknown"
}

// Model is what a model file declares, before anything is compiled: the
// common form that the TOML, XMILE and Vensim readers produce and that the
// compiler in package model consumes.
type Model struct {
	File        string // the file it was read from, as given to the reader
	Name        string
	Description string
	TimeUnits   string

	// TimeUnitsPos is the position of TimeUnits in the file, when known.
	TimeUnitsPos syntax.Pos

	Sim Sim

	// Vars holds every param, stock, flow, aux, lookup and data variable in declaration
	// order, which is the order of output columns.
	Vars []*Var

	Thresholds []*Threshold
	Loops      []*Loop
	Plots      []*Plot

	// Scenarios are named sets of param values, in declaration order.
	Scenarios []*Scenario

	// Checks are the model's reality checks, in declaration order.
	Checks []*Check

	// Dimensions are the named index sets of arrayed variables, in
	// declaration order.
	Dimensions []*Dimension

	// Units are the model's own units of measure, from its [units]
	// table, in declaration order: aliases and multiples of other units
	// (month = "year/12", Mt = "1e6 t"). Package model/units reads them.
	Units []*UnitDef

	// Warnings are problems a reader worked around, such as a malformed
	// element it repaired; they do not stop the model from loading.
	Warnings []*syntax.Error
}

// UnitDef is one entry of a model's [units] table: the unit Name is
// Def, another unit expression ("year/12", "1e6 t", "person"). A Def
// equal to Name makes Name a base unit of its own, even where stockflow
// would otherwise take it for an alias (index, share).
type UnitDef struct {
	Name string
	Def  string
	Pos  syntax.Pos // position of the value
	Key  string     // e.g. "units.month"
}

// Dimension is a named, ordered set of elements that arrayed variables
// are indexed by, e.g. region = ["kazakhstan", "azerbaijan", "georgia"].
type Dimension struct {
	Name     string
	Elements []string
	// MapsTo names the dimensions this one maps to, element by position
	// (XMILE's and Vensim's dimension mappings): where a subscript names
	// one of the two and the other is bound, the element at the same
	// position is meant. Both must have as many elements.
	MapsTo []string
	Pos    syntax.Pos
	Key    string // e.g. "dimensions.region"
}

// ElementEq is the equation (or, for a param, the value as a number
// equation; for a stock, the initial value) of one element of an arrayed
// variable that has an equation per element. Elements holds one element
// name per dimension of the variable, in the variable's dimension order.
type ElementEq struct {
	Elements []string
	Eq       Equation
}

// Var returns the variable with the given name, or nil.
func (m *Model) Var(name string) *Var {
	for _, v := range m.Vars {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Names returns the names of all variables in declaration order.
func (m *Model) Names() []string {
	names := make([]string, len(m.Vars))
	for i, v := range m.Vars {
		names[i] = v.Name
	}
	return names
}

// Default simulation settings, used where a model file leaves them out.
const (
	DefaultStart  = 0.0
	DefaultStop   = 100.0
	DefaultDT     = 1.0
	DefaultMethod = "euler"
	DefaultRelTol = 1e-6
	DefaultAbsTol = 1e-9
)

// UnitsModes lists the settings of [sim] units, default first.
var UnitsModes = []string{"warn", "strict", "off"}

// NonNegativeRules lists the rules for non-negative stocks, default first.
var NonNegativeRules = []string{"cut_outflows", "clip_stock"}

// Methods lists the integration methods, default first.
var Methods = []string{"euler", "rk2", "rk4", "rk45"}

// PlotFormats lists the picture formats a [[plots]] file may name, by
// its extension: .png, .svg or .pdf.
var PlotFormats = []string{"png", "svg", "pdf"}

// Sim holds the simulation settings of the [sim] table.
type Sim struct {
	Start     float64 // default 0
	Stop      float64 // default 100
	DT        float64 // default 1; the fixed step, and rk45's first step
	SaveEvery float64 // output interval; 0 means DT
	Method    string  // euler (default), rk2, rk4 or rk45

	// MethodFrom says what a reader translated Method from, when it
	// did, e.g. "Vensim RK4 Fixed"; check prints it.
	MethodFrom string

	RelTol  float64 // rk45 relative tolerance; default 1e-6
	AbsTol  float64 // rk45 absolute tolerance; default 1e-9
	MaxStep float64 // rk45 largest step; 0 means no limit

	// NonNegative is how non-negative stocks are kept from going below
	// zero: "cut_outflows" (the default, XMILE's and Stella's rule) or
	// "clip_stock" (PySD's: the stock is set to 0 after a step that would
	// take it below, and its flows report what their equations say).
	NonNegative string

	// Units is what a units problem is: "warn" (the default, also when
	// empty: reported, and the model still runs), "strict" (an error
	// that stops the model from loading) or "off" (not reported).
	Units string

	// Pos maps each key given in the file ("dt", "stop", ...) to the
	// position of its value, for errors found later.
	Pos map[string]syntax.Pos
}

// DefaultSim returns the settings used when a file has no [sim] table.
func DefaultSim() Sim {
	return Sim{
		Start:  DefaultStart,
		Stop:   DefaultStop,
		DT:     DefaultDT,
		Method: DefaultMethod,
		RelTol: DefaultRelTol,
		AbsTol: DefaultAbsTol,
	}
}

// Equation is the text of one equation, where it stands in its file, and
// its syntax tree.
type Equation struct {
	Text string
	Pos  syntax.Pos  // position of the first byte of Text in the file
	Expr syntax.Expr // the parsed tree; nil when Text did not parse

	// Map, when not nil, gives the file position of each byte of Text
	// (len(Map) == len(Text)+1, the last entry just past the end). Readers
	// set it when Text is not a verbatim single-line copy of the file's
	// bytes: escapes, multi-line strings, XML entities.
	Map []syntax.Pos
}

// PosAt returns the file position of the byte at offset off in Text.
func (e *Equation) PosAt(off int) syntax.Pos {
	if e.Map != nil {
		off = max(0, min(off, len(e.Map)-1))
		return e.Map[off]
	}
	p := e.Pos
	if p.IsValid() && p.Col > 0 {
		p.Col += max(0, min(off, len(e.Text)))
	}
	return p
}

// IsZero reports whether the equation is absent.
func (e *Equation) IsZero() bool { return e.Text == "" && e.Expr == nil }

// Var is one declared variable: a param, stock, flow, aux or lookup. The
// fields that apply depend on Kind.
type Var struct {
	Kind Kind
	Name string
	Key  string     // the entry's key in the file, e.g. "stocks.population"
	Pos  syntax.Pos // where the entry is declared

	// Units are the variable's units of measure as written, e.g.
	// "people/year"; for a lookup, the units of its y values (output).
	Units string
	// XUnits, for a lookup, are the units of its x values (input).
	XUnits string
	Doc    string

	// Eq is the equation of a flow or aux, or the initial value of a
	// stock (a number or an equation over params and other stocks).
	Eq Equation

	// Params.
	Value    float64
	Min, Max *float64 // optional range, for sweeps
	// Dist names the distribution a sensitivity study draws the param
	// from: "uniform", "triangular", "normal" or "lognormal", truncated to
	// [Min, Max]; empty means uniform over [Min, Max]. Mode (triangular),
	// Mean and SD (normal, lognormal: of the param itself) are its
	// parameters as the file gives them; nil Mode or Mean means Value.
	Dist           string
	Mode, Mean, SD *float64

	// Stocks.
	Inflows  []string
	Outflows []string

	// NonNegative: for a stock, outflows are cut so that it never goes
	// below zero; for a flow, the flow is never negative.
	NonNegative bool

	// Range, for a stock, flow or aux, is the interval [lo, hi] its value
	// is expected to stay in: a run that leaves it warns. An open end is
	// -Inf or +Inf (written -inf, inf). Nil means no range.
	Range *[2]float64

	// Lookups, and data variables (x is the time).
	Points      [][2]float64 // (x, y) pairs, x strictly increasing
	Extrapolate bool         // false: hold the end values; true: extend the end segments

	// Data says where a data variable's points come from; nil for other
	// kinds. ReadData fills Points from its file.
	Data *DataSource

	// Dims names the dimensions of an arrayed variable, in order; nil for
	// a scalar. An arrayed variable has either one Eq (or Value) for all
	// its elements, in which a dimension's name used as a subscript stands
	// for the current element (x[region]), or one ElementEqs entry per
	// element.
	Dims       []string
	ElementEqs []ElementEq

	// At, when not nil, is where the variable stands on the diagram the
	// file carries: an XMILE view, a Vensim sketch or the TOML's pos. It
	// is the centre of a stock's box, of a flow's valve, of an aux's,
	// param's or data variable's name. stockflow diagram --layout file
	// draws the variable there.
	At *Point

	// FieldPos maps each field given in the file ("inflows", "eq", ...) to
	// the position of its value.
	FieldPos map[string]syntax.Pos
}

// Point is a place on a model's diagram, in the units of the file's
// diagram (XMILE's and Vensim's are screen pixels), x growing to the
// right and y downwards, as on a screen.
type Point struct{ X, Y float64 }

// MaxCoord bounds a diagram coordinate: no drawing program places a
// variable a billion pixels away, and Graphviz cannot lay such a place out.
const MaxCoord = 1e9

// Coord reports whether f can be a coordinate of a Point: a number within
// ±MaxCoord (so not NaN or infinite).
func Coord(f float64) bool { return f >= -MaxCoord && f <= MaxCoord }

// FieldPosOr returns the position of field's value if the file gave it,
// else the variable's position.
func (v *Var) FieldPosOr(field string) syntax.Pos {
	if p, ok := v.FieldPos[field]; ok {
		return p
	}
	return v.Pos
}

// Threshold directions.
const (
	Rising  = "rising"
	Falling = "falling"
	Either  = "either"
)

// Threshold is a level of a variable whose crossing the emergence analysis
// looks for.
type Threshold struct {
	Name      string
	Key       string // the entry's key in the file, e.g. "thresholds.majority"
	Var       string
	Level     float64
	Direction string // rising, falling or either
	Doc       string
	Pos       syntax.Pos
	FieldPos  map[string]syntax.Pos
}

// Loop is a named feedback loop that the modeler expects the model to
// have.
type Loop struct {
	Name     string
	Key      string   // the entry's key, "loops[N]" for the N-th [[loops]] table (from 1)
	Path     []string // variables in causal order, the first not repeated at the end
	Polarity string   // "R" or "B"
	Doc      string
	Pos      syntax.Pos
	FieldPos map[string]syntax.Pos
}

// Plot is a picture the model asks to have rendered.
type Plot struct {
	File       string
	Key        string // the entry's key, "plots[N]" for the N-th [[plots]] table (from 1)
	Title      string
	Vars       []string
	Thresholds []string
	// Scenarios, when given, makes the plot overlay its one variable as
	// it runs under each of these scenarios.
	Scenarios []string
	// Data names data variables whose points are drawn as markers over
	// the lines: observations to compare the run with.
	Data     []string
	Pos      syntax.Pos
	FieldPos map[string]syntax.Pos
}

// OpenRange returns the range [lo, hi] for Var.Range, an end that is nil
// open (-Inf or +Inf): what a reader makes of a range whose ends a model
// may leave out (Vensim's [?,10], XMILE's <range max="10">).
func OpenRange(lo, hi *float64) *[2]float64 {
	rg := [2]float64{math.Inf(-1), math.Inf(1)}
	if lo != nil {
		rg[0] = *lo
	}
	if hi != nil {
		rg[1] = *hi
	}
	return &rg
}
