package plots

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// diagramExamples lists the bundled examples, by the name of their golden
// files.
var diagramExamples = map[string]string{
	"logistic":      "../examples/logistic/logistic.toml",
	"sir":           "../examples/sir/sir.toml",
	"bass":          "../examples/bass/bass.toml",
	"predator_prey": "../examples/predator-prey/predator_prey.toml",
	"corridor":      "../examples/middle-corridor/corridor.toml",
	"regions":       "../examples/arrays/regions.toml",
	"teacup":        "../examples/xmile/teacup.xmile",
	// Not an example: a model whose data variables feed its flows.
	"data": "testdata/data-links.toml",
}

func loadList(t testing.TB, path string) *loops.List {
	t.Helper()
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return loops.Find(loops.NewGraph(m), loops.Options{})
}

// TestDiagramGolden compares the DOT of each example's stock-and-flow
// diagram and causal-loop diagram with testdata/diagrams; go test
// -update rewrites them.
func TestDiagramGolden(t *testing.T) {
	for name, path := range diagramExamples {
		t.Run(name, func(t *testing.T) {
			l := loadList(t, path)
			sf, err := StockFlowDOT(l.Graph, DiagramOptions{})
			if err != nil {
				t.Fatal(err)
			}
			cld, err := LoopDOT(l, DiagramOptions{})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "diagrams", name+".dot"), sf)
			golden(t, filepath.Join("testdata", "diagrams", name+"-cld.dot"), cld)
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the DOT generated now (go test -update rewrites it):\n%s", path, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + a + "\nwant: " + b
		}
	}
	return ""
}

var (
	dotNode = regexp.MustCompile(`^\t("(?:[^"\\]|\\.)*") \[(.*)\];$`)
	dotEdge = regexp.MustCompile(`^\t("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*") \[(.*)\];$`)
	dotAttr = regexp.MustCompile(`(\w+)=("(?:[^"\\]|\\.)*"|[^,]+)`)
)

type dotGraph struct {
	nodes map[string]map[string]string // name → attributes
	edges []dotEdgeLine
}

type dotEdgeLine struct {
	from, to string
	attrs    map[string]string
}

// parseDOT reads back the DOT that StockFlowDOT and LoopDOT write: one
// node or edge statement per line.
func parseDOT(t *testing.T, src []byte) dotGraph {
	t.Helper()
	g := dotGraph{nodes: map[string]map[string]string{}}
	unq := func(s string) string {
		if strings.HasPrefix(s, `"`) {
			s = strings.TrimSuffix(strings.TrimPrefix(s, `"`), `"`)
			s = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(s)
		}
		return s
	}
	attrs := func(s string) map[string]string {
		m := map[string]string{}
		for _, a := range dotAttr.FindAllStringSubmatch(s, -1) {
			m[a[1]] = unq(strings.TrimSpace(a[2]))
		}
		return m
	}
	for _, line := range strings.Split(string(src), "\n") {
		if m := dotEdge.FindStringSubmatch(line); m != nil {
			g.edges = append(g.edges, dotEdgeLine{unq(m[1]), unq(m[2]), attrs(m[3])})
			continue
		}
		if m := dotNode.FindStringSubmatch(line); m != nil {
			name := unq(m[1])
			if _, dup := g.nodes[name]; dup {
				t.Errorf("node %q declared twice", name)
			}
			g.nodes[name] = attrs(m[2])
		}
	}
	return g
}

// TestDiagramComplete checks each example's diagrams against the causal
// graph: every stock, flow and aux (and param, unless hidden) is one node
// of the right shape, and every causal link is one edge, labelled with its
// polarity.
func TestDiagramComplete(t *testing.T) {
	shape := map[decl.Kind]string{decl.Stock: "box", decl.Flow: "hexagon", decl.Aux: "ellipse", decl.Param: "plaintext", decl.Data: "note"}
	for name, path := range diagramExamples {
		t.Run(name, func(t *testing.T) {
			l := loadList(t, path)
			g := l.Graph
			for _, hide := range []bool{false, true} {
				src, err := StockFlowDOT(g, DiagramOptions{HideParams: hide})
				if err != nil {
					t.Fatal(err)
				}
				dg := parseDOT(t, src)
				for _, n := range g.Nodes {
					a, ok := dg.nodes[n.Name]
					if hide && n.Kind == decl.Param {
						if ok {
							t.Errorf("params hidden: param %s is drawn", n.Name)
						}
						continue
					}
					if !ok {
						t.Errorf("%s %s is not drawn", n.Kind, n.Name)
						continue
					}
					if a["shape"] != shape[n.Kind] {
						t.Errorf("%s %s: shape %q, want %q", n.Kind, n.Name, a["shape"], shape[n.Kind])
					}
				}
				checkLinks(t, g, dg, func(e loops.Edge) bool {
					f, _ := g.Node(e.From)
					return !(hide && f.Kind == decl.Param)
				}, true)
			}

			src, err := LoopDOT(l, DiagramOptions{})
			if err != nil {
				t.Fatal(err)
			}
			dg := parseDOT(t, src)
			for _, n := range g.Nodes {
				a, ok := dg.nodes[n.Name]
				if ok != (n.Kind != decl.Param) {
					t.Errorf("causal-loop diagram: %s %s drawn: %v", n.Kind, n.Name, ok)
				}
				if ok && n.Kind == decl.Data && a["shape"] != "note" {
					t.Errorf("causal-loop diagram: data %s: shape %q, want note", n.Name, a["shape"])
				}
			}
			checkLinks(t, g, dg, func(e loops.Edge) bool {
				f, _ := g.Node(e.From)
				return f.Kind != decl.Param
			}, false)
			// One marker per named loop, R or B as its polarity.
			for _, lp := range l.Loops {
				if lp.Name == "" {
					continue
				}
				a, ok := dg.nodes["loop: "+lp.Name]
				if !ok {
					t.Errorf("no marker for loop %s", lp.Name)
					continue
				}
				want := map[loops.Polarity]string{loops.Reinforcing: "R", loops.Balancing: "B", loops.Undetermined: "?"}[lp.Polarity]
				if got, _, _ := strings.Cut(a["label"], `\n`); got != want {
					t.Errorf("loop %s marker %q, want %q", lp.Name, a["label"], want)
				}
			}
		})
	}
}

// checkLinks checks that every causal link that want selects is one edge
// of dg with the DOT id "FROM -> TO" and the link's polarity as label
// (pipes, which stand for flow-to-stock links, carry no label), and that
// no other edge claims to be a link.
func checkLinks(t *testing.T, g *loops.Graph, dg dotGraph, want func(loops.Edge) bool, pipes bool) {
	t.Helper()
	count := map[string]int{}
	label := map[string]string{}
	for _, e := range dg.edges {
		if id := e.attrs["id"]; id != "" {
			count[id]++
			label[id] = e.attrs["label"]
		}
	}
	wanted := map[string]bool{}
	for _, e := range g.Edges {
		if !want(e) {
			continue
		}
		id := e.From + " -> " + e.To
		wanted[id] = true
		if count[id] != 1 {
			t.Errorf("link %s drawn %d times, want once", id, count[id])
			continue
		}
		to, _ := g.Node(e.To)
		from, _ := g.Node(e.From)
		if pipes && from.Kind == decl.Flow && to.Kind == decl.Stock {
			continue // a pipe
		}
		if got := label[id]; got != signLabel(e.Sign) {
			t.Errorf("link %s labelled %q, want %q", id, got, signLabel(e.Sign))
		}
	}
	for id := range count {
		if !wanted[id] {
			t.Errorf("edge %s is not a causal link", id)
		}
	}
}

func TestDiagramFocus(t *testing.T) {
	l := loadList(t, diagramExamples["corridor"])
	g := l.Graph
	src, err := StockFlowDOT(g, DiagramOptions{Focus: "throughput", Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	dg := parseDOT(t, src)
	want := map[string]bool{"throughput": true}
	for _, e := range g.Edges {
		if e.From == "throughput" {
			want[e.To] = true
		}
		if e.To == "throughput" {
			want[e.From] = true
		}
	}
	// And the stocks at the ends of the flows' pipes.
	for _, v := range g.Model().Decl.Vars {
		if v.Kind == decl.Stock && slices.ContainsFunc(slices.Concat(v.Inflows, v.Outflows), func(f string) bool { return want[f] }) {
			want[v.Name] = true
		}
	}
	for _, n := range g.Nodes {
		if _, ok := dg.nodes[n.Name]; ok != want[n.Name] {
			t.Errorf("--focus throughput --depth 1: %s drawn: %v, want %v", n.Name, ok, want[n.Name])
		}
	}
	if _, err := StockFlowDOT(g, DiagramOptions{Focus: "nothing"}); err == nil || !strings.Contains(err.Error(), `"nothing"`) {
		t.Errorf("--focus nothing: error %v, want one naming it", err)
	}
}

func TestLoopDOTHighlight(t *testing.T) {
	l := loadList(t, diagramExamples["corridor"])
	var named []*loops.Loop
	for _, lp := range l.Loops {
		if lp.Name != "" {
			named = append(named, lp)
		}
	}
	if len(named) < 2 {
		t.Fatalf("the corridor names %d loops, want several", len(named))
	}
	hl := named[0]
	src, err := LoopDOT(l, DiagramOptions{Loops: []string{hl.Name}})
	if err != nil {
		t.Fatal(err)
	}
	dg := parseDOT(t, src)
	on := map[string]bool{}
	for k, v := range hl.Vars {
		on[v+" -> "+hl.Vars[(k+1)%len(hl.Vars)]] = true
	}
	for _, e := range dg.edges {
		id := e.attrs["id"]
		if id == "" {
			continue
		}
		if dim := e.attrs["color"] == dimColor; dim == on[id] {
			t.Errorf("--loop %s: link %s colour %s", hl.Name, id, e.attrs["color"])
		}
	}
	if a := dg.nodes["loop: "+named[1].Name]; a["color"] != dimColor {
		t.Errorf("--loop %s: marker of %s not dimmed: %v", hl.Name, named[1].Name, a)
	}
	if _, err := LoopDOT(l, DiagramOptions{Loops: []string{"no such loop"}}); err == nil {
		t.Error("--loop with an unknown name: no error")
	}
}

// TestLoopDOTLoopsOnly checks that --loops-only draws the variables of
// the chosen loops, or of every named loop, and nothing else: every node
// is a variable of one of them or the marker of a loop drawn whole, and
// every link of each chosen loop is there.
func TestLoopDOTLoopsOnly(t *testing.T) {
	l := loadList(t, diagramExamples["corridor"])
	var named []*loops.Loop
	for _, lp := range l.Loops {
		if lp.Name != "" {
			named = append(named, lp)
		}
	}
	for _, tc := range []struct {
		name  string
		loops []*loops.Loop
	}{
		{"named", named},
		{"three", named[:3]},
		{"one", named[len(named)-1:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := DiagramOptions{LoopsOnly: true}
			if tc.name != "named" {
				for _, lp := range tc.loops {
					opt.Loops = append(opt.Loops, lp.Name)
				}
			}
			src, err := LoopDOT(l, opt)
			if err != nil {
				t.Fatal(err)
			}
			dg := parseDOT(t, src)
			on := map[string]bool{}
			for _, lp := range tc.loops {
				for _, v := range lp.Vars {
					on[v] = true
				}
			}
			for n := range dg.nodes {
				if name, ok := strings.CutPrefix(n, "loop: "); ok {
					lp := l.Loop(name)
					if lp == nil || slices.ContainsFunc(lp.Vars, func(v string) bool { return !on[v] }) {
						t.Errorf("marker %q of a loop not drawn whole", n)
					}
					continue
				}
				if !on[n] {
					t.Errorf("%s drawn, on none of the loops", n)
				}
			}
			for v := range on {
				if _, ok := dg.nodes[v]; !ok {
					t.Errorf("%s, on a loop, not drawn", v)
				}
			}
			links := map[string]bool{}
			for _, e := range dg.edges {
				links[e.attrs["id"]] = true
			}
			for _, lp := range tc.loops {
				if _, ok := dg.nodes["loop: "+lp.Name]; !ok {
					t.Errorf("no marker for %s", lp.Name)
				}
				for k, v := range lp.Vars {
					if id := v + " -> " + lp.Vars[(k+1)%len(lp.Vars)]; !links[id] {
						t.Errorf("link %s of %s not drawn", id, lp.Name)
					}
				}
			}
		})
	}
	teacup := loadList(t, diagramExamples["teacup"])
	if slices.ContainsFunc(teacup.Loops, func(lp *loops.Loop) bool { return lp.Name != "" }) {
		t.Fatal("the teacup names a loop; the case of a model naming none needs another model")
	}
	if _, err := LoopDOT(teacup, DiagramOptions{LoopsOnly: true}); err == nil || !strings.Contains(err.Error(), "names none") {
		t.Errorf("--loops-only on a model naming no loops: error %v, want one saying it names none", err)
	}
}
