package vensim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// nodeKind is the kind of a node of a Vensim expression.
type nodeKind int

const (
	nNum    nodeKind = iota + 1
	nNA              // :NA:
	nRef             // a name, possibly subscripted
	nCall            // a function, lookup or macro call
	nUnary           // - + :NOT:
	nBinary          // infix operator
	nParen           // (x)
	nTable           // a lookup table literal
	nTabbed          // TABBED ARRAY(...) numbers
	nStr             // 'a string' (text without the quotes)
	nHeld            // a hidden aux the reader made, by its name (see held)
)

// node is a Vensim expression.
type node struct {
	kind nodeKind
	pos  int // offset in the entry's equation text
	num  float64
	text string // numbers as written; names as written; operators
	key  string // names: nameKey(text)
	subs []sub  // refs, and subscripted lookup calls
	args []*node
	x, y *node
	tbl  *table
	nums []float64 // nTabbed
	outs []*node   // a macro call's extra outputs, after the :
}

// sub is one subscript of a reference or of a left-hand side.
type sub struct {
	text string
	key  string
	bang bool // dim!: every element, in a reduction
	pos  int
}

// table is a lookup: its points, and whether a range was given.
type table struct {
	points [][2]float64
	get    *node // a GET XLS LOOKUPS call that gives the points: name(GET XLS LOOKUPS(...))
}

// defKind is what an entry defines.
type defKind int

const (
	dEq     defKind = iota + 1 // name = expr (or ==)
	dLookup                    // name( points )
	dDim                       // name: elements -> mappings
	dEquiv                     // name <-> name
	dList                      // name[dims] = numbers
	dSkip                      // reality checks and the like: no effect on a run
)

// def is one parsed entry.
type def struct {
	e       *entry
	kind    defKind
	name    string
	key     string
	pos     int
	subs    []sub
	excepts [][]sub
	rhs     *node
	tbl     *table
	nums    []float64
	rows    int      // dList: rows given (separated by ;)
	data    bool     // a data equation (:=)
	interp  string   // its keyword (:RAW:, :INTERPOLATE:, ...), if any
	ext     *extData // the series a GET ... DATA call read (see external)
	// noEq marks a data variable without an equation (x ~ units ~ |),
	// whose values come from the data files (dataFiles); rhs is a 0
	// standing in for them.
	noEq bool

	// dDim
	items    []dimItem
	mappings []mapping
	equiv    string
	getSubs  *node // GET DIRECT SUBSCRIPT or GET XLS SUBSCRIPT: the elements are read from a file
}

// dimItem is an element of a subscript range definition: a name or a
// numeric range such as (p1-p5).
type dimItem struct {
	names []string
}

// mapping is a subscript range's mapping -> target or -> (target: e1, e2).
type mapping struct {
	target string
	elems  []string
}

// parseError is a problem at an offset of the equation text.
type parseError struct {
	pos int
	msg string
}

func (e *parseError) Error() string { return e.msg }

// parser parses one entry.
type parser struct {
	toks []tok
	i    int
	src  string
}

func (p *parser) peek() tok { return p.toks[p.i] }
func (p *parser) next() tok {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}
func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == s
}
func (p *parser) isKw(s string) bool {
	t := p.peek()
	return t.kind == tKeyword && t.text == s
}

func (p *parser) fail(pos int, format string, args ...any) {
	panic(&parseError{pos: pos, msg: fmt.Sprintf(format, args...)})
}

func (p *parser) expect(op string) tok {
	if !p.isOp(op) {
		t := p.peek()
		p.fail(t.pos, "expected %q, found %s", op, describe(t))
	}
	return p.next()
}

func describe(t tok) string {
	switch t.kind {
	case tEOF:
		return "the end of the equation"
	case tName:
		return fmt.Sprintf("name %q", t.text)
	case tNum:
		return "number " + t.text
	case tStr:
		return "string '" + t.text + "'"
	}
	return fmt.Sprintf("%q", t.text)
}

// parseDef parses an entry. Errors come back as *parseError. The tokens
// go into *scratch, when it is not nil, which the next call reuses (the
// definition keeps none of them).
func parseDef(e *entry, scratch *[]tok) (d *def, err error) {
	var buf []tok
	if scratch != nil {
		buf = *scratch
	}
	p := &parser{toks: lex(buf, e.eqn), src: e.eqn}
	if scratch != nil {
		*scratch = p.toks
	}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(*parseError)
			if !ok {
				panic(r)
			}
			d, err = nil, pe
		}
	}()
	d = &def{e: e}
	t := p.next()
	if t.kind != tName {
		p.fail(t.pos, "expected a variable name, found %s", describe(t))
	}
	d.name, d.key, d.pos = t.text, nameKey(t.text), t.pos
	if p.isOp("[") {
		d.subs = p.subs()
	}
	for p.isKw(":EXCEPT:") {
		p.next()
		for {
			p.expect("[")
			p.i--
			d.excepts = append(d.excepts, p.subs())
			if !p.isOp(",") {
				break
			}
			p.next()
		}
	}
	t = p.peek()
	switch {
	case t.kind == tOp && (t.text == "=" || t.text == "=="):
		p.next()
		d.kind = dEq
		d.rhs = p.expr()
		if p.isOp(",") || p.isOp(";") {
			d.kind = dList
			d.nums = []float64{p.constant(d.rhs)}
			d.rows = 1
			for p.isOp(",") || p.isOp(";") {
				if p.next().text == ";" {
					if p.peek().kind == tEOF {
						break
					}
					d.rows++
				}
				d.nums = append(d.nums, p.constant(p.expr()))
			}
			d.rhs = nil
		} else if d.rhs.kind == nTabbed {
			d.kind, d.nums, d.rhs = dList, d.rhs.nums, nil
		}
	case t.kind == tOp && t.text == "(":
		d.kind = dLookup
		d.tbl = p.table()
	case t.kind == tOp && t.text == ":":
		p.next()
		d.kind = dDim
		p.dimItems(d)
	case t.kind == tOp && t.text == "<->":
		p.next()
		d.kind = dEquiv
		n := p.next()
		if n.kind != tName {
			p.fail(n.pos, "expected a subscript range after <->, found %s", describe(n))
		}
		d.equiv = n.text
	case t.kind == tKeyword && (t.text == ":THE CONDITION:" || t.text == ":TEST INPUT:"):
		d.kind = dSkip
		return d, nil
	case t.kind == tOp && t.text == ":=" || t.kind == tKeyword && isDataKeyword(t.text):
		// A data equation, with the interpolation keyword before :=.
		if t.kind == tKeyword {
			d.interp = t.text
			p.next()
			if p.peek().kind == tEOF {
				d.noData(p.peek().pos)
				return d, nil
			}
			if !p.isOp(":=") {
				p.fail(p.peek().pos, "expected := after %s, found %s", t.text, describe(p.peek()))
			}
		}
		d.data = true
		p.next()
		d.kind = dEq
		d.rhs = p.expr()
	case t.kind == tEOF:
		d.noData(t.pos)
		return d, nil
	case t.kind == tKeyword:
		p.fail(t.pos, "%s is not supported", t.text)
	default:
		p.fail(t.pos, "expected = after %q, found %s", d.name, describe(t))
	}
	if t := p.peek(); t.kind != tEOF {
		p.fail(t.pos, "unexpected %s after the equation", describe(t))
	}
	return d, nil
}

// noData makes d a data variable without an equation, whose values the
// data files give (reader.dataFile).
func (d *def) noData(pos int) {
	d.kind, d.data, d.noEq = dEq, true, true
	d.rhs = &node{kind: nNum, pos: pos, text: "0"}
}

// isDataKeyword reports whether a keyword is one of the interpolation
// keywords of a data equation (x :RAW: := ...).
func isDataKeyword(k string) bool {
	switch k {
	case ":INTERPOLATE:", ":RAW:", ":HOLD BACKWARD:", ":LOOK FORWARD:":
		return true
	}
	return false
}

// constant evaluates a number, possibly signed.
func (p *parser) constant(n *node) float64 {
	switch n.kind {
	case nNum:
		return n.num
	case nUnary:
		if n.text == "-" {
			return -p.constant(n.x)
		}
		if n.text == "+" {
			return p.constant(n.x)
		}
	case nParen:
		return p.constant(n.x)
	}
	p.fail(n.pos, "a list of values must hold numbers only")
	return 0
}

// subs parses [a, b!, c].
func (p *parser) subs() []sub {
	p.expect("[")
	var out []sub
	for {
		t := p.next()
		if t.kind != tName && t.kind != tNum {
			p.fail(t.pos, "expected a subscript, found %s", describe(t))
		}
		s := sub{text: t.text, key: nameKey(t.text), pos: t.pos}
		if p.isOp("!") {
			p.next()
			s.bang = true
		}
		out = append(out, s)
		if p.isOp("]") {
			p.next()
			return out
		}
		p.expect(",")
	}
}

// dimItems parses the elements and mappings of a subscript range.
func (p *parser) dimItems(d *def) {
	if t := p.peek(); t.kind == tName && strings.HasPrefix(nameKey(t.text), "get ") && p.toks[p.i+1].kind == tOp && p.toks[p.i+1].text == "(" {
		// DimA: GET DIRECT SUBSCRIPT('file', ',', 'A2', 'A', '') -> DimB:
		// the reader reads the elements from the file (subscriptElems).
		n := p.expr()
		if n.kind != nCall {
			p.fail(n.pos, "the GET call gives the range's elements alone: only mappings (-> range) may follow it, not %q", n.text)
		}
		d.getSubs = n
	} else {
		p.elementList(d)
	}
	p.mappingList(d)
}

// elementList parses the elements of a subscript range.
func (p *parser) elementList(d *def) {
	for {
		t := p.peek()
		switch {
		case t.kind == tName || t.kind == tNum:
			p.next()
			d.items = append(d.items, dimItem{names: []string{t.text}})
		case t.kind == tOp && t.text == "(":
			p.next()
			a := p.next()
			p.expect("-")
			b := p.next()
			p.expect(")")
			d.items = append(d.items, dimItem{names: numericRange(p, a, b)})
		case t.kind == tKeyword && t.text == ":EXCEPT:":
			p.fail(t.pos, ":EXCEPT: in a subscript range is not supported")
		default:
			p.fail(t.pos, "expected a subscript element, found %s", describe(t))
		}
		if !p.isOp(",") {
			break
		}
		p.next()
	}
}

// mappingList parses the mappings of a subscript range, -> target or
// -> (target: e1, e2), if any.
func (p *parser) mappingList(d *def) {
	if !p.isOp("->") {
		return
	}
	p.next()
	for {
		if p.isOp("(") {
			p.next()
			t := p.next()
			p.expect(":")
			m := mapping{target: t.text}
			for {
				e := p.next()
				if e.kind != tName && e.kind != tNum {
					p.fail(e.pos, "expected a subscript element, found %s", describe(e))
				}
				m.elems = append(m.elems, e.text)
				if !p.isOp(",") {
					break
				}
				p.next()
			}
			p.expect(")")
			d.mappings = append(d.mappings, m)
		} else {
			t := p.next()
			if t.kind != tName {
				p.fail(t.pos, "expected a subscript range to map to, found %s", describe(t))
			}
			d.mappings = append(d.mappings, mapping{target: t.text})
		}
		if !p.isOp(",") {
			return
		}
		p.next()
	}
}

// maxElements bounds the elements of a range and of an arrayed variable,
// so that a malformed file cannot make the reader run for ever.
const maxElements = 10000

// numericRange expands (p1-p5) or (1-5) into its elements.
func numericRange(p *parser, a, b tok) []string {
	pa, na := splitNumber(a.text)
	pb, nb := splitNumber(b.text)
	if na < 0 || nb < 0 || !strings.EqualFold(pa, pb) || nb < na || nb-na >= maxElements {
		p.fail(a.pos, "malformed subscript range (%s-%s): want (x1-x9) or (1-9)", a.text, b.text)
	}
	var out []string
	for n := na; n <= nb; n++ {
		out = append(out, pa+strconv.Itoa(n))
	}
	return out
}

// splitNumber splits "p12" into "p" and 12; -1 when there is no number.
func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) || len(s)-i > 9 {
		return s, -1
	}
	n, _ := strconv.Atoi(s[i:])
	return s[:i], n
}

// table parses a lookup's ( [(x0,y0)-(x1,y1), ...], (x,y), ... ).
func (p *parser) table() *table {
	open := p.expect("(")
	tb := &table{}
	if t := p.peek(); t.kind == tName && strings.HasPrefix(nameKey(t.text), "get ") {
		// name(GET XLS LOOKUPS(...)): the reader reads the file (external).
		tb.get = p.expr()
		p.expect(")")
		return tb
	}
	if p.isOp("[") {
		depth := 0
		for {
			t := p.next()
			if t.kind == tEOF {
				p.fail(open.pos, "unclosed [ in the lookup's range")
			}
			if t.kind == tOp && t.text == "[" {
				depth++
			}
			if t.kind == tOp && t.text == "]" {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if p.isOp(",") {
			p.next()
		}
	}
	if !p.isOp("(") {
		// Vensim's other form: x1, x2, ..., y1, y2, ...
		var vals []float64
		for {
			vals = append(vals, p.signed())
			if !p.isOp(",") {
				break
			}
			p.next()
		}
		p.expect(")")
		if len(vals)%2 != 0 {
			p.fail(open.pos, "a lookup given as x values then y values needs as many of each")
		}
		n := len(vals) / 2
		for k := 0; k < n; k++ {
			tb.points = append(tb.points, [2]float64{vals[k], vals[n+k]})
		}
		return tb
	}
	for {
		p.expect("(")
		x := p.signed()
		p.expect(",")
		y := p.signed()
		p.expect(")")
		tb.points = append(tb.points, [2]float64{x, y})
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	p.expect(")")
	sort.SliceStable(tb.points, func(i, j int) bool { return tb.points[i][0] < tb.points[j][0] })
	return tb
}

// signed parses a number with an optional sign.
func (p *parser) signed() float64 {
	sign := 1.0
	for p.isOp("-") || p.isOp("+") {
		if p.next().text == "-" {
			sign = -sign
		}
	}
	t := p.next()
	if t.kind != tNum {
		p.fail(t.pos, "expected a number, found %s", describe(t))
	}
	return sign * t.num
}

// Expressions, loosest first: :OR:, :AND:, :NOT:, comparisons, + -,
// * /, unary - +, ^ (grouped to the right, its exponent may be signed),
// primaries. As in Vensim, -2^2 is -4 and 4^3^2 is 4^9.
func (p *parser) expr() *node { return p.or() }

func (p *parser) or() *node {
	x := p.and()
	for p.isKw(":OR:") {
		t := p.next()
		x = &node{kind: nBinary, pos: t.pos, text: "or", x: x, y: p.and()}
	}
	return x
}

func (p *parser) and() *node {
	x := p.not()
	for p.isKw(":AND:") {
		t := p.next()
		x = &node{kind: nBinary, pos: t.pos, text: "and", x: x, y: p.not()}
	}
	return x
}

func (p *parser) not() *node {
	if p.isKw(":NOT:") {
		t := p.next()
		return &node{kind: nUnary, pos: t.pos, text: "not", x: p.not()}
	}
	return p.cmp()
}

func (p *parser) cmp() *node {
	x := p.add()
	for {
		t := p.peek()
		if t.kind != tOp {
			return x
		}
		switch t.text {
		case "=", "<>", "<", ">", "<=", ">=":
			p.next()
			x = &node{kind: nBinary, pos: t.pos, text: t.text, x: x, y: p.add()}
		default:
			return x
		}
	}
}

func (p *parser) add() *node {
	x := p.mul()
	for p.isOp("+") || p.isOp("-") {
		t := p.next()
		x = &node{kind: nBinary, pos: t.pos, text: t.text, x: x, y: p.mul()}
	}
	return x
}

func (p *parser) mul() *node {
	x := p.pow()
	for p.isOp("*") || p.isOp("/") {
		t := p.next()
		x = &node{kind: nBinary, pos: t.pos, text: t.text, x: x, y: p.pow()}
	}
	return x
}

func (p *parser) pow() *node {
	if p.isOp("-") || p.isOp("+") {
		t := p.next()
		return &node{kind: nUnary, pos: t.pos, text: t.text, x: p.pow()}
	}
	x := p.primary()
	if p.isOp("^") {
		t := p.next()
		x = &node{kind: nBinary, pos: t.pos, text: "^", x: x, y: p.pow()}
	}
	return x
}

func (p *parser) primary() *node {
	t := p.next()
	switch {
	case t.kind == tNum:
		return &node{kind: nNum, pos: t.pos, num: t.num, text: t.text}
	case t.kind == tKeyword && t.text == ":NA:":
		return &node{kind: nNA, pos: t.pos}
	case t.kind == tStr:
		return &node{kind: nStr, pos: t.pos, text: t.text}
	case t.kind == tOp && t.text == "(":
		x := p.expr()
		p.expect(")")
		return &node{kind: nParen, pos: t.pos, x: x}
	case t.kind == tName:
		n := &node{kind: nRef, pos: t.pos, text: t.text, key: nameKey(t.text)}
		if p.isOp("[") {
			n.subs = p.subs()
		}
		if !p.isOp("(") {
			return n
		}
		n.kind = nCall
		switch n.key {
		case "tabbed array":
			return p.tabbed(n)
		case "with lookup":
			p.next()
			n.args = []*node{p.expr()}
			p.expect(",")
			n.tbl = p.table()
			p.expect(")")
			return n
		}
		p.next()
		if p.isOp(")") {
			p.next()
			return n
		}
		for {
			n.args = append(n.args, p.expr())
			if p.isOp(":") {
				// A macro's extra outputs: f(a, b : out1, out2).
				p.next()
				for {
					t := p.next()
					if t.kind != tName {
						p.fail(t.pos, "expected the name of a variable to receive a macro output, found %s", describe(t))
					}
					n.outs = append(n.outs, &node{kind: nRef, pos: t.pos, text: t.text, key: nameKey(t.text)})
					if !p.isOp(",") {
						break
					}
					p.next()
				}
				p.expect(")")
				return n
			}
			if p.isOp(")") {
				p.next()
				return n
			}
			p.expect(",")
		}
	}
	p.fail(t.pos, "expected an expression, found %s", describe(t))
	return nil
}

// tabbed parses TABBED ARRAY( numbers separated by white space ).
func (p *parser) tabbed(n *node) *node {
	p.expect("(")
	n.kind = nTabbed
	for !p.isOp(")") {
		n.nums = append(n.nums, p.signed())
	}
	p.next()
	return n
}
