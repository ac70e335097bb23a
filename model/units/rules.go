package units

import (
	"sort"
	"strings"
)

// A rule is how a builtin's units follow from its arguments': what each
// argument must be, and what the call gives.
type rule struct {
	args []argSpec // the last repeats for a function of any number of arguments
	res  resKind
}

// argSpec is one argument of a builtin: its name, for messages, and what
// its units must be.
type argSpec struct {
	name string
	kind argKind
}

type argKind uint8

const (
	aX       argKind = iota // the units the rule is about: all such arguments alike
	aTime                   // the model's time units
	aPerTime                // one over the time units (a trend)
	aDmnl                   // dimensionless
	aAny                    // anything (a seed, a condition)
)

type resKind uint8

const (
	rX          resKind = iota // the units of the aX arguments
	rDmnl                      // dimensionless
	rPoly                      // like a bare number: whatever the context needs (pi, inf)
	rTime                      // the time units
	rPerTime                   // one over the time units
	rXPerTime                  // the aX units per time unit (pulse)
	rXTimesTime                // the aX units times the time unit (ramp)
	rSqrt                      // the square root of the aX units
	rQuotient                  // the first argument's units over the second's (safediv)
	rLookup                    // lookup(table, x): the table's output units
	rUnknown                   // not derived (prod of an array)
)

// arg returns the spec of argument i.
func (r rule) arg(i int) argSpec {
	if len(r.args) == 0 {
		return argSpec{kind: aAny}
	}
	return r.args[min(i, len(r.args)-1)]
}

// groupName names the n aX arguments of a call for a message: "input
// and initial", or "arguments" when the function takes any number.
func (r rule) groupName(n int) string {
	var names []string
	for _, a := range r.args {
		if a.kind == aX {
			names = append(names, a.name)
		}
	}
	if len(names) == 1 && n > 1 {
		return "arguments"
	}
	return strings.Join(names[:min(n, len(names))], " and ")
}

// def builds a rule from "name:kind" words, kind one of x, t, 1/t, 1 and *.
func def(res resKind, spec string) rule {
	r := rule{res: res}
	for _, w := range strings.Fields(spec) {
		name, kind, _ := strings.Cut(w, ":")
		a := argSpec{name: strings.ReplaceAll(name, "_", " ")}
		switch kind {
		case "x":
			a.kind = aX
		case "t":
			a.kind = aTime
		case "1/t":
			a.kind = aPerTime
		case "1":
			a.kind = aDmnl
		default:
			a.kind = aAny
		}
		r.args = append(r.args, a)
	}
	return r
}

// rules gives the units rule of every builtin of the equation language,
// and of the array functions, by lower-case name. It is read-only.
// model/internal/compile's tests check that every builtin has one.
var rules = map[string]rule{
	"abs":     def(rX, "x:x"),
	"int":     def(rX, "x:x"),
	"integer": def(rX, "x:x"),
	"sqrt":    def(rSqrt, "x:x"),
	"modulo":  def(rX, "a:x b:x"),
	"max":     def(rX, "argument:x"),
	"min":     def(rX, "argument:x"),

	"arccos":  def(rDmnl, "argument:1"),
	"arcsin":  def(rDmnl, "argument:1"),
	"arctan":  def(rDmnl, "argument:1"),
	"cos":     def(rDmnl, "argument:1"),
	"sin":     def(rDmnl, "argument:1"),
	"tan":     def(rDmnl, "argument:1"),
	"exp":     def(rDmnl, "argument:1"),
	"ln":      def(rDmnl, "argument:1"),
	"log10":   def(rDmnl, "argument:1"),
	"gammaln": def(rDmnl, "argument:1"),

	"inf":       def(rPoly, ""),
	"pi":        def(rPoly, ""),
	"time":      def(rTime, ""),
	"dt":        def(rTime, ""),
	"starttime": def(rTime, ""),
	"stoptime":  def(rTime, ""),

	"exprnd":    def(rX, "mean:x seed:*"),
	"poisson":   def(rX, "mean:x seed:*"),
	"normal":    def(rX, "mean:x sd:x seed:*"),
	"lognormal": def(rX, "mean:x sd:x seed:*"),
	"random":    def(rX, "min:x max:x seed:*"),

	"delay":             def(rX, "input:x delay_time:t initial:x"),
	"delay1":            def(rX, "input:x delay_time:t initial:x"),
	"delay_material":    def(rX, "input:x delay_time:t initial:x missing:x"),
	"delay_information": def(rX, "input:x delay_time:t initial:x"),
	"delay3":            def(rX, "input:x delay_time:t initial:x"),
	"delay1i":           def(rX, "input:x delay_time:t initial:x"),
	"delay3i":           def(rX, "input:x delay_time:t initial:x"),
	"delayn":            def(rX, "input:x delay_time:t n:1 initial:x"),
	"smth1":             def(rX, "input:x averaging_time:t initial:x"),
	"smth3":             def(rX, "input:x averaging_time:t initial:x"),
	"smooth":            def(rX, "input:x averaging_time:t initial:x"),
	"smoothi":           def(rX, "input:x averaging_time:t initial:x"),
	"smooth3":           def(rX, "input:x averaging_time:t initial:x"),
	"smooth3i":          def(rX, "input:x averaging_time:t initial:x"),
	"smthn":             def(rX, "input:x averaging_time:t n:1 initial:x"),
	"trend":             def(rPerTime, "input:* averaging_time:t initial_trend:1/t"),
	"forcst":            def(rX, "input:x averaging_time:t horizon:t initial_trend:1/t"),
	"forecast":          def(rX, "input:x averaging_time:t horizon:t initial_trend:1/t"),

	"pulse": def(rXPerTime, "magnitude:x first_time:t interval:t"),
	"ramp":  def(rXTimesTime, "slope:x start_time:t end_time:t"),
	"step":  def(rX, "height:x step_time:t"),

	"init":           def(rX, "x:x"),
	"previous":       def(rX, "x:x initial:x"),
	"active_initial": def(rX, "active:x initial:x"),

	"safediv":      def(rQuotient, "a:* b:* alternative:x"),
	"xidz":         def(rQuotient, "a:* b:* x:x"),
	"zidz":         def(rQuotient, "a:* b:*"),
	"if_then_else": def(rX, "condition:* then:x else:x"),
	"lookup":       def(rLookup, "table:* x:*"),

	// The vector functions, whose arguments interleave values of
	// different units: only the one named x is checked.
	"vector_element":       def(rX, "i:* x:x"),
	"vector_rank":          def(rDmnl, "k:* direction:* x:*"),
	"vector_sort_order":    def(rDmnl, "k:* direction:* x:*"),
	"vector_select":        def(rX, "action:* missing:x values:*"),
	"allocate_available":   def(rX, "k:* available:x requests:*"),
	"allocate_by_priority": def(rX, "k:* width:* supply:x requests:*"),
	"invert_matrix":        def(rUnknown, "k:* matrix:*"),
	"find_market_price":    def(rUnknown, "nd:* profiles:*"),
	"demand_at_price":      def(rX, "q:x type:* priority:* width:* price:*"),
	"supply_at_price":      def(rX, "q:x type:* priority:* width:* price:*"),

	// The array functions (decl.Expand), over one argument.
	"sum":    def(rX, "x:x"),
	"mean":   def(rX, "x:x"),
	"stddev": def(rX, "x:x"),
	"prod":   def(rUnknown, "x:*"),
	"size":   def(rDmnl, "x:*"),
}

// Builtins returns the names of the functions the checker has a units
// rule for, sorted.
func Builtins() []string {
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
