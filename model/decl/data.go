package decl

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/syntax"
)

// The ways a data variable's value between two of its points is found.
const (
	InterpLinear = "linear" // along the straight line between the points
	InterpHold   = "hold"   // the value of the last point at or before the time
	InterpNone   = "none"   // only at the points' times; NaN between them
	// InterpForward is the value of the first point at or after the time
	// (Vensim's :LOOK FORWARD:); after the last point, the last value.
	InterpForward = "forward"
)

// Interpolations lists the interpolation rules of data variables, default
// first.
var Interpolations = []string{InterpLinear, InterpHold, InterpNone, InterpForward}

// DataSource says where a data variable's points come from and how they
// are read between their times.
type DataSource struct {
	// File is the path of a CSV, TSV or Excel (.xlsx) file as the model
	// gives it, relative to the model file's directory; empty when the
	// points are given inline.
	File string
	// Sheet names the sheet of an Excel workbook; empty means its first
	// sheet.
	Sheet string
	// Column names the column of values; empty means the variable's name.
	Column string
	// TimeColumn names the column of times; empty means "time".
	TimeColumn string
	// Interpolate is InterpLinear (the default), InterpHold, InterpNone or
	// InterpForward.
	Interpolate string
}

// ColumnOr returns the column of values: Column, or name when it is empty.
func (s *DataSource) ColumnOr(name string) string {
	if s.Column != "" {
		return s.Column
	}
	return name
}

// TimeColumnOr returns the column of times: TimeColumn, or "time".
func (s *DataSource) TimeColumnOr() string {
	if s.TimeColumn != "" {
		return s.TimeColumn
	}
	return "time"
}

var dataKeys = []string{"file", "sheet", "column", "time_column", "interpolate", "extrapolate", "points", "units", "doc", "pos"}

// dataVar reads a [data.NAME] table.
func (r *reader) dataVar(c loc, v *Var, t map[string]any) {
	r.unknownKeys(c, t, dataKeys)
	r.common(c, v, t)
	v.Data = &DataSource{}
	if x, ok := t["extrapolate"]; ok {
		v.Extrapolate, _ = r.boolean(c.child("extrapolate"), x)
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"file", &v.Data.File}, {"sheet", &v.Data.Sheet}, {"column", &v.Data.Column}, {"time_column", &v.Data.TimeColumn}} {
		if x, ok := t[f.key]; ok {
			s, good := r.str(c.child(f.key), x)
			if good && strings.TrimSpace(s) == "" {
				r.errorf(r.valPos(c.child(f.key)), c.child(f.key), "empty %s", f.key)
			}
			*f.dst = s
		}
	}
	if x, ok := t["interpolate"]; ok {
		ic := c.child("interpolate")
		if s, good := r.str(ic, x); good {
			ls := strings.ToLower(s)
			if contains(Interpolations, ls) {
				v.Data.Interpolate = ls
			} else {
				r.errorf(r.valPos(ic), ic, "unknown interpolation %q (use one of %s)", s, strings.Join(Interpolations, ", "))
			}
		}
	}
	px, hasPoints := t["points"]
	_, hasFile := t["file"]
	switch {
	case hasPoints && hasFile:
		r.errorf(r.valPos(c.child("points")), c.child("points"), "give either file or points, not both")
	case hasPoints:
		for _, k := range []string{"sheet", "column", "time_column"} {
			if _, ok := t[k]; ok {
				r.errorf(r.keyPos(c.child(k)), c.child(k), "%s applies to a file; these points are inline", k)
			}
		}
		r.points(c, v, px, "data variable", "time", 1)
	case !hasFile:
		r.errorf(v.Pos, c, "missing file or points (a CSV, TSV or Excel file = \"observed.csv\", or points = [[time, value], ...])")
	case v.Data.Sheet != "" && !IsWorkbook(v.Data.File):
		r.errorf(r.keyPos(c.child("sheet")), c.child("sheet"), "sheet applies to an Excel workbook (.xlsx); %q is read as CSV or TSV", v.Data.File)
	}
}

// DataOptions adjusts ReadData. The zero value reads as the CLI does
// without flags.
type DataOptions struct {
	// AllowPaths lets a data file lie outside the model file's directory
	// tree (an absolute path, or one through ".."); by default that is an
	// error, so that a model from elsewhere cannot read any file it likes.
	AllowPaths bool
	// MaxInputSize bounds each data file's size in bytes, as
	// LoadOptions.MaxInputSize does the model's. Zero means
	// DefaultMaxInputSize; a negative value means no bound.
	MaxInputSize int64
	// DataFiles are the files a Vensim model's data variables without an
	// equation (x ~ units ~ |) read their values from, as Vensim's data
	// sets do (ReadSeries reads them). Their paths are as the user gives
	// them, relative to the working directory, not the model's; AllowPaths
	// does not apply to them. Only Vensim models read them.
	DataFiles []string
}

// ReadData fills the points of every data variable of m that names a file
// (CSV, TSV, or a sheet of an Excel workbook), reading the file relative
// to the directory of m.File. Errors come as a syntax.ErrorList: a file
// that cannot be read or lies outside the model's directory is reported
// at the file key; a missing sheet or column, an empty or non-numeric
// time, a non-numeric value, and times that do not increase are reported
// at their row and column in the data file (a workbook's cell).
func ReadData(m *Model, opt DataOptions) error {
	var errs syntax.ErrorList
	cache := map[string][]byte{}
	for _, v := range m.Vars {
		if v.Kind != Data || v.Data == nil || v.Data.File == "" {
			continue
		}
		key := v.Key + ".file"
		pos := v.FieldPosOr("file")
		path, err := DataPath(m.File, v.Data.File, opt.AllowPaths)
		if err != nil {
			errs.Add(pos, key, err.Error())
			continue
		}
		src, ok := cache[path]
		if !ok {
			src, err = ReadFile(path, opt.MaxInputSize)
			if err != nil {
				errs.Addf(pos, key, "cannot read data file %q: %s", v.Data.File, fileErr(err, path))
				continue
			}
			cache[path] = src
		}
		col := v.Data.ColumnOr(v.Name)
		var t *Table
		var terrs syntax.ErrorList
		if IsWorkbook(path) {
			t, terrs = ReadSheet(path, src, v.Data.Sheet, v.Data.TimeColumnOr(), []string{col})
		} else {
			t, terrs = ReadTable(path, src, v.Data.TimeColumnOr(), []string{col})
		}
		if terrs != nil {
			for _, e := range terrs {
				if e.Key == "" {
					e.Key = key
				}
			}
			errs = append(errs, terrs...)
			continue
		}
		v.Points = v.Points[:0]
		for i, y := range t.Cols[0] {
			if !math.IsNaN(y) {
				v.Points = append(v.Points, [2]float64{t.Time[i], y})
			}
		}
		if len(v.Points) == 0 {
			errs.Addf(pos, key, "column %q of %s has no values", col, path)
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return errs
	}
	return nil
}

// fileErr describes an error opening path without repeating the path.
func fileErr(err error, path string) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s (looked for %s)", pe.Err, path)
	}
	return err.Error()
}

// DataPath resolves the path of a data file, as a model file names it,
// against the directory of the model file. Unless allowOutside is set, a
// path that leaves that directory tree (absolute, or through "..", or
// through a symbolic link that points outside) is an error.
func DataPath(modelFile, file string, allowOutside bool) (string, error) {
	dir := filepath.Dir(modelFile)
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, file)
	}
	if allowOutside {
		return path, nil
	}
	outside := fmt.Errorf("data file %q lies outside the model's directory %s; move it beside the model, or pass --allow-paths (DataOptions.AllowPaths) to read it", file, dir)
	if filepath.IsAbs(file) || !filepath.IsLocal(filepath.Clean(file)) {
		return "", outside
	}
	// A symbolic link inside the tree may still point out of it.
	realDir, err1 := filepath.EvalSymlinks(dir)
	realPath, err2 := filepath.EvalSymlinks(path)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(realDir, realPath); err != nil || !filepath.IsLocal(rel) {
			return "", outside
		}
	}
	return path, nil
}

// Table is a table of numbers read from a CSV, TSV or Excel file: a column of
// times and columns of values.
type Table struct {
	File  string      // the file, as given to ReadTable
	Time  []float64   // the times, strictly increasing
	Names []string    // the names of the value columns, as the header spells them
	Cols  [][]float64 // the value columns, one per name; NaN where a cell is empty
}

// Col returns the values of the column named name, or nil.
func (t *Table) Col(name string) []float64 {
	for i, n := range t.Names {
		if n == name {
			return t.Cols[i]
		}
	}
	return nil
}

// ReadTable reads a table of numbers from src, the contents of the CSV,
// TSV or Excel file named file: a header row naming the columns, then one
// row per time. A file whose name ends in .xlsx, .xlsm, .xltx or .xltm is
// read as an Excel workbook, from its first sheet (ReadSheet chooses
// another). Otherwise the separator is a tab when the file's name ends in
// .tsv or .tab, or when its header has a tab and no comma; else a comma.
// timeColumn names the column of times (matched regardless of case). want
// names the value columns to read (matched regardless of case, reported as
// the header spells them); nil means every other column.
//
// Every time must be a number, greater than the one before; a value cell
// must be a number or empty (a gap in the series). Problems come as a
// syntax.ErrorList positioned at the row and column of the data file,
// with an empty key for the caller to fill in.
func ReadTable(file string, src []byte, timeColumn string, want []string) (*Table, syntax.ErrorList) {
	if IsWorkbook(file) {
		return ReadSheet(file, src, "", timeColumn, want)
	}
	g, errs := csvGrid(file, src)
	if g == nil {
		return nil, errs
	}
	t, terrs := g.table(timeColumn, want)
	errs = append(errs, terrs...)
	if len(errs) > 0 {
		return nil, errs
	}
	return t, nil
}

// A cell is the text of one cell of a data file and where it stands.
type cell struct {
	text string
	pos  syntax.Pos
}

// A grid is a data file read as rows of cells, before any of them is
// taken for a number. The first row is the header.
type grid struct {
	file string
	rows [][]cell
	// where names a cell for a message: "row 2" in a CSV file, "sheet
	// \"Data\" cell B3" in a workbook. row counts the rows after the
	// header, from 1.
	where func(row int, c cell) string
	// blank reports the position of a cell missing from a short row.
	blank func(row []cell) syntax.Pos
	// empty is the message for a file with no header row.
	empty string
	// explain adds to the message of an empty cell, or returns "".
	explain func(c cell) string
	// cut reports that the file has an error after its last row read,
	// already reported.
	cut bool
	// across reports that the file's series run across its rows
	// (transpose).
	across bool
}

// csvGrid reads a CSV or TSV file into a grid. It returns the rows read
// before a syntax error of the file together with that error.
func csvGrid(file string, src []byte) (*grid, syntax.ErrorList) {
	var errs syntax.ErrorList
	at := func(line, col int) syntax.Pos { return syntax.Pos{File: file, Line: line, Col: col} }
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(src))
	cr.FieldsPerRecord = -1
	if sep := separator(file, src); sep != ',' {
		cr.Comma = sep
		cr.LazyQuotes = true
	}
	g := &grid{
		file:  file,
		where: func(row int, _ cell) string { return fmt.Sprintf("row %d", row) },
		blank: func(row []cell) syntax.Pos { return at(row[0].pos.Line, 1) },
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs.Add(csvPos(file, src, err), "", csvMsg(err))
			g.cut = true
			break
		}
		if blankRow(rec) {
			continue // a blank line, or one of separators alone
		}
		row := make([]cell, len(rec))
		for i, s := range rec {
			l, c := cr.FieldPos(i)
			row[i] = cell{strings.TrimSpace(s), at(l, c)}
		}
		g.rows = append(g.rows, row)
	}
	if len(g.rows) == 0 {
		if len(errs) == 0 {
			g.empty = "the data file is empty: it needs a header row naming the columns"
			return g, nil
		}
		return nil, errs
	}
	return g, errs
}

// ReadSeries reads the time series of a data file given for a Vensim
// model's data variables (DataOptions.DataFiles): a CSV, TSV or Excel
// file (as ReadTable reads it) whose header names a column "time" and one
// column per series, or the same transposed, as Vensim and PySD write
// them: a first column whose first cell is "time" followed by the times,
// and one row per series, its name in the first cell. A file is read as
// transposed when its first cell is "time", every other cell of its first
// row that is not empty is a number (a time), and every cell of its first
// column below that is not empty is not a number (a series' name), with
// at least one of each; so a file with a time column whose series is
// named by a number ("time,2020" over rows of times) is read down its
// columns, since its first column holds numbers. Every series is read; a
// series named twice (case aside) is an error at its second name, as is
// a series named "time" besides the times. Errors are positioned as
// ReadTable's. A table returned has at least one time, strictly
// increasing and finite, and one column of len(Time) values per name,
// each finite or NaN for a gap.
func ReadSeries(file string, src []byte) (*Table, syntax.ErrorList) {
	var g *grid
	var errs syntax.ErrorList
	if IsWorkbook(file) {
		g, errs = sheetGrid(file, src, "", "time")
	} else {
		g, errs = csvGrid(file, src)
	}
	if g == nil {
		return nil, errs
	}
	if g.timeAcross() {
		g.transpose()
	}
	errs = append(errs, g.namedOnce()...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	t, terrs := g.table("time", nil)
	errs = append(errs, terrs...)
	if len(errs) > 0 {
		errs.Sort() // a transposed file's come column by column
		return nil, errs
	}
	return t, nil
}

// timeAcross reports whether a grid's times run across its first row
// (see ReadSeries): its first cell is "time", the other cells of the
// first row are numbers or empty, and the first column's cells below it
// are names or empty, with at least one number and one name.
func (g *grid) timeAcross() bool {
	if len(g.rows) < 2 || len(g.rows[0]) < 2 || !strings.EqualFold(g.rows[0][0].text, "time") {
		return false
	}
	times := 0
	for _, c := range g.rows[0][1:] {
		if c.text == "" {
			continue
		}
		if _, ok := number(c.text); !ok {
			return false
		}
		times++
	}
	names := 0
	for _, r := range g.rows[1:] {
		if len(r) == 0 || r[0].text == "" {
			continue
		}
		if _, ok := number(r[0].text); ok {
			return false
		}
		names++
	}
	return times > 0 && names > 0
}

// namedOnce reports each header cell of g that repeats an earlier one's
// name, case aside, at the repeat.
func (g *grid) namedOnce() syntax.ErrorList {
	var errs syntax.ErrorList
	if len(g.rows) == 0 {
		return nil
	}
	seen := map[string]cell{}
	for _, c := range g.rows[0] {
		if c.text == "" {
			continue
		}
		k := strings.ToLower(c.text)
		if first, ok := seen[k]; ok {
			errs.Addf(c.pos, "", "%s%q is named twice, first at %s; give each series once", g.headerWhere(c), c.text, g.cellWhere(first))
			continue
		}
		seen[k] = c
	}
	return errs
}

// cellWhere names the cell c for a message about another cell: "line 1
// column 3" in a CSV file, "cell C1" in a workbook.
func (g *grid) cellWhere(c cell) string {
	if g.explain != nil {
		return "cell " + cellName(c.pos)
	}
	return fmt.Sprintf("line %d column %d", c.pos.Line, c.pos.Col)
}

// transpose turns a grid whose series run across its rows into one whose
// series run down its columns. The cells keep their positions in the
// file.
func (g *grid) transpose() {
	n := 0
	for _, r := range g.rows {
		n = max(n, len(r))
	}
	rows := make([][]cell, n)
	for j := range rows {
		rows[j] = make([]cell, len(g.rows))
		for i, r := range g.rows {
			if j < len(r) {
				rows[j][i] = r[j]
			} else {
				rows[j][i] = cell{pos: syntax.Pos{File: g.file, Line: r[0].pos.Line, Col: 1}}
			}
		}
	}
	// A column with no text (a separator at the end of every line) is
	// no time.
	g.rows = slices.DeleteFunc(rows, func(r []cell) bool {
		return !slices.ContainsFunc(r, func(c cell) bool { return c.text != "" })
	})
	g.across = true
	if g.explain == nil {
		g.where = func(_ int, c cell) string { return fmt.Sprintf("line %d column %d", c.pos.Line, c.pos.Col) }
	}
}

// table turns a grid into a table of numbers: the time column and the
// value columns named by want (nil: every other column).
func (g *grid) table(timeColumn string, want []string) (*Table, syntax.ErrorList) {
	var errs syntax.ErrorList
	if len(g.rows) == 0 {
		msg := g.empty + ", such as " + strings.Join(append([]string{timeColumn}, want...), ",")
		errs.Add(syntax.Pos{File: g.file, Line: 1, Col: 1}, "", msg)
		return nil, errs
	}
	header := g.rows[0]
	names := make([]string, len(header))
	var given []string // the names that are not empty
	headerCell := header[0]
	for i, h := range header {
		names[i] = h.text
		if h.text != "" {
			if given == nil {
				headerCell = h
			}
			given = append(given, h.text)
		}
	}
	find := func(name string) int {
		for i, n := range names {
			if strings.EqualFold(n, name) {
				return i
			}
		}
		return -1
	}
	missing := func(what, name, hint string) {
		msg := fmt.Sprintf("no %s column %q in the header (columns: %s)", what, name, strings.Join(given, ", "))
		if s := syntax.Suggest(name, given); s != "" {
			msg = fmt.Sprintf("no %s column %q in the header (did you mean %q?)", what, name, s)
		}
		errs.Add(headerCell.pos, "", g.headerWhere(headerCell)+msg+hint)
	}
	tc := find(timeColumn)
	if tc < 0 {
		missing("time", timeColumn, "; name the time column with time_column (--time-column)")
	}
	var cols []int
	t := &Table{File: g.file}
	if want == nil {
		for i, n := range names {
			if i != tc && n != "" {
				cols = append(cols, i)
				t.Names = append(t.Names, n)
			}
		}
	} else {
		for _, w := range want {
			i := find(w)
			if i < 0 {
				missing("value", w, "; name the column with column")
				continue
			}
			cols = append(cols, i)
			t.Names = append(t.Names, names[i])
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	t.Cols = make([][]float64, len(cols))
	prev, prevPos := math.Inf(-1), syntax.Pos{}
	for r, rec := range g.rows[1:] {
		row := r + 1
		get := func(i int) cell {
			if i < len(rec) {
				return rec[i]
			}
			return cell{pos: g.blank(rec)}
		}
		c := get(tc)
		tm, ok := number(c.text)
		switch {
		case c.text == "" && g.across:
			// Values below no time: the first of them says where.
			v := rec[slices.IndexFunc(rec, func(c cell) bool { return c.text != "" })]
			errs.Addf(v.pos, "", "%s: the value %q has no time: the time row (%s) has none in its column; give the time there, or remove the value", g.where(row, v), v.text, g.lineName(header[tc].pos))
			continue
		case c.text == "":
			errs.Addf(c.pos, "", "%s: the time (column %q) is empty%s", g.where(row, c), names[tc], g.explainEmpty(c))
			continue
		case !ok && g.across:
			errs.Addf(c.pos, "", "%s: the time (row %q) is %q, not a number", g.where(row, c), names[tc], c.text)
			continue
		case !ok:
			errs.Addf(c.pos, "", "%s: the time (column %q) is %q, not a number", g.where(row, c), names[tc], c.text)
			continue
		case tm <= prev && g.across:
			errs.Addf(c.pos, "", "%s: time %s does not come after time %s at %s; put the columns in order of time, one column per time", g.where(row, c), ff(tm), ff(prev), g.cellWhere(cell{pos: prevPos}))
			continue
		case tm <= prev:
			errs.Addf(c.pos, "", "%s: time %s does not come after time %s on %s; sort the rows by time, one row per time", g.where(row, c), ff(tm), ff(prev), g.lineName(prevPos))
			continue
		}
		prev, prevPos = tm, c.pos
		t.Time = append(t.Time, tm)
		for j, i := range cols {
			c := get(i)
			y := math.NaN()
			if c.text != "" {
				if y, ok = number(c.text); !ok {
					errs.Addf(c.pos, "", "%s: the value in %s %q is %q, not a number (leave the cell empty for a gap)", g.where(row, c), g.seriesWord(), names[i], c.text)
				}
			}
			t.Cols[j] = append(t.Cols[j], y)
		}
	}
	if len(errs) > 0 || g.cut {
		return nil, errs
	}
	if len(t.Time) == 0 {
		errs.Add(headerCell.pos, "", g.headerWhere(headerCell)+"the data file has a header but no rows")
		return nil, errs
	}
	return t, nil
}

// headerWhere prefixes a message about the header of a workbook's sheet
// with the sheet; a CSV file's header needs no prefix.
func (g *grid) headerWhere(c cell) string {
	if g.explain == nil {
		return ""
	}
	return g.where(0, c) + ": "
}

// lineName names the row of an earlier time: its line in a CSV file, its
// row in a workbook.
func (g *grid) lineName(p syntax.Pos) string {
	if g.explain == nil {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("row %d", p.Line)
}

// seriesWord is what holds a series in g: a column, or a row when the
// file is transposed.
func (g *grid) seriesWord() string {
	if g.across {
		return "row"
	}
	return "column"
}

func (g *grid) explainEmpty(c cell) string {
	if g.explain == nil {
		return ""
	}
	return g.explain(c)
}

// number parses a finite number.
func number(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// separator chooses a data file's field separator.
func separator(file string, src []byte) rune {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".tsv", ".tab":
		return '\t'
	case ".csv":
		return ','
	}
	first, _, _ := bytes.Cut(src, []byte("\n"))
	if bytes.ContainsRune(first, '\t') && !bytes.ContainsRune(first, ',') {
		return '\t'
	}
	return ','
}

// csvPos returns the position of a CSV syntax error in src. encoding/csv
// reports an unclosed quote at the end of the input one column past its
// last line's newline (or on a line after the last): such a position is
// moved back to the end of the input's last line.
func csvPos(file string, src []byte, err error) syntax.Pos {
	p := syntax.Pos{File: file, Line: 1, Col: 1}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return p
	}
	lines := strings.Split(string(src), "\n")
	p.Line = min(max(pe.Line, 1), len(lines))
	line := strings.TrimSuffix(lines[p.Line-1], "\r")
	p.Col = min(max(pe.Column, 1), len(line)+1)
	if pe.Line > len(lines) {
		p.Col = len(line) + 1
	}
	return p
}

func csvMsg(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// InlineData returns a copy of m in which every data variable read from a
// file carries the points read (ReadData) inline instead, so that the
// model no longer needs its files: what a program that embeds the model
// (stockflow gen) must hold. It returns m itself, and false, when no data
// variable names a file. m is not changed.
func InlineData(m *Model) (*Model, bool) {
	var c *Model
	for i, v := range m.Vars {
		if v.Kind != Data || v.Data == nil || v.Data.File == "" {
			continue
		}
		if c == nil {
			cp := *m
			cp.Vars = slices.Clone(m.Vars)
			c = &cp
		}
		nv, src := *v, *v.Data
		src.File, src.Sheet, src.Column, src.TimeColumn = "", "", "", ""
		nv.Data = &src
		nv.Points = slices.Clone(v.Points)
		c.Vars[i] = &nv
	}
	if c == nil {
		return m, false
	}
	return c, true
}
