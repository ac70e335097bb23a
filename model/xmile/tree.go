package xmile

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model/syntax"
)

// node is an element of the XML document, with the byte offsets of its
// parts in the source.
type node struct {
	name     string // local name, without prefix
	prefix   string // namespace prefix as written, "" for none
	attrs    []xml.Attr
	start    int // offset of '<'
	inner    int // offset just past the start tag
	innerEnd int // offset of the end tag ('<' of "</name>"), or of the text that closes it
	parent   *node
	children []*node
}

// child returns the first child element with the given local name (and no
// namespace prefix other than the standard one), or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name && c.prefix == "" {
			return c
		}
	}
	return nil
}

// all returns the child elements with the given local name.
func (n *node) all(name string) []*node {
	var out []*node
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name && c.prefix == "" {
			out = append(out, c)
		}
	}
	return out
}

// attr returns the value of the attribute with the given local name and
// no prefix.
func (n *node) attr(name string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

// iseeAttr returns the value of isee's attribute local (isee:local), whose
// space is the prefix "isee" or isee's namespace URL.
func (n *node) iseeAttr(local string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.Name.Local == local && strings.Contains(strings.ToLower(a.Name.Space), "isee") {
			return a.Value, true
		}
	}
	return "", false
}

// prefixedAttr returns the value of the attribute prefix:local.
func (n *node) prefixedAttr(prefix, local string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.Name.Local == local && a.Name.Space == prefix {
			return a.Value, true
		}
	}
	return "", false
}

// variableTags are the elements that declare model entities; they never
// nest inside one another (a <gf> nests in a variable, but a variable
// never nests in a <gf>).
var variableTags = map[string]bool{"stock": true, "flow": true, "aux": true, "module": true, "group": true}

// doc is a parsed XML document: its root element, the source, and its line
// starts.
type doc struct {
	file  string
	src   []byte
	lines []int // offset of the first byte of each line
	root  *node
}

func newDoc(file string, src []byte) *doc {
	d := &doc{file: file, src: src, lines: []int{0}}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			d.lines = append(d.lines, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			d.lines = append(d.lines, i+1)
		}
	}
	return d
}

// pos returns the file position of byte offset off.
func (d *doc) pos(off int) syntax.Pos {
	off = max(0, min(off, len(d.src)))
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
	return syntax.Pos{File: d.file, Line: i + 1, Col: off - d.lines[i] + 1}
}

// parse reads the XML into a tree. Malformed XML is an error naming the
// line and what is wrong, except for one mistake it repairs with a
// warning: a variable element (<stock>, <flow>, <aux>, <module>) that is
// never closed. Its end tag is taken to stand just before the first
// variable element found inside it, or where its parent closes.
func (d *doc) parse(errs, warns *syntax.ErrorList) bool {
	base := 0
	src := d.src
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		base = 3
	}
	dec := xml.NewDecoder(bytes.NewReader(src[base:]))
	dec.Strict = true
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return r, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q (stockflow reads UTF-8 XMILE files)", label)
	}
	top := &node{name: "#document"}
	cur := top
	for {
		off := base + int(dec.InputOffset())
		tok, err := dec.RawToken()
		end := base + int(dec.InputOffset())
		if err == io.EOF {
			break
		}
		if err != nil {
			msg := err.Error()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				msg = se.Msg
			}
			errs.Add(d.pos(end), "", "malformed XML: "+msg)
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, prefix: t.Name.Space, attrs: t.Attr, start: off, inner: end, parent: cur}
			if cur == top && top.children != nil {
				errs.Add(d.pos(off), "", fmt.Sprintf("malformed XML: a second root element <%s>", qname(t.Name)))
				return false
			}
			cur.children = append(cur.children, n)
			cur = n
		case xml.EndElement:
			if t.Name.Local == cur.name && t.Name.Space == cur.prefix {
				cur.innerEnd = off
				cur = cur.parent
				continue
			}
			// Find the open element this end tag closes.
			open := cur
			for open != top && !(open.name == t.Name.Local && open.prefix == t.Name.Space) {
				open = open.parent
			}
			if open == top {
				errs.Add(d.pos(off), "", fmt.Sprintf("malformed XML: </%s> closes no open element (<%s> opened at line %d is still open)",
					qname(t.Name), qname(xml.Name{Space: cur.prefix, Local: cur.name}), d.pos(cur.start).Line))
				return false
			}
			for n := cur; n != open; n = n.parent {
				if n.prefix != "" || !variableTags[n.name] {
					errs.Add(d.pos(off), "", fmt.Sprintf("malformed XML: <%s> opened at line %d is closed by </%s>",
						qname(xml.Name{Space: n.prefix, Local: n.name}), d.pos(n.start).Line, qname(t.Name)))
					return false
				}
			}
			d.recoverChain(cur, open, off, warns)
			cur = open
			cur.innerEnd = off
			cur = cur.parent
		}
	}
	if cur != top {
		errs.Add(d.pos(len(src)), "", fmt.Sprintf("malformed XML: <%s> opened at line %d is not closed at the end of the file",
			qname(xml.Name{Space: cur.prefix, Local: cur.name}), d.pos(cur.start).Line))
		return false
	}
	if len(top.children) == 0 {
		errs.Add(d.pos(len(src)), "", "not an XMILE file: no root element")
		return false
	}
	d.root = top.children[0]
	d.root.parent = nil
	return true
}

// recoverChain closes the unclosed variable elements from cur up to, not
// including, its ancestor open, which an end tag at off closes. Each is
// taken to end just before its first child that is itself a variable
// element, or at off: those children, and the ones after, become children
// of its parent, and so, as the elements close one after another from the
// innermost, of open. The nodes move once, straight to open, in the order
// closing them one at a time would leave them in, so that 32,000 nested
// unclosed elements cost time linear in their number.
func (d *doc) recoverChain(cur, open *node, off int, warns *syntax.ErrorList) {
	var chain []*node // innermost first
	for n := cur; n != open; n = n.parent {
		chain = append(chain, n)
	}
	split := make([]int, len(chain)) // chain[j] keeps its children before split[j]
	for j, n := range chain {
		split[j] = d.recover(n, off, warns)
	}
	for j := len(chain) - 1; j >= 0; j-- {
		n := chain[j]
		for _, m := range n.children[split[j]:] {
			m.parent = open
			open.children = append(open.children, m)
		}
		n.children = n.children[:split[j]]
	}
}

// recover closes the unclosed variable element n: its end is taken to be
// just before its first child that is itself a variable element, or at
// off. It returns the index of that child, len(n.children) if there is
// none.
func (d *doc) recover(n *node, off int, warns *syntax.ErrorList) int {
	name, _ := n.attr("name")
	what := "<" + n.name + ">"
	if name != "" {
		what = fmt.Sprintf("<%s name=%q>", n.name, name)
	}
	for i, c := range n.children {
		if c.prefix == "" && variableTags[c.name] {
			n.innerEnd = c.start
			warns.Add(d.pos(n.start), "", fmt.Sprintf("malformed XML: %s is not closed; read as closed before the <%s> at line %d", what, c.name, d.pos(c.start).Line))
			return i
		}
	}
	n.innerEnd = off
	warns.Add(d.pos(n.start), "", fmt.Sprintf("malformed XML: %s is not closed; read as closed at line %d", what, d.pos(off).Line))
	return len(n.children)
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// text returns the character data of n (entities decoded, CDATA
// unwrapped, comments and nested elements left out, line ends made "\n")
// and the source offset of each of its bytes, with one more entry for the
// offset just past the end.
func (d *doc) text(n *node) (string, []int) {
	offs := []int{}
	s := d.textOffs(n, &offs)
	return s, offs
}

// textOffs returns the character data of n, and when offs is not nil
// appends the source offset of each of its bytes to *offs, and the offset
// just past the end. Without offsets the text costs about its own size:
// an offset per byte is eight bytes per byte, which a long <doc> makes
// hundreds of megabytes.
func (d *doc) textOffs(n *node, offs *[]int) string {
	src := d.src
	var b []byte
	mark := func(off int) {
		if offs != nil {
			*offs = append(*offs, off)
		}
	}
	put := func(s string, off int) {
		for i := 0; i < len(s); i++ {
			b = append(b, s[i])
			mark(off)
		}
	}
	i, end := n.inner, n.innerEnd
	if end < i {
		end = i
	}
	for i < end {
		c := src[i]
		switch {
		case c == '<' && bytes.HasPrefix(src[i:end], []byte("<![CDATA[")):
			j := bytes.Index(src[i+9:end], []byte("]]>"))
			if j < 0 {
				j = end - i - 9
			}
			for k := i + 9; k < i+9+j; k++ {
				b = append(b, src[k])
				mark(k)
			}
			i += 9 + j + 3
		case c == '<' && bytes.HasPrefix(src[i:end], []byte("<!--")):
			j := bytes.Index(src[i+4:end], []byte("-->"))
			if j < 0 {
				i = end
			} else {
				i += 4 + j + 3
			}
		case c == '<':
			j := bytes.IndexByte(src[i:end], '>')
			if j < 0 {
				i = end
			} else {
				i += j + 1
			}
		case c == '&':
			j := bytes.IndexByte(src[i:min(end, i+12)], ';')
			if j < 0 {
				put("&", i)
				i++
				continue
			}
			put(entity(string(src[i+1:i+j])), i)
			i += j + 1
		case c == '\r':
			put("\n", i)
			i++
			if i < end && src[i] == '\n' {
				i++
			}
		default:
			b = append(b, c)
			mark(i)
			i++
		}
	}
	mark(end)
	return string(b)
}

// entity returns the text of the character entity &name;.
func entity(name string) string {
	switch name {
	case "lt":
		return "<"
	case "gt":
		return ">"
	case "amp":
		return "&"
	case "quot":
		return `"`
	case "apos":
		return "'"
	}
	if strings.HasPrefix(name, "#") {
		var r rune
		var err error
		if strings.HasPrefix(name, "#x") || strings.HasPrefix(name, "#X") {
			_, err = fmt.Sscanf(name[2:], "%x", &r)
		} else {
			_, err = fmt.Sscanf(name[1:], "%d", &r)
		}
		if err == nil && utf8.ValidRune(r) {
			return string(r)
		}
	}
	return "&" + name + ";"
}

// trimmed returns n's text with surrounding white space removed.
func (d *doc) trimmed(n *node) (string, []int) {
	s, offs := d.text(n)
	lo, hi := 0, len(s)
	for lo < hi && isSpace(s[lo]) {
		lo++
	}
	for hi > lo && isSpace(s[hi-1]) {
		hi--
	}
	return s[lo:hi], offs[lo : hi+1]
}

// str returns n's trimmed text.
func (d *doc) str(n *node) string {
	if n == nil {
		return ""
	}
	return strings.TrimFunc(d.textOffs(n, nil), func(r rune) bool { return r < utf8.RuneSelf && isSpace(byte(r)) })
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
