package decl

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"

	"github.com/stockflow/stockflow/internal/fuzzbound"
)

func FuzzParseTOML(f *testing.F) {
	if src, err := os.ReadFile("testdata/logistic.toml"); err == nil {
		f.Add(src)
	}
	f.Add([]byte("\ufeffstocks.a.initial = \"1 +\t2\"\r\n[flows]\r\nf = { eq = 3 }\r\ng.eq = '''\r\na *\r\n  2'''\r\n" +
		"[aux]\nh = { eq = \"\\u0061 + \\t\\\"b\\\"\" }\ni.eq = \"\"\"\\\n   a + \\\n   1\"\"\"\n[[loops]]\nname = \"x\"\n[[loops]]\npath = [\"a\"]\n"))
	for _, c := range badCases {
		f.Add([]byte(c.src))
	}
	f.Add([]byte(arrayModel))
	f.Add([]byte(subrangeModel))
	for _, c := range badArrays {
		f.Add([]byte(c.src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzbound.Check(t, func() {
			m, err := ParseTOML("f.toml", src)
			lines := strings.Split(string(src), "\n")
			inside := func(what string, p syntax.Pos) {
				if p.File != "f.toml" || p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1])+1 {
					t.Fatalf("%s: position %v outside the input (%d lines)", what, p, len(lines))
				}
			}
			checkErrs := func(err error) {
				var list syntax.ErrorList
				if !errors.As(err, &list) || len(list) == 0 {
					t.Fatalf("got %v (%T), want a non-empty syntax.ErrorList", err, err)
				}
				for i, e := range list {
					inside(e.Error(), e.Pos)
					if i > 0 && e.Pos.Less(list[i-1].Pos) {
						t.Fatalf("errors not sorted: %v before %v", list[i-1], e)
					}
				}
			}
			if err != nil {
				checkErrs(err)
			}
			if m == nil {
				return
			}
			// Expanding arrays never panics, even on a model with errors, and
			// its errors lie inside the input too.
			if x, err := Expand(m); err != nil {
				checkErrs(err)
			} else {
				for _, v := range x.Vars {
					inside(v.Name, v.Pos)
					if v.Eq.IsZero() {
						continue
					}
					for i := range len(v.Eq.Text) + 1 {
						inside(v.Name+" eq byte", v.Eq.PosAt(i))
					}
				}
			}
			for _, v := range m.Vars {
				for _, el := range v.ElementEqs {
					for i := range len(el.Eq.Text) + 1 {
						inside(v.Key+" element eq byte", el.Eq.PosAt(i))
					}
				}
			}
			for _, v := range m.Vars {
				inside(v.Key, v.Pos)
				for k, p := range v.FieldPos {
					inside(v.Key+"."+k, p)
				}
				eq := v.Eq
				if eq.IsZero() {
					continue
				}
				inside(v.Key+" eq", eq.Pos)
				for i := range len(eq.Text) + 1 {
					inside(v.Key+" eq byte", eq.PosAt(i))
				}
				// An equation without a map is a verbatim copy of the file's
				// bytes at its position.
				line := lines[eq.Pos.Line-1]
				quoted := eq.Pos.Col >= 2 && strings.ContainsRune(`"'`, rune(line[eq.Pos.Col-2]))
				if eq.Map == nil && quoted && !strings.HasPrefix(line[eq.Pos.Col-1:], eq.Text) {
					t.Fatalf("%s: %q is not at %v", v.Key, eq.Text, eq.Pos)
				}
			}
			for _, th := range m.Thresholds {
				inside(th.Key, th.Pos)
			}
			for _, l := range m.Loops {
				inside(l.Key, l.Pos)
			}
			for _, p := range m.Plots {
				inside(p.Key, p.Pos)
			}
			for k, p := range m.Sim.Pos {
				inside("sim."+k, p)
			}
		})
	})
}
