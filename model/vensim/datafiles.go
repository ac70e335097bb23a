package vensim

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// dataSet holds the series of the data files a Parse was given
// (decl.DataOptions.DataFiles), which the data variables without an
// equation read.
type dataSet struct {
	byKey map[string]*dataSeries // by seriesKey of the name
	names []string               // every series' name, as its file spells it
	bad   bool                   // a file could not be read (already reported)
}

// dataSeries is one series of a data file.
type dataSeries struct {
	file   string
	name   string
	points [][2]float64
}

// seriesKey returns the key a data file's series name is looked up by:
// the variable's name as nameKey makes it, and the elements' names, in
// brackets separated by commas, when it names one element of an arrayed
// variable (x[north, a]).
func seriesKey(name string) string {
	name = strings.TrimSpace(name)
	i := strings.IndexByte(name, '[')
	if i <= 0 || !strings.HasSuffix(name, "]") {
		return nameKey(name)
	}
	parts := strings.Split(name[i+1:len(name)-1], ",")
	for k, p := range parts {
		parts[k] = nameKey(p)
	}
	return nameKey(name[:i]) + "[" + strings.Join(parts, ",") + "]"
}

// dataSeriesSet reads the data files, once per Parse. A file that cannot
// be read is an error at its row and column; a series named twice is
// taken from the first file naming it, with a warning. Series that no data
// variable reads are left alone.
func (r *reader) dataSeriesSet() *dataSet {
	if r.data != nil {
		return r.data
	}
	ds := &dataSet{byKey: map[string]*dataSeries{}}
	r.data = ds
	for _, file := range r.opt.DataFiles {
		top := syntax.Pos{File: file, Line: 1, Col: 1}
		if strings.EqualFold(filepath.Ext(file), ".vdf") {
			r.errs.Addf(top, "--data-file", "%s is a Vensim .vdf file, a binary format stockflow does not read: export the data from Vensim as a tab-separated (.tab) or CSV file, time in the first column, and give that", file)
			ds.bad = true
			continue
		}
		src, err := decl.ReadFile(file, r.opt.MaxInputSize)
		if err != nil {
			r.errs.Addf(top, "--data-file", "cannot read data file: %v", err)
			ds.bad = true
			continue
		}
		var series []*dataSeries
		var errs syntax.ErrorList
		if strings.EqualFold(filepath.Ext(file), ".dat") {
			series, errs = readDat(file, src)
		} else {
			t, terrs := decl.ReadSeries(file, src)
			errs = terrs
			if t != nil {
				for i, name := range t.Names {
					s := &dataSeries{file: file, name: name}
					for k, y := range t.Cols[i] {
						if !math.IsNaN(y) {
							s.points = append(s.points, [2]float64{t.Time[k], y})
						}
					}
					series = append(series, s)
				}
			}
		}
		if len(errs) > 0 {
			for _, e := range errs {
				if e.Key == "" {
					e.Key = "--data-file"
				}
			}
			r.errs = append(r.errs, errs...)
			ds.bad = true
			continue
		}
		for _, s := range series {
			key := seriesKey(s.name)
			if old := ds.byKey[key]; old != nil {
				msg := fmt.Sprintf("%q is also in %s, whose values are used: the first data file given that has a series wins", s.name, old.file)
				if old.file == file {
					// Vensim's names ignore case and take spaces and _ alike.
					msg = fmt.Sprintf("%q names the same variable as %q, earlier in this file, whose values are used: give each series once", s.name, old.name)
				}
				r.m.Warnings = append(r.m.Warnings, &syntax.Error{Pos: top, Key: "--data-file", Msg: msg})
				continue
			}
			ds.byKey[key] = s
			ds.names = append(ds.names, s.name)
		}
	}
	return ds
}

// dataFile gives a data variable without an equation (d.noEq) the points
// of its series in the data files, as GET DIRECT DATA does (external):
// one data variable, or for an arrayed variable one per element, each
// element's series named NAME[element,...]. A series missing from every
// file is an error at the variable saying what to give.
func (r *reader) dataFile(d *def) []*def {
	fail := func(format string, args ...any) []*def {
		r.errorf(d.e, d.pos, d.name, format, args...)
		r.failed[d.key] = true
		return nil
	}
	if len(d.excepts) > 0 {
		return fail("%q has no equation and an :EXCEPT:; a data variable read from a data file is defined on all its elements, or one element at a time", d.name)
	}
	elems, ok := r.defElems(d)
	if !ok {
		return []*def{d} // the unknown subscript is reported when the variable is shaped
	}
	// Every combination of the elements, in order.
	tuples := [][]string{nil}
	for _, e := range elems {
		var next [][]string
		for _, t := range tuples {
			for _, el := range e {
				next = append(next, append(append([]string(nil), t...), el))
			}
		}
		tuples = next
	}
	ds := r.dataSeriesSet()
	found := make([]*dataSeries, len(tuples))
	for k, t := range tuples {
		name, key := d.name, nameKey(d.name)
		if len(t) > 0 {
			keys := make([]string, len(t))
			for i, el := range t {
				keys[i] = nameKey(el)
			}
			name += "[" + strings.Join(t, ",") + "]"
			key += "[" + strings.Join(keys, ",") + "]"
		}
		s := ds.byKey[key]
		switch {
		case s == nil && ds.bad:
			// A data file could not be read: that error is enough.
			r.failed[d.key] = true
			return nil
		case s == nil:
			return fail("%q has no equation: %s", d.name, r.missingSeries(name, ds))
		case len(s.points) == 0:
			return fail("%q has no equation, and its series %q in %s has no values", d.name, s.name, s.file)
		}
		found[k] = s
	}
	x := func(s *dataSeries) *extData { return &extData{points: s.points, interp: interpOf(d.interp)} }
	if len(d.subs) == 0 {
		nd := &def{e: d.e, kind: dEq, name: d.name, key: d.key, pos: d.pos, rhs: d.rhs, ext: x(found[0])}
		return []*def{nd}
	}
	var out []*def
	for k, t := range tuples {
		// One data variable per element, which the element's equation
		// names.
		hname := d.name + " " + strings.Join(t, " ") + " data"
		hkey := nameKey(hname)
		for i := 2; r.vars[hkey] != nil; i++ {
			hkey = nameKey(hname + " " + strconv.Itoa(i))
		}
		h := &def{e: d.e, kind: dEq, name: hname, key: hkey, pos: d.pos, rhs: d.rhs, ext: x(found[k])}
		nd := &def{e: d.e, kind: dEq, name: d.name, key: d.key, pos: d.pos, subs: r.elementSubs(d, t),
			rhs: &node{kind: nRef, pos: d.rhs.pos, text: hname, key: hkey}}
		out = append(out, h, nd)
	}
	return out
}

// missingSeries says what to do about a data variable whose series name
// no data file has.
func (r *reader) missingSeries(name string, ds *dataSet) string {
	msg := fmt.Sprintf("it is a data variable, whose values Vensim reads from a data file when the run starts; pass --data-file FILE (LoadOptions.DataFiles) naming a CSV, TSV or Excel file with a time column and a column named %q, or a Vensim .dat file with a series of that name", name)
	if len(r.opt.DataFiles) == 0 {
		return msg
	}
	msg += fmt.Sprintf("; the data files given (%s) have no series %q", strings.Join(r.opt.DataFiles, ", "), name)
	if s := syntax.Suggest(name, ds.names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}

// readDat reads a Vensim .dat data file: each series is a line naming it
// followed by lines holding a time and a value, separated by a tab or
// spaces, the times increasing. Errors are at the line and the column of
// the field at fault. The series returned have each a name, unlike the
// others' (case aside), and finite points whose times increase; there is
// one at least.
func readDat(file string, src []byte) ([]*dataSeries, syntax.ErrorList) {
	var errs syntax.ErrorList
	var out []*dataSeries
	var cur *dataSeries
	named := map[string]int{} // the line of each series' name, by its name in lower case
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimRight(line, "\r")
		text := strings.TrimSpace(line)
		if text == "" {
			continue
		}
		// at is the position of field k of f, found in the line from
		// the end of the field before it.
		at := func(f []string, k int) syntax.Pos {
			col := 0
			for j := 0; j <= k && j < len(f); j++ {
				col += strings.Index(line[col:], f[j])
				if j < k {
					col += len(f[j])
				}
			}
			return syntax.Pos{File: file, Line: i + 1, Col: col + 1}
		}
		f := strings.Split(text, "\t")
		if len(f) != 2 {
			f = strings.Fields(text)
		}
		for k := range f {
			f[k] = strings.TrimSpace(f[k])
		}
		if _, err := strconv.ParseFloat(f[0], 64); err != nil && !errors.Is(err, strconv.ErrRange) {
			// A series' name.
			k := strings.ToLower(text)
			if first, ok := named[k]; ok {
				errs.Addf(at(f, 0), "", "series %q is named twice, first on line %d; give each series once", text, first)
				cur = &dataSeries{file: file, name: text} // its points are checked, not kept
				continue
			}
			named[k] = i + 1
			cur = &dataSeries{file: file, name: text}
			out = append(out, cur)
			continue
		}
		if cur == nil {
			errs.Addf(at(f, 0), "", "a time and value before the first series' name: a .dat file names each series on a line of its own, then gives its times and values, one pair a line")
			return nil, errs
		}
		if len(f) != 2 {
			errs.Addf(at(f, 0), "", "series %q: expected a time and a value separated by a tab, found %q", cur.name, text)
			continue
		}
		t, okT := datNumber(f[0])
		y, okY := datNumber(f[1])
		switch {
		case !okT:
			errs.Addf(at(f, 0), "", "series %q: the time %q is not a number", cur.name, f[0])
		case !okY:
			errs.Addf(at(f, 1), "", "series %q: the value %q is not a number", cur.name, f[1])
		case len(cur.points) > 0 && t <= cur.points[len(cur.points)-1][0]:
			errs.Addf(at(f, 0), "", "series %q: time %s does not come after time %s; the times must increase", cur.name,
				strconv.FormatFloat(t, 'g', -1, 64), strconv.FormatFloat(cur.points[len(cur.points)-1][0], 'g', -1, 64))
		default:
			cur.points = append(cur.points, [2]float64{t, y})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		errs.Addf(syntax.Pos{File: file, Line: 1, Col: 1}, "", "the data file has no series: a .dat file names each series on a line of its own, then gives its times and values, one pair a line")
		return nil, errs
	}
	return out, nil
}

// datNumber parses a finite number of a .dat file.
func datNumber(s string) (float64, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return x, err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
}
