package model

import "sort"

// builtin describes a function of the equation language.
type builtin struct {
	min, max int    // argument counts; max < 0 means any number
	sig      string // the signature, for messages
	doc      string
}

// builtins is the function table, by lower-case name. It is read-only.
var builtins = map[string]builtin{
	"abs":            {1, 1, "abs(x)", "absolute value"},
	"arccos":         {1, 1, "arccos(x)", "inverse cosine, in radians"},
	"arcsin":         {1, 1, "arcsin(x)", "inverse sine, in radians"},
	"arctan":         {1, 1, "arctan(x)", "inverse tangent, in radians"},
	"cos":            {1, 1, "cos(x)", "cosine of x radians"},
	"sin":            {1, 1, "sin(x)", "sine of x radians"},
	"tan":            {1, 1, "tan(x)", "tangent of x radians"},
	"exp":            {1, 1, "exp(x)", "e to the power x"},
	"ln":             {1, 1, "ln(x)", "natural logarithm"},
	"log10":          {1, 1, "log10(x)", "base-10 logarithm"},
	"sqrt":           {1, 1, "sqrt(x)", "square root"},
	"int":            {1, 1, "int(x)", "largest integer not above x (floor)"},
	"integer":        {1, 1, "integer(x)", "x truncated toward zero (Vensim's INTEGER)"},
	"modulo":         {2, 2, "modulo(a, b)", "remainder of a/b with the sign of a (Vensim's MODULO)"},
	"max":            {1, -1, "max(a, b, ...)", "largest argument"},
	"min":            {1, -1, "min(a, b, ...)", "smallest argument"},
	"inf":            {0, 0, "inf", "positive infinity"},
	"pi":             {0, 0, "pi", "3.14159..."},
	"time":           {0, 0, "time", "the current time"},
	"dt":             {0, 0, "dt", "the time step"},
	"starttime":      {0, 0, "starttime", "the start time"},
	"stoptime":       {0, 0, "stoptime", "the stop time"},
	"exprnd":         {1, 2, "exprnd(mean[, seed])", "exponentially distributed random number"},
	"lognormal":      {2, 3, "lognormal(mean, sd[, seed])", "lognormal random number with that mean and standard deviation"},
	"normal":         {2, 3, "normal(mean, sd[, seed])", "normally distributed random number"},
	"poisson":        {1, 2, "poisson(mean[, seed])", "Poisson distributed random number"},
	"random":         {2, 3, "random(min, max[, seed])", "uniformly distributed random number"},
	"delay":          {2, 3, "delay(input, delay_time[, initial])", "exact pipeline delay"},
	"delay1":         {2, 3, "delay1(input, delay_time[, initial])", "first-order material delay"},
	"delay3":         {2, 3, "delay3(input, delay_time[, initial])", "third-order material delay"},
	"delayn":         {3, 4, "delayn(input, delay_time, n[, initial])", "n-th order material delay"},
	"smth1":          {2, 3, "smth1(input, averaging_time[, initial])", "first-order exponential smooth"},
	"smth3":          {2, 3, "smth3(input, averaging_time[, initial])", "third-order exponential smooth"},
	"smthn":          {3, 4, "smthn(input, averaging_time, n[, initial])", "n-th order exponential smooth"},
	"smooth":         {2, 3, "smooth(input, averaging_time[, initial])", "Vensim's name for smth1"},
	"smoothi":        {3, 3, "smoothi(input, averaging_time, initial)", "Vensim's name for smth1 with an initial value"},
	"smooth3":        {2, 3, "smooth3(input, averaging_time[, initial])", "Vensim's name for smth3"},
	"smooth3i":       {3, 3, "smooth3i(input, averaging_time, initial)", "Vensim's name for smth3 with an initial value"},
	"delay1i":        {3, 3, "delay1i(input, delay_time, initial)", "Vensim's name for delay1 with an initial value"},
	"delay3i":        {3, 3, "delay3i(input, delay_time, initial)", "Vensim's name for delay3 with an initial value"},
	"trend":          {2, 3, "trend(input, averaging_time[, initial_trend])", "fractional rate of change of input"},
	"forcst":         {3, 4, "forcst(input, averaging_time, horizon[, initial_trend])", "input extrapolated horizon ahead by its trend"},
	"forecast":       {3, 4, "forecast(input, averaging_time, horizon[, initial_trend])", "Vensim's name for forcst"},
	"pulse":          {2, 3, "pulse(magnitude, first_time[, interval])", "magnitude/dt for one dt at first_time, repeating every interval"},
	"ramp":           {2, 3, "ramp(slope, start_time[, end_time])", "rises with slope from start_time until end_time"},
	"step":           {2, 2, "step(height, step_time)", "0 before step_time, height from then on"},
	"init":           {1, 1, "init(x)", "the value of x at the start time"},
	"active_initial": {2, 2, "active_initial(active, initial)", "initial at the start time, active afterwards (Vensim's ACTIVE INITIAL); only as the whole equation of an aux or flow"},
	"previous":       {1, 2, "previous(x[, initial])", "the value of x one dt earlier"},
	"safediv":        {2, 3, "safediv(a, b[, alt])", "a/b, or alt (default 0) when b is 0"},
	"xidz":           {3, 3, "xidz(a, b, x)", "a/b, or x when b is 0"},
	"zidz":           {2, 2, "zidz(a, b)", "a/b, or 0 when b is 0"},
	"if_then_else":   {3, 3, "if_then_else(c, a, b)", "a if c is not 0, else b"},
	"lookup":         {2, 2, "lookup(table, x)", "the lookup table's value at x"},
}

// builtinNames returns the names of all builtins, sorted.
func builtinNames() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
