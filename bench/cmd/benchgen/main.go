// Command benchgen writes the model files of the benchmark suite: the
// large model (bench/large) as bench/large/testdata/large.toml and
// large.mdl, and the models of bench/synth as bench/synth/testdata/*.mdl
// with their straight-line Go in bench/synth/byhand/. Run it from the
// repository's root after changing package large or synth, then
// regenerate the native packages:
//
//	go run ./bench/cmd/benchgen
//	go run ./cmd/stockflow gen bench/large/testdata/large.toml -o bench/large/native
//	go run ./cmd/stockflow gen bench/synth/testdata/world.mdl -o bench/synth/native/world
//	go run ./cmd/stockflow gen bench/synth/testdata/business.mdl -o bench/synth/native/business
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/stockflow/stockflow/bench/large"
	"github.com/stockflow/stockflow/bench/synth"
)

func main() {
	c := large.Default
	files := map[string]string{
		filepath.Join("bench", "large", "testdata", "large.toml"): c.TOML(),
		filepath.Join("bench", "large", "testdata", "large.mdl"):  c.MDL(),
	}
	for _, s := range []synth.Config{synth.World, synth.Business} {
		files[filepath.Join("bench", "synth", "testdata", s.Name+".mdl")] = s.MDL()
		files[filepath.Join("bench", "synth", "byhand", s.Name+".go")] = s.Go("byhand")
	}
	for name, text := range files {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "benchgen:", err)
			os.Exit(1)
		}
	}
}
