package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/internal/compile"
	"github.com/stockflow/stockflow/model/internal/vm"
)

// Native is Go code generated for a model's equations by GenerateGo
// (stockflow gen). It replaces the interpreter's evaluation of the
// equations; everything else — integrators, results, traces, loop
// analysis — is shared, so a native model behaves exactly as the
// interpreted one.
type Native struct {
	// Layout fingerprints the compiled code the functions were generated
	// from; LoadNative refuses functions generated for another layout.
	Layout string
	// Init computes every value at the start time; Flow computes the aux
	// and flows from time and state. Both work on the interpreter's slots.
	Init, Flow func(v []float64, k *Kernel)
	// Rates, when not nil, computes only what the stocks' rates and the
	// discrete state need; a run that records only some variables uses it
	// at every evaluation and Flow at save points.
	Rates func(v []float64, k *Kernel)
	// Rest, when not nil, computes what Flow computes and Rates does not,
	// from what Rates computed: a run that records only some variables
	// uses it at save points, right after Rates.
	Rest func(v []float64, k *Kernel)
	// Derivs, when not nil, sets each stock's rate of change in dy from
	// its flows' slots in v.
	Derivs func(v, dy []float64)
}

// Kernel lets generated code hand single instructions back to the
// interpreter: the rarer operations (lookups, pulses, random variates),
// which generated code leaves to it. Each run has a Kernel of its own,
// whose lookups remember the segment of their last reading.
type Kernel struct {
	p      *vm.Program
	tables []vm.Table
	segs   []vm.Segment // tables[i].Last is &segs[i] for a table read linearly
}

// newKernel returns a Kernel for a run of p, with copies of p's tables
// whose segments are its own.
func newKernel(p *vm.Program) *Kernel {
	tables, segs := vm.CachedSegments(p.Tables)
	return &Kernel{p: p, tables: tables, segs: segs}
}

// Init executes instruction i of the interpreter's init code on v.
func (k *Kernel) Init(i int, v []float64) { vm.Exec(k.p.InitCode[i:i+1], v, k.tables, nil) }

// Flow executes instruction i of the interpreter's flow code on v.
func (k *Kernel) Flow(i int, v []float64) { vm.Exec(k.p.FlowCode[i:i+1], v, k.tables, nil) }

// Lookup returns the value of the model's lookup table i at x.
func (k *Kernel) Lookup(i int, x float64) float64 { return k.tables[i].At(x) }

// Segment is the part of a lookup table that its last reading fell in:
// the segment between two of its points, or the line beyond an end
// where the table holds that end's value. For x strictly between X0 and
// X1 the table's value is Y0 + (x-X0)*DY/DX, bit for bit what Lookup
// returns.
type Segment = vm.Segment

// Last returns the segment of the last reading of the model's lookup
// table i, for a table read linearly between at least two points (nil
// for the others). Generated code tries it before calling Lookup, which
// moves it.
func (k *Kernel) Last(i int) *Segment { return k.tables[i].Last }

// Segments returns the segments of the last readings of the model's
// lookup tables, one a table, in the order of the tables: segment i is
// what Last(i) points to, for a table read linearly between at least two
// points, and is not used for the others. Generated code takes the slice
// once a function and tries segment i before calling Lookup(i, x), which
// moves it.
func (k *Kernel) Segments() []Segment { return k.segs }

// Xs returns the x of the points of the model's lookup table i, for
// Interp. Do not modify them.
func (k *Kernel) Xs(i int) []float64 { return k.tables[i].Xs }

// Ys returns the y of the points of the model's lookup table i, for
// Interp. Do not modify them.
func (k *Kernel) Ys(i int) []float64 { return k.tables[i].Ys }

// LoadNative compiles a model from its source, as Parse does, and attaches
// generated code to it. It fails when the code was generated from another
// version of the model or of stockflow ("run stockflow gen again").
func LoadNative(filename string, src []byte, n Native) (*Model, error) {
	m, err := Parse(filename, src)
	if err != nil {
		return nil, err
	}
	if got := m.prog.Layout(); got != n.Layout {
		return nil, fmt.Errorf("%s: the generated code is stale (layout %s, the model compiles to %s); run stockflow gen again", filename, n.Layout, got)
	}
	if n.Init == nil || n.Flow == nil {
		return nil, errors.New("model.LoadNative: Native needs both Init and Flow")
	}
	m.native = &n // each run makes its Kernel (runScratch)
	return m, nil
}

// IsNative reports whether the model runs generated code.
func (m *Model) IsNative() bool { return m.native != nil }

// GenerateGo writes a Go source file, package pkg, that holds the model's
// source and its equations as straight-line Go. The package's Load
// function returns the model running that code. src and filename are the
// model file the model was loaded from.
func (m *Model) GenerateGo(w io.Writer, pkg, filename string, src []byte) error {
	if err := compile.CheckPackage(pkg); err != nil {
		return err
	}
	// A data variable read from a file is embedded with its points, so
	// that the generated package loads wherever it runs, not only beside
	// the file.
	if d, ok := decl.InlineData(m.Source); ok {
		var b bytes.Buffer
		if err := decl.WriteTOML(&b, d); err != nil {
			return fmt.Errorf("writing the model with its data inline: %w", err)
		}
		src = b.Bytes()
		filename = strings.TrimSuffix(filename, filepath.Ext(filename)) + ".toml"
	}
	// The embedded source must compile to this very model.
	again, err := Parse(filename, src)
	if err != nil {
		return fmt.Errorf("the source does not compile: %w", err)
	}
	if again.prog.Layout() != m.prog.Layout() {
		return errors.New("the source given does not match the model")
	}
	return compile.GenerateGo(w, m.prog, pkg, m.Decl.Name, filename, src)
}
