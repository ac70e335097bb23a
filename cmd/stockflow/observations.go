package main

import (
	"flag"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// observationFlags are the flags naming where a file of observations
// keeps its times and, in a workbook, which sheet holds them: those of
// calibrate's --data and run's --compare.
type observationFlags struct {
	timeColumn string
	sheet      string
}

// observationFlagsOf defines --time-column and --sheet on fs; what
// names the file they describe ("the --data file").
func observationFlagsOf(fs *flag.FlagSet, what string) *observationFlags {
	f := &observationFlags{}
	fs.StringVar(&f.timeColumn, "time-column", "time", what+"'s column of times, `NAME`")
	fs.StringVar(&f.sheet, "sheet", "", what+"'s sheet `NAME` when it is an Excel workbook (default the first sheet)")
	return f
}

// checkSheet reports a usage error if --sheet was given for a file that
// is not an Excel workbook.
func (f *observationFlags) checkSheet(flag, file string) error {
	if f.sheet != "" && !decl.IsWorkbook(file) {
		return usagef("--sheet applies to an Excel workbook (.xlsx); %s %q is read as CSV or TSV", flag, file)
	}
	return nil
}

// read reads the table of observations in file: a CSV or TSV file, or
// the sheet --sheet (default the first) of an Excel workbook.
func (f *observationFlags) read(out *output, file string) (*decl.Table, error) {
	src, err := decl.ReadFile(file, out.maxInput)
	if err != nil {
		return nil, err
	}
	read := decl.ReadTable
	if decl.IsWorkbook(file) {
		read = func(file string, src []byte, timeColumn string, want []string) (*decl.Table, syntax.ErrorList) {
			return decl.ReadSheet(file, src, f.sheet, timeColumn, want)
		}
	}
	obs, errs := read(file, src, f.timeColumn, nil)
	if errs != nil {
		return nil, errs
	}
	return obs, nil
}
