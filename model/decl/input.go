package decl

import (
	"fmt"
	"io"
	"os"
)

// DefaultMaxInputSize bounds the size of a model file that ReadFile,
// LoadTOML and model.Load read when no other limit is given: 64 MiB. The
// largest published models are a few megabytes; the bound keeps a wrong
// path (/dev/zero, a log file, a disk image) from being read for ever or
// into gigabytes of memory.
const DefaultMaxInputSize = 64 << 20

// ReadFile reads the file at path, at most max bytes of it: a longer file
// is an error, found without reading more than max+1 bytes. Zero max means
// DefaultMaxInputSize; a negative one means no bound.
func ReadFile(path string, max int64) ([]byte, error) {
	if max == 0 {
		max = DefaultMaxInputSize
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tooLarge := fmt.Errorf("%s: the file is larger than the limit of %s bytes on a model file; raise it with --max-input SIZE (LoadOptions.MaxInputSize)", path, FormatSize(max))
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && max >= 0 && fi.Size() > max {
		return nil, tooLarge
	}
	var r io.Reader = f
	if max >= 0 {
		r = io.LimitReader(f, max+1)
	}
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if max >= 0 && int64(len(src)) > max {
		return nil, tooLarge
	}
	return src, nil
}

// FormatSize writes a number of bytes the way --max-input reads it: in
// whole KiB, MiB or GiB ("64M") when it is a multiple of one, else as the
// number.
func FormatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d%s", n/u.size, u.suffix)
		}
	}
	return fmt.Sprint(n)
}
