package decl

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/internal/fuzzbound"
	"github.com/stockflow/stockflow/model/syntax"
)

// nan stands for a gap in a want table; equalCols compares it as equal.
var nan = math.NaN()

func equalCols(a, b [][]float64) bool {
	return slices.EqualFunc(a, b, func(x, y []float64) bool {
		return slices.EqualFunc(x, y, func(p, q float64) bool { return p == q || math.IsNaN(p) && math.IsNaN(q) })
	})
}

// TestReadSeries reads data files for a Vensim model's data variables,
// laid out both ways, and checks every time and value against the file.
func TestReadSeries(t *testing.T) {
	for _, tc := range []struct {
		name, file, src string
		time            []float64
		names           []string
		cols            [][]float64
	}{
		{"a time column", "d.csv", "time,obs,price\n0,1,4\n1,,5\n2,3,6\n",
			[]float64{0, 1, 2}, []string{"obs", "price"}, [][]float64{{1, nan, 3}, {4, 5, 6}}},
		// The rows are series, the first row the times; a short row's
		// missing values are gaps.
		{"transposed", "d.csv", "time,0,1,2\nobs,1,,3\nprice,4,5\n",
			[]float64{0, 1, 2}, []string{"obs", "price"}, [][]float64{{1, nan, 3}, {4, 5, nan}}},
		// Vensim's tab export, each line ending in a tab (an empty
		// column, not a time) and CRLF, Time capitalized.
		{"transposed TSV, trailing tabs, CRLF", "d.tab", "Time\t0\t0.5\t\r\nobs[a,b]\t1\t2\t\r\n\t\t\t\r\n",
			[]float64{0, 0.5}, []string{"obs[a,b]"}, [][]float64{{1, 2}}},
		// The ambiguity: a time column whose one series is named by a
		// number is read down its columns, since the first column holds
		// numbers (times), not names.
		{"a series named by a number", "d.csv", "time,2020\n0,5\n1,6\n",
			[]float64{0, 1}, []string{"2020"}, [][]float64{{5, 6}}},
		{"numbers across the header, numbers down", "d.csv", "time,1,2\n0,5,7\n1,6,8\n",
			[]float64{0, 1}, []string{"1", "2"}, [][]float64{{5, 6}, {7, 8}}},
		// A byte order mark, CRLF, quoted names and values, a quoted
		// comma, a line of separators alone.
		{"BOM, CRLF, quotes", "d.csv", "\ufeff\"time\",\"x, y\",z\r\n0,\"1\",2\r\n,,\r\n1,\" 3 \",\"\"\r\n",
			[]float64{0, 1}, []string{"x, y", "z"}, [][]float64{{1, 3}, {2, nan}}},
		{"no extension, tabs", "data", "time\tx\n0\t1e3\n",
			[]float64{0}, []string{"x"}, [][]float64{{1000}}},
		{"a time row alone is times with no series", "d.csv", "time\n0\n1\n",
			[]float64{0, 1}, nil, [][]float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, errs := ReadSeries(tc.file, []byte(tc.src))
			if errs != nil {
				t.Fatal(errs.Err())
			}
			if !slices.Equal(tab.Time, tc.time) || !slices.Equal(tab.Names, tc.names) || !equalCols(tab.Cols, tc.cols) {
				t.Errorf("got times %v names %q values %v\nwant times %v names %q values %v", tab.Time, tab.Names, tab.Cols, tc.time, tc.names, tc.cols)
			}
		})
	}
}

// TestReadSeriesWorkbook reads a transposed sheet.
func TestReadSeriesWorkbook(t *testing.T) {
	src := workbook(t, sheetCells{"Data", map[string]any{
		"A1": "time", "B1": 0, "C1": 1, "D1": 2,
		"A2": "obs", "B2": 10, "D2": 30,
	}})
	tab, errs := ReadSeries("d.xlsx", src)
	if errs != nil {
		t.Fatal(errs.Err())
	}
	if !slices.Equal(tab.Time, []float64{0, 1, 2}) || !slices.Equal(tab.Names, []string{"obs"}) || !equalCols(tab.Cols, [][]float64{{10, nan, 30}}) {
		t.Errorf("got %v %q %v", tab.Time, tab.Names, tab.Cols)
	}
	src = workbook(t, sheetCells{"Data", map[string]any{
		"A1": "time", "B1": 0, "C1": 1,
		"A2": "obs", "B2": 10, "C2": "many",
	}})
	want := `d.xlsx:2:3: sheet "Data" cell C2: the value in row "obs" is "many", not a number (leave the cell empty for a gap)`
	if _, errs := ReadSeries("d.xlsx", src); errs.Err() == nil || errs.Err().Error() != want {
		t.Errorf("got  %v\nwant %s", errs.Err(), want)
	}
}

// TestReadSeriesBad checks each error of a data file: every one, at the
// line and column of the cell (counted in bytes from 1, after a byte
// order mark), saying what to do.
func TestReadSeriesBad(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"empty", "", []string{`d.csv:1:1: the data file is empty: it needs a header row naming the columns, such as time`}},
		{"a byte order mark alone", "\ufeff", []string{`d.csv:1:1: the data file is empty: it needs a header row naming the columns, such as time`}},
		{"blank lines alone", "\n ,, \r\n", []string{`d.csv:1:1: the data file is empty: it needs a header row naming the columns, such as time`}},
		{"a header alone", "time,x\r\n", []string{`d.csv:1:1: the data file has a header but no rows`}},
		{"a time row alone", "time,0,1\n", []string{`d.csv:1:1: the data file has a header but no rows`}},
		{"no time column", "year,x\n0,1\n", []string{
			`d.csv:1:1: no time column "time" in the header (columns: year, x); name the time column with time_column (--time-column)`}},
		// The quoted field starts at column 3 of line 3; the BOM is not counted.
		{"a bad value", "\ufefftime,x\r\n0,1\r\n1,\"lots\"\r\n", []string{
			`d.csv:3:3: row 2: the value in column "x" is "lots", not a number (leave the cell empty for a gap)`}},
		{"bad values transposed", "time,0,1\nobs,1,lots\nprice,NaN,2\n", []string{
			`d.csv:2:7: line 2 column 7: the value in row "obs" is "lots", not a number (leave the cell empty for a gap)`,
			`d.csv:3:7: line 3 column 7: the value in row "price" is "NaN", not a number (leave the cell empty for a gap)`}},
		{"a bad time", "time,x\n0,1\nnow,2\n", []string{`d.csv:3:1: row 2: the time (column "time") is "now", not a number`}},
		{"an empty time", "time,x\n0,1\n,2\n", []string{`d.csv:3:1: row 2: the time (column "time") is empty`}},
		{"an infinite time", "time,x\n0,1\n1e999,2\n", []string{`d.csv:3:1: row 2: the time (column "time") is "1e999", not a number`}},
		// Both times out of order are reported, each against the last good
		// one.
		{"times out of order", "time,x\n0,1\n2,2\n1,3\n2,4\n", []string{
			`d.csv:4:1: row 3: time 1 does not come after time 2 on line 3; sort the rows by time, one row per time`,
			`d.csv:5:1: row 4: time 2 does not come after time 2 on line 3; sort the rows by time, one row per time`}},
		{"times out of order transposed", "time,1,0\nobs,1,2\n", []string{
			`d.csv:1:8: line 1 column 8: time 0 does not come after time 1 at line 1 column 6; put the columns in order of time, one column per time`}},
		{"a value with no time", "time,0,,2\nobs,1,2,3,4\n", []string{
			`d.csv:2:7: line 2 column 7: the value "2" has no time: the time row (line 1) has none in its column; give the time there, or remove the value`,
			`d.csv:2:11: line 2 column 11: the value "4" has no time: the time row (line 1) has none in its column; give the time there, or remove the value`}},
		// A number in the first column says the times run down it: the
		// name is then a bad time.
		{"a name among times", "time,0,1\nobs,1,2\n5,3,4\n", []string{`d.csv:2:1: row 1: the time (column "time") is "obs", not a number`}},
		{"a series named twice", "\ufefftime,x,X\n0,1,2\n", []string{`d.csv:1:8: "X" is named twice, first at line 1 column 6; give each series once`}},
		{"a series named twice transposed", "time,0\nobs,1\nobs,2\n", []string{`d.csv:3:1: "obs" is named twice, first at line 2 column 1; give each series once`}},
		{"a series named time", "time,x,Time\n0,1,2\n", []string{`d.csv:1:8: "Time" is named twice, first at line 1 column 1; give each series once`}},
		// encoding/csv's own errors, the quote left open at the end of
		// the input placed at the end of its line.
		{"an open quote", "time,x\n0,\"1\n", []string{`d.csv:2:5: extraneous or missing " in quoted-field`}},
		{"a bare quote", "time,x\n0,1\"2\n", []string{`d.csv:2:4: bare " in non-quoted-field`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, errs := ReadSeries("d.csv", []byte(tc.src))
			if tab != nil {
				t.Errorf("got a table %+v", tab)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// checkSeries checks the contract of ReadSeries on any input: errors
// lie inside the input and come as a syntax.ErrorList; a table has a
// time or more, strictly increasing and finite, and for each series a
// name, once, and a value or a gap (NaN) at each time.
func checkSeries(t *testing.T, file string, src []byte, tab *Table, errs syntax.ErrorList) {
	t.Helper()
	if errs != nil {
		if tab != nil {
			t.Fatalf("a table and errors %v", errs)
		}
		var list syntax.ErrorList
		if !errors.As(errs.Err(), &list) {
			t.Fatalf("got %T, want a syntax.ErrorList", errs.Err())
		}
		for i := 1; i < len(errs); i++ {
			if errs[i].Pos.Less(errs[i-1].Pos) {
				t.Fatalf("errors not sorted: %v before %v", errs[i-1], errs[i])
			}
		}
		if IsWorkbook(file) {
			for _, e := range errs {
				if e.Pos.File != file || e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("error %v positioned outside a sheet", e)
				}
			}
			return
		}
		lines := strings.Split(strings.TrimPrefix(string(src), "\ufeff"), "\n")
		for _, e := range errs {
			p := e.Pos
			if p.File != file || p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1])+1 {
				t.Fatalf("error %v outside the input (%d lines)", e, len(lines))
			}
		}
		return
	}
	if tab == nil || len(tab.Time) == 0 {
		t.Fatalf("no error and no times: %+v", tab)
	}
	for i, tm := range tab.Time {
		if math.IsNaN(tm) || math.IsInf(tm, 0) || i > 0 && !(tm > tab.Time[i-1]) {
			t.Fatalf("times %v not finite and increasing", tab.Time)
		}
	}
	if len(tab.Cols) != len(tab.Names) {
		t.Fatalf("%d names, %d columns", len(tab.Names), len(tab.Cols))
	}
	seen := map[string]bool{}
	for j, c := range tab.Cols {
		name := strings.ToLower(tab.Names[j])
		if name == "" || name == "time" || seen[name] {
			t.Fatalf("series name %q empty, time or repeated in %q", tab.Names[j], tab.Names)
		}
		seen[name] = true
		if len(c) != len(tab.Time) {
			t.Fatalf("series %q: %d values for %d times", tab.Names[j], len(c), len(tab.Time))
		}
		for _, y := range c {
			if math.IsInf(y, 0) {
				t.Fatalf("series %q: value %v", tab.Names[j], y)
			}
		}
	}
}

// FuzzReadSeries reads any bytes as a CSV, a TSV, a file of neither
// extension or a workbook: no panic, and each result as checkSeries
// requires. The seeds are the files of TestReadSeries and
// TestReadSeriesBad, and two transposed workbooks.
func FuzzReadSeries(f *testing.F) {
	for _, src := range []string{
		"time,obs,price\n0,1,4\n1,,5\n2,3,6\n",
		"time,0,1,2\nobs,1,,3\nprice,4,5\n",
		"Time\t0\t0.5\t\r\nobs[a,b]\t1\t2\t\r\n\t\t\t\r\n",
		"time,2020\n0,5\n1,6\n",
		"\ufeff\"time\",\"x, y\",z\r\n0,\"1\",2\r\n,,\r\n1,\" 3 \",\"\"\r\n",
		"time,1,0\nobs,1,2\n",
		"time,0,,2\nobs,1,2,3,4\n",
		"time,0,1\nobs,1,2\n5,3,4\n",
		"time,x,Time\n0,1,2\n",
		"time,x\n0,\"1\n",
		"time,x\n0,1\"2\n",
		"time,x\n0,1\n2,2\n1,3\n2,4\n",
		"time,0\nobs,1\nobs,2\n",
	} {
		f.Add([]byte(src), uint8(0))
	}
	// A transposed workbook, and one with a bad value.
	f.Add(workbook(f, sheetCells{"Data", map[string]any{"A1": "time", "B1": 0, "C1": 1, "A2": "obs", "B2": 10, "C2": 20}}), uint8(4))
	f.Add(workbook(f, sheetCells{"Data", map[string]any{"A1": "time", "B1": 0, "C1": 1, "A2": "obs", "B2": 10, "C2": "x"}}), uint8(4))
	f.Fuzz(func(t *testing.T, src []byte, kind uint8) {
		file := [...]string{"d.csv", "d.tab", "d.tsv", "d", "d.xlsx"}[kind%5]
		fuzzbound.Check(t, func() {
			tab, errs := ReadSeries(file, src)
			checkSeries(t, file, src, tab, errs)
		})
	})
}
