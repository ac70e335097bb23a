package decl

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestReadFileLimit checks ReadFile refuses a file over the limit, reads
// one at the limit, and stops reading an endless device after the limit.
func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.toml")
	if err := os.WriteFile(path, []byte(strings.Repeat("#", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		max     int64
		wantErr string
	}{
		{999, "m.toml: the file is larger than the limit of 999 bytes on a model file; raise it with --max-input SIZE"},
		{1000, ""},
		{1 << 10, ""},
		{-1, ""},
		{0, ""},
	} {
		src, err := ReadFile(path, c.max)
		switch {
		case c.wantErr == "" && (err != nil || len(src) != 1000):
			t.Errorf("max %d: %d bytes, error %v; want the 1000 bytes", c.max, len(src), err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("max %d: error %v, want …%s…", c.max, err, c.wantErr)
		}
	}
	if runtime.GOOS == "linux" {
		// Without the limit this reads until memory runs out.
		_, err := ReadFile("/dev/zero", 1<<20)
		if err == nil || !strings.Contains(err.Error(), "/dev/zero: the file is larger than the limit of 1M bytes") {
			t.Errorf("/dev/zero: %v, want the limit's error", err)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{64 << 20: "64M", 1 << 30: "1G", 3 << 10: "3K", 1000: "1000", 1<<20 + 1: "1048577"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
