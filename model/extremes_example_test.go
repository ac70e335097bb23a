package model_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
)

// The extreme-condition test of a drain: with its time constant at 0 the
// run divides by zero; with the fraction at its max (ten times its value is above it) the share leaves its
// range.
func ExampleModel_Extremes() {
	src := `
[sim]
stop = 4
dt = 0.5
[params]
tau = { value = 2, min = 0, max = 4 }
frac = { value = 0.5, min = 0.1, max = 3 }
[stocks.s]
initial = 1
outflows = ["drain"]
[flows.drain]
eq = "frac * s / tau"
[aux.share]
eq = "frac"
range = [0, 1]
`
	m, err := model.Parse("drain.toml", []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	cases, err := m.Extremes(context.Background(), model.RunOptions{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range cases {
		fmt.Printf("%s at its %s (%g):", c.Param, c.At, c.Value)
		if len(c.Problems) == 0 {
			fmt.Print(" ok")
		}
		for _, p := range c.Problems {
			fmt.Printf(" %s", p.Kind)
			if p.Var != "" {
				fmt.Printf(" (%s)", p.Var)
			}
		}
		fmt.Println()
	}
	// Output:
	// tau at its min (0): failed
	// tau at its max (4): ok
	// frac at its min (0.1): ok
	// frac at its max (3): range (share)
}
