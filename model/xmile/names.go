package xmile

import (
	"strings"
	"unicode"
)

// unescapeName reads the escapes XMILE allows in a name attribute: \n for
// a line break, \\ and \".
func unescapeName(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\', '"':
				b.WriteByte(s[i+1])
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// key returns the identity of an XMILE name: names are equal without
// regard to case, and with white space and underscores alike (a run of
// them counts as one).
func key(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.TrimSpace(name) {
		if r == '_' || unicode.IsSpace(r) {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String()
}

// keywords of the equation language, which no declared name may be.
var keywords = []string{"if", "then", "else", "and", "or", "not", "mod"}

// canon returns the stockflow spelling of a declared XMILE name: ASCII
// letters and digits kept with their case, every run of other characters
// (spaces, underscores, punctuation, non-ASCII letters) one underscore,
// none at either end; a leading digit gets an underscore before it and a
// keyword one after it.
func canon(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range name {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
			continue
		}
		sep = true
	}
	s := b.String()
	switch {
	case s == "":
		return "_"
	case s[0] >= '0' && s[0] <= '9':
		s = "_" + s
	}
	for _, kw := range keywords {
		if strings.EqualFold(s, kw) {
			return s + "_"
		}
	}
	return s
}
