package loops

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// TestLinkSign checks the structural sign of the link x → z for
// equations of z.
func TestLinkSign(t *testing.T) {
	tests := []struct {
		eq   string
		want int
	}{
		{"x", 1},
		{"-x", -1},
		{"2 * x + y", 1},
		{"y - x", -1},
		{"x / k", 1},    // k > 0
		{"k / x", -1},   // x ≥ 0 (a stock starting at 1)
		{"x / neg", -1}, // neg < 0
		{"x * y", 0},    // y's sign is unknown
		{"x * k * (1 - x / k)", 0},
		{"exp(x)", 1},
		{"ln(x) + sqrt(x)", 1},
		{"exp(-x)", -1},
		{"x ^ 2", 1}, // x ≥ 0
		{"y ^ 2 + x", 1},
		{"max(x, y)", 1},
		{"min(-x, k)", -1},
		{"up(x)", 1},
		{"down(x)", -1},
		{"hump(x)", 0},
		{"lookup(up, x)", 1},
		{"smth1(x, 3)", 1},
		{"delay3(-x, 3)", -1},
		{"smth1(k, x)", 0}, // the averaging time
		{"if y > 0 then x else 2 * x", 1},
		{"if x > 0 then 1 else 0", 0},
		{"x > k", 1},
		{"sin(x)", 0},
		{"abs(x)", 1},
		{"zidz(x, k)", 1},
		{"step(x, 5)", 1},
	}
	for _, tt := range tests {
		src := fmt.Sprintf(`
[params]
k = 2
neg = -1
[stocks.x]
initial = 1
inflows = ["z"]
[aux.y]
eq = "sin(time)"
[flows.z]
eq = %q
[lookups.up]
points = [[0, 0], [1, 2], [2, 2]]
[lookups.down]
points = [[0, 1], [1, 0]]
[lookups.hump]
points = [[0, 0], [1, 1], [2, 0]]
`, tt.eq)
		g := NewGraph(mustParse(t, src))
		e, ok := g.Edge("x", "z")
		if !ok {
			t.Errorf("%s: no link x → z in %v", tt.eq, g.Edges)
			continue
		}
		if e.Sign != tt.want {
			t.Errorf("%s: sign %d, want %d", tt.eq, e.Sign, tt.want)
		}
	}
}

// denseModel returns a model of n stocks, each with an outflow that
// depends on every stock: every subset of stocks, in every cyclic order,
// is a loop.
func denseModel(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[stocks.s%d]\ninitial = %d\noutflows = [\"f%d\"]\n", i, i+1, i)
		var terms []string
		for j := range n {
			terms = append(terms, fmt.Sprintf("0.01 * s%d", j))
		}
		fmt.Fprintf(&b, "[flows.f%d]\neq = %q\n", i, strings.Join(terms, " + "))
	}
	return b.String()
}

// cyclesInComplete returns the number of loops of denseModel(n) with at
// most maxStocks stocks: C(n,k)·(k-1)! for each size k.
func cyclesInComplete(n, maxStocks int) int {
	total := 0
	for k := 1; k <= maxStocks; k++ {
		c := 1
		for i := range k {
			c = c * (n - i) / (i + 1)
		}
		f := 1
		for i := 2; i < k; i++ {
			f *= i
		}
		total += c * f
	}
	return total
}

func TestEnumerationBounds(t *testing.T) {
	g := NewGraph(mustParse(t, denseModel(5)))
	all := Find(g, Options{})
	if want := cyclesInComplete(5, 5); len(all.Loops) != want || all.Truncated {
		t.Fatalf("%d loops, truncated %v; want %d, complete", len(all.Loops), all.Truncated, want)
	}
	for k, l := range all.Loops {
		if l.Label != fmt.Sprintf("L%d", k+1) || l.ID != LoopID(l.Vars) || l.Vars[0] != "s"+strings.TrimPrefix(l.Vars[0], "s") || !strings.HasPrefix(l.Vars[0], "s") {
			t.Fatalf("loop %d: %v", k, l)
		}
		if k > 0 && l.Len() < all.Loops[k-1].Len() {
			t.Fatalf("loops not sorted by length: %v after %v", l, all.Loops[k-1])
		}
	}
	// The same list, in the same order, every time.
	again := Find(NewGraph(mustParse(t, denseModel(5))), Options{})
	for k := range all.Loops {
		if !slices.Equal(all.Loops[k].Vars, again.Loops[k].Vars) {
			t.Fatalf("L%d is %v, then %v", k+1, all.Loops[k].Vars, again.Loops[k].Vars)
		}
	}
	// A length bound of 4 variables keeps the loops of up to 2 stocks.
	short := Find(g, Options{MaxLength: 4})
	if want := cyclesInComplete(5, 2); len(short.Loops) != want || !short.Truncated {
		t.Errorf("max length 4: %d loops, truncated %v; want %d, truncated", len(short.Loops), short.Truncated, want)
	}
	// A length bound above the longest loop cuts nothing.
	if l := Find(g, Options{MaxLength: 10}); len(l.Loops) != len(all.Loops) || l.Truncated {
		t.Errorf("max length 10: %d loops, truncated %v; want %d, complete", len(l.Loops), l.Truncated, len(all.Loops))
	}
	few := Find(g, Options{MaxLoops: 7})
	if len(few.Loops) != 7 || !few.Truncated {
		t.Errorf("max loops 7: %d loops, truncated %v", len(few.Loops), few.Truncated)
	}
	if l := Find(g, Options{MaxLoops: -1}); len(l.Loops) != len(all.Loops) {
		t.Errorf("no bound: %d loops, want %d", len(l.Loops), len(all.Loops))
	}
	// Each loop keeps its ID whatever the bounds, and no two share one.
	ids := map[string][]string{}
	for _, l := range all.Loops {
		if other, ok := ids[l.ID]; ok {
			t.Fatalf("%v and %v share the ID %s", other, l.Vars, l.ID)
		}
		ids[l.ID] = l.Vars
	}
	for _, cut := range []*List{short, few} {
		for _, l := range cut.Loops {
			if !slices.Equal(ids[l.ID], l.Vars) {
				t.Errorf("%s (%s) is %v when the list is cut short, %v when it is not", l.ID, l.Label, l.Vars, ids[l.ID])
			}
		}
	}
}

// TestLoopID: a loop's ID depends on its cycle, not on the variable it
// is read from; the same variables in another order are another loop.
func TestLoopID(t *testing.T) {
	a := LoopID([]string{"population", "crowding", "births"})
	if len(a) != 12 {
		t.Errorf("ID %q, want 12 hexadecimal digits", a)
	}
	for _, rot := range [][]string{{"crowding", "births", "population"}, {"births", "population", "crowding"}} {
		if b := LoopID(rot); b != a {
			t.Errorf("%v: ID %s, want %s as for its rotation", rot, b, a)
		}
	}
	if b := LoopID([]string{"population", "births", "crowding"}); b == a {
		t.Errorf("the reverse cycle has the same ID %s", a)
	}
	if b := LoopID([]string{"population", "births"}); b == a {
		t.Errorf("a shorter loop has the same ID %s", a)
	}
}

// TestDiscovery: with the list cut short, the strongest-path search finds
// the loops that matter among those not listed.
func TestDiscovery(t *testing.T) {
	m := mustParse(t, denseModel(4)+"[sim]\nstop = 5\ndt = 0.25\n")
	res, err := m.Run(context.Background(), model.RunOptions{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	l := Find(NewGraph(m), Options{MaxLength: 2})
	d, err := Analyze(l, res.Trace(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var found int
	for k, lp := range d.Loops {
		if lp.Label != fmt.Sprintf("L%d", k+1) || lp.ID != LoopID(lp.Vars) {
			t.Errorf("loop %d has label %s, ID %s", k, lp.Label, lp.ID)
		}
		if lp.Discovered {
			found++
			if lp.Len() <= 2 {
				t.Errorf("discovered %v, which the list has", lp)
			}
		}
	}
	if len(l.Loops) != 4 || found == 0 {
		t.Errorf("listed %d, discovered %d; want 4 listed and some discovered", len(l.Loops), found)
	}
	for i := 2; i < len(d.Times); i++ {
		sum := 0.0
		for k := range d.Loops {
			sum += math.Abs(d.Relative[k][i])
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("relative scores at %g sum to %g", d.Times[i], sum)
		}
	}
}

// TestCollapsedBuiltin: a smooth is one link from its input to its
// caller, scoring the product of the scores along its hidden chain.
func TestCollapsedBuiltin(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 30
dt = 0.25
[params]
goal = 100
[stocks.level]
initial = 0
inflows = ["adjust"]
[flows.adjust]
eq = "(goal - perceived) / 4"
[aux.perceived]
eq = "smth1(level, 3)"
`)
	g := NewGraph(m)
	e, ok := g.Edge("level", "perceived")
	if !ok || e.Sign != 1 || !slices.Equal(e.Via, []string{"smooth1"}) {
		t.Fatalf("level → perceived = %+v, %v; want sign +1 via smooth1", e, ok)
	}
	for _, nd := range g.Nodes {
		if strings.HasPrefix(nd.Name, "$") {
			t.Errorf("hidden node %s in the graph", nd.Name)
		}
	}
	l := Find(g, Options{})
	if len(l.Loops) != 1 || l.Loops[0].Polarity != Balancing || l.Loops[0].Len() != 3 {
		t.Fatalf("loops %v, want one balancing loop of 3", l.Loops)
	}
	res, err := m.Run(context.Background(), model.RunOptions{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Trace()
	// The hidden chain: level → rate → smooth stock → perceived.
	path := g.paths[g.edgeIndex("level", "perceived")][0]
	if len(path) != 3 {
		t.Fatalf("hidden path %v, want 3 links", path)
	}
	for _, method := range []ScoreMethod{Discrete, Continuous} {
		ls, err := ScoreLinks(l, tr, method)
		if err != nil {
			t.Fatal(err)
		}
		expand := scoreExpanded
		if method == Continuous {
			expand = scoreContinuous
		}
		ex, err := expand(g, tr, []bool{true, true, true, true, true, true})
		if err != nil {
			t.Fatal(err)
		}
		got := ls.Score("level", "perceived")
		nonzero := 0
		for i := ls.first; i < tr.Len(); i++ {
			want := 1.0
			for _, e := range path {
				want *= ex[[2]string{e.From, e.To}][i]
			}
			if got[i] != want {
				t.Fatalf("%s score at %d = %g, want the product %g", method, i, got[i], want)
			}
			if got[i] != 0 {
				nonzero++
			}
		}
		if nonzero == 0 {
			t.Errorf("%s scores of level → perceived are all 0", method)
		}
		if ls.Score("goal", "adjust") != nil {
			t.Error("a link outside every loop has scores")
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		loops string
		want  []string
	}{
		{`path = ["births", "population"]
polarity = "R"`, nil},
		{`path = ["population", "crowding", "births"]
polarity = "R"`, []string{`test.toml:17:1: loops[1]: loop "x" is balancing, not reinforcing as declared: its one negative link is crowding → births`}},
		{`path = ["population", "births"]
polarity = "B"`, []string{`test.toml:17:1: loops[1]: loop "x" was reinforcing throughout a run, not balancing as declared`}},
		{`path = ["population", "crowding"]
polarity = "B"`, []string{`test.toml:17:1: loops[1]: the model has no loop population → crowding → population: no link crowding → population (crowding is not a flow of the stock population)`}},
	}
	base := logisticCrowding[:strings.Index(logisticCrowding, "[[loops]]")]
	if n := strings.Count(base, "\n"); n != 16 {
		t.Fatalf("the base model has %d lines; the positions below assume 16", n)
	}
	for _, tt := range tests {
		m := mustParse(t, base+"[[loops]]\nname = \"x\"\n"+tt.loops+"\n")
		var got []string
		for _, e := range Check(context.Background(), m) {
			got = append(got, e.Error())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.loops, got, tt.want)
		}
	}
}
