package decl

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

// dataModel returns a model file, as if at testdata/data/m.toml, with
// one data variable whose table has the given body.
func dataModel(body string) (string, []byte) {
	return filepath.Join("testdata", "data", "m.toml"), []byte("[data.price]\n" + body + "\n")
}

func readData(t *testing.T, body string, opt DataOptions) (*Model, error) {
	t.Helper()
	file, src := dataModel(body)
	m, err := ParseTOML(file, src)
	if err != nil {
		return m, err
	}
	return m, ReadData(m, opt)
}

// TestReadDataBad reads the corpus of bad data files in testdata/data,
// each of which must be reported in full: the data file's row and column
// (or the model's file key), and what to do.
func TestReadDataBad(t *testing.T) {
	dir := filepath.Join("testdata", "data")
	f := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		body string
		want []string
	}{
		{`file = "missing_column.csv"` + "\ncolumn = \"prices\"", []string{
			f("missing_column.csv") + `:1:1: data.price.file: no value column "prices" in the header (did you mean "price"?); name the column with column`}},
		{`file = "non_numeric.csv"`, []string{
			f("non_numeric.csv") + `:3:3: data.price.file: row 2: the value in column "price" is "n/a", not a number (leave the cell empty for a gap)`}},
		{`file = "not_increasing.csv"`, []string{
			f("not_increasing.csv") + `:4:1: data.price.file: row 3: time 1 does not come after time 2 on line 3; sort the rows by time, one row per time`}},
		{`file = "empty_time.csv"`, []string{
			f("empty_time.csv") + `:3:1: data.price.file: row 2: the time (column "time") is empty`}},
		{`file = "bad_time.csv"`, []string{
			f("bad_time.csv") + `:3:1: data.price.file: row 2: the time (column "time") is "abc", not a number`}},
		{`file = "no_time.csv"`, []string{
			f("no_time.csv") + `:1:1: data.price.file: no time column "time" in the header (columns: year, price); name the time column with time_column (--time-column)`}},
		{`file = "empty.csv"`, []string{
			f("empty.csv") + `:1:1: data.price.file: the data file is empty: it needs a header row naming the columns, such as time,price`}},
		{`file = "header_only.csv"`, []string{
			f("header_only.csv") + `:1:1: data.price.file: the data file has a header but no rows`}},
		{`file = "bad_quote.csv"`, []string{
			f("bad_quote.csv") + `:2:5: data.price.file: extraneous or missing " in quoted-field`}},
		{`file = "nowhere.csv"`, []string{
			f("m.toml") + `:2:8: data.price.file: cannot read data file "nowhere.csv": no such file or directory (looked for ` + f("nowhere.csv") + `)`}},
		{`file = "../logistic.toml"`, []string{
			f("m.toml") + `:2:8: data.price.file: data file "../logistic.toml" lies outside the model's directory ` + dir + `; move it beside the model, or pass --allow-paths (DataOptions.AllowPaths) to read it`}},
		{`file = "good.tsv"` + "\npoints = [[0, 1]]", []string{
			f("m.toml") + `:3:10: data.price.points: give either file or points, not both`}},
		{`points = [[0, 1], [0, 2]]`, []string{
			f("m.toml") + `:2:19: data.price.points: point 2: duplicate time = 0 (time values must be strictly increasing)`}},
		{`points = [[0, 1]]` + "\ninterpolate = \"step\"", []string{
			f("m.toml") + `:3:15: data.price.interpolate: unknown interpolation "step" (use one of linear, hold, none, forward)`}},
		{`units = "t"`, []string{
			f("m.toml") + `:1:1: data.price: missing file or points (a CSV, TSV or Excel file = "observed.csv", or points = [[time, value], ...])`}},
	}
	for _, tt := range tests {
		_, err := readData(t, tt.body, DataOptions{})
		var list syntax.ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: got error %v, want a list", tt.body, err)
			continue
		}
		var got []string
		for _, e := range list {
			got = append(got, e.Error())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.body, got, tt.want)
		}
	}
}

// TestReadDataTSV reads a TSV file with a text column it does not use and
// a gap, which is left out of the points.
func TestReadDataTSV(t *testing.T) {
	m, err := readData(t, `file = "good.tsv"`+"\ninterpolate = \"hold\"", DataOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := m.Var("price")
	want := [][2]float64{{0, 1}, {2, 4}}
	if !slices.Equal(v.Points, want) {
		t.Errorf("got points %v, want %v", v.Points, want)
	}
	if v.Data.Interpolate != InterpHold {
		t.Errorf("got interpolate %q, want %q", v.Data.Interpolate, InterpHold)
	}
}

// TestReadDataAllowPaths reads a file outside the model's directory only
// when allowed.
func TestReadDataAllowPaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "obs.csv"), []byte("time,price\n1,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	body := `file = "` + filepath.ToSlash(filepath.Join(dir, "obs.csv")) + `"`
	if _, err := readData(t, body, DataOptions{}); err == nil || !strings.Contains(err.Error(), "--allow-paths") {
		t.Fatalf("got %v, want an error naming --allow-paths", err)
	}
	m, err := readData(t, body, DataOptions{AllowPaths: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Var("price").Points, [][2]float64{{1, 5}}; !slices.Equal(got, want) {
		t.Errorf("got points %v, want %v", got, want)
	}
}

// TestReadDataSymlinkOut refuses a data file reached through a symbolic
// link inside the model's directory that points out of it, unless
// allowed.
func TestReadDataSymlinkOut(t *testing.T) {
	outside, dir := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "obs.csv"), []byte("time,price\n1,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "obs.csv"), filepath.Join(dir, "obs.csv")); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	file := filepath.Join(dir, "m.toml")
	read := func(opt DataOptions) (*Model, error) {
		m, err := ParseTOML(file, []byte("[data.price]\nfile = \"obs.csv\"\n"))
		if err != nil {
			t.Fatal(err)
		}
		return m, ReadData(m, opt)
	}
	want := file + `:2:8: data.price.file: data file "obs.csv" lies outside the model's directory ` + dir + `; move it beside the model, or pass --allow-paths (DataOptions.AllowPaths) to read it`
	if _, err := read(DataOptions{}); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	m, err := read(DataOptions{AllowPaths: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Var("price").Points, [][2]float64{{1, 5}}; !slices.Equal(got, want) {
		t.Errorf("got points %v, want %v", got, want)
	}
}

// TestWriteData writes data variables back as they were given: file and
// columns, or inline points.
func TestWriteData(t *testing.T) {
	src := `[data.price]
file = "good.tsv"
column = "price"
time_column = "time"
interpolate = "hold"
units = "usd"

[data.target]
points = [[0, 1], [5, 2]]
extrapolate = true
doc = "a target"
`
	m, err := ParseTOML("m.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteTOML(&b, m); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range strings.Split(strings.TrimSpace(src), "\n") {
		if !strings.Contains(got, want+"\n") && want != "" {
			t.Errorf("written model lacks %q:\n%s", want, got)
		}
	}
}
