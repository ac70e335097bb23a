package conformance

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	tb, err := Read("Time\tA\t\"B c\"\t\r0\t1\t2\r\t9\t9\r1\t\t3\r")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(tb.Names), 2; got != want {
		t.Fatalf("columns: got %d (%q), want %d: a trailing unnamed header cell is left out", got, tb.Names, want)
	}
	if got, want := len(tb.Times), 2; got != want {
		t.Fatalf("rows: got %d, want %d: a row with a blank time is left out", got, want)
	}
	if got, want := tb.Cols[0][1], 1.0; got != want {
		t.Errorf("forward-filled A at row 1: got %v, want %v", got, want)
	}
	if got, want := tb.Times[1], 1.0; got != want {
		t.Errorf("time of row 1: got %v, want %v", got, want)
	}
	if got, want := NormName(tb.Names[1]), "b c"; got != want {
		t.Errorf("NormName: got %q, want %q", got, want)
	}
}

func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "output.csv"), []byte("time,x\n0,1\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tb.Cols[0][1], 2.0; got != want {
		t.Errorf("x at row 1 of output.csv: got %v, want %v", got, want)
	}
	if err := os.WriteFile(filepath.Join(dir, "output.tab"), []byte("time\tx\n0\t5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if tb, err = ReadDir(dir); err != nil {
		t.Fatal(err)
	}
	if got, want := tb.Cols[0][0], 5.0; got != want {
		t.Errorf("x at row 0 with output.tab beside output.csv: got %v, want %v (output.tab first)", got, want)
	}
	if _, err := ReadDir(t.TempDir()); err == nil {
		t.Error("ReadDir of a directory with no output: no error")
	}
}

func TestNormName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Birth Rate", "birth rate"},
		{"birth_rate", "birth rate"},
		{" birth__ \n rate ", "birth rate"},
		{`"Birth Rate"`, "birth rate"},
		{"hares.births", "hares births"},
		{"hares_births", "hares births"},
		{"a-b/c (d)", "a b c d"},
		{"FINAL TIME", "final time"},
		{"Stock A[Entry 1, Entry 2]", "stock a[entry 1,entry 2]"},
		{"stock_a[entry_1,entry_2]", "stock a[entry 1,entry 2]"},
		{"x[a] y", "x[a] y"},
		{"Größe", "größe"},
		{"", ""},
	} {
		if got := NormName(tc.in); got != tc.want {
			t.Errorf("NormName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClose(t *testing.T) {
	for _, tc := range []struct {
		want, got float64
		ok        bool
	}{
		{1, 1 + 1.9e-5, true},
		{1, 1 + 2.1e-5, false},
		{0, 9e-6, true},
		{math.NaN(), math.NaN(), true},
		{1, math.NaN(), false},
	} {
		if got := Close(tc.want, tc.got); got != tc.ok {
			t.Errorf("Close(%v, %v) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}

func TestCompare(t *testing.T) {
	want, err := Read("time,x,y,skipped\n0,1,10,0\n1,2,20,0\n2,3,30,0\n")
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]struct {
		times  []float64
		series map[string][]float64
	}{
		"same":        {[]float64{0, 1, 2}, map[string][]float64{"x": {1, 2, 3}, "y": {10, 20, 30}}},
		"finer":       {[]float64{0, 0.5, 1, 1.5, 2}, map[string][]float64{"x": {1, 9, 2, 9, 3}, "y": {10, 9, 20, 9, 30}}},
		"longer":      {[]float64{0, 1, 2, 3}, map[string][]float64{"x": {1, 2, 3, 4}, "y": {10, 20, 30, 40}}},
		"shorter":     {[]float64{0, 1}, map[string][]float64{"x": {1, 2}, "y": {10, 20}}},
		"wrong value": {[]float64{0, 1, 2}, map[string][]float64{"x": {1, 2, 3.1}, "y": {10, 20, 30}}},
		"no y":        {[]float64{0, 1, 2}, map[string][]float64{"x": {1, 2, 3}}},
		"shifted":     {[]float64{0.5, 1.5, 2.5}, map[string][]float64{"x": {1, 2, 3}, "y": {10, 20, 30}}},
	}
	for _, tc := range []struct {
		run       string
		saveEvery float64
		ok        bool
		failure   string // a substring of the report, when not ok
	}{
		{"same", 0, true, ""},
		{"same", 1, true, ""},
		{"finer", 0, false, "rows: got 5, want 3"},
		{"finer", 0.5, true, ""},
		{"longer", 0, false, "rows: got 4, want 3"},
		{"longer", 1, true, ""},
		{"shorter", 0, false, "rows: got 2, want 3"},
		{"shorter", 1, false, "no save point at t=2"},
		{"wrong value", 0, false, "x: at t=2 got 3.1, want 3"},
		{"wrong value", 1, false, "x: at t=2 got 3.1, want 3"},
		{"no y", 1, false, "missing: y"},
		{"shifted", 0, false, "row 0: time 0.5, want 0"},
		{"shifted", 1, false, "no save point at t=0"},
	} {
		r := runs[tc.run]
		rep := Compare(want, r.times, func(name string) ([]float64, bool) {
			s, ok := r.series[name]
			return s, ok
		}, Options{Skip: func(name string) bool { return name == "skipped" }, SaveEvery: tc.saveEvery})
		if got := rep.OK(); got != tc.ok {
			t.Errorf("%s, SaveEvery %g: OK() = %v, want %v; report: %s", tc.run, tc.saveEvery, got, tc.ok, rep)
			continue
		}
		if !tc.ok && !strings.Contains(rep.String(), tc.failure) {
			t.Errorf("%s, SaveEvery %g: report %q, want it to say %q", tc.run, tc.saveEvery, rep, tc.failure)
		}
		if tc.ok {
			if got, want := rep.Compared, 2; got != want {
				t.Errorf("%s, SaveEvery %g: %d columns compared, want %d (skipped left out)", tc.run, tc.saveEvery, got, want)
			}
		}
	}
}
