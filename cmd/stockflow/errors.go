package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/syntax"
)

// printError writes err to w. A model's errors print one per line as
// "file:line:col: key: message"; an error that does not start with a
// position gets the prefix "stockflow: ".
func printError(w io.Writer, err error) {
	var list syntax.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		for _, e := range list {
			printOne(w, e)
		}
		return
	}
	var se *syntax.Error
	if errors.As(err, &se) {
		printOne(w, se)
		return
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		// "stockflow: lgistic.toml: no such file or directory", as cat and
		// ls say it, rather than "open lgistic.toml: ...".
		fmt.Fprintf(w, "stockflow: %s: %v\n", pe.Path, pe.Err)
		return
	}
	var fe *fileError
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "stockflow: interrupted")
	case errors.As(err, &fe) && positional(fe.err, fe.file):
		fmt.Fprintln(w, fe.err)
	default:
		fmt.Fprintf(w, "stockflow: %v\n", err)
	}
}

// fileError is an error met while loading or running the model in file.
// Its message may already start with the file's name.
type fileError struct {
	file string
	err  error
}

func (e *fileError) Error() string { return e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// load loads and compiles the model at path, a file of at most
// o.maxInput bytes (--max-input), whose data files lie in its directory
// unless o.allowPaths (--allow-paths).
func (o *output) load(path string) (*model.Model, error) {
	m, err := model.LoadWith(path, model.LoadOptions{MaxInputSize: o.maxInput, AllowPaths: o.allowPaths})
	if err != nil {
		return nil, &fileError{path, err}
	}
	return m, nil
}

// printOne writes one model error, which names its position when known.
func printOne(w io.Writer, e *syntax.Error) {
	if e.Pos.IsValid() || e.Pos.File != "" {
		fmt.Fprintln(w, e.Error())
		return
	}
	fmt.Fprintf(w, "stockflow: %s\n", e.Error())
}

// positional reports whether the message of err already starts with the
// given file name, as "file: ..." or "file:line:col: ...".
func positional(err error, file string) bool {
	msg := err.Error()
	return file != "" && len(msg) > len(file) && msg[:len(file)] == file && msg[len(file)] == ':'
}

// printRunWarnings writes the warnings of a run of the model in the file
// path to w, one per line, as "path: warning: message". A nil result has
// none.
func printRunWarnings(w io.Writer, path string, res *model.Result) {
	if res == nil {
		return
	}
	for _, msg := range res.Warnings {
		fmt.Fprintf(w, "%s: warning: %s\n", path, msg)
	}
}
