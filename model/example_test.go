package model_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/stockflow/stockflow/model"
)

const logisticSrc = `
name = "Logistic growth"

[sim]
stop = 40
dt = 0.125
method = "rk4"
save_every = 10

[params]
r = 0.3
K = { value = 1000, units = "people", doc = "carrying capacity" }

[stocks.population]
initial = 10
inflows = ["births"]

[flows.births]
eq = "r * population * (1 - crowding)"

[aux.crowding]
eq = "population / K"
`

func ExampleParse() {
	m, err := model.Parse("logistic.toml", []byte(logisticSrc))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Decl.Name, m.Names())
	// Output: Logistic growth [population births crowding]
}

func ExampleParse_errors() {
	_, err := model.Parse("logistic.toml", []byte(`
[stocks.population]
initial = 10
inflows = ["births"]

[flows.births]
eq = "r * popluation"
`))
	fmt.Println(err)
	// Output: logistic.toml:7:7: flows.births.eq: unknown variable "r" (and 1 more error)
}

func ExampleModel_Run() {
	m, err := model.Parse("logistic.toml", []byte(logisticSrc))
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{
		Set: map[string]float64{"r": 0.5},
	})
	if err != nil {
		log.Fatal(err)
	}
	for i, t := range res.Times {
		fmt.Printf("t=%-3g population=%.1f\n", t, res.Series("population")[i])
	}
	// Output:
	// t=0   population=10.0
	// t=10  population=599.9
	// t=20  population=995.5
	// t=30  population=1000.0
	// t=40  population=1000.0
}

func ExampleResult_At() {
	m, _ := model.Parse("logistic.toml", []byte(logisticSrc))
	res, _ := m.Run(context.Background(), model.RunOptions{SaveEvery: 0.125})
	p, _ := res.At("population", 15.3)
	fmt.Printf("%.2f\n", p) // the closed form gives 498.72
	// Output: 498.72
}

func ExampleResult_Crossings() {
	m, _ := model.Parse("logistic.toml", []byte(logisticSrc))
	res, _ := m.Run(context.Background(), model.RunOptions{Method: "rk45"})
	cs, _ := res.Crossings("population", 500, model.Rising)
	for _, c := range cs {
		fmt.Printf("%s at t=%.4f\n", c.Direction, c.Time) // exactly, ln(99)/0.3 = 15.31706
	}
	// Output: rising at t=15.3171
}

func ExampleResult_WriteCSV() {
	m, _ := model.Parse("logistic.toml", []byte(logisticSrc))
	res, _ := m.Run(context.Background(), model.RunOptions{
		Vars: []string{"population"}, Stop: 20,
	})
	res.WriteCSV(os.Stdout)
	// Output:
	// time,population
	// 0,10
	// 10,168.6647836094331
	// 20,802.9571456804988
}

func ExampleLoad() {
	m, err := model.Load("../examples/sir/sir.toml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Decl.Sim.Method, len(res.Times) > 0)
	// Output: rk4 true
}

func ExampleResult_WriteJSON() {
	m, _ := model.Parse("logistic.toml", []byte(logisticSrc))
	res, _ := m.Run(context.Background(), model.RunOptions{
		Vars: []string{"crowding"}, Stop: 20,
	})
	res.WriteJSON(os.Stdout)
	// Output: {"time":[0,10,20],"series":{"crowding":[0.01,0.1686647836094331,0.8029571456804988]}}
}

func ExampleResult_ThresholdCrossings() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	res, _ := m.Run(context.Background(), model.RunOptions{Method: "rk45"})
	cs, _ := res.ThresholdCrossings("majority")
	fmt.Printf("majority reached at t=%.3f\n", cs[0].Time)
	// Output: majority reached at t=15.317
}

// Disassemble shows the code a model compiles to, slots by name: the
// values at the start time, the aux and flows at each evaluation (births'
// subtraction and second multiplication fused into one instruction,
// (1 - crowding) * t0), and the population's rate, which is births.
func ExampleModel_Disassemble() {
	m, err := model.Parse("logistic.toml", []byte(logisticSrc))
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Disassemble(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// init:
	//    0  mov 10 → population
	//    1  div population K → crowding
	//    2  mul r population → t0
	//    3  submul 1 crowding t0 → births
	// flow:
	//    0  div population K → crowding
	//    1  mul r population → t0
	//    2  submul 1 crowding t0 → births
	// flow, scalar:
	//    0  div population K → crowding
	//    1  mul r population → t0
	//    2  submul 1 crowding t0 → births
	// rates:
	//    0  mov births → d/dt population
}

// The partial derivatives of births = r·P·(1 − P/K) at the start of a
// logistic run (P = 10): ∂/∂P = r(1 − 2P/K) = 0.294, ∂/∂r = P(1 − P/K) =
// 9.9, and no change with time alone.
func ExamplePerturbation_Partials() {
	m, err := model.Parse("logistic.toml", []byte(`
[sim]
stop = 10
[params]
r = 0.3
K = 1000
[stocks.P]
initial = 10
inflows = ["births"]
[flows.births]
eq = "r * P * (1 - P / K)"
`))
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{Trace: true})
	if err != nil {
		log.Fatal(err)
	}
	tr := res.Trace()
	p, err := tr.Perturb("births", []string{"P", "r"})
	if err != nil {
		log.Fatal(err)
	}
	state, err := tr.Snapshot(0, nil)
	if err != nil {
		log.Fatal(err)
	}
	d, err := p.Partials(0, state, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("∂births/∂P = %.6f, ∂births/∂r = %.6f, ∂births/∂t = %.6f\n", d[0], d[1], d[2])
	// Output:
	// ∂births/∂P = 0.294000, ∂births/∂r = 9.900000, ∂births/∂t = 0.000000
}

// Settings gives the simulation settings with the defaults filled in and
// a run's overrides applied: a new dt keeps the model's save_every (10)
// because it divides it.
func ExampleModel_Settings() {
	m, err := model.Parse("logistic.toml", []byte(logisticSrc))
	if err != nil {
		log.Fatal(err)
	}
	s, err := m.Settings(model.RunOptions{Method: "euler", DT: 0.5})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Method, s.Start, s.Stop, s.DT, s.SaveEvery)
	// Output: euler 0 40 0.5 10
}
