// Package conformance reads the expected outputs of the SDXorg
// test-models suite and compares simulation results with them, for the
// conformance tests of the model readers.
//
// It follows the suite's rules (see TIERS.md): CR and CRLF line endings
// are normalised, blank cells of Vensim .tab files are forward-filled,
// rows are matched by index with times checked with a tolerance, and a
// value passes when |want − got| ≤ 1e-5 + 1e-5·|want|.
package conformance

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
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

// Read parses an expected output. The separator is a tab if the first
// line has one, else a comma. Blank cells take the value above them.
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
	t := &Table{Names: head[1:], Cols: make([][]float64, len(head)-1)}
	prev := make([]float64, len(head))
	for i := range prev {
		prev[i] = math.NaN()
	}
	for _, row := range rows[1:] {
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
	return t, nil
}

// NormName returns the form in which column names are compared: trimmed,
// quotes removed, _, spaces and newlines read alike, lower case; in an
// array column name[e1, e2] the spaces after commas are dropped.
func NormName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, `"`, "")
	s = strings.ToLower(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '_' || r == '\n' || r == '\t' {
			space = true
			continue
		}
		if space && b.Len() > 0 && r != ',' && r != ']' && r != '[' && !strings.HasSuffix(b.String(), ",") && !strings.HasSuffix(b.String(), "[") {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
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

// Compare compares a run with the expected table. times are the run's
// save points; series returns the run's values of the variable with the
// given expected column name, or false when the run has no such
// variable; skip, when not nil, names columns not to compare (such as
// control variables). Rows are matched by index; a row whose time
// differs from the expected one by more than 1e-5·max(1, |t|) is a
// failure.
func Compare(want *Table, times []float64, series func(name string) ([]float64, bool), skip func(name string) bool) *Report {
	rep := &Report{}
	n := min(len(want.Times), len(times))
	if len(want.Times) != len(times) {
		rep.Failures = append(rep.Failures, fmt.Sprintf("rows: got %d, want %d", len(times), len(want.Times)))
	}
	for i := 0; i < n; i++ {
		if math.Abs(want.Times[i]-times[i]) > 1e-6*math.Max(1, math.Abs(want.Times[i])) {
			rep.Failures = append(rep.Failures, fmt.Sprintf("row %d: time %g, want %g", i, times[i], want.Times[i]))
			break
		}
	}
	for j, name := range want.Names {
		if skip != nil && skip(name) {
			continue
		}
		got, ok := series(name)
		if !ok {
			rep.Missing = append(rep.Missing, name)
			continue
		}
		rep.Compared++
		for i := 0; i < n && i < len(got); i++ {
			if w := want.Cols[j][i]; !Close(w, got[i]) {
				rep.Failures = append(rep.Failures, fmt.Sprintf("%s: at t=%g got %g, want %g", name, want.Times[i], got[i], w))
				break
			}
		}
	}
	return rep
}
