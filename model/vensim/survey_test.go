package vensim_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestSurvey runs every .mdl file of the suite at STOCKFLOW_SURVEY (a
// directory such as /work/shared/test-models) against the expected
// output beside it, and reports which load and which match, for
// measurements; it is skipped when the variable is not set.
func TestSurvey(t *testing.T) {
	root := os.Getenv("STOCKFLOW_SURVEY")
	if root == "" {
		t.Skip("STOCKFLOW_SURVEY not set")
	}
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".mdl") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	referenced, loaded, matched := 0, 0, 0
	for _, f := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(f, filepath.Clean(root)+string(filepath.Separator)))
		want, _, err := dirFiles(filepath.Dir(f))
		if err != nil {
			t.Logf("%s: no reference", rel)
			continue
		}
		referenced++
		ok, why := runFile(f, want)
		status := "ok"
		switch {
		case ok && why == "":
			loaded++
			matched++
		case ok:
			loaded++
			status = "DIFF " + firstLine(why)
		default:
			status = "FAIL " + firstLine(why)
		}
		t.Logf("%s: %s", rel, status)
	}
	t.Logf("%d files, %d with a reference: %d load, %d match", len(files), referenced, loaded, matched)
}
