package model

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestSaveTimesExact checks that the time column holds the float64
// nearest each decimal save time, start + i·interval, under every method:
// with dt = 0.01, 297 steps make 2.97, where 297 × 0.01 rounds to
// 2.9699999999999998 and accumulating 0.01 drifts further.
func TestSaveTimesExact(t *testing.T) {
	const src = `
[sim]
start = 0.7
stop = 4
dt = 0.01
[stocks.x]
initial = 1
inflows = ["f"]
[flows.f]
eq = "x * 0.1"
`
	m := mustParse(t, src)
	for _, method := range []string{"euler", "rk2", "rk4", "rk45"} {
		for _, save := range []float64{0.01, 0.03} {
			res, err := m.Run(context.Background(), RunOptions{Method: method, SaveEvery: save})
			if err != nil {
				t.Fatal(err)
			}
			step := int(save * 100)
			if want := (400-70)/step + 1; res.Len() != want {
				t.Fatalf("%s, save %g: %d save points, want %d", method, save, res.Len(), want)
			}
			for i, got := range res.Times {
				c := 70 + i*step // hundredths
				want, _ := strconv.ParseFloat(fmt.Sprintf("%d.%02d", c/100, c%100), 64)
				if got != want {
					t.Fatalf("%s, save %g: time %d is %v, want %v", method, save, i, got, want)
				}
			}
		}
	}
}

// TestDTKeepsSaveEvery checks that a new dt keeps the model's own output
// interval when it still divides it, and otherwise saves at every step
// and says so; a model that saves at every step goes on doing so.
func TestDTKeepsSaveEvery(t *testing.T) {
	const own = `
[sim]
stop = 2
dt = 0.0625
save_every = 0.25
[stocks.x]
initial = 1
`
	every := strings.Replace(own, "save_every = 0.25\n", "", 1)
	for _, tc := range []struct {
		name, src string
		opt       RunOptions
		interval  float64
		warning   string
	}{
		{"own interval, dt divides it", own, RunOptions{DT: 0.125}, 0.25, ""},
		{"own interval, dt does not divide it", own, RunOptions{DT: 0.1}, 0.1, "save_every 0.25 is not a whole multiple of dt 0.1: saving every 0.1"},
		{"own interval, both given", own, RunOptions{DT: 0.1, SaveEvery: 0.5}, 0.5, ""},
		{"every step", every, RunOptions{DT: 0.125}, 0.125, ""},
		{"no new dt", own, RunOptions{}, 0.25, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := mustParse(t, tc.src).Run(context.Background(), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Times[1] - res.Times[0]; got != tc.interval {
				t.Errorf("interval %v, want %v", got, tc.interval)
			}
			got := strings.Join(res.Warnings, "\n")
			if tc.warning == "" && got != "" || !strings.Contains(got, tc.warning) {
				t.Errorf("warnings %q, want %q", got, tc.warning)
			}
		})
	}
}
