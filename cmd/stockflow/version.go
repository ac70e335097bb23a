package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

var versionCmd = &command{
	name:    "version",
	args:    "",
	short:   "print stockflow's version",
	minArgs: 0,
	maxArgs: 0,
	setup:   setupVersion,
	long: `Version prints the version of stockflow, the version control revision it
was built from when known, and the Go version that built it.
`,
}

func setupVersion(*flag.FlagSet) func(context.Context, *output, []string) error {
	return func(_ context.Context, out *output, _ []string) error {
		version, revision := "(devel)", ""
		if bi, ok := debug.ReadBuildInfo(); ok {
			if bi.Main.Version != "" {
				version = bi.Main.Version
			}
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" {
					revision = " " + s.Value
				}
			}
		}
		_, err := fmt.Fprintf(out.stdout, "stockflow %s%s %s\n", version, revision, runtime.Version())
		return err
	}
}
