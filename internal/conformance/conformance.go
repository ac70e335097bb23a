// Package conformance reads the expected outputs of the SDXorg
// test-models suite and compares simulation results with them, for the
// conformance tests of the model readers.
//
// It follows the suite's rules (see TIERS.md): CR and CRLF line endings
// are normalised, blank cells of Vensim .tab files are forward-filled,
// rows are matched by index (or by time, see Options) with times checked
// with a tolerance, and a value passes when |want − got| ≤ 1e-5 +
// 1e-5·|want|.
package conformance

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// Table is an expected output: one column per variable, one row per save
// point.
type Table struct {
	Names []string    // column names as written, time excluded
	Times []float64   // the first column
	Cols  [][]float64 // Cols[j][i]: variable j at Times[i]; NaN where a cell is not a number
}

// ReadFile reads an output.tab (tab-separated) or output.csv file.
func ReadFile(path string) (*Table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := Read(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return t, nil
}

// ReadDir reads the expected output of a suite directory: its output.tab,
// or else its output.csv.
func ReadDir(dir string) (*Table, error) {
	t, err := ReadFile(filepath.Join(dir, "output.tab"))
	if errors.Is(err, fs.ErrNotExist) {
		return ReadFile(filepath.Join(dir, "output.csv"))
	}
	return t, err
}

// Read parses an expected output. The separator is a tab if the first
// line has one, else a comma. Blank cells take the value above them;
// rows with a blank time and trailing header cells with no name are left
// out.
func Read(text string) (*Table, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var rows [][]string
	first, _, _ := strings.Cut(text, "\n")
	if strings.Contains(first, "\t") {
		for _, line := range strings.Split(text, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			rows = append(rows, strings.Split(line, "\t"))
		}
	} else {
		r := csv.NewReader(strings.NewReader(text))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		recs, err := r.ReadAll()
		if err != nil {
			return nil, err
		}
		rows = recs
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("no data rows")
	}
	head := rows[0]
	for len(head) > 1 && strings.TrimSpace(head[len(head)-1]) == "" {
		head = head[:len(head)-1]
	}
	t := &Table{Names: head[1:], Cols: make([][]float64, len(head)-1)}
	prev := make([]float64, len(head))
	for i := range prev {
		prev[i] = math.NaN()
	}
	for _, row := range rows[1:] {
		if len(row) == 0 || strings.TrimSpace(row[0]) == "" {
			continue
		}
		for j := range head {
			cell := ""
			if j < len(row) {
				cell = strings.TrimSpace(row[j])
			}
			v := prev[j]
			if cell != "" {
				x, err := strconv.ParseFloat(cell, 64)
				if err != nil {
					x = math.NaN()
				}
				v = x
			}
			prev[j] = v
			if j == 0 {
				t.Times = append(t.Times, v)
			} else {
				t.Cols[j-1] = append(t.Cols[j-1], v)
			}
		}
	}
	if len(t.Times) == 0 {
		return nil, fmt.Errorf("no data rows")
	}
	return t, nil
}

// NormName returns the form in which column names are compared: quotes
// removed, lower case, and every run of characters other than letters,
// digits and the array punctuation [ ] , read as one space, none at the
// ends or beside [ and , — so "Birth_Rate", "birth  rate" and
// "birth.rate" (a module's variable, flattened) match, and so do
// "x[a, b]" and "x[a,b]".
func NormName(s string) string {
	var b strings.Builder
	var last rune // the last rune written; 0 when none
	sep := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '"':
			continue
		case r == '[' || r == ']' || r == ',':
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if sep && last != 0 && last != '[' && last != ',' {
				b.WriteByte(' ')
			}
		default:
			sep = true
			continue
		}
		sep = false
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// Close reports whether got passes for want: |want − got| ≤ 1e-5 +
// 1e-5·|want|. Two NaNs match.
func Close(want, got float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(want-got) <= 1e-5+1e-5*math.Abs(want)
}

// Report is the outcome of comparing one model's run with its expected
// output.
type Report struct {
	Compared int      // columns compared
	Missing  []string // expected columns the run does not have
	Failures []string // one line per column that differs: where first, and by how much
}

// OK reports whether everything compared passed and nothing was missing.
func (r *Report) OK() bool { return len(r.Missing) == 0 && len(r.Failures) == 0 }

// String summarises the report.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d columns compared", r.Compared)
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "; missing: %s", strings.Join(r.Missing, ", "))
	}
	for _, f := range r.Failures {
		fmt.Fprintf(&b, "\n  %s", f)
	}
	return b.String()
}

// Options adjust Compare.
type Options struct {
	// Skip, when not nil, reports whether an expected column is not
	// compared (such as a control variable). Default: every column is.
	Skip func(name string) bool

	// SaveEvery, when positive, is the run's save interval, and each
	// expected row is matched with the run's save point at its time,
	// round((t − times[0]) / SaveEvery): the run may save more often or
	// for longer than the expected output. When 0 (the default) rows are
	// matched by index and the row counts must agree.
	SaveEvery float64
}

// Compare compares a run with the expected table. times are the run's
// save points; series returns the run's values of the variable with the
// given expected column name, or false when the run has no such
// variable. A matched row whose time differs from the expected one by
// more than 1e-6·max(1, |t|) is a failure.
func Compare(want *Table, times []float64, series func(name string) ([]float64, bool), opt Options) *Report {
	rep := &Report{}
	rows := matchRows(rep, want.Times, times, opt.SaveEvery)
	for c, name := range want.Names {
		if opt.Skip != nil && opt.Skip(name) {
			continue
		}
		got, ok := series(name)
		if !ok {
			rep.Missing = append(rep.Missing, name)
			continue
		}
		rep.Compared++
		for i, j := range rows {
			if j >= len(got) {
				break
			}
			if w := want.Cols[c][i]; !Close(w, got[j]) {
				rep.Failures = append(rep.Failures, fmt.Sprintf("%s: at t=%g got %g, want %g", name, want.Times[i], got[j], w))
				break
			}
		}
	}
	return rep
}

// matchRows returns, for the expected rows, the indices of the run's rows
// to compare them with, adding to rep a failure for rows that do not
// match.
func matchRows(rep *Report, want, times []float64, saveEvery float64) []int {
	sameTime := func(w, g float64) bool { return math.Abs(w-g) <= 1e-6*math.Max(1, math.Abs(w)) }
	var rows []int
	if saveEvery > 0 {
		for _, tm := range want {
			j := -1
			if len(times) > 0 {
				j = int(math.Round((tm - times[0]) / saveEvery))
			}
			if j < 0 || j >= len(times) || !sameTime(tm, times[j]) {
				rep.Failures = append(rep.Failures, fmt.Sprintf("no save point at t=%g", tm))
				break
			}
			rows = append(rows, j)
		}
		return rows
	}
	if len(want) != len(times) {
		rep.Failures = append(rep.Failures, fmt.Sprintf("rows: got %d, want %d", len(times), len(want)))
	}
	timeOK := true
	for i := range min(len(want), len(times)) {
		if timeOK && !sameTime(want[i], times[i]) {
			rep.Failures = append(rep.Failures, fmt.Sprintf("row %d: time %g, want %g", i, times[i], want[i]))
			timeOK = false
		}
		rows = append(rows, i)
	}
	return rows
}
