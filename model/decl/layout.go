package decl

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model/syntax"
)

// BurntSushi/toml keeps no positions we can reach for every key (array
// elements and the entries of [[arrays of tables]] have none), so the
// reader finds them itself: layout is a second, lenient pass over a
// document that the toml package has already accepted. It knows just
// enough TOML to find where each key and each value starts. When it
// misreads something unusual, the reader falls back to the position of an
// enclosing key, so a position may be coarse but always lies in the input.

// span is where one key stands: the offset of the key's first byte, and
// of its value's first byte (the opening quote of a string, the '[' of an
// array). For a table header both are the offset of the '['. val is -1 for
// a table that is only implied by a dotted key.
type span struct{ key, val int }

// layout maps key paths to spans. A path joins its parts with pathSep;
// array elements and [[array of tables]] entries are parts too, as decimal
// indices ("loops", "0", "name").
type layout struct {
	src   string
	base  int   // bytes removed from the front of the file (a byte order mark)
	lines []int // offset of the first byte of each line
	spans map[string]span
	aot   map[string]int // [[array of tables]] path → entries seen

	// deep is the offset of the first key or value nested more than
	// MaxNesting levels deep, -1 if there is none; deepKey is its path's
	// first parts, dotted. The scan stops there.
	deep    int
	deepKey string
}

// MaxNesting bounds how deep the keys and values of a model file nest:
// the parts of a dotted key or table header, plus the arrays and inline
// tables around a value. A model needs five or six levels (lookup points
// under [lookups.name] are four); the bound keeps a hostile file, arrays
// nested 20,000 deep in 40 KB, from costing time and memory quadratic in
// its depth.
const MaxNesting = 64

const pathSep = "\x00"

func joinPath(parts []string) string { return strings.Join(parts, pathSep) }

func newLayout(src string, base int) *layout {
	l := &layout{
		src:   src,
		base:  base,
		lines: []int{0},
		spans: make(map[string]span),
		aot:   make(map[string]int),
		deep:  -1,
	}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			l.lines = append(l.lines, i+1)
		}
	}
	l.scan()
	return l
}

// tooDeep reports whether path nests more than MaxNesting levels, and
// records the first place that does at off.
func (l *layout) tooDeep(path []string, off int) bool {
	if len(path) <= MaxNesting {
		return false
	}
	if l.deep < 0 {
		l.deep = off
		l.deepKey = strings.Join(path[:3], ".")
	}
	return true
}

// pos converts a byte offset into a file position. Offsets outside the
// text are clamped to it.
func (l *layout) pos(file string, off int) syntax.Pos {
	off = max(0, min(off, len(l.src)))
	line := sort.Search(len(l.lines), func(i int) bool { return l.lines[i] > off }) - 1
	col := off - l.lines[line] + 1
	if line == 0 {
		col += l.base
	}
	return syntax.Pos{File: file, Line: line + 1, Col: col}
}

// find returns the span of path, or of its nearest ancestor that has one.
// ok is false when no ancestor has one either.
func (l *layout) find(path []string) (span, bool) {
	for n := len(path); n > 0; n-- {
		if s, ok := l.spans[joinPath(path[:n])]; ok {
			return s, true
		}
	}
	return span{}, false
}

// keyOff returns the offset of path's key, or of an ancestor's.
func (l *layout) keyOff(path []string) int {
	s, _ := l.find(path)
	return s.key
}

// valOff returns the offset of path's value, falling back to its key and
// then to an ancestor.
func (l *layout) valOff(path []string) int {
	s, _ := l.find(path)
	if s.val >= 0 {
		return s.val
	}
	return s.key
}

func (l *layout) at(i int) byte {
	if i >= 0 && i < len(l.src) {
		return l.src[i]
	}
	return 0
}

func (l *layout) has(i int, s string) bool {
	return i >= 0 && i <= len(l.src) && strings.HasPrefix(l.src[i:], s)
}

// record sets the span of path unless an explicit one is already there.
func (l *layout) record(path []string, s span) {
	k := joinPath(path)
	if old, ok := l.spans[k]; ok && old.val >= 0 {
		return
	}
	l.spans[k] = s
}

// implied records the tables implied by the dotted key parts of path
// below its first base parts.
func (l *layout) implied(path []string, base, key int) {
	for n := base + 1; n < len(path); n++ {
		k := joinPath(path[:n])
		if _, ok := l.spans[k]; !ok {
			l.spans[k] = span{key, -1}
		}
	}
}

// scan walks the top-level statements.
func (l *layout) scan() {
	var table []string
	i := 0
	for i < len(l.src) {
		i = l.skipSpace(i, true)
		if i >= len(l.src) {
			break
		}
		start := i
		switch {
		case l.has(i, "[["):
			parts, j := l.readKey(i + 2)
			if l.tooDeep(parts, start) {
				return
			}
			i = j
			path := l.resolve(parts[:max(0, len(parts)-1)])
			if len(parts) > 0 {
				path = append(path, parts[len(parts)-1])
			}
			k := joinPath(path)
			n := l.aot[k]
			l.aot[k] = n + 1
			l.implied(path, 0, start)
			l.record(path, span{start, start})
			table = append(path, strconv.Itoa(n))
			l.spans[joinPath(table)] = span{start, start}
		case l.at(i) == '[':
			parts, j := l.readKey(i + 1)
			if l.tooDeep(parts, start) {
				return
			}
			i = j
			table = l.resolve(parts)
			l.implied(table, 0, start)
			l.spans[joinPath(table)] = span{start, start}
		default:
			parts, j := l.readKey(i)
			if len(parts) == 0 || j == i {
				i = l.skipLine(i + 1)
				continue
			}
			i = l.skipSpace(j, false)
			if l.at(i) == '=' {
				i = l.skipSpace(i+1, false)
			}
			path := append(append([]string(nil), table...), parts...)
			if l.tooDeep(path, start) {
				return
			}
			l.implied(path, len(table), start)
			l.record(path, span{start, i})
			i = l.value(path, i)
		}
		i = l.skipLine(i)
	}
}

// resolve turns a header's key parts into a path, inserting the index of
// the current entry after each part that names an array of tables.
func (l *layout) resolve(parts []string) []string {
	var path []string
	for _, p := range parts {
		path = append(path, p)
		if n, ok := l.aot[joinPath(path)]; ok && n > 0 {
			path = append(path, strconv.Itoa(n-1))
		}
	}
	return path
}

// skipSpace skips blanks and comments, and newlines too when nl is set.
func (l *layout) skipSpace(i int, nl bool) int {
	for i < len(l.src) {
		switch c := l.src[i]; {
		case c == ' ' || c == '\t':
			i++
		case nl && (c == '\n' || c == '\r'):
			i++
		case c == '#':
			for i < len(l.src) && l.src[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// skipLine moves to the start of the next line.
func (l *layout) skipLine(i int) int {
	for i < len(l.src) && l.src[i] != '\n' {
		i++
	}
	return i
}

// readKey reads a possibly dotted key and returns its parts and the offset
// just past it (before any closing bracket or '=').
func (l *layout) readKey(i int) ([]string, int) {
	var parts []string
	for {
		i = l.skipSpace(i, false)
		switch l.at(i) {
		case '"':
			j := i + 1
			for j < len(l.src) && l.src[j] != '"' && l.src[j] != '\n' {
				if l.src[j] == '\\' {
					j++
				}
				j++
			}
			raw := l.src[i:min(j+1, len(l.src))]
			s, err := strconv.Unquote(raw)
			if err != nil {
				s = strings.Trim(raw, `"`)
			}
			parts = append(parts, s)
			i = j + 1
		case '\'':
			j := i + 1
			for j < len(l.src) && l.src[j] != '\'' && l.src[j] != '\n' {
				j++
			}
			parts = append(parts, l.src[i+1:min(j, len(l.src))])
			i = j + 1
		default:
			j := i
			for j < len(l.src) && !strings.ContainsRune(" \t\r\n=.[]{},#\"'", rune(l.src[j])) {
				j++
			}
			if j == i {
				return parts, i
			}
			parts = append(parts, l.src[i:j])
			i = j
		}
		i = min(i, len(l.src))
		j := l.skipSpace(i, false)
		if l.at(j) != '.' {
			return parts, i
		}
		i = j + 1
	}
}

// value skips the value at i, recording the spans of the elements of
// arrays and the keys of inline tables under path, and returns the offset
// just past it.
func (l *layout) value(path []string, i int) int {
	if l.deep >= 0 {
		return len(l.src)
	}
	switch {
	case l.has(i, `"""`), l.has(i, `'''`):
		q := l.src[i]
		i += 3
		for i < len(l.src) {
			c := l.src[i]
			if c == '\\' && q == '"' {
				i += 2
				continue
			}
			if c == q {
				n := 0
				for i+n < len(l.src) && l.src[i+n] == q {
					n++
				}
				i += n
				if n >= 3 {
					return i
				}
				continue
			}
			i++
		}
		return i
	case l.at(i) == '"' || l.at(i) == '\'':
		q := l.src[i]
		i++
		for i < len(l.src) && l.src[i] != q && l.src[i] != '\n' {
			if l.src[i] == '\\' && q == '"' {
				i++
			}
			i++
		}
		return min(i+1, len(l.src))
	case l.at(i) == '[':
		i++
		for n := 0; i < len(l.src); {
			i = l.skipSpace(i, true)
			switch l.at(i) {
			case ']':
				return i + 1
			case ',':
				i++
				continue
			case 0:
				return len(l.src)
			}
			elem := append(append([]string(nil), path...), strconv.Itoa(n))
			if l.tooDeep(elem, i) {
				return len(l.src)
			}
			l.spans[joinPath(elem)] = span{i, i}
			j := l.value(elem, i)
			i = max(j, i+1)
			n++
		}
		return i
	case l.at(i) == '{':
		i++
		for i < len(l.src) {
			i = l.skipSpace(i, true)
			switch l.at(i) {
			case '}':
				return i + 1
			case ',':
				i++
				continue
			case 0:
				return len(l.src)
			}
			start := i
			parts, j := l.readKey(i)
			if len(parts) == 0 || j == i {
				return i + 1
			}
			i = l.skipSpace(j, false)
			if l.at(i) == '=' {
				i = l.skipSpace(i+1, false)
			}
			key := append(append([]string(nil), path...), parts...)
			if l.tooDeep(key, start) {
				return len(l.src)
			}
			l.implied(key, len(path), start)
			l.record(key, span{start, i})
			j = l.value(key, i)
			i = max(j, i+1)
		}
		return i
	}
	// A number, boolean or date. A date and a time may be separated by a
	// space.
	j := i
	for j < len(l.src) && !strings.ContainsRune(" \t\r\n,]}#", rune(l.src[j])) {
		j++
	}
	if j-i == 10 && l.at(i+4) == '-' && l.at(j) == ' ' && isDigitByte(l.at(j+1)) {
		return l.value(path, j+1)
	}
	return j
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// stringText re-reads the string literal that starts at off (at its
// opening quote) and returns the offset of the first byte of its content
// and, when the text is not a verbatim single-line copy of the file's
// bytes, the offset in the file of each byte of want (one more entry for
// the end). It returns ok false when the literal does not read back as
// want.
func (l *layout) stringText(off int, want string) (start int, offs []int, ok bool) {
	switch {
	case l.has(off, `'''`):
		start = off + 3
		if l.has(start, "\n") {
			start++
		} else if l.has(start, "\r\n") {
			start += 2
		}
		if !l.has(start, want) {
			return start, nil, false
		}
		offs = make([]int, len(want)+1)
		for i := range offs {
			offs[i] = start + i
		}
		return start, offs, true
	case l.has(off, `'`):
		start = off + 1
		return start, nil, l.has(start, want)
	case l.has(off, `"""`):
		start = off + 3
		if l.has(start, "\n") {
			start++
		} else if l.has(start, "\r\n") {
			start += 2
		}
		offs, ok = l.unescape(start, true, want)
		return start, offs, ok
	case l.has(off, `"`):
		start = off + 1
		if l.has(start, want) && !strings.Contains(want, `\`) && l.at(start+len(want)) == '"' {
			return start, nil, true
		}
		offs, ok = l.unescape(start, false, want)
		return start, offs, ok
	}
	return off, nil, false
}

// unescape reads a basic string's content from i and maps each byte of
// the decoded text to the offset it came from. It reports whether the
// decoded text equals want.
func (l *layout) unescape(i int, multi bool, want string) ([]int, bool) {
	var out []byte
	var offs []int
	emit := func(from int, b ...byte) {
		for _, c := range b {
			out = append(out, c)
			offs = append(offs, from)
		}
	}
	for i < len(l.src) {
		c := l.src[i]
		if c == '"' {
			if !multi {
				break
			}
			n := 0
			for i+n < len(l.src) && l.src[i+n] == '"' {
				n++
			}
			if n >= 3 {
				for k := 0; k < n-3; k++ {
					emit(i+k, '"')
				}
				i += n - 3
				break
			}
			for k := 0; k < n; k++ {
				emit(i+k, '"')
			}
			i += n
			continue
		}
		if c == '\n' && !multi {
			break
		}
		if c != '\\' {
			emit(i, c)
			i++
			continue
		}
		// An escape.
		e := l.at(i + 1)
		switch e {
		case 'b':
			emit(i, '\b')
		case 't':
			emit(i, '\t')
		case 'n':
			emit(i, '\n')
		case 'f':
			emit(i, '\f')
		case 'r':
			emit(i, '\r')
		case 'e':
			emit(i, 0x1b)
		case '"', '\\':
			emit(i, e)
		case 'x', 'u', 'U':
			n := 2
			if e == 'u' {
				n = 4
			} else if e == 'U' {
				n = 8
			}
			hex := l.src[min(i+2, len(l.src)):min(i+2+n, len(l.src))]
			v, err := strconv.ParseUint(hex, 16, 32)
			if err != nil || len(hex) != n {
				return nil, false
			}
			emit(i, utf8.AppendRune(nil, rune(v))...)
			i += 2 + n
			continue
		default:
			// A line-ending backslash: skip it and the blanks and
			// newlines after it.
			j := i + 1
			for j < len(l.src) && strings.IndexByte(" \t\r\n", l.src[j]) >= 0 {
				j++
			}
			if !multi || !strings.Contains(l.src[i:j], "\n") {
				return nil, false
			}
			i = j
			continue
		}
		i += 2
	}
	offs = append(offs, i)
	return offs, string(out) == want
}
