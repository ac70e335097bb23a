package model

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMaxValues checks a run that would keep more numbers than
// RunOptions.MaxValues is refused before it starts, counting a value per
// output and the time at each save point, and the state too with a trace.
func TestMaxValues(t *testing.T) {
	var src strings.Builder
	src.WriteString("[sim]\nstop = 10000\ndt = 0.001\n[aux]\n")
	for i := range 100 {
		fmt.Fprintf(&src, "a%02d = { eq = \"time\" }\n", i)
	}
	m := mustParse(t, src.String())
	// 10,000,001 save points × 101 columns: 8 GB, which the run used to
	// allocate as it went, until memory ran out.
	_, err := m.Run(context.Background(), RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "the run would keep 1.01e+09 numbers (10000001 save points × 101 columns, 8.08 GB), more than the limit of 100000000") {
		t.Errorf("default limit: %v", err)
	}
	// Saving less often brings it under the limit.
	res, err := m.Run(context.Background(), RunOptions{SaveEvery: 10})
	if err != nil || res.Len() != 1001 {
		t.Errorf("save every 10: %v, %d rows", err, res.Len())
	}
	for _, c := range []struct {
		opt  RunOptions
		want bool // refused
	}{
		{RunOptions{Stop: 1, MaxValues: 1001 * 101}, false},
		{RunOptions{Stop: 1, MaxValues: 1001*101 - 1}, true},
		{RunOptions{Stop: 1, Vars: []string{"a00"}, MaxValues: 1001 * 2}, false},
		{RunOptions{Stop: 1, Vars: []string{"a00"}, MaxValues: 1001*2 - 1}, true},
		{RunOptions{Stop: 1, Vars: []string{"a00"}, MaxValues: 1001 * 2, Trace: true}, true},
		{RunOptions{Stop: 1, MaxValues: -1}, false},
	} {
		_, err := m.Run(context.Background(), c.opt)
		if refused := err != nil && strings.Contains(err.Error(), "more than the limit"); refused != c.want || (err != nil && !refused) {
			t.Errorf("%+v: error %v, want refused %v", c.opt, err, c.want)
		}
	}
}

// TestLoadWithMaxInputSize checks LoadWith refuses a file over the limit
// and Load one over the default.
func TestLoadWithMaxInputSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.toml")
	src := "[sim]\nstop = 1\ndt = 1\n[aux.a]\neq = \"time\"\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadWith(path, LoadOptions{MaxInputSize: int64(len(src))}); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	if _, err := LoadWith(path, LoadOptions{MaxInputSize: int64(len(src)) - 1}); err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Errorf("over the limit: %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.toml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file one byte over the default limit: nothing is read.
	if err := f.Truncate(64<<20 + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than the limit of 64M bytes") {
		t.Errorf("over the default limit: %v", err)
	}
}
