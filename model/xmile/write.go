package xmile

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// Write writes m as an XMILE 1.0 file: its simulation settings,
// dimensions, and every variable in declaration order (params as auxes
// holding a number, lookups as <gf>, data variables as a graphical
// function of TIME), so that Parse gives back a model that simulates to
// the same numbers, with the same names. Settings XMILE has no place for
// (rk45's tolerances) are attributes in stockflow's namespace
// (NamespaceStockflow), which other tools ignore.
//
// What XMILE cannot say is left out, with a warning naming where the
// model declares it: thresholds, loops, plots, scenarios, checks and a
// param's distribution. Functions that XMILE 1.0 does not define are
// written as they are, with a warning that other tools may not read
// them. An error — and nothing written — for what
// cannot be written at all: a data variable without its points (read
// them first) or one that is not interpolated, and names that XMILE
// would read as one name (they differ only in case) or as another (x_).
func Write(w io.Writer, m *decl.Model) (warnings syntax.ErrorList, err error) {
	x := &xwriter{m: m, funcs: map[string]bool{}}
	x.check()
	if len(x.errs) > 0 {
		x.errs.Sort()
		return nil, x.errs
	}
	bw := bufio.NewWriter(w)
	x.w = bw
	x.model()
	x.warns.Sort()
	x.warns.RemoveDuplicates()
	return x.warns, bw.Flush()
}

type xwriter struct {
	m     *decl.Model
	w     *bufio.Writer
	errs  syntax.ErrorList
	warns syntax.ErrorList
	funcs map[string]bool // lookups' names, called like functions
	depth int
}

// check finds what cannot be written.
func (x *xwriter) check() {
	seen := map[string]string{}
	name := func(n string, pos syntax.Pos, k string) {
		if canon(n) != n {
			x.errs.Addf(pos, k, "the name %q would read back from XMILE as %q; rename it (letters and digits, single _ between them)", n, canon(n))
		}
		if prev, ok := seen[key(n)]; ok {
			x.errs.Addf(pos, k, "the names %q and %q are one name in XMILE, which ignores case; rename one", prev, n)
		}
		seen[key(n)] = n
	}
	for _, v := range x.m.Vars {
		name(v.Name, v.Pos, v.Key)
		if v.Kind == decl.Lookup {
			x.funcs[v.Name] = true
		}
		if v.Kind == decl.Data && len(v.Points) == 0 {
			x.errs.Addf(v.Pos, v.Key, "data variable %s has no points to write (read its file first, or give its points)", v.Name)
		}
		if v.Kind == decl.Data && v.Data != nil && v.Data.Interpolate == decl.InterpForward {
			x.errs.Addf(v.Pos, v.Key, "data variable %s has interpolate = \"forward\" (Vensim's :LOOK FORWARD:), which an XMILE graphical function cannot say", v.Name)
		}
	}
	dims := map[string]bool{}
	for _, d := range x.m.Dimensions {
		if canon(d.Name) != d.Name || dims[key(d.Name)] {
			x.errs.Addf(d.Pos, d.Key, "the dimension name %q does not read back from XMILE as itself; rename it", d.Name)
		}
		dims[key(d.Name)] = true
		for _, e := range d.Elements {
			if _, err := strconv.Atoi(e); err != nil && canon(e) != e {
				x.errs.Addf(d.Pos, d.Key, "the element name %q would read back from XMILE as %q; rename it", e, canon(e))
			}
		}
	}
}

func (x *xwriter) line(format string, args ...any) {
	x.w.WriteString(strings.Repeat("\t", x.depth))
	fmt.Fprintf(x.w, format, args...)
	x.w.WriteByte('\n')
}

// open writes a start tag and indents what follows; close undoes it.
func (x *xwriter) open(format string, args ...any) {
	x.line(format, args...)
	x.depth++
}

func (x *xwriter) close(tag string) {
	x.depth--
	x.line("</%s>", tag)
}

// text writes <tag>s</tag> with s escaped, leaving it out when empty.
func (x *xwriter) text(tag, s string) {
	if s != "" {
		x.line("<%s>%s</%s>", tag, esc(s), tag)
	}
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func attr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&quot;")
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// product is the version of stockflow that writes the file, as the Go
// build records it.
func product() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func (x *xwriter) model() {
	m := x.m
	x.line(`<?xml version="1.0" encoding="utf-8"?>`)
	x.open(`<xmile version="1.0" xmlns="%s" xmlns:isee="http://iseesystems.com/XMILE" xmlns:stockflow="%s">`, Namespace, NamespaceStockflow)
	x.open("<header>")
	maxDims := 0
	for _, v := range m.Vars {
		maxDims = max(maxDims, len(v.Dims))
	}
	if maxDims > 0 {
		x.open(`<options namespace="std">`)
		x.line(`<uses_arrays maximum_dimensions="%d"/>`, maxDims)
		x.close("options")
	} else {
		x.line(`<options namespace="std"/>`)
	}
	name := m.Name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(m.File), filepath.Ext(m.File))
	}
	x.text("name", name)
	x.text("vendor", "stockflow")
	x.line(`<product version="%s" lang="en">stockflow</product>`, attr(product()))
	x.close("header")
	x.sim()
	if len(m.Dimensions) > 0 {
		x.open("<dimensions>")
		for _, d := range m.Dimensions {
			if len(d.MapsTo) > 0 {
				x.open(`<dim name="%s" maps_to="%s">`, attr(d.Name), attr(strings.Join(d.MapsTo, ",")))
			} else {
				x.open(`<dim name="%s">`, attr(d.Name))
			}
			for _, e := range d.Elements {
				x.line(`<elem name="%s"/>`, attr(e))
			}
			x.close("dim")
		}
		x.close("dimensions")
	}
	x.open("<model>")
	x.text("doc", m.Description)
	x.open("<variables>")
	for _, v := range m.Vars {
		x.variable(v)
	}
	x.close("variables")
	x.views()
	x.close("model")
	x.close("xmile")
	x.dropped()
}

func (x *xwriter) sim() {
	s := x.m.Sim
	method := map[string]string{"euler": "Euler", "rk2": "RK2", "rk4": "RK4", "rk45": "RK45"}[strings.ToLower(s.Method)]
	if method == "" {
		method = "Euler"
	}
	a := fmt.Sprintf(` method="%s"`, method)
	if x.m.TimeUnits != "" {
		a += fmt.Sprintf(` time_units="%s"`, attr(x.m.TimeUnits))
	}
	if s.SaveEvery != 0 && s.SaveEvery != s.DT {
		a += fmt.Sprintf(` isee:save_interval="%s"`, num(s.SaveEvery))
	}
	// rk45's settings, which XMILE has no place for, in stockflow's
	// namespace; other tools ignore them.
	for _, o := range []struct {
		name   string
		v, def float64
	}{{"rel_tol", s.RelTol, decl.DefaultRelTol}, {"abs_tol", s.AbsTol, decl.DefaultAbsTol}, {"max_step", s.MaxStep, 0}} {
		if o.v != 0 && o.v != o.def {
			a += fmt.Sprintf(` stockflow:%s="%s"`, o.name, num(o.v))
		}
	}
	x.open("<sim_specs%s>", a)
	x.line("<start>%s</start>", num(s.Start))
	x.line("<stop>%s</stop>", num(s.Stop))
	x.line("<dt>%s</dt>", num(s.DT))
	x.close("sim_specs")
}

// dropped warns, once, of the parts of the model that XMILE cannot hold.
func (x *xwriter) dropped() {
	m := x.m
	var parts []string
	var at syntax.Pos
	var k string
	add := func(n int, what string, pos syntax.Pos, key string) {
		if n == 0 {
			return
		}
		if len(parts) == 0 {
			at, k = pos, key
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, what))
	}
	if len(m.Thresholds) > 0 {
		add(len(m.Thresholds), "thresholds", m.Thresholds[0].Pos, m.Thresholds[0].Key)
	}
	if len(m.Loops) > 0 {
		add(len(m.Loops), "loops", m.Loops[0].Pos, m.Loops[0].Key)
	}
	if len(m.Plots) > 0 {
		add(len(m.Plots), "plots", m.Plots[0].Pos, m.Plots[0].Key)
	}
	if len(m.Scenarios) > 0 {
		add(len(m.Scenarios), "scenarios", m.Scenarios[0].Pos, m.Scenarios[0].Key)
	}
	if len(m.Checks) > 0 {
		add(len(m.Checks), "checks", m.Checks[0].Pos, m.Checks[0].Key)
	}
	if len(parts) > 0 {
		x.warns.Addf(at, k, "XMILE has no place for the model's %s; left out", strings.Join(parts, ", "))
	}
}

func (x *xwriter) variable(v *decl.Var) {
	tag := map[decl.Kind]string{decl.Param: "aux", decl.Stock: "stock", decl.Flow: "flow", decl.Aux: "aux", decl.Lookup: "gf", decl.Data: "aux"}[v.Kind]
	typ := ""
	if v.Kind == decl.Lookup && v.Extrapolate {
		typ = ` type="extrapolate"`
	}
	x.open(`<%s name="%s"%s>`, tag, attr(v.Name), typ)
	x.text("doc", v.Doc)
	if v.Dims != nil {
		x.open("<dimensions>")
		for _, d := range v.Dims {
			x.line(`<dim name="%s"/>`, attr(d))
		}
		x.close("dimensions")
	}
	switch v.Kind {
	case decl.Param:
		if len(v.ElementEqs) > 0 {
			x.elements(v)
		} else {
			x.line("<eqn>%s</eqn>", num(v.Value))
		}
		if v.Dist != "" || v.Mode != nil || v.Mean != nil || v.SD != nil {
			x.warns.Addf(v.Pos, v.Key, "a param's distribution has no place in XMILE; left out")
		}
		x.rangeOf(v.Min, v.Max)
	case decl.Stock:
		x.eqOrElements(v)
		for _, f := range v.Inflows {
			x.line("<inflow>%s</inflow>", esc(f))
		}
		for _, f := range v.Outflows {
			x.line("<outflow>%s</outflow>", esc(f))
		}
		x.nonNegative(v)
	case decl.Flow, decl.Aux:
		x.eqOrElements(v)
		if v.Kind == decl.Flow {
			x.nonNegative(v)
		}
	case decl.Lookup:
		x.points(v.Points)
	case decl.Data:
		x.dataGF(v)
	}
	if v.Kind != decl.Param && v.Range != nil {
		lo, hi := v.Range[0], v.Range[1]
		var plo, phi *float64
		if !math.IsInf(lo, -1) {
			plo = &lo
		}
		if !math.IsInf(hi, 1) {
			phi = &hi
		}
		x.rangeOf(plo, phi)
	}
	x.text("units", v.Units)
	x.close(tag)
}

// dataGF writes a data variable as a graphical function of TIME.
// linear is a continuous graphical function (extrapolate as such), hold
// a discrete one. none — the value at the points' times, NaN between
// them — has no XMILE form: XMILE has no NaN, and every graphical
// function has a value everywhere. It is written as a discrete graphical
// function, which has the data's value at every point's time and holds
// it until the next, with a warning: the numbers agree at the points and
// nowhere else. A single point, which XMILE's two-point minimum refuses,
// is written twice (at its time and one time unit later) with its value:
// the same constant function.
func (x *xwriter) dataGF(v *decl.Var) {
	x.line("<eqn>TIME</eqn>")
	interp := decl.InterpLinear
	if v.Data != nil && v.Data.Interpolate != "" {
		interp = v.Data.Interpolate
	}
	typ := ""
	switch {
	case interp == decl.InterpNone:
		typ = ` type="discrete"`
		x.warns.Addf(v.Pos, v.Key, "data variable %s has interpolate = \"none\" (a value only at its points' times), which XMILE cannot say; written as a discrete graphical function of TIME, equal to the data at its points and holding each value until the next", v.Name)
	case interp == decl.InterpHold:
		typ = ` type="discrete"`
	case v.Extrapolate:
		typ = ` type="extrapolate"`
	}
	pts := v.Points
	if len(pts) == 1 {
		pts = [][2]float64{pts[0], {pts[0][0] + 1, pts[0][1]}}
	}
	x.open("<gf%s>", typ)
	x.points(pts)
	x.close("gf")
}

// points writes a lookup's points; a lookup that extends its end
// segments is a graphical function of type extrapolate.
func (x *xwriter) points(pts [][2]float64) {
	xs := make([]string, len(pts))
	ys := make([]string, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = num(p[0]), num(p[1])
	}
	x.line("<xpts>%s</xpts>", strings.Join(xs, ","))
	x.line("<ypts>%s</ypts>", strings.Join(ys, ","))
}

func (x *xwriter) rangeOf(lo, hi *float64) {
	if lo == nil && hi == nil {
		return
	}
	a := ""
	if lo != nil {
		a += fmt.Sprintf(` min="%s"`, num(*lo))
	}
	if hi != nil {
		a += fmt.Sprintf(` max="%s"`, num(*hi))
	}
	x.line("<range%s/>", a)
}

func (x *xwriter) nonNegative(v *decl.Var) {
	if v.NonNegative {
		x.line("<non_negative/>")
	}
}

func (x *xwriter) eqOrElements(v *decl.Var) {
	if len(v.ElementEqs) > 0 {
		x.elements(v)
		return
	}
	x.eqn(v, v.Eq, v.Key)
}

func (x *xwriter) elements(v *decl.Var) {
	for _, ee := range v.ElementEqs {
		x.open(`<element subscript="%s">`, attr(strings.Join(ee.Elements, ",")))
		x.eqn(v, ee.Eq, v.Key)
		x.close("element")
	}
}

// eqn writes an equation as <eqn>, and active_initial(a, b), the whole
// equation, as <eqn>a</eqn><init_eqn>b</init_eqn>.
func (x *xwriter) eqn(v *decl.Var, eq decl.Equation, k string) {
	if eq.Expr == nil {
		x.text("eqn", eq.Text)
		return
	}
	if c, ok := syntax.Unparen(eq.Expr).(*syntax.Call); ok && strings.EqualFold(c.Fn.Name, "active_initial") && len(c.Args) == 2 && v.Kind != decl.Stock {
		x.line("<eqn>%s</eqn>", esc(x.expr(c.Args[0], eq, k)))
		x.line("<init_eqn>%s</init_eqn>", esc(x.expr(c.Args[1], eq, k)))
		return
	}
	x.line("<eqn>%s</eqn>", esc(x.expr(eq.Expr, eq, k)))
}

// xmileFuncs are the functions of XMILE 1.0, and those of Stella that
// stockflow has under the same name (SAFEDIV, LOOKUP).
var xmileFuncs = map[string]bool{
	"abs": true, "arccos": true, "arcsin": true, "arctan": true, "cos": true, "exp": true, "int": true,
	"ln": true, "log10": true, "max": true, "min": true, "sin": true, "sqrt": true, "tan": true,
	"delay": true, "delay1": true, "delay3": true, "delayn": true, "forcst": true, "smth1": true,
	"smth3": true, "smthn": true, "trend": true, "pulse": true, "ramp": true, "step": true,
	"exprnd": true, "lognormal": true, "normal": true, "poisson": true, "random": true,
	"init": true, "previous": true, "sum": true, "prod": true, "mean": true, "stddev": true,
	"size": true, "safediv": true, "lookup": true,
}

// xmileValues are the builtins written without parentheses.
var xmileValues = map[string]bool{"time": true, "dt": true, "starttime": true, "stoptime": true, "pi": true, "inf": true}

// expr returns the XMILE text of e, a part of eq: stockflow's canonical
// text (syntax.Print) with keywords, operators written as words and
// builtins in capitals. A function XMILE does not define gets a warning.
func (x *xwriter) expr(e syntax.Expr, eq decl.Equation, k string) string {
	vars := map[string]bool{}
	for _, v := range x.m.Vars {
		vars[v.Name] = true
	}
	syntax.Walk(e, func(n syntax.Expr) bool {
		if c, ok := n.(*syntax.Call); ok {
			lower := strings.ToLower(c.Fn.Name)
			if !x.funcs[c.Fn.Name] && !xmileFuncs[lower] {
				x.warns.Addf(eq.PosAt(c.Fn.At), k, "%s is not a function of XMILE 1.0; written as %s, which Stella and Simlin may not read", c.Fn.Name, strings.ToUpper(c.Fn.Name))
			}
		}
		return true
	})
	text := syntax.Print(e)
	var b strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case isDigit(c) || c == '.' && i+1 < len(text) && isDigit(text[i+1]):
			j := number(text, i)
			b.WriteString(text[i:j])
			i = j
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i
			for j < len(text) && (text[j] == '_' || isDigit(text[j]) || 'a' <= text[j] && text[j] <= 'z' || 'A' <= text[j] && text[j] <= 'Z') {
				j++
			}
			word := text[i:j]
			lower := strings.ToLower(word)
			call := next(text, j) == '('
			switch {
			case isKeyword(lower):
				b.WriteString(strings.ToUpper(word))
			case call && !x.funcs[word]:
				b.WriteString(strings.ToUpper(word))
			case !call && !vars[word] && xmileValues[lower]:
				b.WriteString(strings.ToUpper(word))
			default:
				b.WriteString(word)
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isKeyword(lower string) bool {
	for _, kw := range keywords {
		if lower == kw {
			return true
		}
	}
	return false
}
