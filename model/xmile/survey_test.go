package xmile_test

import (
	"os"
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
	loaded, matched := 0, 0
	for _, f := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(f, filepath.Clean(root)+string(filepath.Separator)))
		err := conform(f, rel)
		status := "ok"
		switch {
		case err == nil:
			loaded++
			matched++
		case strings.Contains(err.Error(), "columns compared"):
			loaded++
			status = "DIFF " + firstLine(err.Error())
		default:
			status = "FAIL " + firstLine(err.Error())
		}
		t.Logf("%s: %s", rel, status)
	}
	t.Logf("%d files, %d load, %d match", len(files), loaded, matched)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
