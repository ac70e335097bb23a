package decl

import (
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestParseRangeRef(t *testing.T) {
	for _, c := range []struct {
		ref  string
		want CellRange
		ok   bool
	}{
		{"Sheet1!$A$1:$C$4", CellRange{Sheet: "Sheet1", Col: 0, Row: 0, Cols: 3, Rows: 4}, true},
		{"=Sheet2!$E$2:$I$2", CellRange{Sheet: "Sheet2", Col: 4, Row: 1, Cols: 5, Rows: 1}, true},
		{"'My ''big'' sheet'!B2", CellRange{Sheet: "My 'big' sheet", Col: 1, Row: 1, Cols: 1, Rows: 1}, true},
		{"C5:A1", CellRange{Col: 0, Row: 0, Cols: 3, Rows: 5}, true}, // corners in any order
		{"B6:B9", CellRange{Col: 1, Row: 5, Cols: 1, Rows: 4}, true},
		{"Sheet1!$A$1,Sheet1!$B$2", CellRange{}, false}, // two areas
		{"!A1", CellRange{}, false},
		{"Sheet1!#REF!", CellRange{}, false},
		{"0.5", CellRange{}, false},
		{"A0", CellRange{}, false},
		{"", CellRange{}, false},
	} {
		got, ok := ParseRangeRef(c.ref)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseRangeRef(%q) = %+v, %v; want %+v, %v", c.ref, got, ok, c.want, c.ok)
		}
	}
}

// namedWorkbook is a workbook with two sheets and named ranges: one for
// the workbook, one for a sheet (hiding the workbook's of the same name
// there), and one that is a formula rather than cells.
func namedWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", "Global")
	_, _ = f.NewSheet("Local")
	_ = f.SetSheetRow("Global", "B2", &[]any{1, 2, 3})
	_ = f.SetSheetRow("Local", "B2", &[]any{"x", 5.5, " 6 "})
	for _, dn := range []excelize.DefinedName{
		{Name: "value", RefersTo: "Global!$B$2:$D$2"},
		{Name: "value", RefersTo: "Local!$C$2:$D$2", Scope: "Local"},
		{Name: "rate", RefersTo: "=0.5"},
	} {
		if err := f.SetDefinedName(&dn); err != nil {
			t.Fatal(err)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWorkbookCells(t *testing.T) {
	wb, err := OpenWorkbook("in.xlsx", namedWorkbook(t))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if rg, ok := wb.Name("VALUE", "Global"); !ok || rg != (CellRange{Sheet: "Global", Col: 1, Row: 1, Cols: 3, Rows: 1}) {
		t.Errorf("value from Global: %+v, %v", rg, ok)
	}
	if rg, ok := wb.Name("value", "local"); !ok || rg != (CellRange{Sheet: "Local", Col: 2, Row: 1, Cols: 2, Rows: 1}) {
		t.Errorf("value from Local: %+v, %v (want the sheet's own name)", rg, ok)
	}
	if _, ok := wb.Name("rate", "Global"); ok {
		t.Error("a name that is a formula read as cells")
	}
	if _, ok := wb.Name("nothing", "Global"); ok {
		t.Error("an unknown name found")
	}
	sh, err := wb.Sheet("LOCAL")
	if err != nil {
		t.Fatal(err)
	}
	if sh.Name != "Local" || sh.Rows() != 2 || sh.Cols(1) != 4 || sh.Cols(0) != 0 {
		t.Errorf("sheet %q: %d rows, row 2 has %d cells", sh.Name, sh.Rows(), sh.Cols(1))
	}
	if x, _, ok := sh.Number(3, 1); !ok || x != 6 {
		t.Errorf("D2 = %v, %v; want 6 (text trimmed)", x, ok)
	}
	if _, text, ok := sh.Number(1, 1); ok || text != "x" {
		t.Errorf("B2 read as a number, or its text lost: %q", text)
	}
	if _, text, ok := sh.Number(40, 40); ok || text != "" {
		t.Errorf("a cell outside the sheet: %q, %v", text, ok)
	}
	if w := sh.Where(2, 1); w != `sheet "Local" cell C2` {
		t.Errorf("Where = %s", w)
	}
	if _, err := wb.Sheet("Globl"); err == nil || err.Error() != `no sheet "Globl" in the workbook (did you mean "Global"?)` {
		t.Errorf("a missing sheet: %v", err)
	}
}

func TestOpenWorkbookBad(t *testing.T) {
	for _, c := range []struct {
		file string
		src  []byte
		want string
	}{
		{"old.xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), ".xls workbooks are not read; save the sheet as .xlsx or as CSV"},
		{"old.xlsx", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "not an .xlsx workbook (an old .xls binary workbook, or one protected by a password); save it from Excel as .xlsx without a password, or as CSV"},
		{"junk.xlsx", []byte("time,x\n1,2\n"), "not a readable .xlsx workbook: zip: not a valid zip file"},
	} {
		_, err := OpenWorkbook(c.file, c.src)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v\nwant %s", c.file, err, c.want)
		}
	}
	// An .xlsx workbook named .xls is read as what it is.
	if _, err := OpenWorkbook("named.xls", namedWorkbook(t)); err != nil {
		t.Errorf("an .xlsx named .xls: %v", err)
	}
}

func TestReadDelimited(t *testing.T) {
	sh, err := ReadDelimited("d.tsv", []byte("\xef\xbb\xbft\tv\n1\t 2 \n"), '\t')
	if err != nil {
		t.Fatal(err)
	}
	if sh.Cell(0, 0) != "t" || sh.Cell(1, 1) != "2" || sh.Where(1, 1) != "cell B2" {
		t.Errorf("cells %q %q, %s", sh.Cell(0, 0), sh.Cell(1, 1), sh.Where(1, 1))
	}
	if sh, err := ReadDelimited("d.csv", []byte("a,\"b,c\"\n"), ','); err != nil || sh.Cell(1, 0) != "b,c" || sh.Cols(0) != 2 {
		t.Errorf("a quoted comma: %v", err)
	}
}

// FuzzParseRangeRef checks that any text reads as a range whose cells
// lie on a sheet, or is refused, and that a reference written back from
// a range reads as the same range.
func FuzzParseRangeRef(f *testing.F) {
	for _, s := range []string{"Sheet1!$A$1:$C$4", "'a b'!B2", "=S!A1:A1", "C5:A1", "XFD1048576", "A1:", "$A$", "'!A1", "Sheet1!A1,B2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rg, ok := ParseRangeRef(s)
		if !ok {
			return
		}
		if rg.Col < 0 || rg.Row < 0 || rg.Cols < 1 || rg.Rows < 1 || rg.Col+rg.Cols > excelize.MaxColumns || rg.Row+rg.Rows > excelize.TotalRows {
			t.Fatalf("%q: range %+v off the sheet", s, rg)
		}
		ref := fmt.Sprintf("%s:%s", CellRef(rg.Col, rg.Row), CellRef(rg.Col+rg.Cols-1, rg.Row+rg.Rows-1))
		back, ok := ParseRangeRef(ref)
		rg.Sheet = ""
		if !ok || back != rg {
			t.Fatalf("%q: %+v written as %s reads back as %+v", s, rg, ref, back)
		}
	})
}
