package loops_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// Knocking out logistic growth's loops. With crowding held at its start
// value the population grows exponentially and passes 500 two years
// sooner; with births blind to the population it never gets there.
func ExampleKnockOut() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	k, err := loops.KnockOut(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("intact: %s first crossed at %.2f\n", k.Base[0].Name, k.Base[0].Times[0])
	for _, ko := range k.Knockouts {
		fmt.Printf("%s cut at %s → %s: crossed at %.2f\n", ko.Loop.Title(), ko.Cut.From, ko.Cut.To, ko.Thresholds[0].Times)
	}
	// Output:
	// intact: majority first crossed at 15.32
	// L1 growth cut at population → births: crossed at []
	// L2 crowding cut at population → crowding: crossed at [13.16]
}
