package decl_test

import (
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model/decl"
)

// Cutting the link population → crowding: crowding reads the
// population's start value, and the crowding loop is broken.
func ExampleCut() {
	src := `
[params]
K = 1000
[stocks.population]
initial = 10
inflows = ["births"]
[flows.births]
eq = "0.3 * population * (1 - crowding)"
[aux.crowding]
eq = "population / K"
`
	d, err := decl.ParseTOML("logistic.toml", []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	link, err := decl.ParseLink("population->crowding")
	if err != nil {
		log.Fatal(err)
	}
	cut, err := decl.Cut(d, link)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cut.Var("crowding").Eq.Text)
	fmt.Println(cut.Var("births").Eq.Text)
	// Output:
	// init(population) / K
	// 0.3 * population * (1 - crowding)
}
