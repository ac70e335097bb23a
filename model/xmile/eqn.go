package xmile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model/syntax"
)

// resolver turns the names written in an equation into declared names.
type resolver interface {
	// value returns the declared name of the variable called name.
	value(name string) (string, bool)
	// function returns the declared name of the lookup called name, when
	// name is called as a function.
	function(name string) (string, bool)
	// subscript returns the declared name of a dimension or element.
	subscript(name string) (string, bool)
	// dimension returns the declared name of the dimension called name.
	dimension(name string) (string, bool)
	// position returns the position (from 1) of the element called elem
	// in the dimension called dim.
	position(dim, elem string) (int, bool)
}

// dialect holds the vendor-dependent meanings of an equation.
type dialect struct {
	// vensim: INT truncates toward zero and MOD takes the dividend's sign
	// (integer and modulo); otherwise INT is floor and MOD floored, as
	// XMILE 1.0 defines them.
	vensim bool
}

// translator rewrites one XMILE equation into stockflow's syntax, keeping
// for each byte it writes the source offset it came from.
type translator struct {
	text string
	offs []int // source offset of each byte of text, and one past the end
	res  resolver
	d    dialect
	self string // the declared name of the variable being defined, for SELF
	// selfDims are the declared dimensions of the variable being defined:
	// x[*:Sub] over one of them would be bound, not reduced.
	selfDims []string

	out  []byte
	omap []int
	safe map[int]bool // source offsets of Stella's safe division, //
	err  error        // the first construct refused
}

// translate returns the stockflow text of the XMILE equation text, whose
// bytes come from the source offsets offs (len(text)+1 entries), and the
// source offset of each byte of the result (len+1 entries). A lexical
// error is a *syntax.ParseError with an offset into text. Stella's safe
// division a // b is written a / b, and the source offset of each such /
// is in safe, for rewrite to make it safediv(a, b).
//
// self is the declared name of the variable the equation defines: Stella's
// SELF (in PREVIOUS(SELF, init)) stands for it.
//
// A subrange wildcard x[*:Sub] is written x[Sub], which stockflow reduces
// over Sub's elements inside an array function (docs/xmile.md); selfDims,
// the dimensions of the variable being defined, may not include Sub.
func translate(text string, offs []int, res resolver, d dialect, self string, selfDims []string) (string, []int, map[int]bool, error) {
	t := &translator{text: text, offs: offs, res: res, d: d, self: self, selfDims: selfDims}
	if err := t.run(); err != nil {
		return "", nil, nil, err
	}
	t.omap = append(t.omap, offs[len(text)])
	return string(t.out), t.omap, t.safe, nil
}

func (t *translator) copy(i, j int) {
	t.out = append(t.out, t.text[i:j]...)
	t.omap = append(t.omap, t.offs[i:j]...)
}

// emit writes s in place of text[i:j].
func (t *translator) emit(s string, i, j int) {
	if len(s) == j-i {
		t.out = append(t.out, s...)
		t.omap = append(t.omap, t.offs[i:j]...)
		return
	}
	for k := 0; k < len(s); k++ {
		t.out = append(t.out, s[k])
		t.omap = append(t.omap, t.offs[i])
	}
}

func (t *translator) run() error {
	text := t.text
	depth := 0
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '{':
			j := strings.IndexByte(text[i:], '}')
			if j < 0 {
				return &syntax.ParseError{Offset: i, Msg: `unterminated comment: "{" has no matching "}"`}
			}
			t.emit(" ", i, i+j+1)
			i += j + 1
		case c == '"':
			j, name, ok := quoted(text, i)
			if !ok {
				return &syntax.ParseError{Offset: i, Msg: `unterminated quoted name: '"' has no matching '"'`}
			}
			t.name(name, i, j, true, depth > 0)
			i = j
		case isDigit(c) || c == '.' && i+1 < len(text) && isDigit(text[i+1]):
			j := number(text, i)
			t.copy(i, j)
			i = j
		case c == '*' && depth > 0 && next(text, i+1) == ':':
			j, err := t.subrange(i)
			if err != nil {
				return err
			}
			i = j
		case c == ':' && depth > 0:
			return &syntax.ParseError{Offset: i, Msg: "a subrange is written [*:SubRange], a * before the colon and a dimension after it"}
		case c == '[':
			depth++
			t.copy(i, i+1)
			i++
		case c == ']':
			depth--
			t.copy(i, i+1)
			i++
		case c == '/' && i+1 < len(text) && text[i+1] == '/':
			if t.safe == nil {
				t.safe = map[int]bool{}
			}
			t.safe[t.offs[i]] = true
			t.emit("/", i, i+2)
			i += 2
		case c < utf8.RuneSelf && !isLetter(rune(c)):
			t.copy(i, i+1)
			i++
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isLetter(r) {
				t.copy(i, i+size)
				i += size
				continue
			}
			j := ident(text, i)
			t.name(text[i:j], i, j, false, depth > 0)
			if t.err != nil {
				return t.err
			}
			i = j
		}
	}
	return nil
}

// subrange writes the subrange wildcard *:Sub at text[i] as the
// dimension's name and returns the offset past it.
func (t *translator) subrange(i int) (int, error) {
	text := t.text
	j := strings.IndexByte(text[i:], ':') + i + 1
	for j < len(text) && isSpace(text[j]) {
		j++
	}
	var raw string
	end := j
	switch {
	case j < len(text) && text[j] == '"':
		k, name, ok := quoted(text, j)
		if !ok {
			return 0, &syntax.ParseError{Offset: j, Msg: `unterminated quoted name: '"' has no matching '"'`}
		}
		raw, end = name, k
	default:
		if r, _ := utf8.DecodeRuneInString(text[j:]); j < len(text) && isLetter(r) {
			end = ident(text, j)
			raw = text[j:end]
		}
	}
	if raw == "" {
		return 0, &syntax.ParseError{Offset: i, Msg: "[*:] needs the name of a dimension after the colon: [*:SubRange]"}
	}
	d, ok := t.res.dimension(raw)
	if !ok {
		return 0, &syntax.ParseError{Offset: j, Msg: fmt.Sprintf("[*:%s]: %s is not a dimension", raw, raw)}
	}
	for _, sd := range t.selfDims {
		if sd == d {
			return 0, &syntax.ParseError{Offset: i, Msg: fmt.Sprintf("[*:%s] in an equation of a variable arrayed over %s is not supported: stockflow would read %s as the element being defined; sum over another dimension, or give the variable another dimension", raw, d, d)}
		}
	}
	t.emit(d, i, end)
	return end, nil
}

// quoted scans the quoted name starting at text[i] == '"' and returns the
// offset past its closing quote and the name with escapes read.
func quoted(text string, i int) (int, string, bool) {
	var b strings.Builder
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			if j+1 < len(text) {
				j++
				if text[j] == 'n' {
					b.WriteByte('\n')
				} else {
					b.WriteByte(text[j])
				}
			}
		case '"':
			return j + 1, b.String(), true
		default:
			b.WriteByte(text[j])
		}
	}
	return 0, "", false
}

// number returns the end of the number literal at text[i].
func number(text string, i int) int {
	j := i
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	if j < len(text) && text[j] == '.' {
		j++
		for j < len(text) && isDigit(text[j]) {
			j++
		}
	}
	if j < len(text) && (text[j] == 'e' || text[j] == 'E') {
		k := j + 1
		if k < len(text) && (text[k] == '+' || text[k] == '-') {
			k++
		}
		if k < len(text) && isDigit(text[k]) {
			j = k
			for j < len(text) && isDigit(text[j]) {
				j++
			}
		}
	}
	return j
}

// ident returns the end of the bare name at text[i]: letters, digits, _
// and $, and dots between name parts (a module's variable: hares.births).
func ident(text string, i int) int {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if isLetter(r) || unicode.IsDigit(r) || r == '$' {
			j += size
			continue
		}
		if r == '.' && j+1 < len(text) {
			if r2, _ := utf8.DecodeRuneInString(text[j+1:]); isLetter(r2) {
				j++
				continue
			}
		}
		break
	}
	return j
}

// next returns the first byte after text[i:] that is not white space or
// inside a comment, or 0.
func next(text string, i int) byte {
	for i < len(text) {
		switch c := text[i]; {
		case isSpace(c):
			i++
		case c == '{':
			j := strings.IndexByte(text[i:], '}')
			if j < 0 {
				return 0
			}
			i += j + 1
		default:
			return c
		}
	}
	return 0
}

// modCall is the name the translator gives XMILE's function form of MOD
// until rewrite replaces it.
const modCall = "MOD__xmile"

// builtinValues are the builtins read as values, without parentheses.
var builtinValues = map[string]bool{"time": true, "dt": true, "starttime": true, "stoptime": true, "pi": true, "inf": true}

// name writes the name text[i:j] (raw is the name, unquoted).
func (t *translator) name(raw string, i, j int, isQuoted, inBrackets bool) {
	lower := strings.ToLower(raw)
	if !isQuoted && lower == "mod" && next(t.text, j) == '(' && !afterOperand(t.text, i) {
		// The function form MOD(a, b): a name the parser takes, which
		// rewrite turns into stockflow's form.
		t.emit(modCall, i, j)
		return
	}
	if !isQuoted {
		for _, kw := range keywords {
			if lower == kw {
				t.copy(i, j)
				return
			}
		}
	}
	if !isQuoted && lower == "self" && t.self != "" {
		if _, ok := t.res.value(raw); !ok {
			t.emit(t.self, i, j)
			return
		}
	}
	if callee(t.text, i) == "lookup" {
		// LOOKUP(g, x): g names a graphical function, a <gf> or a
		// variable with one inside.
		if s, ok := t.res.function(raw); ok {
			t.emit(s, i, j)
			return
		}
	}
	if next(t.text, j) == '(' {
		if s, ok := t.res.function(raw); ok {
			t.emit(s, i, j)
			return
		}
		switch {
		case lower == "int" && t.d.vensim:
			t.emit("integer", i, j)
		case !isQuoted && validIdent(raw):
			t.copy(i, j)
		default:
			t.emit(canon(raw), i, j)
		}
		return
	}
	if inBrackets {
		if s, ok := t.res.subscript(raw); ok {
			t.emit(s, i, j)
			return
		}
	}
	if s, ok := t.res.value(raw); ok {
		t.emit(s, i, j)
		return
	}
	if d, e, ok := strings.Cut(raw, "."); ok && !isQuoted {
		// A dimension's element used as a value, Location.Boston: its
		// position in the dimension, from 1, as XMILE 1.0 has it.
		if _, isDim := t.res.dimension(d); isDim {
			if n, ok := t.res.position(d, e); ok {
				t.emit(strconv.Itoa(n), i, j)
				return
			}
			t.err = &syntax.ParseError{Offset: i, Msg: fmt.Sprintf("%s: dimension %s has no element %s", raw, d, e)}
			return
		}
	}
	if builtinValues[lower] && !isQuoted {
		t.copy(i, j)
		return
	}
	// Unknown: written so that the compiler can name it.
	t.emit(canon(raw), i, j)
}

// callee returns, in lower case, the name of the function whose first
// argument starts at text[i] ("lookup" for "LOOKUP( g"), or "".
func callee(text string, i int) string {
	for i > 0 && isSpace(text[i-1]) {
		i--
	}
	if i == 0 || text[i-1] != '(' {
		return ""
	}
	i--
	for i > 0 && isSpace(text[i-1]) {
		i--
	}
	j := i
	for j > 0 && (text[j-1] == '_' || isDigit(text[j-1]) || isLetter(rune(text[j-1]))) {
		j--
	}
	return strings.ToLower(text[j:i])
}

// afterOperand reports whether text[:i] ends with an operand (a name
// other than a keyword, a number, or a closing bracket or quote), so that
// a MOD at i is the infix operator, as in "x MOD (n + 1)", not a call.
func afterOperand(text string, i int) bool {
	for i > 0 && isSpace(text[i-1]) {
		i--
	}
	if i == 0 {
		return false
	}
	switch c := text[i-1]; {
	case c == ')' || c == ']' || c == '"':
		return true
	case c == '_' || c == '.' || isDigit(c) || isLetter(rune(c)) || c >= utf8.RuneSelf:
		j := i
		for j > 0 && (text[j-1] == '_' || isDigit(text[j-1]) || isLetter(rune(text[j-1])) || text[j-1] >= utf8.RuneSelf) {
			j--
		}
		word := strings.ToLower(text[j:i])
		for _, kw := range keywords {
			if word == kw {
				return false
			}
		}
		return true
	}
	return false
}

// validIdent reports whether s is a name in stockflow's syntax.
func validIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && isDigit(c)) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '_'
	}
	return unicode.IsLetter(r)
}

// splitList splits an arrayed variable's list of element values, "1, 2,
// 3", at its top-level commas, and a two-dimensional list, "1, 2; 3, 4",
// at its semicolons too (a trailing ; is dropped). It returns nil when
// there is no such separator.
func splitList(text string) [][2]int {
	var parts [][2]int
	depth, start := 0, 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case '{':
			if j := strings.IndexByte(text[i:], '}'); j >= 0 {
				i += j
			}
		case '"':
			if j, _, ok := quoted(text, i); ok {
				i = j - 1
			}
		case ',', ';':
			if depth == 0 {
				parts = append(parts, [2]int{start, i})
				start = i + 1
			}
		}
	}
	if parts == nil {
		return nil
	}
	if strings.TrimSpace(text[start:]) == "" && text[parts[len(parts)-1][1]] == ';' {
		return parts // a trailing ; ends the last row
	}
	return append(parts, [2]int{start, len(text)})
}

// rewrite returns the text of x with the vendor's MOD, the function form
// MOD(a, b) and the safe divisions (the / whose source offsets are in
// safe) written in stockflow's syntax, and the map of the new text, or ok
// false when nothing needs rewriting.
func rewrite(text string, omap []int, x syntax.Expr, d dialect, safe map[int]bool) (string, []int, bool) {
	need := false
	f := former{d: d, omap: omap, safe: safe}
	syntax.Walk(x, func(e syntax.Expr) bool {
		if f.form(e) != 0 {
			need = true
		}
		return !need
	})
	if !need {
		return "", nil, false
	}
	s := &splicer{text: text, omap: omap, f: f}
	s.copy(0, x.Start())
	s.node(x)
	s.copy(x.End(), len(text))
	s.nmap = append(s.nmap, omap[len(text)])
	return string(s.out), s.nmap, true
}

// former decides how rewrite writes each node.
type former struct {
	d    dialect
	omap []int        // source offset of each byte of the text
	safe map[int]bool // source offsets of the safe divisions
}

// form returns 1 for a binary mod to be written modulo(a, b), 2 for a
// call mod(a, b) to be written modulo(a, b), 3 for a call mod(a, b) to be
// written ((a) mod (b)), 4 for a safe division a // b to be written
// safediv(a, b), 5 for a call mean(a, b, ...) of several arguments to be
// written (((a) + (b) + ...) / n), and 0 for anything else.
func (f former) form(e syntax.Expr) int {
	d := f.d
	switch e := e.(type) {
	case *syntax.Binary:
		if e.Op == syntax.MOD && d.vensim {
			return 1
		}
		if e.Op == syntax.QUO && e.OpAt < len(f.omap) && f.safe[f.omap[e.OpAt]] {
			return 4
		}
	case *syntax.Call:
		if strings.EqualFold(e.Fn.Name, "mean") && len(e.Args) >= 2 {
			return 5
		}
		if e.Fn.Name == modCall && len(e.Args) == 2 {
			if d.vensim {
				return 2
			}
			return 3
		}
	}
	return 0
}

type splicer struct {
	text string
	omap []int
	f    former
	out  []byte
	nmap []int
}

func (s *splicer) copy(i, j int) {
	if j < i {
		return
	}
	s.out = append(s.out, s.text[i:j]...)
	s.nmap = append(s.nmap, s.omap[i:j]...)
}

func (s *splicer) lit(str string, at int) {
	at = max(0, min(at, len(s.omap)-1))
	for k := 0; k < len(str); k++ {
		s.out = append(s.out, str[k])
		s.nmap = append(s.nmap, s.omap[at])
	}
}

func (s *splicer) node(x syntax.Expr) {
	var a, b syntax.Expr
	switch s.f.form(x) {
	case 1, 4:
		e := x.(*syntax.Binary)
		a, b = e.X, e.Y
		fn := "modulo("
		if s.f.form(x) == 4 {
			fn = "safediv("
		}
		s.lit(fn, e.OpAt)
		s.node(a)
		s.lit(", ", e.OpAt)
		s.node(b)
		s.lit(")", e.OpAt)
		return
	case 2, 3:
		e := x.(*syntax.Call)
		a, b = e.Args[0], e.Args[1]
		open, mid, end := "modulo(", ", ", ")"
		if s.f.form(x) == 3 {
			open, mid, end = "((", ") mod (", "))"
		}
		s.lit(open, e.Fn.At)
		s.node(a)
		s.lit(mid, e.Fn.At)
		s.node(b)
		s.lit(end, e.Rparen)
		return
	case 5:
		e := x.(*syntax.Call)
		s.lit("(((", e.Fn.At)
		for k, a := range e.Args {
			if k > 0 {
				s.lit(") + (", a.Start())
			}
			s.node(a)
		}
		s.lit(fmt.Sprintf(")) / %d)", len(e.Args)), e.Rparen)
		return
	}
	pos := x.Start()
	for _, c := range children(x) {
		s.copy(pos, c.Start())
		s.node(c)
		pos = c.End()
	}
	s.copy(pos, x.End())
}

// children returns x's sub-expressions in source order, leaving out the
// names of functions and indexed variables.
func children(x syntax.Expr) []syntax.Expr {
	switch x := x.(type) {
	case *syntax.Unary:
		return []syntax.Expr{x.X}
	case *syntax.Binary:
		return []syntax.Expr{x.X, x.Y}
	case *syntax.Paren:
		return []syntax.Expr{x.X}
	case *syntax.Call:
		return x.Args
	case *syntax.Index:
		return x.Subs
	case *syntax.If:
		return []syntax.Expr{x.Cond, x.Then, x.Else}
	}
	return nil
}
