// Command benchgen writes the large benchmark model (bench/large) as
// bench/large/testdata/large.toml and large.mdl. Run it from the
// repository's root after changing package large, then regenerate the
// native package:
//
//	go run ./bench/cmd/benchgen
//	go run ./cmd/stockflow gen bench/large/testdata/large.toml -o bench/large/native
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/stockflow/stockflow/bench/large"
)

func main() {
	dir := filepath.Join("bench", "large", "testdata")
	c := large.Default
	for name, text := range map[string]string{"large.toml": c.TOML(), "large.mdl": c.MDL()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "benchgen:", err)
			os.Exit(1)
		}
	}
}
