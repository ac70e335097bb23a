// Package bench is stockflow's benchmark suite: the models it times and
// the engines it times them with. Each Case is one model; each of its
// Engines runs it one way — interpreted, as generated Go (stockflow gen),
// or as the same equations written by hand in Go. bench_test.go runs them
// as Go benchmarks; cmd/benchtable runs them in one process, adds peak
// memory and SDEverywhere's JavaScript build of the large model, and
// prints the table of docs/performance.md. bench/README.md says how to run
// them.
//
// The models: the large model (package large: thousands of arrayed
// variables, lookups, a smooth and a delay), a World3-class model and a
// business model (package synth: long chains of scalar aux, many
// lookups, smooths and delays, few stocks; each recording a few
// variables and, as "world/all" and "business/all", every one), the ring of 1,000 variables
// (internal/ring), the examples, and the larger models of the conformance
// suite that stockflow reads.
package bench

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/stockflow/stockflow/bench/large"
	largenative "github.com/stockflow/stockflow/bench/large/native"
	"github.com/stockflow/stockflow/bench/synth"
	"github.com/stockflow/stockflow/bench/synth/byhand"
	businessnative "github.com/stockflow/stockflow/bench/synth/native/business"
	worldnative "github.com/stockflow/stockflow/bench/synth/native/world"
	"github.com/stockflow/stockflow/examples/gen/logistic"
	"github.com/stockflow/stockflow/examples/gen/predatorprey"
	"github.com/stockflow/stockflow/examples/gen/sir"
	"github.com/stockflow/stockflow/internal/ring"
	ringnative "github.com/stockflow/stockflow/internal/ring/native"
	"github.com/stockflow/stockflow/model"
)

// Case is one model of the suite.
type Case struct {
	// Name identifies the model in benchmark names and tables: "large",
	// "ring", "examples/sir", "conformance/teacup".
	Name string
	// Path is the model file, relative to the repository's root.
	Path string
	// Outputs are the variables each run records; nil records every
	// stock, flow and aux.
	Outputs []string
	// Generated loads the model with its generated Go attached; nil when
	// no generated package is committed for it.
	Generated func() (*model.Model, error)
	// ByHand returns a function doing one run of the equations written by
	// hand, and the number of variables it computes; nil when there is
	// none.
	ByHand func() (run func(), vars int)
	// MDL is the Vensim .mdl that SDEverywhere runs for the case,
	// relative to the repository's root; "" when it has none.
	MDL string
	// VensimName spells an output as the .mdl does; nil when the names
	// are the same.
	VensimName func(string) string
}

// Engine names, in the order tables show them.
const (
	Interpreted = "interpreted"
	Generated   = "generated"
	ByHand      = "by-hand"
)

// conformance are the larger models of the conformance suite that
// stockflow reads, relative to the repository's root.
var conformance = []string{
	"samples/teacup/teacup.xmile",
	"samples/bpowers-hares_and_lynxes_modules/model.xmile",
	"tests/arithmetics_exp/test_arithmetics_exp.xmile",
	"tests/zeroled_decimals/test_zeroled_decimals.xmile",
	"tests/subscript_individually_defined_1d_arrays/subscript_individually_defined_1d_arrays.xmile",
	"tests/smooth_and_stock/test_smooth_and_stock.xmile",
	"tests/delay_xmile/test_delay_xmile.xmile",
	"tests/non_negative_flows/test_non_negative_flows.xmile",
	"samples/Roessler_Chaos/roessler_chaos.mdl",
	"samples/simple_harmonic_oscillator/simple_harmonic_oscillator.mdl",
}

// Suite returns the suite's models: the large model, the models of
// package synth, the ring, the examples and the conformance models, in
// that order.
func Suite() []Case {
	c := large.Default
	cases := []Case{
		{
			Name:      "large",
			Path:      "bench/large/testdata/large.toml",
			Outputs:   c.Outputs(),
			Generated: largenative.Load,
			ByHand: func() (func(), int) {
				var h large.Hand
				return func() { h.Run(c) }, c.Vars()
			},
			MDL:        "bench/large/testdata/large.mdl",
			VensimName: large.VensimName,
		},
		synthCase(synth.World, worldnative.Load, false, func(all bool) (func(), int) {
			var m byhand.World
			return func() { m.Run(all) }, len(byhand.WorldNames())
		}),
		synthCase(synth.World, worldnative.Load, true, func(all bool) (func(), int) {
			var m byhand.World
			return func() { m.Run(all) }, len(byhand.WorldNames())
		}),
		synthCase(synth.Business, businessnative.Load, false, func(all bool) (func(), int) {
			var m byhand.Business
			return func() { m.Run(all) }, len(byhand.BusinessNames())
		}),
		synthCase(synth.Business, businessnative.Load, true, func(all bool) (func(), int) {
			var m byhand.Business
			return func() { m.Run(all) }, len(byhand.BusinessNames())
		}),
		{
			Name:      "ring",
			Path:      "internal/ring/testdata/ring250.toml",
			Outputs:   []string{"s0"},
			Generated: ringnative.Load,
			ByHand: func() (func(), int) {
				out := make([]float64, 0, 401)
				return func() { out = ring.ByHand(250, 100, out) }, 4 * 250
			},
		},
		{Name: "examples/logistic", Path: "examples/logistic/logistic.toml", Generated: logistic.Load},
		{Name: "examples/sir", Path: "examples/sir/sir.toml", Generated: sir.Load},
		{Name: "examples/predator-prey", Path: "examples/predator-prey/predator_prey.toml", Generated: predatorprey.Load},
		{Name: "examples/arrays", Path: "examples/arrays/regions.toml"},
	}
	for _, p := range conformance {
		cases = append(cases, Case{
			Name: "conformance/" + filepath.Base(filepath.Dir(p)),
			Path: filepath.Join("testdata", "test-models", p),
		})
	}
	return cases
}

// synthCase is a model of package synth recording its few outputs, or
// with all every variable ("world", "world/all").
func synthCase(c synth.Config, gen func() (*model.Model, error), all bool, byHand func(all bool) (func(), int)) Case {
	k := Case{
		Name:      c.Name,
		Path:      "bench/synth/testdata/" + c.Name + ".mdl",
		Outputs:   c.Build().Outputs(),
		Generated: gen,
		ByHand:    func() (func(), int) { return byHand(all) },
		MDL:       "bench/synth/testdata/" + c.Name + ".mdl",
	}
	if all {
		k.Name += "/all"
		k.Outputs = nil
	}
	return k
}

// Engines returns the engines that can run the case, in table order.
func (c Case) Engines() []string {
	e := []string{Interpreted}
	if c.Generated != nil {
		e = append(e, Generated)
	}
	if c.ByHand != nil {
		e = append(e, ByHand)
	}
	return e
}

// Runner loads the case for one engine and returns a function doing one
// run, and the number of variables (stocks, flows and aux) a run
// computes. root is the repository's root directory.
func (c Case) Runner(root, engine string) (run func() error, vars int, err error) {
	var m *model.Model
	switch engine {
	case Interpreted:
		m, err = model.Load(filepath.Join(root, c.Path))
	case Generated:
		if c.Generated == nil {
			return nil, 0, fmt.Errorf("%s has no generated package", c.Name)
		}
		m, err = c.Generated()
	case ByHand:
		if c.ByHand == nil {
			return nil, 0, fmt.Errorf("%s has no hand-written version", c.Name)
		}
		f, vars := c.ByHand()
		return func() error { f(); return nil }, vars, nil
	default:
		return nil, 0, fmt.Errorf("unknown engine %q", engine)
	}
	if err != nil {
		return nil, 0, err
	}
	// Each run reuses the previous one's Result, as the hand-written Go
	// reuses its buffer.
	opt := model.RunOptions{Vars: c.Outputs}
	ctx := context.Background()
	return func() error {
		res, err := m.Run(ctx, opt)
		opt.Reuse = res
		return err
	}, len(m.Names()), nil
}

// Steps returns the number of time steps one run of the model takes (its
// stop minus start over dt; rk45's steps are counted as if it took dt).
func (c Case) Steps(root string) (int, error) {
	m, err := model.Load(filepath.Join(root, c.Path))
	if err != nil {
		return 0, err
	}
	s := m.Decl.Sim
	return int((s.Stop-s.Start)/s.DT + 0.5), nil
}
