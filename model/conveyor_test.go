package model

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// varDelays is the feature model of model/vensim/testdata/features/
// delay_material in TOML: input t + 1, with dt 1, through pipelines whose
// delay time is 3, then 1 from t = 2, then 5 from t = 4; and 4, then 1.
const varDelays = `
[sim]
stop = 12
dt = 1
[aux.input]
eq = "time + 1"
[aux.delay_time]
eq = "if time < 2 then 3 else if time < 4 then 1 else 5"
[aux.short]
eq = "if time < 1 then 4 else 1"
[aux.material]
eq = "delay_material(input, delay_time, 100, -1)"
[aux.information]
eq = "delay_information(input, delay_time, 100)"
[aux.material_overtaking]
eq = "delay_material(input, short, 100, -1)"
[aux.information_overtaking]
eq = "delay_information(input, short, 100)"
`

// TestVariableDelays checks delay_material and delay_information against
// their definition worked by hand. The input of step k, k + 1, leaves at
// step k + n(k). With n 3, 3, 1, 1, 5, 5, ...: 0 and 2 leave at 3, 1 and 3
// at 4, 4 at 9, 5 at 10 and so on, nothing at 5 to 8. With n 4, 1, 1, ...:
// 0 leaves at 4 with 3, k ≥ 1 at k + 1, so that 1 and 2 leave before
// n(0) = 4, while the initial contents are still leaving.
func TestVariableDelays(t *testing.T) {
	want := map[string][]float64{
		// 1+3, 2+4, then missval until 9.
		"material": {100, 100, 100, 4, 6, -1, -1, -1, -1, 5, 6, 7, 8},
		// 3 (not 1), 4 (not 2), held.
		"information": {100, 100, 100, 3, 4, 4, 4, 4, 4, 5, 6, 7, 8},
		// 100 + 2 and 100 + 3 before n(0), then 1 + 4.
		"material_overtaking":    {100, 100, 102, 103, 5, 5, 6, 7, 8, 9, 10, 11, 12},
		"information_overtaking": {100, 100, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
	}
	m := mustParse(t, varDelays)
	for _, method := range []string{"euler", "rk4", "rk45"} {
		r := mustRun(t, m, RunOptions{Method: method})
		for name, w := range want {
			got := r.Series(name)
			if len(got) != len(w) {
				t.Fatalf("%s: %s has %d values, want %d", method, name, len(got), len(w))
			}
			for i := range w {
				if got[i] != w[i] {
					t.Errorf("%s: %s(%g) = %g, want %g", method, name, r.Times[i], got[i], w[i])
				}
			}
		}
		// Saving every other step changes nothing of what is saved.
		r2 := mustRun(t, m, RunOptions{Method: method, SaveEvery: 2})
		for name, w := range want {
			for i, x := range r2.Series(name) {
				if x != w[2*i] {
					t.Errorf("%s, save every 2: %s(%g) = %g, want %g", method, name, r2.Times[i], x, w[2*i])
				}
			}
		}
	}
}

// TestVariableDelaysConstantEqualDelay checks that with a delay time that
// does not change, delay_material and delay_information are delay, value
// for value: a delay time of a whole number of steps, one between steps
// (2.6 with dt 0.25 rounds to 10 steps), zero (one step) and one longer
// than the run.
func TestVariableDelaysConstantEqualDelay(t *testing.T) {
	for _, T := range []string{"2", "2.6", "0", "20", "tau"} {
		m := mustParse(t, fmt.Sprintf(`
[sim]
stop = 10
dt = 0.25
[params]
tau = 1.4
[stocks.s]
initial = 1
inflows = ["in"]
[flows.in]
eq = "sin(time) + ramp(0.5, 2) + 0.1 * s"
[aux.fixed]
eq = "delay(in, %[1]s, 7)"
[aux.material]
eq = "delay_material(in, %[1]s, 7, -1)"
[aux.information]
eq = "delay_information(in, %[1]s, 7)"
[aux.fixed_default]
eq = "delay(in, %[1]s)"
[aux.material_default]
eq = "delay_material(in, %[1]s)"
`, T))
		for _, method := range []string{"euler", "rk4", "rk45"} {
			r := mustRun(t, m, RunOptions{Method: method})
			for _, pair := range [][2]string{{"fixed", "material"}, {"fixed", "information"}, {"fixed_default", "material_default"}} {
				a, b := r.Series(pair[0]), r.Series(pair[1])
				for i := range a {
					if a[i] != b[i] {
						t.Fatalf("T %s, %s: %s(%g) = %g, %s = %g", T, method, pair[1], r.Times[i], b[i], pair[0], a[i])
					}
				}
			}
		}
	}
}

// TestDelayMaterialConserves checks that what enters delay_material
// leaves it, whatever its delay time does: a random delay time of 0.5 to
// 4.5 steps, an input that stops at t = 20 of a run to 40, so that all of
// it has left by the end. With initial value 0 and missval 0 the sum of
// the outputs is the sum of the inputs, and it is not the sum of
// delay_information's.
func TestDelayMaterialConserves(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 40
dt = 1
[aux.input]
eq = "if time < 20 then 1 + time else 0"
[aux.dtime]
eq = "random(0.5, 4.5, 7)"
[aux.material]
eq = "delay_material(input, dtime, 0, 0)"
[aux.information]
eq = "delay_information(input, dtime, 0)"
`)
	r := mustRun(t, m, RunOptions{})
	var in, out, info float64
	for i := range r.Times {
		in += r.Series("input")[i]
		out += r.Series("material")[i]
		info += r.Series("information")[i]
	}
	if in != 210 || out != in {
		t.Errorf("inputs sum to %g (want 210), material's outputs to %g", in, out)
	}
	if info == in {
		t.Errorf("delay_information's outputs sum to the inputs, %g: the random delay time did not vary it", info)
	}
}

// TestVariableDelayTimeRefused checks the errors of a negative or NaN
// delay time: a number in the equation when the model is compiled, any
// other value at the step it happens.
func TestVariableDelayTimeRefused(t *testing.T) {
	const head = "[sim]\nstop = 10\n[aux.input]\neq = \"time\"\n"
	for _, c := range []struct{ eq, want string }{
		{`delay_material(input, -2, 0, 0)`, `the delay time of delay_material must not be negative, got -2`},
		{`delay_information(input, 3 - time)`, `aux.y.eq: the delay time of delay_information in the equation of y is -1 at t=4; it must be a number, 0 or more (equation "delay_information(input, 3 - time)")`},
		{`delay_material(input, if time < 2 then 1 else 0/0)`, `aux.y.eq: the delay time of delay_material in the equation of y is NaN at t=2; it must be a number, 0 or more`},
	} {
		m, err := Parse("test.toml", []byte(head+"[aux.y]\neq = \""+c.eq+"\"\n"))
		if err == nil {
			_, err = m.Run(context.Background(), RunOptions{})
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.eq, err, c.want)
		}
	}
}

// TestVariableDelaysConcurrentRuns checks that runs of one model, each
// with its own pipelines, do not disturb one another.
func TestVariableDelaysConcurrentRuns(t *testing.T) {
	m := mustParse(t, varDelays+"[params]\nk = 1\n[aux.scaled]\neq = \"delay_material(k * input, k * delay_time, 0, 0) + delay_information(input, k + delay_time)\"\n")
	want := make([][]float64, 8)
	for i := range want {
		want[i] = mustRun(t, m, RunOptions{Set: map[string]float64{"k": 1 + float64(i)/4}}).Series("scaled")
	}
	errs := make(chan error, len(want))
	for i := range want {
		go func() {
			r, err := m.Run(context.Background(), RunOptions{Set: map[string]float64{"k": 1 + float64(i)/4}})
			if err == nil && fmt.Sprint(r.Series("scaled")) != fmt.Sprint(want[i]) {
				err = fmt.Errorf("run %d differs when run concurrently", i)
			}
			errs <- err
		}()
	}
	for range want {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
