package plots_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/plots"
	"github.com/stockflow/stockflow/sensitivity"
)

// A Monte Carlo study's pictures: the fan chart of a variable (its 5–95
// and 25–75 % bands and median over the runs, the threshold drawn
// across) and the curve "probability crossed by time t".
func ExampleFan() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := sensitivity.Sensitivity(context.Background(), m, &sensitivity.Options{Samples: 200, Params: []string{"r"}})
	if err != nil {
		log.Fatal(err)
	}
	fan, err := plots.Fan(res, "population")
	if err != nil {
		log.Fatal(err)
	}
	p := fan.Panels[0]
	fmt.Println(p.Title)
	for _, a := range p.Areas {
		fmt.Println("band:", a.Label)
	}
	fmt.Println("line:", p.Lines[0].Label)
	fmt.Println("rule:", p.HRules[0].Label)
	cross, err := plots.CrossingProbability(res, "majority")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cross.Panels[0].Title)
	// Output:
	// population over 200 runs: median, 25–75 % and 5–95 % of runs
	// band: 5–95 %
	// band: 25–75 %
	// line: median
	// rule: majority: population = 500 (crossed in 93% of runs)
	// majority: probability that population has crossed 500 (rising) by time t, 200 runs
}

// A Sobol study's ranked bar chart: the params from the most influential
// down, each with its total and first-order index. With r as low as 0.05
// some runs never reach 500 by t = 40; the title says how many, and that
// they count as crossing at the end.
func ExampleIndices() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := sensitivity.Sensitivity(context.Background(), m, &sensitivity.Options{
		Method: sensitivity.Sobol, Samples: 256, Params: []string{"r", "P0"}, Bootstrap: 100,
	})
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.Indices(res, "crossing_time:majority", 0)
	if err != nil {
		log.Fatal(err)
	}
	p := fig.Panels[0]
	fmt.Println(p.Title)
	for i := len(p.YTicks) - 1; i >= 0; i-- {
		fmt.Println(p.YTicks[i].Label)
	}
	// Output:
	// Sobol indices of crossing_time:majority (1024 runs; 31 never cross, counted at the end)
	// r
	// P0
}
