package model_test

import (
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
)

// A drain whose lifetime is shorter than two steps.
func ExampleModel_Hygiene() {
	src := `
time_units = "year"
[sim]
dt = 0.5
[params]
life = { value = 0.6, units = "years" }
[stocks.s]
initial = 1
outflows = ["out"]
[flows.out]
eq = "s / life"
`
	m, err := model.Parse("drain.toml", []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	ws, err := m.Hygiene(model.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range ws {
		fmt.Println(w)
	}
	ws, _ = m.Hygiene(model.RunOptions{DT: 0.25})
	fmt.Println(len(ws), "warnings at dt 0.25")
	// Output:
	// drain.toml:11:11: flows.out.eq: life = 0.6 years is a time constant (a stock divided by it) of less than two steps (dt = 0.5): the stock drains faster than the run can follow; make dt at most 0.3
	// 0 warnings at dt 0.25
}
