package loops_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// The emergence analysis of logistic growth: the population passes half
// the carrying capacity just as dominance shifts from the reinforcing
// loop (L1, births) to the balancing one (L2, crowding) and the run turns
// from amplifying to damping.
func ExampleAnalyzeEmergence() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	e, err := loops.AnalyzeEmergence(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, th := range e.Thresholds {
		for _, c := range th.Crossings {
			fmt.Printf("%s crossed %s at t=%.2f\n", th.Name, c.Direction, c.Time)
		}
	}
	title := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			out = append(out, e.Loop(id).Title())
		}
		return out
	}
	for _, s := range e.Shifts {
		fmt.Printf("dominance %s → %s at t=%.2f: %q → %q\n", s.From, s.To, s.Time, title(s.DominantBefore), title(s.DominantAfter))
	}
	for _, s := range e.Stability.SignChanges {
		fmt.Printf("%s → %s at t=%.2f\n", s.From, s.To, s.Time)
	}
	// Output:
	// majority crossed rising at t=15.32
	// dominance R → B at t=15.32: ["L1 growth"] → ["L2 crowding"]
	// amplifying → damping at t=15.32
}
