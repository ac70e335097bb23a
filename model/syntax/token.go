package syntax

// Token is a lexical token of the equation language.
type Token int

// The tokens of the equation language.
const (
	ILLEGAL Token = iota
	EOF
	NUMBER // 3, .5, 1e-3
	IDENT  // births, K, smth1

	ADD // +
	SUB // -
	MUL // *
	QUO // /
	POW // ^
	MOD // mod

	EQL // = or ==
	NEQ // <> or !=
	LSS // <
	LEQ // <=
	GTR // >
	GEQ // >=

	AND // and, &&
	OR  // or, ||
	NOT // not, !

	LPAREN // (
	RPAREN // )
	LBRACK // [
	RBRACK // ]
	COMMA  // ,

	IF   // if
	THEN // then
	ELSE // else
)

var tokenStrings = [...]string{
	ILLEGAL: "ILLEGAL",
	EOF:     "end of equation",
	NUMBER:  "number",
	IDENT:   "name",
	ADD:     "+",
	SUB:     "-",
	MUL:     "*",
	QUO:     "/",
	POW:     "^",
	MOD:     "mod",
	EQL:     "=",
	NEQ:     "<>",
	LSS:     "<",
	LEQ:     "<=",
	GTR:     ">",
	GEQ:     ">=",
	AND:     "and",
	OR:      "or",
	NOT:     "not",
	LPAREN:  "(",
	RPAREN:  ")",
	LBRACK:  "[",
	RBRACK:  "]",
	COMMA:   ",",
	IF:      "if",
	THEN:    "then",
	ELSE:    "else",
}

// String returns the token's canonical spelling.
func (t Token) String() string {
	if t >= 0 && int(t) < len(tokenStrings) {
		return tokenStrings[t]
	}
	return "ILLEGAL"
}
