package compile

import (
	"testing"

	"github.com/stockflow/stockflow/model/internal/vm"
	"github.com/stockflow/stockflow/model/units"
)

// TestBuiltinRecords checks that every builtin compiles one way:
// expanded, lowered by a function, as an instruction, as a vector
// function, or (only
// active_initial) taken apart as a whole equation.
func TestBuiltinRecords(t *testing.T) {
	for _, b := range builtinList {
		ways := 0
		for _, ok := range []bool{b.expand != nil, b.lower != nil, b.Op != vm.OpMov, b.whole, b.fn != 0} {
			if ok {
				ways++
			}
		}
		if ways != 1 {
			t.Errorf("%s compiles %d ways, want 1", b.name, ways)
		}
		// A call with n arguments gets omitted[n-min:]: min+len(omitted)
		// operands whatever n is.
		if b.Op != vm.OpMov && !b.fold && (b.min+len(b.omitted) != int(vm.OpTable[b.Op].Args) || b.max-b.min > len(b.omitted)) {
			t.Errorf("%s: %d to %d arguments and %d omitted do not fill %v's %d operands", b.name, b.min, b.max, len(b.omitted), b.Op, vm.OpTable[b.Op].Args)
		}
		if got := builtins[b.name]; got == nil || got.name != b.name {
			t.Errorf("builtins[%q] is not its record", b.name)
		}
	}
}

// TestBuiltinUnitsRules checks that every builtin users may call has a
// units rule in package model/units, and that every rule there is a
// builtin's or an array function's.
func TestBuiltinUnitsRules(t *testing.T) {
	rules := map[string]bool{}
	for _, name := range units.Builtins() {
		rules[name] = true
	}
	for _, name := range builtinNames() {
		if !rules[name] {
			t.Errorf("builtin %s has no units rule in model/units", name)
		}
		delete(rules, name)
	}
	for _, name := range []string{"sum", "prod", "mean", "stddev", "size"} { // decl.Expand's
		delete(rules, name)
	}
	for name := range rules {
		t.Errorf("model/units has a units rule for %s, which is no builtin", name)
	}
}
