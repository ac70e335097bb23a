//go:build unix

package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeString returns a write function that writes s.
func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// onlyEntries fails the test unless dir holds exactly the named entries:
// no temporary file left behind.
func onlyEntries(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func TestWriteFileSpecialFiles(t *testing.T) {
	ctx := t.Context()
	// A device is written, not replaced by a regular file.
	if err := writeFile(ctx, "/dev/null", writeString("x\n")); err != nil {
		t.Errorf("write /dev/null: %v", err)
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v, %v", fi.Mode(), err)
	}
	// A full device reports its error.
	if _, err := os.Stat("/dev/full"); err == nil {
		err := writeFile(ctx, "/dev/full", writeString(strings.Repeat("x", 1<<16)))
		if !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("write /dev/full: %v, want no space left on device", err)
		}
	}
	// A FIFO is written to its reader and stays a FIFO.
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	got := make(chan string, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := writeFile(ctx, fifo, writeString("through the pipe\n")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe\n" {
		t.Errorf("the FIFO's reader got %q", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO became %v (%v)", fi.Mode(), err)
	}
	onlyEntries(t, dir, "pipe")
}

func TestWriteFileLinks(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	target := filepath.Join(dir, "target.csv")
	link := filepath.Join(dir, "link.csv")
	if err := os.WriteFile(target, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target.csv", link); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(ctx, link, writeString("new\n")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link became %v (%v)", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new\n" {
		t.Errorf("the link's target holds %q, want new", b)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("the target's mode became %v, want 0640", fi.Mode().Perm())
	}

	// A dangling link creates its target, as a shell's > does.
	dangling := filepath.Join(dir, "dangling.csv")
	if err := os.Symlink("made.csv", dangling); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(ctx, dangling, writeString("made\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "made.csv")); string(b) != "made\n" {
		t.Errorf("the dangling link's target holds %q", b)
	}

	// A file with another hard link is written through: both names see
	// the output, and they stay one file.
	other := filepath.Join(dir, "other.csv")
	if err := os.Link(target, other); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(ctx, target, writeString("both\n")); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(target)
	b, _ := os.Stat(other)
	if !os.SameFile(a, b) {
		t.Error("the hard link was broken")
	}
	if s, _ := os.ReadFile(other); string(s) != "both\n" {
		t.Errorf("the other link holds %q, want both", s)
	}
	// ... and a failing output leaves it as it was.
	if err := writeFile(ctx, target, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return errors.New("disk on fire")
	}); err == nil {
		t.Error("a failing output wrote through the hard link")
	}
	if s, _ := os.ReadFile(other); string(s) != "both\n" {
		t.Errorf("after a failing output, the hard link holds %q", s)
	}

	// A loop of links is an error, not a hang.
	if err := os.Symlink("loop2", filepath.Join(dir, "loop1")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop1", filepath.Join(dir, "loop2")); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(ctx, filepath.Join(dir, "loop1"), writeString("x")); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("a loop of links: %v, want too many levels of symbolic links", err)
	}
	onlyEntries(t, dir, "dangling.csv", "link.csv", "loop1", "loop2", "made.csv", "other.csv", "target.csv")
}

func TestWriteFilePermissions(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	// A new file gets 0666 less the umask.
	old := syscall.Umask(0o027)
	err := writeFile(ctx, filepath.Join(dir, "new.csv"), writeString("x\n"))
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "new.csv")); fi.Mode().Perm() != 0o640 {
		t.Errorf("a new file under umask 027 has mode %v, want 0640", fi.Mode().Perm())
	}

	// A read-only file is refused, even for root, and left as it was.
	ro := filepath.Join(dir, "ro.csv")
	if err := os.WriteFile(ro, []byte("keep\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	err = writeFile(ctx, ro, writeString("x\n"))
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("writing a read-only file: %v, want permission denied", err)
	}
	if b, _ := os.ReadFile(ro); string(b) != "keep\n" {
		t.Errorf("the read-only file holds %q", b)
	}
	onlyEntries(t, dir, "new.csv", "ro.csv")
}

// TestWriteFileLongName writes a file whose name has the system's
// maximum length: the temporary file beside it must fit too.
func TestWriteFileLongName(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{240, 241, 250, 255} {
		name := strings.Repeat("a", n-4) + ".csv"
		if err := writeFile(t.Context(), filepath.Join(dir, name), writeString("x\n")); err != nil {
			t.Errorf("a name of %d bytes: %v", n, err)
		}
	}
}

// TestWriteFileCancel cancels a write half way: the temporary file goes,
// and the old file stays.
func TestWriteFileCancel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	err := writeFile(ctx, path, func(w io.Writer) error {
		for i := 0; ; i++ {
			if i == 10 {
				cancel() // as SIGTERM does, through signal.NotifyContext
			}
			if _, err := io.WriteString(w, "row\n"); err != nil {
				return err
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled write: %v, want context canceled", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("after a cancelled write the file holds %q", b)
	}
	onlyEntries(t, dir, "out.csv")
}

// blocked is a stdout that nobody reads: its first write reports on
// started and then blocks until release is closed.
type blocked struct {
	started chan struct{}
	release chan struct{}
}

func (b *blocked) Write(p []byte) (int, error) {
	select {
	case b.started <- struct{}{}:
	default:
	}
	<-b.release
	return 0, errors.New("released")
}

// TestSignalWhileBlocked sends SIGINT, SIGTERM and SIGHUP while a command
// is blocked writing to stdout: stockflow must stop promptly with an
// error, not wait for the reader or die leaving files behind.
func TestSignalWhileBlocked(t *testing.T) {
	model := filepath.Join("..", "..", "examples", "logistic", "logistic.toml")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		out := &blocked{started: make(chan struct{}, 1), release: make(chan struct{})}
		var stderr strings.Builder
		code := make(chan int, 1)
		go func() { code <- Main([]string{"run", model}, out, &stderr) }()
		select {
		case <-out.started:
		case <-time.After(30 * time.Second):
			t.Fatal("run never wrote")
		}
		if err := syscall.Kill(os.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-code:
			if c != exitFail || !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("%v: exit %d, stderr %q; want 1 and interrupted", sig, c, stderr.String())
			}
		case <-time.After(interruptGrace + 10*time.Second):
			t.Fatalf("%v: stockflow still running", sig)
		}
		close(out.release)
	}
}
