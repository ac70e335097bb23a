package main

import (
	"fmt"
	"io"
	"sync"
	"unicode/utf8"
)

// escaper writes what it is given with the control characters escaped —
// C0 (but newline and tab), DEL and C1 — as Go writes them in a quoted
// string: "\x1b", "\r", "\u009b"; so are bytes that are not UTF-8. A name read from a model file (a Vensim
// name may hold any character) then cannot move the cursor, recolour or
// clear the terminal it is printed on, or hide what follows it.
type escaper struct {
	w    io.Writer
	mu   sync.Mutex
	pend []byte // the start of a character split across writes
}

// newEscaper returns an escaper writing to w.
func newEscaper(w io.Writer) *escaper { return &escaper{w: w} }

func (e *escaper) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.pend) == 0 && plain(p) {
		// Nothing to escape, as in a run's numbers: no copy.
		if _, err := e.w.Write(p); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	buf := append(e.pend, p...)
	e.pend = nil
	out := make([]byte, 0, len(buf))
	for i := 0; i < len(buf); {
		c := buf[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n' || c == '\t':
				out = append(out, c)
			case c < 0x20 || c == 0x7f:
				out = append(out, escapeRune(rune(c))...)
			default:
				out = append(out, c)
			}
			i++
			continue
		}
		if !utf8.FullRune(buf[i:]) {
			e.pend = append([]byte(nil), buf[i:]...)
			break
		}
		r, n := utf8.DecodeRune(buf[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			// A byte that is not UTF-8: some terminals read 0x9b as CSI.
			out = fmt.Appendf(out, `\x%02x`, buf[i])
		case r >= 0x80 && r <= 0x9f:
			out = append(out, escapeRune(r)...)
		default:
			out = append(out, buf[i:i+n]...)
		}
		i += n
	}
	if _, err := e.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// escapeRune returns the escape of a control character.
func escapeRune(r rune) string {
	switch r {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\r':
		return `\r`
	case '\v':
		return `\v`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// raw returns the writer under an escaper, or w itself: where the
// progress bar, whose carriage returns are meant, writes.
func raw(w io.Writer) io.Writer {
	if e, ok := w.(*escaper); ok {
		return e.w
	}
	return w
}

// plain reports whether p holds only printable ASCII, newlines and tabs,
// which the escaper writes as they are.
func plain(p []byte) bool {
	for _, c := range p {
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}
