package vensim_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/vensim"
)

// shop is a model whose data variables have no equation: their values
// come from the data files beside it, which hold the same series as a CSV
// file (time down a column, names spelled with other case and _), a
// transposed TSV (time across a row, as Vensim and PySD write), a Vensim
// .dat file, and a workbook the test writes.
const shop = "testdata/datafiles/shop.mdl"

// shopWant are the values by hand. Points: observed sales (0,10) (2,20)
// (4,40), linear; price (0,1) (4,3), :HOLD BACKWARD:; arrivals (1,5) (3,7),
// :LOOK FORWARD: (the first point at or after the time, the last one
// after it); demand[north] (0,100) (4,120), demand[south] (0,200) (2,210)
// (4,230), linear. revenue = observed sales × price; total demand the sum
// of demand.
var shopWant = map[string][]float64{
	"observed_sales": {10, 15, 20, 30, 40},
	"price":          {1, 1, 1, 1, 3},
	"arrivals":       {5, 5, 7, 7, 7},
	"demand[north]":  {100, 105, 110, 115, 120},
	"demand[south]":  {200, 205, 210, 220, 230},
	"revenue":        {10, 15, 20, 30, 120},
	"total_demand":   {300, 310, 320, 335, 350},
}

// shopWorkbook writes the shop's series to a workbook in dir.
func shopWorkbook(t *testing.T, dir string) string {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Time", "observed sales", "price", "arrivals", "demand[north]", "demand[south]"},
		{0, 10, 1, nil, 100, 200},
		{1, nil, nil, 5, nil, nil},
		{2, 20, nil, nil, nil, 210},
		{3, nil, nil, 7, nil, nil},
		{4, 40, 3, nil, 120, 230},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "data.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDataFiles(t *testing.T) {
	files := []string{"testdata/datafiles/data.csv", "testdata/datafiles/data.tab", "testdata/datafiles/data.dat", shopWorkbook(t, t.TempDir())}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			m, err := model.LoadWith(shop, model.LoadOptions{DataFiles: []string{file}})
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Run(context.Background(), model.RunOptions{All: true})
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range shopWant {
				got := res.Series(name)
				if len(got) != len(want) {
					t.Fatalf("%s: got %v, want %v", name, got, want)
				}
				for i := range want {
					if got[i] != want[i] {
						t.Errorf("%s at time %d: got %v, want %v", name, i, got[i], want[i])
					}
				}
			}
		})
	}
}

// TestDataFileKeywords checks that each interpolation keyword of a data
// variable without an equation maps as GET DIRECT DATA's do, and that a
// series named twice is taken from the first file.
func TestDataFileKeywords(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	b := filepath.Join(dir, "b.csv")
	if err := os.WriteFile(a, []byte("time,plain,raw,hold,fwd,interp\n0,1,1,1,1,1\n1,2,2,2,2,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("time,plain\n0,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "plain ~~|\nraw :RAW: ~~|\nhold :HOLD BACKWARD: ~~|\nfwd :LOOK FORWARD: ~~|\ninterp :INTERPOLATE: ~~|\n"
	d, err := vensim.ParseWith("m.mdl", []byte(src), decl.DataOptions{DataFiles: []string{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"plain": decl.InterpLinear, "raw": decl.InterpNone, "hold": decl.InterpHold, "fwd": decl.InterpForward, "interp": decl.InterpLinear}
	for _, v := range d.Vars {
		if v.Kind != decl.Data {
			continue
		}
		if v.Data.Interpolate != want[v.Name] {
			t.Errorf("%s: interpolation %q, want %q", v.Name, v.Data.Interpolate, want[v.Name])
		}
		if len(v.Points) != 2 || v.Points[1] != [2]float64{1, 2} {
			t.Errorf("%s: points %v, want [[0 1] [1 2]] (from the first file)", v.Name, v.Points)
		}
		delete(want, v.Name)
	}
	if len(want) > 0 {
		t.Errorf("not data variables: %v", want)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Error(), `"plain" is also in `+a) {
		t.Errorf("warnings %v, want one that plain is in both files", d.Warnings)
	}
}

// TestDataFileSameVariableTwice checks that two columns of one file that
// name the same Vensim variable (case aside, spaces and _ alike) warn so,
// and the first is read.
func TestDataFileSameVariableTwice(t *testing.T) {
	a := filepath.Join(t.TempDir(), "a.csv")
	if err := os.WriteFile(a, []byte("time,obs sales,Obs_Sales\n0,1,7\n1,2,8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := vensim.ParseWith("m.mdl", []byte("obs sales ~~|\n"), decl.DataOptions{DataFiles: []string{a}})
	if err != nil {
		t.Fatal(err)
	}
	want := `"Obs_Sales" names the same variable as "obs sales", earlier in this file, whose values are used: give each series once`
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Error(), want) {
		t.Errorf("warnings %v, want one containing %s", d.Warnings, want)
	}
	for _, v := range d.Vars {
		if v.Kind == decl.Data && (len(v.Points) != 2 || v.Points[1] != [2]float64{1, 2}) {
			t.Errorf("%s: points %v, want [[0 1] [1 2]] (the first column)", v.Name, v.Points)
		}
	}
}

func TestDataFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", "time,observed sale,demand[north]\n0,1,2\n")
	unsorted := write("unsorted.csv", "time,obs\n0,1\n2,2\n1,3\n")
	notNum := write("text.tab", "time\t0\t1\nobs\t1\tlots\n")
	datLate := write("late.dat", "obs\n0\t1\n0\t2\n")
	datFirst := write("first.dat", "0\t1\nobs\n")
	vdf := write("run.vdf", "binary")
	advice := `it is a data variable, whose values Vensim reads from a data file when the run starts; pass --data-file FILE (LoadOptions.DataFiles) naming a CSV, TSV or Excel file with a time column and a column named `
	for _, tc := range []struct {
		name, src string
		files     []string
		want      string
	}{
		{"no data file", "obs ~ people ~|\nx = obs ~~|\n", nil,
			`m.mdl:1:1: obs: "obs" has no equation: ` + advice + `"obs", or a Vensim .dat file with a series of that name`},
		{"not in the file", "observed sales ~~|\n", []string{good},
			`m.mdl:1:1: observed sales: "observed sales" has no equation: ` + advice + `"observed sales", or a Vensim .dat file with a series of that name; the data files given (` + good + `) have no series "observed sales" (did you mean "observed sale"?)`},
		{"an element not in the file", "r: north, south ~~|\ndemand[r] :INTERPOLATE: ~~|\n", []string{good},
			`m.mdl:2:1: demand: "demand" has no equation: ` + advice + `"demand[south]", or a Vensim .dat file with a series of that name; the data files given (` + good + `) have no series "demand[south]" (did you mean "demand[north]"?)`},
		{"times out of order", "obs ~~|\n", []string{unsorted},
			unsorted + `:4:1: --data-file: row 3: time 1 does not come after time 2 on line 3; sort the rows by time, one row per time`},
		{"text in a transposed file", "obs ~~|\n", []string{notNum},
			notNum + `:2:7: --data-file: line 2 column 7: the value in row "obs" is "lots", not a number (leave the cell empty for a gap)`},
		{"a .dat time repeated", "obs ~~|\n", []string{datLate},
			datLate + `:3:1: --data-file: series "obs": time 0 does not come after time 0; the times must increase`},
		{"a .dat point before a name", "obs ~~|\n", []string{datFirst},
			datFirst + `:1:1: --data-file: a time and value before the first series' name: a .dat file names each series on a line of its own, then gives its times and values, one pair a line`},
		{"a missing file", "obs ~~|\n", []string{filepath.Join(dir, "none.csv")},
			filepath.Join(dir, "none.csv") + `:1:1: --data-file: cannot read data file: open ` + filepath.Join(dir, "none.csv") + `: no such file or directory`},
		{"a .vdf file", "obs ~~|\n", []string{vdf},
			vdf + `:1:1: --data-file: ` + vdf + ` is a Vensim .vdf file, a binary format stockflow does not read: export the data from Vensim as a tab-separated (.tab) or CSV file, time in the first column, and give that`},
		{"a setting with no equation", "FINAL TIME ~~|\n", []string{good},
			`m.mdl:1:1: FINAL TIME: "FINAL TIME" has no equation: give it one (a data variable read from a data file cannot be a simulation setting)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src
			if !strings.Contains(src, "FINAL TIME") {
				src += "INITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
			}
			_, err := model.Parse("m.mdl", []byte(src))
			if tc.files != nil {
				_, err = vensim.ParseWith("m.mdl", []byte(src), decl.DataOptions{DataFiles: tc.files})
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestDataFilesOnlyVensim checks that data files given for a model that
// is not a Vensim model are an error, not ignored.
func TestDataFilesOnlyVensim(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.toml")
	if err := os.WriteFile(p, []byte("[sim]\nstop = 1\n[param.a]\nvalue = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := model.LoadWith(p, model.LoadOptions{DataFiles: []string{"d.csv"}})
	want := p + ": data files (--data-file d.csv) are read by a Vensim model's data variables that have no equation; this model is not a Vensim model (.mdl): declare its data variables with a file instead (see docs/data.md)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// TestDataFileStats checks that GET DATA MIN, MAX, MEAN and SUM read a
// data variable whose values come from a data file, scalar or an
// element of an arrayed one, over the points given only, and that TIME
// SHIFT moves its points. Values by hand:
// sales (0,10) (2,20) (4,40); demand[north] (0,100) (4,120),
// demand[south] (0,200) (2,210) (4,230).
func TestDataFileStats(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "d.csv")
	mdl := filepath.Join(dir, "m.mdl")
	if err := os.WriteFile(csv, []byte("time,sales,demand[north],demand[south]\n0,10,100,200\n2,20,,210\n4,40,120,230\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "sales ~~|\nr: north, south ~~|\ndemand[r] ~~|\n" +
		"peak = GET DATA MAX(sales, 0, Time) ~~|\n" +
		"low south = GET DATA MIN(demand[south], 1, 4) ~~|\n" +
		"mean north = GET DATA MEAN(demand[north], 0, 4) ~~|\n" +
		"recent = GET DATA SUM(sales, Time - 1, Time) ~~|\n" +
		"sales ahead := TIME SHIFT(sales, 2) ~~|\n" +
		"INITIAL TIME = 0 ~~|\nFINAL TIME = 4 ~~|\nTIME STEP = 1 ~~|\n"
	if err := os.WriteFile(mdl, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := model.LoadWith(mdl, model.LoadOptions{DataFiles: []string{csv}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]float64{
		"peak":       {10, 10, 20, 20, 40},
		"low_south":  {210, 210, 210, 210, 210},
		"mean_north": {110, 110, 110, 110, 110},
		"recent":     {10, 10, 20, 20, 40},
		// (-2,10) (0,20) (2,40), linear and held after the last.
		"sales_ahead": {20, 30, 40, 40, 40},
	} {
		got := res.Series(name)
		if len(got) != len(want) {
			t.Fatalf("%s: got %v, want %v", name, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s at time %d: got %v, want %v", name, i, got[i], want[i])
			}
		}
	}
}
