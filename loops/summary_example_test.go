package loops_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// A summary of logistic growth's loops, as "stockflow loops --json"
// writes it: the growth loop's polarity is open in the equations, so the
// summary runs the model and reports the polarity it showed
// (structural "U", polarity "R").
func ExampleSummarize() {
	m, err := model.Parse("logistic.toml", []byte(logistic))
	if err != nil {
		log.Fatal(err)
	}
	s, err := loops.Summarize(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range s.Loops {
		fmt.Printf("%s %s, observed %t\n", l.Title(), l.Polarity, l.Observed())
	}
	b, err := json.Marshal(s)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// L1 R, observed true
	// L2 crowding B, observed false
	// {"loops":[{"id":"1d81b390c245","label":"L1","polarity":"R","structural":"U","length":2,"variables":["population","births"]},{"id":"84c4a5da5f9a","label":"L2","name":"crowding","polarity":"B","structural":"B","length":3,"variables":["population","crowding","births"]}],"truncated":false}
}
