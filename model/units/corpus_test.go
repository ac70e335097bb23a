package units_test

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/units"
)

var update = flag.Bool("update", false, "rewrite the want lines of testdata/errors")

// TestErrorCorpus checks each model of testdata/errors: its units
// problems must be, in order, the lines of the file's "# want:" comments.
// With -update the comments are rewritten to what the check says (read
// them before committing).
func TestErrorCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.toml")
	if len(files) < 15 {
		t.Fatalf("got %d error cases, want at least 15", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m, err := decl.ParseTOML(filepath.Base(f), src)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range units.Check(m).Errors {
				got = append(got, e.Error())
			}
			var want, rest []string
			sc := bufio.NewScanner(strings.NewReader(string(src)))
			for sc.Scan() {
				if w, ok := strings.CutPrefix(sc.Text(), "# want: "); ok {
					want = append(want, w)
				} else {
					rest = append(rest, sc.Text())
				}
			}
			if *update {
				out := strings.Join(rest, "\n") + "\n"
				for _, g := range got {
					out += "# want: " + g + "\n"
				}
				if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if len(got) == 0 {
				t.Errorf("no units problem found")
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}
