package compile

import (
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/internal/vm"
)

// lowerFunc compiles a call of a vector function (package vm,
// vecfuncs.go): one OpFunc instruction whose a operand is the call's
// first argument, the position of the result wanted (0 for a function
// with one result, vm.Single, whose arguments are all the function's),
// and whose b is the
// first slot of the call's record. Calls of one function over the same
// slots (the elements of one result) share a record, and so a cache.
//
// The record names the slots of the arguments, which must keep their
// values until the instruction runs and not move: an argument computed
// into a temporary is first moved into a slot of its own.
func (c *compiler) lowerFunc(fn vm.Func, args []int32, want int32) int32 {
	k, rest := args[0], args[1:]
	if vm.Single(fn) {
		// One result, and every argument is the function's.
		k, rest = c.konst(0), args
	}
	for i, s := range rest {
		if s >= rateMark {
			d := c.newSlot(0)
			c.emit(vm.Instr{Op: vm.OpMov, Dst: d, A: s})
			rest[i] = d
		}
	}
	base := c.funcRecord(fn, rest)
	dst := want
	if dst < 0 {
		dst = c.temp()
	}
	c.emit(vm.Instr{Op: vm.OpFunc, Dst: dst, A: k, B: base})
	return dst
}

// newSlot adds a slot after the constants, holding x at the start of a
// run, and returns it.
func (c *compiler) newSlot(x float64) int32 {
	s := int32(len(c.p.Consts))
	c.p.Consts = append(c.p.Consts, x)
	return s
}

// funcRecord returns the first slot of the record of vector function fn
// over the argument slots args, adding it (and its cache) if new.
func (c *compiler) funcRecord(fn vm.Func, args []int32) int32 {
	var key strings.Builder
	key.WriteString(strconv.Itoa(int(fn)))
	for _, s := range args {
		key.WriteString(" " + strconv.Itoa(int(s)))
	}
	if base, ok := c.funcRecs[key.String()]; ok {
		return base
	}
	results, scratch, cached, _ := vm.FuncSizes(fn, len(args))
	base := c.newSlot(float64(fn))
	c.newSlot(float64(len(args)))
	c.newSlot(float64(results))
	cache := c.newSlot(0)
	c.newSlot(float64(scratch))
	for _, s := range args {
		c.newSlot(float64(s))
	}
	if cached {
		c.p.Consts[cache] = float64(len(c.p.Consts))
		for range 1 + len(args) + results + scratch {
			c.newSlot(0)
		}
	}
	if c.funcRecs == nil {
		c.funcRecs = map[string]int32{}
	}
	c.funcRecs[key.String()] = base
	return base
}
