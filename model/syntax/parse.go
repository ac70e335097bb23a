package syntax

import (
	"errors"
	"fmt"
	"strconv"
)

// ParseError is an error in an equation's text, at byte offset Offset.
type ParseError struct {
	Offset int // in [0, len(src)]
	Msg    string
}

// Error formats the error as "offset N: msg".
func (e *ParseError) Error() string {
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}

// maxDepth is the deepest nesting of parentheses, prefix operators, powers
// and ifs that Parse accepts.
const maxDepth = 1000

// Parse parses one equation. On failure it returns a *ParseError (the
// first error).
func Parse(src string) (Expr, error) {
	p := parser{sc: scanner{src: src}}
	p.tok = p.sc.scan()
	x, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != EOF {
		return nil, p.unexpected()
	}
	return x, nil
}

// parser is a recursive-descent parser for the grammar in doc.go. It looks
// one token ahead.
type parser struct {
	sc      scanner
	tok     token // the current token
	prev    token // the token before it, when hasPrev
	hasPrev bool
	depth   int
}

func (p *parser) next() {
	p.prev, p.hasPrev = p.tok, true
	p.tok = p.sc.scan()
}

// errorf returns a *ParseError at off. When the current token is a lexical
// error, that error is returned instead: it is the real cause.
func (p *parser) errorf(off int, format string, args ...any) error {
	if p.tok.kind == ILLEGAL && p.sc.err != nil {
		return p.sc.err
	}
	return &ParseError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// expr = or (an if is parsed as a primary).
func (p *parser) parseExpr() (Expr, error) {
	return p.parseBinary(1)
}

// precedence returns the binding strength of a left-associative binary
// operator, from 1 (or) to 6 (* / mod), and 0 for any other token.
func precedence(t Token) int {
	switch t {
	case OR:
		return 1
	case AND:
		return 2
	case EQL, NEQ:
		return 3
	case LSS, LEQ, GTR, GEQ:
		return 4
	case ADD, SUB:
		return 5
	case MUL, QUO, MOD:
		return 6
	}
	return 0
}

// Precedence of the forms that bind tighter than the binary operators
// above.
const (
	precUnary   = 7
	precPower   = 8
	precPrimary = 9
)

// parseBinary parses the levels or .. term: a chain of operands joined by
// operators of precedence prec or higher, grouped to the left.
func (p *parser) parseBinary(prec int) (Expr, error) {
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		op := p.tok
		oprec := precedence(op.kind)
		if oprec < prec || oprec == 0 {
			return x, nil
		}
		p.next()
		y, err := p.parseBinary(oprec + 1)
		if err != nil {
			return nil, err
		}
		x = &Binary{X: x, Op: op.kind, OpAt: op.pos, Y: y}
	}
}

// unary = ("-" | "+" | "not" | "!") unary | power
func (p *parser) parseUnary() (Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errorf(p.tok.pos, "equation nested too deeply (more than %d levels)", maxDepth)
	}
	switch op := p.tok; op.kind {
	case SUB, ADD, NOT:
		p.next()
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &Unary{At: op.pos, Op: op.kind, X: x}, nil
	}
	return p.parsePower()
}

// power = primary [ "^" unary ]
func (p *parser) parsePower() (Expr, error) {
	x, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != POW {
		return x, nil
	}
	op := p.tok
	p.next()
	y, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return &Binary{X: x, Op: POW, OpAt: op.pos, Y: y}, nil
}

// primary = number | name | name "(" [ args ] ")" | name "[" args "]"
//
//	| "(" expr ")" | "if" expr "then" expr "else" expr
func (p *parser) parsePrimary() (Expr, error) {
	switch t := p.tok; t.kind {
	case NUMBER:
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return nil, p.errorf(t.pos, "number %q is out of range", t.text)
			}
			return nil, p.errorf(t.pos, "malformed number %q", t.text)
		}
		p.next()
		return &Num{At: t.pos, Text: t.text, Value: v}, nil

	case IDENT:
		id := &Ident{At: t.pos, Name: t.text}
		p.next()
		switch p.tok.kind {
		case LPAREN:
			return p.parseCall(id)
		case LBRACK:
			return p.parseIndex(id)
		}
		return id, nil

	case LPAREN:
		p.next()
		x, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != RPAREN {
			return nil, p.closeError(t, ")")
		}
		rp := p.tok.pos
		p.next()
		return &Paren{Lparen: t.pos, X: x, Rparen: rp}, nil

	case IF:
		return p.parseIf()
	}
	return nil, p.missingOperand()
}

// parseCall parses the arguments of a call to fn; the current token is "(".
func (p *parser) parseCall(fn *Ident) (Expr, error) {
	lparen := p.tok
	p.next()
	var args []Expr
	if p.tok.kind != RPAREN {
		var err error
		args, err = p.parseList(lparen, RPAREN)
		if err != nil {
			return nil, err
		}
	}
	rp := p.tok.pos
	p.next()
	return &Call{Fn: fn, Args: args, Rparen: rp}, nil
}

// parseIndex parses the subscripts of x; the current token is "[". A
// subscript is an expression or the wildcard "*", which stands alone
// between "[" or "," and "," or "]" and becomes an Ident named "*".
func (p *parser) parseIndex(x *Ident) (Expr, error) {
	lbrack := p.tok
	p.next()
	var subs []Expr
	for {
		var sub Expr
		if p.tok.kind == MUL {
			sub = &Ident{At: p.tok.pos, Name: Wildcard}
			p.next()
			if p.tok.kind != COMMA && p.tok.kind != RBRACK {
				return nil, p.errorf(p.tok.pos, `the wildcard "*" must stand alone as a subscript, followed by "," or "]"; found %s`, describe(p.tok))
			}
		} else {
			var err error
			if sub, err = p.parseExpr(); err != nil {
				return nil, err
			}
		}
		subs = append(subs, sub)
		switch p.tok.kind {
		case COMMA:
			p.next()
			continue
		case RBRACK:
		default:
			return nil, p.closeError(lbrack, "]")
		}
		break
	}
	rb := p.tok.pos
	p.next()
	return &Index{X: x, Subs: subs, Rbrack: rb}, nil
}

// parseList parses expr { "," expr } and stops at the closing token, which
// it leaves current.
func (p *parser) parseList(open token, close Token) ([]Expr, error) {
	var list []Expr
	for {
		x, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		list = append(list, x)
		switch p.tok.kind {
		case COMMA:
			p.next()
		case close:
			return list, nil
		default:
			return nil, p.closeError(open, close.String())
		}
	}
}

// parseIf parses "if" expr "then" expr "else" expr.
func (p *parser) parseIf() (Expr, error) {
	at := p.tok.pos
	p.next()
	cond, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != THEN {
		if startsOperand(p.tok.kind) {
			return nil, p.unexpected()
		}
		return nil, p.errorf(p.tok.pos, `expected "then" after the condition of "if", found %s`, describe(p.tok))
	}
	p.next()
	then, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != ELSE {
		if startsOperand(p.tok.kind) {
			return nil, p.unexpected()
		}
		return nil, p.errorf(p.tok.pos, `expected "else" after the "then" branch of "if", found %s`, describe(p.tok))
	}
	p.next()
	els, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	return &If{At: at, Cond: cond, Then: then, Else: els}, nil
}

// closeError reports that the current token does not close open.
func (p *parser) closeError(open token, close string) error {
	if startsOperand(p.tok.kind) {
		return p.unexpected()
	}
	return p.errorf(p.tok.pos, "expected %q to close the %q at character %d of the equation, found %s",
		close, open.text, open.pos+1, describe(p.tok))
}

// missingOperand reports that the current token cannot begin an operand,
// where one is required.
func (p *parser) missingOperand() error {
	t := p.tok
	if !p.hasPrev {
		switch {
		case t.kind == EOF:
			return p.errorf(0, "empty equation")
		case precedence(t.kind) > 0 || t.kind == POW:
			return p.errorf(t.pos, "missing operand before %q", t.text)
		}
		return p.unexpected()
	}
	prev := p.prev
	switch prev.kind {
	case ADD, SUB, MUL, QUO, POW, MOD, EQL, NEQ, LSS, LEQ, GTR, GEQ, AND, OR, NOT:
		return p.errorf(t.pos, "missing operand after %q", prev.text)
	case IF:
		return p.errorf(t.pos, `missing condition after %q, found %s`, prev.text, describe(t))
	case LPAREN:
		if t.kind == RPAREN {
			return p.errorf(t.pos, "empty parentheses")
		}
	case LBRACK:
		if t.kind == RBRACK {
			return p.errorf(t.pos, "missing subscript between \"[\" and \"]\"")
		}
	case COMMA:
		if t.kind == RPAREN || t.kind == RBRACK || t.kind == COMMA {
			return p.errorf(t.pos, `missing argument after ","`)
		}
	}
	return p.errorf(t.pos, "expected an expression after %q, found %s", prev.text, describe(t))
}

// unexpected reports that the current token has no place where it is.
func (p *parser) unexpected() error {
	t := p.tok
	if startsOperand(t.kind) && p.hasPrev {
		return p.errorf(t.pos, "unexpected %s after %q: missing an operator?", describe(t), p.prev.text)
	}
	switch t.kind {
	case RPAREN, RBRACK:
		open := "("
		if t.kind == RBRACK {
			open = "["
		}
		return p.errorf(t.pos, "unexpected %q with no matching %q", t.text, open)
	case LBRACK:
		return p.errorf(t.pos, `unexpected "[": only a name can have subscripts`)
	case THEN, ELSE:
		return p.errorf(t.pos, `unexpected %q with no matching "if"`, t.text)
	}
	return p.errorf(t.pos, "unexpected %s", describe(t))
}

// startsOperand reports whether a token of kind t can begin an operand and
// no binary operator (so that, after a complete operand, it means an
// operator is missing).
func startsOperand(t Token) bool {
	switch t {
	case NUMBER, IDENT, LPAREN, IF, NOT:
		return true
	}
	return false
}

// describe names a token for an error message.
func describe(t token) string {
	switch t.kind {
	case EOF:
		return "end of equation"
	case NUMBER:
		return fmt.Sprintf("number %q", t.text)
	case IDENT:
		return fmt.Sprintf("name %q", t.text)
	}
	return strconv.Quote(t.text)
}
