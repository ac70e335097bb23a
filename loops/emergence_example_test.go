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

// Why logistic growth crosses its majority threshold: at P = K/2 the
// growth and crowding loops are nearly even — growth just ahead before,
// crowding just after — so dominance there is contested.
func ExampleStanding() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	e, err := loops.AnalyzeEmergence(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	c := e.Thresholds[0].Crossings[0]
	for _, st := range []loops.Standing{c.Before, c.After} {
		fmt.Printf("t=%.2f to %.2f: %s ahead by %.3f, contested %v; strongest R %s %+.3f, B %s %+.3f\n",
			st.From, st.To, st.Polarity, st.Margin, st.Contested,
			st.TopReinforcing.Name, st.TopReinforcing.Relative, st.TopBalancing.Name, st.TopBalancing.Relative)
	}
	// Output:
	// t=14.92 to 15.32: R ahead by 0.015, contested true; strongest R growth +0.515, B crowding -0.485
	// t=15.32 to 15.72: B ahead by 0.015, contested true; strongest R growth +0.485, B crowding -0.515
}
