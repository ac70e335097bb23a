package vensim_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestMeasureAll(t *testing.T) {
	root := os.Getenv("MEASURE_SUITE")
	if root == "" {
		t.Skip()
	}
	dirs := map[string]bool{}
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.EqualFold(filepath.Ext(p), ".mdl") {
			dirs[filepath.Dir(p)] = true
		}
		return nil
	})
	var ds []string
	for d := range dirs {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	pass := 0
	for _, d := range ds {
		rel, _ := filepath.Rel(root, d)
		var dir string
		if strings.HasPrefix(rel, "tests/") {
			dir = strings.TrimPrefix(rel, "tests/")
		} else {
			dir = rel
		}
		ok, why := runDirAbs(d)
		if ok {
			pass++
			t.Logf("PASS %s", dir)
		} else {
			t.Logf("FAIL %s: %s", dir, firstLine(why))
		}
	}
	t.Logf("%d of %d directories pass", pass, len(ds))
}

func runDirAbs(d string) (ok bool, why string) {
	defer func() {
		if r := recover(); r != nil {
			ok, why = false, "PANIC"
		}
	}()
	return runDirPath(d)
}
