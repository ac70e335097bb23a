// Package syntax is the first phase of stockflow: the equation language.
//
// It turns the text of one equation ("r * population * (1 - crowding)")
// into a syntax tree (Parse), and a tree back into canonical text (Print).
// It knows nothing of models, files or TOML: nodes carry byte offsets into
// the equation text, and the model loader maps them to file positions. The
// package also defines the position and error types shared by every later
// phase (Pos, Error, ErrorList), so that every user-facing error reads
// "file:line:col: key: message".
//
// The grammar follows XMILE 1.0's operator precedence, loosest binding
// first:
//
//	expr    = "if" expr "then" expr "else" expr | or
//	or      = and { ("or" | "||") and }
//	and     = eq { ("and" | "&&") eq }
//	eq      = rel { ("=" | "==" | "<>" | "!=") rel }
//	rel     = sum { ("<" | "<=" | ">" | ">=") sum }
//	sum     = term { ("+" | "-") term }
//	term    = unary { ("*" | "/" | "mod") unary }
//	unary   = ("-" | "+" | "not" | "!") unary | power
//	power   = primary [ "^" unary ]          (right-associative: 2^3^2 = 2^9)
//	primary = number | name | name "(" [ args ] ")" | name "[" subs "]"
//	        | "(" expr ")" | "if" ...        (an if may stand as an operand)
//	subs    = sub { "," sub }
//	sub     = expr | "*"                     (the wildcard: every element)
//
// Unary minus binds looser than "^", so -2^2 = -4, while 2^-1 = 0.5.
// Keywords (if, then, else, and, or, not, mod) are matched without regard
// to case, so IF ... THEN ... ELSE from XMILE reads as it does in Stella.
//
// Lexically: numbers are 3, .5, 3., 1e-3, 2.5E+10; a name is a letter
// (any Unicode letter) or "_" followed by letters, digits and "_", and is
// never a keyword; "==" is "=", "!=" is "<>", "&&" is "and", "||" is "or"
// and "!" is "not". White space, newlines included, separates tokens, and
// {text in braces} is a comment. Print writes the canonical spellings.
package syntax
