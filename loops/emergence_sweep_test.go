package loops

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

func TestParseAxis(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Axis
		err  string
	}{
		{"r=0.1:1:10", Axis{"r", 0.1, 1, 10}, ""},
		{" K = 500:2000:4", Axis{"K", 500, 2000, 4}, ""},
		{"r=1:1:1", Axis{"r", 1, 1, 1}, ""},
		{"r=0.1:1", Axis{}, "want PARAM=LO:HI:N"},
		{"=0.1:1:3", Axis{}, "want PARAM=LO:HI:N"},
		{"r=a:1:3", Axis{}, "not a number"},
		{"r=0:1:0", Axis{}, "at least 1"},
		{"r=1:1:5", Axis{}, "the range is empty"},
	} {
		got, err := ParseAxis(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseAxis(%q) error %v, want one containing %q", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseAxis(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	if got := (Axis{"r", 0, 1, 5}).Values(); got[0] != 0 || got[4] != 1 || got[2] != 0.5 {
		t.Errorf("Values = %v, want 0 … 1 by 0.25", got)
	}
	if got := (Axis{"r", 0.1, 0.5, 3}).Values(); got[1] != 0.3 {
		t.Errorf("Values = %v, want 0.3 in the middle, as written", got)
	}
}

// TestSweepLogistic checks a tipping map of logistic growth against the
// exact crossing time of 700, ln((K/P0 - 1)/(K/700 - 1))/r, and that a
// carrying capacity at or below 700 never crosses.
func TestSweepLogistic(t *testing.T) {
	m, err := model.Parse("test.toml", []byte(logisticTOML))
	if err != nil {
		t.Fatal(err)
	}
	x := Axis{"r", 0.2, 0.6, 5}
	y := Axis{"K", 600, 1400, 5}
	var calls, last int
	tp, err := SweepThreshold(t.Context(), m, "majority", x, y, &SweepOptions{
		Workers:  3,
		Progress: func(done, total int) { calls++; last = done; _ = total },
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 25 || last != 25 {
		t.Errorf("progress called %d times, last with %d; want 25, 25", calls, last)
	}
	for j, K := range y.Values() {
		for i, r := range x.Values() {
			got := tp.Times[j][i]
			if K <= 700 {
				if !math.IsNaN(got) {
					t.Errorf("r=%g K=%g: crosses at %g, want never", r, K, got)
				}
				continue
			}
			want := math.Log((K/10-1)/(K/700-1)) / r
			if want > 40 {
				want = math.NaN()
			}
			// Linear interpolation between save points 0.25 apart.
			if !(math.Abs(got-want) < 5e-3) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("r=%g K=%g: crosses at %g, want %g ± 5e-3", r, K, got, want)
			}
		}
	}
	lo, hi := tp.Range()
	if !(lo < hi) {
		t.Errorf("Range = %g, %g", lo, hi)
	}
	var b strings.Builder
	if err := tp.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 26 || lines[0] != "r,K,time" || lines[1] != "0.2,600," {
		t.Errorf("CSV starts %q, has %d lines; want r,K,time then 0.2,600, and 26 lines", lines[:2], len(lines))
	}
}

func TestSweepErrors(t *testing.T) {
	m, err := model.Parse("test.toml", []byte(logisticTOML))
	if err != nil {
		t.Fatal(err)
	}
	r, K := Axis{"r", 0.1, 1, 3}, Axis{"K", 100, 1000, 3}
	for _, tc := range []struct {
		th   string
		x, y Axis
		want string
	}{
		{"majorty", r, K, `no threshold "majorty" (did you mean "majority"?)`},
		{"majority", Axis{"rr", 0, 1, 2}, K, `no param "rr" (did you mean "r"?)`},
		{"majority", r, r, `both axes sweep "r"`},
		{"majority", r, Axis{"K", -1, 0, 2}, "K=-1"},
	} {
		_, err := SweepThreshold(t.Context(), m, tc.th, tc.x, tc.y, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SweepThreshold(%s, %v, %v) error %v, want one containing %q", tc.th, tc.x, tc.y, err, tc.want)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := SweepThreshold(ctx, m, "majority", r, K, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sweep: error %v, want context.Canceled", err)
	}
}

// TestSweepMemory checks that a sweep of 10,000 runs keeps what the
// tipping map needs and no trajectory: the live heap grows by less
// between the 1,000th run and the 9,000th than 8,000 trajectories of
// the threshold's variable would take (8,000 × 81 save points × 8
// bytes, about 5 MB).
func TestSweepMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 runs")
	}
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	x, y := Axis{"r", 0.05, 1, 100}, Axis{"K", 100, 5000, 100}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var at1000, at9000 uint64
	_, err = SweepThreshold(t.Context(), m, "majority", x, y, &SweepOptions{
		Workers: 2,
		Progress: func(done, total int) {
			switch done {
			case 1000:
				at1000 = heap()
			case 9000:
				at9000 = heap()
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	grew := int64(at9000) - int64(at1000)
	t.Logf("live heap after 1,000 runs %d bytes, after 9,000 %d", at1000, at9000)
	if grew > 256<<10 {
		t.Errorf("the live heap grew by %d bytes over 8,000 runs; want less than 256 kB", grew)
	}
}

// BenchmarkSweep sweeps a 100×100 grid of the logistic example (rk4, 320
// steps per run: 10,000 runs per sweep) with 1, 2, … workers up to
// GOMAXPROCS, side by side, and reports runs per second, the CPU time
// per run and the cores the sweep kept busy; with W workers on W free
// cores it should make close to W times the runs per second of one.
//
//	go test -run '^$' -bench Sweep -count 5 ./loops/
func BenchmarkSweep(b *testing.B) {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		b.Fatal(err)
	}
	x, y := Axis{"r", 0.05, 1, 100}, Axis{"K", 100, 5000, 100}
	for w := 1; w <= max(2, runtime.GOMAXPROCS(0)); w++ {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			runs := 0
			cpu := processCPU()
			for b.Loop() {
				if _, err := SweepThreshold(b.Context(), m, "majority", x, y, &SweepOptions{Workers: w}); err != nil {
					b.Fatal(err)
				}
				runs += x.N * y.N
			}
			cpu = processCPU() - cpu
			b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
			if cpu > 0 {
				// The CPU time per run, GC included: the same with any
				// number of workers when nothing is shared on the hot
				// path. cores is the CPU time over the wall time: W
				// on an idle machine, less when others take the cores.
				b.ReportMetric(float64(cpu.Microseconds())/float64(runs), "cpu-µs/run")
				b.ReportMetric(cpu.Seconds()/b.Elapsed().Seconds(), "cores")
			}
		})
	}
}
