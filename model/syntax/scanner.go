package syntax

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// A token is one lexical element of an equation.
type token struct {
	kind Token
	pos  int    // offset of the first byte
	text string // as written; "" for EOF
}

// scanner splits an equation into tokens. It skips white space and
// {comments}. After an error it returns ILLEGAL for good, with err set.
type scanner struct {
	src string
	off int // offset of the next unread byte
	err *ParseError
}

// scan returns the next token. A lexical error yields an ILLEGAL token and
// sets s.err.
func (s *scanner) scan() token {
	if s.err != nil {
		return token{kind: ILLEGAL, pos: s.err.Offset}
	}
	if !s.skipSpace() {
		return token{kind: ILLEGAL, pos: s.err.Offset}
	}
	start := s.off
	if start >= len(s.src) {
		return token{kind: EOF, pos: start}
	}
	c := s.src[start]
	switch {
	case isDigit(c) || c == '.' && start+1 < len(s.src) && isDigit(s.src[start+1]):
		return s.number()
	case c < utf8.RuneSelf:
		if isLetter(rune(c)) {
			return s.name()
		}
	default:
		r, size := utf8.DecodeRuneInString(s.src[start:])
		if r == utf8.RuneError && size == 1 {
			return s.fail(start, fmt.Sprintf("invalid UTF-8 byte 0x%02x", c))
		}
		if isLetter(r) {
			return s.name()
		}
		return s.fail(start, fmt.Sprintf("unexpected character %q", r))
	}

	// An operator or punctuation, all ASCII.
	kind, n := ILLEGAL, 1
	var c2 byte
	if start+1 < len(s.src) {
		c2 = s.src[start+1]
	}
	switch c {
	case '+':
		kind = ADD
	case '-':
		kind = SUB
	case '*':
		kind = MUL
	case '/':
		kind = QUO
	case '^':
		kind = POW
	case '(':
		kind = LPAREN
	case ')':
		kind = RPAREN
	case '[':
		kind = LBRACK
	case ']':
		kind = RBRACK
	case ',':
		kind = COMMA
	case '=':
		kind = EQL
		if c2 == '=' {
			n = 2
		}
	case '<':
		switch c2 {
		case '>':
			kind, n = NEQ, 2
		case '=':
			kind, n = LEQ, 2
		default:
			kind = LSS
		}
	case '>':
		kind = GTR
		if c2 == '=' {
			kind, n = GEQ, 2
		}
	case '!':
		kind = NOT
		if c2 == '=' {
			kind, n = NEQ, 2
		}
	case '&':
		if c2 == '&' {
			kind, n = AND, 2
		}
	case '|':
		if c2 == '|' {
			kind, n = OR, 2
		}
	}
	if kind == ILLEGAL {
		return s.fail(start, fmt.Sprintf("unexpected character %q", rune(c)))
	}
	s.off += n
	return token{kind: kind, pos: start, text: s.src[start:s.off]}
}

// skipSpace skips white space and comments. It reports false after an
// unterminated comment.
func (s *scanner) skipSpace() bool {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			s.off++
		case c == '{':
			end := s.off + 1
			for end < len(s.src) && s.src[end] != '}' {
				end++
			}
			if end >= len(s.src) {
				s.fail(s.off, `unterminated comment: "{" has no matching "}"`)
				return false
			}
			s.off = end + 1
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s.src[s.off:])
			if !unicode.IsSpace(r) {
				return true
			}
			s.off += size
		default:
			return true
		}
	}
	return true
}

// number scans 3, .5, 3., 1e-3, 2.5E+10.
func (s *scanner) number() token {
	start := s.off
	s.digits()
	if s.off < len(s.src) && s.src[s.off] == '.' {
		s.off++
		s.digits()
	}
	if s.off < len(s.src) && (s.src[s.off] == 'e' || s.src[s.off] == 'E') {
		j := s.off + 1
		if j < len(s.src) && (s.src[j] == '+' || s.src[j] == '-') {
			j++
		}
		if j >= len(s.src) || !isDigit(s.src[j]) {
			return s.fail(start, fmt.Sprintf("malformed number %q: the exponent has no digits", s.src[start:j]))
		}
		s.off = j
		s.digits()
	}
	return token{kind: NUMBER, pos: start, text: s.src[start:s.off]}
}

func (s *scanner) digits() {
	for s.off < len(s.src) && isDigit(s.src[s.off]) {
		s.off++
	}
}

// name scans a name or a keyword. The first rune is known to be a letter
// or '_'.
func (s *scanner) name() token {
	start := s.off
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c < utf8.RuneSelf {
			if !isLetter(rune(c)) && !isDigit(c) {
				break
			}
			s.off++
			continue
		}
		r, size := utf8.DecodeRuneInString(s.src[s.off:])
		if !isLetter(r) && !unicode.IsDigit(r) {
			break
		}
		s.off += size
	}
	text := s.src[start:s.off]
	return token{kind: keyword(text), pos: start, text: text}
}

func (s *scanner) fail(off int, msg string) token {
	s.err = &ParseError{Offset: off, Msg: msg}
	s.off = len(s.src)
	return token{kind: ILLEGAL, pos: off}
}

// keyword returns the keyword token spelled by name, in any mix of ASCII
// upper and lower case, or IDENT if name is not a keyword.
func keyword(name string) Token {
	if len(name) < 2 || len(name) > 4 {
		return IDENT
	}
	var buf [4]byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(name)]) {
	case "if":
		return IF
	case "then":
		return THEN
	case "else":
		return ELSE
	case "and":
		return AND
	case "or":
		return OR
	case "not":
		return NOT
	case "mod":
		return MOD
	}
	return IDENT
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '_'
	}
	return unicode.IsLetter(r)
}
