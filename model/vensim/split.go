package vensim

import (
	"strings"
)

// entry is one `lhs = rhs ~ units ~ doc |` of the file, with comments
// removed and continuation lines joined.
type entry struct {
	eqn   string // the equation part
	buf   []byte
	off   []int // source offset of each byte of eqn, and one past the end
	units string
	doc   string
}

// sketchMarker starts the sketch, which the reader ignores; files write
// it after two or three backslashes.
const sketchMarker = `\---///`

// split cuts the equations part of src (line endings already normalised to
// \n) into entries.
func split(src string) []entry {
	if i := strings.Index(src, sketchMarker); i >= 0 {
		for i > 0 && src[i-1] == '\\' {
			i--
		}
		src = src[:i]
	}
	var out []entry
	var cur entry
	var units, doc strings.Builder
	part := 0 // 0 equation, 1 units, 2 documentation
	quoted := false
	// The entries' offsets share one array, which each entry's off
	// slices, and their bytes one buffer, which each entry's eqn copies:
	// two allocations for the file, not a growing pair per entry.
	offs := make([]int, 0, len(src)+len(src)/64+1)
	start := 0 // where cur's offsets begin in offs
	buf := make([]byte, 0, 256)
	cur.off, cur.buf = offs, buf
	flush := func(end int) {
		cur.off = append(cur.off, end)
		offs = cur.off
		cur.off = offs[start:len(offs):len(offs)]
		start = len(offs)
		cur.eqn, buf = string(cur.buf), cur.buf[:0]
		cur.buf = nil
		cur.units = joinLines(units.String())
		cur.doc = joinLines(doc.String())
		if strings.TrimSpace(cur.eqn) != "" || cur.units != "" || cur.doc != "" {
			out = append(out, cur)
		}
		cur = entry{off: offs, buf: buf}
		units.Reset()
		doc.Reset()
		part = 0
		quoted = false
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if part > 0 {
			switch {
			case c == '|':
				flush(i)
			case c == '~':
				part++
			case part == 1:
				units.WriteByte(c)
			default:
				doc.WriteByte(c)
			}
			continue
		}
		switch {
		case quoted && c == '\\' && i+1 < len(src) && src[i+1] == '"':
			cur.buf = append(cur.buf, src[i:i+2]...)
			cur.off = append(cur.off, i, i+1)
			i++
			continue
		case c == '"':
			quoted = !quoted
		case !quoted && c == '{':
			end := commentEnd(src[i:])
			if end < 0 {
				i = len(src)
				continue
			}
			cur.buf = append(cur.buf, ' ')
			cur.off = append(cur.off, i)
			i += end
			continue
		case c == '\\':
			// A continuation: \ then only white space to the end of line.
			j := i + 1
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			if j >= len(src) || src[j] == '\n' {
				cur.buf = append(cur.buf, ' ')
				cur.off = append(cur.off, i)
				i = j
				continue
			}
		case !quoted && c == '~':
			part = 1
			continue
		case !quoted && c == '|':
			flush(i)
			continue
		}
		cur.buf = append(cur.buf, c)
		cur.off = append(cur.off, i)
	}
	if strings.TrimSpace(string(cur.buf)) != "" {
		flush(len(src))
	}
	return out
}

// joinLines tidies units or documentation text: Vensim's line
// continuations (a backslash at the end of a line) and the indentation of
// the line after them become one space; other line breaks stay, without
// their indentation.
func joinLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if i > 0 {
			if b.Len() > 0 && strings.HasSuffix(b.String(), "\\") {
				str := strings.TrimRight(strings.TrimSuffix(b.String(), "\\"), " \t")
				b.Reset()
				b.WriteString(str)
				b.WriteByte(' ')
			} else if b.Len() > 0 {
				b.WriteByte('\n')
			}
		}
		b.WriteString(l)
	}
	return strings.TrimSpace(b.String())
}

// commentEnd returns the offset in s, which starts with '{', of the '}'
// that closes that comment, counting comments nested inside it as Vensim
// does ({ outer { inner } still outer }); -1 when it is never closed.
func commentEnd(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
