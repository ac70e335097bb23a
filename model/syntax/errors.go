package syntax

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
)

// Pos is a position in a source file. Line and Col count from 1; a zero
// Line means the position is unknown. Col counts bytes, as go/token does.
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether the position is known.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats the position as "file:line:col", leaving out the parts
// that are unknown.
func (p Pos) String() string {
	s := p.File
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d", p.Line)
		if p.Col > 0 {
			s += fmt.Sprintf(":%d", p.Col)
		}
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Less reports whether p comes before q: by file, then line, then column.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Error is one problem found in a model, with the place it was found and
// the key of the model entry it concerns (for example
// "flows.births.eq"). Key may be empty when the problem concerns the whole
// file.
type Error struct {
	Pos Pos
	Key string
	Msg string
}

// Error formats the error as "file:line:col: key: message".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.IsValid() || e.Pos.File != "" {
		b.WriteString(e.Pos.String())
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is a list of errors. The zero value is an empty list ready to
// use.
type ErrorList []*Error

// Add appends an error with the given position, key and message.
func (l *ErrorList) Add(pos Pos, key, msg string) {
	*l = append(*l, &Error{Pos: pos, Key: key, Msg: msg})
}

// Addf appends an error whose message is formatted with fmt.Sprintf.
func (l *ErrorList) Addf(pos Pos, key, format string, args ...any) {
	l.Add(pos, key, fmt.Sprintf(format, args...))
}

// Len returns the number of errors.
func (l ErrorList) Len() int { return len(l) }

// Sort sorts the list by position, then key, then message.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Msg < b.Msg
	})
}

// RemoveDuplicates sorts the list and removes exact duplicates (same
// position, key and message). Unlike go/scanner's RemoveMultiples, it
// keeps different errors on one line.
func (l *ErrorList) RemoveDuplicates() {
	l.Sort()
	out := (*l)[:0]
	for i, e := range *l {
		if i > 0 && *e == *(*l)[i-1] {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Error returns the first error's text followed by "(and N more errors)"
// when there are more.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return fmt.Sprintf("%s (and 1 more error)", l[0])
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns nil for an empty list and the list itself otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// PrintError writes err to w, one error a line, as go/scanner's
// PrintError does: each error of an ErrorList (or a single *Error) as
// "file:line:col: key: message", a file system error as "path: reason",
// and any other error as its message. A line that names no position
// starts with prefix (a program's "name: ", or "").
func PrintError(w io.Writer, prefix string, err error) {
	one := func(e *Error) {
		if e.Pos.IsValid() || e.Pos.File != "" {
			fmt.Fprintln(w, e.Error())
			return
		}
		fmt.Fprintf(w, "%s%s\n", prefix, e.Error())
	}
	var list ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		for _, e := range list {
			one(e)
		}
		return
	}
	var e *Error
	if errors.As(err, &e) {
		one(e)
		return
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		// "lgistic.toml: no such file or directory", as cat and ls say
		// it, rather than "open lgistic.toml: ...".
		fmt.Fprintf(w, "%s%s: %v\n", prefix, pe.Path, pe.Err)
		return
	}
	if err != nil {
		fmt.Fprintf(w, "%s%v\n", prefix, err)
	}
}

// Suggest returns the candidate closest to name by edit distance, or ""
// when none is close enough to be a plausible typo. It compares without
// regard to case. Ties go to the candidate that comes first.
func Suggest(name string, candidates []string) string {
	best, bestD := "", -1
	ln := strings.ToLower(name)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == ln {
			return c
		}
		d := editDistance(ln, lc)
		limit := max(1, min(len(ln), len(lc))/3)
		if d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
