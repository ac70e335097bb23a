// Command ringgen prints the ring benchmark model as TOML (see
// internal/ring/README.md).
package main

import (
	"fmt"

	"github.com/stockflow/stockflow/internal/ring"
)

func main() { fmt.Print(ring.Model(250, 100)) }
