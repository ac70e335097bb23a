package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader in two
// goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// eventually polls cond until it holds or the test's patience runs out.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

const watchModel = `
[sim]
stop = 10
[params]
k = %s
[stocks.x]
initial = 100
outflows = ["decay"]
[flows.decay]
eq = "k * x"
`

// TestPlotWatch runs "stockflow plot --watch" with a context that the
// test ends: it draws at once, prints the errors of a broken save and
// keeps the last good picture, draws again after a good save, and stops
// when the context is done.
func TestPlotWatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "decay.toml")
	png := filepath.Join(dir, "x.png")
	save := func(src string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	save(strings.Replace(watchModel, "%s", "0.5", 1))

	fs := plotCmd.flagSet(&output{})
	run := plotCmd.setup(fs)
	args, err := parseInterspersed(fs, []string{path, "--watch", "--interval", "5ms", "--vars", "x", "-o", png})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, &output{stdout: &stdout, stderr: &stderr}, args) }()

	wrote := func(n int) func() bool {
		return func() bool { return strings.Count(stdout.String(), "wrote "+png) >= n }
	}
	eventually(t, "the first picture", wrote(1))
	first, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}

	// A broken save: its error is printed, the picture stays.
	save(strings.Replace(watchModel, "%s", "0.5 *", 1))
	eventually(t, "the broken save's error", func() bool { return strings.Contains(stderr.String(), "decay.toml:5:") })
	if !strings.Contains(stderr.String(), "keeping the last good pictures") {
		t.Errorf("stderr %q does not say the pictures are kept", stderr.String())
	}
	if got, _ := os.ReadFile(png); !bytes.Equal(got, first) {
		t.Error("a broken save changed the picture")
	}

	// A good save draws again, a different picture.
	save(strings.Replace(watchModel, "%s", "0.05", 1))
	eventually(t, "the second picture", wrote(2))
	if got, _ := os.ReadFile(png); bytes.Equal(got, first) {
		t.Error("the picture did not change after a good save")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("watch ended with %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop when its context ended")
	}
}
