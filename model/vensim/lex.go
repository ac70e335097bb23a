package vensim

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token of a Vensim equation.
type tokKind int

const (
	tEOF     tokKind = iota
	tNum             // 1, 2.5, .3, 1e-5
	tName            // a name, possibly several words, or a quoted name
	tOp              // + - * / ^ ( ) [ ] , ; = == < > <= >= <> ! : := -> <->
	tKeyword         // :AND:, :OR:, :NOT:, :NA:, :EXCEPT:, ... (text upper case)
	tStr             // 'a string', an argument of the GET functions (text without the quotes)
	tBad             // a character that starts no token
)

type tok struct {
	kind tokKind
	text string // names: as written, trimmed; keywords: upper case
	num  float64
	pos  int // offset in the equation text
}

// lex splits an equation into tokens, appended to dst[:0]. It never
// fails: a stray character becomes a tBad token, which the parser
// reports.
func lex(dst []tok, s string) []tok {
	out := dst[:0]
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && s[k] >= '0' && s[k] <= '9' {
					for k < len(s) && s[k] >= '0' && s[k] <= '9' {
						k++
					}
					j = k
				}
			}
			v, err := strconv.ParseFloat(s[i:j], 64)
			if err != nil {
				out = append(out, tok{kind: tBad, text: s[i:j], pos: i})
			} else {
				out = append(out, tok{kind: tNum, text: s[i:j], num: v, pos: i})
			}
			i = j
			continue
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				j++
			}
			if j < len(s) {
				j++
			}
			out = append(out, tok{kind: tName, text: s[i:j], pos: i})
			i = j
			continue
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				out = append(out, tok{kind: tBad, text: "'", pos: i})
				i++
				continue
			}
			out = append(out, tok{kind: tStr, text: s[i+1 : i+1+j], pos: i})
			i += j + 2
			continue
		case c == ':':
			// :AND: and friends; else the colon of a subscript range.
			if j := strings.IndexByte(s[i+1:], ':'); j > 0 {
				word := s[i+1 : i+1+j]
				if isKeywordWord(word) {
					out = append(out, tok{kind: tKeyword, text: ":" + strings.ToUpper(strings.Join(strings.Fields(word), " ")) + ":", pos: i})
					i += j + 2
					continue
				}
			}
			if i+1 < len(s) && s[i+1] == '=' {
				out = append(out, tok{kind: tOp, text: ":=", pos: i})
				i += 2
				continue
			}
			out = append(out, tok{kind: tOp, text: ":", pos: i})
			i++
			continue
		}
		if r, n := decodeRune(s[i:]); isNameStart(r) {
			j := i + n
			end := j
			for j < len(s) {
				r, n := decodeRune(s[j:])
				if !isNamePart(r) {
					break
				}
				j += n
				if r != ' ' && r != '\t' {
					end = j
				}
			}
			out = append(out, tok{kind: tName, text: s[i:end], pos: i})
			i = end
			continue
		}
		if op := operator(s[i:]); op != "" {
			out = append(out, tok{kind: tOp, text: op, pos: i})
			i += len(op)
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		out = append(out, tok{kind: tBad, text: s[i : i+n], pos: i})
		i += n
	}
	return append(out, tok{kind: tEOF, pos: len(s)})
}

// decodeRune is utf8.DecodeRuneInString with the ASCII case first.
func decodeRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}

// operator returns the operator that s starts with, the longest one
// (<-> before <, -> before -), or "" if s starts with none.
func operator(s string) string {
	if len(s) >= 3 && s[:3] == "<->" {
		return s[:3]
	}
	if len(s) >= 2 {
		switch s[:2] {
		case "->", "<=", ">=", "<>", "==":
			return s[:2]
		}
	}
	switch s[0] {
	case '+', '-', '*', '/', '^', '(', ')', '[', ']', ',', ';', '=', '<', '>', '!':
		return s[:1]
	}
	return ""
}

// isKeywordWord reports whether :word: is a Vensim keyword.
func isKeywordWord(w string) bool {
	switch strings.ToUpper(strings.Join(strings.Fields(w), " ")) {
	case "AND", "OR", "NOT", "NA", "EXCEPT", "INTERPOLATE", "RAW", "HOLD BACKWARD", "LOOK FORWARD",
		"IGNORE", "THE CONDITION", "TEST INPUT", "IMPLIES", "MACRO", "END OF MACRO", "INCLUDE", "SUPPLEMENTARY":
		return true
	}
	return false
}

func isNameStart(r rune) bool {
	return r == '_' || r == '$' || r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsSymbol(r)) ||
		r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
}

func isNamePart(r rune) bool {
	return isNameStart(r) || r >= '0' && r <= '9' || r == ' ' || r == '\t' || r == '\'' || r == '&' || r == '%' ||
		r >= utf8.RuneSelf && r != utf8.RuneError && unicode.IsDigit(r)
}
