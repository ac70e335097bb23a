// Command stockflow simulates system-dynamics models written as TOML
// stock-and-flow files, or read from XMILE (.xmile, .stmx) and Vensim
// (.mdl) files.
//
// Usage:
//
//	stockflow <command> [arguments]
//
// The commands are run (simulate a model and print its results), check
// (load and compile a model and summarize it), convert (write a model as
// TOML), loops (feedback loops and their dominance), emergence (threshold
// crossings, dominance shifts, stability), plot (pictures of a run), diagram
// (stock-and-flow and causal-loop diagrams), sweep
// (tipping maps over two params), sensitivity (Monte Carlo and global
// sensitivity of threshold crossings), gen (a model as Go code), version and
// help. Run "stockflow help <command>" for the flags of each.
//
// Exit status: 0 on success, 1 when the model or the run failed, 2 when the
// command line was wrong, 3 on an internal error (a bug).
//
// The command is a thin layer over the packages model, loops and plots: it
// parses flags, calls library functions, prints, and returns an exit code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/stockflow/stockflow/cmd/stockflow/internal/initgc"
	"github.com/stockflow/stockflow/model/decl"
)

// init turns the garbage collector back on: package initgc keeps it off
// while the packages stockflow links initialize, and Go runs the main
// package's init after all of theirs.
func init() {
	initgc.Resume()
}

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// commands lists the subcommands in the order "stockflow help" shows them.
// Adding a subcommand is one file defining a *command and one entry here.
var commands = []*command{
	runCmd,
	checkCmd,
	unitsCmd,
	convertCmd,
	loopsCmd,
	emergenceCmd,
	plotCmd,
	diagramCmd,
	sweepCmd,
	sensitivityCmd,
	calibrateCmd,
	testCmd,
	genCmd,
	versionCmd,
}

// Exit codes.
const (
	exitOK       = 0 // success
	exitFail     = 1 // the model or the run failed
	exitUsage    = 2 // the command line was wrong
	exitInternal = 3 // a bug: an internal error, reported in one line
)

// Main runs stockflow with the command-line arguments args (without the
// program name), writing to stdout and stderr, and returns the exit code:
// 0 on success, 1 when the model or the run failed, 2 when the command line
// was wrong, 3 on an internal error. It never panics: a panic, which is a
// bug, is reported in one line as an internal error with exit code 3.
func Main(args []string, stdout, stderr io.Writer) int {
	// Control characters in names read from a model are escaped in
	// messages, and on a terminal in the output too (see escaper).
	stderr = newEscaper(stderr)
	if isTerminal(stdout) {
		stdout = newEscaper(stdout)
	}
	return guard(stderr, func() int { return dispatch(args, stdout, stderr) })
}

// guard calls f and returns its exit code, turning a panic into one line
// on stderr and exit code 3: a panic is a bug, and a user should see a
// request to report it, not a stack trace.
func guard(stderr io.Writer, f func() int) (code int) {
	defer func() {
		if r := recover(); r != nil {
			msg := strings.Join(strings.Fields(fmt.Sprint(r)), " ")
			fmt.Fprintf(stderr, "stockflow: internal error (a bug; please report it with the command and the model): %s\n", msg)
			code = exitInternal
		}
	}()
	return f()
}

// dispatch finds the command named by args[0] and runs it. An
// interrupt (Ctrl-C), SIGTERM or SIGHUP cancels the command: it stops,
// removing any file it was writing, and stockflow exits with status 1.
func dispatch(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return help(rest, stdout, stderr)
	case "-version", "--version":
		name = "version"
	}
	cmd := lookup(name)
	if cmd == nil {
		if strings.HasPrefix(name, "-") {
			fmt.Fprintf(stderr, "stockflow: flag %s must follow a command\n", name)
		} else {
			fmt.Fprintf(stderr, "stockflow: unknown command %q\n", name)
		}
		fmt.Fprintln(stderr, `Run "stockflow help" for the list of commands.`)
		return exitUsage
	}
	return cancellable(ctx, stderr, func() int { return cmd.main(ctx, rest, stdout, stderr) })
}

// interruptGrace is how long a cancelled command has to stop and remove
// its temporary files before stockflow returns without it.
const interruptGrace = 2 * time.Second

// cancellable runs f and returns its exit code, or, when ctx is done and
// f has not returned within interruptGrace (it may be blocked writing to
// a pipe nobody reads), reports the interrupt and returns exit code 1
// without waiting for it.
func cancellable(ctx context.Context, stderr io.Writer, f func() int) int {
	done := make(chan int, 1)
	go func() { done <- guard(stderr, f) }()
	select {
	case code := <-done:
		return code
	case <-ctx.Done():
	}
	select {
	case code := <-done:
		return code
	case <-time.After(interruptGrace):
		fmt.Fprintln(stderr, "stockflow: interrupted")
		return exitFail
	}
}

// lookup returns the command with the given name, or nil.
func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// help implements "stockflow help [COMMAND]".
func help(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		printUsage(stdout)
		return exitOK
	case 1:
		if c := lookup(args[0]); c != nil {
			c.printHelp(stdout)
			return exitOK
		}
		if args[0] == "help" {
			fmt.Fprint(stdout, helpHelp)
			return exitOK
		}
		fmt.Fprintf(stderr, "stockflow help: unknown command %q\n", args[0])
		fmt.Fprintln(stderr, `Run "stockflow help" for the list of commands.`)
		return exitUsage
	}
	fmt.Fprintln(stderr, "stockflow help: too many arguments")
	fmt.Fprintln(stderr, "usage: stockflow help [COMMAND]")
	return exitUsage
}

// helpHelp is what "stockflow help help" prints.
const helpHelp = `usage: stockflow help [COMMAND]

Help prints the list of commands, or with COMMAND the usage, description
and flags of that command ("stockflow COMMAND --help" prints the same).
`

func printUsage(w io.Writer) {
	fmt.Fprint(w, `stockflow simulates system-dynamics models written as TOML stock-and-flow files.

Usage:

	stockflow <command> [arguments]

The commands are:

`)
	for _, c := range commands {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.short)
	}
	fmt.Fprintf(w, "\t%-10s %s\n", "help", "print help about a command")
	fmt.Fprint(w, `
Use "stockflow help <command>" or "stockflow <command> --help" for more about a command,
"stockflow --version" for the version.

Files written (-o, --csv, the pictures of plot, the model.go of gen) are
written whole or not at all: through a temporary file .sf-XXXXXX.tmp
beside the target, which an error or an interrupt (Ctrl-C, SIGTERM,
SIGHUP) removes. An input file is never overwritten, by any name. A
symbolic link is followed to its target; a file with other hard links is
written through; a replaced file keeps its permissions, a new one gets
0666 less the umask; a read-only file is refused; a device or FIFO
(/dev/stdout, a named pipe) is written directly. gen replaces only a
model.go it wrote, unless --force.

--set values must lie in a param's declared min and max, as a scenario's
do; --allow-out-of-range makes a value outside a warning. Names from a
model are printed with their control characters escaped.

Exit status: 0 on success, 1 when the model or the run failed, 2 when the
command line was wrong, 3 on an internal error (a bug).
`)
}

// A command is one stockflow subcommand.
type command struct {
	name  string // as typed: "run"
	args  string // the synopsis after the name: "MODEL [flags]"
	short string // one line for the command list
	long  string // the help text after the synopsis, ending in a newline

	// minArgs and maxArgs bound the number of positional arguments;
	// maxArgs < 0 means no limit.
	minArgs, maxArgs int

	// setup defines the command's flags on fs and returns the function that
	// carries out the command once fs has parsed the command line. It
	// receives the positional arguments.
	setup func(fs *flag.FlagSet) func(ctx context.Context, out *output, args []string) error
}

// output is where a command writes, and the limits on what it reads
// that every command shares.
type output struct {
	stdout, stderr io.Writer
	maxInput       int64 // the largest model file load reads (--max-input)
	allowPaths     bool  // data files may lie outside the model's directory (--allow-paths)
	// dataFiles are the files a Vensim model's data variables without an
	// equation read (--data-file, repeatable).
	dataFiles   loopNames
	showTimings bool // print each stage's wall time on stderr (--timings)
	// timings collects the stages' times under --timings; nil otherwise.
	timings *timings
}

// usageError is a command-line mistake: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// main parses the command's flags and positional arguments, runs it and
// turns its error into a message and an exit code.
func (c *command) main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out := &output{stdout: stdout, stderr: stderr}
	fs := c.flagSet(out)
	run := c.setup(fs)
	pos, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.printHelp(stdout)
		return exitOK
	case err != nil:
		return c.usageFailure(stderr, longDashes(err.Error()))
	case len(pos) < c.minArgs:
		return c.usageFailure(stderr, "missing "+strings.Fields(c.args)[len(pos)])
	case c.maxArgs >= 0 && len(pos) > c.maxArgs:
		return c.usageFailure(stderr, fmt.Sprintf("unexpected argument %q", pos[c.maxArgs]))
	}
	if out.showTimings {
		out.timings = &timings{start: time.Now()}
		defer out.timings.print(stderr, c.name)
	}
	err = run(ctx, out, pos)
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return c.usageFailure(stderr, ue.msg)
	}
	printError(stderr, err)
	return exitFail
}

// usageFailure reports a command-line mistake and returns exit code 2.
func (c *command) usageFailure(w io.Writer, msg string) int {
	fmt.Fprintf(w, "stockflow %s: %s\n", c.name, msg)
	fmt.Fprintf(w, "usage: %s\n", c.synopsis())
	fmt.Fprintf(w, "Run \"stockflow %s --help\" for details.\n", c.name)
	return exitUsage
}

// synopsis returns the command line the command expects:
// "stockflow run MODEL [flags]".
func (c *command) synopsis() string {
	return strings.TrimSpace("stockflow " + c.name + " " + c.args)
}

// flagSet returns a flag set for the command that reports errors instead
// of printing them or exiting. It holds the flags every command that
// reads a model has (--max-input), which set out's limits.
func (c *command) flagSet(out *output) *flag.FlagSet {
	fs := flag.NewFlagSet("stockflow "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if strings.HasPrefix(c.args, "MODEL") {
		out.maxInput = decl.DefaultMaxInputSize
		fs.Var((*sizeFlag)(&out.maxInput), "max-input", "refuse a model file larger than `SIZE` bytes; K, M and G multiply by 1024, 1024², 1024³ (default "+decl.FormatSize(decl.DefaultMaxInputSize)+")")
		fs.BoolVar(&out.allowPaths, "allow-paths", false, "let the model's data variables read files outside the model file's directory")
		fs.Var(&out.dataFiles, "data-file", "read the values of a Vensim model's data variables that have no equation (x ~ units ~ |) from `FILE`: CSV, TSV or Excel with a time column and a column per variable, or a Vensim .dat file; repeat the flag for more files (the first file with a series wins)")
		fs.BoolVar(&out.showTimings, "timings", false, "print on stderr the wall time of each stage: reading, parsing, expanding, checking and compiling the model, and what the command does with it")
	}
	return fs
}

// printHelp prints the command's synopsis, description and flags.
func (c *command) printHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s", c.synopsis(), c.long)
	fs := c.flagSet(&output{})
	c.setup(fs)
	var flags strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		fmt.Fprintf(&flags, "  %s%s", dash, f.Name)
		if arg != "" {
			fmt.Fprintf(&flags, " %s", arg)
		}
		fmt.Fprintf(&flags, "\n    \t%s\n", strings.ReplaceAll(usage, "\n", "\n    \t"))
	})
	if flags.Len() > 0 {
		fmt.Fprintf(w, "\nFlags (before or after the arguments):\n%s", flags.String())
	}
}

// flagName matches a flag name of two or more letters as the flag
// package's messages spell it: "flag provided but not defined: -foo".
var flagName = regexp.MustCompile(`(: |flag |for )-([A-Za-z][A-Za-z0-9-]+)`)

// longDashes respells the long flags in a message of the flag package with
// two dashes, as stockflow's help shows them.
func longDashes(msg string) string {
	return flagName.ReplaceAllString(msg, "${1}--${2}")
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments, which the flag package alone stops at, and returns
// the positional arguments. An argument "--" ends the flags: everything
// after it is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
