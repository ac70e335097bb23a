package bench

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/vensim"
)

// root is the repository's root, seen from this package's directory.
const root = ".."

// TestSuiteLoads checks that every case loads and runs with every engine
// it has (the engines' results are compared in bench/large,
// bench/large/native, internal/ring/native and examples/gen). -short
// skips the large model, which takes seconds to compile.
func TestSuiteLoads(t *testing.T) {
	for _, c := range Suite() {
		if c.Name == "large" && testing.Short() {
			continue
		}
		for _, e := range c.Engines() {
			run, vars, err := c.Runner(root, e)
			if err != nil {
				t.Fatalf("%s/%s: %v", c.Name, e, err)
			}
			if vars == 0 {
				t.Errorf("%s/%s: no variables", c.Name, e)
			}
			if err := run(); err != nil {
				t.Errorf("%s/%s: %v", c.Name, e, err)
			}
		}
		if _, err := c.Steps(root); err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkSuite runs every model of the suite with every engine it has,
// side by side, and reports the time per variable-step and the CPU time
// per run (cpu-ns/op: the process's, garbage collector included, which
// other work on a shared machine disturbs less than the wall-clock time)
// beside the time per run. Compare the engines of one model within one
// run of the benchmark; the per-run times of different machines do not
// compare.
//
//	go test -run '^$' -bench Suite -benchmem ./bench/
//	go test -run '^$' -bench 'Suite/large/' -benchmem ./bench/
func BenchmarkSuite(b *testing.B) {
	for _, c := range Suite() {
		steps, err := c.Steps(root)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range c.Engines() {
			name := c.Name + "/" + e
			b.Run(name, func(b *testing.B) {
				run, vars, err := c.Runner(root, e)
				if err != nil {
					b.Fatal(err)
				}
				loop(b, run)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(vars*(steps+1)), "ns/var-step")
			})
		}
	}
}

// BenchmarkStages times what `stockflow run MODEL.mdl` does, stage by
// stage, for the large model's and the World3-class model's .mdl: read
// the file into a declaration (vensim.Parse), read and compile it
// (model.Parse: compiling is the difference), run it recording every
// variable, and write the CSV. Whole-process latency is their sum plus
// the process's start.
//
//	go test -run '^$' -bench Stages -benchmem ./bench/
func BenchmarkStages(b *testing.B) {
	for _, path := range []string{"bench/large/testdata/large.mdl", "bench/synth/testdata/world.mdl"} {
		src, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			b.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".mdl")
		b.Run(name+"/read", func(b *testing.B) {
			loop(b, func() error {
				_, err := vensim.Parse(path, src)
				return err
			})
		})
		b.Run(name+"/read+compile", func(b *testing.B) {
			loop(b, func() error {
				_, err := model.Parse(path, src)
				return err
			})
		})
		m, err := model.Parse(path, src)
		if err != nil {
			b.Fatal(err)
		}
		var res *model.Result
		b.Run(name+"/run", func(b *testing.B) {
			loop(b, func() (err error) {
				res, err = m.Run(context.Background(), model.RunOptions{})
				return err
			})
		})
		b.Run(name+"/write", func(b *testing.B) {
			loop(b, func() error { return res.Write(io.Discard, model.Format{}) })
		})
	}
}

// loop runs f b.N times and reports its CPU time per run beside the
// wall-clock time.
func loop(b *testing.B, f func() error) {
	b.ReportAllocs()
	c0 := CPUTime()
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	if c := CPUTime() - c0; c > 0 {
		b.ReportMetric(float64(c.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
