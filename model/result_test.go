package model

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestWriteNeverRoundsTime checks that --digits rounds the values but
// not the time column: save points a quarter apart near 2029 stay apart
// in every format.
func TestWriteNeverRoundsTime(t *testing.T) {
	m := mustParse(t, `
[sim]
start = 2028.5
stop = 2029.25
dt = 0.25
[aux.a]
eq = "1/3"
`)
	res := mustRun(t, m, RunOptions{})
	for _, c := range []struct{ kind, want string }{
		{"csv", "time,a\n2028.5,0.3333\n2028.75,0.3333\n2029,0.3333\n2029.25,0.3333\n"},
		{"tsv", "time\ta\n2028.5\t0.3333\n2028.75\t0.3333\n2029\t0.3333\n2029.25\t0.3333\n"},
		{"json", `{"time":[2028.5,2028.75,2029,2029.25],"series":{"a":[0.3333,0.3333,0.3333,0.3333]}}` + "\n"},
	} {
		var b strings.Builder
		if err := res.Write(&b, Format{Kind: c.kind, Digits: 4}); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != c.want {
			t.Errorf("%s with 4 digits:\ngot  %q\nwant %q", c.kind, got, c.want)
		}
	}
}

// TestWriteJSONSpecialValues checks that JSON tells NaN, +Inf and -Inf
// apart, as the strings "NaN", "Infinity" and "-Infinity", and that the
// output is valid JSON.
func TestWriteJSONSpecialValues(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 1
[aux.nan]
eq = "0/0"
[aux.pinf]
eq = "inf"
[aux.ninf]
eq = "-inf"
[aux.negzero]
eq = "-0"
`)
	res := mustRun(t, m, RunOptions{})
	var b strings.Builder
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	want := `{"time":[0,1],"series":{"nan":["NaN","NaN"],"pinf":["Infinity","Infinity"],"ninf":["-Infinity","-Infinity"],"negzero":[-0,-0]}}` + "\n"
	if got := b.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var v struct {
		Series map[string][]any
	}
	if err := json.Unmarshal([]byte(b.String()), &v); err != nil {
		t.Fatalf("not valid JSON: %v", err)
	}
	for name, want := range map[string]string{"nan": "NaN", "pinf": "Infinity", "ninf": "-Infinity"} {
		if got := v.Series[name][0]; got != want {
			t.Errorf("%s read back as %v, want %q", name, got, want)
		}
	}
	if got := v.Series["negzero"][0].(float64); !math.Signbit(got) {
		t.Errorf("negzero read back as %v, want -0", got)
	}
}

// TestRecordingAllocatesOnce checks that a run's allocations do not grow
// with the number of variables it records: every value goes into one
// buffer made at the start.
func TestRecordingAllocatesOnce(t *testing.T) {
	var src strings.Builder
	src.WriteString("[sim]\nstop = 10\ndt = 0.25\n[stocks.s]\ninitial = 1\ninflows = [\"f\"]\n[flows.f]\neq = \"a99 / 100\"\n[aux.a0]\neq = \"s\"\n")
	for i := 1; i < 100; i++ {
		fmt.Fprintf(&src, "[aux.a%d]\neq = \"a%d + 1\"\n", i, i-1)
	}
	m := mustParse(t, src.String())
	allocs := func(opt RunOptions) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := m.Run(context.Background(), opt); err != nil {
				t.Fatal(err)
			}
		})
	}
	one, all := allocs(RunOptions{Vars: []string{"a50"}}), allocs(RunOptions{})
	// Recording all makes the list of names; recording one a map from its
	// name to its column, and a second plan of the flow code.
	if all > one+2 {
		t.Errorf("recording 102 variables: %v allocations, recording one: %v", all, one)
	}
}

// TestReuse checks that a run into the Result of an earlier one gives
// the numbers a fresh run gives, whatever the earlier run recorded, and
// allocates less: its storage is the earlier run's.
func TestReuse(t *testing.T) {
	m := mustParse(t, logistic+"[aux.double]\neq = \"2 * population\"\n")
	ctx := context.Background()
	var res *Result
	for _, opt := range []RunOptions{
		{},
		{Vars: []string{"double"}},
		{Method: "rk4", Vars: []string{"population", "births"}},
		{Stop: 400, SaveEvery: 0.5}, // more save points than before: new storage
		{Vars: []string{"births"}, Set: map[string]float64{"r": 0.2}},
		{Method: "rk45", Vars: []string{"population"}},
	} {
		want := mustRun(t, m, opt)
		prev := res
		opt.Reuse = res
		var err error
		if res, err = m.Run(ctx, opt); err != nil {
			t.Fatal(err)
		}
		if prev != nil && res != prev {
			t.Errorf("%+v: the run made a new Result, want the one it was given", opt)
		}
		if !slices.Equal(res.Names, want.Names) || !slices.Equal(res.Times, want.Times) || res.Method != want.Method || !slices.Equal(res.Warnings, want.Warnings) {
			t.Errorf("%+v: reused Result has names %v, %d times, method %s; a fresh one %v, %d, %s", opt, res.Names, len(res.Times), res.Method, want.Names, len(want.Times), want.Method)
			continue
		}
		for _, name := range want.Names {
			got, w := res.Series(name), want.Series(name)
			for i := range w {
				if math.Float64bits(got[i]) != math.Float64bits(w[i]) {
					t.Errorf("%+v: %s[%d] = %v reusing a Result, %v in a fresh one", opt, name, i, got[i], w[i])
					break
				}
			}
		}
	}
	opt := RunOptions{Vars: []string{"population", "births", "double"}, Stop: 400}
	bytes := func(reuse bool) float64 {
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		for range 10 {
			if reuse {
				opt.Reuse = res
			}
			res = mustRun(t, m, opt)
		}
		runtime.ReadMemStats(&ms1)
		return float64(ms1.TotalAlloc-ms0.TotalAlloc) / 10
	}
	fresh, reused := bytes(false), bytes(true)
	// 3 series of 3,201 values, and the times, are 102 kB.
	if fresh-reused < 100_000 {
		t.Errorf("a run reusing a Result allocates %.0f bytes, a fresh one %.0f; want 102 kB less", reused, fresh)
	}
}

// TestReuseStorage checks that a run into the Result of an earlier run
// of the same model takes that run's slots and tables too, its lookups'
// remembered segments forgotten, and that one into the Result of another
// model's run makes its own.
func TestReuseStorage(t *testing.T) {
	const lookupModel = `
[sim]
stop = 20
dt = 0.25
method = "euler"
[lookups.effect]
points = [[0, 1], [1, 0.9], [2, 0.7], [3, 0.4], [4, 0.2], [5, 0.1]]
[stocks.s]
initial = 1
inflows = ["grow"]
[flows.grow]
eq = "s * 0.1 * effect(s / 2)"
`
	m := mustParse(t, lookupModel)
	other := mustParse(t, logistic)
	ctx := context.Background()
	want := mustRun(t, m, RunOptions{})
	for _, start := range []RunOptions{{}, {Set: map[string]float64{}}, {Stop: 40}} {
		res := mustRun(t, m, start)
		for _, prev := range []*Result{res, mustRun(t, other, RunOptions{}), res} {
			got, err := m.Run(ctx, RunOptions{Reuse: prev})
			if err != nil {
				t.Fatal(err)
			}
			s, w := got.Series("s"), want.Series("s")
			for i := range w {
				if math.Float64bits(s[i]) != math.Float64bits(w[i]) {
					t.Fatalf("s[%d] = %v reusing a Result, %v in a fresh one", i, s[i], w[i])
				}
			}
			res = got
		}
	}
	res := mustRun(t, m, RunOptions{})
	fresh := testing.AllocsPerRun(20, func() { mustRun(t, m, RunOptions{}) })
	reused := testing.AllocsPerRun(20, func() { res = mustRun(t, m, RunOptions{Reuse: res}) })
	// The slots, the copies of the tables and their segments.
	if fresh-reused < 3 {
		t.Errorf("a run reusing a Result makes %v allocations, a fresh one %v; want 3 fewer", reused, fresh)
	}
}

// TestResultGrows checks that a result that gets more save points than it
// made room for keeps every value, with its rows copied run by run of
// consecutive slots, slot by slot and as a span of slots, and that
// WriteCSV writes the rows as Series gives the columns.
func TestResultGrows(t *testing.T) {
	for _, c := range []struct {
		slots  []int32
		span   bool
		runs   int
		single bool // slot by slot
	}{
		{[]int32{1, 2, 7, 8}, false, 2, false}, // 1, 2; 7, 8: a span of 8 slots for 4 outputs is too wide
		{[]int32{3, 1, 2, 7}, false, 0, true},  // 3; 1, 2; 7: three runs for four outputs, slot by slot
		{[]int32{3, 1, 2, 4}, true, 0, false},  // slots 1 to 4, every one an output
		{[]int32{2, 3, 4, 5}, false, 1, false}, // one run
		{[]int32{9, 1, 5, 3}, false, 0, true},  // four runs of one slot
	} {
		lay := layoutRows(c.slots)
		if lay.span != c.span || len(lay.runs) != c.runs || (lay.slots != nil) != c.single {
			t.Errorf("slots %v: span %v, %d runs, slot by slot %v; want %v, %d, %v", c.slots, lay.span, len(lay.runs), lay.slots != nil, c.span, c.runs, c.single)
		}
		r := newResult([]string{"a", "b", "c", "d"}, 2, "euler", nil, &lay, nil)
		v := make([]float64, 10)
		for i := range 9 {
			for k, s := range c.slots {
				v[s] = float64(i) * math.Pow(10, float64(k))
			}
			r.add(float64(i), v, &lay)
		}
		var csv strings.Builder
		if err := r.WriteCSV(&csv); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(csv.String(), "\n")
		for k, name := range []string{"a", "b", "c", "d"} {
			s := r.Series(name)
			if len(s) != 9 {
				t.Fatalf("%v: %s: %d values, want 9", c.slots, name, len(s))
			}
			for i, x := range s {
				if want := float64(i) * math.Pow(10, float64(k)); x != want {
					t.Errorf("%v: %s[%d] = %v, want %v", c.slots, name, i, x, want)
				}
				if f := strings.Split(lines[i+1], ",")[k+1]; f != strconv.FormatFloat(x, 'g', -1, 64) {
					t.Errorf("%v: CSV row %d column %s is %s, want %v", c.slots, i, name, f, x)
				}
			}
		}
		if len(r.Times) != 9 || r.Times[8] != 8 {
			t.Errorf("times %v", r.Times)
		}
	}
}
