package decl

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/stockflow/stockflow/model/syntax"
)

// workbookExts are the extensions of the Excel workbooks ReadTable reads.
var workbookExts = []string{".xlsx", ".xlsm", ".xltx", ".xltm"}

// workbookLimit bounds the unzipped size of a workbook, so that a small
// hostile file cannot fill the memory; it also keeps excelize from
// spilling large sheets to temporary files.
const workbookLimit = 256 << 20

// IsWorkbook reports whether file names an Excel workbook (.xlsx, .xlsm,
// .xltx or .xltm), which ReadTable and ReadData read with ReadSheet.
func IsWorkbook(file string) bool {
	return contains(workbookExts, strings.ToLower(filepath.Ext(file)))
}

// ReadSheet reads a table of numbers from one sheet of an Excel workbook,
// as ReadTable does from a CSV file. src is the contents of the workbook
// named file; sheet names the sheet (matched regardless of case), "" the
// first one. The header is the sheet's first row with a cell naming the
// time column (else its first row with a cell), so that title rows above
// it are skipped; the rows after it are read to the last row with a cell,
// and empty rows are skipped. A cell holds a number (a date is its serial day number, as
// Excel stores it), a text that reads as a number, or nothing; a formula
// cell is read as the value Excel saved with it.
//
// Errors are positioned at the cell: Line is its row and Col its column
// (so 3:2 is cell B3), and the message names the sheet and the cell.
func ReadSheet(file string, src []byte, sheet, timeColumn string, want []string) (*Table, syntax.ErrorList) {
	g, errs := sheetGrid(file, src, sheet, timeColumn)
	if g == nil {
		return nil, errs
	}
	return g.table(timeColumn, want)
}

// sheetGrid reads one sheet of a workbook into a grid.
func sheetGrid(file string, src []byte, sheet, timeColumn string) (*grid, syntax.ErrorList) {
	var errs syntax.ErrorList
	top := syntax.Pos{File: file, Line: 1, Col: 1}
	f, msg := openWorkbook(file, src)
	if f == nil {
		errs.Add(top, "", msg)
		return nil, errs
	}
	defer f.Close()
	name, msg := findSheet(f, sheet)
	if name == "" {
		errs.Add(top, "", msg+"; name the sheet with sheet (--sheet)")
		return nil, errs
	}
	rows, err := f.GetRows(name)
	if err != nil {
		errs.Addf(top, "", "sheet %q cannot be read: %s", name, workbookErr(err))
		return nil, errs
	}
	at := func(row, col int) syntax.Pos { return syntax.Pos{File: file, Line: row, Col: col} }
	g := &grid{
		file: file,
		where: func(row int, c cell) string {
			return fmt.Sprintf("sheet %q cell %s", name, cellName(c.pos))
		},
		blank: func(row []cell) syntax.Pos { return at(row[0].pos.Line, 1) },
		explain: func(c cell) string {
			if fm, err := f.GetCellFormula(name, cellName(c.pos)); err == nil && fm != "" {
				return fmt.Sprintf(" (its formula =%s has no saved value; open the workbook in Excel and save it)", fm)
			}
			return ""
		},
		empty: fmt.Sprintf("sheet %q is empty: it needs a header row naming the columns", name),
	}
	// The header is the first row naming the time column, else the first
	// row with a cell, so that title rows above it are skipped.
	first := slices.IndexFunc(rows, func(rec []string) bool {
		return slices.ContainsFunc(rec, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), timeColumn) })
	})
	if first < 0 {
		first = 0
	}
	for r, rec := range rows {
		if r < first || blankRow(rec) {
			continue
		}
		row := make([]cell, len(rec))
		for i, s := range rec {
			row[i] = cell{strings.TrimSpace(s), at(r+1, i+1)}
		}
		g.rows = append(g.rows, row)
	}
	return g, nil
}

// blankRow reports whether a sheet's row has no text in any cell.
func blankRow(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// cellName names the cell at p as Excel does ("B3").
func cellName(p syntax.Pos) string {
	s, err := excelize.CoordinatesToCellName(p.Col, p.Line)
	if err != nil {
		return fmt.Sprintf("R%dC%d", p.Line, p.Col)
	}
	return s
}

// workbookErr describes an error of excelize in words for a modeler.
func workbookErr(err error) string {
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return "it is not an .xlsx file (a zip archive of XML); save it from Excel as .xlsx, or as CSV"
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return "it is protected by a password; save it without one"
	}
	return err.Error()
}

// openWorkbook opens the Excel workbook src, the contents of file, or
// says in words why it cannot.
func openWorkbook(file string, src []byte) (*excelize.File, string) {
	if ext := strings.ToLower(filepath.Ext(file)); ext == ".xls" || ext == ".xlsb" {
		if !bytes.HasPrefix(src, []byte("PK\x03\x04")) {
			return nil, ext + " workbooks are not read; save the sheet as .xlsx or as CSV"
		}
		// An .xlsx workbook named .xls: read it as what it is.
	}
	if bytes.HasPrefix(src, []byte("\xd0\xcf\x11\xe0")) {
		// An OLE2 file: an old .xls saved as .xlsx, or a workbook with a password.
		return nil, "not an .xlsx workbook (an old .xls binary workbook, or one protected by a password); save it from Excel as .xlsx without a password, or as CSV"
	}
	f, err := excelize.OpenReader(bytes.NewReader(src), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    workbookLimit,
		UnzipXMLSizeLimit: workbookLimit,
	})
	if err != nil {
		return nil, "not a readable .xlsx workbook: " + workbookErr(err)
	}
	if len(f.GetSheetList()) == 0 {
		f.Close()
		return nil, "the workbook has no sheets"
	}
	return f, ""
}

// findSheet returns the name of f's sheet named sheet (regardless of
// case; "" names the first), or "" and what is wrong.
func findSheet(f *excelize.File, sheet string) (string, string) {
	sheets := f.GetSheetList()
	if sheet == "" {
		return sheets[0], ""
	}
	for _, s := range sheets {
		if strings.EqualFold(s, sheet) {
			return s, ""
		}
	}
	if s := syntax.Suggest(sheet, sheets); s != "" {
		return "", fmt.Sprintf("no sheet %q in the workbook (did you mean %q?)", sheet, s)
	}
	return "", fmt.Sprintf("no sheet %q in the workbook (sheets: %s)", sheet, strings.Join(sheets, ", "))
}
