package vensim

import (
	"strings"
	"unicode/utf8"
)

// CanonicalName returns the stockflow spelling of a Vensim name: quotes
// and surrounding space removed, each run of spaces and _ made one _,
// every other character that is not an ASCII letter or digit made _, and
// a _ put in front of a leading digit. Case is kept. Two Vensim names that
// refer to the same variable may still differ here in case; the reader
// spells every reference as the variable's definition does.
func CanonicalName(s string) string {
	out := canonical(s)
	if out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	return out
}

// elementName returns the stockflow spelling of a subscript element: as
// CanonicalName, but a leading digit is kept (elements may be numbers).
func elementName(s string) string { return canonical(s) }

func canonical(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == ' ' || r == '_' || r == '\t' || r == '\n':
			space = true
			continue
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			if space {
				b.WriteByte('_')
				space = false
			}
			b.WriteRune(r)
		default:
			if space {
				b.WriteByte('_')
				space = false
			}
			b.WriteByte('_')
		}
	}
	if space {
		b.WriteByte('_')
	}
	out := b.String()
	if out == "" {
		return "_"
	}
	return out
}

// nameKey returns the form in which Vensim compares names: lower case,
// with _ and runs of white space read as one space.
func nameKey(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	s = strings.ToLower(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '_' || r == '\t' || r == '\n' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isReserved reports whether s is a name stockflow reads as something
// else; a Vensim variable canonicalised to one of them gets a trailing _.
func isReserved(s string) bool {
	switch strings.ToLower(s) {
	case "time", "dt", "starttime", "stoptime", "pi", "inf",
		"if", "then", "else", "and", "or", "not", "mod":
		return true
	}
	return false
}
