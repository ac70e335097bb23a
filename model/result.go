package model

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Result holds the output of one run: the values of the requested
// variables at each save point.
type Result struct {
	// Names lists the output variables in column order (time excluded).
	Names []string
	// Times holds the save points.
	Times []float64
	// Method is the integration method the run used.
	Method string
	// Warnings lists what the user should know about the run that did not
	// stop it: a stop that the last save point falls short of, an output
	// interval chosen anew because a new dt no longer divides the model's.
	// The command line prints them on stderr.
	Warnings []string
	// OutOfRange lists, for each variable that left the range its
	// declaration gives, the first save point at which it was outside,
	// in declaration order. Each is in Warnings too.
	OutOfRange []RangeViolation

	// The values, as the run records them: save point i's are the row
	// rows[i*width : (i+1)*width], Names[k]'s at offs[k] in it (at k
	// when offs is nil). One allocation holds them all, sized for the
	// save points the run expects; record copies each save point's
	// values into its row, the slots that hold them whole when they are
	// close together (rowLayout). The columns, which Series returns, are
	// gathered from the rows the first time one is read (columns), into
	// cols: column k, Names[k]'s series, is cols[k*len(Times) :
	// (k+1)*len(Times)]. The rows stay: WriteCSV reads them in order.
	rows     []float64
	width    int
	offs     []int32
	cols     []float64
	colsOnce *sync.Once
	index    map[string]int
	trace    *Trace
	model    *Model
	scratch  *runScratch // the run's storage, for a run that reuses this Result

	// refine, when not nil, locates a crossing of a variable between two
	// save points more precisely than linear interpolation (rk45's dense
	// output).
	refine func(name string, i int, level float64) (float64, bool)
}

// newResult makes a Result for the outputs names with room for capacity
// save points, whose rows lie as lay says. index maps each name to its
// position in names; nil makes one. When reuse is not nil, the Result is
// reuse itself, its storage kept where it is large enough and everything
// else about it forgotten.
func newResult(names []string, capacity int, method string, index map[string]int, lay *rowLayout, reuse *Result) *Result {
	capacity = max(capacity, 1)
	r := reuse
	if r == nil {
		r = &Result{}
	}
	times, rows, cols := r.Times[:0], r.rows, r.cols
	if cap(times) < capacity {
		times = make([]float64, 0, capacity)
	}
	if n := lay.width * capacity; cap(rows) >= n {
		rows = rows[:n] // every value a run reads back is written first
	} else {
		rows = make([]float64, n)
	}
	if index == nil {
		index = make(map[string]int, len(names))
		for i, n := range names {
			index[n] = i
		}
	}
	*r = Result{Names: names, Times: times, Method: method, rows: rows, width: lay.width, offs: lay.offs, cols: cols[:0], colsOnce: new(sync.Once), index: index}
	return r
}

// rowLayout is how a run copies the values of its outputs, which are in
// slots, into a Result's row: the slots from lo, width of them, whole,
// when the outputs' slots are that close together (span); otherwise
// run by run of consecutive slots, each output at its own place, or,
// when most runs are a single slot (outputs picked here and there, as a
// run of a few named variables has them), slot by slot. A run's default
// outputs, its stocks, flows and aux in the order of their declaration,
// are mostly in consecutive slots, and close together.
type rowLayout struct {
	width int
	offs  []int32   // output k is at offs[k] of a row; at k when nil
	span  bool      // the row is the slots from lo
	lo    int32     // with span
	runs  []slotRun // without span, when runs are longer
	slots []int32   // without span, when most runs are one slot: output k is in slots[k]
}

// slotRun is a run of outputs in consecutive slots: outputs k to k+n-1
// are in slots s to s+n-1.
type slotRun struct{ k, s, n int32 }

// layoutRows returns the rowLayout for outputs in slots: a span when it
// holds at most half as many slots again as there are outputs (some slots of the
// span hold no output; a row keeps them too).
func layoutRows(slots []int32) rowLayout {
	m := len(slots)
	lay := rowLayout{width: m}
	for k, s := range slots {
		if n := len(lay.runs); n > 0 && lay.runs[n-1].s+lay.runs[n-1].n == s {
			lay.runs[n-1].n++
			continue
		}
		lay.runs = append(lay.runs, slotRun{k: int32(k), s: s, n: 1})
	}
	if len(lay.runs) <= 1 {
		return lay
	}
	lo, hi := slots[0], slots[0]
	for _, s := range slots {
		lo, hi = min(lo, s), max(hi, s)
	}
	if w := int(hi-lo) + 1; w <= m+m/2 {
		lay.span, lay.lo, lay.width, lay.runs = true, lo, w, nil
		lay.offs = make([]int32, m)
		for k, s := range slots {
			lay.offs[k] = s - lo
		}
	} else if 2*len(lay.runs) > m {
		// Fewer than two outputs a run: a slot number loaded a value
		// costs less than a run's three and its test of length.
		lay.slots, lay.runs = slices.Clone(slots), nil
	}
	return lay
}

// add records the values at time t of the outputs, which are in the
// slots of v that lay gives, and returns the row it wrote.
func (r *Result) add(t float64, v []float64, lay *rowLayout) []float64 {
	n, w := len(r.Times), r.width
	if (n+1)*w > len(r.rows) {
		r.grow()
	}
	r.Times = append(r.Times, t)
	row := r.rows[n*w : n*w+w]
	if lay.span {
		copyShort(row, v[lay.lo:])
		return row
	}
	if lay.slots != nil {
		row = row[:len(lay.slots)]
		for k, s := range lay.slots {
			row[k] = v[s]
		}
		return row
	}
	for _, ru := range lay.runs {
		if ru.n == 1 {
			row[ru.k] = v[ru.s]
			continue
		}
		copyShort(row[ru.k:ru.k+ru.n], v[ru.s:ru.s+ru.n])
	}
	return row
}

// copyShort copies src into dst as copy does, element by element when
// there are only a few: a call to memmove costs more than a short loop.
// (Recording copies short runs of slots; Eval copies a model's few stocks
// and their rates at every evaluation of a Runge-Kutta step, where the
// call to memmove was a fifth of an rk4 run of the SIR example.)
func copyShort(dst, src []float64) {
	if len(dst) > 16 {
		copy(dst, src)
		return
	}
	src = src[:len(dst)]
	for i, x := range src {
		dst[i] = x
	}
}

// grow doubles the room for save points, for a run that saves more than
// it expected.
func (r *Result) grow() {
	rows := make([]float64, 2*len(r.rows)+r.width)
	copy(rows, r.rows)
	r.rows = rows
}

// at returns the offset of column k in a row.
func (r *Result) at(k int) int {
	if r.offs == nil {
		return k
	}
	return int(r.offs[k])
}

// columns gathers the columns from the rows, in blocks of save points
// that keep the rows read and the columns written in the cache.
func (r *Result) columns() {
	n, m, w := len(r.Times), len(r.Names), r.width
	if cap(r.cols) >= n*m {
		r.cols = r.cols[:n*m]
	} else {
		r.cols = make([]float64, n*m)
	}
	const block = 16
	for i0 := 0; i0 < n; i0 += block {
		i1 := min(i0+block, n)
		rows := r.rows[i0*w : i1*w]
		for k := 0; k < m; k++ {
			col, o := r.cols[k*n+i0:k*n+i1], r.at(k)
			for j := range col {
				col[j] = rows[j*w+o]
			}
		}
	}
}

// col returns column i.
func (r *Result) col(i int) []float64 {
	r.colsOnce.Do(r.columns)
	n := len(r.Times)
	return r.cols[i*n : (i+1)*n : (i+1)*n]
}

// Len returns the number of save points.
func (r *Result) Len() int { return len(r.Times) }

// Has reports whether the result holds a series for name.
func (r *Result) Has(name string) bool {
	_, ok := r.index[name]
	return ok
}

// Series returns the values of the named variable at each save point, or
// nil if the result does not hold it. The slice is the result's own: do
// not modify it.
func (r *Result) Series(name string) []float64 {
	i, ok := r.index[name]
	if !ok {
		return nil
	}
	return r.col(i)
}

func (r *Result) unknown(name string) error {
	msg := fmt.Sprintf("the result has no variable %q", name)
	if s := suggest(name, r.Names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return errors.New(msg)
}

// At returns the value of the named variable at time t, interpolated
// linearly between save points. A time outside the run is an error.
func (r *Result) At(name string, t float64) (float64, error) {
	ys := r.Series(name)
	if ys == nil {
		return 0, r.unknown(name)
	}
	n := len(r.Times)
	if n == 0 {
		return 0, errors.New("the result is empty")
	}
	eps := 1e-9 * math.Max(1, math.Abs(r.Times[n-1]-r.Times[0]))
	if t < r.Times[0]-eps || t > r.Times[n-1]+eps || math.IsNaN(t) {
		return 0, fmt.Errorf("time %s is outside the run [%s, %s]", fmtNum(t), fmtNum(r.Times[0]), fmtNum(r.Times[n-1]))
	}
	i := sort.SearchFloat64s(r.Times, t)
	switch {
	case i >= n:
		return ys[n-1], nil
	case math.Abs(r.Times[i]-t) <= eps || i == 0:
		return ys[i], nil
	}
	t0, t1 := r.Times[i-1], r.Times[i]
	f := (t - t0) / (t1 - t0)
	return ys[i-1] + f*(ys[i]-ys[i-1]), nil
}

// Direction selects which crossings of a level count.
type Direction int

// Directions of a crossing.
const (
	Rising  Direction = iota + 1 // from below the level to at or above it
	Falling                      // from above the level to at or below it
	Either                       // both
)

// ParseDirection turns "rising", "falling" or "either" into a Direction.
func ParseDirection(s string) (Direction, error) {
	switch s {
	case "rising", "up":
		return Rising, nil
	case "falling", "down":
		return Falling, nil
	case "either", "both":
		return Either, nil
	}
	return 0, fmt.Errorf("unknown direction %q (want rising, falling or either)", s)
}

// String returns rising, falling or either.
func (d Direction) String() string {
	switch d {
	case Rising:
		return "rising"
	case Falling:
		return "falling"
	case Either:
		return "either"
	}
	return "unknown"
}

// Crossing is one time a series crosses a level.
type Crossing struct {
	Time      float64
	Direction Direction // Rising or Falling
}

// Crossings returns the times at which the named variable crosses level in
// the given direction, in time order. Between save points the time is
// interpolated linearly; a run made with rk45 locates it on the solver's
// dense output instead, to the solver's accuracy. A series that starts
// exactly at the level does not count as crossing it then.
func (r *Result) Crossings(name string, level float64, dir Direction) ([]Crossing, error) {
	ys := r.Series(name)
	if ys == nil {
		return nil, r.unknown(name)
	}
	if dir < Rising || dir > Either {
		return nil, fmt.Errorf("unknown direction %d", dir)
	}
	var out []Crossing
	for i := 1; i < len(ys); i++ {
		a, b := ys[i-1]-level, ys[i]-level
		var d Direction
		switch {
		case a < 0 && b >= 0:
			d = Rising
		case a > 0 && b <= 0:
			d = Falling
		default:
			continue
		}
		if dir != Either && d != dir {
			continue
		}
		t0, t1 := r.Times[i-1], r.Times[i]
		t := t0 + (t1-t0)*a/(a-b)
		if r.refine != nil {
			if tr, ok := r.refine(name, i-1, level); ok {
				t = tr
			}
		}
		out = append(out, Crossing{Time: t, Direction: d})
	}
	return out, nil
}

// ThresholdCrossings returns the crossings of the model's threshold
// [thresholds.NAME]: the times its variable crosses its level in its
// direction, as Crossings finds them.
func (r *Result) ThresholdCrossings(name string) ([]Crossing, error) {
	if r.model == nil {
		return nil, errors.New("the result has no model")
	}
	var names []string
	for _, th := range r.model.Decl.Thresholds {
		if th.Name == name {
			dir, err := ParseDirection(th.Direction)
			if err != nil {
				return nil, err
			}
			if !r.Has(th.Var) {
				return nil, fmt.Errorf("threshold %q is on %q, which the run did not record", name, th.Var)
			}
			return r.Crossings(th.Var, th.Level, dir)
		}
		names = append(names, th.Name)
	}
	msg := fmt.Sprintf("the model has no threshold %q", name)
	if s := suggest(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, errors.New(msg)
}

// Format says how Write prints a result.
type Format struct {
	// Kind is "csv" (the default), "tsv" or "json".
	Kind string
	// Digits, when positive, prints the series' values with that many
	// significant digits; zero (the default) prints the shortest form that
	// reads back to the same float64. Times are always printed in that
	// shortest form, so that save points never merge.
	Digits int
}

// WriteCSV writes the result as CSV: a header "time,name,..." and one row
// per save point, numbers in their shortest exact form.
func (r *Result) WriteCSV(w io.Writer) error { return r.Write(w, Format{Kind: "csv"}) }

// WriteJSON writes the result as a JSON object
// {"time": [...], "series": {"name": [...], ...}} with the series in
// column order. NaN, +Inf and -Inf, which JSON numbers cannot hold, are
// written as the strings "NaN", "Infinity" and "-Infinity" (as in the
// JSON mapping of Protocol Buffers).
func (r *Result) WriteJSON(w io.Writer) error { return r.Write(w, Format{Kind: "json"}) }

// Write writes the result in the given format.
func (r *Result) Write(w io.Writer, f Format) error {
	bw := bufio.NewWriter(w)
	num := func(buf []byte, x float64) []byte {
		if f.Digits > 0 {
			return strconv.AppendFloat(buf, x, 'g', f.Digits, 64)
		}
		return strconv.AppendFloat(buf, x, 'g', -1, 64)
	}
	exact := func(buf []byte, x float64) []byte { return strconv.AppendFloat(buf, x, 'g', -1, 64) }
	var buf []byte
	switch f.Kind {
	case "", "csv", "tsv":
		sep := byte(',')
		if f.Kind == "tsv" {
			sep = '\t'
		}
		bw.WriteString("time")
		for _, n := range r.Names {
			bw.WriteByte(sep)
			if sep == ',' && strings.ContainsAny(n, ",\"\n") {
				// A 2-D element such as x[a,b]: quoted, as RFC 4180 says.
				n = `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
			}
			bw.WriteString(n)
		}
		bw.WriteByte('\n')
		for i, t := range r.Times {
			buf = exact(buf[:0], t)
			row := r.rows[i*r.width : (i+1)*r.width]
			for k := range r.Names {
				buf = append(buf, sep)
				buf = num(buf, row[r.at(k)])
			}
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	case "json":
		list := func(xs []float64, num func([]byte, float64) []byte) {
			buf = append(buf[:0], '[')
			for i, x := range xs {
				if i > 0 {
					buf = append(buf, ',')
				}
				switch {
				case math.IsNaN(x):
					buf = append(buf, `"NaN"`...)
				case math.IsInf(x, 1):
					buf = append(buf, `"Infinity"`...)
				case math.IsInf(x, -1):
					buf = append(buf, `"-Infinity"`...)
				default:
					buf = num(buf, x)
				}
			}
			buf = append(buf, ']')
			bw.Write(buf)
		}
		bw.WriteString("{\"time\":")
		list(r.Times, exact)
		bw.WriteString(",\"series\":{")
		for i, n := range r.Names {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString(strconv.Quote(n))
			bw.WriteByte(':')
			list(r.col(i), num)
		}
		bw.WriteString("}}\n")
	default:
		return fmt.Errorf("unknown output format %q (want csv, tsv or json)", f.Kind)
	}
	return bw.Flush()
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
