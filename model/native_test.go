package model

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestLoadNativeRefusesStaleCode(t *testing.T) {
	noop := func([]float64, *Kernel) {}
	_, err := LoadNative("m.toml", []byte(logistic), Native{Layout: "0", Init: noop, Flow: noop})
	if err == nil || !strings.Contains(err.Error(), "run stockflow gen again") {
		t.Errorf("got %v, want a stale-code error", err)
	}
}

// TestGenerateGo checks what GenerateGo refuses, and that what it writes
// is formatted Go declaring Load and the five functions Load hands to
// LoadNative, with the model's layout. That the code computes what the
// interpreter does is checked where it is built and run: examples/gen,
// bench/large/native and internal/gencheck.
func TestGenerateGo(t *testing.T) {
	m := mustParse(t, logistic)
	var b bytes.Buffer
	if err := m.GenerateGo(&b, "type", "m.toml", []byte(logistic)); err == nil {
		t.Error("a keyword was accepted as a package name")
	}
	if err := m.GenerateGo(&b, "logi", "m.toml", []byte(decay)); err == nil {
		t.Error("a source that is not the model's was accepted")
	}
	b.Reset()
	if err := m.GenerateGo(&b, "logi", "m.toml", []byte(logistic)); err != nil {
		t.Fatal(err)
	}
	if src, err := format.Source(b.Bytes()); err != nil || !bytes.Equal(src, b.Bytes()) {
		t.Errorf("the generated code is not gofmt'd Go (%v)", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "model.go", b.Bytes(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name.Name != "logi" {
		t.Errorf("package %s, want logi", f.Name.Name)
	}
	var funcs []string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			funcs = append(funcs, fd.Name.Name)
		}
	}
	if got, want := strings.Join(funcs, " "), "Load initCode flowCode ratesCode restCode derivs"; got != want {
		t.Errorf("functions %s, want %s", got, want)
	}
	var layout string
	ast.Inspect(f, func(n ast.Node) bool {
		if kv, ok := n.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Layout" {
				layout, _ = strconv.Unquote(kv.Value.(*ast.BasicLit).Value)
			}
		}
		return true
	})
	if layout != m.prog.Layout() {
		t.Errorf("Layout %q, want the model's %q", layout, m.prog.Layout())
	}
}

// TestGenerateGoChunks checks that GenerateGo writes a long function as
// chunks that it calls in turn, none of them long, and that a value read
// later in its function is read from a local, not from its slot.
func TestGenerateGoChunks(t *testing.T) {
	var src strings.Builder
	src.WriteString("[sim]\nstop = 1\ndt = 0.5\n[stocks.s]\ninitial = 1\ninflows = [\"f\"]\n[flows.f]\neq = \"a0 / 1000\"\n[aux.a0]\neq = \"s * 2\"\n")
	const n = 5000
	for i := 1; i < n; i++ {
		fmt.Fprintf(&src, "[aux.a%d]\neq = \"a%d * 1.5 - s\"\n", i, i-1)
	}
	m := mustParse(t, src.String())
	var b bytes.Buffer
	if err := m.GenerateGo(&b, "long", "m.toml", []byte(src.String())); err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "model.go", b.Bytes(), 0)
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string][]string{}
	longest := 0
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		longest = max(longest, len(fd.Body.List))
		for _, st := range fd.Body.List {
			if es, ok := st.(*ast.ExprStmt); ok {
				if c, ok := es.X.(*ast.CallExpr); ok {
					if id, ok := c.Fun.(*ast.Ident); ok {
						calls[fd.Name.Name] = append(calls[fd.Name.Name], id.Name)
					}
				}
			}
		}
	}
	// The aux are not needed for the rates beyond a0: they are the rest.
	if got := strings.Join(calls["restCode"], " "); got != "restCode1 restCode2" {
		t.Errorf("restCode calls %q, want restCode1 restCode2", got)
	}
	// Each aux is an instruction or two, and two statements (the local and
	// the slot); a chunk holds about 4,000 instructions.
	if longest > 2*4000+10 {
		t.Errorf("the longest function has %d statements", longest)
	}
	// a1 = a0 * 1.5 - s, a2 = a1 * 1.5 - s, ...: each aux after the first
	// of a chunk reads the one before from its local.
	if got := len(regexp.MustCompile(`(?m)^\tl\d+ = float64\(l\d+\*v\[\d+\]\) - v\[\d+\]$`).FindAll(b.Bytes(), -1)); got < n-10 {
		t.Errorf("%d aux read the aux before them from a local, want about %d", got, n)
	}
}

// TestGenerateGoInlinesDataFiles checks that a model whose data variable
// reads a file beside it is embedded with the points inline: the generated
// package's Source loads from a directory without the file (the test runs
// in model/, where examples/fit/observed.csv is not), to the same layout.
func TestGenerateGoInlinesDataFiles(t *testing.T) {
	const path = "../examples/fit/logistic.toml"
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var code bytes.Buffer
	if err := m.GenerateGo(&code, "fit", path, src); err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "model.go", code.Bytes(), 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Values) == 1 {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				consts[vs.Names[0].Name], _ = strconv.Unquote(lit.Value)
			}
		}
		return true
	})
	if consts["Filename"] != "logistic.toml" {
		t.Errorf("Filename = %q, want logistic.toml", consts["Filename"])
	}
	if strings.Contains(consts["Source"], `file = "observed.csv"`) {
		t.Errorf("the embedded source still names the data file:\n%s", consts["Source"])
	}
	again, err := Parse(consts["Filename"], []byte(consts["Source"]))
	if err != nil {
		t.Fatalf("the embedded source does not load away from its data file: %v", err)
	}
	if again.prog.Layout() != m.prog.Layout() {
		t.Errorf("the embedded source compiles to layout %s, the model to %s", again.prog.Layout(), m.prog.Layout())
	}
	var want, got []float64
	for _, v := range m.Source.Vars {
		if v.Name == "observed_population" {
			want = flat(v.Points)
		}
	}
	for _, v := range again.Source.Vars {
		if v.Name == "observed_population" {
			got = flat(v.Points)
		}
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("inline points %v, want the file's %v", got, want)
	}
}

func flat(ps [][2]float64) []float64 {
	var xs []float64
	for _, p := range ps {
		xs = append(xs, p[0], p[1])
	}
	return xs
}

// TestGenerateGoTemps checks that generated code keeps temporaries in
// locals: it writes a temporary's slot only where code later in the same
// function reads the slot (in the next chunk), and never reads a
// temporary's slot that its function (its chunks before) did not write. Each aux here is
// three instructions, the first two into temporaries, so that chunk ends
// fall between an aux's instructions.
func TestGenerateGoTemps(t *testing.T) {
	var src strings.Builder
	src.WriteString("[sim]\nstop = 1\ndt = 0.5\n[stocks.s]\ninitial = 1\ninflows = [\"f\"]\n[flows.f]\neq = \"a0 / 1000\"\n[aux.a0]\neq = \"effect(s) * 2\"\n")
	src.WriteString("[lookups.effect]\npoints = [[0, 1], [1, 2], [2, 2.5], [3, 2.6], [4, 2.6]]\n")
	const n = 3000
	for i := 1; i < n; i++ {
		fmt.Fprintf(&src, "[aux.a%d]\neq = \"exp(a%d * 0.5) * sqrt(s + %d)\"\n", i, i-1, i)
	}
	m := mustParse(t, src.String())
	var b bytes.Buffer
	if err := m.GenerateGo(&b, "temps", "m.toml", []byte(src.String())); err != nil {
		t.Fatal(err)
	}
	p := m.prog
	if p.DyLo-p.TempLo < 1 {
		t.Fatal("the model has no temporaries")
	}
	slot := regexp.MustCompile(`v\[(\d+)\]`)
	stores, reads, funcs := 0, 0, 0
	var stored map[int]bool
	fn := ""
	for _, line := range strings.Split(b.String(), "\n") {
		if name, ok := strings.CutPrefix(line, "func "); ok {
			// The chunks of a function, name1, name2, ..., are one.
			name, _, _ = strings.Cut(name, "(")
			if name = strings.TrimRight(name, "0123456789"); name != fn {
				fn, stored = name, map[int]bool{}
				funcs++
			}
			continue
		}
		lhs, rhs, assign := strings.Cut(line, " = ")
		if !assign {
			rhs = line
		}
		for _, sm := range slot.FindAllStringSubmatch(rhs, -1) {
			s, _ := strconv.Atoi(sm[1])
			if s >= int(p.TempLo) && s < int(p.DyLo) {
				reads++
				if !stored[s] {
					t.Errorf("%q reads temporary slot %d, which its function did not write", strings.TrimSpace(line), s)
				}
			}
		}
		if sm := slot.FindStringSubmatch(lhs); assign && sm != nil && strings.TrimSpace(lhs) == sm[0] {
			if s, _ := strconv.Atoi(sm[1]); s >= int(p.TempLo) && s < int(p.DyLo) {
				stored[s] = true
				stores++
			}
		}
	}
	// Two temporaries an aux, 6,000 in all; the slot is written only
	// where a chunk ends between an aux's instructions, a few times.
	if stores == 0 || stores > 20 || reads == 0 {
		t.Errorf("%d writes of temporaries' slots and %d reads of them, want a few of each (chunk ends) in %d functions", stores, reads, funcs)
	}
	// The lookup of five points tries its last segment, then searches:
	// in the init code, the flow code, and the rates' or the rest's; each
	// of those functions takes the segments once.
	if got := strings.Count(b.String(), "if ls, lx := &sg[0], "); got != 3 {
		t.Errorf("the lookup tries its last segment %d times, want 3 (init, flow, and rates or rest)", got)
	}
	if got := strings.Count(b.String(), "sg := k.Segments()[:1:1]\n"); got != 3 {
		t.Errorf("the functions take the segments (Kernel.Segments) %d times, want 3", got)
	}
}

// TestGenerateGoFusesIf checks that an if whose condition is a comparison
// nothing else reads tests the comparison itself, with no 0-or-1 value
// in between, and that a comparison read twice is still computed.
func TestGenerateGoFusesIf(t *testing.T) {
	const src = `
[sim]
stop = 2
dt = 1

[stocks.s]
initial = 1
inflows = ["f"]

[flows.f]
eq = "if time >= 1 then s else 2 * s"

[aux.g]
eq = "(time > 1) + (if time > 1 then 1 else 3)"
`
	m := mustParse(t, src)
	var b bytes.Buffer
	if err := m.GenerateGo(&b, "fused", "m.toml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	code := b.String()
	if !regexp.MustCompile(`(?m)^\tif v\[0\] >= v\[\d+\] \{$`).MatchString(code) {
		t.Errorf("the if of f does not test time >= 1 itself:\n%s", code)
	}
	if !strings.Contains(code, "model.Bool(") {
		t.Errorf("g's comparison, which it adds, is not computed:\n%s", code)
	}
}
