package decl

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A Workbook is an Excel workbook opened for reading cells by reference,
// as Vensim's GET XLS and GET DIRECT functions address them. Its sheets
// are read when first asked for. Close it when done.
type Workbook struct {
	File   string // the file, as given to OpenWorkbook
	f      *excelize.File
	sheets map[string]*Sheet
	names  []excelize.DefinedName
}

// OpenWorkbook opens src, the contents of the Excel workbook (.xlsx,
// .xlsm, .xltx, .xltm) named file. An old binary .xls workbook, a
// workbook protected by a password and a file that is no workbook are
// errors saying what to do.
func OpenWorkbook(file string, src []byte) (*Workbook, error) {
	f, msg := openWorkbook(file, src)
	if f == nil {
		return nil, errors.New(msg)
	}
	return &Workbook{File: file, f: f, sheets: map[string]*Sheet{}, names: f.GetDefinedName()}, nil
}

// Close releases the workbook.
func (w *Workbook) Close() error { return w.f.Close() }

// Sheet returns the sheet named name (regardless of case; "" names the
// first sheet), read whole.
func (w *Workbook) Sheet(name string) (*Sheet, error) {
	real, msg := findSheet(w.f, name)
	if real == "" {
		return nil, errors.New(msg)
	}
	if s := w.sheets[real]; s != nil {
		return s, nil
	}
	rows, err := w.f.GetRows(real)
	if err != nil {
		return nil, fmt.Errorf("sheet %q cannot be read: %s", real, workbookErr(err))
	}
	s := &Sheet{File: w.File, Name: real, rows: rows}
	w.sheets[real] = s
	return s, nil
}

// A CellRange is a rectangle of cells on a sheet: its top-left cell and
// its size. Rows and columns count from 0.
type CellRange struct {
	Sheet      string // the sheet's name; "" for a text file
	Col, Row   int
	Cols, Rows int
}

// Name returns the range of the workbook's defined name (a named range,
// matched regardless of case), as seen from the sheet named from: a name
// defined for that sheet comes before one defined for the whole
// workbook. It reports false when there is no such name, or when the
// name stands for something other than one rectangle of cells (a
// formula, a constant, several areas).
func (w *Workbook) Name(name, from string) (CellRange, bool) {
	var found *excelize.DefinedName
	for i, dn := range w.names {
		if !strings.EqualFold(dn.Name, name) {
			continue
		}
		if strings.EqualFold(dn.Scope, from) {
			found = &w.names[i]
			break
		}
		if dn.Scope == "Workbook" || dn.Scope == "" {
			found = &w.names[i]
		}
	}
	if found == nil {
		return CellRange{}, false
	}
	return ParseRangeRef(found.RefersTo)
}

// ParseRangeRef reads a reference to a rectangle of cells as a workbook's
// defined names hold it: Sheet1!$A$1:$C$4, 'My sheet'!B2, =Sheet1!A1.
// It reports false for anything else.
func ParseRangeRef(ref string) (CellRange, bool) {
	ref = strings.TrimPrefix(strings.TrimSpace(ref), "=")
	var rg CellRange
	if i := strings.LastIndexByte(ref, '!'); i >= 0 {
		sheet := ref[:i]
		if len(sheet) >= 2 && sheet[0] == '\'' && sheet[len(sheet)-1] == '\'' {
			sheet = strings.ReplaceAll(sheet[1:len(sheet)-1], "''", "'")
		} else if strings.ContainsAny(sheet, "!,'") {
			return CellRange{}, false // several areas, or not a reference
		}
		if sheet == "" {
			return CellRange{}, false
		}
		rg.Sheet, ref = sheet, ref[i+1:]
	}
	from, to, isRange := strings.Cut(ref, ":")
	c0, r0, ok := cellCoords(from)
	if !ok {
		return CellRange{}, false
	}
	c1, r1 := c0, r0
	if isRange {
		if c1, r1, ok = cellCoords(to); !ok {
			return CellRange{}, false
		}
	}
	rg.Col, rg.Row = min(c0, c1), min(r0, r1)
	rg.Cols, rg.Rows = max(c0, c1)-rg.Col+1, max(r0, r1)-rg.Row+1
	return rg, true
}

// ParseCellRef reads a cell reference such as B2 (also $B$2) to its
// column and row, from 0.
func ParseCellRef(s string) (col, row int, ok bool) {
	return cellCoords(s)
}

func cellCoords(s string) (col, row int, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "$", "")
	if s == "" {
		return 0, 0, false
	}
	c, r, err := excelize.CellNameToCoordinates(s)
	if err != nil {
		return 0, 0, false
	}
	return c - 1, r - 1, true
}

// CellRef names the cell at column col and row row, both from 0, as a
// spreadsheet does (B3).
func CellRef(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col+1, row+1)
	if err != nil {
		return fmt.Sprintf("R%dC%d", row+1, col+1)
	}
	return s
}

// A Sheet is one sheet of a workbook, or a delimited text file, read as a
// grid of cell texts. Rows and columns count from 0.
type Sheet struct {
	File string // the file the sheet is in
	Name string // the sheet's name as the workbook spells it; "" for a text file
	rows [][]string
}

// ReadDelimited reads src, the contents of the delimited text file named
// file, as a sheet: sep separates the fields (',' for CSV, '\t' for TSV),
// quoting follows RFC 4180 loosely and a UTF-8 byte order mark is
// skipped.
func ReadDelimited(file string, src []byte, sep rune) (*Sheet, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(src))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	s := &Sheet{File: file}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %s", csvPos(file, src, err).Line, csvMsg(err))
		}
		s.rows = append(s.rows, rec)
	}
	return s, nil
}

// Rows returns the number of rows up to the last one with a cell.
func (s *Sheet) Rows() int { return len(s.rows) }

// Cols returns the number of cells of row up to its last one with text.
func (s *Sheet) Cols(row int) int {
	if row < 0 || row >= len(s.rows) {
		return 0
	}
	r := s.rows[row]
	n := len(r)
	for n > 0 && strings.TrimSpace(r[n-1]) == "" {
		n--
	}
	return n
}

// Cell returns the text of the cell at col and row, trimmed of spaces;
// "" for an empty cell or one outside the sheet.
func (s *Sheet) Cell(col, row int) string {
	if row < 0 || row >= len(s.rows) || col < 0 || col >= len(s.rows[row]) {
		return ""
	}
	return strings.TrimSpace(s.rows[row][col])
}

// Number returns the number in the cell at col and row. ok is false for
// an empty cell, and for text that is not a finite number (which text
// then holds).
func (s *Sheet) Number(col, row int) (x float64, text string, ok bool) {
	text = s.Cell(col, row)
	x, ok = number(text)
	return x, text, ok
}

// Where names a cell for a message: `sheet "Data" cell B3`, or `cell B3`
// in a text file.
func (s *Sheet) Where(col, row int) string {
	if s.Name == "" {
		return "cell " + CellRef(col, row)
	}
	return fmt.Sprintf("sheet %q cell %s", s.Name, CellRef(col, row))
}
