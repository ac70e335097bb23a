package sensitivity

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/stockflow/stockflow/model"
)

// Shard is the K-th of N equal slices of a study's runs, K counted from
// 0. The zero value and {0, 1} are the whole study.
type Shard struct{ K, N int }

// ParseShard parses K/N, as in "3/10"; K counts from 0. "auto/N" takes K
// from the environment: JOB_COMPLETION_INDEX (a Kubernetes Indexed Job),
// else SLURM_ARRAY_TASK_ID (a Slurm job array).
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("want K/N (K from 0 to N-1) or auto/N, not %q", s)
	}
	var sh Shard
	var err error
	if sh.N, err = strconv.Atoi(strings.TrimSpace(n)); err != nil || sh.N < 1 {
		return Shard{}, fmt.Errorf("%q: the number of shards must be a whole number of at least 1", s)
	}
	k = strings.TrimSpace(k)
	if k == "auto" {
		var env string
		for _, name := range []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"} {
			if env = os.Getenv(name); env != "" {
				k = env
				break
			}
		}
		if env == "" {
			return Shard{}, errors.New("--shard auto/N: neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set")
		}
	}
	if sh.K, err = strconv.Atoi(k); err != nil || sh.K < 0 || sh.K >= sh.N {
		return Shard{}, fmt.Errorf("%q: the shard index must be a whole number from 0 to %d, not %q", s, sh.N-1, k)
	}
	return sh, nil
}

// String returns the shard as K/N.
func (sh Shard) String() string { return fmt.Sprintf("%d/%d", sh.K, max(sh.N, 1)) }

// Range returns the runs [lo, hi) of the shard out of total.
func (sh Shard) Range(total int) (lo, hi int) {
	n := max(sh.N, 1)
	return sh.K * total / n, (sh.K + 1) * total / n
}

// Runs holds what a study keeps of each of its runs: the first crossing
// time of each threshold, the outputs, and the series of the banded
// variables. A shard's Runs hold its slice of the runs; Merge joins the
// shards, and Analyze turns a whole study's Runs into its Result.
type Runs struct {
	Spec  Spec
	Total int       // the number of runs of the whole study
	Shard Shard     // the slice these runs are
	Times []float64 // the save points, the same for every run
	Rows  []Row     // in run order
}

// Row is what a study keeps of one run.
type Row struct {
	// Index is the run's place in the study's sample plan.
	Index int
	// Params holds the values of Spec.Params the run was made with; nil
	// for a Sobol study's AB runs, whose values are those of its A and B
	// runs mixed.
	Params []float64
	// Crossings holds, for each of Spec.Thresholds, the time of the
	// run's first crossing, or NaN if it never crosses.
	Crossings []float64
	// Outputs holds the value of each of Spec.Outputs.
	Outputs []float64
	// Series holds, for each of Spec.Vars, its value at each save point;
	// nil for a Sobol study's AB runs, which the bands leave out.
	Series [][]float64
}

// RunShard runs the runs of the study opt describes that fall in the
// shard, in parallel on one compiled model, and returns what it keeps of
// each. The sample plan is the whole study's, whatever the shard, so
// that merged shards are the unsharded study exactly. Options may be nil.
func RunShard(ctx context.Context, m *model.Model, opt *Options, sh Shard) (*Runs, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	spec, err := NewSpec(m, &o)
	if err != nil {
		return nil, err
	}
	if sh.N == 0 {
		sh.N = 1
	}
	if sh.K < 0 || sh.K >= sh.N {
		return nil, fmt.Errorf("shard %s: the index must be from 0 to %d", sh, sh.N-1)
	}
	p, err := newPlan(spec)
	if err != nil {
		return nil, err
	}
	lo, hi := sh.Range(p.rows)
	runs := &Runs{Spec: *spec, Total: p.rows, Shard: sh, Rows: make([]Row, hi-lo)}

	var record []string
	for _, th := range spec.Thresholds {
		record = appendNew(record, th.Var)
	}
	for _, v := range spec.Vars {
		record = appendNew(record, v)
	}
	for _, out := range spec.Outputs {
		record = appendNew(record, out.Var)
	}
	dirs := make([]model.Direction, len(spec.Thresholds))
	for i, th := range spec.Thresholds {
		dirs[i], _ = model.ParseDirection(th.Direction)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	total := hi - lo

	// As in loops.SweepThreshold: the workers share the compiled model
	// and take runs in turn from one atomic counter; each writes its
	// run's summary into the run's own row, so the rows do not depend on
	// which worker made them.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		next      atomic.Int64
		mu        sync.Mutex // guards done and times, and serialises Progress
		done      int
		times     []float64
		timesFrom int
		pmu       sync.Mutex // guards panicked
		panicked  any        // a worker's panic (a bug), raised again in the caller
		wg        sync.WaitGroup
	)
	for range min(workers, total) {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					pmu.Lock()
					if panicked == nil {
						panicked = r
					}
					pmu.Unlock()
					cancel(errors.New("a worker panicked"))
				}
			}()
			ro := o.Run
			ro.Seed = spec.Seed
			ro.Trace, ro.All = false, false
			ro.Vars = record
			set := make(map[string]float64, len(o.Run.Set)+p.d)
			vals := make([]float64, p.d)
			for {
				k := int(next.Add(1) - 1)
				if k >= total || ctx.Err() != nil {
					return
				}
				r := lo + k
				p.values(r, vals)
				clear(set)
				maps.Copy(set, o.Run.Set)
				for i, par := range spec.Params {
					set[par.Name] = vals[i]
				}
				ro.Set = set
				row, res, err := summarise(ctx, m, ro, spec, dirs, p.samples(r))
				if err != nil {
					cancel(fmt.Errorf("run %d (%s): %w", r, paramList(spec.Params, vals), err))
					return
				}
				row.Index = r
				if p.samples(r) {
					row.Params = slices.Clone(vals)
				}
				runs.Rows[k] = row
				mu.Lock()
				switch {
				case times == nil:
					times, timesFrom = res.Times, r
				case !slices.Equal(times, res.Times):
					mu.Unlock()
					cancel(fmt.Errorf("runs %d and %d saved at different times (%d and %d save points): a study needs a fixed save interval", timesFrom, r, len(times), len(res.Times)))
					return
				}
				done++
				d := done
				if o.Progress == nil {
					mu.Unlock()
					continue
				}
				func() {
					defer mu.Unlock()
					o.Progress(d, total)
				}()
			}
		})
	}
	wg.Wait()
	if panicked != nil {
		// On the caller's goroutine, where a recover (the command
		// line's guard) can catch it.
		panic(fmt.Sprintf("in a worker: %v", panicked))
	}
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	runs.Times = times
	if runs.Times == nil {
		runs.Times = []float64{}
	}
	return runs, nil
}

// summarise makes one run and keeps what the study needs of it: the
// series only of a draw from the distributions (see plan.samples), which
// the bands describe.
func summarise(ctx context.Context, m *model.Model, ro model.RunOptions, spec *Spec, dirs []model.Direction, draw bool) (Row, *model.Result, error) {
	res, err := m.Run(ctx, ro)
	if err != nil {
		return Row{}, nil, err
	}
	row := Row{
		Crossings: make([]float64, len(spec.Thresholds)),
		Outputs:   make([]float64, len(spec.Outputs)),
		Series:    make([][]float64, len(spec.Vars)),
	}
	for i, th := range spec.Thresholds {
		cs, err := res.Crossings(th.Var, th.Level, dirs[i])
		if err != nil {
			return Row{}, nil, err
		}
		row.Crossings[i] = math.NaN()
		if len(cs) > 0 {
			row.Crossings[i] = cs[0].Time
		}
	}
	for i, out := range spec.Outputs {
		if row.Outputs[i], err = res.At(out.Var, out.Time); err != nil {
			return Row{}, nil, fmt.Errorf("output %s: %w", out, err)
		}
	}
	if !draw {
		row.Series = nil
		return row, res, nil
	}
	for i, v := range spec.Vars {
		row.Series[i] = res.Series(v)
	}
	return row, res, nil
}

// paramList writes params and their values as "a=1, b=2".
func paramList(ps []Param, vals []float64) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Name + "=" + strconv.FormatFloat(vals[i], 'g', -1, 64)
	}
	return strings.Join(parts, ", ")
}

// Merge joins the Runs of a study's shards, in any order, into the Runs
// of the whole study. The shards must come from one study (equal specs
// and save points) and hold every run exactly once.
func Merge(shards ...*Runs) (*Runs, error) {
	if len(shards) == 0 {
		return nil, errors.New("nothing to merge")
	}
	first := shards[0]
	spec0, _ := json.Marshal(first.Spec)
	out := &Runs{Spec: first.Spec, Total: first.Total, Shard: Shard{0, 1}, Times: first.Times}
	seen := make([]int, first.Total) // 1 + the shard each run came from
	for si, sh := range shards {
		spec, _ := json.Marshal(sh.Spec)
		if !bytes.Equal(spec, spec0) {
			return nil, fmt.Errorf("shard %d (%s) is of a different study than shard 1: %s", si+1, sh.Shard, specDiff(first.Spec, sh.Spec))
		}
		if sh.Total != first.Total {
			return nil, fmt.Errorf("shard %d (%s) has %d runs in all, shard 1 %d", si+1, sh.Shard, sh.Total, first.Total)
		}
		if !slices.Equal(sh.Times, first.Times) && len(sh.Rows) > 0 && len(first.Rows) > 0 {
			return nil, fmt.Errorf("shard %d (%s) saved at other times than shard 1", si+1, sh.Shard)
		}
		if len(out.Times) == 0 {
			out.Times = sh.Times
		}
		for _, row := range sh.Rows {
			if row.Index < 0 || row.Index >= first.Total {
				return nil, fmt.Errorf("shard %d (%s) has run %d of a study of %d runs", si+1, sh.Shard, row.Index, first.Total)
			}
			if seen[row.Index] != 0 {
				return nil, fmt.Errorf("run %d is in shards %d and %d: each run must be in one shard", row.Index, seen[row.Index], si+1)
			}
			seen[row.Index] = si + 1
			out.Rows = append(out.Rows, row)
		}
	}
	if missing := first.Total - len(out.Rows); missing > 0 {
		i := slices.Index(seen, 0)
		return nil, fmt.Errorf("%d of the study's %d runs are in no shard (the first is run %d): merge every shard", missing, first.Total, i)
	}
	slices.SortFunc(out.Rows, func(a, b Row) int { return a.Index - b.Index })
	return out, nil
}

// specDiff names the first field in which two specs differ.
func specDiff(a, b Spec) string {
	var ma, mb map[string]json.RawMessage
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	json.Unmarshal(ja, &ma)
	json.Unmarshal(jb, &mb)
	keys := slices.Sorted(maps.Keys(ma))
	for _, k := range keys {
		if !bytes.Equal(ma[k], mb[k]) {
			return fmt.Sprintf("its %s is %s, not %s", k, mb[k], ma[k])
		}
	}
	return "they differ"
}

// The file form of Runs.
type runsFile struct {
	Format string    `json:"format"`
	Spec   Spec      `json:"spec"`
	Total  int       `json:"total"`
	Shard  string    `json:"shard"`
	Times  []float64 `json:"times"`
	Runs   []rowFile `json:"runs"`
}

type rowFile struct {
	Index     int         `json:"i"`
	Params    []float64   `json:"params,omitempty"`
	Crossings []num       `json:"crossings"`
	Outputs   []float64   `json:"outputs"`
	Series    [][]float64 `json:"series,omitempty"`
}

// runsFormat names the file format, and its version.
const runsFormat = "stockflow sensitivity runs 1"

// num is a float64 written in JSON as its shortest exact form, or null
// for NaN.
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(x)) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(x), 'g', -1, 64), nil
}

func (x *num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*x = num(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	*x = num(f)
	return err
}

// WriteJSON writes the runs as JSON, numbers in their shortest exact
// form, so that ReadRuns gives back the same runs bit for bit.
func (r *Runs) WriteJSON(w io.Writer) error {
	f := runsFile{Format: runsFormat, Spec: r.Spec, Total: r.Total, Shard: r.Shard.String(), Times: r.Times, Runs: make([]rowFile, len(r.Rows))}
	for i, row := range r.Rows {
		cs := make([]num, len(row.Crossings))
		for j, c := range row.Crossings {
			cs[j] = num(c)
		}
		f.Runs[i] = rowFile{Index: row.Index, Params: row.Params, Crossings: cs, Outputs: row.Outputs, Series: row.Series}
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(f); err != nil {
		return err
	}
	return bw.Flush()
}

// ReadRuns reads runs that WriteJSON wrote.
func ReadRuns(rd io.Reader) (*Runs, error) {
	var f runsFile
	dec := json.NewDecoder(bufio.NewReader(rd))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not a file of sensitivity runs: %v", err)
	}
	if f.Format != runsFormat {
		return nil, fmt.Errorf("not a file of sensitivity runs (its format is %q, want %q)", f.Format, runsFormat)
	}
	sh, err := ParseShard(f.Shard)
	if err != nil {
		return nil, err
	}
	r := &Runs{Spec: f.Spec, Total: f.Total, Shard: sh, Times: f.Times, Rows: make([]Row, len(f.Runs))}
	nt, no, nv, np := len(f.Spec.Thresholds), len(f.Spec.Outputs), len(f.Spec.Vars), len(f.Spec.Params)
	for i, row := range f.Runs {
		if len(row.Crossings) != nt || len(row.Outputs) != no || (len(row.Series) != nv && row.Series != nil) || (len(row.Params) != np && row.Params != nil) {
			return nil, fmt.Errorf("run %d does not fit the study: %d params, %d crossings, %d outputs, %d series for %d, %d, %d, %d", row.Index, len(row.Params), len(row.Crossings), len(row.Outputs), len(row.Series), np, nt, no, nv)
		}
		for _, s := range row.Series {
			if len(s) != len(f.Times) {
				return nil, fmt.Errorf("run %d has a series of %d values for %d save points", row.Index, len(s), len(f.Times))
			}
		}
		cs := make([]float64, nt)
		for j, c := range row.Crossings {
			cs[j] = float64(c)
		}
		r.Rows[i] = Row{Index: row.Index, Params: row.Params, Crossings: cs, Outputs: row.Outputs, Series: row.Series}
	}
	return r, nil
}
