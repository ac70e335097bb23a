package decl

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stockflow/stockflow/internal/fuzzbound"
	"github.com/stockflow/stockflow/model/syntax"
)

// sheetCells is a sheet of a test workbook: cell name to value. A string
// beginning with "=" is a formula, saved without a value.
type sheetCells struct {
	name  string
	cells map[string]any
}

// workbook builds an .xlsx workbook with the given sheets, in order.
func workbook(t testing.TB, sheets ...sheetCells) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for c, v := range s.cells {
			var err error
			if fm, ok := v.(string); ok && len(fm) > 1 && fm[0] == '=' {
				err = f.SetCellFormula(s.name, c, fm[1:])
			} else {
				err = f.SetCellValue(s.name, c, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// observations is a sheet "Data" with a title row, a blank row, a header
// in row 3, and four years of prices: one a gap, one a number saved as
// text.
var observations = sheetCells{"Data", map[string]any{
	"A1": "Prices, from the annual report",
	"A3": "Year", "B3": "price", "C3": "Source",
	"A4": 2020, "B4": 1.5, "C4": "report 2020",
	"A5": 2021, "C5": "not published",
	"A6": 2022, "B6": "2.25",
	"A7": 2023, "B7": 3,
}}

// TestReadDataWorkbook reads a data variable from a named sheet of a
// workbook, past a title row, leaving out the gap.
func TestReadDataWorkbook(t *testing.T) {
	dir := t.TempDir()
	src := workbook(t, sheetCells{"Notes", map[string]any{"A1": "nothing here"}}, observations)
	if err := os.WriteFile(filepath.Join(dir, "obs.xlsx"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ParseTOML(filepath.Join(dir, "m.toml"), []byte(`[data.price]
file = "obs.xlsx"
sheet = "data"
time_column = "year"
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := ReadData(m, DataOptions{}); err != nil {
		t.Fatal(err)
	}
	want := [][2]float64{{2020, 1.5}, {2022, 2.25}, {2023, 3}}
	if got := m.Var("price").Points; !slices.Equal(got, want) {
		t.Errorf("got points %v, want %v", got, want)
	}

	// ReadTable reads the first sheet of a workbook; ReadSheet another.
	if _, errs := ReadTable("obs.xlsx", src, "year", nil); errs == nil {
		t.Errorf("ReadTable read the first sheet, Notes, without an error")
	}
	tab, errs := ReadSheet("obs.xlsx", src, "Data", "Year", []string{"PRICE"})
	if errs != nil {
		t.Fatal(errs)
	}
	if !slices.Equal(tab.Names, []string{"price"}) || !slices.Equal(tab.Time, []float64{2020, 2021, 2022, 2023}) {
		t.Errorf("got names %q and times %v", tab.Names, tab.Time)
	}
}

// TestReadSheetBad reads the corpus of bad workbooks, each of which must
// be reported in full at its cell, naming the sheet and the cell.
func TestReadSheetBad(t *testing.T) {
	data := func(cells map[string]any) []byte { return workbook(t, sheetCells{"Data", cells}) }
	tests := []struct {
		name  string
		src   []byte
		sheet string
		want  []string
	}{
		{"missing sheet", data(map[string]any{"A1": "time", "B1": "price", "A2": 1, "B2": 2}), "Dta", []string{
			`obs.xlsx:1:1: no sheet "Dta" in the workbook (did you mean "Data"?); name the sheet with sheet (--sheet)`}},
		{"missing column", data(map[string]any{"A1": "time", "B1": "prices", "A2": 1, "B2": 2}), "", []string{
			`obs.xlsx:1:1: sheet "Data" cell A1: no value column "price" in the header (did you mean "prices"?); name the column with column`}},
		{"missing time", data(map[string]any{"B2": "year", "C2": "price", "B3": 1, "C3": 2}), "", []string{
			`obs.xlsx:2:2: sheet "Data" cell B2: no time column "time" in the header (columns: year, price); name the time column with time_column (--time-column)`}},
		{"non-numeric", data(map[string]any{"A1": "time", "B1": "price", "A2": 1, "B2": 2, "A3": 2, "B3": "n/a"}), "", []string{
			`obs.xlsx:3:2: sheet "Data" cell B3: the value in column "price" is "n/a", not a number (leave the cell empty for a gap)`}},
		{"not increasing", data(map[string]any{"A1": "time", "B1": "price", "A2": 2, "B2": 2, "A3": 1, "B3": 3}), "", []string{
			`obs.xlsx:3:1: sheet "Data" cell A3: time 1 does not come after time 2 on row 2; sort the rows by time, one row per time`}},
		{"empty time", data(map[string]any{"A1": "time", "B1": "price", "A2": 1, "B2": 2, "B3": 3}), "", []string{
			`obs.xlsx:3:1: sheet "Data" cell A3: the time (column "time") is empty`}},
		{"unsaved formula", data(map[string]any{"A1": "time", "B1": "price", "A2": 1, "B2": 2, "A3": "=A2+1", "B3": 3}), "", []string{
			`obs.xlsx:3:1: sheet "Data" cell A3: the time (column "time") is empty (its formula =A2+1 has no saved value; open the workbook in Excel and save it)`}},
		{"empty sheet", data(map[string]any{}), "", []string{
			`obs.xlsx:1:1: sheet "Data" is empty: it needs a header row naming the columns, such as time,price`}},
		{"header only", data(map[string]any{"A1": "time", "B1": "price"}), "", []string{
			`obs.xlsx:1:1: sheet "Data" cell A1: the data file has a header but no rows`}},
		{"not a workbook", []byte("time,price\n1,2\n"), "", []string{
			`obs.xlsx:1:1: not a readable .xlsx workbook: zip: not a valid zip file`}},
		{"old binary workbook", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), "", []string{
			`obs.xlsx:1:1: not an .xlsx workbook (an old .xls binary workbook, or one protected by a password); save it from Excel as .xlsx without a password, or as CSV`}},
	}
	for _, tt := range tests {
		_, errs := ReadSheet("obs.xlsx", tt.src, tt.sheet, "time", []string{"price"})
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestReadDataBadSheet reports a sheet the workbook lacks at the model's
// file key, positioned in the workbook, with the sheets it has when none
// is close.
func TestReadDataBadSheet(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "obs.xlsx"), workbook(t, sheetCells{"Notes", nil}, observations), 0o644); err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(dir, "obs.xlsx")
	for _, tt := range []struct{ sheet, want string }{
		{"Dta", xlsx + `:1:1: data.price.file: no sheet "Dta" in the workbook (did you mean "Data"?); name the sheet with sheet (--sheet)`},
		{"Prices", xlsx + `:1:1: data.price.file: no sheet "Prices" in the workbook (sheets: Notes, Data); name the sheet with sheet (--sheet)`},
	} {
		m, err := ParseTOML(filepath.Join(dir, "m.toml"), []byte("[data.price]\nfile = \"obs.xlsx\"\nsheet = \""+tt.sheet+"\"\n"))
		if err != nil {
			t.Fatal(err)
		}
		err = ReadData(m, DataOptions{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("sheet %q: got %v\nwant %s", tt.sheet, err, tt.want)
		}
	}
}

// TestReadDataSheetNotWorkbook rejects a sheet for a CSV file at the
// model's sheet key.
func TestReadDataSheetNotWorkbook(t *testing.T) {
	_, err := readData(t, `file = "good.tsv"`+"\nsheet = \"Data\"", DataOptions{})
	want := filepath.Join("testdata", "data", "m.toml") + `:3:1: data.price.sheet: sheet applies to an Excel workbook (.xlsx); "good.tsv" is read as CSV or TSV`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// FuzzReadSheet reads arbitrary bytes as a workbook, from the sheet
// named (or the first) and the value column named (or every other one):
// no panic, every error positioned inside a sheet (row and column from
// 1), and a table read has increasing times and a value for each of them
// in each column. The seeds reach each of the reader's paths: a named
// sheet and a missing one (near a name or not), title and blank rows
// above the header, short rows, gaps, text numbers, formulas with no
// saved value, each bad cell, an empty sheet, a header alone, an old
// binary workbook, a zip that is not a workbook and bytes that are not
// a zip.
func FuzzReadSheet(f *testing.F) {
	data := func(cells map[string]any) []byte { return workbook(f, sheetCells{"Data", cells}) }
	header := map[string]any{"A1": "time", "B1": "x"}
	with := func(cells map[string]any) []byte {
		all := map[string]any{}
		for k, v := range header {
			all[k] = v
		}
		for k, v := range cells {
			all[k] = v
		}
		return data(all)
	}
	notWorkbook := func() []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, err := z.Create("notes.txt")
		if err != nil {
			f.Fatal(err)
		}
		w.Write([]byte("time,x\n1,2\n"))
		if err := z.Close(); err != nil {
			f.Fatal(err)
		}
		return b.Bytes()
	}
	// rezip is the workbook src with its part name replaced by text.
	rezip := func(src []byte, name, text string) []byte {
		r, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
		if err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		for _, part := range r.File {
			w, err := z.Create(part.Name)
			if err != nil {
				f.Fatal(err)
			}
			if part.Name == name {
				w.Write([]byte(text))
				continue
			}
			rc, err := part.Open()
			if err != nil {
				f.Fatal(err)
			}
			if _, err := io.Copy(w, rc); err != nil {
				f.Fatal(err)
			}
			rc.Close()
		}
		if err := z.Close(); err != nil {
			f.Fatal(err)
		}
		return b.Bytes()
	}
	two := workbook(f, sheetCells{"Notes", map[string]any{"A1": "nothing here"}}, observations)
	seeds := []struct {
		src        []byte
		sheet, col string
	}{
		{two, "Data", ""},
		{two, "data", "price"},
		{two, "Dta", ""},
		{two, "Prices", ""},
		{two, "", ""},
		{two, "Data", "prices"},
		{workbook(f, sheetCells{"S", map[string]any{"A1": "time", "B1": "x", "A2": 1, "B2": "=A2*2", "A3": 0}}), "", ""},
		{with(map[string]any{"A2": 1, "B2": 2, "A3": 2}), "", "x"},
		{with(map[string]any{"A2": 1, "B2": "n/a"}), "", ""},
		{with(map[string]any{"A2": "soon", "B2": 1}), "", ""},
		{with(map[string]any{"A2": 1, "B2": 2, "B3": 3}), "", ""},
		{with(map[string]any{"A2": 1, "B2": 2, "A3": "=A2+1", "B3": 3}), "", ""},
		{with(map[string]any{"A2": 2, "B2": 2, "A3": 1, "B3": 3}), "", ""},
		{with(map[string]any{"A2": "1.5e3", "B2": " 2 ", "A4": 1600, "B4": -1}), "", ""},
		{data(map[string]any{"B2": "year", "C2": "x", "B3": 1, "C3": 2}), "", ""},
		{data(map[string]any{"A1": "tme", "B1": "x", "A2": 1, "B2": 2}), "", ""},
		{data(header), "", ""},
		{data(map[string]any{}), "", ""},
		{[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), "", ""},
		{notWorkbook(), "", ""},
		{rezip(with(map[string]any{"A2": 1, "B2": 2}), "xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="x"><c r="A1"`), "", ""},
		{rezip(with(map[string]any{"A2": 1, "B2": 2}), "xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`), "", ""},
		{[]byte("PK\x03\x04"), "", ""},
		{[]byte("time,x\n1,2\n"), "", ""},
	}
	for _, s := range seeds {
		f.Add(s.src, s.sheet, s.col)
	}
	f.Fuzz(func(t *testing.T, src []byte, sheet, col string) {
		var want []string
		if col != "" {
			want = []string{col}
		}
		fuzzbound.Check(t, func() {
			tab, errs := ReadSheet("f.xlsx", src, sheet, "time", want)
			for _, e := range errs {
				if e.Pos.File != "f.xlsx" || e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("error %v positioned outside a sheet", e)
				}
			}
			if errs != nil {
				var list syntax.ErrorList
				if !errors.As(errs.Err(), &list) {
					t.Fatalf("got %T, want a syntax.ErrorList", errs.Err())
				}
				return
			}
			for i := 1; i < len(tab.Time); i++ {
				if !(tab.Time[i] > tab.Time[i-1]) {
					t.Fatalf("times %v do not increase", tab.Time)
				}
			}
			if want != nil && (len(tab.Names) != 1 || !strings.EqualFold(tab.Names[0], col)) {
				t.Fatalf("asked for column %q, got %q", col, tab.Names)
			}
			for j, c := range tab.Cols {
				if len(c) != len(tab.Time) {
					t.Fatalf("column %q has %d values for %d times", tab.Names[j], len(c), len(tab.Time))
				}
			}
		})
	})
}

// ExampleReadSheet reads the observations on a sheet of a workbook, as
// [data.NAME] with file = "obs.xlsx" and sheet = "Data" does.
func ExampleReadSheet() {
	f := excelize.NewFile()
	_ = f.SetSheetName("Sheet1", "Data")
	_ = f.SetSheetRow("Data", "A1", &[]any{"time", "throughput"})
	_ = f.SetSheetRow("Data", "A2", &[]any{2024, 4.1})
	_ = f.SetSheetRow("Data", "A3", &[]any{2025, "n/a"})
	buf, _ := f.WriteToBuffer()

	_, errs := ReadSheet("obs.xlsx", buf.Bytes(), "Data", "time", []string{"throughput"})
	fmt.Println(errs)

	_ = f.SetCellValue("Data", "B3", 5.3)
	buf, _ = f.WriteToBuffer()
	t, _ := ReadSheet("obs.xlsx", buf.Bytes(), "Data", "time", []string{"throughput"})
	fmt.Println(t.Time, t.Col("throughput"))
	// Output:
	// obs.xlsx:3:2: sheet "Data" cell B3: the value in column "throughput" is "n/a", not a number (leave the cell empty for a gap)
	// [2024 2025] [4.1 5.3]
}
