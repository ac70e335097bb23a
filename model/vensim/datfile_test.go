package vensim

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/internal/fuzzbound"
	"github.com/stockflow/stockflow/model/syntax"
)

// TestReadDat reads .dat files: names and points as the file gives them.
func TestReadDat(t *testing.T) {
	type series struct {
		name   string
		points [][2]float64
	}
	for _, tc := range []struct {
		name, src string
		want      []series
	}{
		{"tabs", "obs\n0\t1\n2\t3.5\nprice\n1\t-2e3\n", []series{
			{"obs", [][2]float64{{0, 1}, {2, 3.5}}}, {"price", [][2]float64{{1, -2000}}}}},
		// A byte order mark, CRLF, blank lines, spaces around and between
		// the fields, a name with spaces and brackets.
		{"BOM, CRLF, spaces", "\ufeff demand[north] \r\n\r\n 0  1 \r\n1 \t 2\r\n", []series{
			{"demand[north]", [][2]float64{{0, 1}, {1, 2}}}}},
		{"a name alone has no points", "obs\nprice\n0\t1\n", []series{
			{"obs", nil}, {"price", [][2]float64{{0, 1}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := readDat("d.dat", []byte(tc.src))
			if errs != nil {
				t.Fatal(errs.Err())
			}
			var g []series
			for _, s := range got {
				g = append(g, series{s.name, s.points})
			}
			if !slices.EqualFunc(g, tc.want, func(a, b series) bool { return a.name == b.name && slices.Equal(a.points, b.points) }) {
				t.Errorf("got  %v\nwant %v", g, tc.want)
			}
		})
	}
}

// TestReadDatBad checks each error of a .dat file, at the line and the
// column of the field at fault (in bytes from 1, after a byte order
// mark).
func TestReadDatBad(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"empty", "", []string{`d.dat:1:1: the data file has no series: a .dat file names each series on a line of its own, then gives its times and values, one pair a line`}},
		{"a byte order mark and blank lines", "\ufeff\r\n \n", []string{`d.dat:1:1: the data file has no series: a .dat file names each series on a line of its own, then gives its times and values, one pair a line`}},
		{"a point before a name", "\n  0\t1\nobs\n", []string{`d.dat:2:3: a time and value before the first series' name: a .dat file names each series on a line of its own, then gives its times and values, one pair a line`}},
		{"three fields", "obs\n0 1 2\n", []string{`d.dat:2:1: series "obs": expected a time and a value separated by a tab, found "0 1 2"`}},
		{"a time alone", "obs\n0\n", []string{`d.dat:2:1: series "obs": expected a time and a value separated by a tab, found "0"`}},
		{"a bad value", "\ufeffobs\r\n0\tlots\r\n1  NaN\r\n", []string{
			`d.dat:2:3: series "obs": the value "lots" is not a number`,
			`d.dat:3:4: series "obs": the value "NaN" is not a number`}},
		{"an infinite time", "obs\n1e999\t1\n", []string{`d.dat:2:1: series "obs": the time "1e999" is not a number`}},
		{"times out of order", "obs\n0\t1\n2\t2\n 1\t3\nprice\n0\t1\n0\t2\n", []string{
			`d.dat:4:2: series "obs": time 1 does not come after time 2; the times must increase`,
			`d.dat:7:1: series "price": time 0 does not come after time 0; the times must increase`}},
		// The second series of a name is checked as well, and reported.
		{"a series named twice", "obs\n0\t1\nprice\n0\t1\n OBS\n0\t1\n1\tx\n", []string{
			`d.dat:5:2: series "OBS" is named twice, first on line 1; give each series once`,
			`d.dat:7:3: series "OBS": the value "x" is not a number`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			series, errs := readDat("d.dat", []byte(tc.src))
			if series != nil {
				t.Errorf("got series %v", series)
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

// FuzzReadDat reads any bytes as a .dat file: no panic; errors inside
// the input, in order, as a syntax.ErrorList; or a series at least, each
// with a name unlike the others' (case aside) and finite points whose
// times increase. The seeds are the files of TestReadDat and
// TestReadDatBad.
func FuzzReadDat(f *testing.F) {
	for _, src := range []string{
		"obs\n0\t1\n2\t3.5\nprice\n1\t-2e3\n",
		"\ufeff demand[north] \r\n\r\n 0  1 \r\n1 \t 2\r\n",
		"obs\nprice\n0\t1\n",
		"\n  0\t1\nobs\n",
		"obs\n0 1 2\n",
		"\ufeffobs\r\n0\tlots\r\n1  NaN\r\n",
		"obs\n0\t1\n2\t2\n 1\t3\nprice\n0\t1\n0\t2\n",
		"obs\n0\t1\nprice\n0\t1\n OBS\n0\t1\n1\tx\n",
	} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzbound.Check(t, func() {
			series, errs := readDat("d.dat", src)
			if errs != nil {
				if series != nil {
					t.Fatalf("series and errors %v", errs)
				}
				var list syntax.ErrorList
				if !errors.As(errs.Err(), &list) {
					t.Fatalf("got %T, want a syntax.ErrorList", errs.Err())
				}
				lines := strings.Split(strings.TrimPrefix(string(src), "\ufeff"), "\n")
				for i, e := range errs {
					p := e.Pos
					if p.File != "d.dat" || p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1])+1 {
						t.Fatalf("error %v outside the input (%d lines)", e, len(lines))
					}
					if i > 0 && p.Less(errs[i-1].Pos) {
						t.Fatalf("errors not sorted: %v before %v", errs[i-1], e)
					}
				}
				return
			}
			if len(series) == 0 {
				t.Fatal("no error and no series")
			}
			seen := map[string]bool{}
			for _, s := range series {
				k := strings.ToLower(s.name)
				if s.name == "" || s.name != strings.TrimSpace(s.name) || seen[k] {
					t.Fatalf("series name %q empty, untrimmed or repeated", s.name)
				}
				seen[k] = true
				for i, p := range s.points {
					if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) || i > 0 && !(p[0] > s.points[i-1][0]) {
						t.Fatalf("series %q: points %v not finite with increasing times", s.name, s.points)
					}
				}
			}
		})
	})
}
