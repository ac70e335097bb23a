package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// How stockflow writes the files its -o and --csv flags name. Help texts
// and README describe the rules; writeFile carries them out.

// writeFile writes the file at path with write, as a shell's ">" would,
// but whole or not at all:
//
//   - A regular file, or a new one, is written to a temporary file
//     ".sf-XXXXXX.tmp" in its directory, which then replaces it. If write
//     fails or ctx is done (an interrupt, SIGTERM or SIGHUP), the
//     temporary file is removed and path is left as it was.
//   - A symbolic link is followed: its target is written, the link kept.
//   - A replaced file keeps its permissions; a new one gets 0666 less the
//     umask, as a shell gives it.
//   - A file the user may not write is refused, as a shell refuses it;
//     so is a read-only file (no write permission for anyone), even for
//     root, whom a shell would let write it.
//   - A file with other hard links is written through: the output is made
//     whole in the temporary file first, then copied over the file's
//     content, so that every link sees it. A failure of the output leaves
//     the file as it was; only a failing disk during the copy can leave it
//     part written.
//   - A device, FIFO or socket (/dev/null, /dev/stdout, a named pipe) is
//     written directly.
func writeFile(ctx context.Context, path string, write func(io.Writer) error) error {
	target, direct, err := resolveLinks(path)
	if err != nil {
		return pathError(path, err)
	}
	fi, err := os.Stat(target)
	exists := err == nil
	switch {
	case exists && fi.IsDir():
		return &fs.PathError{Op: "write", Path: path, Err: errors.New("is a directory")}
	case direct || exists && !fi.Mode().IsRegular():
		return writeDirect(ctx, path, target, write)
	case exists && fi.Mode().Perm()&0o222 == 0:
		return pathError(path, fmt.Errorf("%w: the file is read-only (make it writable to replace it)", fs.ErrPermission))
	case exists:
		// Refuse a file we may not write, as a shell does.
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return pathError(path, err)
		}
		f.Close()
	case !errors.Is(err, fs.ErrNotExist):
		return pathError(path, err)
	}
	if err := replace(ctx, target, fi, write); err != nil {
		return pathError(path, err)
	}
	return nil
}

// replace writes a temporary file beside target and puts it in target's
// place (or copies it into target, if target has other hard links). fi
// describes target, nil if it does not exist.
func replace(ctx context.Context, target string, fi fs.FileInfo, write func(io.Writer) error) (err error) {
	perm := fs.FileMode(0o666) // less the umask: the mode of a new file
	if fi != nil {
		perm = 0o600 // until it takes target's mode below
	}
	tmp, err := createTemp(filepath.Dir(target), perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(ctxWriter{ctx, tmp}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if fi != nil {
		if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
			return err
		}
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if fi != nil && hardLinks(fi) > 1 {
		if err := copyInto(ctx, target, tmp); err != nil {
			return err
		}
		tmp.Close()
		return os.Remove(tmp.Name())
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// copyInto replaces the content of the file at target with that of src.
func copyInto(ctx context.Context, target string, src *os.File) error {
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := io.Copy(ctxWriter{ctx, f}, src); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeDirect writes to a device, FIFO or socket as it is.
func writeDirect(ctx context.Context, path, target string, write func(io.Writer) error) error {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return pathError(path, err)
	}
	err = write(ctxWriter{ctx, f})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return pathError(path, err)
	}
	return nil
}

// maxLinks bounds the symbolic links followed from one path, as the
// kernel does.
const maxLinks = 40

// resolveLinks follows the symbolic links of path to the file they name,
// which need not exist. It stops at a path under /proc (the links of
// /dev/stdout and /dev/fd/N lead there), whose link names are not paths
// and which is opened as it is: direct reports that it did.
func resolveLinks(path string) (target string, direct bool, err error) {
	p := path
	for range maxLinks {
		if abs, err := filepath.Abs(p); err == nil && strings.HasPrefix(abs, "/proc/") {
			return p, true, nil
		}
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, false, nil
		}
		if err != nil {
			return "", false, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, false, nil
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", false, err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	return "", false, syscall.ELOOP
}

// tempAttempts bounds the names createTemp tries.
const tempAttempts = 100

// createTemp creates a new file ".sf-XXXXXX.tmp" in dir with mode perm
// (less the umask). The name is short so that an output name of up to
// the system's limit (255 bytes) still has room beside it.
func createTemp(dir string, perm fs.FileMode) (*os.File, error) {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	for range tempAttempts {
		var b [6]byte
		for i := range b {
			b[i] = letters[rand.IntN(len(letters))]
		}
		name := filepath.Join(dir, ".sf-"+string(b[:])+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("no free temporary file name in %s", dir)
}

// ctxWriter writes to w until ctx is done, then fails with ctx's error:
// an interrupt stops a long write at its next call.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// pathError restates an error met while writing path (perhaps through a
// temporary file) as being about path itself.
func pathError(path string, err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return &fs.PathError{Op: "write", Path: path, Err: err}
}

// sameFile reports whether the paths a and b name one file: the same
// name, or, for files that exist, the same file by any name.
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	afi, aerr := os.Stat(a)
	bfi, berr := os.Stat(b)
	return aerr == nil && berr == nil && os.SameFile(afi, bfi)
}

// notInput returns an error if the file at out is one of the input files
// (the same file, by any name, link or hard link): writing there would
// destroy the input. what names the flag, as in "-o".
func notInput(what, out string, inputs ...string) error {
	ofi, err := os.Stat(out)
	if err != nil {
		return nil // a new file, or one writeFile will report on
	}
	for _, in := range inputs {
		if ifi, err := os.Stat(in); err == nil && os.SameFile(ofi, ifi) {
			if !ofi.Mode().IsRegular() {
				continue // /dev/stdin and /dev/stdout may be one terminal
			}
			return usagef("%s %s is the input file %s: refusing to write over it", what, out, in)
		}
	}
	return nil
}
