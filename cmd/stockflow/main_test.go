package main

import (
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/stockflow/stockflow/cmd/stockflow/internal/initgc"
	"github.com/xuri/excelize/v2"
)

// TestMain lets the test binary act as the stockflow command inside the
// scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"stockflow": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the scripts in testdata/script: each is a command line
// a user types, what it prints, and its exit code. $EXAMPLES is the
// repository's examples directory. Besides the standard commands, scripts
// may use
//
//	status N PROG [ARGS...]
//
// which runs PROG like exec and fails unless it exits with status N, and
//
//	xlsx OUT SHEET=FILE [SHEET=FILE...]
//
// which writes the Excel workbook OUT with a sheet named SHEET for each
// CSV file FILE, in order (a cell that reads as a number is a number).
func TestScripts(t *testing.T) {
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	// Each script has a TMPDIR of its own, and go-graphviz keeps the
	// Graphviz module it compiles at start in TMPDIR/go-graphviz: without a
	// cache there, every stockflow command of every script compiles it
	// again (about 2 s of CPU). The scripts share one cache instead.
	graphvizCache := t.TempDir()
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", examples)
			return os.Symlink(graphvizCache, filepath.Join(env.Getenv("TMPDIR"), "go-graphviz"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status": cmdStatus,
			"xlsx":   cmdXlsx,
		},
	})
}

// cmdStatus implements the script command "status N PROG [ARGS...]".
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! status")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: status N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("status: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// TestGuard checks that a panic in a command becomes a one-line
// internal-error message and exit code 3, never a stack trace.
func TestGuard(t *testing.T) {
	var stderr strings.Builder
	code := guard(&stderr, func() int { panic("boom\nsecond line") })
	if code != exitInternal {
		t.Errorf("guard returned %d, want %d", code, exitInternal)
	}
	if got, want := stderr.String(), "stockflow: internal error (a bug; please report it with the command and the model): boom second line\n"; got != want {
		t.Errorf("guard printed %q, want %q", got, want)
	}
	if strings.Contains(stderr.String(), "goroutine") {
		t.Errorf("guard printed a stack trace:\n%s", stderr.String())
	}
}

// TestWriteFileAtomic checks that a failing write leaves no file behind
// and an existing file untouched.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	failing := func(w io.Writer) error {
		io.WriteString(w, "partial")
		return errors.New("disk on fire")
	}
	if err := writeFile(t.Context(), path, failing); err == nil {
		t.Fatal("writeFile succeeded with a failing writer")
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after a failed write, stat %s: %v, want no file", path, err)
	}

	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(t.Context(), path, failing); err == nil {
		t.Fatal("writeFile succeeded with a failing writer")
	}
	if got, _ := os.ReadFile(path); string(got) != "old\n" {
		t.Errorf("after a failed write the file holds %q, want %q", got, "old\n")
	}

	if err := writeFile(t.Context(), path, func(w io.Writer) error {
		_, err := io.WriteString(w, "new\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new\n" {
		t.Errorf("after a write the file holds %q, want %q", got, "new\n")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file: mode %v, %v; want it to keep mode 0600", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only out.csv (no temporary files left)", len(entries))
	}
}

// cmdXlsx implements the script command "xlsx OUT SHEET=FILE...".
func cmdXlsx(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! xlsx")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: xlsx OUT SHEET=FILE [SHEET=FILE...]")
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, arg := range args[1:] {
		name, file, ok := strings.Cut(arg, "=")
		if !ok {
			ts.Fatalf("xlsx: %q is not SHEET=FILE", arg)
		}
		if i == 0 {
			ts.Check(f.SetSheetName("Sheet1", name))
		} else {
			_, err := f.NewSheet(name)
			ts.Check(err)
		}
		cr := csv.NewReader(strings.NewReader(ts.ReadFile(file)))
		cr.FieldsPerRecord = -1
		rows, err := cr.ReadAll()
		ts.Check(err)
		for r, rec := range rows {
			for c, text := range rec {
				if text == "" {
					continue
				}
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				ts.Check(err)
				var v any = text
				if x, err := strconv.ParseFloat(text, 64); err == nil {
					v = x
				}
				ts.Check(f.SetCellValue(name, cell, v))
			}
		}
	}
	ts.Check(f.SaveAs(ts.MkAbs(args[0])))
}

// TestGCResumed checks that the main package's init turned the garbage
// collector back on (package initgc turns it off for the packages' inits),
// as GOGC says.
func TestGCResumed(t *testing.T) {
	want := initgc.Percent(os.Getenv("GOGC"))
	if p := debug.SetGCPercent(want); p != want {
		t.Errorf("the GC percentage is %d, want %d (GOGC=%q)", p, want, os.Getenv("GOGC"))
	}
}
