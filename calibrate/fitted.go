package calibrate

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
)

// WriteFitted writes the model d with the fitted values. When src holds
// the TOML file d was read from, it is written as it is, comments and
// all, with each fitted param's number replaced where the file gives it;
// a param the file does not give as one number (an element of an arrayed
// param) is set in a [scenarios.calibrated] table added at the end. With
// src nil (a model read from XMILE or Vensim), d is written as TOML
// (decl.WriteTOML) with the fitted values.
func WriteFitted(w io.Writer, d *decl.Model, src []byte, values map[string]float64, order []string) error {
	if src == nil {
		c := *d
		c.Vars = make([]*decl.Var, len(d.Vars))
		written := 0
		for i, v := range d.Vars {
			if x, ok := values[v.Name]; ok && v.Kind == decl.Param && len(v.Dims) == 0 {
				nv := *v
				nv.Value = x
				v = &nv
				written++
			}
			c.Vars[i] = v
		}
		if written < len(values) {
			return fmt.Errorf("an element of an arrayed param cannot be written into a converted model; give the fitted values with --set")
		}
		return decl.WriteTOML(w, &c)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	var rest []string
	for _, name := range order {
		x := values[name]
		v := d.Var(name)
		if v == nil {
			rest = append(rest, name)
			continue
		}
		pos, ok := v.FieldPos["value"]
		if !ok || pos.Line < 1 || pos.Line > len(lines) || pos.Col < 1 || pos.Col > len(lines[pos.Line-1]) {
			rest = append(rest, name)
			continue
		}
		line := lines[pos.Line-1]
		at := pos.Col - 1
		end := at
		for end < len(line) && strings.IndexByte("0123456789+-._eE", line[end]) >= 0 {
			end++
		}
		if end == at {
			rest = append(rest, name)
			continue
		}
		nl := append(append(append([]byte(nil), line[:at]...), ff(x)...), line[end:]...)
		lines[pos.Line-1] = nl
	}
	out := bytes.Join(lines, nil)
	if len(rest) > 0 {
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		var b strings.Builder
		b.WriteString("\n[scenarios.calibrated]\ndoc = \"Param values fitted by stockflow calibrate\"\nset = { ")
		for i, name := range rest {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q = %s", name, ff(values[name]))
		}
		b.WriteString(" }\n")
		out = append(out, b.String()...)
	}
	_, err := w.Write(out)
	return err
}
