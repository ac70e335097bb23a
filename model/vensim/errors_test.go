package vensim

import (
	"strings"
	"testing"
)

// TestNotAVensimModel checks that a file with no equations, whether
// empty, garbage or a lone "|", is an error rather than an empty model.
func TestNotAVensimModel(t *testing.T) {
	const want = "m.mdl:1:1: the file has no model equations: it is not a Vensim model (a .mdl file holds equations such as \"x = 1 ~ units ~ comment |\")"
	for _, src := range []string{
		"",
		"|",
		"|||\n",
		"{UTF-8}\n",
		"~\xb3R[\xaa\xc7\xec\x11\x95\x89\xf8'\xcb6",
		"********\n~\n|",
	} {
		_, err := Parse("m.mdl", []byte(src))
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %s", src, err, want)
		}
	}
	// A NUL byte says a binary file.
	_, err := Parse("m.mdl", []byte("x = 1 ~~|\ny = \x00 ~~|\n"))
	if want := "m.mdl:2:5: a NUL byte: this is a binary file, not a Vensim model"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("NUL: got %v, want %s", err, want)
	}
	// A model of control variables alone, as Vensim saves a new model,
	// is a model.
	if _, err := Parse("m.mdl", []byte("FINAL TIME = 100 ~ Month ~|\nINITIAL TIME = 0 ~ Month ~|\nSAVEPER = TIME STEP ~~|\nTIME STEP = 1 ~~|\n")); err != nil {
		t.Errorf("control variables alone: %v", err)
	}
}

// TestUnterminatedMacro checks that a :MACRO: without :END OF MACRO: is
// an error at the macro, not a macro that swallows the rest of the file.
func TestUnterminatedMacro(t *testing.T) {
	src := "x = 1 ~~|\n  :MACRO: F(a)\nF = a ~~|\ny = 2 ~~|\n"
	_, err := Parse("m.mdl", []byte(src))
	want := "m.mdl:2:3: F: macro F has no :END OF MACRO:; everything after it would belong to the macro"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	// Terminated, it reads.
	src = "x = 1 ~~|\n:MACRO: F(a)\nF = a ~~|\n:END OF MACRO:\ny = F(2) ~~|\n"
	if _, err := Parse("m.mdl", []byte(src)); err != nil {
		t.Errorf("a terminated macro: %v", err)
	}
}

// TestErrors checks that each construct the reader refuses is an error
// naming the file, line, column and the construct, and what to do.
func TestErrors(t *testing.T) {
	const ctl = "INITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
	for _, tc := range []struct{ name, src, want string }{
		{
			"partial combinations of a stock",
			"r: A, B ~~|\ns: X, Y ~~|\nx[A, X] = INTEG(1, 0) ~~|\nx[B, Y] = INTEG(2, 0) ~~|\n",
			"m.mdl:3:1: x: x has no equation for [A,Y], [B,X]: it is defined on some combinations of its subscripts' elements only, and stockflow needs an equation for each combination of the elements it is defined on (add the missing ones, e.g. with value 0)",
		},
		{
			"a combination a variable leaves out",
			"r: A, B ~~|\ns: X, Y ~~|\nx[A, X] = 1 ~~|\nx[B, Y] = 2 ~~|\ny = x[A, Y] ~~|\n",
			`m.mdl:5:5: y: "x" has no element [A,Y]: its definitions leave it out, and Vensim has no value for it`,
		},
		{
			"element outside a partial variable",
			"r: A, B, C ~~|\nx[A] = 1 ~~|\nx[C] = 2 ~~|\ny = x[B] ~~|\n",
			`m.mdl:4:5: y: "x" has no element B (its range x_r holds A, C)`,
		},
		{
			"VECTOR SELECT action",
			"r: A, B ~~|\ns[r] = 1, 0 ~~|\nx[r] = 3, 4 ~~|\ny = VECTOR SELECT(s[r!], x[r!], -1, 11, 0) ~~|\n",
			"m.mdl:4:37: y: VECTOR SELECT action 11 is not one of Vensim's: 0 to 4 the sum, product, min, max or mean of selection × value, 5 the product of value^selection, 6 to 10 the sum, product, min, max or mean of the values",
		},
		{
			"DEPRECIATE STRAIGHTLINE over a fiscal period longer than TIME STEP",
			"x = DEPRECIATE STRAIGHTLINE(5, 10, 2, 0) ~~|\n",
			"m.mdl:1:36: x: DEPRECIATE STRAIGHTLINE: the fiscal period (third argument) must be TIME STEP (1): stockflow does not lump the payments of a longer fiscal period together",
		},
		{
			"SINTEG with a variable bound",
			"x = SINTEG(1, 0, 0, top, :NA:, :NA:, :NA:) ~~|\ntop = 5 ~~|\n",
			"m.mdl:1:21: x: SINTEG: its max (argument 4) must be a number or :NA:",
		},
		{
			"GET DATA BETWEEN TIMES of an aux",
			"x = GET DATA BETWEEN TIMES(y, 1, 0) ~~|\ny = Time ~~|\n",
			"m.mdl:1:28: x: GET DATA BETWEEN TIMES reads a data variable defined by GET XLS DATA or GET DIRECT DATA or read from a data file; y is not one",
		},
		{
			"GET DATA MAX of an aux",
			"x = GET DATA MAX(y, 0, 1) ~~|\ny = Time ~~|\n",
			"m.mdl:1:18: x: GET DATA MAX reads a data variable defined by GET XLS DATA or GET DIRECT DATA or read from a data file; y is not one",
		},
		{
			"GET DATA MEAN of a constant element",
			"r: A, B ~~|\nc[r] = 1, 2 ~~|\nx = GET DATA MEAN(c[B], 0, 1) ~~|\n",
			"m.mdl:3:19: x: GET DATA MEAN reads a data variable defined by GET XLS DATA or GET DIRECT DATA or read from a data file; c is not one",
		},
		{
			"GET DATA SUM without an end",
			"x = GET DATA SUM(d, 0) ~~|\nd := GET DIRECT DATA('testdata/features/get_data_between/data.csv', ',', 'A', 'B2') ~~|\n",
			"m.mdl:1:5: x: GET DATA SUM takes 3 arguments, got 2",
		},
		{
			"TIME SHIFT of an aux",
			"x := TIME SHIFT(y, 1) ~~|\ny = Time ~~|\n",
			"m.mdl:1:17: x: TIME SHIFT: the data must be the name of a data variable without subscripts, defined by GET XLS DATA or GET DIRECT DATA, read from a data file, or a TIME SHIFT; y is not one",
		},
		{
			"TIME SHIFT by a variable",
			"x := TIME SHIFT(d, Time) ~~|\nd := GET DIRECT DATA('testdata/features/get_data_between/data.csv', ',', 'A', 'B2') ~~|\n",
			"m.mdl:1:20: x: TIME SHIFT: the shift must be a number or a constant, as in Vensim",
		},
		{
			"TIME SHIFT with one argument",
			"x := TIME SHIFT(d) ~~|\nd := GET DIRECT DATA('testdata/features/get_data_between/data.csv', ',', 'A', 'B2') ~~|\n",
			"m.mdl:1:6: x: TIME SHIFT: takes 2 arguments (data, shift), got 1",
		},
		{
			"TIME SHIFTs in a circle",
			"x := TIME SHIFT(y, 1) ~~|\ny := TIME SHIFT(x, 1) ~~|\n",
			"m.mdl:1:6: x: TIME SHIFT: y is a TIME SHIFT too, and these shifts read each other in a circle (and 1 more error)",
		},
		{
			"TIME SHIFT in an expression",
			"x = 2 * TIME SHIFT(d, 1) ~~|\nd := GET DIRECT DATA('testdata/features/get_data_between/data.csv', ',', 'A', 'B2') ~~|\n",
			"m.mdl:1:9: x: TIME SHIFT is read only as the whole equation of a data variable (x := TIME SHIFT(data, shift)); give it a variable of its own",
		},
		{
			"GET DATA BETWEEN TIMES with another mode",
			"x = GET DATA BETWEEN TIMES(d, 1, 2) ~~|\nd := GET DIRECT DATA('testdata/features/get_data_between/data.csv', ',', 'A', 'B2') ~~|\n",
			"m.mdl:1:34: x: GET DATA BETWEEN TIMES: the mode must be 0 (interpolate), 1 (the next point's value) or -1 (the last point's value)",
		},
		{
			"VECTOR LOOKUP area mode",
			"r: A, B ~~|\nv[r] = 1, 2 ~~|\nx = VECTOR LOOKUP(v[A], 0.5, 0, 1, 1) ~~|\n",
			"m.mdl:3:36: x: VECTOR LOOKUP: the mode must be 0 (interpolate), 2 (backward), 3 (extrapolate) or 4 (forward), a number or constants known when the model is read; modes 1 and 5 to 9 (area, invert, slope) are not read",
		},
		{
			"VECTOR LOOKUP mode from Time",
			"r: A, B ~~|\nv[r] = 1, 2 ~~|\nm = Time ~~|\nx = VECTOR LOOKUP(v[A], 0.5, 0, 1, m) ~~|\n",
			"m.mdl:4:36: x: VECTOR LOOKUP: the mode must be 0 (interpolate), 2 (backward), 3 (extrapolate) or 4 (forward), a number or constants known when the model is read; modes 1 and 5 to 9 (area, invert, slope) are not read",
		},
		{
			"SINTEG with quant 0",
			"x = SINTEG(1, 0, :NA:, :NA:, 0, :NA:, :NA:) ~~|\n",
			"m.mdl:1:30: x: SINTEG: its quant (argument 5) must be positive or :NA:, got 0",
		},
		{
			"SINTEG inside an expression",
			"x = 2 * SINTEG(1, 0, :NA:, :NA:, :NA:, :NA:, :NA:) ~~|\n",
			"m.mdl:1:9: x: SINTEG must be the whole equation of a stock",
		},
		{
			"LOOKUP SLOPE mode",
			"t((0,0),(1,1)) ~~|\nx = LOOKUP SLOPE(t, 0.5, 2) ~~|\n",
			"m.mdl:2:26: x: LOOKUP SLOPE: the mode must be 0 (0 outside the table), 1 (the nearest segment's slope) or -1 (:NA: outside), written as a number",
		},
		{
			"DEPRECIATE STRAIGHTLINE over a varying time",
			"x = DEPRECIATE STRAIGHTLINE(5, Time, 1, 0) ~~|\n",
			"m.mdl:1:32: x: DEPRECIATE STRAIGHTLINE: the depreciation time (second argument) must not change during the run (a number, or constants)",
		},
		{
			"A FUNCTION OF",
			"x = A FUNCTION OF(y) ~~|\ny = 1 ~~|\n",
			"m.mdl:1:5: x: A FUNCTION OF is Vensim's placeholder for an equation not written yet: give the variable an equation",
		},
		{
			"GET DIRECT DATA",
			"x := GET DIRECT DATA('data.csv', ',', 'A', 'B2') ~~|\n",
			"m.mdl:1:6: x: GET DIRECT DATA: cannot read 'data.csv' (looked for data.csv); put the file beside the model",
		},
		{
			"GET XLS LOOKUPS as a table",
			"t(\n GET XLS LOOKUPS('in.xls', 'Sheet1', '4', 'C5')) ~~|\n",
			"m.mdl:2:2: t: GET XLS LOOKUPS: cannot read 'in.xls' (looked for in.xls, and for in.xlsx); put the file beside the model",
		},
		{
			"GET DIRECT CONSTANTS from a missing file",
			"x = GET DIRECT CONSTANTS('no such.csv', ',', 'B2') ~~|\n",
			"m.mdl:1:5: x: GET DIRECT CONSTANTS: cannot read 'no such.csv' (looked for no such.csv); put the file beside the model",
		},
		{
			"GET DIRECT CONSTANTS from outside the model's directory",
			"x = GET DIRECT CONSTANTS('../c.csv', ',', 'B2') ~~|\n",
			`m.mdl:1:5: x: GET DIRECT CONSTANTS: data file "../c.csv" lies outside the model's directory .; move it beside the model, or pass --allow-paths (DataOptions.AllowPaths) to read it`,
		},
		{
			"GET DIRECT CONSTANTS with a bad cell",
			"x = GET DIRECT CONSTANTS('testdata/features/get_constants/constants.csv', ',', 'total') ~~|\n",
			"m.mdl:1:5: x: GET DIRECT CONSTANTS: 'total' is not a cell such as B2 (a column's letters, a row's number, * to transpose); named ranges are for .xlsx workbooks",
		},
		{
			"GET DIRECT CONSTANTS with a bad delimiter",
			"x = GET DIRECT CONSTANTS('testdata/features/get_constants/constants.csv', ';;', 'B2') ~~|\n",
			`m.mdl:1:5: x: GET DIRECT CONSTANTS: the delimiter ';;' is not one character (give ',' for CSV, '\t' for TSV; a sheet's name is for .xlsx workbooks)`,
		},
		{
			"GET DIRECT CONSTANTS reading text",
			"x = GET DIRECT CONSTANTS('testdata/features/get_constants/constants.csv', ',', 'A2') ~~|\n",
			`m.mdl:1:5: x: GET DIRECT CONSTANTS: 'testdata/features/get_constants/constants.csv' cell A2 holds "rate", not a number`,
		},
		{
			"GET DIRECT CONSTANTS past the file's end",
			"r: a, b, c, d ~~|\nx[r] = GET DIRECT CONSTANTS('testdata/features/get_constants/constants.csv', ',', 'B4') ~~|\n",
			"m.mdl:2:8: x: GET DIRECT CONSTANTS: 'testdata/features/get_constants/constants.csv' cell E4 is empty (reading 1×4 cells from B4)",
		},
		{
			"GET DIRECT CONSTANTS from a spreadsheet",
			"x = GET DIRECT CONSTANTS('in.xlsx', 'Sheet1', 'B2') ~~|\n",
			"m.mdl:1:5: x: GET DIRECT CONSTANTS: cannot read 'in.xlsx' (looked for in.xlsx); put the file beside the model",
		},
		{
			"GET DIRECT CONSTANTS: no such sheet",
			"x = GET DIRECT CONSTANTS('testdata/features/get_xlsx/inputs.xlsx', 'Const', 'B2') ~~|\n",
			"m.mdl:1:5: x: GET DIRECT CONSTANTS: 'testdata/features/get_xlsx/inputs.xlsx': no sheet \"Const\" in the workbook (did you mean \"Consts\"?)",
		},
		{
			"GET DIRECT CONSTANTS: no such named range",
			"x = GET DIRECT CONSTANTS('testdata/features/get_xlsx/inputs.xlsx', 'Consts', 'ratez') ~~|\n",
			"m.mdl:1:5: x: GET DIRECT CONSTANTS: 'ratez' is neither a cell such as B2 nor a named range of 'testdata/features/get_xlsx/inputs.xlsx'",
		},
		{
			"GET DIRECT CONSTANTS: text in a cell",
			"x = GET DIRECT CONSTANTS('testdata/features/get_xlsx/inputs.xlsx', 'Series', 'A2') ~~|\n",
			`m.mdl:1:5: x: GET DIRECT CONSTANTS: 'testdata/features/get_xlsx/inputs.xlsx' sheet "Series" cell A2 holds "a", not a number`,
		},
		{
			"GET DIRECT CONSTANTS over three ranges",
			"p: p1, p2 ~~|\nq: q1, q2 ~~|\nr: r1, r2 ~~|\nx[p, q, r] = GET DIRECT CONSTANTS('testdata/features/get_xlsx/inputs.xlsx', 'Consts', 'B4') ~~|\n",
			"m.mdl:4:14: x: GET DIRECT CONSTANTS: x varies over 3 subscripts (p, q, r); a GET function reads a block of rows and columns, at most two, so define x for one element of p at a time",
		},
		{
			"GET XLS DATA from a binary .xls with no .xlsx beside it",
			"x := GET XLS DATA('testdata/features/get_xlsx/old2.xls', 'Series', '1', 'B2') ~~|\n",
			"m.mdl:1:6: x: GET XLS DATA: cannot read 'testdata/features/get_xlsx/old2.xls' (looked for testdata/features/get_xlsx/old2.xls, and for old2.xlsx); put the file beside the model",
		},
		{
			"GET XLS DATA: text among the values",
			"x := GET DIRECT DATA('testdata/features/get_constants/constants.csv', ',', '2', 'B1') ~~|\n",
			`m.mdl:1:6: x: GET DIRECT DATA: 'testdata/features/get_constants/constants.csv' cell B1 holds "a", not a number (leave the cell empty for a gap)`,
		},
		{
			"GET XLS DATA: times that do not increase",
			"x := GET XLS DATA('testdata/features/get_xlsx/inputs.xlsx', 'Down', 'B', 'A2') ~~|\n",
			`m.mdl:1:6: x: GET XLS DATA: 'testdata/features/get_xlsx/inputs.xlsx' sheet "Down" cell B5: time 30 does not come after time 60 in cell B4; the times must increase`,
		},
		{
			"GET XLS DATA: a bad time row",
			"x := GET XLS DATA('testdata/features/get_xlsx/inputs.xlsx', 'Series', '1x', 'B2') ~~|\n",
			"m.mdl:1:6: x: GET XLS DATA: '1x' is not a time row (a number such as '4'), column (letters such as 'A') or named range",
		},
		{
			"GET XLS DATA over two ranges",
			"p: p1, p2 ~~|\nq: q1, q2 ~~|\nx[p, q] := GET XLS DATA('testdata/features/get_xlsx/inputs.xlsx', 'Series', '1', 'B2') ~~|\n",
			"m.mdl:3:12: x: GET XLS DATA: x varies over p and q; a series is read for one range at a time, so define x one element of p at a time",
		},
		{
			"GET XLS DATA with too few arguments",
			"x := GET XLS DATA('testdata/features/get_xlsx/inputs.xlsx', 'Series', '1') ~~|\n",
			"m.mdl:1:6: x: GET XLS DATA: takes 4 arguments ('file', 'sheet' or 'delimiter', 'time row or column', 'first cell'), got 3",
		},
		{
			"GET XLS DATA inside an expression",
			"x := 2 * GET XLS DATA('testdata/features/get_xlsx/inputs.xlsx', 'Series', '1', 'B2') ~~|\n",
			"m.mdl:1:10: x: GET XLS DATA is read only as the whole equation of a variable (x := GET XLS DATA(...)); give it a variable of its own",
		},
		{
			"a lookup defined by GET XLS DATA",
			"t(GET XLS DATA('testdata/features/get_xlsx/inputs.xlsx', 'Series', '1', 'B2')) ~~|\n",
			"m.mdl:1:3: t: GET XLS DATA: a lookup's table is read with GET XLS LOOKUPS or GET DIRECT LOOKUPS",
		},
		{
			"GET XLS LOOKUPS with text for times",
			"t = GET XLS LOOKUPS('testdata/features/get_constants/constants.csv', ',', '1', 'B1') ~~|\n",
			"m.mdl:1:5: t: GET XLS LOOKUPS: 'testdata/features/get_constants/constants.csv' cell B1: no point read: no time cell from B1 on holds a number with a value alongside it",
		},
		{
			"a variable called as a lookup",
			"x = 1 ~~|\ny = x(2) ~~|\n",
			"m.mdl:2:5: y: x is not a lookup, and only lookups are called like functions",
		},
		{
			"a string outside GET",
			"x = 'abc' ~~|\n",
			"m.mdl:1:5: x: a string ('abc') is only an argument of the GET functions",
		},
		{
			"keyword without :=",
			"x :RAW: = 3 ~~|\n",
			`m.mdl:1:9: x :RAW:: expected := after :RAW:, found "="`,
		},
		{
			"DELAY CONVEYOR",
			"x = DELAY CONVEYOR(1, 2, 0, t, 0, 2) ~~|\nt((0,1),(1,1)) ~~|\n",
			"m.mdl:1:5: x: unsupported function DELAY CONVEYOR (Vensim's conveyors and queues are not implemented): use DELAY MATERIAL or DELAY FIXED for a pipeline delay, or DELAY N",
		},
		{
			"ALLOCATE BY PRIORITY of numbers",
			"x = ALLOCATE BY PRIORITY(1, 2, 3, 4, 5) ~~|\n",
			"m.mdl:1:26: x: the first argument of ALLOCATE BY PRIORITY must be a subscripted variable whose last subscript is a range (x[region])",
		},
		{
			"ALLOCATE AVAILABLE with a profile not ending in ptype",
			"b: p, q ~~|\nprof: t, w ~~|\nd[b] = 1, 2 ~~|\npp[b, prof] = 1, 2; 3, 4 ~~|\nx[b] = ALLOCATE AVAILABLE(d[b], pp[b, t], 5) ~~|\n",
			"m.mdl:5:39: x: ALLOCATE AVAILABLE: the last subscript of the priority profile must be an element of prof followed by three more (ptype, ppriority, pwidth, pextra)",
		},
		{
			"FIND MARKET PRICE of a scalar quantity",
			"d: d1, d2 ~~|\np: ptype, ppriority, pwidth, pextra ~~|\nq = 3 ~~|\npp[d, p] = 1 ~~|\nx = FIND MARKET PRICE(q, pp[d1, ptype], q, pp[d1, ptype]) ~~|\n",
			"m.mdl:5:23: x: the quantities of the demanders in FIND MARKET PRICE must be a variable whose last subscript is the first of their elements (q[d1])",
		},
		{
			"FIND MARKET PRICE with a supply profile not subscripted",
			"d: d1, d2 ~~|\np: ptype, ppriority, pwidth, pextra ~~|\nq[d] = 3 ~~|\npp[d, p] = 1 ~~|\nx = FIND MARKET PRICE(q[d1], pp[d1, ptype], q[d1], pp) ~~|\n",
			"m.mdl:5:52: x: the priority profile of FIND MARKET PRICE must be a variable subscripted by the suppliers' range and, last, the first of its four profile elements (sp[s1, ptype])",
		},
		{
			"DEMAND AT PRICE with a profile from its width",
			"d: d1, d2 ~~|\np: ptype, ppriority, pwidth, pextra ~~|\nq[d] = 3 ~~|\npp[d, p] = 1 ~~|\ny[d] = DEMAND AT PRICE(q[d], pp[d, pwidth], 3) ~~|\n",
			"m.mdl:5:36: y: DEMAND AT PRICE: the last subscript of the priority profile must be an element of p followed by three more (ptype, ppriority, pwidth, pextra)",
		},
		{
			"a subscript in a model without ranges",
			"a[DimA] = 1 ~~|\n",
			"m.mdl:1:3: a: unknown subscript \"DimA\": the model defines no subscript ranges; define the range it belongs to, with its elements (region: north, south)",
		},
		{
			"a misspelt range",
			"region: north, south ~~|\nx[regio] = 1 ~~|\n",
			"m.mdl:2:3: x: unknown subscript \"regio\" (did you mean \"region\"?)",
		},
		{
			"an element of no range",
			"region: north, south ~~|\nx[region] = 1 ~~|\ny = x[zone] ~~|\n",
			"m.mdl:3:7: y: unknown subscript \"zone\": no range or element has that name; define it as a range (region: north, south) or as an element of one",
		},
		{
			"a file alias the settings do not define",
			"d := GET XLS DATA('?groupon data', 'users', '4', 'd20') ~~|\n",
			"m.mdl:1:6: d: GET XLS DATA: '?groupon data' names its file by an alias (a leading ?), which the model's settings do not define: Vensim keeps each alias in a line after the sketch, 30:?groupon data=FILE; add that line, or give the file's path instead",
		},
		{
			"a seed not known at the start",
			"x = RANDOM UNIFORM(0, 1, y) ~~|\ny = INTEG(1, 1) ~~|\n",
			"m.mdl:1:26: x: the seed of RANDOM UNIFORM must be known at the start (a number, or an expression of constants)",
		},
		{
			"macro outputs",
			":MACRO: F(a : o)\nF = a ~~|\no = 2 * a ~~|\n:END OF MACRO:\ny = F(1 : p, q) ~~|\n",
			"m.mdl:5:11: y: macro F has 1 extra outputs (after the : of its header), the call names 2",
		},
		{
			"VECTOR RANK of a scalar",
			"x = 1 ~~|\nr: A, B ~~|\ny[r] = VECTOR RANK(x, 1) ~~|\n",
			"m.mdl:3:20: y: the first argument of VECTOR RANK must be a subscripted variable whose last subscript is a range (x[region])",
		},
		{
			"VECTOR SORT ORDER into a scalar",
			"r: A, B ~~|\nx[r] = 1, 2 ~~|\ny = VECTOR SORT ORDER(x[r], 1) ~~|\n",
			"m.mdl:3:5: y: VECTOR SORT ORDER gives a vector: the variable it defines must be subscripted",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("m.mdl", []byte(tc.src+ctl))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestMissingCombinations checks that an aux or param defined on some
// combinations of its elements only loads, with a warning naming the
// combinations left out, which read :NA:.
func TestMissingCombinations(t *testing.T) {
	src := "r: A, B ~~|\ns: X, Y ~~|\nx[r, s] :EXCEPT: [A, Y] = 1 ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
	m, err := Parse("m.mdl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "m.mdl:3:1: x: x has no equation for [A,Y]: Vensim has no value for these combinations of its subscripts' elements; stockflow gives them :NA:, and an equation that reads one is an error"
	var got []string
	for _, w := range m.Warnings {
		got = append(got, w.Error())
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("got warnings %q\nwant %s", got, want)
	}
	for _, v := range m.Vars {
		if v.Name != "x" {
			continue
		}
		for _, ee := range v.ElementEqs {
			if strings.Join(ee.Elements, ",") == "A,Y" && ee.Eq.Text != "("+naValue+")" {
				t.Errorf("x[A,Y] = %s, want :NA:", ee.Eq.Text)
			}
		}
	}
}

// TestSintegMethod checks that SINTEG in a model whose settings choose a
// Runge-Kutta method is an error naming it: its rate lands an Euler step
// on the limited value, and RK stages average such rates into values the
// restrictions exclude (0.632 for SINTEG(0.6, 0, 0, 10, 1, :NA:, :NA:)
// after one step of RK4 Auto, where each value is a whole number).
// Euler (0) and Difference (2) load.
func TestSintegMethod(t *testing.T) {
	src := func(code string) string {
		return "x = SINTEG(0.6, 0, 0, 10, 1, :NA:, :NA:) ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n" +
			"\\\\\\---/// Sketch information - do not modify anything except names\nV300  Do not put anything below this section - it's just for the sketch\n" +
			"*View 1\n///---\\\\\\\n:L<%^E!@\n15:0,0,0," + code + ",0,0\n"
	}
	for _, code := range []string{"1", "3", "4", "5"} {
		_, err := Parse("m.mdl", []byte(src(code)))
		if want := "m.mdl:1:5: x: SINTEG holds its value to its restrictions with Euler integration only, and the model's integration type is "; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("integration type %s: got %v, want %s…", code, err, want)
		}
	}
	for _, code := range []string{"0", "2"} {
		if _, err := Parse("m.mdl", []byte(src(code))); err != nil {
			t.Errorf("integration type %s: %v", code, err)
		}
	}
}
