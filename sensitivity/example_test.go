package sensitivity_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sensitivity"
)

// How likely is the logistic example to pass half its capacity within 20
// years, when its growth rate r is only known to lie between 0.05 and 1
// and its capacity K between 100 and 5000 (the ranges its file declares)?
func ExampleSensitivity() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := sensitivity.Sensitivity(context.Background(), m, &sensitivity.Options{
		Params:  []string{"r", "K"},
		Samples: 2000,
		Seed:    1,
	})
	if err != nil {
		log.Fatal(err)
	}
	tr := res.Thresholds[0]
	fmt.Printf("%s: crossed in %.0f%% of %d runs\n", tr.Name, 100*tr.CrossedShare, res.Runs)
	fmt.Printf("crossed by t=20 in %.0f%%\n", 100*tr.CrossedBy(20))
	fmt.Printf("median first crossing: t=%.1f\n", tr.Quantiles[2])
	// Output:
	// majority: crossed in 86% of 2000 runs
	// crossed by t=20 in 76%
	// median first crossing: t=9.0
}

// A Sobol study ranks the params by the share of the crossing time's
// variance each accounts for, alone (first order) and with its
// interactions (total). K matters most: below 500 the population never
// reaches the threshold, and such runs count as crossing at the end.
func ExampleSensitivity_sobol() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := sensitivity.Sensitivity(context.Background(), m, &sensitivity.Options{
		Method:  sensitivity.Sobol,
		Params:  []string{"r", "K", "P0"},
		Samples: 512,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, x := range res.Indices {
		fmt.Printf("%s: %s total %.1f\n", x.Output, x.Param, x.Total)
	}
	// Output:
	// crossing_time:majority: K total 0.6
	// crossing_time:majority: r total 0.4
	// crossing_time:majority: P0 total 0.1
}
