package vensim

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// What a GET function reads.
type getKind int

const (
	getConstants getKind = iota + 1 // numbers, into params
	getData                         // time series, into data variables
	getLookups                      // tables, into lookups
)

// getFunc tells which GET function key names, if it is one the reader
// reads when the model is parsed.
func getFunc(key string) getKind {
	switch key {
	case "get xls constants", "get direct constants":
		return getConstants
	case "get xls data", "get direct data":
		return getData
	case "get xls lookups", "get direct lookups":
		return getLookups
	}
	return 0
}

// extData is the series a definition reads with GET XLS DATA or GET
// DIRECT DATA: the points of a data variable.
type extData struct {
	points [][2]float64
	interp string // decl.InterpLinear, ...
}

// sources holds the files the GET functions of one Parse read, each read
// once.
type sources struct {
	books  map[string]*decl.Workbook
	texts  map[string]*decl.Sheet
	warned map[string]bool
}

// close releases the workbooks.
func (s *sources) close() {
	if s == nil {
		return
	}
	for _, b := range s.books {
		b.Close()
	}
}

// getCall is a GET function call being read for one definition.
type getCall struct {
	r    *reader
	d    *def
	n    *node
	kind getKind
	fn   string   // the function's name in capitals, for messages
	args []string // its arguments, all strings
	bad  bool
}

func (g *getCall) fail(format string, args ...any) {
	g.bad = true
	g.r.errorf(g.d.e, g.n.pos, g.d.name, g.fn+": "+format, args...)
}

// external reads the file a definition's GET function names, when the
// whole equation is one, and returns the definitions to add in its
// place: the definition itself with the numbers read (constants), a
// lookup (lookups) or a data variable (data; an arrayed one is split
// into one definition per element, each the data variable of its
// element). Anything else is returned as it is.
func (r *reader) external(d *def) []*def {
	var n *node
	switch {
	case d.kind == dEq && d.rhs != nil && d.rhs.kind == nCall && strings.HasPrefix(d.rhs.key, "get "):
		n = d.rhs
	case d.kind == dLookup && d.tbl != nil && d.tbl.get != nil:
		n = d.tbl.get
	default:
		return []*def{d}
	}
	g := &getCall{r: r, d: d, n: n, kind: getFunc(n.key), fn: strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(n.text, "_", " ")), " "))}
	if g.kind == 0 {
		if subscriptFunc(n.key) {
			g.fail("gives the elements of a subscript range, not a value: write it after the range's colon (%s: %s(...))", d.name, g.fn)
			return g.standIn()
		}
		if d.kind == dLookup {
			r.errorf(d.e, n.pos, d.name, "%s", unsupported(n))
			d.tbl = &table{points: [][2]float64{{0, 0}, {1, 0}}}
		}
		return []*def{d} // the translation says what is wrong
	}
	if d.kind == dLookup && g.kind != getLookups {
		g.fail("a lookup's table is read with GET XLS LOOKUPS or GET DIRECT LOOKUPS")
		return g.standIn()
	}
	want := 3
	if g.kind != getConstants {
		want = 4
	}
	if len(n.args) != want {
		g.fail("takes %d arguments (%s), got %d", want, getArgs[g.kind], len(n.args))
		return g.standIn()
	}
	for _, a := range n.args {
		if a.kind != nStr {
			g.fail("each argument is a quoted text ('...'), as in %s(%s)", g.fn, getArgs[g.kind])
			return g.standIn()
		}
		g.args = append(g.args, a.text)
	}
	if len(d.excepts) > 0 {
		g.fail(":EXCEPT: is not read together with a GET function; define the elements one by one")
		return g.standIn()
	}
	elems, ok := r.defElems(d)
	if !ok {
		return []*def{d} // the unknown subscript is reported when the variable is shaped
	}
	switch g.kind {
	case getConstants:
		g.constants(elems)
		if g.bad {
			return g.standIn()
		}
		return []*def{d}
	default:
		return g.series(elems)
	}
}

// getArgs names the arguments of the GET functions.
var getArgs = map[getKind]string{
	getConstants: "'file', 'sheet' or 'delimiter', 'first cell'",
	getData:      "'file', 'sheet' or 'delimiter', 'time row or column', 'first cell'",
	getLookups:   "'file', 'sheet' or 'delimiter', 'x row or column', 'first cell'",
}

// standIn returns the definition with its GET call replaced by a value
// that keeps the variable known, after an error.
func (g *getCall) standIn() []*def {
	d := g.d
	if g.kind == getLookups || d.kind == dLookup {
		d.kind, d.rhs = dLookup, nil
		d.tbl = &table{points: [][2]float64{{0, 0}, {1, 0}}}
		return []*def{d}
	}
	d.kind, d.rhs, d.data = dEq, &node{kind: nNum, pos: g.n.pos, text: "0"}, false
	return []*def{d}
}

// defElems returns, for each subscript of d's left-hand side, the
// elements it covers: a range's, or the one element named.
func (r *reader) defElems(d *def) ([][]string, bool) {
	out := make([][]string, len(d.subs))
	for i, s := range d.subs {
		if dm := r.dims[s.key]; dm != nil {
			out[i] = dm.elems
			continue
		}
		el, ok := r.elems[s.key]
		if !ok {
			return nil, false
		}
		out[i] = []string{el}
	}
	return out, true
}

// sheet opens the sheet a GET call reads: a workbook's sheet named by
// the second argument, or a delimited text file whose delimiter it is.
// It returns the workbook too, for its named ranges (nil for a text
// file).
func (g *getCall) sheet() (*decl.Sheet, *decl.Workbook) {
	r := g.r
	file, tab := g.args[0], g.args[1]
	if strings.HasPrefix(file, "?") {
		to, ok := r.aliases[strings.ToLower(strings.TrimSpace(file))]
		if !ok {
			g.fail("'%s' names its file by an alias (a leading ?), which the model's settings do not define: Vensim keeps each alias in a line after the sketch, 30:%s=FILE; add that line, or give the file's path instead", file, file)
			return nil, nil
		}
		file = to
	}
	if r.files == nil {
		r.files = &sources{books: map[string]*decl.Workbook{}, texts: map[string]*decl.Sheet{}, warned: map[string]bool{}}
	}
	path, err := decl.DataPath(r.file, file, r.opt.AllowPaths)
	if err != nil {
		g.fail("%v", err)
		return nil, nil
	}
	ext := strings.ToLower(filepath.Ext(path))
	if !decl.IsWorkbook(path) && ext != ".xls" {
		sh := r.files.texts[path+"\x00"+tab]
		if sh == nil {
			sep := []rune(strings.ReplaceAll(tab, `\t`, "\t"))
			if len(sep) != 1 || sep[0] == '"' || sep[0] == '\n' || sep[0] == '\r' {
				g.fail("the delimiter '%s' is not one character (give ',' for CSV, '\\t' for TSV; a sheet's name is for .xlsx workbooks)", tab)
				return nil, nil
			}
			src, err := decl.ReadFile(path, r.opt.MaxInputSize)
			if err != nil {
				g.fail("cannot read '%s' (looked for %s); put the file beside the model", file, path)
				return nil, nil
			}
			if sh, err = decl.ReadDelimited(file, src, sep[0]); err != nil {
				g.fail("'%s': %v", file, err)
				return nil, nil
			}
			r.files.texts[path+"\x00"+tab] = sh
		}
		return sh, nil
	}
	wb := r.files.books[path]
	if wb == nil {
		read := path
		src, err := decl.ReadFile(path, r.opt.MaxInputSize)
		if ext == ".xls" && (err != nil || !bytes.HasPrefix(src, []byte("PK\x03\x04"))) {
			// An old binary workbook, which is not read: its .xlsx copy
			// beside it is, when there is one.
			alt := strings.TrimSuffix(path, filepath.Ext(path)) + ".xlsx"
			asrc, aerr := decl.ReadFile(alt, r.opt.MaxInputSize)
			if aerr != nil {
				if err != nil {
					g.fail("cannot read '%s' (looked for %s, and for %s); put the file beside the model", file, path, filepath.Base(alt))
				} else {
					g.fail("'%s' is an old binary Excel workbook (.xls), which stockflow does not read: open it in Excel or LibreOffice and save it as %s beside it", file, filepath.Base(alt))
				}
				return nil, nil
			}
			if !r.files.warned[path] {
				r.files.warned[path] = true
				why := "it is an old binary workbook, which stockflow does not read"
				if err != nil {
					why = "there is no such file"
				}
				r.m.Warnings = append(r.m.Warnings, &syntax.Error{Pos: r.at(g.d.e, g.n.pos), Key: g.d.name,
					Msg: fmt.Sprintf("%s: read %s in place of '%s' (%s); keep the two the same", g.fn, filepath.Base(alt), file, why)})
			}
			read, src, err = alt, asrc, nil
		}
		if err != nil {
			g.fail("cannot read '%s' (looked for %s); put the file beside the model", file, path)
			return nil, nil
		}
		if wb, err = decl.OpenWorkbook(read, src); err != nil {
			g.fail("'%s': %v", file, err)
			return nil, nil
		}
		r.files.books[path] = wb
	}
	sh, err := wb.Sheet(tab)
	if err != nil {
		g.fail("'%s': %v", file, err)
		return nil, nil
	}
	return sh, wb
}

// cell resolves a cell argument: a reference such as B2, or (in a
// workbook) a named range, either ending in * to transpose. It returns
// the range (one cell for a reference), the sheet it lies on, and
// whether it was named.
func (g *getCall) cell(sh *decl.Sheet, wb *decl.Workbook, arg string) (rg decl.CellRange, on *decl.Sheet, star, ok bool) {
	s := strings.TrimSpace(arg)
	if strings.HasSuffix(s, "*") {
		star, s = true, strings.TrimSpace(s[:len(s)-1])
	}
	if col, row, isRef := decl.ParseCellRef(s); isRef && !strings.HasPrefix(s, "$") {
		return decl.CellRange{Col: col, Row: row, Cols: 1, Rows: 1}, sh, star, true
	}
	if wb == nil {
		g.fail("'%s' is not a cell such as B2 (a column's letters, a row's number, * to transpose); named ranges are for .xlsx workbooks", arg)
		return rg, nil, false, false
	}
	rg, found := wb.Name(s, sh.Name)
	if !found {
		g.fail("'%s' is neither a cell such as B2 nor a named range of '%s'", arg, g.args[0])
		return rg, nil, false, false
	}
	on = sh
	if rg.Sheet != "" && !strings.EqualFold(rg.Sheet, sh.Name) {
		var err error
		if on, err = wb.Sheet(rg.Sheet); err != nil {
			g.fail("the named range '%s' lies on sheet %q: %v", s, rg.Sheet, err)
			return rg, nil, false, false
		}
	}
	return rg, on, star, true
}

// where names a cell of sh for a message: the file, the sheet, the cell.
func (g *getCall) where(sh *decl.Sheet, col, row int) string {
	return fmt.Sprintf("'%s' %s", g.args[0], sh.Where(col, row))
}

// constants reads GET XLS CONSTANTS or GET DIRECT CONSTANTS into d: a
// scalar gets the number in the cell. Subscripts that name one element
// (or a range of one) do not count: over one range, the cells across the
// row from the cell, one per element; over two, the block whose rows are
// the first range's elements and whose columns are the second's. A cell
// ending in * reads the block transposed: one range down the column.
func (g *getCall) constants(elems [][]string) {
	d := g.d
	sh, wb := g.sheet()
	if sh == nil {
		return
	}
	rg, on, star, ok := g.cell(sh, wb, g.args[2])
	if !ok {
		return
	}
	// The subscripts that cover more than one element give the block's
	// size: one, the cells across a row; two, the rows and the columns.
	var sizes []int
	var which []string
	for i, e := range elems {
		if len(e) > 1 {
			sizes = append(sizes, len(e))
			which = append(which, d.subs[i].text)
		}
	}
	rows, cols := 1, 1
	switch len(sizes) {
	case 0:
	case 1:
		cols = sizes[0]
	case 2:
		rows, cols = sizes[0], sizes[1]
	default:
		g.fail("%s varies over %d subscripts (%s); a GET function reads a block of rows and columns, at most two, so define %s for one element of %s at a time",
			d.name, len(sizes), strings.Join(which, ", "), d.name, which[0])
		return
	}
	if star {
		rows, cols = cols, rows
	}
	vals := make([]float64, 0, rows*cols)
	for i := range rows {
		for j := range cols {
			col, row := rg.Col+j, rg.Row+i
			x, text, ok := on.Number(col, row)
			if !ok {
				what := fmt.Sprintf("holds %q, not a number", text)
				if text == "" {
					what = fmt.Sprintf("is empty (reading %d×%d cells from %s)", rows, cols, decl.CellRef(rg.Col, rg.Row))
				}
				g.fail("%s %s", g.where(on, col, row), what)
				return
			}
			vals = append(vals, x)
		}
	}
	if star {
		t := make([]float64, len(vals))
		for i := range rows {
			for j := range cols {
				t[j*rows+i] = vals[i*cols+j]
			}
		}
		vals = t
	}
	if len(d.subs) == 0 {
		d.rhs = &node{kind: nNum, pos: g.n.pos, num: vals[0], text: strconv.FormatFloat(vals[0], 'g', -1, 64)}
		return
	}
	d.kind, d.nums, d.rhs = dList, vals, nil
}

// series reads GET XLS DATA or LOOKUPS (or DIRECT): for each element of
// d, the points of a time series (data) or a table (lookups).
func (g *getCall) series(elems [][]string) []*def {
	d := g.d
	sh, wb := g.sheet()
	if sh == nil {
		return g.standIn()
	}
	first, on, star, ok := g.cell(sh, wb, g.args[3])
	if !ok {
		return g.standIn()
	}
	if star {
		g.fail("'%s': * transposes constants only; the time row or column says which way a series runs", g.args[3])
		return g.standIn()
	}
	// Which position of the left-hand side runs over several elements:
	// its elements take the rows (times across) or columns (times down)
	// one after the other.
	vary := -1
	for i, e := range elems {
		if len(e) > 1 {
			if vary >= 0 {
				g.fail("%s varies over %s and %s; a series is read for one range at a time, so define %s one element of %s at a time",
					d.name, d.subs[vary].text, d.subs[i].text, d.name, d.subs[vary].text)
				return g.standIn()
			}
			vary = i
		}
	}
	tsh, times, across, ok := g.times(on, wb, first)
	if !ok {
		return g.standIn()
	}
	count := 1
	if vary >= 0 {
		count = len(elems[vary])
	}
	tuples := make([][]string, count)
	pts := make([][][2]float64, count)
	for k := range count {
		t := make([]string, len(elems))
		for i, e := range elems {
			if i == vary {
				t[i] = e[k]
			} else {
				t[i] = e[0]
			}
		}
		tuples[k] = t
		col, row := first.Col, first.Row+k
		if !across {
			col, row = first.Col+k, first.Row
		}
		if pts[k], ok = g.points(tsh, times, across, on, col, row); !ok {
			return g.standIn()
		}
	}
	var out []*def
	for k, t := range tuples {
		nd := &def{e: d.e, kind: d.kind, name: d.name, key: d.key, pos: d.pos, subs: d.subs}
		if len(d.subs) > 0 {
			nd.subs = g.r.elementSubs(d, t)
		}
		if g.kind == getLookups {
			nd.kind, nd.tbl = dLookup, &table{points: pts[k]}
			out = append(out, nd)
			continue
		}
		x := &extData{points: pts[k], interp: interpOf(d.interp)}
		if len(d.subs) == 0 {
			nd.kind, nd.rhs, nd.ext = dEq, d.rhs, x
			out = append(out, nd)
			continue
		}
		// One data variable per element, which the element's equation
		// names.
		hname := d.name + " " + strings.Join(t, " ") + " data"
		hkey := nameKey(hname)
		for i := 2; g.r.vars[hkey] != nil; i++ {
			hkey = nameKey(hname + " " + strconv.Itoa(i))
		}
		h := &def{e: d.e, kind: dEq, name: hname, key: hkey, pos: d.pos, rhs: d.rhs, ext: x}
		nd.kind = dEq
		nd.rhs = &node{kind: nRef, pos: g.n.pos, text: hname, key: hkey}
		out = append(out, h, nd)
	}
	return out
}

// interpOf returns the interpolation a data equation's keyword asks for.
func interpOf(keyword string) string {
	switch keyword {
	case ":HOLD BACKWARD:":
		return decl.InterpHold
	case ":LOOK FORWARD:":
		return decl.InterpForward
	case ":RAW:":
		return decl.InterpNone
	}
	return decl.InterpLinear
}

// elementSubs returns left-hand side subscripts naming the elements t,
// at the positions of d's subscripts.
func (r *reader) elementSubs(d *def, t []string) []sub {
	out := make([]sub, len(t))
	for i, el := range t {
		key := d.subs[i].key
		if r.dims[key] != nil {
			for k, name := range r.elems {
				if name == el && r.dims[k] == nil {
					key = k
					break
				}
			}
		}
		out[i] = sub{text: el, key: key, pos: d.subs[i].pos}
	}
	return out
}

// times resolves the time (or x) argument of a series: a row's number
// (times across that row, from the first cell's column to the row's
// last cell), a column's letters (times down that column, from the
// first cell's row to the sheet's last row), or a named range (its
// cells, across a row or down a column). It returns the sheet the times
// lie on and their cells.
func (g *getCall) times(on *decl.Sheet, wb *decl.Workbook, first decl.CellRange) (*decl.Sheet, decl.CellRange, bool, bool) {
	arg := strings.TrimSpace(g.args[2])
	if n, err := strconv.Atoi(arg); err == nil {
		if n < 1 || n > excelize.TotalRows {
			g.fail("the time row '%s' is not a row of a sheet", arg)
			return nil, decl.CellRange{}, false, false
		}
		row := n - 1
		return on, decl.CellRange{Col: first.Col, Row: row, Cols: max(0, on.Cols(row)-first.Col), Rows: 1}, true, true
	}
	if isLetters(arg) {
		c, err := excelize.ColumnNameToNumber(arg)
		if err == nil {
			return on, decl.CellRange{Col: c - 1, Row: first.Row, Cols: 1, Rows: max(0, on.Rows()-first.Row)}, false, true
		}
	}
	if wb != nil {
		if rg, found := wb.Name(arg, on.Name); found {
			tsh := on
			if rg.Sheet != "" && !strings.EqualFold(rg.Sheet, on.Name) {
				var err error
				if tsh, err = wb.Sheet(rg.Sheet); err != nil {
					g.fail("the named range '%s' lies on sheet %q: %v", arg, rg.Sheet, err)
					return nil, decl.CellRange{}, false, false
				}
			}
			if rg.Rows > 1 && rg.Cols > 1 {
				g.fail("the named range '%s' (%d×%d cells) is not one row or one column of times", arg, rg.Rows, rg.Cols)
				return nil, decl.CellRange{}, false, false
			}
			return tsh, rg, rg.Rows == 1, true
		}
	}
	g.fail("'%s' is not a time row (a number such as '4'), column (letters such as 'A') or named range", arg)
	return nil, decl.CellRange{}, false, false
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// points reads one series: the times in the cells of times on tsh, the
// values from the cell at col, row of vsh on, across or down alongside
// them. A time or value cell left empty leaves the point out (Vensim
// interpolates over the gap); a time cell holding text leaves it out
// with a warning; a value that is text, times that do not increase, and
// a series with no point are errors.
func (g *getCall) points(tsh *decl.Sheet, times decl.CellRange, across bool, vsh *decl.Sheet, col, row int) ([][2]float64, bool) {
	n := times.Cols
	if !across {
		n = times.Rows
	}
	var pts [][2]float64
	var skipped []string
	prevCell := ""
	for i := range n {
		tc, tr, vc, vr := times.Col+i, times.Row, col+i, row
		if !across {
			tc, tr, vc, vr = times.Col, times.Row+i, col, row+i
		}
		t, ttext, ok := tsh.Number(tc, tr)
		if !ok {
			if ttext != "" {
				skipped = append(skipped, decl.CellRef(tc, tr))
			}
			continue
		}
		y, ytext, ok := vsh.Number(vc, vr)
		if !ok {
			if ytext != "" {
				g.fail("%s holds %q, not a number (leave the cell empty for a gap)", g.where(vsh, vc, vr), ytext)
				return nil, false
			}
			continue
		}
		if len(pts) > 0 && t <= pts[len(pts)-1][0] {
			g.fail("%s: time %s does not come after time %s in cell %s; the times must increase", g.where(tsh, tc, tr),
				strconv.FormatFloat(t, 'g', -1, 64), strconv.FormatFloat(pts[len(pts)-1][0], 'g', -1, 64), prevCell)
			return nil, false
		}
		prevCell = decl.CellRef(tc, tr)
		pts = append(pts, [2]float64{t, y})
	}
	if len(skipped) > 0 {
		g.r.m.Warnings = append(g.r.m.Warnings, &syntax.Error{Pos: g.r.at(g.d.e, g.n.pos), Key: g.d.name,
			Msg: fmt.Sprintf("%s: '%s' sheet %q: the time cell%s %s hold%s text, not a number; %s left out", g.fn, g.args[0], tsh.Name,
				plural(len(skipped)), strings.Join(skipped, ", "), map[bool]string{true: "s", false: ""}[len(skipped) == 1],
				map[bool]string{true: "that column is", false: "those columns are"}[len(skipped) == 1])})
	}
	if len(pts) == 0 {
		g.fail("%s: no point read: no time cell from %s on holds a number with a value alongside it", g.where(vsh, col, row), decl.CellRef(times.Col, times.Row))
		return nil, false
	}
	if g.kind == getLookups && len(pts) < 2 {
		g.fail("%s: a lookup needs at least 2 points, found 1", g.where(vsh, col, row))
		return nil, false
	}
	return pts, true
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
