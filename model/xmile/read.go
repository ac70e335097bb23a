package xmile

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// Namespaces of XMILE: the OASIS standard's and the older one of the
// draft that Stella 10 wrote.
const (
	Namespace      = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"
	NamespaceDraft = "http://www.systemdynamics.org/XMILE"

	// NamespaceStockflow is the namespace of the attributes Write adds
	// for what XMILE has no place for (stockflow:rel_tol on
	// <sim_specs>); Parse reads them.
	NamespaceStockflow = "https://github.com/stockflow/stockflow"
)

// maxModuleDepth bounds the nesting of modules, so that a model that
// includes itself is an error and not an endless loop.
const maxModuleDepth = 32

// Parse reads an XMILE 1.0 model from src; filename is used in positions.
// Problems come back as a syntax.ErrorList naming the file, line, column
// and the key of the entry ("flows.Heat_Loss_to_Room.eq"). Problems the
// reader worked around are in the model's Warnings.
//
// The files that data imports name are read relative to filename's
// directory, which they may not leave; ParseWith can allow it.
func Parse(filename string, src []byte) (*decl.Model, error) {
	return ParseWith(filename, src, decl.DataOptions{})
}

// ParseWith reads an XMILE model as Parse does, reading the files its
// data imports name with the given options: the same options
// decl.ReadData takes for data variables.
func ParseWith(filename string, src []byte, opt decl.DataOptions) (*decl.Model, error) {
	r := &reader{
		opt:      opt,
		doc:      newDoc(filename, src),
		models:   map[string]*node{},
		used:     map[string]string{},
		dims:     map[string]string{},
		elems:    map[string]string{},
		dimElems: map[string][]string{},
	}
	m := r.read()
	if len(r.errs) > 0 {
		r.errs.RemoveDuplicates()
		return nil, r.errs
	}
	r.warns.RemoveDuplicates()
	m.Warnings = r.warns
	return m, nil
}

type reader struct {
	opt   decl.DataOptions // for the files data imports name
	doc   *doc
	errs  syntax.ErrorList
	warns syntax.ErrorList
	d     dialect
	m     *decl.Model

	models   map[string]*node    // named <model> elements, by key
	used     map[string]string   // declared names taken, lower case → the name
	dims     map[string]string   // dimension names, by key → declared name
	elems    map[string]string   // element names, by key → declared name
	dimElems map[string][]string // each dimension's elements, by declared names
	nonNeg   [2]bool             // <behavior> defaults for stocks and flows
	order    []*xvar             // every entity in declaration order, modules flattened
	count    int                 // variables and module instances declared so far
	conns    []pendingConn       // the modules' <connect>s, wired by connectAll
	root     *scope              // the main model's instance
}

// scope is one instance of a model: the root, or a module's.
type scope struct {
	prefix string // prefix of the declared names: "" or "hares_"
	path   string // for messages: "" or "hares."
	vars   map[string]*xvar
	mods   map[string]*scope
	dims   map[string]string
	elems  map[string]string
	// dimElems holds each dimension's elements, by declared names.
	dimElems map[string][]string
}

// xvar is one declared entity of a scope.
type xvar struct {
	n      *node
	tag    string // stock, flow, aux, gf
	raw    string // the name as written, escapes read
	name   string // the declared, flattened name
	lookup string // the name of its inline graphical function's lookup
	sc     *scope
	asFlow bool // a stock names it as an inflow or outflow

	conveyor *xvar // for a conveyor's outflow (not a leak): the conveyor
	leakOf   *xvar // for a conveyor's leakage flow: the conveyor
	into     *xvar // for an inflow of a conveyor: the conveyor
	queueOf  *xvar // for the outflow of a queue: the queue

	conn      *node  // the <connect> that gives its value
	connScope *scope // the scope the connection's from is read in

	data    *decl.DataSource // the data import that gives its values, if any
	dataPos syntax.Pos       // where that <import> stands
}

func (s *scope) value(name string) (string, bool) {
	if v, ok := s.vars[key(name)]; ok {
		if v.tag == "gf" {
			return "", false
		}
		return v.name, true
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		if m, ok := s.mods[key(name[:i])]; ok {
			return m.value(name[i+1:])
		}
	}
	return "", false
}

func (s *scope) function(name string) (string, bool) {
	v, ok := s.vars[key(name)]
	if !ok {
		if i := strings.IndexByte(name, '.'); i > 0 {
			if m, ok := s.mods[key(name[:i])]; ok {
				return m.function(name[i+1:])
			}
		}
		return "", false
	}
	switch {
	case v.tag == "gf":
		return v.name, true
	case v.lookup != "":
		return v.lookup, true
	}
	return "", false
}

func (s *scope) dimension(name string) (string, bool) {
	d, ok := s.dims[key(name)]
	return d, ok
}

func (s *scope) position(dim, elem string) (int, bool) {
	d, ok := s.dims[key(dim)]
	if !ok {
		return 0, false
	}
	e, ok := s.elems[key(elem)]
	if !ok {
		return 0, false
	}
	for i, x := range s.dimElems[d] {
		if x == e {
			return i + 1, true
		}
	}
	return 0, false
}

func (s *scope) subscript(name string) (string, bool) {
	k := key(name)
	if d, ok := s.dims[k]; ok {
		return d, true
	}
	e, ok := s.elems[k]
	return e, ok
}

func (r *reader) pos(off int) syntax.Pos { return r.doc.pos(off) }

func (r *reader) errorf(off int, key, format string, args ...any) {
	r.errs.Addf(r.pos(off), key, format, args...)
}

func (r *reader) warnf(off int, key, format string, args ...any) {
	r.warns.Addf(r.pos(off), key, format, args...)
}

func (r *reader) read() *decl.Model {
	if !r.doc.parse(&r.errs, &r.warns) {
		return nil
	}
	root := r.doc.root
	if root.name != "xmile" {
		r.errorf(root.start, "", "not an XMILE file: the root element is <%s>, not <xmile>", root.name)
		return nil
	}
	if ns, ok := root.attr("xmlns"); ok && ns != Namespace && ns != NamespaceDraft {
		r.warnf(root.start, "", "unknown XMILE namespace %q; read as XMILE 1.0", ns)
	}
	m := &decl.Model{File: r.doc.file, Sim: decl.DefaultSim()}
	r.m = m
	h := root.child("header")
	m.Name = r.doc.str(h.child("name"))
	vendor := strings.ToLower(r.doc.str(h.child("vendor")) + " " + r.doc.str(h.child("product")))
	r.d.vensim = strings.Contains(vendor, "vensim") || strings.Contains(vendor, "ventana")
	r.sim(root.child("sim_specs"))
	r.behavior(root.child("behavior"))
	r.dimensions(root.child("dimensions"))

	var main *node
	for _, mn := range root.all("model") {
		name, _ := mn.attr("name")
		if name == "" {
			if main == nil {
				main = mn
			}
			continue
		}
		if _, dup := r.models[key(name)]; !dup {
			r.models[key(name)] = mn
		}
	}
	if main == nil {
		if ms := root.all("model"); len(ms) > 0 {
			main = ms[0]
		}
	}
	if main == nil {
		r.errorf(root.start, "", "the file has no <model>")
		return m
	}
	if d := main.child("doc"); d != nil {
		m.Description = r.doc.str(d)
	}
	r.root = r.declare(main, "", "", 0)
	r.connectAll()
	r.dataImports(root.child("data"))
	for _, x := range r.order {
		r.build(x)
	}
	r.foldSeeds()
	r.views(main, r.root)
	return m
}

// sim reads <sim_specs>.
func (r *reader) sim(n *node) {
	s := &r.m.Sim
	s.Pos = map[string]syntax.Pos{}
	if n == nil {
		r.warnf(0, "sim", "no <sim_specs>: simulating from %g to %g with dt %g", s.Start, s.Stop, s.DT)
		s.SaveEvery = s.DT
		return
	}
	r.m.TimeUnits, _ = n.attr("time_units")
	num := func(name string, dst *float64) bool {
		c := n.child(name)
		if c == nil {
			return false
		}
		text, offs := r.doc.trimmed(c)
		s.Pos[name] = r.pos(offs[0])
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			r.errorf(offs[0], "sim."+name, "expected a number, got %q: XMILE's <sim_specs> holds numbers, and stockflow fixes the run's times when it reads the model, so an expression or a variable's name is not read here; write the number", text)
			return false
		}
		*dst = f
		return true
	}
	num("start", &s.Start)
	num("stop", &s.Stop)
	if num("dt", &s.DT) {
		if rec, _ := n.child("dt").attr("reciprocal"); strings.EqualFold(strings.TrimSpace(rec), "true") {
			if s.DT <= 0 {
				r.errorf(n.child("dt").start, "sim.dt", "a reciprocal dt must be greater than 0, got %g", s.DT)
			} else {
				s.DT = 1 / s.DT
			}
		}
		if s.DT <= 0 {
			r.errorf(n.child("dt").start, "sim.dt", "dt must be greater than 0, got %g", s.DT)
		}
	}
	if s.Stop <= s.Start {
		r.errorf(n.start, "sim.stop", "stop (%g) must be greater than start (%g)", s.Stop, s.Start)
	}
	s.SaveEvery = s.DT
	if text, ok := n.iseeAttr("save_interval"); ok {
		// Stella's output interval, isee:save_interval="0.5".
		s.Pos["save_every"] = r.pos(n.start)
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		switch k := f / s.DT; {
		case err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f <= 0:
			r.errorf(n.start, "sim.isee:save_interval", "expected a number greater than 0, got %q", text)
		case s.DT > 0 && (math.Round(k) < 1 || math.Abs(k-math.Round(k)) > 1e-9*math.Max(1, k)):
			r.errorf(n.start, "sim.isee:save_interval", "the save interval (%g) must be a whole multiple of dt (%g); change it, or remove the attribute to save every dt", f, s.DT)
		default:
			s.SaveEvery = f
		}
	}
	for _, o := range []struct {
		name string
		dst  *float64
	}{{"rel_tol", &s.RelTol}, {"abs_tol", &s.AbsTol}, {"max_step", &s.MaxStep}} {
		text, ok := n.prefixedAttr("stockflow", o.name)
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
			r.errorf(n.start, "sim.stockflow:"+o.name, "expected a number greater than 0, got %q", text)
			continue
		}
		*o.dst = f
		s.Pos[o.name] = r.pos(n.start)
	}
	if method, ok := n.attr("method"); ok {
		s.Pos["method"] = r.pos(n.start)
		switch lm := strings.ToLower(strings.TrimSpace(method)); lm {
		case "euler", "rk2", "rk4", "rk45":
			s.Method = lm
		case "gear":
			s.Method = "rk45"
			r.warnf(n.start, "sim.method", "method Gear is not supported; using rk45 (adaptive Runge-Kutta)")
		default:
			r.errorf(n.start, "sim.method", "unknown method %q (stockflow has Euler, RK2, RK4 and RK45)", method)
		}
	}
}

// boolText reads the text of a flag element such as <non_negative/>:
// empty or "true" is true, "false" false.
func (r *reader) boolText(n *node, key string) bool {
	text, offs := r.doc.trimmed(n)
	switch strings.ToLower(text) {
	case "", "true":
		return true
	case "false":
		return false
	}
	r.errorf(offs[0], key, "<%s> holds %q; expected nothing, true or false", n.name, text)
	return false
}

// behavior reads the model-wide defaults of <behavior>.
func (r *reader) behavior(n *node) {
	if n == nil {
		return
	}
	if c := n.child("non_negative"); c != nil {
		b := r.boolText(c, "behavior")
		r.nonNeg = [2]bool{b, b}
	}
	for i, tag := range []string{"stock", "flow"} {
		if c := n.child(tag).child("non_negative"); c != nil {
			r.nonNeg[i] = r.boolText(c, "behavior."+tag)
		}
	}
}

// dimensions reads the model-wide <dimensions>. A <dim maps_to="A">
// (or isee:maps_to; several names separated by commas) maps the
// dimension to A element by position.
func (r *reader) dimensions(n *node) {
	type mapping struct {
		d   *decl.Dimension
		dn  *node
		raw string
	}
	var maps []mapping
	defer func() {
		for _, mp := range maps {
			for _, t := range strings.Split(mp.raw, ",") {
				t = strings.TrimSpace(unescapeName(t))
				if t == "" {
					continue
				}
				name, ok := r.dims[key(t)]
				if !ok {
					r.errorf(mp.dn.start, mp.d.Key, "dimension %q maps to %q, which is not a dimension", mp.d.Name, t)
					continue
				}
				mp.d.MapsTo = append(mp.d.MapsTo, name)
			}
		}
	}()
	for _, dn := range n.all("dim") {
		raw, _ := dn.attr("name")
		raw = unescapeName(raw)
		if raw == "" {
			r.errorf(dn.start, "dimensions", "a <dim> without a name")
			continue
		}
		d := &decl.Dimension{Name: canon(raw), Pos: r.pos(dn.start)}
		d.Key = "dimensions." + d.Name
		if _, dup := r.dims[key(raw)]; dup {
			r.errorf(dn.start, d.Key, "dimension %q is defined twice", raw)
			continue
		}
		for _, en := range dn.all("elem") {
			e, _ := en.attr("name")
			d.Elements = append(d.Elements, r.element(e))
		}
		if len(d.Elements) == 0 {
			size, _ := dn.attr("size")
			k, err := strconv.Atoi(strings.TrimSpace(size))
			if err != nil || k < 1 || k > 1_000_000 {
				r.errorf(dn.start, d.Key, "dimension %q has no <elem> and no valid size", raw)
				continue
			}
			for i := 1; i <= k; i++ {
				d.Elements = append(d.Elements, r.element(strconv.Itoa(i)))
			}
		}
		r.dims[key(raw)] = d.Name
		r.dimElems[d.Name] = d.Elements
		if mt, ok := dn.attr("maps_to"); ok {
			maps = append(maps, mapping{d, dn, mt})
		} else if mt, ok := dn.iseeAttr("maps_to"); ok {
			maps = append(maps, mapping{d, dn, mt})
		}
		r.m.Dimensions = append(r.m.Dimensions, d)
	}
}

// element returns the declared name of a dimension's element: a number
// stays as written, any other name is made canonical.
func (r *reader) element(raw string) string {
	raw = strings.TrimSpace(unescapeName(raw))
	name := raw
	if _, err := strconv.Atoi(raw); err != nil {
		name = canon(raw)
	}
	r.elems[key(raw)] = name
	return name
}

// unique returns name, or name with a number after it when another
// variable already has it (without regard to case).
func (r *reader) unique(name string, off int, raw string) string {
	got := name
	for i := 2; ; i++ {
		if _, taken := r.used[strings.ToLower(got)]; !taken {
			break
		}
		got = fmt.Sprintf("%s_%d", name, i)
	}
	if got != name {
		r.warnf(off, "", "%q would be named %s, as %q already is; named %s", raw, name, r.used[strings.ToLower(name)], got)
	}
	r.used[strings.ToLower(got)] = raw
	return got
}

// entities returns the entity elements of a <model>: the children of its
// <variables>, or, in the older layout, its own.
func entities(model *node) []*node {
	var out []*node
	for _, c := range model.children {
		if c.prefix != "" {
			continue
		}
		if c.name == "variables" {
			for _, e := range c.children {
				if e.prefix == "" && (variableTags[e.name] || e.name == "gf") {
					out = append(out, e)
				}
			}
			continue
		}
		if variableTags[c.name] || c.name == "gf" {
			out = append(out, c)
		}
	}
	return out
}

// declare names every entity of model, instantiated with the given prefix,
// recursing into modules, and returns the instance's scope.
func (r *reader) declare(model *node, prefix, path string, depth int) *scope {
	s := &scope{prefix: prefix, path: path, vars: map[string]*xvar{}, mods: map[string]*scope{}, dims: r.dims, elems: r.elems, dimElems: r.dimElems}
	for _, n := range entities(model) {
		if n.name == "group" {
			continue
		}
		if r.count++; r.count > decl.MaxElements {
			if r.count == decl.MaxElements+1 {
				r.errorf(n.start, "", "the modules expand to more than %d variables and module instances; stockflow flattens each instance and cannot run a model this large", decl.MaxElements)
			}
			return s
		}
		name, _ := n.attr("name")
		raw := unescapeName(name)
		if strings.TrimSpace(raw) == "" {
			r.errorf(n.start, "", "<%s> without a name", n.name)
			continue
		}
		k := key(raw)
		if prev, dup := s.vars[k]; dup {
			r.errorf(n.start, "", "%q is defined twice (first at line %d)", path+raw, r.pos(prev.n.start).Line)
			continue
		}
		if _, dup := s.mods[k]; dup {
			r.errorf(n.start, "", "%q is defined twice", path+raw)
			continue
		}
		if n.name == "module" {
			r.module(s, n, raw, depth)
			continue
		}
		x := &xvar{n: n, tag: n.name, raw: raw, sc: s}
		x.name = r.unique(prefix+canon(raw), n.start, path+raw)
		if n.child("gf") != nil && n.name != "gf" {
			x.lookup = r.unique(x.name+"_lookup", n.start, path+raw+" (its graphical function)")
		}
		s.vars[k] = x
		r.order = append(r.order, x)
	}
	for _, x := range s.vars {
		if x.tag != "stock" {
			continue
		}
		for _, tag := range []string{"inflow", "outflow"} {
			for _, f := range x.n.all(tag) {
				if t, ok := s.vars[key(r.doc.str(f))]; ok {
					t.asFlow = true
					if tag == "inflow" && x.n.child("conveyor") != nil && t.into == nil {
						t.into = x
					}
					if tag == "outflow" && x.n.child("queue") != nil && !falseFlag(r.doc.str(x.n.child("queue"))) && t.queueOf == nil {
						t.queueOf = x
					}
				}
			}
		}
		if x.n.child("conveyor") != nil {
			r.conveyorOutflows(s, x)
		}
	}
	return s
}

// conveyorOutflows marks the outflows of conveyor x: those with <leak>
// are its leakage flows and the first other one its outflow; when none
// is marked, XMILE's convention holds: the first outflow is the
// conveyor's outflow and the others are its leakage flows.
func (r *reader) conveyorOutflows(s *scope, x *xvar) {
	var outs []*xvar
	marked := false
	for _, f := range x.n.all("outflow") {
		if t, ok := s.vars[key(r.doc.str(f))]; ok {
			outs = append(outs, t)
			marked = marked || isLeak(r, t)
		}
	}
	for i, t := range outs {
		switch {
		case isLeak(r, t) || (!marked && i > 0):
			if t.leakOf == nil {
				t.leakOf = x
			}
		case t.conveyor == nil:
			t.conveyor = x
		}
	}
}

// isLeak reports whether flow t is marked as a leakage flow: it has a
// <leak> element that does not say false.
func isLeak(r *reader, t *xvar) bool {
	l := t.n.child("leak")
	return l != nil && !falseFlag(r.doc.str(l))
}

// module instantiates the model a <module> names and wires its
// connections.
func (r *reader) module(s *scope, n *node, raw string, depth int) {
	k := key(raw)
	modelName := raw
	if mn, ok := n.attr("model"); ok && strings.TrimSpace(mn) != "" {
		modelName = unescapeName(mn)
	}
	sub, ok := r.models[key(modelName)]
	if !ok {
		r.errorf(n.start, "", "module %q: the file has no <model name=%q>", s.path+raw, modelName)
		return
	}
	if depth >= maxModuleDepth {
		r.errorf(n.start, "", "module %q: modules nest more than %d deep (does a model include itself?)", s.path+raw, maxModuleDepth)
		return
	}
	child := r.declare(sub, s.prefix+canon(raw)+"_", s.path+raw+".", depth+1)
	s.mods[k] = child
	for _, c := range n.all("connect") {
		r.conns = append(r.conns, pendingConn{c: c, s: s, mod: raw})
	}
}

// pendingConn is a <connect> of a module instance, wired once every
// module of the enclosing model is declared.
type pendingConn struct {
	c   *node
	s   *scope // the enclosing model's instance, where from is read
	mod string // the module the <connect> is listed under, as written
}

// connectAll wires the modules' <connect>s. A connection's to names a
// variable of the module it is listed under ("area" or "hares.area"), of
// a sibling module ("lynxes.hare_density", as Stella lists a connection
// under both modules), or of the enclosing model (".total", a module's
// output used by it); the same connection listed twice is wired once.
func (r *reader) connectAll() {
	seen := map[string]bool{}
	for _, pc := range r.conns {
		c, s := pc.c, pc.s
		toAttr, _ := c.attr("to")
		fromAttr, _ := c.attr("from")
		parts := splitRef(unescapeName(toAttr))
		where := fmt.Sprintf("module %q: <connect to=%q>", s.path+pc.mod, toAttr)
		var target *scope
		switch {
		case len(parts) >= 2 && parts[0] == "":
			target, parts = s, parts[1:]
		case len(parts) >= 2:
			if m, ok := s.mods[key(parts[0])]; ok {
				target, parts = m, parts[1:]
			}
		case len(parts) == 1:
			target = s.mods[key(pc.mod)]
		}
		if target == nil || len(parts) != 1 {
			r.errorf(c.start, "", "%s: name a variable of the module (x or %s.x) or of the enclosing model (.x)", where, pc.mod)
			continue
		}
		t, ok := target.vars[key(parts[0])]
		if !ok && len(splitRef(unescapeName(toAttr))) == 1 {
			// A module's output written as to="total", naming a
			// variable of the enclosing model.
			t, ok = s.vars[key(parts[0])]
		}
		if !ok {
			r.errorf(c.start, "", "%s: no variable %q in %s", where, parts[0], scopeName(target))
			continue
		}
		id := t.name + "\x00" + key(strings.Join(splitRef(unescapeName(fromAttr)), "."))
		if seen[id] {
			continue
		}
		seen[id] = true
		if t.conn != nil {
			r.errorf(c.start, "", "%s: %q is connected twice (first at line %d)", where, t.sc.path+t.raw, r.pos(t.conn.start).Line)
			continue
		}
		t.conn, t.connScope = c, s
	}
}

// scopeName names an instance in messages.
func scopeName(s *scope) string {
	if s.path == "" {
		return "the main model"
	}
	return "module " + strings.TrimSuffix(s.path, ".")
}

// splitRef splits a dotted reference at the dots outside quotes and
// unquotes each part: "\"hares\".\"hare density\"" is [hares, hare
// density]; ".x" is ["", x].
func splitRef(s string) []string {
	var parts []string
	var b strings.Builder
	inQ := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			inQ = !inQ
		case c == '.' && !inQ:
			parts = append(parts, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, strings.TrimSpace(b.String()))
}

// build makes the declared variables of x and adds them to the model.
func (r *reader) build(x *xvar) {
	n := x.n
	kind := map[string]decl.Kind{"stock": decl.Stock, "flow": decl.Flow, "aux": decl.Aux, "gf": decl.Lookup}[x.tag]
	if x.asFlow && kind == decl.Aux {
		kind = decl.Flow
		r.warnf(n.start, "", "aux %q is the inflow or outflow of a stock; read as a flow", x.sc.path+x.raw)
	}
	v := &decl.Var{Kind: kind, Name: x.name, Pos: r.pos(n.start), FieldPos: map[string]syntax.Pos{}}
	v.Units = r.doc.str(n.child("units"))
	v.Doc = r.doc.str(n.child("doc"))
	v.Key = kind.Section() + "." + v.Name
	if x.conn != nil {
		r.connect(x, v)
		return
	}
	if x.data != nil {
		v.Kind = decl.Data
		v.Key = "data." + v.Name
		v.Data = x.data
		v.FieldPos["file"] = x.dataPos
		r.m.Vars = append(r.m.Vars, v)
		return
	}
	r.arrayDims(x, v)
	switch x.tag {
	case "gf":
		r.gf(n, v)
	case "stock":
		if q := n.child("queue"); q != nil && !falseFlag(r.doc.str(q)) {
			r.checkQueue(x, v, q)
		}
		for _, c := range n.children {
			if c.name == "oven" && !falseFlag(r.doc.str(c)) {
				r.errorf(c.start, v.Key, "stock %q is an oven; stockflow does not run ovens (their filling, cooking and unloading)", x.sc.path+x.raw)
			}
		}
		v.Eq = r.varEq(x, v, "initial", "")
		if c := n.child("conveyor"); c != nil {
			r.checkConveyor(x, v, c)
		}
		if in := n.child("init_eqn"); in != nil {
			r.errorf(in.start, v.Key+".initial", "a stock's initial value is its <eqn>; <init_eqn> is for flows and auxes (remove it, or move its equation into <eqn>)")
		}
		for _, f := range n.all("inflow") {
			v.Inflows = append(v.Inflows, r.flowRef(x, v, f, "inflows"))
		}
		for _, f := range n.all("outflow") {
			v.Outflows = append(v.Outflows, r.flowRef(x, v, f, "outflows"))
		}
		v.NonNegative = r.nonNeg[0]
		if c := n.child("non_negative"); c != nil {
			v.NonNegative = r.boolText(c, v.Key+".non_negative")
		}
	case "flow", "aux":
		wrap := ""
		if g := n.child("gf"); g != nil {
			lv := &decl.Var{Kind: decl.Lookup, Name: x.lookup, Key: "lookups." + x.lookup, Pos: r.pos(g.start), FieldPos: map[string]syntax.Pos{}}
			lv.Doc = fmt.Sprintf("the graphical function of %s", x.name)
			r.gf(g, lv)
			r.m.Vars = append(r.m.Vars, lv)
			wrap = x.lookup
		}
		switch {
		case x.conveyor != nil:
			v.Eq = r.conveyorOutflow(x, v)
		case x.leakOf != nil:
			v.Eq = r.conveyorLeak(x, v)
		case x.queueOf != nil:
			v.Eq = r.queueOutflow(x, v)
		default:
			v.Eq = r.varEq(x, v, "eq", wrap)
			r.initEqn(x, v)
		}
		if x.into != nil && limited(x.into) {
			r.limitInflow(x, v)
		}
		if v.Kind == decl.Flow {
			v.NonNegative = r.nonNeg[1]
			if c := n.child("non_negative"); c != nil {
				v.NonNegative = r.boolText(c, v.Key+".non_negative")
			}
		}
		if v.Kind == decl.Aux && wrap == "" && x.n.child("init_eqn") == nil {
			r.asParam(v)
		}
	}
	if rn := n.child("range"); rn != nil && x.tag != "gf" {
		r.varRange(v, rn)
	}
	r.m.Vars = append(r.m.Vars, v)
}

// asParam makes v, an aux, a param when its equation is a plain number
// (perhaps signed), or, arrayed, when every element's is: so that --set
// can change it, and so that a param written by Write reads back as one.
func (r *reader) asParam(v *decl.Var) {
	if len(v.ElementEqs) == 0 {
		if v.Eq.Expr == nil {
			return
		}
		f, ok := numValue(v.Eq.Expr)
		if !ok {
			return
		}
		v.Kind = decl.Param
		v.Key = "params." + v.Name
		v.Value = f
		v.FieldPos["value"] = v.Eq.Pos
		v.Eq = decl.Equation{}
		return
	}
	if v.Eq.Expr != nil {
		return
	}
	vals := make([]float64, len(v.ElementEqs))
	for i, ee := range v.ElementEqs {
		f, ok := numValue(ee.Eq.Expr)
		if ee.Eq.Expr == nil || !ok {
			return
		}
		vals[i] = f
	}
	v.Kind = decl.Param
	v.Key = "params." + v.Name
	for i := range v.ElementEqs {
		ee := &v.ElementEqs[i]
		text := strconv.FormatFloat(vals[i], 'g', -1, 64)
		ee.Eq = decl.Equation{Text: text, Pos: ee.Eq.Pos, Expr: &syntax.Num{Text: text, Value: vals[i]}}
	}
	if p, ok := v.FieldPos["eq"]; ok {
		v.FieldPos["values"] = p
		delete(v.FieldPos, "eq")
	}
}

// varRange reads a variable's <range min=… max=…/>, the interval its
// values are meant to stay in: a param's min and max (for sweeps), a
// stock's, flow's or aux's range (a run that leaves it warns). Either
// end may be left out (open). A param whose value lies outside keeps no
// min and max, with a warning.
func (r *reader) varRange(v *decl.Var, rn *node) {
	var ends [2]*float64
	for i, a := range []string{"min", "max"} {
		text, ok := rn.attr(a)
		if !ok || strings.TrimSpace(text) == "" {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil || math.IsNaN(f) {
			r.errorf(rn.start, v.Key+".range", "<range %s=%q>: expected a number", a, text)
			return
		}
		ends[i] = &f
	}
	lo, hi := ends[0], ends[1]
	if lo == nil && hi == nil {
		return
	}
	if lo != nil && hi != nil && *lo > *hi {
		r.errorf(rn.start, v.Key+".range", "<range min=%g max=%g>: min is greater than max", *lo, *hi)
		return
	}
	v.FieldPos["range"] = r.pos(rn.start)
	switch v.Kind {
	case decl.Param:
		if lo != nil && v.Value < *lo || hi != nil && v.Value > *hi {
			r.warnf(rn.start, v.Key+".range", "the value %g lies outside <range>; the param gets no min and max", v.Value)
			return
		}
		v.Min, v.Max = lo, hi
	case decl.Stock, decl.Flow, decl.Aux:
		v.Range = decl.OpenRange(lo, hi)
	}
}

// initEqn reads the <init_eqn> of a flow or aux, its value while initial
// values are computed (Vensim's ACTIVE INITIAL): the equation eq becomes
// active_initial(eq, init_eqn). An element's own <init_eqn> wins over the
// variable's.
func (r *reader) initEqn(x *xvar, v *decl.Var) {
	top := x.n.child("init_eqn")
	fk := v.Key + ".eq"
	if top != nil {
		v.FieldPos["init_eqn"] = r.pos(top.inner)
	}
	if len(v.ElementEqs) == 0 {
		if top != nil {
			v.Eq = r.activeInitial(v.Eq, r.equation(top, x, fk, ""), top, fk)
		}
		return
	}
	ens := x.n.all("element")
	for i := range v.ElementEqs {
		in := top
		if i < len(ens) && len(ens) == len(v.ElementEqs) {
			if c := ens[i].child("init_eqn"); c != nil {
				in = c
			}
		}
		if in != nil {
			ek := fk + "[" + strings.Join(v.ElementEqs[i].Elements, ",") + "]"
			v.ElementEqs[i].Eq = r.activeInitial(v.ElementEqs[i].Eq, r.equation(in, x, ek, ""), in, ek)
		}
	}
}

// activeInitial returns active_initial(eq, init), keeping the file
// positions of both.
func (r *reader) activeInitial(eq, init decl.Equation, in *node, key string) decl.Equation {
	if eq.Expr == nil || init.Expr == nil {
		if eq.Expr != nil && init.IsZero() {
			r.errorf(in.start, key, "<init_eqn> is empty; give the initial value, or remove the element")
		}
		return eq
	}
	return r.compose(key, eq.Pos, "active_initial(", eq, ", ", init, ")")
}

// compose returns the equation written by parts, each a string (placed
// at the position of the part before it, or at pos) or an equation
// (keeping its positions), and parsed.
func (r *reader) compose(key string, pos syntax.Pos, parts ...any) decl.Equation {
	var b strings.Builder
	var m []syntax.Pos
	at := pos
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			b.WriteString(p)
			for range len(p) {
				m = append(m, at)
			}
		case decl.Equation:
			b.WriteString(p.Text)
			for k := range len(p.Text) {
				m = append(m, p.PosAt(k))
			}
			at = p.PosAt(len(p.Text))
		}
	}
	m = append(m, at)
	out := decl.Equation{Text: b.String(), Pos: pos, Map: m}
	expr, err := syntax.Parse(out.Text)
	if err != nil {
		r.errs.Add(out.Pos, key, err.Error())
		return decl.Equation{}
	}
	out.Expr = expr
	return out
}

// numValue returns the value of a number, signed or not.
func numValue(x syntax.Expr) (float64, bool) {
	switch x := syntax.Unparen(x).(type) {
	case *syntax.Num:
		return x.Value, true
	case *syntax.Unary:
		if n, ok := syntax.Unparen(x.X).(*syntax.Num); ok {
			switch x.Op {
			case syntax.SUB:
				return -n.Value, true
			case syntax.ADD:
				return n.Value, true
			}
		}
	}
	return 0, false
}

// connect makes x an aux whose value is the variable its <connect> names
// in the enclosing model.
func (r *reader) connect(x *xvar, v *decl.Var) {
	c := x.conn
	from, _ := c.attr("from")
	parts := splitRef(unescapeName(strings.TrimSpace(from)))
	if len(parts) > 1 && parts[0] == "" {
		parts = parts[1:]
	}
	ref := strings.Join(parts, ".")
	name, ok := x.connScope.value(ref)
	if !ok {
		r.errorf(c.start, v.Key, "<connect from=%q>: no variable %q in %s", from, ref, scopeName(x.connScope))
		return
	}
	v.Kind = decl.Aux
	v.Key = "aux." + v.Name
	if dn := x.n.child("dimensions"); dn != nil {
		// An arrayed input: element by element, the bare name standing
		// for the element being defined.
		for _, d := range dn.all("dim") {
			dname, _ := d.attr("name")
			if dd, ok := r.dims[key(unescapeName(dname))]; ok {
				v.Dims = append(v.Dims, dd)
			} else {
				r.errorf(d.start, v.Key+".dims", "unknown dimension %q", dname)
			}
		}
	}
	p := r.pos(c.start)
	v.Eq = decl.Equation{Text: name, Pos: p, Expr: &syntax.Ident{Name: name}, Map: make([]syntax.Pos, len(name)+1)}
	for i := range v.Eq.Map {
		v.Eq.Map[i] = p
	}
	v.FieldPos["eq"] = p
	r.m.Vars = append(r.m.Vars, v)
}

// flowRef resolves a stock's <inflow> or <outflow>.
func (r *reader) flowRef(x *xvar, v *decl.Var, f *node, field string) string {
	text, offs := r.doc.trimmed(f)
	if _, ok := v.FieldPos[field]; !ok {
		v.FieldPos[field] = r.pos(offs[0])
	}
	t, ok := x.sc.vars[key(strings.Trim(text, `"`))]
	if !ok {
		r.errorf(offs[0], v.Key+"."+field, "no flow named %q", text)
		return canon(text)
	}
	return t.name
}

// arrayDims reads the <dimensions> of an arrayed variable and its
// per-element equations.
func (r *reader) arrayDims(x *xvar, v *decl.Var) {
	dn := x.n.child("dimensions")
	if dn == nil {
		return
	}
	for _, d := range dn.all("dim") {
		name, _ := d.attr("name")
		dname, ok := r.dims[key(unescapeName(name))]
		if !ok {
			r.errorf(d.start, v.Key+".dims", "unknown dimension %q", name)
			continue
		}
		v.Dims = append(v.Dims, dname)
	}
	if v.Dims == nil {
		v.Dims = []string{}
	}
	field := "eq"
	if x.tag == "stock" {
		field = "initial"
	}
	top := x.n.child("eqn")
	if len(x.n.all("eqn")) > 1 {
		top = nil // Vensim's exporter's one <eqn> per element, read by varEq
	}
	for _, en := range x.n.all("element") {
		sub, _ := en.attr("subscript")
		var elems []string
		for _, e := range strings.Split(sub, ",") {
			k := key(unescapeName(e))
			name, ok := r.elems[k]
			if !ok {
				r.errorf(en.start, v.Key+".eqs", "unknown element %q", strings.TrimSpace(e))
			}
			elems = append(elems, name)
		}
		ek := v.Key + "." + field + "[" + strings.Join(elems, ",") + "]"
		eqn := en.child("eqn")
		if eqn == nil {
			eqn = top // an element's graphical function applied to the variable's equation
		}
		wrap := ""
		if g := en.child("gf"); g != nil && x.tag != "stock" {
			lname := r.unique(x.name+"_lookup_"+strings.Join(elems, "_"), en.start, x.sc.path+x.raw+"["+sub+"] (its graphical function)")
			lv := &decl.Var{Kind: decl.Lookup, Name: lname, Key: "lookups." + lname, Pos: r.pos(g.start), FieldPos: map[string]syntax.Pos{}}
			lv.Doc = fmt.Sprintf("the graphical function of %s[%s]", x.name, strings.Join(elems, ","))
			r.gf(g, lv)
			r.m.Vars = append(r.m.Vars, lv)
			wrap = lname
			if eqn == nil {
				r.errorf(en.start, ek, "%s[%s] has a graphical function but no <eqn> for its input", x.raw, sub)
				continue
			}
		}
		eq := r.equation(eqn, x, ek, wrap)
		v.ElementEqs = append(v.ElementEqs, decl.ElementEq{Elements: elems, Eq: eq})
	}
	if len(v.ElementEqs) > 0 && top != nil {
		// A partial array: the elements without an <element> of their
		// own take the variable's <eqn>.
		have := map[string]bool{}
		for _, ee := range v.ElementEqs {
			have[strings.Join(ee.Elements, ",")] = true
		}
		for _, c := range r.combos(v.Dims) {
			if !have[strings.Join(c, ",")] {
				ek := v.Key + "." + field + "[" + strings.Join(c, ",") + "]"
				v.ElementEqs = append(v.ElementEqs, decl.ElementEq{Elements: c, Eq: r.equation(top, x, ek, "")})
			}
		}
	}
}

// varEq reads a variable's <eqn>. An arrayed variable's eqn may be a list
// of values, one per element, in the order of its elements.
func (r *reader) varEq(x *xvar, v *decl.Var, field, wrap string) decl.Equation {
	n := x.n.child("eqn")
	fk := v.Key + "." + field
	if n != nil {
		v.FieldPos[field] = r.pos(n.inner)
	}
	if eqns := x.n.all("eqn"); len(eqns) > 1 && len(v.Dims) > 0 && len(v.ElementEqs) == 0 {
		// Vensim's exporter writes an arrayed variable defined element
		// by element as one <eqn> per element, in element order.
		combos := r.combos(v.Dims)
		if len(combos) != len(eqns) {
			r.errorf(eqns[0].start, fk, "%d <eqn> elements for %d array elements", len(eqns), len(combos))
			return decl.Equation{}
		}
		for i, en := range eqns {
			v.ElementEqs = append(v.ElementEqs, decl.ElementEq{Elements: combos[i], Eq: r.equation(en, x, fk, "")})
		}
		return decl.Equation{}
	}
	if n != nil && len(v.Dims) > 0 && len(v.ElementEqs) == 0 {
		text, offs := r.doc.trimmed(n)
		if parts := splitList(text); parts != nil {
			combos := r.combos(v.Dims)
			if len(combos) != len(parts) {
				r.errorf(offs[0], fk, "%d values for %d elements", len(parts), len(combos))
				return decl.Equation{}
			}
			for i, p := range parts {
				eq := r.equationText(text[p[0]:p[1]], offs[p[0]:p[1]+1], x, fk, "")
				v.ElementEqs = append(v.ElementEqs, decl.ElementEq{Elements: combos[i], Eq: eq})
			}
			return decl.Equation{}
		}
	}
	if len(v.ElementEqs) > 0 {
		return decl.Equation{} // the <eqn>, if any, was read with the elements
	}
	if n == nil {
		if wrap != "" {
			r.errorf(x.n.start, fk, "%q has a graphical function but no <eqn> for its input", x.raw)
		}
		return decl.Equation{}
	}
	return r.equation(n, x, fk, wrap)
}

// varDims returns the declared dimensions of x, as its <dimensions>
// lists them.
func (r *reader) varDims(x *xvar) []string {
	var out []string
	for _, d := range x.n.child("dimensions").all("dim") {
		name, _ := d.attr("name")
		if dd, ok := r.dims[key(unescapeName(name))]; ok {
			out = append(out, dd)
		}
	}
	return out
}

// combos returns every element combination of dims, the last dimension
// varying fastest.
func (r *reader) combos(dims []string) [][]string {
	out := [][]string{nil}
	for _, dn := range dims {
		var d *decl.Dimension
		for _, dd := range r.m.Dimensions {
			if dd.Name == dn {
				d = dd
			}
		}
		if d == nil {
			return nil
		}
		var next [][]string
		for _, c := range out {
			for _, e := range d.Elements {
				next = append(next, append(append([]string(nil), c...), e))
			}
		}
		out = next
	}
	return out
}

func (r *reader) equation(n *node, x *xvar, key, wrap string) decl.Equation {
	if n == nil {
		return decl.Equation{}
	}
	text, offs := r.doc.trimmed(n)
	return r.equationText(text, offs, x, key, wrap)
}

// equationText translates and parses one equation whose bytes come from
// the source offsets offs. With wrap set, the equation is the input of the
// lookup named wrap: wrap(eqn).
func (r *reader) equationText(text string, offs []int, x *xvar, key, wrap string) decl.Equation {
	out, omap, safe, err := translate(text, offs, x.sc, r.d, x.name, r.varDims(x))
	if err != nil {
		var pe *syntax.ParseError
		if errors.As(err, &pe) {
			r.errorf(offs[pe.Offset], key, "%s", pe.Msg)
		} else {
			r.errorf(offs[0], key, "%s", err)
		}
		return decl.Equation{}
	}
	// Trim what comments left.
	lo, hi := 0, len(out)
	for lo < hi && isSpace(out[lo]) {
		lo++
	}
	for hi > lo && isSpace(out[hi-1]) {
		hi--
	}
	out, omap = out[lo:hi], omap[lo:hi+1]
	if out == "" {
		return decl.Equation{}
	}
	out, omap = r.postfixNot(out, omap, key)
	if wrap != "" {
		w := make([]int, 0, len(out)+len(wrap)+3)
		for range len(wrap) + 1 {
			w = append(w, omap[0])
		}
		w = append(w, omap[:len(out)]...)
		w = append(w, omap[len(out)], omap[len(out)])
		out, omap = wrap+"("+out+")", w
	}
	expr, err := syntax.Parse(out)
	if err == nil {
		if out2, omap2, ok := rewrite(out, omap, expr, r.d, safe); ok {
			out, omap = out2, omap2
			expr, err = syntax.Parse(out)
		}
	}
	eq := decl.Equation{Text: out, Pos: r.pos(omap[0]), Map: make([]syntax.Pos, len(omap))}
	for i, o := range omap {
		eq.Map[i] = r.pos(o)
	}
	if err != nil {
		var pe *syntax.ParseError
		if errors.As(err, &pe) {
			r.errs.Add(eq.PosAt(pe.Offset), key, pe.Msg)
		} else {
			r.errs.Add(eq.Pos, key, err.Error())
		}
		return eq
	}
	bad := false
	syntax.Walk(expr, func(e syntax.Expr) bool {
		c, ok := e.(*syntax.Call)
		switch {
		case !ok || bad:
		case c.Fn.Name == modCall:
			r.errs.Add(eq.PosAt(c.Fn.At), key, fmt.Sprintf("MOD takes 2 arguments, got %d", len(c.Args)))
			bad = true
		case strings.EqualFold(c.Fn.Name, "size") && len(c.Args) == 1:
			// Stella's SIZE of a queue is its number of batches, which
			// stockflow does not keep.
			if id, ok := c.Args[0].(*syntax.Ident); ok {
				if q, ok := r.declared(id.Name); ok && q.tag == "stock" && q.n.child("queue") != nil && !falseFlag(r.doc.str(q.n.child("queue"))) {
					r.errs.Add(eq.PosAt(c.Fn.At), key, fmt.Sprintf("SIZE(%s): the number of batches in queue %q is not supported; stockflow keeps a queue's contents, not its batches", id.Name, q.sc.path+q.raw))
					bad = true
				}
			}
		}
		return !bad
	})
	if bad {
		return eq
	}
	eq.Expr = expr
	return eq
}

// xmutilNot is the condition xmutil writes for Vensim's
// IF THEN ELSE(:NOT: x, ...): "IF x not THEN", a postfix not.
var xmutilNot = regexp.MustCompile(`(?i)\bif\s+([A-Za-z_][A-Za-z0-9_]*)\s+(not)\s+then\b`)

// postfixNot repairs xmutil's "IF x not THEN" into "IF not x THEN", with
// a warning: the only reading of it, and otherwise a syntax error.
func (r *reader) postfixNot(out string, omap []int, key string) (string, []int) {
	m := xmutilNot.FindStringSubmatchIndex(out)
	if m == nil {
		return out, omap
	}
	x0, x1, n0, n1 := m[2], m[3], m[4], m[5]
	var b strings.Builder
	var w []int
	put := func(s string, offs []int) {
		b.WriteString(s)
		w = append(w, offs...)
	}
	put(out[:x0], omap[:x0])
	put(out[n0:n1]+" ", append(append([]int(nil), omap[n0:n1]...), omap[n1]))
	put(out[x0:x1], omap[x0:x1])
	put(out[n1:], omap[n1:])
	r.warnf(omap[n0], key, "read xmutil's %q as \"not %s\"", out[m[0]:m[1]], out[x0:x1])
	return r.postfixNot(b.String(), w, key)
}
