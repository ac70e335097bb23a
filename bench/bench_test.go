package bench

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/model/xmile"
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

// stageModels writes the models BenchmarkStages times into dir and
// returns their paths: the large model's .mdl and .toml, and the
// World3-class model's .mdl with the same model converted to TOML
// (decl.WriteTOML) and XMILE (xmile.Write), as "stockflow convert"
// writes them.
func stageModels(dir string) ([]string, error) {
	paths := []string{
		filepath.Join(root, "bench/large/testdata/large.mdl"),
		filepath.Join(root, "bench/large/testdata/large.toml"),
		filepath.Join(root, "bench/synth/testdata/world.mdl"),
	}
	world := paths[2]
	src, err := os.ReadFile(world)
	if err != nil {
		return nil, err
	}
	d, err := vensim.Parse(world, src)
	if err != nil {
		return nil, err
	}
	var toml, xml bytes.Buffer
	if err := decl.WriteTOML(&toml, d); err != nil {
		return nil, err
	}
	if _, err := xmile.Write(&xml, d); err != nil {
		return nil, err
	}
	for name, b := range map[string][]byte{"world.toml": toml.Bytes(), "world.xmile": xml.Bytes()} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o666); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	slices.Sort(paths[3:]) // the map's order varies
	return paths, nil
}

// readDecl reads a model file's declaration with the reader its
// extension chooses, as model.Load does.
func readDecl(path string, src []byte) (*decl.Model, error) {
	switch filepath.Ext(path) {
	case ".mdl":
		return vensim.Parse(path, src)
	case ".xmile":
		return xmile.Parse(path, src)
	}
	return decl.ParseTOML(path, src)
}

// TestStageModels checks that the models BenchmarkStages times load, and
// that each conversion of the World3-class model runs to the same
// numbers as its .mdl.
func TestStageModels(t *testing.T) {
	paths, err := stageModels(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var want *model.Result
	for _, path := range paths {
		if strings.Contains(path, "large") {
			if testing.Short() {
				continue
			}
			if _, err := model.Load(path); err != nil {
				t.Error(err)
			}
			continue
		}
		m, err := model.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Run(context.Background(), model.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = res
			continue
		}
		for _, name := range want.Names {
			got, w := res.Series(name), want.Series(name)
			if len(got) != len(w) {
				t.Fatalf("%s: %s has %d values, the .mdl's %d", path, name, len(got), len(w))
			}
			for i := range got {
				if got[i] != w[i] {
					t.Fatalf("%s: %s[%d] = %v, the .mdl's %v", path, name, i, got[i], w[i])
				}
			}
		}
	}
}

// BenchmarkStages times what "stockflow run MODEL" does, stage by stage
// (what "stockflow run --timings" prints for one run), on the large
// model's .mdl and .toml and the World3-class model as .mdl, .toml and
// .xmile:
//
//   - parse: the reader, from the file's bytes to a declaration;
//   - expand: decl.Expand, arrays to one variable per element;
//   - load: model.LoadWith, reading the file to a compiled model, with
//     each of its stages (model.Timings) reported as a metric per run:
//     read-ns, parse-ns, expand-ns, check-ns and compile-ns;
//   - run: a run recording every variable;
//   - write: that run's CSV.
//
// Whole-process latency is the load, run and write plus the process's
// start.
//
//	go test -run '^$' -bench Stages -benchmem ./bench/
func BenchmarkStages(b *testing.B) {
	paths, err := stageModels(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		name := strings.ReplaceAll(filepath.Base(path), ".", "_")
		d, err := readDecl(path, src)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/parse", func(b *testing.B) {
			loop(b, func() error {
				_, err := readDecl(path, src)
				return err
			})
		})
		b.Run(name+"/expand", func(b *testing.B) {
			loop(b, func() error {
				_, err := decl.Expand(d)
				return err
			})
		})
		b.Run(name+"/load", func(b *testing.B) {
			var sum model.Timings
			loop(b, func() error {
				var t model.Timings
				_, err := model.LoadWith(path, model.LoadOptions{Timings: &t})
				sum.Read += t.Read
				sum.Parse += t.Parse
				sum.Expand += t.Expand
				sum.Check += t.Check
				sum.Compile += t.Compile
				return err
			})
			for _, s := range []struct {
				unit string
				d    time.Duration
			}{{"read-ns", sum.Read}, {"parse-ns", sum.Parse}, {"expand-ns", sum.Expand}, {"check-ns", sum.Check}, {"compile-ns", sum.Compile}} {
				b.ReportMetric(float64(s.d.Nanoseconds())/float64(b.N), s.unit+"/op")
			}
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
