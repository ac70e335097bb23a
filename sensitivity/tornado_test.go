package sensitivity_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sensitivity"
)

const tornadoLogistic = `
[sim]
stop = 40
dt = 0.0625
method = "rk4"

[params]
r = { value = 0.3, min = 0.05, max = 1 }
K = { value = 1000, min = 100, max = 5000 }
P0 = { value = 10, min = 1, max = 100 }
unbounded = 1

[stocks.population]
initial = "P0 + 0 * unbounded"
inflows = ["births"]

[flows.births]
eq = "r * population * (1 - population / K)"

[thresholds.majority]
var = "population"
level = 500
direction = "rising"
`

// Logistic growth crosses 500 at ln((K/P0 - 1)/(K/500 - 1))/r, or never
// when K <= 500 or r is too slow to get there by the stop.
func TestRunTornadoLogistic(t *testing.T) {
	m, err := model.Parse("logistic.toml", []byte(tornadoLogistic))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sensitivity.RunTornado(context.Background(), m, model.RunOptions{}, "majority", nil)
	if err != nil {
		t.Fatal(err)
	}
	at := func(r, K, P0 float64) float64 {
		if K <= 500 {
			return math.NaN()
		}
		x := math.Log((K/P0-1)/(K/500-1)) / r
		if x > 40 {
			return math.NaN()
		}
		return x
	}
	const tol = 0.005 // rk4 at dt 1/16, crossings interpolated linearly between steps
	near := func(got, want float64) bool {
		return math.IsNaN(got) && math.IsNaN(want) || math.Abs(got-want) < tol
	}
	if want := at(0.3, 1000, 10); !near(tr.Base, want) {
		t.Errorf("got base %v, want %v", tr.Base, want)
	}
	// Ranked by swing, a never counted at the stop: r (|4.6 - 40|), K
	// (|13.4 - 40|), P0 (|23.0 - 7.3|); unbounded has no min or max.
	want := []struct {
		param         string
		atLow, atHigh float64
	}{
		{"r", at(0.05, 1000, 10), at(1, 1000, 10)},
		{"K", at(0.3, 100, 10), at(0.3, 5000, 10)},
		{"P0", at(0.3, 1000, 1), at(0.3, 1000, 100)},
	}
	if len(tr.Bars) != len(want) {
		t.Fatalf("got %d bars, want %d", len(tr.Bars), len(want))
	}
	for i, w := range want {
		b := tr.Bars[i]
		if b.Param != w.param || !near(b.AtLow, w.atLow) || !near(b.AtHigh, w.atHigh) {
			t.Errorf("bar %d: got %s at %v, %v; want %s at %v, %v", i, b.Param, b.AtLow, b.AtHigh, w.param, w.atLow, w.atHigh)
		}
	}
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `{"param":"r","value":0.3,"low":0.05,"high":1,"at_low":null,"at_high":4.59`) {
		t.Errorf("JSON %s lacks r's bar with null for never", b)
	}

	for _, c := range []struct {
		threshold string
		params    []string
		want      string
	}{
		{"majoriti", nil, `no threshold "majoriti"`},
		{"majority", []string{"unbounded"}, `param "unbounded" declares no min or max`},
		{"majority", []string{"nope"}, `no param "nope"`},
	} {
		if _, err := sensitivity.RunTornado(context.Background(), m, model.RunOptions{}, c.threshold, c.params); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("RunTornado(%s, %v): got %v, want an error containing %q", c.threshold, c.params, err, c.want)
		}
	}
}
