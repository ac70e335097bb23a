package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/syntax"
)

// printError writes err to w as syntax.PrintError does, with the prefix
// "stockflow: " on a line that names no position, but for two things only
// the command knows: an interrupted run, and an error whose message
// already starts with the model file's name.
func printError(w io.Writer, err error) {
	var list syntax.ErrorList
	var fe *fileError
	switch {
	case errors.As(err, &list) && len(list) > 0:
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "stockflow: interrupted")
		return
	case errors.As(err, &fe) && positional(fe.err, fe.file):
		fmt.Fprintln(w, fe.err)
		return
	}
	syntax.PrintError(w, "stockflow: ", err)
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
// unless o.allowPaths (--allow-paths), and prints its units problems on
// stderr as warnings: imported models are often sloppy, and the command
// still runs.
func (o *output) load(path string) (*model.Model, error) {
	m, err := o.loadQuiet(path)
	if err != nil {
		return nil, err
	}
	printUnitsWarnings(o.stderr, m)
	return m, nil
}

// loadQuiet is load without the units warnings, for the commands that
// report them their own way (check, units).
func (o *output) loadQuiet(path string) (*model.Model, error) {
	var lt model.Timings
	m, err := model.LoadWith(path, model.LoadOptions{MaxInputSize: o.maxInput, AllowPaths: o.allowPaths, DataFiles: o.dataFiles, Timings: &lt})
	o.timings.load(lt)
	if err != nil {
		return nil, &fileError{path, err}
	}
	return m, nil
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

// printHygiene writes the numerical hygiene warnings of a run of m with
// opt (Model.Hygiene) on stderr, as printWarnings does. Options that Run
// would refuse (an unknown scenario, a bad dt) give no warnings: the run
// reports them.
func printHygiene(out *output, m *model.Model, opt model.RunOptions) {
	if ws, err := m.Hygiene(opt); err == nil {
		printWarningList(out.stderr, ws)
	}
}
