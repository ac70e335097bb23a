package loops_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

const logistic = `
[sim]
stop = 40
dt = 0.125
save_every = 0.5
method = "rk4"

[params]
r = 0.3
K = 1000

[stocks.population]
initial = 10
inflows = ["births"]

[flows.births]
eq = "r * population * (1 - crowding)"

[aux.crowding]
eq = "population / K"

[[loops]]
name = "crowding"
path = ["population", "crowding", "births"]
polarity = "B"
`

// The causal graph: each link and its structural sign.
func ExampleNewGraph() {
	m, err := model.Parse("logistic.toml", []byte(logistic))
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range loops.NewGraph(m).Edges {
		fmt.Printf("%s → %s %+d\n", e.From, e.To, e.Sign)
	}
	// Output:
	// r → births +0
	// K → crowding -1
	// population → births +0
	// population → crowding +1
	// births → population +1
	// crowding → births -1
}

// The loops of logistic growth. The sign of population → births depends
// on whether crowding is below 1, so the growth loop's structural
// polarity is undetermined; a run shows it reinforcing.
func ExampleFind() {
	m, err := model.Parse("logistic.toml", []byte(logistic))
	if err != nil {
		log.Fatal(err)
	}
	list := loops.Find(loops.NewGraph(m), loops.Options{})
	for _, l := range list.Loops {
		fmt.Println(l)
	}
	fmt.Println("truncated:", list.Truncated)
	// Output:
	// L1 (U): population → births
	// L2 crowding (B): population → crowding → births
	// truncated: false
}

// Loop dominance: the reinforcing loop drives growth until the population
// reaches K/2 (at t = ln(99)/0.3 ≈ 15.317), the balancing loop after;
// while neither has 55 % of the score, dominance is contested.
func ExampleAnalyze() {
	m, err := model.Parse("logistic.toml", []byte(logistic))
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Run(context.Background(), loops.TraceOptions(m, model.RunOptions{}, nil))
	if err != nil {
		log.Fatal(err)
	}
	d, err := loops.Analyze(loops.Find(loops.NewGraph(m), loops.Options{}), res.Trace(), nil)
	if err != nil {
		log.Fatal(err)
	}
	label := map[string]string{} // loop ID → L1, L2, …
	for k, l := range d.Loops {
		label[l.ID] = l.Label
		fmt.Printf("%s observed %s\n", l.Label, d.Observed[k].Polarity)
	}
	labels := func(ids []string) (out []string) {
		for _, id := range ids {
			out = append(out, label[id])
		}
		return out
	}
	for _, p := range d.Periods {
		if p.Contested {
			fmt.Printf("%.2f to %.2f: contested, %v against %v\n", p.Start, p.End, labels(p.Loops), labels(p.Rivals))
			continue
		}
		fmt.Printf("%.2f to %.2f: %s %v share %.2f\n", p.Start, p.End, p.Polarity, labels(p.Loops), p.Share)
	}
	for _, s := range d.Shifts {
		fmt.Printf("shift at %.3f: %s → %s\n", s.Time, s.From, s.To)
	}
	// Output:
	// L1 observed R
	// L2 observed B
	// 0.00 to 14.65: R [L1] share 0.87
	// 14.65 to 15.99: contested, [L1] against [L2]
	// 15.99 to 40.00: B [L2] share 0.92
	// shift at 15.317: R → B
}

// A [[loops]] entry whose declared polarity is wrong.
func ExampleCheck() {
	src := logistic[:len(logistic)-len(`polarity = "B"`)-1] + `polarity = "R"` + "\n"
	m, err := model.Parse("logistic.toml", []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range loops.Check(context.Background(), m) {
		fmt.Println(e)
	}
	// Output:
	// logistic.toml:22:1: loops[1]: loop "crowding" is balancing, not reinforcing as declared: its one negative link is crowding → births
}

// A loop's ID depends on its variables alone, not on where the cycle is
// read from nor on the list it is in.
func ExampleLoopID() {
	fmt.Println(loops.LoopID([]string{"population", "crowding", "births"}))
	fmt.Println(loops.LoopID([]string{"births", "population", "crowding"}))
	// Output:
	// 84c4a5da5f9a
	// 84c4a5da5f9a
}
