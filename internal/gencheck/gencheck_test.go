package gencheck

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stockflow/stockflow/model"
)

// suite is where the SDXorg test-models are vendored; own holds models
// of this package's own, whose final values are checked exactly; repoRoot
// is the module the temporary module replaces stockflow with.
const (
	suite    = "../../testdata/test-models"
	own      = "testdata"
	repoRoot = "../.."
)

// wantFinal holds, for a model in own, the value each variable must have
// at the final time in both the generated and the interpreted run, bit
// for bit (any NaN matches NaN).
var wantFinal = map[string]map[string]float64{
	"special_values.toml": {
		"neginf":           math.Inf(-1),
		"nan":              math.NaN(),
		"posinf":           math.Inf(1),
		"poszero":          0,
		"negzero":          math.Copysign(0, -1),
		"neg_over_negzero": math.Inf(-1),
		"pos_over_poszero": math.Inf(1),
	},
	"variable_delays.toml": {
		"material":    8, // the input of step 7, delayed 5 steps
		"information": 8,
	},
	"lookup_tables.toml": {
		"x":         3,
		"bumpy_x":   3,
		"negzero_x": 1,
		"bumpy_nan": math.NaN(),
	},
}

// candidate is one model file that loads and runs.
type candidate struct {
	rel, pkg string
	methods  []string
	want     map[string]float64 // final values, from wantFinal
}

// TestGeneratedMatchesInterpreterOnConformanceModels generates Go for
// every model file of the conformance suite that loads and runs, and for
// the models in testdata, builds all of it as one program in a temporary
// module and has that program run each model natively and interpreted,
// under euler and rk4 (and rk45 when the model has no discrete or random
// state), comparing every series at every save point to 1e-12 relative
// (max(1,|x|)), zeros by their sign too. The models in testdata must also
// end at the values wantFinal gives, bit for bit, in both runs. Euler
// runs once more recording a single variable, so that the generated
// rates-only code is exercised too.
func TestGeneratedMatchesInterpreterOnConformanceModels(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program of the generated packages of the whole suite")
	}
	// go test puts the go command that runs it first on PATH.
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	suiteDir := filepath.Clean(suite)
	var files []string
	err = filepath.WalkDir(suiteDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".xmile", ".stmx", ".mdl":
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	nSuite := len(files)
	for rel := range wantFinal {
		files = append(files, filepath.Join(own, rel))
	}
	sort.Strings(files[nSuite:])

	dir := t.TempDir()
	var cands []candidate
	var skipped []string
	for k, path := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(path, suiteDir+string(filepath.Separator)))
		if k >= nSuite {
			rel = filepath.ToSlash(strings.TrimPrefix(path, own+string(filepath.Separator)))
		}
		c, why := prepare(path, rel, fmt.Sprintf("m%03d", len(cands)), dir)
		if why != "" {
			if k >= nSuite {
				t.Errorf("%s: %s", path, why)
			}
			skipped = append(skipped, rel+": "+why)
			continue
		}
		if k >= nSuite {
			c.rel = "own/" + rel
			c.want = wantFinal[rel]
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		t.Fatal("no model of the suite loads and runs")
	}
	if err := writeMain(dir, root, cands); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	cmd := exec.Command(goCmd, "run", ".")
	cmd.Dir = dir
	// The dependencies come from the module cache, as pinned by the
	// repository's go.mod and go.sum; -mod=mod lets go fill in the
	// temporary module's requirements from them.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	t.Logf("built and ran %d generated models in %v", len(cands), time.Since(start).Round(time.Millisecond))

	checked := map[string]string{}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if rel, methods, ok := strings.Cut(line, "\tok\t"); ok {
			checked[rel] = methods
		} else if line != "" {
			t.Error(line)
		}
	}
	if runErr != nil {
		t.Fatalf("go run: %v\n%s", runErr, stderr.String())
	}
	for _, c := range cands {
		if m, ok := checked[c.rel]; ok {
			t.Logf("%s: %s agree", c.rel, m)
		} else {
			t.Errorf("%s: not checked", c.rel)
		}
	}
	t.Logf("%d of %d model files checked; skipped, as they do not load or run:", len(cands), len(files))
	for _, s := range skipped {
		t.Logf("  %s", s)
	}
}

// maxGenerated bounds the generated source put into the one program:
// the step function is straight-line code, and the Go compiler's memory
// grows faster than linearly with a function's length (the suite's
// vector_select model, whose run-time action expands into every case,
// generated 16 MB in one function and took 4.5 GB to compile). The
// generator now writes long functions as chunks of about 4,000
// instructions, but building that much Go is still more than this test
// should do; such models are listed as skipped.
const maxGenerated = 4 << 20

// prepare loads and runs one model file in the test's own process, and,
// when it runs under every method the program will use, writes its
// generated package to dir/pkg. why says why it is skipped.
func prepare(path, rel, pkg, dir string) (c candidate, why string) {
	src, err := os.ReadFile(path)
	if err != nil {
		return c, err.Error()
	}
	// The generated package parses its source under the file's base name.
	m, err := model.Parse(filepath.Base(path), src)
	if err != nil {
		return c, firstLine(err.Error())
	}
	c = candidate{rel: rel, pkg: pkg, methods: []string{"euler", "rk4"}}
	discrete := false
	for _, n := range m.Graph().Nodes {
		if n.Kind == model.NodeDiscrete || n.Kind == model.NodeRandom {
			discrete = true
		}
	}
	if !discrete {
		c.methods = append(c.methods, "rk45")
	}
	for _, method := range c.methods {
		if _, err := m.Run(context.Background(), model.RunOptions{Method: method, All: true}); err != nil {
			return c, method + ": " + firstLine(err.Error())
		}
	}
	var code bytes.Buffer
	if err := m.GenerateGo(&code, pkg, filepath.Base(path), src); err != nil {
		return c, "gen: " + firstLine(err.Error())
	}
	if code.Len() > maxGenerated {
		return c, fmt.Sprintf("gen: %.1f MB of generated Go; the Go compiler needs several GB for a function that long", float64(code.Len())/1e6)
	}
	if err := os.MkdirAll(filepath.Join(dir, pkg), 0o755); err != nil {
		return c, err.Error()
	}
	if err := os.WriteFile(filepath.Join(dir, pkg, "model.go"), code.Bytes(), 0o644); err != nil {
		return c, err.Error()
	}
	return c, ""
}

// writeMain writes the temporary module: go.mod, replacing stockflow by
// the repository, and main.go, which runs every model both ways and
// prints "REL\tok\tMETHODS" for each one that agrees and a line naming
// the first difference for each one that does not.
func writeMain(dir, root string, cands []candidate) error {
	mod := fmt.Sprintf("module gencheck\n\ngo 1.25\n\nrequire github.com/stockflow/stockflow v0.0.0\n\nreplace github.com/stockflow/stockflow => %s\n", root)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n\t\"os\"\n\n")
	for _, c := range cands {
		fmt.Fprintf(&b, "\t%s \"gencheck/%s\"\n", c.pkg, c.pkg)
	}
	b.WriteString(")\n\nvar models = []generated{\n")
	for _, c := range cands {
		fmt.Fprintf(&b, "\t{%q, %s.Filename, %s.Source, %s.Load, %#v, %s},\n", c.rel, c.pkg, c.pkg, c.pkg, c.methods, bitsLiteral(c.want))
	}
	b.WriteString("}\n\nfunc main() {\n\tif !check(models) {\n\t\tos.Exit(1)\n\t}\n}\n")
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "check.go"), []byte(checkGo), 0o644)
}

// checkGo is the comparison the program makes.
const checkGo = `package main

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/stockflow/stockflow/model"
)

type generated struct {
	rel, filename, source string
	load                  func() (*model.Model, error)
	methods               []string
	want                  map[string]uint64 // final values' bits
}

func check(models []generated) bool {
	ok := true
	for _, g := range models {
		if err := compare(g); err != nil {
			fmt.Printf("%s: %v\n", g.rel, err)
			ok = false
			continue
		}
		fmt.Printf("%s\tok\t%s\n", g.rel, strings.Join(g.methods, ", "))
	}
	return ok
}

func compare(g generated) error {
	nm, err := g.load()
	if err != nil {
		return err
	}
	if !nm.IsNative() {
		return fmt.Errorf("Load did not attach the generated code")
	}
	im, err := model.Parse(g.filename, []byte(g.source))
	if err != nil {
		return err
	}
	type run struct {
		name string
		opt  model.RunOptions
	}
	var runs []run
	for _, method := range g.methods {
		runs = append(runs, run{method, model.RunOptions{Method: method, All: true}})
	}
	if names := im.Names(); len(names) > 0 {
		// One output: the generated code computes only the rates at each
		// evaluation and the rest at save points.
		runs = append(runs, run{"euler, one output", model.RunOptions{Method: "euler", Vars: names[len(names)-1:]}})
	}
	for _, r := range runs {
		nr, err1 := nm.Run(context.Background(), r.opt)
		ir, err2 := im.Run(context.Background(), r.opt)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("%s: native: %v, interpreted: %v", r.name, err1, err2)
		}
		if len(nr.Times) != len(ir.Times) || len(nr.Names) != len(ir.Names) {
			return fmt.Errorf("%s: native %d series × %d times, interpreted %d × %d", r.name, len(nr.Names), len(nr.Times), len(ir.Names), len(ir.Times))
		}
		for i := range ir.Times {
			if nr.Times[i] != ir.Times[i] {
				return fmt.Errorf("%s: save point %d: native t=%.17g, interpreted t=%.17g", r.name, i, nr.Times[i], ir.Times[i])
			}
		}
		for _, name := range ir.Names {
			a, b := nr.Series(name), ir.Series(name)
			if len(a) != len(b) {
				return fmt.Errorf("%s: %s: native %d values, interpreted %d", r.name, name, len(a), len(b))
			}
			for i := range b {
				same := a[i] == b[i] && math.Signbit(a[i]) == math.Signbit(b[i]) || math.IsNaN(a[i]) && math.IsNaN(b[i])
				if !same && !(a[i] != b[i] && math.Abs(a[i]-b[i]) <= 1e-12*math.Max(1, math.Abs(b[i]))) {
					return fmt.Errorf("%s: %s(t=%g): native %.17g, interpreted %.17g", r.name, name, ir.Times[i], a[i], b[i])
				}
			}
		}
		for name, bits := range g.want {
			want := math.Float64frombits(bits)
			for _, res := range []struct {
				how string
				r   *model.Result
			}{{"native", nr}, {"interpreted", ir}} {
				s := res.r.Series(name)
				if len(s) == 0 {
					continue // not recorded in this run
				}
				got := s[len(s)-1]
				if math.Float64bits(got) != bits && !(math.IsNaN(got) && math.IsNaN(want)) {
					return fmt.Errorf("%s: %s %s at the end = %v (sign bit %v), want %v (sign bit %v)", r.name, res.how, name, got, math.Signbit(got), want, math.Signbit(want))
				}
			}
		}
	}
	return nil
}
`

// bitsLiteral writes want as a Go map of each value's bits, so that NaN,
// the infinities and -0 survive being printed.
func bitsLiteral(want map[string]float64) string {
	if want == nil {
		return "nil"
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("map[string]uint64{")
	for _, name := range names {
		fmt.Fprintf(&b, "%q: %#x, ", name, math.Float64bits(want[name]))
	}
	b.WriteString("}")
	return b.String()
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
