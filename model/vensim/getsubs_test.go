package vensim

import (
	"os"
	"slices"
	"testing"
)

// TestGetSubscriptErrors checks the messages of GET DIRECT SUBSCRIPT and
// GET XLS SUBSCRIPT, whole: each names the line, the column of the call,
// the range, the function and what to do.
func TestGetSubscriptErrors(t *testing.T) {
	const ctl = "INITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
	const dir = "testdata/features/get_subscripts/"
	for _, tc := range []struct{ name, src, want string }{
		{
			"too few arguments",
			"r: GET DIRECT SUBSCRIPT('" + dir + "subs.csv', ',', 'A2', 'A') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: takes 5 arguments ('file', 'sheet' or 'delimiter', 'first cell', 'last cell', 'prefix'), got 4",
		},
		{
			"an argument not quoted",
			"r: GET XLS SUBSCRIPT('" + dir + "subs.csv', ',', A2, 'A', '') ~~|\n",
			"m.mdl:1:4: r: GET XLS SUBSCRIPT: each argument is a quoted text ('...'), as in GET XLS SUBSCRIPT('file', 'sheet' or 'delimiter', 'first cell', 'last cell', 'prefix')",
		},
		{
			"another GET function",
			"r: GET DIRECT CONSTANTS('" + dir + "subs.csv', ',', 'A2') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT CONSTANTS: defines a range's elements only as GET DIRECT SUBSCRIPT or GET XLS SUBSCRIPT('file', 'sheet' or 'delimiter', 'first cell', 'last cell', 'prefix')",
		},
		{
			"not alone",
			"r: GET DIRECT SUBSCRIPT('" + dir + "subs.csv', ',', 'A2', 'A', '') + 1 ~~|\n",
			`m.mdl:1:90: r: GET DIRECT SUBSCRIPT: the GET call gives the range's elements alone: only mappings (-> range) may follow it, not "+"`,
		},
		{
			"as a variable's equation",
			"x = GET DIRECT SUBSCRIPT('" + dir + "subs.csv', ',', 'A2', 'A', '') ~~|\n",
			"m.mdl:1:5: x: GET DIRECT SUBSCRIPT: gives the elements of a subscript range, not a value: write it after the range's colon (x: GET DIRECT SUBSCRIPT(...))",
		},
		{
			"no such file",
			"r: GET DIRECT SUBSCRIPT('nofile.csv', ',', 'A2', 'A', '') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: cannot read 'nofile.csv' (looked for nofile.csv); put the file beside the model",
		},
		{
			"a bad last cell",
			"r: GET DIRECT SUBSCRIPT('" + dir + "subs.csv', ',', 'A2', 'A-1', '') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: the last cell 'A-1' is not a cell such as B9, a row's number, a column's letters or blank ('')",
		},
		{
			"a last cell above the first",
			"r: GET DIRECT SUBSCRIPT('" + dir + "subs.csv', ',', 'A2', 'C1', '') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: the last cell 'C1' lies before the first cell 'A2' (above it or to its left)",
		},
		{
			"a last column left of the first",
			"r: GET DIRECT SUBSCRIPT('" + dir + "subs.csv', ',', 'B2', 'A', '') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: the last cell 'A' lies before the first cell 'B2' (above it or to its left)",
		},
		{
			"an element read twice, in another case",
			"r: GET DIRECT SUBSCRIPT('testdata/getsubs/dup.csv', ',', 'A1', '', '') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: 'testdata/getsubs/dup.csv': the element \"A\" in cell B2 is the element \"a\" of cell A1 (names differing only in case, spaces or _ are one name); the elements of a range differ",
		},
		{
			"an element read twice",
			"r: GET DIRECT SUBSCRIPT('testdata/getsubs/dup2.csv', ',', 'A1', '', '') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: 'testdata/getsubs/dup2.csv': the element \"a\" is read twice, from cells A1 and B2; the elements of a range differ",
		},
		{
			"no element",
			"r: GET DIRECT SUBSCRIPT('" + dir + "subs.csv', ',', 'A3', 'C3', '') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: 'testdata/features/get_subscripts/subs.csv' cell A3: no element read: the cells from A3 on are empty",
		},
		{
			"a named range in a text file",
			"r: GET DIRECT SUBSCRIPT('" + dir + "subs.csv', ',', 'names', '', '') ~~|\n",
			"m.mdl:1:4: r: GET DIRECT SUBSCRIPT: 'names' is not a cell such as B2 (a column's letters, a row's number, * to transpose); named ranges are for .xlsx workbooks",
		},
		{
			"no such named range",
			"r: GET XLS SUBSCRIPT('" + dir + "kinds.xlsx', 'Kinds', 'kindname', '', '') ~~|\n",
			"m.mdl:1:4: r: GET XLS SUBSCRIPT: 'kindname' is neither a cell such as B2 nor a named range of 'testdata/features/get_subscripts/kinds.xlsx'",
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

// TestGetSubscriptElements reads ranges whose elements come from files,
// in the orders and bounds Vensim's help gives, and checks the elements.
func TestGetSubscriptElements(t *testing.T) {
	const file = "testdata/features/get_subscripts/get_subscripts.mdl"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(file, src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"region": {"north", "south", "east"},
		"axis":   {"x", "y"},
		"zone":   {"zb", "za", "zc"},
		"blank":  {"v2", "v20", "v3", "v30"},
		"kind":   {"solid", "liquid", "gas"},
		"grade":  {"g1", "g2", "g3"},
	}
	for _, d := range m.Dimensions {
		if w, ok := want[d.Name]; ok {
			if !slices.Equal(d.Elements, w) {
				t.Errorf("%s: got %v, want %v", d.Name, d.Elements, w)
			}
			delete(want, d.Name)
		}
	}
	for name := range want {
		t.Errorf("no range %s", name)
	}
}
