// Package initgc keeps the garbage collector off while the packages that
// stockflow links initialize themselves, and Resume turns it back on.
//
// go-graphviz's package init loads Graphviz's WebAssembly module with wazero
// (about 4 MB allocated, 38 MB when its compilation cache cannot be used),
// and with the default settings the collector runs twice during the inits
// (at its goals of 4 and 5 MB), a few milliseconds of CPU in every command.
// Without them the heap is about 7 MB when main starts, 3 MB of it live.
//
// Go initializes, at each step, the first package by import path whose
// imports are all initialized. This package imports only runtime/debug, which
// wazero also depends on, and its path sorts before wazero's
// (github.com/tetratelabs/...), so it is initialized before wazero and hence
// before go-graphviz's internal/wasm (cmd/stockflow's script startup.txtar
// checks the order with GODEBUG=inittrace=1).
//
// Only cmd/stockflow imports this package, and its init calls Resume: the
// collector is off only before main starts.
package initgc

import (
	"os"
	"runtime/debug"
	"strconv"
)

func init() {
	debug.SetGCPercent(-1)
}

// Resume sets the garbage collector's target percentage to what the GOGC
// environment variable asks for, as the runtime reads it at start: "off"
// disables the collector, an integer sets the percentage, and anything else
// (or nothing) means the default, 100.
func Resume() {
	debug.SetGCPercent(Percent(os.Getenv("GOGC")))
}

// Percent is the collector's target percentage for a value of GOGC: -1 for
// "off", the integer it holds, or 100 when it is empty or not an integer.
func Percent(gogc string) int {
	if gogc == "off" {
		return -1
	}
	if n, err := strconv.Atoi(gogc); err == nil {
		return n
	}
	return 100
}
