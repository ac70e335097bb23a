package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
)

// System is a model's units language: the built-in names, the model's
// [units] table, and the spelling the model first gives each base unit.
// It is not safe for concurrent use (Parse records spellings).
type System struct {
	defs    map[string]*unitDef // by key
	display map[string]string   // base unit key → first spelling
}

// unitDef is a name the system knows: a built-in alias or scale word,
// or an entry of the model's [units] table.
type unitDef struct {
	name  string
	text  string // the definition, in the units language
	pos   syntax.Pos
	key   string // the entry's key in the file, "units.month"
	u     Units
	state uint8 // 0 not resolved yet, 1 being resolved, 2 resolved
	base  bool  // defined as itself: a base unit of its own
	user  bool  // an entry of the model's [units] table
}

// builtinDefs are the names every model knows. Each maps to a definition
// in the units language; "" is dimensionless.
var builtinDefs = []struct{ name, def string }{
	{"dmnl", ""}, {"dimensionless", ""}, {"unitless", ""}, {"fraction", ""},
	{"share", ""}, {"index", ""}, {"ratio", ""},
	{"percent", "0.01"}, {"%", "0.01"},
	{"hundred", "100"}, {"thousand", "1e3"}, {"million", "1e6"}, {"billion", "1e9"}, {"trillion", "1e12"},
}

// synonyms are names that are the same unit: their keys are the same.
var synonyms = map[string]string{
	"people": "person", "persons": "person",
	"yr": "year", "yrs": "year", "wk": "week", "wks": "week",
	"h": "hour", "hr": "hour", "hrs": "hour", "min": "minute", "mins": "minute",
	"s": "second", "sec": "second", "secs": "second",
}

// NewSystem returns the units language of a model whose [units] table is
// defs. Each entry's definition is parsed when the entry is first used
// (or by Resolve), so that entries may refer to each other in any order.
// It returns an error for each name defined twice.
func NewSystem(defs []*decl.UnitDef) (*System, syntax.ErrorList) {
	s := &System{defs: make(map[string]*unitDef), display: make(map[string]string)}
	for _, b := range builtinDefs {
		s.defs[b.name] = &unitDef{name: b.name, text: b.def}
	}
	var errs syntax.ErrorList
	seen := make(map[string]*decl.UnitDef)
	for _, d := range defs {
		k := Key(d.Name)
		if k == "" {
			errs.Addf(d.Pos, d.Key, "units: %q is not a unit name: a name is letters, digits, _, $ or %%, and does not start with a digit", d.Name)
			continue
		}
		if prev := seen[k]; prev != nil {
			errs.Addf(d.Pos, d.Key, "units: unit %q is defined twice: as %q here and as %q at %s", d.Name, d.Def, prev.Def, prev.Pos)
			continue
		}
		seen[k] = d
		s.defs[k] = &unitDef{name: d.Name, text: d.Def, pos: d.Pos, key: d.Key, user: true, base: Key(strings.TrimSpace(d.Def)) == k}
	}
	return s, errs
}

// Resolve parses every entry of the model's [units] table, returning an
// error for each that does not parse or is defined in terms of itself.
func (s *System) Resolve() syntax.ErrorList {
	var errs syntax.ErrorList
	for _, d := range s.sortedDefs() {
		if !d.user {
			continue
		}
		if _, err := s.resolve(d); err != nil {
			errs.Addf(d.pos, d.key, "units: %v", err)
		}
	}
	return errs
}

func (s *System) sortedDefs() []*unitDef {
	var ds []*unitDef
	for _, d := range s.defs {
		ds = append(ds, d)
	}
	slicesSortDefs(ds)
	return ds
}

// resolve returns the units d stands for.
func (s *System) resolve(d *unitDef) (Units, error) {
	switch d.state {
	case 2:
		return d.u, nil
	case 1:
		return Units{}, fmt.Errorf("unit %q is defined in terms of itself", d.name)
	}
	if d.base {
		d.state, d.u = 2, s.baseUnit(d.name)
		return d.u, nil
	}
	d.state = 1
	u, err := s.Parse(d.text)
	if err != nil {
		d.state = 0
		return Units{}, fmt.Errorf("%s = %q: %v", d.name, d.text, err)
	}
	d.state, d.u = 2, u
	return u, nil
}

func (s *System) baseUnit(name string) Units {
	k := Key(name)
	if _, ok := s.display[k]; !ok {
		s.display[k] = name
	}
	return Units{Scale: 1, Factors: []Factor{{Key: k, Name: s.display[k], Pow: 1}}}
}

// Key returns the key a unit name is matched by: lower case and singular
// ("Years" → "year", "boxes" → "box", "commodities" → "commodity"), with
// the synonyms people, persons and person made one, and yr, wk, h, hr,
// min, s and sec the same as year, week, hour, minute and second; or ""
// when name is not a unit name.
func Key(name string) string {
	if name == "" {
		return ""
	}
	for i, r := range name {
		if !isNameRune(r, i == 0) {
			return ""
		}
	}
	k := strings.ToLower(name)
	if s, ok := synonyms[k]; ok {
		return s
	}
	n := len(k)
	switch {
	case n > 4 && strings.HasSuffix(k, "ies"):
		return k[:n-3] + "y"
	case n > 3 && (strings.HasSuffix(k, "xes") || strings.HasSuffix(k, "ches") || strings.HasSuffix(k, "shes") || strings.HasSuffix(k, "sses")):
		return k[:n-2]
	case n > 3 && strings.HasSuffix(k, "s") && !strings.HasSuffix(k, "ss") && !strings.HasSuffix(k, "us") && !strings.HasSuffix(k, "is"):
		return k[:n-1]
	}
	return k
}

// isNameRune reports whether r may be part of a unit name (first: may
// begin one).
func isNameRune(r rune, first bool) bool {
	switch {
	case unicode.IsLetter(r), r == '_', r == '$', r == '%', r == '€', r == '£', r == '¥':
		return true
	case unicode.IsDigit(r), r == '.', r == '-':
		return !first
	}
	return false
}

// ParseError is a unit string that does not parse: Off is the byte
// offset in the string where the problem is.
type ParseError struct {
	Off int
	Msg string
}

func (e *ParseError) Error() string { return e.Msg }

// Parse reads a unit string. The language (docs/units.md):
//
//	units   = product | ""                     ("" is dimensionless)
//	product = factor { [ "*" | "/" | "per" ] factor }   (juxtaposition multiplies)
//	factor  = primary [ "^" integer ]
//	primary = name | number | "(" product ")"
//
// "/" and "per" divide by the one factor that follows: "Mt/year/year" is
// Mt per year squared. A name is a built-in one (dmnl, %, million, ...),
// one of the model's [units] table, or else a base unit of its own;
// names match without regard to case or a plural s. A parenthesised
// note holding "=" is a comment: "index (2024 = 1)" is index.
func (s *System) Parse(text string) (Units, error) {
	p := &unitParser{s: s, src: text}
	p.next()
	if p.tok == tEOF {
		return Dimensionless(), nil
	}
	u, err := p.product()
	if err != nil {
		return Units{}, err
	}
	if p.tok != tEOF {
		return Units{}, p.errorf("unexpected %s", p.describe())
	}
	return u, nil
}

// The tokens of the units language.
const (
	tEOF = iota
	tName
	tNum
	tMul
	tDiv
	tPow
	tLparen
	tRparen
	tBad
)

type unitParser struct {
	s      *System
	src    string
	off    int    // offset of the current token
	end    int    // offset after it
	tok    int    // its kind
	text   string // its text
	depth  int
	parsed int // factors parsed, to bound the work on hostile input
}

func (p *unitParser) errorf(format string, args ...any) error {
	return &ParseError{Off: p.off, Msg: fmt.Sprintf(format, args...)}
}

func (p *unitParser) describe() string {
	switch p.tok {
	case tEOF:
		return "end of units"
	case tBad:
		return fmt.Sprintf("character %q", p.text)
	}
	return fmt.Sprintf("%q", p.text)
}

// next reads the next token, skipping white space and notes in
// parentheses that hold "=".
func (p *unitParser) next() {
	i := p.end
	for i < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	p.off = i
	if i >= len(p.src) {
		p.tok, p.text, p.end = tEOF, "", i
		return
	}
	c := p.src[i]
	single := func(t int) { p.tok, p.text, p.end = t, p.src[i:i+1], i+1 }
	if r, n := utf8.DecodeRuneInString(p.src[i:]); r == '·' || r == '×' {
		p.tok, p.text, p.end = tMul, p.src[i:i+n], i+n
		return
	}
	switch {
	case c == '*':
		single(tMul)
	case c == '/':
		single(tDiv)
	case c == '^':
		single(tPow)
	case c == '(':
		if j := strings.IndexByte(p.src[i:], ')'); j > 0 && strings.Contains(p.src[i:i+j], "=") {
			p.end = i + j + 1 // a note: (2024 = 1)
			p.next()
			return
		}
		single(tLparen)
	case c == ')':
		single(tRparen)
	case c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+':
		j := i + 1
		for j < len(p.src) && (isDigit(p.src[j]) || p.src[j] == '.' || (p.src[j] == 'e' || p.src[j] == 'E') && j+1 < len(p.src) && (isDigit(p.src[j+1]) || p.src[j+1] == '-' || p.src[j+1] == '+') || (p.src[j] == '-' || p.src[j] == '+') && (p.src[j-1] == 'e' || p.src[j-1] == 'E')) {
			j++
		}
		p.tok, p.text, p.end = tNum, p.src[i:j], j
	default:
		r, n := utf8.DecodeRuneInString(p.src[i:])
		if !isNameRune(r, true) {
			p.tok, p.text, p.end = tBad, p.src[i:i+n], i+n
			return
		}
		j := i + n
		for j < len(p.src) {
			r, n := utf8.DecodeRuneInString(p.src[j:])
			if !isNameRune(r, false) {
				break
			}
			j += n
		}
		p.tok, p.text, p.end = tName, p.src[i:j], j
		if strings.EqualFold(p.text, "per") {
			p.tok = tDiv
		}
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// maxFactors bounds the factors of one unit string, maxPower the power of
// a base unit in it.
const (
	maxFactors = 1000
	maxPower   = 1000
)

func (p *unitParser) product() (Units, error) {
	u, err := p.factor()
	if err != nil {
		return Units{}, err
	}
	for {
		switch p.tok {
		case tMul, tDiv:
			op := p.tok
			p.next()
			v, err := p.factor()
			if err != nil {
				return Units{}, err
			}
			if op == tMul {
				u = u.Mul(v)
			} else {
				u = u.Div(v)
			}
		case tName, tNum, tLparen:
			v, err := p.factor()
			if err != nil {
				return Units{}, err
			}
			u = u.Mul(v)
		default:
			return u, nil
		}
	}
}

func (p *unitParser) factor() (Units, error) {
	if p.parsed++; p.parsed > maxFactors {
		return Units{}, p.errorf("more than %d factors in one unit string", maxFactors)
	}
	var u Units
	switch p.tok {
	case tName:
		d, err := p.name(p.text)
		if err != nil {
			return Units{}, err
		}
		u = d
		p.next()
	case tNum:
		f, err := strconv.ParseFloat(p.text, 64)
		if err != nil || !(f > 0) || math.IsInf(f, 0) {
			return Units{}, p.errorf("%q is not a positive number", p.text)
		}
		u = Units{Scale: f}
		p.next()
	case tLparen:
		if p.depth++; p.depth > 20 {
			return Units{}, p.errorf("parentheses nest too deep")
		}
		p.next()
		v, err := p.product()
		if err != nil {
			return Units{}, err
		}
		if p.tok != tRparen {
			return Units{}, p.errorf("expected \")\", got %s", p.describe())
		}
		p.depth--
		u = v
		p.next()
	default:
		return Units{}, p.errorf("expected a unit name, a number or \"(\", got %s", p.describe())
	}
	if p.tok == tPow {
		p.next()
		if p.tok != tNum {
			return Units{}, p.errorf("expected a whole number after \"^\", got %s", p.describe())
		}
		n, err := strconv.Atoi(p.text)
		if err != nil || n < -100 || n > 100 {
			return Units{}, p.errorf("the power %q is not a whole number from -100 to 100", p.text)
		}
		u = u.Pow(n)
		p.next()
	}
	if math.IsInf(u.Scale, 0) || u.Scale == 0 || math.IsNaN(u.Scale) {
		return Units{}, p.errorf("the scale of these units is out of range")
	}
	for _, f := range u.Factors {
		if f.Pow > maxPower || f.Pow < -maxPower {
			return Units{}, p.errorf("a power of %s beyond %d", f.Name, maxPower)
		}
	}
	return u, nil
}

// name returns the units a name stands for.
func (p *unitParser) name(name string) (Units, error) {
	k := Key(name)
	d := p.s.defs[k]
	if d == nil {
		return p.s.baseUnit(name), nil
	}
	u, err := p.s.resolve(d)
	if err != nil {
		return Units{}, &ParseError{Off: p.off, Msg: err.Error()}
	}
	return u, nil
}

// slicesSortDefs sorts definitions by name, for a deterministic order.
func slicesSortDefs(ds []*unitDef) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].name < ds[j-1].name; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}
