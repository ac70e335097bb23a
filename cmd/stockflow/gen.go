package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

var genCmd = &command{
	name:    "gen",
	args:    "MODEL -o DIR",
	short:   "generate Go code that runs a model at native speed",
	minArgs: 1,
	maxArgs: 1,
	setup:   setupGen,
	long: `Gen compiles the model in the file MODEL and writes a Go package that runs
it with its equations as compiled Go: DIR/model.go, package NAME (by default
DIR's base name made into a Go name). The package's Load function returns a
*model.Model that runs, saves results and takes part in loop analysis
exactly like one from model.Load, only faster:

	m, err := corridor.Load()
	res, err := m.Run(ctx, model.RunOptions{})

The package embeds the model file; run gen again after changing it (Load
refuses code generated for another version of the model).

Example:

	stockflow gen examples/sir/sir.toml -o internal/sir
`,
}

type genFlags struct {
	out, pkg string
}

func setupGen(fs *flag.FlagSet) func(context.Context, *output, []string) error {
	f := &genFlags{}
	fs.StringVar(&f.out, "o", "", "write the package to `DIR` (required)")
	fs.StringVar(&f.pkg, "package", "", "the Go package `NAME` (default: DIR's base name)")
	return f.run
}

func (f *genFlags) run(_ context.Context, out *output, args []string) error {
	if f.out == "" {
		return usagef("gen needs -o DIR, the directory to write the package to")
	}
	pkg := f.pkg
	if pkg == "" {
		pkg = goName(filepath.Base(filepath.Clean(f.out)))
	}
	src, err := os.ReadFile(args[0])
	if err != nil {
		return &fileError{args[0], err}
	}
	m, err := load(args[0])
	if err != nil {
		return err
	}
	var code bytes.Buffer
	if err := m.GenerateGo(&code, pkg, args[0], src); err != nil {
		return err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(f.out, "model.go")
	if err := writeFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(code.Bytes())
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(out.stdout, "wrote %s (package %s)\n", path, pkg)
	return nil
}

// goName turns a directory name into a Go package name: lower case,
// letters and digits, "model" when nothing is left.
func goName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) && b.Len() > 0) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "model"
	}
	return b.String()
}
