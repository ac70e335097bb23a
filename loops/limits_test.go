package loops

import (
	"context"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// TestMaxLoopsLimit checks Find lists at most MaxLoopsLimit loops however
// many the options allow, and Analyze refuses to score more loops over
// more save points than a run may keep numbers: a dozen densely coupled
// stocks have over a hundred million loops, and listing them ran out of
// memory.
func TestMaxLoopsLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("lists 100,000 loops")
	}
	m := mustParse(t, "[sim]\nstop = 10\ndt = 0.02\n"+denseModel(12))
	if n := cyclesInComplete(12, 12); n < 100_000_000 {
		t.Fatalf("the model has %d loops, want over a hundred million", n)
	}
	g := NewGraph(m)
	for _, max := range []int{100_000_000, -1} {
		l := Find(g, Options{MaxLoops: max})
		if len(l.Loops) != MaxLoopsLimit || !l.Truncated {
			t.Errorf("max loops %d: %d loops, truncated %v; want %d, truncated", max, len(l.Loops), l.Truncated, MaxLoopsLimit)
		}
	}
	l := Find(g, Options{MaxLoops: MaxLoopsLimit})
	res, err := m.Run(context.Background(), TraceOptions(m, model.RunOptions{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	// 100,000 loops (and those the search discovers) at 501 save points,
	// a score and a relative score each: over 10^8 numbers.
	_, err = Analyze(l, res.Trace(), nil)
	if err == nil || !strings.Contains(err.Error(), "at 501 save points would be") || !strings.Contains(err.Error(), "more than the limit of 100000000") {
		t.Errorf("Analyze: %v, want the limit's error", err)
	}
}

// TestSweepMaxCells checks a sweep over more cells than
// SweepOptions.MaxCells is refused before anything is allocated: a grid
// of 10^5 × 10^5 asked for 80 GB up front.
func TestSweepMaxCells(t *testing.T) {
	m := mustParse(t, `[sim]
stop = 10
[params]
a = 1
b = 1
[stocks.s]
initial = 0
inflows = ["f"]
[flows.f]
eq = "a * b"
[thresholds.up]
var = "s"
level = 5
direction = "rising"
`)
	for _, c := range []struct {
		nx, ny, max int
		wantErr     string
	}{
		{100_000, 100_000, 0, "the grid of 100000 × 100000 values has 1e+10 cells, more than the limit of 1000000"},
		{1 << 40, 1 << 40, 0, "has 1.209e+24 cells"},
		{3, 2, 5, "the grid of 3 × 2 values has 6 cells, more than the limit of 5"},
		{3, 2, 6, ""},
		{3, 2, -1, ""},
	} {
		x := Axis{Param: "a", Lo: 1, Hi: 2, N: c.nx}
		y := Axis{Param: "b", Lo: 1, Hi: 2, N: c.ny}
		tp, err := SweepThreshold(context.Background(), m, "up", x, y, &SweepOptions{MaxCells: c.max})
		switch {
		case c.wantErr == "" && (err != nil || len(tp.Times) != c.ny || len(tp.Times[0]) != c.nx):
			t.Errorf("%d × %d, max %d: %v", c.nx, c.ny, c.max, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%d × %d, max %d: error %v, want …%s…", c.nx, c.ny, c.max, err, c.wantErr)
		}
	}
}
