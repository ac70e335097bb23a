package synth_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/stockflow/stockflow/bench/synth"
	"github.com/stockflow/stockflow/bench/synth/byhand"
	"github.com/stockflow/stockflow/bench/synth/native/business"
	"github.com/stockflow/stockflow/bench/synth/native/world"
	"github.com/stockflow/stockflow/model"
)

// models are the package's models with their straight-line Go and their
// generated packages.
var models = []synthCase{
	{synth.World, func(all bool) ([]float64, []string) {
		var m byhand.World
		if all {
			return m.Run(true), byhand.WorldNames()
		}
		return m.Run(false), byhand.WorldOutputs()
	}, world.Load, world.Source},
	{synth.Business, func(all bool) ([]float64, []string) {
		var m byhand.Business
		if all {
			return m.Run(true), byhand.BusinessNames()
		}
		return m.Run(false), byhand.BusinessOutputs()
	}, business.Load, business.Source},
}

// TestSourceIsCurrent checks that the committed .mdl files, the
// straight-line Go and the generated packages hold the models that
// package synth writes today.
func TestSourceIsCurrent(t *testing.T) {
	for _, m := range models {
		for path, want := range map[string]string{"testdata/" + m.c.Name + ".mdl": m.c.MDL(), "byhand/" + m.c.Name + ".go": m.c.Go("byhand")} {
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Errorf("bench/synth/%s is stale: run go run ./bench/cmd/benchgen (see bench/README.md)", path)
			}
		}
		if m.source != m.c.MDL() {
			t.Errorf("bench/synth/native/%s is stale: run go run ./cmd/stockflow gen bench/synth/testdata/%s.mdl -o bench/synth/native/%s", m.c.Name, m.c.Name, m.c.Name)
		}
	}
}

// synthCase is a model of package synth with its straight-line Go and
// its generated package.
type synthCase struct {
	c      synth.Config
	byHand func(all bool) ([]float64, []string)
	native func() (*model.Model, error)
	source string
}

// engines returns the model interpreted, read from its .mdl, and as
// generated Go.
func (c synthCase) engines(t *testing.T) (interpreted, generated *model.Model) {
	t.Helper()
	im, err := model.Parse(c.c.Name+".mdl", []byte(c.c.MDL()))
	if err != nil {
		t.Fatal(err)
	}
	nm, err := c.native()
	if err != nil {
		t.Fatal(err)
	}
	return im, nm
}

// TestEnginesAgree runs each model interpreted, as generated Go and as
// straight-line Go, recording every variable and recording a few, and
// compares every recorded value: generated and interpreted bit for bit,
// straight-line Go to 1e-12 relative (it groups a few operations of the
// smooths and delays differently).
func TestEnginesAgree(t *testing.T) {
	ctx := context.Background()
	for _, c := range models {
		im, nm := c.engines(t)
		if got, want := len(im.Names()), len(c.c.Build().Names()); got != want {
			t.Errorf("%s: %d variables, synth has %d", c.c.Name, got, want)
		}
		for _, all := range []bool{true, false} {
			hand, names := c.byHand(all)
			// Each engine runs twice, the second run into the first's
			// Result, with its slots and tables (RunOptions.Reuse).
			var ir, nr *model.Result
			for range 2 {
				var err error
				if ir, err = im.Run(ctx, model.RunOptions{Vars: names, Reuse: ir}); err != nil {
					t.Fatal(err)
				}
				if nr, err = nm.Run(ctx, model.RunOptions{Vars: names, Reuse: nr}); err != nil {
					t.Fatal(err)
				}
			}
			if want := (c.c.Steps()/int(c.c.SaveEvery/c.c.DT+0.5) + 1) * len(names); len(hand) != want {
				t.Fatalf("%s: straight-line Go recorded %d values, want %d", c.c.Name, len(hand), want)
			}
			for j, name := range names {
				is, ns := ir.Series(name), nr.Series(name)
				if len(is) != len(hand)/len(names) {
					t.Fatalf("%s: %s has %d values interpreted, %d by hand", c.c.Name, name, len(is), len(hand)/len(names))
				}
				for k, want := range is {
					if ns[k] != want {
						t.Fatalf("%s: %s at t=%g: generated %.17g, interpreted %.17g", c.c.Name, name, ir.Times[k], ns[k], want)
					}
					got := hand[k*len(names)+j]
					if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
						t.Fatalf("%s: %s at t=%g: by hand %.17g, interpreted %.17g", c.c.Name, name, ir.Times[k], got, want)
					}
				}
			}
		}
	}
}

// TestConcurrentRuns runs each model, interpreted and generated, from
// four goroutines at once and checks every run against one made alone:
// each run's lookups remember their last segment in copies of their own,
// so runs of one compiled model share nothing they write (go test -race
// checks that too).
func TestConcurrentRuns(t *testing.T) {
	ctx := context.Background()
	for _, c := range models {
		im, nm := c.engines(t)
		for _, m := range []*model.Model{im, nm} {
			alone, err := m.Run(ctx, model.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			errs := make(chan error, 4)
			for range 4 {
				go func() {
					r, err := m.Run(ctx, model.RunOptions{})
					for i := 0; err == nil && i < len(r.Names); i++ {
						got, want := r.Series(r.Names[i]), alone.Series(r.Names[i])
						for k := range want {
							if got[k] != want[k] {
								err = fmt.Errorf("%s (native %t): %s at t=%g is %v run concurrently, %v alone", c.c.Name, m.IsNative(), r.Names[i], r.Times[k], got[k], want[k])
								break
							}
						}
					}
					errs <- err
				}()
			}
			for range 4 {
				if err := <-errs; err != nil {
					t.Error(err)
				}
			}
		}
	}
}

// TestTraceRates evaluates each model's rates at save points of a trace,
// interpreted and as generated Go, from goroutines at once: generated code
// reads its lookups' last segments from the Kernel, and Trace.Rates gives
// each call one of its own (it used to hand generated code the model's
// tables, which have no segments, and the first lookup of more than
// three points panicked). The rates agree bit for bit.
func TestTraceRates(t *testing.T) {
	ctx := context.Background()
	for _, c := range models {
		im, nm := c.engines(t)
		var trs [2]*model.Trace
		for e, m := range []*model.Model{im, nm} {
			r, err := m.Run(ctx, model.RunOptions{Trace: true})
			if err != nil {
				t.Fatal(err)
			}
			trs[e] = r.Trace()
		}
		n := trs[0].Len()
		errs := make(chan error, 4)
		for g := range 4 {
			go func() {
				var err error
				for i := g; err == nil && i < n; i += 4 * 37 {
					var dy [2][]float64
					for e, tr := range trs {
						y, serr := tr.State(i)
						if serr != nil {
							err = serr
							break
						}
						dy[e] = make([]float64, len(y))
						if err = tr.Rates(i, y, dy[e]); err != nil {
							break
						}
					}
					for j := 0; err == nil && j < len(dy[0]); j++ {
						if dy[1][j] != dy[0][j] {
							err = fmt.Errorf("%s: rate %d at save point %d is %v generated, %v interpreted", c.c.Name, j, i, dy[1][j], dy[0][j])
						}
					}
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	}
}
