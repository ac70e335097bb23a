package vensim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/stockflow/stockflow/model/decl"
)

// getConstants replaces GET DIRECT CONSTANTS('file', 'delimiter', 'cell')
// over a delimited text file (CSV, TSV) by the numbers it reads, when the
// model is parsed: a scalar gets the number in the cell; a variable over
// one range the numbers across the row from the cell (down the column
// when the cell ends in *); over two ranges the block whose rows are the
// first range's elements and whose columns are the second's (transposed
// with *). Spreadsheets (.xls, .xlsx) keep the GET error.
func (r *reader) getConstants(d *def) {
	n := d.rhs
	if d.kind != dEq || n == nil || n.kind != nCall || n.key != "get direct constants" || len(n.args) != 3 {
		return
	}
	var s [3]string
	for i, a := range n.args {
		if a.kind != nStr {
			return // the call's own error says what is wrong
		}
		s[i] = a.text
	}
	file, delim, cell := s[0], s[1], s[2]
	switch strings.ToLower(filepath.Ext(file)) {
	case ".xls", ".xlsx", ".xlsm":
		return
	}
	fail := func(format string, args ...any) {
		r.errorf(d.e, n.pos, d.name, "GET DIRECT CONSTANTS: "+format, args...)
		d.rhs = &node{kind: nNum, pos: n.pos, text: "0"}
	}
	sep := []rune(strings.ReplaceAll(delim, `\t`, "\t"))
	if len(sep) != 1 || sep[0] == '"' || sep[0] == '\n' || sep[0] == '\r' {
		fail("the delimiter '%s' is not one character (give ',' for CSV, '\\t' for TSV)", delim)
		return
	}
	col, row, down, ok := cellRef(cell)
	if !ok {
		fail("'%s' is not a cell such as B2 (a column's letters, a row's number, * to read down the column); named ranges are for spreadsheets", cell)
		return
	}
	// How many rows and columns to read.
	rows, cols := 1, 1
	var sizes []int
	for _, su := range d.subs {
		k := 1
		if dm := r.dims[su.key]; dm != nil {
			k = len(dm.elems)
		}
		sizes = append(sizes, k)
	}
	switch len(sizes) {
	case 0:
	case 1:
		cols = sizes[0]
	case 2:
		rows, cols = sizes[0], sizes[1]
	default:
		fail("a variable over %d ranges: GET DIRECT CONSTANTS reads at most two (rows and columns)", len(sizes))
		return
	}
	if down {
		rows, cols = cols, rows
	}
	path, err := decl.DataPath(r.file, file, false)
	if err != nil {
		fail("%v", err)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		fail("cannot read '%s' (looked for %s); put the file beside the model", file, path)
		return
	}
	defer f.Close()
	cr := csv.NewReader(io.LimitReader(f, 64<<20))
	cr.Comma = sep[0]
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var recs [][]string
	for len(recs) < row+rows {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail("'%s': %v", file, err)
			return
		}
		recs = append(recs, rec)
	}
	vals := make([]float64, 0, rows*cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			ref := cellName(col+j, row+i)
			if row+i >= len(recs) || col+j >= len(recs[row+i]) {
				fail("'%s' has no cell %s (reading %d×%d cells from %s)", file, ref, rows, cols, cell)
				return
			}
			text := strings.TrimSpace(recs[row+i][col+j])
			x, err := strconv.ParseFloat(text, 64)
			if err != nil {
				fail("'%s' cell %s holds %q, not a number", file, ref, text)
				return
			}
			vals = append(vals, x)
		}
	}
	if down && len(sizes) == 2 {
		// Read down: the file's rows are the second range's elements.
		t := make([]float64, len(vals))
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				t[j*rows+i] = vals[i*cols+j]
			}
		}
		vals = t
	}
	if len(d.subs) == 0 {
		d.rhs = &node{kind: nNum, pos: n.pos, num: vals[0], text: strconv.FormatFloat(vals[0], 'g', -1, 64)}
		return
	}
	d.kind, d.nums, d.rhs = dList, vals, nil
}

// cellRef reads a cell reference such as B2 or B2*: its column and row
// from 0, and whether it ends in * (read down the column).
func cellRef(s string) (col, row int, down, ok bool) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "*") {
		down, s = true, s[:len(s)-1]
	}
	c, r, err := excelize.CellNameToCoordinates(s)
	if err != nil || strings.HasPrefix(s, "$") {
		return 0, 0, false, false
	}
	return c - 1, r - 1, down, true
}

// cellName names the cell at column col and row row, both from 0, as a
// spreadsheet does (B3).
func cellName(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col+1, row+1)
	if err != nil {
		return fmt.Sprintf("R%dC%d", row+1, col+1)
	}
	return s
}
