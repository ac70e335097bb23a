package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A docCommand is a command shown in a code block of a README or doc.
type docCommand struct {
	file string   // the document, relative to the repository root
	line int      // where the command starts
	cmd  string   // as a shell would read it, continuation lines joined
	want []string // for a console block: the output lines shown after it
	fail bool     // the output shown is errors (file:line:col: ...): expect exit status 1
}

// docFiles returns the documents whose commands TestDocCommands runs:
// README.md, docs/*.md and every README.md under examples/.
func docFiles(root string) ([]string, error) {
	files := []string{"README.md"}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		files = append(files, rel)
	}
	err = filepath.WalkDir(filepath.Join(root, "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "README.md" {
			rel, _ := filepath.Rel(root, path)
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}

var (
	// fence opens or closes a fenced code block; group 1 is its language.
	fence = regexp.MustCompile("^\\s*```\\s*([A-Za-z]*)")
	// docCmd is a command line: "stockflow ..." or "go run ...", perhaps
	// after a "$ " prompt.
	docCmd = regexp.MustCompile(`^(\$ )?(stockflow|go run) `)
	// placeholder is a word of a synopsis, not of a command: MODEL,
	// [flags], [-o DIR].
	placeholder = regexp.MustCompile(`(^|\s)(\[[^\]]*\]|[A-Z][A-Z_]{2,})(\s|$)`)
	// errorLine is an error as stockflow prints it: file:line:col: ...
	errorLine = regexp.MustCompile(`^\S+:\d+:\d+: `)
)

// docCommands extracts the commands of the code blocks of the document
// text: fenced blocks in sh, console, bash, shell or no language, and
// indented blocks. A synopsis (a line with placeholders such as MODEL) is
// left out, as are commands other than stockflow and go run. A trailing
// "# comment" is dropped; a line ending in a backslash continues.
func docCommands(file, text string) []docCommand {
	var (
		out     []docCommand
		inFence bool
		shell   bool // the fenced block is a shell block
		console bool
		cur     *docCommand // the console command whose output lines follow
	)
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := fence.FindStringSubmatch(line); m != nil {
			if inFence {
				inFence, cur = false, nil
				continue
			}
			inFence = true
			switch m[1] {
			case "", "sh", "bash", "shell", "console":
				shell, console = true, m[1] == "console"
			default:
				shell, console = false, false
			}
			continue
		}
		var code string
		switch {
		case inFence && shell:
			code = line
		case !inFence && (strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t")):
			code = strings.TrimSpace(line) // an indented block
		default:
			continue
		}
		if !docCmd.MatchString(code) {
			if cur != nil {
				cur.want = append(cur.want, strings.TrimRight(code, " \t"))
			}
			continue
		}
		start := i
		cmd := strings.TrimPrefix(code, "$ ")
		for strings.HasSuffix(cmd, "\\") && i+1 < len(lines) {
			i++
			cmd = strings.TrimSpace(strings.TrimSuffix(cmd, "\\")) + " " + strings.TrimSpace(lines[i])
		}
		if k := strings.Index(cmd, " #"); k >= 0 {
			cmd = cmd[:k]
		}
		cmd = strings.TrimSpace(cmd)
		cur = nil
		if placeholder.MatchString(cmd) {
			continue
		}
		out = append(out, docCommand{file: file, line: start + 1, cmd: cmd})
		if console {
			cur = &out[len(out)-1]
		}
	}
	for i := range out {
		for _, w := range out[i].want {
			if errorLine.MatchString(w) {
				out[i].fail = true
			}
		}
	}
	return out
}

// TestDocCommandsExtracted checks what docCommands takes from a document
// and what it leaves.
func TestDocCommandsExtracted(t *testing.T) {
	text := "Intro `stockflow run inline.toml` is prose.\n" +
		"```sh\n" +
		"stockflow run a.toml --vars x   # a comment\n" +
		"stockflow run MODEL [flags]     # a synopsis\n" +
		"go test ./...\n" +
		"go run ./cmd/stockflow check a.toml\n" +
		"stockflow sweep a.toml --threshold t \\\n" +
		"    --x p=0:1:3 --y q=0:1:3\n" +
		"```\n" +
		"```console\n" +
		"$ stockflow check broken.toml\n" +
		"broken.toml:1:2: aux.a.eq: unknown variable \"b\"\n" +
		"$ stockflow check a.toml\n" +
		"...\n" +
		"ok\n" +
		"```\n" +
		"```go\n" +
		"stockflow run not-shell.toml\n" +
		"```\n" +
		"\n" +
		"    stockflow run indented.toml\n"
	var got []string
	for _, c := range docCommands("doc.md", text) {
		got = append(got, fmt.Sprintf("%d %s fail=%v want=%q", c.line, c.cmd, c.fail, c.want))
	}
	want := []string{
		`3 stockflow run a.toml --vars x fail=false want=[]`,
		`6 go run ./cmd/stockflow check a.toml fail=false want=[]`,
		`7 stockflow sweep a.toml --threshold t --x p=0:1:3 --y q=0:1:3 fail=false want=[]`,
		`11 stockflow check broken.toml fail=true want=["broken.toml:1:2: aux.a.eq: unknown variable \"b\""]`,
		`13 stockflow check a.toml fail=false want=["..." "ok"]`,
		`21 stockflow run indented.toml fail=false want=[]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("docCommands extracted\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDocCommands runs every stockflow and go run command shown in a code
// block of README.md, docs/*.md and the examples' READMEs, as written, in
// a copy of the repository (they write files), with stockflow built from
// this checkout on the PATH. A command fails the test when it fails, or
// when a console block shows errors and it succeeds; a console block's
// output lines (other than "...") must appear in its output, in order.
func TestDocCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every documented command; skipped with -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	copyRepo(t, root, filepath.Join(work, "repo"))
	repo := filepath.Join(work, "repo")
	bin := filepath.Join(work, "bin")
	// -trimpath lets "go run" in the copy reuse the build cache of this
	// build instead of compiling everything again under the copy's paths.
	env := append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -trimpath"))
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./cmd/stockflow")
	build.Dir = root
	build.Env = env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/stockflow: %v\n%s", err, out)
	}

	files, err := docFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, file := range files {
		text, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range docCommands(file, string(text)) {
			n++
			t.Run(fmt.Sprintf("%s:%d", file, c.line), func(t *testing.T) {
				runDocCommand(t, c, repo, bin, env)
			})
		}
	}
	if n < 10 {
		t.Errorf("found %d documented commands, want many more: is the extraction broken?", n)
	}
}

// runDocCommand runs one documented command with bash in dir.
func runDocCommand(t *testing.T, c docCommand, dir, bin string, env []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", c.cmd)
	cmd.Dir = dir
	cmd.Env = append(env, "PATH="+bin+string(filepath.ListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err != nil && !errors.As(err, &ee):
		t.Fatalf("%s:%d: %s: %v", c.file, c.line, c.cmd, err)
	case c.fail && err == nil:
		t.Fatalf("%s:%d: %s: succeeded, but the document shows errors\n%s", c.file, c.line, c.cmd, out)
	case c.fail && ee.ExitCode() != exitFail:
		t.Fatalf("%s:%d: %s: exit status %d, want %d\n%s", c.file, c.line, c.cmd, ee.ExitCode(), exitFail, out)
	case !c.fail && err != nil:
		t.Fatalf("%s:%d: %s: %v\n%s", c.file, c.line, c.cmd, err, out)
	}
	var got []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		got = append(got, strings.TrimRight(sc.Text(), " \t"))
	}
	k := 0
	for _, w := range c.want {
		if w == "..." || w == "" {
			continue
		}
		for k < len(got) && got[k] != w {
			k++
		}
		if k == len(got) {
			t.Fatalf("%s:%d: %s: the document shows the line\n\t%s\nwhich the output lacks (or has out of order):\n%s", c.file, c.line, c.cmd, w, out)
		}
		k++
	}
}

// copyRepo copies the repository at root to dst, without .git.
func copyRepo(t *testing.T, root, dst string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case !d.Type().IsRegular():
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
