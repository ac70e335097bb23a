package loops

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/syntax"
)

// Axis is one param of a sweep: N values evenly spaced from Lo to Hi,
// both included.
type Axis struct {
	Param  string
	Lo, Hi float64
	N      int
}

// ParseAxis parses an axis written PARAM=LO:HI:N, as in "r=0.1:1:100".
func ParseAxis(s string) (Axis, error) {
	name, rng, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	parts := strings.Split(rng, ":")
	if !ok || name == "" || len(parts) != 3 {
		return Axis{}, fmt.Errorf("want PARAM=LO:HI:N, as in r=0.1:1:100, not %q", s)
	}
	var a Axis
	a.Param = name
	var err error
	if a.Lo, err = parseFinite(parts[0]); err != nil {
		return Axis{}, err
	}
	if a.Hi, err = parseFinite(parts[1]); err != nil {
		return Axis{}, err
	}
	if a.N, err = strconv.Atoi(strings.TrimSpace(parts[2])); err != nil || a.N < 1 {
		return Axis{}, fmt.Errorf("the number of values must be a whole number of at least 1, not %q", parts[2])
	}
	if a.N > 1 && a.Lo == a.Hi {
		return Axis{}, fmt.Errorf("%s: %d values from %s to %s: the range is empty", name, a.N, parts[0], parts[1])
	}
	return a, nil
}

func parseFinite(s string) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return x, nil
}

// String returns the axis as PARAM=LO:HI:N.
func (a Axis) String() string {
	return fmt.Sprintf("%s=%s:%s:%d", a.Param, jsonNum(a.Lo), jsonNum(a.Hi), a.N)
}

// Values returns the axis's values, Lo first, each rounded to 12
// significant digits (so that 0.1:0.5:3 gives 0.3, not
// 0.30000000000000004).
func (a Axis) Values() []float64 {
	v := make([]float64, a.N)
	for i := range v {
		if a.N == 1 {
			v[i] = a.Lo
			continue
		}
		x := a.Lo + (a.Hi-a.Lo)*float64(i)/float64(a.N-1)
		v[i], _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	}
	return v
}

// SweepOptions adjusts SweepThreshold. The zero value (or nil) is ready
// to use.
type SweepOptions struct {
	// Run is the base of every run's options; the swept params override
	// its Set, and only the threshold's variable is recorded.
	Run model.RunOptions
	// Workers is the number of runs made at once. Zero means GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called after each run with the number of
	// runs done and the total, from one goroutine at a time.
	Progress func(done, total int)
	// MaxCells bounds the cells of the grid, each a run and a number
	// kept. Zero means DefaultMaxCells; a negative value means no bound.
	MaxCells int
}

// DefaultMaxCells is the bound on a sweep's grid when
// SweepOptions.MaxCells is zero: a million cells, 1000 × 1000.
const DefaultMaxCells = 1_000_000

// Tipping is a tipping map: the first time a threshold is crossed, over a
// grid of two params.
type Tipping struct {
	// Threshold names the model's threshold; Var, Level and Direction
	// are its.
	Threshold string
	Var       string
	Level     float64
	Direction string
	// X and Y are the swept params.
	X, Y Axis
	// Times[j][i] is the time of the first crossing in the threshold's
	// direction with X at its i-th value and Y at its j-th; NaN where the
	// run never crosses.
	Times [][]float64
}

// SweepThreshold runs the model once for every point of the grid x × y
// and records when it first crosses the named threshold. The runs share
// the compiled model and go in parallel; the first failing run stops the
// sweep with an error naming its param values. Options may be nil.
func SweepThreshold(ctx context.Context, m *model.Model, threshold string, x, y Axis, opt *SweepOptions) (*Tipping, error) {
	var o SweepOptions
	if opt != nil {
		o = *opt
	}
	var names []string
	tp := &Tipping{Threshold: threshold, X: x, Y: y}
	for _, th := range m.Decl.Thresholds {
		names = append(names, th.Name)
		if th.Name == threshold {
			tp.Var, tp.Level, tp.Direction = th.Var, th.Level, th.Direction
		}
	}
	if tp.Var == "" {
		msg := fmt.Sprintf("the model has no threshold %q", threshold)
		if s := syntax.Suggest(threshold, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else if len(names) == 0 {
			msg += " (it declares no [thresholds])"
		}
		return nil, errors.New(msg)
	}
	dir, err := model.ParseDirection(tp.Direction)
	if err != nil {
		return nil, err
	}
	var params []string
	for _, p := range m.Params() {
		params = append(params, p.Name)
	}
	for _, a := range []Axis{x, y} {
		if !slices.Contains(params, a.Param) {
			msg := fmt.Sprintf("the model has no param %q", a.Param)
			if s := syntax.Suggest(a.Param, params); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, errors.New(msg)
		}
		if a.N < 1 {
			return nil, fmt.Errorf("axis %s has no values", a.Param)
		}
	}
	if x.Param == y.Param {
		return nil, fmt.Errorf("both axes sweep %q", x.Param)
	}
	maxCells := o.MaxCells
	if maxCells == 0 {
		maxCells = DefaultMaxCells
	}
	if cells := float64(x.N) * float64(y.N); maxCells > 0 && cells > float64(maxCells) {
		return nil, fmt.Errorf("the grid of %d × %d values has %.4g cells, more than the limit of %d; use fewer values (the N of PARAM=LO:HI:N) or raise the limit (SweepOptions.MaxCells, --max-cells)",
			x.N, y.N, cells, maxCells)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	xs, ys := x.Values(), y.Values()
	total := len(xs) * len(ys)
	tp.Times = make([][]float64, len(ys))
	for j := range tp.Times {
		tp.Times[j] = make([]float64, len(xs))
	}

	// The workers share the compiled model and take the grid's cells in
	// turn from one atomic counter; each has its own run options and
	// param set, and writes each run's crossing time straight into its
	// cell of the map, so that nothing else of a run outlives it. No
	// lock is taken per run unless Progress is set.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		next atomic.Int64
		mu   sync.Mutex // guards done, and serialises Progress
		done int
		wg   workGroup
	)
	for range min(workers, total) {
		wg.Go(func() {
			ro := o.Run
			ro.Trace, ro.All = false, false
			ro.Vars = []string{tp.Var}
			set := make(map[string]float64, len(o.Run.Set)+2)
			for {
				k := int(next.Add(1) - 1)
				if k >= total || ctx.Err() != nil {
					return
				}
				i, j := k%len(xs), k/len(xs)
				clear(set)
				maps.Copy(set, o.Run.Set)
				set[x.Param], set[y.Param] = xs[i], ys[j]
				ro.Set = set
				t, err := firstCrossing(ctx, m, ro, tp.Var, tp.Level, dir)
				if err != nil {
					cancel(fmt.Errorf("%s=%s, %s=%s: %w", x.Param, jsonNum(xs[i]), y.Param, jsonNum(ys[j]), err))
					return
				}
				tp.Times[j][i] = t
				if o.Progress != nil {
					mu.Lock()
					done++
					o.Progress(done, total)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return tp, nil
}

// firstCrossing runs the model and returns the time of its first
// crossing of level, or NaN.
func firstCrossing(ctx context.Context, m *model.Model, opt model.RunOptions, name string, level float64, dir model.Direction) (float64, error) {
	res, err := m.Run(ctx, opt)
	if err != nil {
		return 0, err
	}
	cs, err := res.Crossings(name, level, dir)
	if err != nil {
		return 0, err
	}
	if len(cs) == 0 {
		return math.NaN(), nil
	}
	return cs[0].Time, nil
}

// Range returns the smallest and largest crossing time on the map, or
// NaNs if no run crosses.
func (tp *Tipping) Range() (lo, hi float64) {
	lo, hi = math.NaN(), math.NaN()
	for _, row := range tp.Times {
		for _, t := range row {
			if math.IsNaN(t) {
				continue
			}
			if math.IsNaN(lo) || t < lo {
				lo = t
			}
			if math.IsNaN(hi) || t > hi {
				hi = t
			}
		}
	}
	return lo, hi
}

// WriteCSV writes the map as CSV: a header "X,Y,time" with the params'
// names, then one row per grid point, X varying fastest; the time is
// empty where the run never crosses.
func (tp *Tipping) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s,%s,time\n", tp.X.Param, tp.Y.Param)
	xs, ys := tp.X.Values(), tp.Y.Values()
	for j, y := range ys {
		for i, x := range xs {
			t := ""
			if v := tp.Times[j][i]; !math.IsNaN(v) {
				t = strconv.FormatFloat(v, 'g', -1, 64)
			}
			fmt.Fprintf(bw, "%s,%s,%s\n", strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(y, 'g', -1, 64), t)
		}
	}
	return bw.Flush()
}
