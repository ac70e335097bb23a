package decl

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/stockflow/stockflow/model/syntax"
)

// LoadTOML reads the model file at path, of at most DefaultMaxInputSize
// bytes; see ParseTOML.
func LoadTOML(path string) (*Model, error) {
	src, err := ReadFile(path, 0)
	if err != nil {
		return nil, err
	}
	return ParseTOML(path, src)
}

// ParseTOML reads a model in stockflow's TOML format (docs/format.md) from
// src; filename is used in positions and kept in Model.File.
//
// On failure the error is a syntax.ErrorList, sorted by position, holding
// every problem found: malformed TOML, wrong types, unknown keys, bad or
// duplicate names, missing entries, equations that do not parse, stocks
// whose inflows or outflows are not flows, bad lookup points, bad
// simulation settings, and names in thresholds, loops and plots that do not
// exist. Each error has the file position and the key it concerns. Names
// used inside equations are not resolved here; package model does that.
//
// When the TOML itself is malformed the model is nil. Otherwise the model
// is returned even with errors, holding what could be read (an equation
// that did not parse has a nil Expr), so that a caller may look for more
// problems; it must not be compiled.
func ParseTOML(filename string, src []byte) (*Model, error) {
	r := newReader(filename, src)
	m := r.read()
	if len(r.errs) > 0 {
		r.errs.RemoveDuplicates()
		return m, r.errs
	}
	return m, nil
}

// The keys each table accepts.
var (
	topKeys       = []string{"name", "description", "time_units", "sim", "dimensions", "params", "stocks", "flows", "aux", "lookups", "data", "thresholds", "loops", "plots", "scenarios", "checks", "units"}
	simKeys       = []string{"start", "stop", "dt", "method", "save_every", "rel_tol", "abs_tol", "max_step", "non_negative", "units"}
	paramKeys     = []string{"value", "values", "dims", "units", "doc", "min", "max", "dist", "mode", "mean", "sd", "pos"}
	stockKeys     = []string{"initial", "initials", "dims", "inflows", "outflows", "units", "doc", "non_negative", "range", "pos"}
	flowKeys      = []string{"eq", "eqs", "dims", "units", "doc", "non_negative", "range", "pos"}
	auxKeys       = []string{"eq", "eqs", "dims", "units", "doc", "range", "pos"}
	lookupKeys    = []string{"points", "extrapolate", "units", "x_units", "doc"}
	thresholdKeys = []string{"var", "level", "direction", "doc"}
	loopKeys      = []string{"name", "path", "polarity", "doc"}
	plotKeys      = []string{"file", "title", "vars", "data", "thresholds", "scenarios"}
	directions    = []string{Rising, Falling, Either}
	keywords      = []string{"if", "then", "else", "and", "or", "not", "mod"}
)

// reader holds the state of one ParseTOML call.
type reader struct {
	file string
	data string // the source without a byte order mark
	lay  *layout
	md   toml.MetaData
	errs syntax.ErrorList

	defined map[string]*Var // every variable by name, first definition
	dims    map[string]*Dimension
}

func newReader(file string, src []byte) *reader {
	data, base := string(src), 0
	for _, bom := range []string{"\xef\xbb\xbf", "\xff\xfe", "\xfe\xff"} {
		if strings.HasPrefix(data, bom) {
			data, base = data[len(bom):], len(bom)
			break
		}
	}
	return &reader{
		file:    file,
		data:    data,
		lay:     newLayout(data, base),
		defined: make(map[string]*Var),
		dims:    make(map[string]*Dimension),
	}
}

// loc names a place in the document: its layout path and the key shown
// to the user.
type loc struct {
	path []string
	key  string
}

func (c loc) child(name string) loc {
	key := name
	if c.key != "" {
		key = c.key + "." + name
	}
	return loc{path: append(append([]string(nil), c.path...), name), key: key}
}

// item is the i-th element of an array value; its key stays the array's.
func (c loc) item(i int) loc {
	return loc{path: append(append([]string(nil), c.path...), strconv.Itoa(i)), key: c.key}
}

// entry is the i-th table of an array of tables, shown as key[i+1].
func (c loc) entry(i int) loc {
	return loc{
		path: append(append([]string(nil), c.path...), strconv.Itoa(i)),
		key:  fmt.Sprintf("%s[%d]", c.key, i+1),
	}
}

func (r *reader) keyPos(c loc) syntax.Pos { return r.lay.pos(r.file, r.lay.keyOff(c.path)) }
func (r *reader) valPos(c loc) syntax.Pos { return r.lay.pos(r.file, r.lay.valOff(c.path)) }

func (r *reader) errorf(pos syntax.Pos, c loc, format string, args ...any) {
	r.errs.Addf(pos, c.key, format, args...)
}

func (r *reader) read() *Model {
	if r.lay.deep >= 0 {
		r.errs.Addf(r.lay.pos(r.file, r.lay.deep), r.lay.deepKey,
			"keys and values nest more than %d levels deep here; a model needs a few (is a bracket or a dot repeated?)", MaxNesting)
		return nil
	}
	var raw map[string]any
	md, err := toml.NewDecoder(strings.NewReader(r.data)).Decode(&raw)
	if err != nil {
		r.tomlError(err)
		return nil
	}
	r.md = md
	m := &Model{File: r.file, Sim: DefaultSim()}
	m.Sim.SaveEvery = m.Sim.DT
	top := loc{}

	r.unknownKeys(top, raw, topKeys)
	if v, ok := raw["name"]; ok {
		m.Name, _ = r.str(top.child("name"), v)
	}
	if v, ok := raw["description"]; ok {
		m.Description, _ = r.str(top.child("description"), v)
	}
	if v, ok := raw["time_units"]; ok {
		m.TimeUnits, _ = r.str(top.child("time_units"), v)
		m.TimeUnitsPos = r.valPos(top.child("time_units"))
	}
	if v, ok := raw["sim"]; ok {
		if t, ok := r.table(top.child("sim"), v); ok {
			r.sim(&m.Sim, t)
		}
	}
	r.units(m, raw)
	r.dimensions(m, raw)
	r.vars(m, raw)
	r.flowUse(m)
	thresholds := r.thresholds(m, raw)
	r.loops(m, raw)
	r.plots(m, raw, thresholds)
	r.scenarios(m, raw)
	r.checks(m, raw)
	return m
}

// tomlError turns an error from the toml package into a positioned error.
func (r *reader) tomlError(err error) {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		off := pe.Position.Start
		if off < 0 || off > len(r.data) {
			off = 0
			if pe.Position.Line > 0 && pe.Position.Line <= len(r.lay.lines) {
				off = r.lay.lines[pe.Position.Line-1]
			}
		}
		key := pe.LastKey
		if h, ok := headerKey(r.lineAt(off)); ok {
			// The error is in a table header, which LastKey, the last key
			// read before it, does not name.
			key = h
		}
		r.errs.Add(r.lay.pos(r.file, off), key, tomlMessage(pe.Message))
		return
	}
	r.errs.Add(r.lay.pos(r.file, 0), "", tomlMessage(err.Error()))
}

// lineAt returns the line of the input holding byte offset off.
func (r *reader) lineAt(off int) string {
	off = min(max(off, 0), len(r.data))
	start := strings.LastIndexByte(r.data[:off], '\n') + 1
	end := strings.IndexByte(r.data[off:], '\n')
	if end < 0 {
		end = len(r.data) - off
	}
	return r.data[start : off+end]
}

// headerKey returns the key a table header line names ("aux.utilisation"
// for "[aux.utilisation]", even unclosed, or "plots" for "[[plots]]"), and
// whether the line is a header at all.
func headerKey(line string) (string, bool) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "[") {
		return "", false
	}
	key := strings.TrimLeft(line, "[")
	if i := strings.IndexAny(key, "]#"); i >= 0 {
		key = key[:i]
	}
	var parts []string
	for _, p := range strings.Split(key, ".") {
		parts = append(parts, strings.Trim(strings.TrimSpace(p), `"'`))
	}
	return strings.Join(parts, "."), true
}

// tomlMessage reworks a message of the toml package into the style of
// ours: no "toml: " prefix, lower case, no trailing period.
func tomlMessage(msg string) string {
	msg = strings.TrimSuffix(strings.TrimPrefix(msg, "toml: "), ".")
	if len(msg) > 1 && 'A' <= msg[0] && msg[0] <= 'Z' && 'a' <= msg[1] && msg[1] <= 'z' {
		msg = string(msg[0]+'a'-'A') + msg[1:]
	}
	return msg
}

// unknownKeys reports each key of t not in allowed.
func (r *reader) unknownKeys(c loc, t map[string]any, allowed []string) {
	for k := range t {
		if contains(allowed, k) {
			continue
		}
		cc := c.child(k)
		msg := fmt.Sprintf("unknown key %q", k)
		if s := syntax.Suggest(k, allowed); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += fmt.Sprintf(" (known keys: %s)", strings.Join(allowed, ", "))
		}
		r.errs.Add(r.keyPos(cc), cc.key, msg)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// typeName describes a decoded TOML value's type.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []map[string]any:
		return "an array of tables"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case time.Time:
		return "a date or time"
	}
	return fmt.Sprintf("a %T", v)
}

func (r *reader) typeError(c loc, want string, v any) {
	msg := fmt.Sprintf("expected %s, got %s", want, typeName(v))
	if s, ok := v.(string); ok && strings.HasPrefix(want, "a number") {
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			msg += "; write the number without quotes"
		}
	}
	r.errorf(r.valPos(c), c, "%s", msg)
}

func (r *reader) str(c loc, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		r.typeError(c, "a string", v)
	}
	return s, ok
}

func (r *reader) boolean(c loc, v any) (bool, bool) {
	b, ok := v.(bool)
	if !ok {
		r.typeError(c, "true or false", v)
	}
	return b, ok
}

// num reads a number; integers are accepted where floats are expected.
func (r *reader) num(c loc, v any) (float64, bool) {
	var f float64
	switch v := v.(type) {
	case int64:
		f = float64(v)
	case float64:
		f = v
	default:
		r.typeError(c, "a number", v)
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		r.errorf(r.valPos(c), c, "expected a finite number, got %v", f)
		return 0, false
	}
	return f, true
}

func (r *reader) table(c loc, v any) (map[string]any, bool) {
	t, ok := v.(map[string]any)
	if !ok {
		r.typeError(c, "a table", v)
	}
	return t, ok
}

// array returns v's elements, which may be any values.
func (r *reader) array(c loc, v any) ([]any, bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case []map[string]any:
		a := make([]any, len(v))
		for i, t := range v {
			a[i] = t
		}
		return a, true
	}
	r.typeError(c, "an array", v)
	return nil, false
}

// stringList reads an array of strings, reporting each element that is not
// one. It returns the strings and the position of each.
func (r *reader) stringList(c loc, v any) ([]string, []syntax.Pos, bool) {
	a, ok := r.array(c, v)
	if !ok {
		return nil, nil, false
	}
	out := make([]string, 0, len(a))
	pos := make([]syntax.Pos, 0, len(a))
	for i, e := range a {
		s, isStr := e.(string)
		if !isStr {
			r.errorf(r.valPos(c.item(i)), c, "element %d: expected a string, got %s", i+1, typeName(e))
			ok = false
			continue
		}
		out = append(out, s)
		pos = append(pos, r.valPos(c.item(i)))
	}
	return out, pos, ok
}

// order returns the keys of section table t in the file's order.
func (r *reader) order(section string, t map[string]any) []string {
	var names []string
	seen := make(map[string]bool)
	for _, k := range r.md.Keys() {
		if len(k) >= 2 && k[0] == section && !seen[k[1]] {
			if _, ok := t[k[1]]; ok {
				seen[k[1]] = true
				names = append(names, k[1])
			}
		}
	}
	var rest []string
	for k := range t {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

// checkName reports whether name is a valid variable name, reporting it
// if not. what says what the name is for.
func (r *reader) checkName(c loc, name, what string) bool {
	if name == "" {
		r.errorf(r.keyPos(c), c, "empty %s name", what)
		return false
	}
	for i := 0; i < len(name); i++ {
		ch := name[i]
		letter := ch == '_' || 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z'
		if !letter && !(i > 0 && isDigitByte(ch)) {
			r.errorf(r.keyPos(c), c, "invalid %s name %q: a name is letters, digits and _, and does not start with a digit", what, name)
			return false
		}
	}
	for _, kw := range keywords {
		if strings.EqualFold(name, kw) {
			r.errorf(r.keyPos(c), c, "%q is a keyword of the equation language and cannot be a %s name", name, what)
			return false
		}
	}
	return true
}

func ff(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// sim reads the [sim] table into s.
func (r *reader) sim(s *Sim, t map[string]any) {
	c := loc{path: []string{"sim"}, key: "sim"}
	r.unknownKeys(c, t, simKeys)
	s.Pos = make(map[string]syntax.Pos)
	ok := make(map[string]bool) // keys given with a good value
	for _, k := range simKeys {
		v, given := t[k]
		if !given {
			continue
		}
		kc := c.child(k)
		s.Pos[k] = r.valPos(kc)
		if k == "method" || k == "non_negative" || k == "units" {
			m, isStr := r.str(kc, v)
			if !isStr {
				continue
			}
			what, choices, dst := "method", Methods, &s.Method
			switch k {
			case "non_negative":
				what, choices, dst = "non_negative rule", NonNegativeRules, &s.NonNegative
			case "units":
				what, choices, dst = "units setting", UnitsModes, &s.Units
			}
			lm := strings.ToLower(m)
			if !contains(choices, lm) {
				msg := fmt.Sprintf("unknown %s %q", what, m)
				if sug := syntax.Suggest(lm, choices); sug != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				} else {
					msg += fmt.Sprintf(" (use one of %s)", strings.Join(choices, ", "))
				}
				r.errorf(s.Pos[k], kc, "%s", msg)
				continue
			}
			*dst = lm
			continue
		}
		f, good := r.num(kc, v)
		if !good {
			continue
		}
		ok[k] = true
		switch k {
		case "start":
			s.Start = f
		case "stop":
			s.Stop = f
		case "dt":
			s.DT = f
		case "save_every":
			s.SaveEvery = f
		case "rel_tol":
			s.RelTol = f
		case "abs_tol":
			s.AbsTol = f
		case "max_step":
			s.MaxStep = f
		}
	}
	if _, given := t["save_every"]; !given {
		s.SaveEvery = s.DT
	}
	bad := func(k, format string, args ...any) {
		ok[k] = false
		r.errorf(s.Pos[k], c.child(k), format, args...)
	}
	if ok["dt"] && s.DT <= 0 {
		bad("dt", "dt must be greater than 0, got %s", ff(s.DT))
	}
	if ok["save_every"] && s.SaveEvery <= 0 {
		bad("save_every", "save_every must be greater than 0, got %s", ff(s.SaveEvery))
	}
	if msg := CheckRelTol(s.RelTol); ok["rel_tol"] && msg != "" {
		bad("rel_tol", "%s", msg)
	}
	if msg := CheckAbsTol(s.AbsTol); ok["abs_tol"] && msg != "" {
		bad("abs_tol", "%s", msg)
	}
	if ok["max_step"] && s.MaxStep < 0 {
		bad("max_step", "max_step must not be negative, got %s (0 means no limit)", ff(s.MaxStep))
	}
	startOK := ok["start"] || !isGiven(t, "start")
	stopOK := ok["stop"] || !isGiven(t, "stop")
	if startOK && stopOK && (ok["start"] || ok["stop"]) && s.Stop <= s.Start {
		k := "stop"
		if !ok["stop"] {
			k = "start"
		}
		r.errorf(s.Pos[k], c.child(k), "stop (%s) must be greater than start (%s)", ff(s.Stop), ff(s.Start))
	}
	dtOK := ok["dt"] || !isGiven(t, "dt")
	if ok["save_every"] && dtOK && s.DT > 0 {
		k := s.SaveEvery / s.DT
		n := math.Round(k)
		if n < 1 || math.Abs(k-n) > 1e-9*math.Max(1, math.Abs(k)) {
			r.errorf(s.Pos["save_every"], c.child("save_every"), "save_every (%s) must be a whole multiple of dt (%s)", ff(s.SaveEvery), ff(s.DT))
		}
	}
}

func isGiven(t map[string]any, k string) bool {
	_, ok := t[k]
	return ok
}

// sections maps the variable sections to their kinds, in the order of
// Kind.
var sections = []struct {
	name string
	kind Kind
}{{"params", Param}, {"stocks", Stock}, {"flows", Flow}, {"aux", Aux}, {"lookups", Lookup}, {"data", Data}}

func article(k Kind) string {
	if k == Aux {
		return "an"
	}
	return "a"
}

// vars reads the variable sections in declaration order.
func (r *reader) vars(m *Model, raw map[string]any) {
	tables := make(map[string]map[string]any)
	for _, s := range sections {
		v, ok := raw[s.name]
		if !ok {
			continue
		}
		if t, ok := r.table(loc{path: []string{s.name}, key: s.name}, v); ok {
			tables[s.name] = t
		}
	}
	type entry struct {
		kind    Kind
		section string
		name    string
	}
	var entries []entry
	seen := make(map[[2]string]bool)
	add := func(section, name string) {
		for _, s := range sections {
			if s.name == section {
				if _, ok := tables[section][name]; ok && !seen[[2]string{section, name}] {
					seen[[2]string{section, name}] = true
					entries = append(entries, entry{s.kind, section, name})
				}
			}
		}
	}
	for _, k := range r.md.Keys() {
		if len(k) >= 2 {
			add(k[0], k[1])
		}
	}
	for _, s := range sections { // any the metadata missed
		var rest []string
		for name := range tables[s.name] {
			if !seen[[2]string{s.name, name}] {
				rest = append(rest, name)
			}
		}
		sort.Strings(rest)
		for _, name := range rest {
			add(s.name, name)
		}
	}

	for _, e := range entries {
		c := loc{path: []string{e.section, e.name}, key: e.section + "." + e.name}
		v := &Var{
			Kind:     e.kind,
			Name:     e.name,
			Key:      c.key,
			Pos:      r.keyPos(c),
			FieldPos: make(map[string]syntax.Pos),
		}
		valid := r.checkName(c, e.name, e.kind.String())
		dup := false
		if prev := r.defined[e.name]; prev != nil && valid {
			r.errorf(v.Pos, c, "%s is already defined as %s %s at %s", e.name, article(prev.Kind), prev.Kind, prev.Pos)
			dup = true
		}
		raw := tables[e.section][e.name]
		if e.kind == Param {
			r.param(c, v, raw)
		} else if t, ok := r.table(c, raw); ok {
			switch e.kind {
			case Stock:
				r.stock(c, v, t)
			case Flow:
				r.flowOrAux(c, v, t, flowKeys)
			case Aux:
				r.flowOrAux(c, v, t, auxKeys)
			case Lookup:
				r.lookup(c, v, t)
			case Data:
				r.dataVar(c, v, t)
			}
		}
		if !dup {
			if valid {
				r.defined[e.name] = v
			}
			m.Vars = append(m.Vars, v)
		}
	}
}

// common reads the common fields units and doc, and records the position
// of every field given.
func (r *reader) common(c loc, v *Var, t map[string]any) {
	for k := range t {
		v.FieldPos[k] = r.valPos(c.child(k))
	}
	if x, ok := t["units"]; ok {
		v.Units, _ = r.str(c.child("units"), x)
	}
	if x, ok := t["doc"]; ok {
		v.Doc, _ = r.str(c.child("doc"), x)
	}
	if x, ok := t["pos"]; ok {
		r.diagramPos(c.child("pos"), v, x)
	}
}

// diagramPos reads pos = [x, y], where a variable stands on the model's
// diagram (stockflow diagram --layout file).
func (r *reader) diagramPos(c loc, v *Var, x any) {
	a, ok := x.([]any)
	var p [2]float64
	if ok && len(a) == 2 {
		for i, e := range a {
			switch e := e.(type) {
			case int64:
				p[i] = float64(e)
				ok = ok && Coord(p[i])
			case float64:
				p[i] = e
				ok = ok && Coord(e)
			default:
				ok = false
			}
		}
	}
	if !ok || len(a) != 2 {
		r.errorf(r.valPos(c), c, "pos must be two finite numbers [x, y] between -1e9 and 1e9: where the variable stands on the diagram, x to the right and y down, e.g. [120, 80]")
		return
	}
	v.At = &Point{p[0], p[1]}
}

// units reads the [units] table: each entry names a unit and defines it
// as a unit expression, which package model/units parses.
func (r *reader) units(m *Model, raw map[string]any) {
	x, ok := raw["units"]
	if !ok {
		return
	}
	sc := loc{path: []string{"units"}, key: "units"}
	t, ok := r.table(sc, x)
	if !ok {
		return
	}
	for _, name := range r.order("units", t) {
		c := sc.child(name)
		def, ok := r.str(c, t[name])
		if !ok {
			continue
		}
		if strings.TrimSpace(name) == "" {
			r.errorf(r.keyPos(c), c, "empty unit name")
			continue
		}
		m.Units = append(m.Units, &UnitDef{Name: name, Def: def, Pos: r.valPos(c), Key: c.key})
	}
}

// dimensions reads the [dimensions] table: each entry names a dimension
// and lists its elements.
func (r *reader) dimensions(m *Model, raw map[string]any) {
	x, ok := raw["dimensions"]
	if !ok {
		return
	}
	sc := loc{path: []string{"dimensions"}, key: "dimensions"}
	t, ok := r.table(sc, x)
	if !ok {
		return
	}
	for _, name := range r.order("dimensions", t) {
		c := sc.child(name)
		if !r.checkName(c, name, "dimension") {
			continue
		}
		d := &Dimension{Name: name, Pos: r.keyPos(c), Key: c.key}
		m.Dimensions = append(m.Dimensions, d)
		r.dims[name] = d
		val, ec := t[name], c
		if dt, isTable := val.(map[string]any); isTable {
			// name = { elements = [...], maps_to = "other" }
			r.unknownKeys(c, dt, []string{"elements", "maps_to"})
			ec = c.child("elements")
			val = dt["elements"]
			if val == nil {
				r.errorf(r.valPos(c), c, "dimension %q has no elements: give them as elements = [\"a\", \"b\"]", name)
				continue
			}
			if mt, ok := dt["maps_to"]; ok {
				mc := c.child("maps_to")
				if one, isStr := mt.(string); isStr {
					d.MapsTo = []string{one}
				} else if list, _, ok := r.stringList(mc, mt); ok {
					d.MapsTo = list
				}
			}
		}
		elems, pos, ok := r.stringList(ec, val)
		if ok && len(elems) == 0 {
			r.errorf(r.valPos(c), c, "dimension %q has no elements: list them, as %s = [\"a\", \"b\"]", name, name)
		}
		seen := make(map[string]bool)
		for i, e := range elems {
			if msg := elementProblem(d, e, seen); msg != "" {
				r.errorf(pos[i], c, "%s", msg)
			}
		}
		d.Elements = elems
	}
}

// arrayed reads the keys that make a variable arrayed: dims, and the
// table of per-element entries named field+"s" (values, initials or eqs),
// keyed by element ("e1", or "e1,e2" for two dimensions). It reports
// whether that table is given, so that the caller does not ask for field.
func (r *reader) arrayed(c loc, v *Var, t map[string]any, field string) bool {
	plural := field + "s"
	dx, hasDims := t["dims"]
	px, hasPer := t[plural]
	dimsOK := false
	if hasDims {
		dc := c.child("dims")
		names, pos, ok := r.stringList(dc, dx)
		if ok && len(names) == 0 {
			r.errorf(r.valPos(dc), dc, "empty dims: list the %s's dimensions, or leave dims out for a scalar", v.Kind)
			ok = false
		}
		seen := make(map[string]bool)
		for i, name := range names {
			switch {
			case r.dims[name] == nil:
				var known []string
				for n := range r.dims {
					known = append(known, n)
				}
				sort.Strings(known)
				msg := fmt.Sprintf("unknown dimension %q", name)
				if sug := syntax.Suggest(name, known); sug != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				} else if len(known) == 0 {
					msg += "; declare it under [dimensions]"
				}
				r.errorf(pos[i], dc, "%s", msg)
				ok = false
			case seen[name]:
				r.errorf(pos[i], dc, "dimension %q is listed twice", name)
				ok = false
			}
			seen[name] = true
		}
		if ok {
			v.Dims, dimsOK = names, true
		}
	}
	if !hasPer {
		return false
	}
	pc := c.child(plural)
	if !hasDims {
		r.errorf(r.valPos(pc), pc, "%s needs dims: the dimensions of the elements it names", plural)
		return true
	}
	if _, both := t[field]; both {
		r.errorf(r.valPos(pc), pc, "give either %s (for all elements) or %s (one per element), not both", field, plural)
		return true
	}
	pt, ok := r.table(pc, px)
	if !ok || !dimsOK {
		return true
	}
	ds := make([]*Dimension, len(v.Dims))
	for i, name := range v.Dims {
		ds[i] = r.dims[name]
	}
	keys := make([]string, 0, len(pt))
	for k := range pt {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	byName := make(map[string]ElementEq)
	badKey := false
	for _, k := range keys {
		ec := pc.child(k)
		elems := strings.Split(k, ",")
		for i := range elems {
			elems[i] = strings.TrimSpace(elems[i])
		}
		if msg := elementsProblem(ds, elems); msg != "" {
			r.errorf(r.keyPos(ec), ec, "%s", msg)
			badKey = true
			continue
		}
		name := strings.Join(elems, ",")
		if _, dup := byName[name]; dup {
			r.errorf(r.keyPos(ec), ec, "element %s is given twice", name)
			continue
		}
		var eq Equation
		if field == "value" {
			f, ok := r.num(ec, pt[k])
			if !ok {
				badKey = true
				continue
			}
			eq = Equation{Text: ff(f), Pos: r.valPos(ec), Expr: &syntax.Num{Text: ff(f), Value: f}}
		} else {
			eq = r.equation(ec, pt[k])
		}
		byName[name] = ElementEq{Elements: elems, Eq: eq}
	}
	var missing []string
	for _, tu := range tuples(ds) {
		name := strings.Join(tu, ",")
		if el, ok := byName[name]; ok {
			v.ElementEqs = append(v.ElementEqs, el)
		} else {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 && !badKey {
		r.errorf(r.valPos(pc), pc, "%s", missingMessage(plural, missing))
	}
	return true
}

func (r *reader) param(c loc, v *Var, raw any) {
	switch x := raw.(type) {
	case int64, float64:
		v.Pos = r.keyPos(c)
		v.FieldPos["value"] = r.valPos(c)
		v.Value, _ = r.num(c, x)
		return
	case map[string]any:
		r.unknownKeys(c, x, paramKeys)
		r.common(c, v, x)
		perElement := r.arrayed(c, v, x, "value")
		val, ok := x["value"]
		switch {
		case ok:
			v.Value, ok = r.num(c.child("value"), val)
		case !perElement:
			r.errorf(v.Pos, c, "missing value (write %s = { value = 1, ... } or %s = 1)", v.Name, v.Name)
		}
		valueOK := ok
		var minOK, maxOK bool
		if m, given := x["min"]; given {
			var f float64
			if f, minOK = r.num(c.child("min"), m); minOK {
				v.Min = &f
			}
		}
		if m, given := x["max"]; given {
			var f float64
			if f, maxOK = r.num(c.child("max"), m); maxOK {
				v.Max = &f
			}
		}
		if minOK && maxOK && *v.Min > *v.Max {
			r.errorf(v.FieldPos["max"], c.child("max"), "max (%s) is less than min (%s)", ff(*v.Max), ff(*v.Min))
			return
		}
		lo, hi := "-inf", "+inf"
		if minOK {
			lo = ff(*v.Min)
		}
		if maxOK {
			hi = ff(*v.Max)
		}
		outside := func(f float64) bool { return minOK && f < *v.Min || maxOK && f > *v.Max }
		if valueOK && outside(v.Value) {
			r.errorf(v.FieldPos["value"], c.child("value"), "value %s is outside its range [%s, %s]", ff(v.Value), lo, hi)
		}
		for _, el := range v.ElementEqs {
			if f, _ := constant(el.Eq.Expr); outside(f) {
				ec := c.child("values").child(strings.Join(el.Elements, ","))
				r.errorf(el.Eq.Pos, ec, "value %s is outside its range [%s, %s]", ff(f), lo, hi)
			}
		}
		r.dist(c, v, x, minOK && maxOK, valueOK)
		return
	}
	r.typeError(c, "a number or a table { value = ... }", raw)
}

func (r *reader) stock(c loc, v *Var, t map[string]any) {
	r.unknownKeys(c, t, stockKeys)
	r.common(c, v, t)
	perElement := r.arrayed(c, v, t, "initial")
	if x, ok := t["initial"]; ok {
		v.Eq = r.equation(c.child("initial"), x)
	} else if !perElement {
		r.errorf(v.Pos, c, "missing initial (the stock's initial value: a number or an equation)")
	}
	if x, ok := t["inflows"]; ok {
		v.Inflows, _, _ = r.stringList(c.child("inflows"), x)
	}
	if x, ok := t["outflows"]; ok {
		v.Outflows, _, _ = r.stringList(c.child("outflows"), x)
	}
	if x, ok := t["non_negative"]; ok {
		v.NonNegative, _ = r.boolean(c.child("non_negative"), x)
	}
	r.valueRange(c, v, t)
}

func (r *reader) flowOrAux(c loc, v *Var, t map[string]any, keys []string) {
	r.unknownKeys(c, t, keys)
	r.common(c, v, t)
	perElement := r.arrayed(c, v, t, "eq")
	if x, ok := t["eq"]; ok {
		v.Eq = r.equation(c.child("eq"), x)
	} else if !perElement {
		r.errorf(v.Pos, c, "missing eq (the %s's equation)", v.Kind)
	}
	if x, ok := t["non_negative"]; ok {
		v.NonNegative, _ = r.boolean(c.child("non_negative"), x)
	}
	r.valueRange(c, v, t)
}

// valueRange reads a stock's, flow's or aux's range = [lo, hi], where
// either end may be -inf or inf (TOML's infinities) to leave it open.
func (r *reader) valueRange(c loc, v *Var, t map[string]any) {
	x, ok := t["range"]
	if !ok {
		return
	}
	c = c.child("range")
	pos := r.valPos(c)
	a, ok := x.([]any)
	if !ok || len(a) != 2 {
		r.errorf(pos, c, "range must be two numbers [lo, hi], e.g. [0, 1]; leave an end open with -inf or inf, as in [0, inf]")
		return
	}
	var rg [2]float64
	for i, e := range a {
		switch e := e.(type) {
		case int64:
			rg[i] = float64(e)
		case float64:
			if math.IsNaN(e) {
				r.errorf(pos, c, "range has nan for an end; leave an end open with -inf or inf, as in [0, inf]")
				return
			}
			rg[i] = e
		default:
			r.errorf(pos, c, "range must be two numbers [lo, hi], got %s at its %s end; leave an end open with -inf or inf", typeName(e), [2]string{"low", "high"}[i])
			return
		}
	}
	if rg[0] > rg[1] {
		r.errorf(pos, c, "range [%s, %s] has its low end above its high end; write [lo, hi]", rangeNum(rg[0]), rangeNum(rg[1]))
		return
	}
	if rg[0] == math.Inf(1) || rg[1] == math.Inf(-1) {
		r.errorf(pos, c, "range [%s, %s] holds no number; write [lo, hi] with lo below inf and hi above -inf", rangeNum(rg[0]), rangeNum(rg[1]))
		return
	}
	v.Range = &rg
}

// rangeNum writes an end of a range as TOML does: a number, or -inf or inf.
func rangeNum(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return ff(f)
}

// RangeText writes a range as the model file does, e.g. [0, 1] or [0, inf].
func RangeText(rg [2]float64) string {
	return "[" + rangeNum(rg[0]) + ", " + rangeNum(rg[1]) + "]"
}

// equation reads an equation given as a string, or as a number taken as
// a constant.
func (r *reader) equation(c loc, x any) Equation {
	switch x.(type) {
	case int64, float64:
		f, ok := r.num(c, x)
		if !ok {
			return Equation{}
		}
		text := ff(f)
		return Equation{Text: text, Pos: r.valPos(c), Expr: &syntax.Num{Text: text, Value: f}}
	case string:
	default:
		r.typeError(c, "an equation (a string) or a number", x)
		return Equation{}
	}
	text := x.(string)
	eq := Equation{Text: text}
	off := r.lay.valOff(c.path)
	start, offs, ok := r.lay.stringText(off, text)
	switch {
	case !ok:
		// The literal did not read back as the text: give every byte
		// the position of the value.
		eq.Pos = r.lay.pos(r.file, off)
		eq.Map = make([]syntax.Pos, len(text)+1)
		for i := range eq.Map {
			eq.Map[i] = eq.Pos
		}
	case offs != nil:
		eq.Map = make([]syntax.Pos, len(offs))
		for i, o := range offs {
			eq.Map[i] = r.lay.pos(r.file, o)
		}
		eq.Pos = eq.Map[0]
	default:
		eq.Pos = r.lay.pos(r.file, start)
	}
	if strings.TrimSpace(text) == "" {
		r.errorf(r.valPos(c), c, "empty equation")
		return eq
	}
	expr, err := syntax.Parse(text)
	if err != nil {
		var pe *syntax.ParseError
		if errors.As(err, &pe) {
			r.errorf(eq.PosAt(pe.Offset), c, "%s", pe.Msg)
		} else {
			r.errorf(eq.Pos, c, "%s", err)
		}
		return eq
	}
	eq.Expr = expr
	return eq
}

func (r *reader) lookup(c loc, v *Var, t map[string]any) {
	r.unknownKeys(c, t, lookupKeys)
	r.common(c, v, t)
	if x, ok := t["x_units"]; ok {
		v.XUnits, _ = r.str(c.child("x_units"), x)
	}
	if x, ok := t["extrapolate"]; ok {
		v.Extrapolate, _ = r.boolean(c.child("extrapolate"), x)
	}
	x, ok := t["points"]
	if !ok {
		r.errorf(v.Pos, c, "missing points (an array of [x, y] pairs)")
		return
	}
	r.points(c, v, x, "lookup", "x", 2)
}

// points reads v.Points from the array of [x, y] pairs x, of which there
// must be at least least; what names the variable's kind and xname the
// first coordinate in messages.
func (r *reader) points(c loc, v *Var, x any, what, xname string, least int) {
	pc := c.child("points")
	a, ok := r.array(pc, x)
	if !ok {
		return
	}
	good := true
	for i, e := range a {
		ec := pc.item(i)
		pair, isArr := e.([]any)
		if !isArr || len(pair) != 2 {
			r.errorf(r.valPos(ec), pc, "point %d: expected an [%s, y] pair of numbers, got %s", i+1, xname, describeLen(e))
			good = false
			continue
		}
		var p [2]float64
		for j := range 2 {
			var f float64
			switch n := pair[j].(type) {
			case int64:
				f = float64(n)
			case float64:
				f = n
			default:
				r.errorf(r.valPos(ec.item(j)), pc, "point %d: expected a number, got %s", i+1, typeName(pair[j]))
				good = false
				continue
			}
			if math.IsNaN(f) || math.IsInf(f, 0) {
				r.errorf(r.valPos(ec.item(j)), pc, "point %d: expected a finite number, got %v", i+1, f)
				good = false
			}
			p[j] = f
		}
		v.Points = append(v.Points, p)
	}
	if !good {
		return
	}
	if len(v.Points) < least {
		r.errorf(r.valPos(pc), pc, "a %s needs at least %d point%s, got %d", what, least, plural(least), len(v.Points))
		return
	}
	for i := 1; i < len(v.Points); i++ {
		x0, x1 := v.Points[i-1][0], v.Points[i][0]
		switch {
		case x1 == x0:
			r.errorf(r.valPos(pc.item(i)), pc, "point %d: duplicate %s = %s (%s values must be strictly increasing)", i+1, xname, ff(x1), xname)
		case x1 < x0:
			r.errorf(r.valPos(pc.item(i)), pc, "point %d: %s = %s comes after %s = %s; sort the points by %s", i+1, xname, ff(x1), xname, ff(x0), xname)
		}
	}
}

// describeLen describes a value that should have been a pair.
func describeLen(v any) string {
	if a, ok := v.([]any); ok {
		return fmt.Sprintf("an array of %d", len(a))
	}
	return typeName(v)
}

// flowUse checks that each stock's inflows and outflows are flows, and
// that each flow fills at most one stock and drains at most one.
func (r *reader) flowUse(m *Model) {
	var flows []string
	for _, v := range m.Vars {
		if v.Kind == Flow {
			flows = append(flows, v.Name)
		}
	}
	type use struct {
		stock *Var
		pos   syntax.Pos
	}
	uses := map[string]*use{} // "in:name" or "out:name"
	for _, s := range m.Vars {
		if s.Kind != Stock {
			continue
		}
		for _, dir := range []string{"inflows", "outflows"} {
			list := s.Inflows
			other := "outflows"
			if dir == "outflows" {
				list, other = s.Outflows, "inflows"
			}
			c := loc{path: []string{"stocks", s.Name, dir}, key: s.Key + "." + dir}
			for i, name := range list {
				pos := r.valPos(c.item(i))
				d := r.defined[name]
				switch {
				case d == nil:
					msg := fmt.Sprintf("unknown flow %q", name)
					if sug := syntax.Suggest(name, flows); sug != "" {
						msg += fmt.Sprintf(" (did you mean %q?)", sug)
					} else {
						msg += fmt.Sprintf("; define it in a [flows.%s] table", name)
					}
					r.errorf(pos, c, "%s", msg)
					continue
				case d.Kind != Flow:
					r.errorf(pos, c, "%q is %s %s, not a flow", name, article(d.Kind), d.Kind)
					continue
				}
				if u := uses[dir+":"+name]; u != nil {
					if u.stock == s {
						r.errorf(pos, c, "flow %q is listed twice", name)
					} else {
						r.errorf(pos, c, "flow %q is already one of the %s of stock %q (at %s); a flow can be an inflow of one stock and an outflow of one stock only", name, dir, u.stock.Name, u.pos)
					}
					continue
				}
				if u := uses[other+":"+name]; u != nil && u.stock == s {
					r.errorf(pos, c, "flow %q is both an inflow and an outflow of %s", name, s.Name)
					continue
				}
				uses[dir+":"+name] = &use{s, pos}
			}
		}
	}
}

// thresholds reads [thresholds.NAME] tables and returns the names read.
func (r *reader) thresholds(m *Model, raw map[string]any) map[string]bool {
	names := make(map[string]bool)
	x, ok := raw["thresholds"]
	if !ok {
		return names
	}
	sc := loc{path: []string{"thresholds"}, key: "thresholds"}
	t, ok := r.table(sc, x)
	if !ok {
		return names
	}
	for _, name := range r.order("thresholds", t) {
		c := sc.child(name)
		names[name] = true
		th := &Threshold{Name: name, Key: c.key, Pos: r.keyPos(c), Direction: Rising, FieldPos: make(map[string]syntax.Pos)}
		m.Thresholds = append(m.Thresholds, th)
		r.checkName(c, name, "threshold")
		f, ok := r.table(c, t[name])
		if !ok {
			continue
		}
		r.unknownKeys(c, f, thresholdKeys)
		for k := range f {
			th.FieldPos[k] = r.valPos(c.child(k))
		}
		if v, ok := f["var"]; ok {
			if th.Var, ok = r.str(c.child("var"), v); ok {
				r.checkVar(c.child("var"), th.Var, th.FieldPos["var"], false)
			}
		} else {
			r.errorf(th.Pos, c, "missing var (the variable whose crossing to watch)")
		}
		if v, ok := f["level"]; ok {
			th.Level, _ = r.num(c.child("level"), v)
		} else {
			r.errorf(th.Pos, c, "missing level")
		}
		if v, ok := f["direction"]; ok {
			if d, ok := r.str(c.child("direction"), v); ok {
				ld := strings.ToLower(d)
				if contains(directions, ld) {
					th.Direction = ld
				} else {
					msg := fmt.Sprintf("unknown direction %q", d)
					if sug := syntax.Suggest(ld, directions); sug != "" {
						msg += fmt.Sprintf(" (did you mean %q?)", sug)
					} else {
						msg += " (use rising, falling or either)"
					}
					r.errorf(th.FieldPos["direction"], c.child("direction"), "%s", msg)
				}
			}
		}
		if v, ok := f["doc"]; ok {
			th.Doc, _ = r.str(c.child("doc"), v)
		}
	}
	return names
}

// checkVar reports name unless it is a variable other than a lookup, or
// an element of one (name[e1,e2]). With all set, an arrayed variable
// written bare or as name[*] is allowed, standing for all its elements.
func (r *reader) checkVar(c loc, name string, pos syntax.Pos, all bool) bool {
	if d := r.defined[refBase(name)]; d != nil {
		if d.Kind == Lookup {
			r.errorf(pos, c, "%q is a lookup, not a variable with values over time", d.Name)
			return false
		}
		return r.checkElements(c, name, pos, all)
	}
	r.unknownName(c, "variable", refBase(name), pos)
	return false
}

// refBase returns the variable's name in a reference that may name an
// element: population, or port for port[kazakhstan].
func refBase(name string) string {
	if base, _, ok := strings.Cut(name, "["); ok {
		return strings.TrimSpace(base)
	}
	return name
}

// checkElements reports a reference to an arrayed variable that does not
// name an element as it should.
func (r *reader) checkElements(c loc, name string, pos syntax.Pos, all bool) bool {
	_, msg := refProblem(name, func(n string) *Var { return r.defined[n] }, r.dims, all)
	if msg != "" {
		r.errorf(pos, c, "%s", msg)
		return false
	}
	return true
}

func (r *reader) unknownName(c loc, what, name string, pos syntax.Pos) {
	var names []string
	for n := range r.defined {
		names = append(names, n)
	}
	sort.Strings(names)
	msg := fmt.Sprintf("unknown %s %q", what, name)
	if sug := syntax.Suggest(name, names); sug != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", sug)
	}
	r.errorf(pos, c, "%s", msg)
}

// arrayOfTables reads an array of tables such as [[loops]].
func (r *reader) arrayOfTables(raw map[string]any, name string) (loc, []map[string]any) {
	c := loc{path: []string{name}, key: name}
	x, ok := raw[name]
	if !ok {
		return c, nil
	}
	a, ok := x.([]map[string]any)
	if ok {
		return c, a
	}
	arr, ok := x.([]any)
	if !ok {
		r.typeError(c, fmt.Sprintf("an array of tables ([[%s]])", name), x)
		return c, nil
	}
	out := make([]map[string]any, 0, len(arr))
	for i, e := range arr {
		if t, ok := e.(map[string]any); ok {
			out = append(out, t)
		} else {
			r.typeError(c.entry(i), "a table", e)
		}
	}
	return c, out
}

func (r *reader) loops(m *Model, raw map[string]any) {
	c, list := r.arrayOfTables(raw, "loops")
	names := make(map[string]*Loop)
	for i, t := range list {
		ec := c.entry(i)
		l := &Loop{Key: ec.key, Pos: r.keyPos(ec), FieldPos: make(map[string]syntax.Pos)}
		m.Loops = append(m.Loops, l)
		r.unknownKeys(ec, t, loopKeys)
		for k := range t {
			l.FieldPos[k] = r.valPos(ec.child(k))
		}
		if v, ok := t["name"]; ok {
			if l.Name, ok = r.str(ec.child("name"), v); ok {
				switch prev := names[l.Name]; {
				case l.Name == "":
					r.errorf(l.FieldPos["name"], ec.child("name"), "empty loop name")
				case prev != nil:
					r.errorf(l.FieldPos["name"], ec.child("name"), "loop %q is already defined at %s", l.Name, prev.Pos)
				default:
					names[l.Name] = l
				}
			}
		} else {
			r.errorf(l.Pos, ec, "missing name")
		}
		if v, ok := t["path"]; ok {
			pc := ec.child("path")
			var pos []syntax.Pos
			if l.Path, pos, ok = r.stringList(pc, v); ok {
				if len(l.Path) == 0 {
					r.errorf(l.FieldPos["path"], pc, "empty path: list the loop's variables in causal order")
				}
				seen := make(map[string]bool)
				for j, name := range l.Path {
					if seen[name] {
						if j == len(l.Path)-1 && name == l.Path[0] {
							r.errorf(pos[j], pc, "path ends with its first variable %q; list it only once", name)
						} else {
							r.errorf(pos[j], pc, "path lists %q twice", name)
						}
						continue
					}
					seen[name] = true
					if r.defined[refBase(name)] == nil {
						r.unknownName(pc, "variable", refBase(name), pos[j])
					} else {
						r.checkElements(pc, name, pos[j], false)
					}
				}
			}
		} else {
			r.errorf(l.Pos, ec, "missing path (the loop's variables in causal order)")
		}
		if v, ok := t["polarity"]; ok {
			if p, ok := r.str(ec.child("polarity"), v); ok {
				switch strings.ToUpper(p) {
				case "R", "B":
					l.Polarity = strings.ToUpper(p)
				default:
					r.errorf(l.FieldPos["polarity"], ec.child("polarity"), "unknown polarity %q: write \"R\" (reinforcing) or \"B\" (balancing)", p)
				}
			}
		} else {
			r.errorf(l.Pos, ec, "missing polarity (\"R\" or \"B\")")
		}
		if v, ok := t["doc"]; ok {
			l.Doc, _ = r.str(ec.child("doc"), v)
		}
	}
}

func (r *reader) plots(m *Model, raw map[string]any, thresholds map[string]bool) {
	c, list := r.arrayOfTables(raw, "plots")
	var thNames []string
	for n := range thresholds {
		thNames = append(thNames, n)
	}
	sort.Strings(thNames)
	files := map[string]string{} // cleaned file name → the key of the entry that writes it
	for i, t := range list {
		ec := c.entry(i)
		p := &Plot{Key: ec.key, Pos: r.keyPos(ec), FieldPos: make(map[string]syntax.Pos)}
		m.Plots = append(m.Plots, p)
		r.unknownKeys(ec, t, plotKeys)
		for k := range t {
			p.FieldPos[k] = r.valPos(ec.child(k))
		}
		if v, ok := t["file"]; ok {
			if p.File, ok = r.str(ec.child("file"), v); ok {
				switch {
				case strings.TrimSpace(p.File) == "":
					r.errorf(p.FieldPos["file"], ec.child("file"), "empty file name")
				case !slices.Contains(PlotFormats, strings.TrimPrefix(strings.ToLower(filepath.Ext(p.File)), ".")):
					r.errorf(p.FieldPos["file"], ec.child("file"), "file %q must end in .png, .svg or .pdf", p.File)
				case !filepath.IsLocal(p.File):
					r.errorf(p.FieldPos["file"], ec.child("file"), "file %q leaves the output directory: give a relative path inside it (no \"..\", not absolute)", p.File)
				case files[filepath.Clean(p.File)] != "":
					r.errorf(p.FieldPos["file"], ec.child("file"), "file %q is also the file of %s: give each plot its own", p.File, files[filepath.Clean(p.File)])
				default:
					files[filepath.Clean(p.File)] = ec.key
				}
			}
		} else {
			r.errorf(p.Pos, ec, "missing file (the .png, .svg or .pdf file to write)")
		}
		if v, ok := t["title"]; ok {
			p.Title, _ = r.str(ec.child("title"), v)
		}
		if v, ok := t["vars"]; ok {
			vc := ec.child("vars")
			var pos []syntax.Pos
			if p.Vars, pos, ok = r.stringList(vc, v); ok {
				if len(p.Vars) == 0 {
					r.errorf(p.FieldPos["vars"], vc, "empty vars: list the variables to plot")
				}
				for j, name := range p.Vars {
					r.checkVar(vc, name, pos[j], true)
				}
			}
		} else {
			r.errorf(p.Pos, ec, "missing vars (the variables to plot)")
		}
		if v, ok := t["data"]; ok {
			dc := ec.child("data")
			var pos []syntax.Pos
			if p.Data, pos, ok = r.stringList(dc, v); ok {
				for j, name := range p.Data {
					d := r.defined[name]
					switch {
					case d == nil:
						r.unknownName(dc, "data variable", name, pos[j])
					case d.Kind != Data:
						r.errorf(pos[j], dc, "%q is a %s, not a data variable: data lists [data.NAME] observations to draw as markers (put model variables in vars)", name, d.Kind)
					}
				}
			}
		}
		if v, ok := t["thresholds"]; ok {
			tc := ec.child("thresholds")
			var pos []syntax.Pos
			if p.Thresholds, pos, ok = r.stringList(tc, v); ok {
				for j, name := range p.Thresholds {
					if !thresholds[name] {
						msg := fmt.Sprintf("unknown threshold %q", name)
						if sug := syntax.Suggest(name, thNames); sug != "" {
							msg += fmt.Sprintf(" (did you mean %q?)", sug)
						}
						r.errorf(pos[j], tc, "%s", msg)
					}
				}
			}
		}
	}
}
