package compile

import (
	"math"
	"sort"

	"github.com/stockflow/stockflow/model/internal/vm"

	"github.com/stockflow/stockflow/model/syntax"
)

// A builtin is a function of the equation language, and everything the
// compiler knows about it: how it is called, whether it varies in time of
// itself, and how it compiles, either by expansion into hidden variables
// (a stateful builtin, expand.go) or to an instruction, whose row in the
// table of instructions (internal/opgen) gives its Go form.
type builtin struct {
	name     string
	min, max int    // argument counts; max < 0 means any number
	sig      string // the signature, for messages
	doc      string
	// tableArg reports whether the first argument names a lookup table
	// rather than giving a value (lookup).
	tableArg bool
	// varies reports whether the value changes with time even when the
	// arguments do not.
	varies bool
	// whole reports whether the call may only be the whole equation of an
	// aux or flow, which the compiler takes apart before anything else.
	whole bool
	// internal marks the functions that expansion writes and users do not.
	internal bool

	// expand, for a stateful builtin, returns what replaces the call: an
	// expression over the hidden variables it adds. Its arguments are
	// expanded already.
	expand func(c *compiler, owner *vm.Var, at int, args []syntax.Expr) syntax.Expr
	// nonNeg, when its what is not empty, is the argument that must not
	// be negative (a smoothing time, an exprnd mean): expand refuses a
	// negative number and has runs check any other value (guards.go).
	nonNeg nonNegArg
	// lag, for a smooth, delay or trend, is its time constant, which
	// Hygiene checks against the step.
	lag lagArg

	// op is the instruction that computes a stateless builtin from the
	// slots of its arguments in order; omitted[k] is the operand of
	// argument min+k when the call leaves it out. With fold, a builtin of
	// any number of arguments folds op over them from the left.
	Op      vm.Opcode
	omitted []float64
	fold    bool
	// lower, when not nil, compiles the call instead of op, given the
	// slots of its value arguments (the table argument is left out).
	lower func(c *compiler, x *syntax.Call, args []int32, want int32) int32
	// fn, when not 0, is the vector function (vm.Func) the call runs
	// over its arguments after the first, which is the position of the
	// result wanted (vecfuncs.go); a function with one result
	// (vm.Single: vector_select, the market functions) has no such
	// argument.
	fn vm.Func

	// A builtin's units rule is a row of package model/units' table, by
	// name: the units check runs on the declaration, below the compiler
	// (TestBuiltinUnitsRules keeps the two tables in step).
}

// nonNegArg is argument i of a builtin, which must not be negative; what
// names it in errors ("the averaging time").
type nonNegArg struct {
	i    int
	what string
}

// lagArg is argument i of a builtin, its time constant, split into
// stages first-order stages (0: as many as the argument after it says;
// 1 also for the pipeline delay). i is 0 for a builtin without one.
type lagArg struct {
	i, stages int
}

// builtinList is every builtin. It is read-only.
var builtinList = []builtin{
	{name: "abs", min: 1, max: 1, sig: "abs(x)", doc: "absolute value", Op: vm.OpAbs},
	{name: "arccos", min: 1, max: 1, sig: "arccos(x)", doc: "inverse cosine, in radians", Op: vm.OpAcos},
	{name: "arcsin", min: 1, max: 1, sig: "arcsin(x)", doc: "inverse sine, in radians", Op: vm.OpAsin},
	{name: "arctan", min: 1, max: 1, sig: "arctan(x)", doc: "inverse tangent, in radians", Op: vm.OpAtan},
	{name: "cos", min: 1, max: 1, sig: "cos(x)", doc: "cosine of x radians", Op: vm.OpCos},
	{name: "sin", min: 1, max: 1, sig: "sin(x)", doc: "sine of x radians", Op: vm.OpSin},
	{name: "tan", min: 1, max: 1, sig: "tan(x)", doc: "tangent of x radians", Op: vm.OpTan},
	{name: "exp", min: 1, max: 1, sig: "exp(x)", doc: "e to the power x", Op: vm.OpExp},
	{name: "ln", min: 1, max: 1, sig: "ln(x)", doc: "natural logarithm", Op: vm.OpLn},
	{name: "log10", min: 1, max: 1, sig: "log10(x)", doc: "base-10 logarithm", Op: vm.OpLog10},
	{name: "gammaln", min: 1, max: 1, sig: "gammaln(x)", doc: "natural logarithm of the absolute value of the gamma function, ln((x-1)!) at a positive whole x (Vensim's GAMMA LN)", Op: vm.OpLgamma},
	{name: "sqrt", min: 1, max: 1, sig: "sqrt(x)", doc: "square root", Op: vm.OpSqrt},
	{name: "int", min: 1, max: 1, sig: "int(x)", doc: "largest integer not above x (floor)", Op: vm.OpFloor},
	{name: "integer", min: 1, max: 1, sig: "integer(x)", doc: "x truncated toward zero (Vensim's INTEGER)", Op: vm.OpTrunc},
	{name: "modulo", min: 2, max: 2, sig: "modulo(a, b)", doc: "remainder of a/b with the sign of a (Vensim's MODULO)", Op: vm.OpFmod},
	{name: "max", min: 1, max: -1, sig: "max(a, b, ...)", doc: "largest argument", Op: vm.OpMax, fold: true},
	{name: "min", min: 1, max: -1, sig: "min(a, b, ...)", doc: "smallest argument", Op: vm.OpMin, fold: true},
	{name: "inf", sig: "inf", doc: "positive infinity", lower: lowerConst(math.Inf(1))},
	{name: "pi", sig: "pi", doc: "3.14159...", lower: lowerConst(math.Pi)},
	{name: "time", sig: "time", doc: "the current time", varies: true, lower: lowerSlot(vm.SlotTime)},
	{name: "dt", sig: "dt", doc: "the time step", lower: lowerSlot(vm.SlotDT)},
	{name: "starttime", sig: "starttime", doc: "the start time", lower: lowerSlot(vm.SlotStart)},
	{name: "stoptime", sig: "stoptime", doc: "the stop time", lower: lowerSlot(vm.SlotStop)},
	{name: "exprnd", min: 1, max: 2, sig: "exprnd(mean[, seed])", doc: "exponentially distributed random number", expand: expandExprnd, nonNeg: nonNegArg{0, "the mean"}},
	{name: "lognormal", min: 2, max: 3, sig: "lognormal(mean, sd[, seed])", doc: "lognormal random number with that mean and standard deviation", expand: expandLognormal},
	{name: "normal", min: 2, max: 3, sig: "normal(mean, sd[, seed])", doc: "normally distributed random number", expand: expandNormal},
	{name: "poisson", min: 1, max: 2, sig: "poisson(mean[, seed])", doc: "Poisson distributed random number", expand: expandPoisson},
	{name: "random", min: 2, max: 3, sig: "random(min, max[, seed])", doc: "uniformly distributed random number", expand: expandRandom},
	{name: "delay", min: 2, max: 3, sig: "delay(input, delay_time[, initial])", doc: "exact pipeline delay", expand: expandDelay, lag: lagArg{1, 1}},
	{name: "delay_material", min: 2, max: 4, sig: "delay_material(input, delay_time[, initial[, missing]])", doc: "pipeline delay whose delay time may vary, conserving what enters: each step's input leaves after the delay time of its step, inputs leaving together add, missing (default 0) when none leaves (Vensim's DELAY MATERIAL)", expand: expandVarDelay(vm.MaterialPipe), lag: lagArg{1, 1}},
	{name: "delay_information", min: 2, max: 3, sig: "delay_information(input, delay_time[, initial])", doc: "pipeline delay whose delay time may vary: the latest-entered input that has left, each step's input leaving after the delay time of its step (Vensim's DELAY INFORMATION)", expand: expandVarDelay(vm.InformationPipe), lag: lagArg{1, 1}},
	{name: "delay1", min: 2, max: 3, sig: "delay1(input, delay_time[, initial])", doc: "first-order material delay", expand: expandDelayN(1), nonNeg: nonNegArg{1, "the delay time"}, lag: lagArg{1, 1}},
	{name: "delay3", min: 2, max: 3, sig: "delay3(input, delay_time[, initial])", doc: "third-order material delay", expand: expandDelayN(3), nonNeg: nonNegArg{1, "the delay time"}, lag: lagArg{1, 3}},
	{name: "delayn", min: 3, max: 4, sig: "delayn(input, delay_time, n[, initial])", doc: "n-th order material delay", expand: expandDelayN(0), nonNeg: nonNegArg{1, "the delay time"}, lag: lagArg{1, 0}},
	{name: "smth1", min: 2, max: 3, sig: "smth1(input, averaging_time[, initial])", doc: "first-order exponential smooth", expand: expandSmooth(1), nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 1}},
	{name: "smth3", min: 2, max: 3, sig: "smth3(input, averaging_time[, initial])", doc: "third-order exponential smooth", expand: expandSmooth(3), nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 3}},
	{name: "smthn", min: 3, max: 4, sig: "smthn(input, averaging_time, n[, initial])", doc: "n-th order exponential smooth", expand: expandSmooth(0), nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 0}},
	{name: "smooth", min: 2, max: 3, sig: "smooth(input, averaging_time[, initial])", doc: "Vensim's name for smth1", expand: expandSmooth(1), nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 1}},
	{name: "smoothi", min: 3, max: 3, sig: "smoothi(input, averaging_time, initial)", doc: "Vensim's name for smth1 with an initial value", expand: expandSmooth(1), nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 1}},
	{name: "smooth3", min: 2, max: 3, sig: "smooth3(input, averaging_time[, initial])", doc: "Vensim's name for smth3", expand: expandSmooth(3), nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 3}},
	{name: "smooth3i", min: 3, max: 3, sig: "smooth3i(input, averaging_time, initial)", doc: "Vensim's name for smth3 with an initial value", expand: expandSmooth(3), nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 3}},
	{name: "delay1i", min: 3, max: 3, sig: "delay1i(input, delay_time, initial)", doc: "Vensim's name for delay1 with an initial value", expand: expandDelayN(1), nonNeg: nonNegArg{1, "the delay time"}, lag: lagArg{1, 1}},
	{name: "delay3i", min: 3, max: 3, sig: "delay3i(input, delay_time, initial)", doc: "Vensim's name for delay3 with an initial value", expand: expandDelayN(3), nonNeg: nonNegArg{1, "the delay time"}, lag: lagArg{1, 3}},
	{name: "trend", min: 2, max: 3, sig: "trend(input, averaging_time[, initial_trend])", doc: "fractional rate of change of input", expand: expandTrend, nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 1}},
	{name: "forcst", min: 3, max: 4, sig: "forcst(input, averaging_time, horizon[, initial_trend])", doc: "input extrapolated horizon ahead by its trend", expand: expandForecast, nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 1}},
	{name: "forecast", min: 3, max: 4, sig: "forecast(input, averaging_time, horizon[, initial_trend])", doc: "Vensim's name for forcst", expand: expandForecast, nonNeg: nonNegArg{1, "the averaging time"}, lag: lagArg{1, 1}},
	{name: "pulse", min: 2, max: 3, sig: "pulse(magnitude, first_time[, interval])", doc: "magnitude/dt for one dt at first_time, repeating every interval", varies: true, Op: vm.OpPulse, omitted: []float64{0}},
	{name: "ramp", min: 2, max: 3, sig: "ramp(slope, start_time[, end_time])", doc: "rises with slope from start_time until end_time", varies: true, Op: vm.OpRamp, omitted: []float64{math.Inf(1)}},
	{name: "step", min: 2, max: 2, sig: "step(height, step_time)", doc: "0 before step_time, height from then on", varies: true, Op: vm.OpStep},
	{name: "init", min: 1, max: 1, sig: "init(x)", doc: "the value of x at the start time", expand: expandInit},
	{name: "active_initial", min: 2, max: 2, sig: "active_initial(active, initial)", doc: "initial at the start time, active afterwards (Vensim's ACTIVE INITIAL); only as the whole equation of an aux or flow", whole: true},
	{name: "previous", min: 1, max: 2, sig: "previous(x[, initial])", doc: "the value of x one dt earlier", expand: expandPrevious},
	{name: "safediv", min: 2, max: 3, sig: "safediv(a, b[, alt])", doc: "a/b, or alt (default 0) when b is 0", Op: vm.OpSafeDiv, omitted: []float64{0}},
	{name: "xidz", min: 3, max: 3, sig: "xidz(a, b, x)", doc: "a/b, or x when b is 0", Op: vm.OpSafeDiv},
	{name: "zidz", min: 2, max: 2, sig: "zidz(a, b)", doc: "a/b, or 0 when b is 0", Op: vm.OpSafeDiv, omitted: []float64{0}},
	{name: "if_then_else", min: 3, max: 3, sig: "if_then_else(c, a, b)", doc: "a if c is not 0, else b", Op: vm.OpIf},
	{name: "lookup", min: 2, max: 2, sig: "lookup(table, x)", doc: "the lookup table's value at x", tableArg: true, lower: lowerLookup},
	{name: "vector_element", min: 2, max: -1, sig: "vector_element(i, x0, x1, ...)", doc: "x_i, counting from 0; NaN when i is not one of 0 to n-1 (Vensim's VECTOR REORDER and VECTOR ELM MAP)", fn: vm.FuncElement},
	{name: "vector_rank", min: 3, max: -1, sig: "vector_rank(k, direction, x0, x1, ...)", doc: "the rank, from 1, of x_k among the x, ascending when direction is not 0, else descending; ties in the order of the x (Vensim's VECTOR RANK)", fn: vm.FuncRank},
	{name: "vector_sort_order", min: 3, max: -1, sig: "vector_sort_order(k, direction, x0, x1, ...)", doc: "the position, from 0, of the x that sorts k-th (k from 0), ascending when direction is not 0, else descending; ties in the order of the x (Vensim's VECTOR SORT ORDER)", fn: vm.FuncSortOrder},
	{name: "vector_select", min: 3, max: -1, sig: "vector_select(action, missing, s0, x0, s1, x1, ...)", doc: "over the x whose s is not 0: action 0 Σ s·x, 1 Π s·x, 2 min s·x, 3 max s·x, 4 mean s·x, 5 Π x^s, 6 to 10 the sum, product, min, max and mean of x; missing when every s is 0 (Vensim's VECTOR SELECT)", fn: vm.FuncSelect},
	{name: "allocate_available", min: 7, max: -1, sig: "allocate_available(k, available, q0, type0, priority0, width0, extra0, q1, ...)", doc: "requester k's share (from 0) of available, allocated by priority profiles (Vensim's ALLOCATE AVAILABLE)", fn: vm.FuncAllocAvail},
	{name: "allocate_by_priority", min: 5, max: -1, sig: "allocate_by_priority(k, width, supply, q0, priority0, q1, priority1, ...)", doc: "requester k's share (from 0) of supply, allocated by priority (Vensim's ALLOCATE BY PRIORITY)", fn: vm.FuncAllocPriority},
	{name: "find_market_price", min: 1, max: -1, sig: "find_market_price(nd, q0, type0, priority0, width0, extra0, q1, ...)", doc: "the price at which the first nd profiles' demand equals the others' supply (Vensim's FIND MARKET PRICE)", fn: vm.FuncMarketPrice},
	{name: "demand_at_price", min: 5, max: 5, sig: "demand_at_price(q, type, priority, width, price)", doc: "the quantity a demander of satiation q and that profile wants at price (Vensim's DEMAND AT PRICE)", fn: vm.FuncDemandAtPrice},
	{name: "supply_at_price", min: 5, max: 5, sig: "supply_at_price(q, type, priority, width, price)", doc: "the quantity a supplier of capacity q and that profile offers at price (Vensim's SUPPLY AT PRICE)", fn: vm.FuncSupplyAtPrice},
	{name: "invert_matrix", min: 2, max: -1, sig: "invert_matrix(k, m0, m1, ..., m(n*n-1))", doc: "entry k (row by row, from 0) of the inverse of the n×n matrix given row by row; NaN everywhere when it is singular (Vensim's INVERT MATRIX)", fn: vm.FuncInvert},
	// The inverse Poisson CDF at a uniform draw, which poisson expands to.
	{name: "$poisson", min: 2, max: 2, internal: true, Op: vm.OpPoisson},
}

// builtins indexes builtinList by lower-case name. It is read-only.
var builtins = func() map[string]*builtin {
	m := make(map[string]*builtin, len(builtinList))
	for i := range builtinList {
		m[builtinList[i].name] = &builtinList[i]
	}
	return m
}()

// builtinNames returns the names of the builtins users may call, sorted.
func builtinNames() []string {
	names := make([]string, 0, len(builtinList))
	for _, b := range builtinList {
		if !b.internal {
			names = append(names, b.name)
		}
	}
	sort.Strings(names)
	return names
}

// valueArgs returns the arguments of a call that are values, leaving out
// a lookup table's name; b may be nil (a call of a lookup by its name).
func (b *builtin) valueArgs(args []syntax.Expr) []syntax.Expr {
	if b != nil && b.tableArg && len(args) > 0 {
		return args[1:]
	}
	return args
}

// lowerConst compiles a named constant.
func lowerConst(x float64) func(*compiler, *syntax.Call, []int32, int32) int32 {
	return func(c *compiler, _ *syntax.Call, _ []int32, _ int32) int32 { return c.konst(x) }
}

// lowerSlot compiles a builtin read from a fixed slot (time, dt, ...).
func lowerSlot(s int32) func(*compiler, *syntax.Call, []int32, int32) int32 {
	return func(*compiler, *syntax.Call, []int32, int32) int32 { return s }
}

// lowerLookup compiles lookup(table, x): the table is an instruction's
// literal.
func lowerLookup(c *compiler, x *syntax.Call, args []int32, want int32) int32 {
	id := x.Args[0].(*syntax.Ident)
	t := c.p.Vars[c.p.ByName[id.Name]].Table
	return c.emitOp(vm.OpLookup, want, args[0], int32(t))
}
