package vensim

import (
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/stockflow/stockflow/model/decl"
)

// subscriptFunc reports whether key names one of the GET functions that
// read a range's elements.
func subscriptFunc(key string) bool {
	return key == "get direct subscript" || key == "get xls subscript"
}

// subscriptElems reads the elements of a range defined by GET DIRECT
// SUBSCRIPT or GET XLS SUBSCRIPT('file', 'tab', 'firstcell', 'lastcell',
// 'prefix'), as Vensim's help describes them: the cells from firstcell to
// lastcell, read across each row and then down, empty cells left out,
// each element the cell's text after prefix. lastcell is a cell (the
// block's bottom-right corner), a row's number (every column from
// firstcell's to each row's last cell, down to that row), a column's
// letters (the columns up to it, down to the sheet's last row) or blank
// (to the last row and each row's last cell). firstcell may instead be a
// workbook's named range, whose cells are read and lastcell ignored. It
// returns nil after reporting an error.
func (r *reader) subscriptElems(d *def) []string {
	n := d.getSubs
	fn := strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(n.text, "_", " ")), " "))
	g := &getCall{r: r, d: d, n: n, fn: fn}
	if !subscriptFunc(n.key) {
		g.fail("defines a range's elements only as GET DIRECT SUBSCRIPT or GET XLS SUBSCRIPT('file', 'sheet' or 'delimiter', 'first cell', 'last cell', 'prefix')")
		return nil
	}
	const args = "'file', 'sheet' or 'delimiter', 'first cell', 'last cell', 'prefix'"
	if len(n.args) != 5 {
		g.fail("takes 5 arguments (%s), got %d", args, len(n.args))
		return nil
	}
	for _, a := range n.args {
		if a.kind != nStr {
			g.fail("each argument is a quoted text ('...'), as in %s(%s)", fn, args)
			return nil
		}
		g.args = append(g.args, a.text)
	}
	sh, wb := g.sheet()
	if sh == nil {
		return nil
	}
	first, last := strings.TrimSpace(g.args[2]), strings.TrimSpace(g.args[3])
	// The block read: rows row0..row1, columns col0..col1; col1 < 0 runs
	// to each row's last cell.
	var row0, col0, row1, col1 int
	on := sh
	if c, rw, ok := decl.ParseCellRef(first); ok {
		col0, row0 = c, rw
		switch {
		case last == "":
			row1, col1 = sh.Rows()-1, -1
		case isDigits(last):
			k, err := strconv.Atoi(last)
			if err != nil || k < 1 || k > excelize.TotalRows {
				g.fail("the last cell '%s' is not a row of a sheet", g.args[3])
				return nil
			}
			row1, col1 = k-1, -1
		case isLetters(last):
			k, err := excelize.ColumnNameToNumber(last)
			if err != nil {
				g.fail("the last cell '%s' is not a column of a sheet", g.args[3])
				return nil
			}
			row1, col1 = sh.Rows()-1, k-1
		default:
			c1, r1, ok := decl.ParseCellRef(last)
			if !ok {
				g.fail("the last cell '%s' is not a cell such as B9, a row's number, a column's letters or blank ('')", g.args[3])
				return nil
			}
			row1, col1 = r1, c1
		}
		if row1 < row0 && last != "" || col1 >= 0 && col1 < col0 {
			g.fail("the last cell '%s' lies before the first cell '%s' (above it or to its left)", g.args[3], g.args[2])
			return nil
		}
	} else {
		rg, at, _, ok := g.cell(sh, wb, first)
		if !ok {
			return nil
		}
		on, row0, col0, row1, col1 = at, rg.Row, rg.Col, rg.Row+rg.Rows-1, rg.Col+rg.Cols-1
	}
	var out []string
	type seen struct{ el, cell string }
	cellOf := map[string]seen{} // element key → the element and the cell it came from
	for row := row0; row <= row1; row++ {
		end := col1
		if end < 0 {
			end = on.Cols(row) - 1
		}
		for col := col0; col <= end; col++ {
			text := on.Cell(col, row)
			if text == "" {
				continue
			}
			el := g.args[4] + text
			k := nameKey(el)
			if prev, dup := cellOf[k]; dup {
				if prev.el == el {
					g.fail("'%s': the element %q is read twice, from cells %s and %s; the elements of a range differ", g.args[0], el, prev.cell, decl.CellRef(col, row))
					return nil
				}
				g.fail("'%s': the element %q in cell %s is the element %q of cell %s (names differing only in case, spaces or _ are one name); the elements of a range differ",
					g.args[0], el, decl.CellRef(col, row), prev.el, prev.cell)
				return nil
			}
			cellOf[k] = seen{el, decl.CellRef(col, row)}
			if len(out) == maxElements {
				g.fail("more than %d elements from %s on; a range holds at most %d", maxElements, decl.CellRef(col0, row0), maxElements)
				return nil
			}
			out = append(out, el)
		}
	}
	if len(out) == 0 {
		g.fail("'%s' %s: no element read: the cells from %s on are empty", g.args[0], on.Where(col0, row0), decl.CellRef(col0, row0))
		return nil
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
