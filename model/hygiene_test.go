package model_test

import (
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

const hygieneModel = `time_units = "year"
[sim]
start = 2024
stop = 2030
dt = 0.25

[params]
life = { value = 0.3, units = "years" }
avg = 0.4
switch_year = 2026.1

[stocks.s]
initial = 1
outflows = ["out"]

[flows.out]
eq = "s / life + smth3(s, avg) * 0 + (if time >= switch_year then 1 else 0)"

[aux.a]
eq = "smth1(s, 1) + delay3(s, 1.2) + step(1, 2026) + s / avg"
`

// Each warning names its equation's position: the drain time, the
// smooth's stages and the switch time at dt 0.25; none at dt 0.05 (the
// switch on the grid, every stage over two steps) nor for rk45. An aux
// dividing a stock by a param that is not in time units draws none.
func TestHygiene(t *testing.T) {
	m, err := model.Parse("m.toml", []byte(hygieneModel))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := m.Hygiene(model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		got = append(got, w.Error())
	}
	want := []string{
		"m.toml:17:11: flows.out.eq: life = 0.3 years is a time constant (a stock divided by it) of less than two steps (dt = 0.25): the stock drains faster than the run can follow; make dt at most 0.15",
		"m.toml:17:27: flows.out.eq: smth3 of order 3 has stages of 0.1333 (time 0.4 / 3), less than two steps (dt = 0.25): the run cannot resolve it; make dt at most 0.06667",
		"m.toml:17:50: flows.out.eq: the switch on time at 2026.1 is not on the dt grid (start 2024, dt 0.25): the run switches at 2026.25, the first step after it; put the time on the grid, or make dt divide it",
		"m.toml:20:31: aux.a.eq: delay3 of order 3 has stages of 0.4 (time 1.2 / 3), less than two steps (dt = 0.25): the run cannot resolve it; make dt at most 0.2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, opt := range []model.RunOptions{{DT: 0.05}, {Method: "rk45"}} {
		ws, err := m.Hygiene(opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != 0 {
			t.Errorf("%+v: got warnings %v, want none", opt, ws)
		}
	}
	// --set life=1: the drain is resolved.
	ws, err = m.Hygiene(model.RunOptions{Set: map[string]float64{"life": 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if strings.Contains(w.Msg, "life") {
			t.Errorf("life = 1 still warns: %v", w)
		}
	}
}

// A param is a time constant when the units system says its units are a
// time of the model, its value converted to the model's time units: a
// month of a model in years whose [units] relate the two is a twelfth of
// a year, and a fortnight defined there is a time too. Weeks that the
// model does not relate to years are not its time, whatever the word.
func TestHygieneTimeUnits(t *testing.T) {
	m, err := model.Parse("m.toml", []byte(`time_units = "year"
[sim]
stop = 10
dt = 0.25
[units]
month = "year/12"
fortnight = "year/26"
[params]
lag = { value = 3, units = "months" }
slow = { value = 9, units = "month" }
trip = { value = 6, units = "fortnights" }
wait = { value = 0.1, units = "weeks" }
[stocks.s]
initial = 1
outflows = ["out"]
[flows.out]
eq = "s / lag + s / slow + s / trip + s / wait"
`))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := m.Hygiene(model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		got = append(got, w.Error())
	}
	want := []string{
		"m.toml:17:11: flows.out.eq: lag = 3 months (0.25 year) is a time constant (a stock divided by it) of less than two steps (dt = 0.25): the stock drains faster than the run can follow; make dt at most 0.125",
		"m.toml:17:32: flows.out.eq: trip = 6 fortnights (0.2308 year) is a time constant (a stock divided by it) of less than two steps (dt = 0.25): the stock drains faster than the run can follow; make dt at most 0.1154",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
