package vensim

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// Parse reads the equations part of a Vensim .mdl file into a model
// declaration. filename is used in positions and errors. Every problem
// found is reported, as a syntax.ErrorList naming file, line and column;
// the returned model, when not nil, holds what could be read.
//
// The files that GET functions name are read relative to filename's
// directory, which they may not leave; ParseWith can allow it.
func Parse(filename string, src []byte) (*decl.Model, error) {
	return ParseWith(filename, src, decl.DataOptions{})
}

// ParseWith reads a .mdl file as Parse does, reading the files that GET
// functions name (spreadsheets, CSV files) with the given options: the
// same options decl.ReadData takes for data variables.
func ParseWith(filename string, src []byte, opt decl.DataOptions) (*decl.Model, error) {
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	r := &reader{file: filename, src: text, dims: map[string]*dim{}, elems: map[string]string{}, vars: map[string]*vvar{}, macros: map[string]*macro{}, names: map[string]bool{}, failed: map[string]bool{}, opt: opt}
	defer func() { r.files.close() }()
	r.lineStarts()
	if i := strings.IndexByte(text, 0); i >= 0 {
		r.errs.Addf(r.posOf(i), "", "a NUL byte: this is a binary file, not a Vensim model")
		return nil, r.errs
	}
	r.read()
	r.m.File = filename
	if len(r.errs) > 0 {
		r.errs.Sort()
		r.errs.RemoveDuplicates()
		return r.m, r.errs
	}
	return r.m, nil
}

// reader holds the state of one Parse.
type reader struct {
	file   string
	src    string
	lines  []int
	errs   syntax.ErrorList
	m      *decl.Model
	dims   map[string]*dim // by key
	dimSeq []*dim
	// partDims are the ranges made for variables defined on only some
	// elements of a range (see partDim).
	partDims []*dim
	elems    map[string]string // element key → element name
	vars     map[string]*vvar  // by key
	seq      []*vvar
	macros   map[string]*macro
	names    map[string]bool // canonical names taken
	ctl      map[string]float64
	consts   *ctlEval        // evaluates expressions of constants when the model is read (control)
	failed   map[string]bool // keys of the variables whose equation did not parse
	nInst    int
	opt      decl.DataOptions  // how the files of GET functions are read
	aliases  map[string]string // file aliases (?name, lower case) → file, from the settings' 30: lines
	files    *sources          // the files GET functions have read
	data     *dataSet          // the series of opt.DataFiles, once read
}

// dim is a subscript range.
type dim struct {
	name     string
	key      string
	elems    []string // element names
	mappings []mapping
	d        *def
	pos      syntax.Pos
}

// vvar is a variable being built from its definitions.
type vvar struct {
	name  string
	key   string
	defs  []*def
	dims  []*dim
	stock bool
	kind  decl.Kind
	flows struct{ in, out []string }
	net   bool // the stock's rate is a flow of its own, <name>_net_flow
	link  bool // a flow linked into a stock
	// missing holds the combinations of elements ("A1,C1") of an
	// arrayed aux or param that its definitions leave out (see
	// findMissing); nil when there are none.
	missing map[string]bool
}

// macro is a :MACRO: definition.
type macro struct {
	name   string
	pos    syntax.Pos // of its :MACRO: header
	key    string
	params []string // keys
	outs   []string // keys of the extra outputs, after the : of the header
	defs   []*def
	// builtin: one of builtinMacros; its copies are placed at the call,
	// for positions in errors.
	builtin bool
}

func (r *reader) lineStarts() {
	r.lines = []int{0}
	for i := 0; i < len(r.src); i++ {
		if r.src[i] == '\n' {
			r.lines = append(r.lines, i+1)
		}
	}
}

// posOf returns the file position of source offset off.
func (r *reader) posOf(off int) syntax.Pos {
	off = max(0, min(off, len(r.src)))
	l := sort.Search(len(r.lines), func(i int) bool { return r.lines[i] > off }) - 1
	return syntax.Pos{File: r.file, Line: l + 1, Col: off - r.lines[l] + 1}
}

// positions fills m with the file positions of the offsets offs in entry
// e's equation text, as at would one by one. An equation's offsets run
// mostly forward on one line, so the line of the previous one is tried
// before a search.
func (r *reader) positions(e *entry, offs []int, m []syntax.Pos) {
	if len(e.off) == 0 {
		for i := range offs {
			m[i] = syntax.Pos{File: r.file, Line: 1, Col: 1}
		}
		return
	}
	l := 0
	for i, o := range offs {
		off := e.off[max(0, min(o, len(e.off)-1))]
		off = max(0, min(off, len(r.src)))
		if off < r.lines[l] || l+1 < len(r.lines) && off >= r.lines[l+1] {
			l = sort.Search(len(r.lines), func(i int) bool { return r.lines[i] > off }) - 1
		}
		m[i] = syntax.Pos{File: r.file, Line: l + 1, Col: off - r.lines[l] + 1}
	}
}

// at returns the file position of offset off in entry e's equation text.
func (r *reader) at(e *entry, off int) syntax.Pos {
	if len(e.off) == 0 {
		return syntax.Pos{File: r.file, Line: 1, Col: 1}
	}
	off = max(0, min(off, len(e.off)-1))
	return r.posOf(e.off[off])
}

func (r *reader) errorf(e *entry, off int, key, format string, args ...any) {
	r.errs.Addf(r.at(e, off), key, format, args...)
}

// hasPrefixFold reports whether s begins with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// read does the work of Parse.
func (r *reader) read() {
	r.m = &decl.Model{Sim: decl.DefaultSim()}
	r.m.Sim.Pos = map[string]syntax.Pos{}
	var defs []*def
	var cur *macro
	var toks []tok // parseDef's scratch
	entries := split(r.src)
	for i := range entries {
		e := &entries[i]
		for {
			trim := strings.TrimLeft(e.eqn, " \t\n")
			k := len(e.eqn) - len(trim)
			if hasPrefixFold(trim, ":END OF MACRO:") {
				cut(e, k+len(":END OF MACRO:"))
				cur = nil
				continue
			}
			if hasPrefixFold(trim, ":MACRO:") {
				cur = r.macroHeader(e, k)
				continue
			}
			break
		}
		if strings.TrimSpace(e.eqn) == "" || strings.HasPrefix(strings.TrimSpace(e.eqn), "*") {
			continue
		}
		d, err := parseDef(e, &toks)
		if err != nil {
			var pe *parseError
			errors.As(err, &pe)
			r.errorf(e, pe.pos, strings.TrimSpace(firstLine(e.eqn)), "%s", pe.msg)
			if t := lex(nil, e.eqn); t[0].kind == tName {
				r.failed[nameKey(t[0].text)] = true
			}
			continue
		}
		if d.noEq && (cur != nil || isControl(d.key)) {
			where := "inside a macro"
			if cur == nil {
				where = "a simulation setting"
			}
			r.errorf(e, d.pos, d.name, "%q has no equation: give it one (a data variable read from a data file cannot be %s)", d.name, where)
			r.failed[d.key] = true
			continue
		}
		if cur != nil {
			cur.defs = append(cur.defs, d)
			continue
		}
		defs = append(defs, d)
	}
	if cur != nil && cur.name != "" {
		r.errs.Addf(cur.pos, cur.name, "macro %s has no :END OF MACRO:; everything after it would belong to the macro", cur.name)
	}
	if len(defs) == 0 && len(r.macros) == 0 && len(r.errs) == 0 {
		r.errs.Addf(r.posOf(0), "", "the file has no model equations: it is not a Vensim model (a .mdl file holds equations such as \"x = 1 ~ units ~ comment |\")")
	}
	r.fileAliases()
	// Subscript ranges first: everything else needs them.
	var rest []*def
	for _, d := range defs {
		switch d.kind {
		case dDim, dEquiv:
			r.addDim(d)
		case dSkip:
		default:
			rest = append(rest, d)
		}
	}
	if !r.resolveEquivs() {
		// A range whose elements could not be read from its file leaves
		// every equation over it in doubt: report the file alone.
		return
	}
	r.control(rest)
	r.settings()
	r.unitEquivalents()
	var shifts []*def
	for _, d := range rest {
		if isControl(d.key) {
			continue
		}
		if timeShift(d) {
			shifts = append(shifts, d)
			continue
		}
		if d.noEq {
			for _, d := range r.dataFile(d) {
				r.addDef(d)
			}
			continue
		}
		for _, d := range r.external(d) {
			r.addDef(d)
		}
	}
	r.timeShifts(shifts)
	r.addBuiltinMacros()
	r.expandMacros()
	for _, v := range r.seq {
		r.shape(v)
	}
	for _, v := range r.seq {
		r.findMissing(v)
	}
	r.linkFlows()
	for _, d := range append(r.dimSeq, r.partDims...) {
		r.m.Dimensions = append(r.m.Dimensions, &decl.Dimension{Name: d.name, Elements: d.elems, Pos: d.pos, Key: "dimensions." + d.name})
	}
	for _, v := range r.seq {
		r.emitVar(v)
	}
	r.sketch()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "=\n(["); i > 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// cut removes the first k bytes of e's equation.
func cut(e *entry, k int) {
	k = min(k, len(e.eqn))
	e.eqn = e.eqn[k:]
	e.off = e.off[k:]
}

// macroHeader reads ":MACRO: NAME(a, b : out)" at offset k of e's
// equation and removes it.
func (r *reader) macroHeader(e *entry, k int) *macro {
	rest := e.eqn[k+len(":MACRO:"):]
	open := strings.IndexByte(rest, '(')
	close := strings.IndexByte(rest, ')')
	if open < 0 || close < open {
		r.errorf(e, k, "macro", "malformed :MACRO: header: want :MACRO: NAME(arg1, arg2)")
		cut(e, len(e.eqn))
		return &macro{}
	}
	m := &macro{name: strings.TrimSpace(rest[:open]), pos: r.at(e, k)}
	m.key = nameKey(m.name)
	args, outs, hasOuts := strings.Cut(rest[open+1:close], ":")
	for _, a := range strings.Split(args, ",") {
		m.params = append(m.params, nameKey(a))
	}
	if hasOuts {
		for _, o := range strings.Split(outs, ",") {
			m.outs = append(m.outs, nameKey(o))
		}
	}
	if r.macros[m.key] != nil {
		r.errorf(e, k, m.name, "macro %s is defined twice", m.name)
	}
	r.macros[m.key] = m
	cut(e, k+len(":MACRO:")+close+1)
	return m
}

// isControl reports whether key names one of Vensim's control variables.
func isControl(key string) bool {
	switch key {
	case "initial time", "final time", "time step", "saveper":
		return true
	}
	return false
}

// control reads the simulation settings: the equations of INITIAL TIME,
// FINAL TIME, TIME STEP and SAVEPER, evaluated when the model is read
// (ctlEval). One that depends on the run (Time, a stock, a data variable,
// a function evaluated during the run) is an error saying why: stockflow
// lays out the time grid before the run.
func (r *reader) control(defs []*def) {
	ev := &ctlEval{r: r, defs: map[string]*def{}, visiting: map[string]bool{}}
	for _, d := range defs {
		if d.kind == dEq && len(d.subs) == 0 {
			ev.defs[d.key] = d
		}
	}
	r.consts = ev // for the other values needed when the model is read (TIME SHIFT's shift)
	r.ctl = map[string]float64{}
	for _, d := range defs {
		if !isControl(d.key) {
			continue
		}
		name := strings.ToUpper(strings.Join(strings.Fields(d.name), " "))
		if d.kind != dEq || len(d.subs) > 0 || d.data {
			r.errorf(d.e, d.pos, d.name, "%s must be a number or an expression of constants (%s = 100), not %s", name, name, map[bool]string{true: "a data equation (:=)", false: "a lookup, a list or a subscripted equation"}[d.data])
			continue
		}
		ev.visiting[d.key] = true
		v, nc := ev.eval(d.rhs, 0)
		delete(ev.visiting, d.key)
		if nc != nil {
			r.errorf(d.e, d.pos, d.name, "%s depends%s: stockflow fixes the run's times when it reads the model, before the run, so INITIAL TIME, FINAL TIME, TIME STEP and SAVEPER must each be a number or an expression of constants (FINAL TIME = INITIAL TIME + horizon, SAVEPER = TIME STEP); write the value the run should use", name, nc)
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			r.errorf(d.e, d.pos, d.name, "%s evaluates to %v; it must be a finite number", name, v)
			continue
		}
		r.ctl[d.key] = v
		pos := r.at(d.e, d.pos)
		switch d.key {
		case "initial time":
			r.m.Sim.Start = v
			r.m.Sim.Pos["start"] = pos
		case "final time":
			r.m.Sim.Stop = v
			r.m.Sim.Pos["stop"] = pos
		case "time step":
			r.m.Sim.DT = v
			r.m.Sim.Pos["dt"] = pos
		case "saveper":
			r.m.Sim.SaveEvery = v
			r.m.Sim.Pos["save_every"] = pos
			if units := strings.TrimSpace(d.e.units); units != "" {
				_ = units
			}
		}
		if d.key == "time step" || d.key == "final time" {
			if u := strings.TrimSpace(strings.Split(d.e.units, "[")[0]); u != "" && r.m.TimeUnits == "" {
				r.m.TimeUnits = u
			}
		}
	}
}

// unique returns a canonical name not yet taken, and takes it.
func (r *reader) unique(name string) string {
	if isReserved(name) {
		name += "_"
	}
	n := name
	for k := 2; r.names[strings.ToLower(n)]; k++ {
		n = name + "_" + strconv.Itoa(k)
	}
	r.names[strings.ToLower(n)] = true
	return n
}

// addDim records a subscript range.
func (r *reader) addDim(d *def) {
	if r.dims[d.key] != nil {
		r.errorf(d.e, d.pos, d.name, "subscript range %s is defined twice", d.name)
		return
	}
	dm := &dim{name: r.unique(CanonicalName(d.name)), key: d.key, d: d, mappings: d.mappings, pos: r.at(d.e, d.pos)}
	r.dims[d.key] = dm
	r.dimSeq = append(r.dimSeq, dm)
}

// resolveEquivs fills in the elements of every range: its own, those of
// the ranges it lists, and those of ranges it is equivalent to. It
// reports false when the elements of a range could not be read from the
// file a GET function names.
func (r *reader) resolveEquivs() bool {
	ok := true
	var fill func(dm *dim, depth int) []string
	fill = func(dm *dim, depth int) []string {
		if dm.elems != nil || depth > 20 {
			return dm.elems
		}
		d := dm.d
		var out []string
		if d.kind == dEquiv {
			if t := r.dims[nameKey(d.equiv)]; t != nil {
				out = append(out, fill(t, depth+1)...)
			} else {
				r.errorf(d.e, d.pos, d.name, "unknown subscript range %q", d.equiv)
			}
		}
		items := d.items
		if d.getSubs != nil {
			items = nil
			els := r.subscriptElems(d)
			if els == nil {
				ok = false
			}
			for _, el := range els {
				items = append(items, dimItem{names: []string{el}})
			}
		}
		for _, it := range items {
			if len(it.names) == 1 && d.getSubs == nil { // a cell's text is an element, not a range
				if t := r.dims[nameKey(it.names[0])]; t != nil && t != dm {
					out = append(out, fill(t, depth+1)...)
					continue
				}
			}
			for _, n := range it.names {
				el := elementName(n)
				if prev, ok := r.elems[nameKey(n)]; ok {
					el = prev
				} else {
					r.elems[nameKey(n)] = el
				}
				out = append(out, el)
			}
		}
		if out == nil {
			out = []string{}
		}
		dm.elems = out
		return out
	}
	for _, dm := range r.dimSeq {
		fill(dm, 0)
	}
	return ok
}

// addDef adds a definition to its variable.
func (r *reader) addDef(d *def) {
	v := r.vars[d.key]
	if v == nil {
		v = &vvar{key: d.key}
		r.vars[d.key] = v
		r.seq = append(r.seq, v)
		v.name = r.unique(CanonicalName(d.name))
	}
	v.defs = append(v.defs, d)
}

// resolved is a left-hand side subscript: a range or one element.
type resolved struct {
	dim  *dim
	elem string
	key  string
}

// lhs resolves a definition's subscripts.
func (r *reader) lhs(d *def, subs []sub) ([]resolved, bool) {
	out := make([]resolved, len(subs))
	for i, s := range subs {
		if dm := r.dims[s.key]; dm != nil {
			out[i] = resolved{dim: dm, key: s.key}
			continue
		}
		if el, ok := r.elems[s.key]; ok {
			out[i] = resolved{elem: el}
			continue
		}
		r.errorf(d.e, s.pos, d.name, "%s", r.unknownSub(s.text))
		return nil, false
	}
	return out, true
}

// unknownSub is the message for a subscript that names neither a range
// nor an element: with the nearest name of one when there is a close
// one, and otherwise what to define.
func (r *reader) unknownSub(text string) string {
	msg := fmt.Sprintf("unknown subscript %q", text)
	if len(r.dims) == 0 {
		return msg + ": the model defines no subscript ranges; define the range it belongs to, with its elements (region: north, south)"
	}
	names := make([]string, 0, len(r.dims)+len(r.elems))
	for _, dm := range r.dims {
		names = append(names, dm.name)
	}
	for _, el := range r.elems {
		names = append(names, el)
	}
	sort.Strings(names)
	if s := syntax.Suggest(text, names); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + ": no range or element has that name; define it as a range (region: north, south) or as an element of one"
}

// shape finds a variable's kind and dimensions.
func (r *reader) shape(v *vvar) {
	first := v.defs[0]
	n := len(first.subs)
	for _, d := range v.defs {
		if len(d.subs) != n {
			r.errorf(d.e, d.pos, d.name, "%s is defined with %d subscripts here and %d elsewhere", d.name, len(d.subs), n)
			v.kind, v.dims = 0, nil
			return
		}
		if d.kind == dEq && isInteg(d.rhs) {
			v.stock = true
		}
	}
	switch {
	case first.kind == dLookup:
		v.kind = decl.Lookup
	case n == 0 && first.ext != nil:
		v.kind = decl.Data
	case v.stock:
		v.kind = decl.Stock
	default:
		v.kind = decl.Aux
		if n == 0 && first.kind == dEq && isNumber(first.rhs) {
			v.kind = decl.Param
		}
		if n > 0 {
			allConst := true
			for _, d := range v.defs {
				if d.kind != dList && !(d.kind == dEq && isNumber(d.rhs)) {
					allConst = false
				}
			}
			if allConst {
				v.kind = decl.Param
			}
		}
	}
	for _, d := range v.defs {
		if v.stock && !(d.kind == dEq && isInteg(d.rhs)) {
			r.errorf(d.e, d.pos, d.name, "%s is a stock (INTEG) in one definition but not in this one", d.name)
		}
		if (d.kind == dLookup) != (v.kind == decl.Lookup) {
			r.errorf(d.e, d.pos, d.name, "%s is a lookup in one definition but not in this one", d.name)
		}
	}
	if n == 0 {
		return
	}
	// Each position ranges over the smallest range holding every element
	// the definitions name there.
	v.dims = make([]*dim, n)
	for i := 0; i < n; i++ {
		used := map[string]bool{}
		direct := map[*dim]bool{}
		for _, d := range v.defs {
			res, ok := r.lhs(d, d.subs[i:i+1])
			if !ok {
				v.kind, v.dims = 0, nil
				return
			}
			switch {
			case len(d.excepts) > 0:
				// :EXCEPT: removes combinations: the elements used here
				// are those of the combinations left.
				if res[0].dim != nil {
					direct[res[0].dim] = true
				}
				if !r.exceptUsed(d, i, used) {
					v.kind, v.dims = 0, nil
					return
				}
			case res[0].dim != nil:
				direct[res[0].dim] = true
				for _, e := range res[0].dim.elems {
					used[e] = true
				}
			default:
				used[res[0].elem] = true
			}
		}
		var best *dim
		for _, dm := range r.dimSeq {
			if !containsAll(dm.elems, used) {
				continue
			}
			if best == nil || len(dm.elems) < len(best.elems) || len(dm.elems) == len(best.elems) && direct[dm] && !direct[best] {
				best = dm
			}
		}
		if best == nil {
			d := v.defs[0]
			r.errorf(d.e, d.subs[i].pos, d.name, "no subscript range holds every element %s is defined for", d.name)
			v.kind, v.dims = 0, nil
			return
		}
		v.dims[i] = best
		if len(used) < len(best.elems) || containsDim(v.dims[:i], best) {
			v.dims[i] = r.partDim(v, best, used)
		}
	}
}

// exceptUsed adds to used the elements at position i of the
// combinations a definition with :EXCEPT: defines: those of its
// subscripts less the ones an :EXCEPT: names. It reports false, with an
// error, when a subscript does not resolve or the combinations are too
// many.
func (r *reader) exceptUsed(d *def, i int, used map[string]bool) bool {
	res, ok := r.lhs(d, d.subs)
	if !ok {
		return false
	}
	elems := func(rs resolved) []string {
		if rs.dim != nil {
			return rs.dim.elems
		}
		return []string{rs.elem}
	}
	var excepts [][]resolved
	for _, ex := range d.excepts {
		er, ok := r.lhs(d, ex)
		if !ok {
			return false
		}
		if len(er) != len(res) {
			r.errorf(d.e, ex[0].pos, d.name, ":EXCEPT: needs one subscript for each of %s's %d", d.name, len(res))
			return false
		}
		excepts = append(excepts, er)
	}
	size := 1
	for _, rs := range res {
		size *= max(1, len(elems(rs)))
		if size > maxElements {
			r.errorf(d.e, d.pos, d.name, "%s has more than %d elements", d.name, maxElements)
			return false
		}
	}
	t := make([]string, len(res))
	var walk func(k int)
	walk = func(k int) {
		if k == len(res) {
			for _, ex := range excepts {
				match := true
				for j, rs := range ex {
					if !contains(elems(rs), t[j]) {
						match = false
						break
					}
				}
				if match {
					return
				}
			}
			used[t[i]] = true
			return
		}
		for _, e := range elems(res[k]) {
			t[k] = e
			walk(k + 1)
		}
	}
	walk(0)
	return true
}

// partDim makes the range of a variable defined for only some elements
// of its smallest holding range, or subscripted by a range a second
// time (matrix[dim, dim], which decl cannot hold): the elements used, in
// the range's order, named <variable>_<range>. It keeps the range's key,
// so that the range named in an equation still binds to it, and stays
// out of dimSeq, so that no other variable is shaped by it.
func (r *reader) partDim(v *vvar, of *dim, used map[string]bool) *dim {
	var elems []string
	for _, e := range of.elems {
		if used[e] {
			elems = append(elems, e)
		}
	}
	dm := &dim{name: r.unique(v.name + "_" + of.name), key: of.key, elems: elems, pos: of.pos}
	r.partDims = append(r.partDims, dm)
	return dm
}

func containsAll(elems []string, set map[string]bool) bool {
	n := 0
	for _, e := range elems {
		if set[e] {
			n++
		}
	}
	return n == len(set)
}

func isInteg(n *node) bool {
	return n != nil && n.kind == nCall && (n.key == "integ" || n.key == "sinteg")
}

func isNumber(n *node) bool {
	switch n.kind {
	case nNum:
		return true
	case nUnary:
		return (n.text == "-" || n.text == "+") && isNumber(n.x)
	}
	return false
}

// linkFlows decides, for each scalar stock, whether its rate is a sum and
// difference of aux that can become its flows.
func (r *reader) linkFlows() {
	type use struct{ in, out int }
	uses := map[*vvar]*use{}
	terms := map[*vvar][]struct {
		v   *vvar
		neg bool
	}{}
	for _, s := range r.seq {
		if s.kind != decl.Stock || len(s.dims) > 0 || len(s.defs) != 1 || len(s.defs[0].rhs.args) != 2 {
			continue
		}
		ok := true
		seen := map[*vvar]bool{}
		var list []struct {
			v   *vvar
			neg bool
		}
		var walk func(n *node, neg bool)
		walk = func(n *node, neg bool) {
			switch {
			case n.kind == nParen && !neg:
				walk(n.x, neg)
			case n.kind == nBinary && (n.text == "+" || n.text == "-"):
				walk(n.x, neg)
				walk(n.y, neg != (n.text == "-"))
			case n.kind == nUnary && n.text == "-":
				walk(n.x, !neg)
			case n.kind == nRef && len(n.subs) == 0:
				f := r.vars[n.key]
				if f == nil || f == s || seen[f] || len(f.dims) > 0 || f.stock || (f.kind != decl.Aux && f.kind != decl.Param) || len(f.defs) != 1 {
					ok = false
					return
				}
				seen[f] = true
				list = append(list, struct {
					v   *vvar
					neg bool
				}{f, neg})
			default:
				ok = false
			}
		}
		walk(s.defs[0].rhs.args[0], false)
		if !ok || len(list) == 0 {
			continue
		}
		terms[s] = list
		for _, t := range list {
			u := uses[t.v]
			if u == nil {
				u = &use{}
				uses[t.v] = u
			}
			if t.neg {
				u.out++
			} else {
				u.in++
			}
		}
	}
	for _, s := range r.seq {
		if s.kind != decl.Stock {
			continue
		}
		list, ok := terms[s]
		for _, t := range list {
			if u := uses[t.v]; u.in > 1 || u.out > 1 {
				ok = false
			}
		}
		if !ok {
			s.net = true
			continue
		}
		for _, t := range list {
			t.v.kind = decl.Flow
			t.v.link = true
			if t.neg {
				s.flows.out = append(s.flows.out, t.v.name)
			} else {
				s.flows.in = append(s.flows.in, t.v.name)
			}
		}
	}
}

// tuples returns the element tuples a left-hand side covers, less its
// exceptions.
func (r *reader) tuples(d *def, v *vvar) ([][]string, []map[string]string, bool) {
	res, ok := r.lhs(d, d.subs)
	if !ok {
		return nil, nil, false
	}
	var excepts [][]resolved
	for _, ex := range d.excepts {
		er, ok := r.lhs(d, ex)
		if !ok {
			return nil, nil, false
		}
		if len(er) != len(res) {
			r.errorf(d.e, ex[0].pos, d.name, ":EXCEPT: needs one subscript for each of %s's %d", d.name, len(res))
			return nil, nil, false
		}
		excepts = append(excepts, er)
	}
	size := 1
	for _, dm := range v.dims {
		size *= max(1, len(dm.elems))
		if size > maxElements {
			r.errorf(d.e, d.pos, d.name, "%s has more than %d elements", d.name, maxElements)
			return nil, nil, false
		}
	}
	tuples := [][]string{{}}
	binds := []map[string]string{{}}
	for i, rs := range res {
		var nt [][]string
		var nb []map[string]string
		elems := []string{rs.elem}
		if rs.dim != nil {
			elems = rs.dim.elems
		}
		for k, t := range tuples {
			for _, e := range elems {
				if !contains(v.dims[i].elems, e) {
					continue
				}
				tt := append(append([]string(nil), t...), e)
				b := map[string]string{}
				for kk, vv := range binds[k] {
					b[kk] = vv
				}
				if rs.dim != nil {
					b[rs.key] = e
				}
				nt = append(nt, tt)
				nb = append(nb, b)
			}
		}
		tuples, binds = nt, nb
	}
	var ot [][]string
	var ob []map[string]string
next:
	for k, t := range tuples {
		for _, ex := range excepts {
			match := true
			for i, rs := range ex {
				if rs.dim != nil && !contains(rs.dim.elems, t[i]) || rs.dim == nil && rs.elem != t[i] {
					match = false
				}
			}
			if match {
				continue next
			}
		}
		ot = append(ot, t)
		ob = append(ob, binds[k])
	}
	return ot, ob, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// emitVar adds v, and anything made for it, to the model.
func (r *reader) emitVar(v *vvar) {
	if v.kind == 0 {
		return
	}
	d0 := v.defs[0]
	dv := &decl.Var{Kind: v.kind, Name: v.name, Key: v.kind.Section() + "." + v.name, Pos: r.at(d0.e, d0.pos),
		Units: d0.e.units, Doc: d0.e.doc}
	for _, d := range v.defs {
		if dv.Units == "" {
			dv.Units = d.e.units
		}
		if dv.Doc == "" {
			dv.Doc = d.e.doc
		}
	}
	unitsField := dv.Units
	dv.Units, _, _, _ = unitsRange(unitsField)
	for _, dm := range v.dims {
		dv.Dims = append(dv.Dims, dm.name)
	}
	switch {
	case v.kind == decl.Data:
		dv.Points = d0.ext.points
		dv.Data = &decl.DataSource{Interpolate: d0.ext.interp}
		r.m.Vars = append(r.m.Vars, dv)
		return
	case v.kind == decl.Lookup && len(v.dims) == 0:
		dv.Points = d0.tbl.points
		r.m.Vars = append(r.m.Vars, dv)
		return
	case v.kind == decl.Lookup:
		// decl has no arrayed lookups: one lookup per element.
		for _, d := range v.defs {
			ts, _, ok := r.tuples(d, v)
			if !ok {
				continue
			}
			for _, t := range ts {
				lv := *dv
				lv.Dims = nil
				lv.Name = lookupElementName(v.name, t)
				lv.Key = "lookups." + lv.Name
				lv.Points = d.tbl.points
				r.m.Vars = append(r.m.Vars, &lv)
			}
		}
		return
	}
	var net *decl.Var
	if v.kind == decl.Stock {
		dv.Inflows, dv.Outflows = v.flows.in, v.flows.out
		if v.net {
			fname := r.unique(v.name + "_net_flow")
			net = &decl.Var{Kind: decl.Flow, Name: fname, Key: "flows." + fname, Pos: dv.Pos, Dims: dv.Dims,
				Doc: "the net rate of change of " + v.name}
			dv.Inflows = []string{fname}
		}
	}
	var extra []*decl.Var
	for _, d := range v.defs {
		if len(v.dims) == 0 {
			c := &ctx{r: r, d: d, v: v, self: v.name, bind: map[string]string{}}
			switch {
			case v.kind == decl.Param && d.rhs != nil:
				c.write(strconv.FormatFloat(numberValue(d.rhs), 'g', -1, 64), d.rhs.pos)
				dv.Value = numberValue(d.rhs)
			case v.kind == decl.Stock:
				dv.Eq = c.integ(d.rhs, net)
			default:
				dv.Eq = c.equation(d.rhs)
			}
			extra = append(extra, c.extra...)
			continue
		}
		ts, binds, ok := r.tuples(d, v)
		if !ok {
			continue
		}
		if d.kind == dList && len(d.nums) != len(ts) {
			r.errorf(d.e, d.pos, d.name, "%s is given %d values for %d elements", d.name, len(d.nums), len(ts))
			continue
		}
		for k, t := range ts {
			c := &ctx{r: r, d: d, v: v, self: decl.ElementName(v.name, t), bind: binds[k], elems: t}
			var eq decl.Equation
			switch {
			case d.kind == dList:
				c.write(strconv.FormatFloat(d.nums[k], 'g', -1, 64), d.pos)
				eq = c.finish()
			case v.kind == decl.Stock:
				eq = c.integ(d.rhs, nil)
				if net != nil {
					net.ElementEqs = append(net.ElementEqs, decl.ElementEq{Elements: t, Eq: c.rate})
				}
			default:
				eq = c.equation(d.rhs)
			}
			dv.ElementEqs = append(dv.ElementEqs, decl.ElementEq{Elements: t, Eq: eq})
			extra = append(extra, c.extra...)
		}
	}
	r.missingElements(v, dv)
	r.applyRange(dv, unitsField)
	r.m.Vars = append(r.m.Vars, extra...)
	r.m.Vars = append(r.m.Vars, dv)
	if net != nil {
		r.m.Vars = append(r.m.Vars, net)
	}
}

// findMissing finds the combinations of elements of an arrayed aux or
// param that its definitions leave out: one defined on some
// combinations only (x[A, X] and x[B, Y], or with :EXCEPT: leaving out
// part of a range that is not a whole row or column). Vensim has no
// value for them; stockflow's arrays hold every combination, so they
// get :NA: (missingElements), and a reference to one is an error
// (element).
func (r *reader) findMissing(v *vvar) {
	if len(v.dims) == 0 || (v.kind != decl.Aux && v.kind != decl.Param) {
		return
	}
	have := map[string]bool{}
	for _, d := range v.defs {
		ts, _, ok := r.tuples(d, v)
		if !ok {
			return
		}
		for _, t := range ts {
			have[strings.Join(t, ",")] = true
		}
	}
	for _, t := range r.allTuples(v) {
		if k := strings.Join(t, ","); !have[k] {
			if v.missing == nil {
				v.missing = map[string]bool{}
			}
			v.missing[k] = true
		}
	}
}

// allTuples returns every combination of the elements of v's ranges.
func (r *reader) allTuples(v *vvar) [][]string {
	tuples := [][]string{{}}
	for _, dm := range v.dims {
		var nt [][]string
		for _, t := range tuples {
			for _, e := range dm.elems {
				nt = append(nt, append(append([]string(nil), t...), e))
			}
		}
		tuples = nt
	}
	return tuples
}

// missingElements gives the combinations of elements an arrayed
// variable's definitions leave out an equation: :NA: with a warning for
// an aux or param (findMissing), or, for a stock, an error, since
// stockflow needs an equation for each.
func (r *reader) missingElements(v *vvar, dv *decl.Var) {
	if len(v.dims) == 0 || len(dv.ElementEqs) == 0 {
		return
	}
	have := map[string]bool{}
	for _, ee := range dv.ElementEqs {
		have[strings.Join(ee.Elements, ",")] = true
	}
	var missing []string
	d := v.defs[0]
	for _, t := range r.allTuples(v) {
		if k := strings.Join(t, ","); !have[k] {
			missing = append(missing, "["+k+"]")
			// :NA: for an aux or param; for a stock, a stand-in, so
			// that the error is reported once, here.
			c := &ctx{r: r, d: d, v: v}
			if v.missing[k] {
				c.write("("+naValue+")", d.pos)
			} else {
				c.write("0", d.pos)
			}
			dv.ElementEqs = append(dv.ElementEqs, decl.ElementEq{Elements: t, Eq: c.finish()})
		}
	}
	if len(missing) == 0 {
		return
	}
	if len(missing) > 3 {
		missing = append(missing[:3], fmt.Sprintf("and %d more", len(missing)-3))
	}
	if v.missing != nil {
		r.m.Warnings = append(r.m.Warnings, &syntax.Error{Pos: r.at(d.e, d.pos), Key: d.name,
			Msg: fmt.Sprintf("%s has no equation for %s: Vensim has no value for these combinations of its subscripts' elements; stockflow gives them :NA:, and an equation that reads one is an error",
				d.name, strings.Join(missing, ", "))})
		return
	}
	r.errorf(d.e, d.pos, d.name, "%s has no equation for %s: it is defined on some combinations of its subscripts' elements only, and stockflow needs an equation for each combination of the elements it is defined on (add the missing ones, e.g. with value 0)",
		d.name, strings.Join(missing, ", "))
}

func numberValue(n *node) float64 {
	switch n.kind {
	case nNum:
		return n.num
	case nUnary:
		if n.text == "-" {
			return -numberValue(n.x)
		}
		return numberValue(n.x)
	}
	return 0
}

// lookupElementName names the scalar lookup made for one element of an
// arrayed Vensim lookup.
func lookupElementName(name string, elems []string) string {
	return name + "_" + strings.Join(elems, "_")
}

// errorAt reports a problem in the definition being translated.
func (r *reader) errorAt(d *def, off int, format string, args ...any) {
	r.errorf(d.e, off, d.name, format, args...)
}

// arith applies the arithmetic operator op to a and b, for the constant
// expressions the reader evaluates itself.
// binop computes a binary operator of Vensim's equations on numbers:
// the comparisons and :AND:/:OR: (1 for true, 0 for false) and arith's.
func binop(op string, a, b float64) (float64, bool) {
	switch op {
	case "=":
		return b2f(a == b), true
	case "<>":
		return b2f(a != b), true
	case "<":
		return b2f(a < b), true
	case ">":
		return b2f(a > b), true
	case "<=":
		return b2f(a <= b), true
	case ">=":
		return b2f(a >= b), true
	case "and":
		return b2f(a != 0 && b != 0), true
	case "or":
		return b2f(a != 0 || b != 0), true
	}
	return arith(op, a, b)
}

func arith(op string, a, b float64) (float64, bool) {
	switch op {
	case "+":
		return a + b, true
	case "-":
		return a - b, true
	case "*":
		return a * b, true
	case "/":
		return a / b, true
	case "^":
		return math.Pow(a, b), true
	}
	return 0, false
}
