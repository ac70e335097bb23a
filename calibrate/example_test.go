package calibrate_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/calibrate"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Calibrate fits the decay rate k of a model to three observations of
// its stock, made with k = 0.5.
func ExampleCalibrate() {
	m, err := model.Parse("decay.toml", []byte(`
[sim]
stop = 4
dt = 0.01
method = "rk4"
[params]
k = { value = 0.2, min = 0.01, max = 2 }
[stocks.s]
initial = 100
outflows = ["decay"]
[flows.decay]
eq = "k * s"
`))
	if err != nil {
		log.Fatal(err)
	}
	obs, errs := decl.ReadTable("observed.csv", []byte("time,s\n1,60.653066\n2,36.787944\n4,13.533528\n"), "time", nil)
	if errs != nil {
		log.Fatal(errs)
	}
	res, err := calibrate.Calibrate(context.Background(), m, obs, calibrate.Options{Params: []string{"k"}})
	if err != nil {
		log.Fatal(err)
	}
	fit := res.Fit["s"]
	fmt.Printf("k = %.4f, R² = %.4f, MAPE < 0.01%%: %v\n", res.Params[0].Value, fit.R2, fit.MAPE < 1e-4)
	// Output: k = 0.5000, R² = 1.0000, MAPE < 0.01%: true
}
