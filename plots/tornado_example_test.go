package plots_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/plots"
	"github.com/stockflow/stockflow/sensitivity"
)

// A tornado chart of logistic growth's crossing of 500: each param at
// its min and at its max, the widest swing on top. With r at 0.05 or K
// at 100 the population never gets there, drawn to the stop and marked.
func ExampleTornado() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	t, err := sensitivity.RunTornado(context.Background(), m, model.RunOptions{}, "majority", nil)
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.Tornado(t)
	if err != nil {
		log.Fatal(err)
	}
	p := fig.Panels[0]
	fmt.Println(p.Title)
	for k := len(p.YTicks) - 1; k >= 0; k-- {
		fmt.Println("row:", p.YTicks[k].Label)
	}
	fmt.Println(p.VRules[0].Label)
	for _, mk := range p.Markers {
		fmt.Printf("%s at %g\n", mk.Label, mk.X)
	}
	// Output:
	// First crossing of majority, each param at its min and max
	// row: r 0.05–1
	// row: K 100–5000
	// row: P0 1–100
	// base run: 15.32
	// never at 40
	// never at 40
}
