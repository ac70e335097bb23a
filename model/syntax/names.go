package syntax

import "strings"

// SplitNames splits a comma-separated list of variable names, keeping the
// commas inside an element's subscripts: "a, x[r1,s1]" is a and x[r1,s1].
// Spaces around names are dropped, and so are empty names.
func SplitNames(s string) []string {
	var out []string
	depth, start := 0, 0
	add := func(end int) {
		if v := strings.TrimSpace(s[start:end]); v != "" {
			out = append(out, v)
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				add(i)
				start = i + 1
			}
		}
	}
	add(len(s))
	return out
}
