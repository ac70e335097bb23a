package xmile_test

import (
	"os"

	"github.com/stockflow/stockflow/internal/conformance"
	"github.com/stockflow/stockflow/model"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestSurvey runs every XMILE file of the suite at STOCKFLOW_SURVEY (a
// directory such as /work/shared/test-models) and reports which load and
// match their reference output, for measurements; it is skipped when the
// variable is not set.
func TestSurvey(t *testing.T) {
	root := os.Getenv("STOCKFLOW_SURVEY")
	if root == "" {
		t.Skip("STOCKFLOW_SURVEY not set")
	}
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".xmile") || strings.HasSuffix(p, ".stmx")) {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	loaded, referenced, matched := 0, 0, 0
	for _, f := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(f, filepath.Clean(root)+string(filepath.Separator)))
		status := "ok"
		if _, err := model.Load(f); err != nil {
			t.Logf("%s: FAIL %s", rel, firstLine(err.Error()))
			continue
		}
		loaded++
		if _, err := conformance.ReadDir(filepath.Dir(f)); err != nil {
			t.Logf("%s: loads; no reference output", rel)
			continue
		}
		referenced++
		if err := conform(f, rel); err != nil {
			status = "DIFF " + firstLine(err.Error())
		} else {
			matched++
		}
		t.Logf("%s: %s", rel, status)
	}
	t.Logf("%d files, %d load (%d with a reference output), %d match", len(files), loaded, referenced, matched)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
