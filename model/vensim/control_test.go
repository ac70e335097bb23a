package vensim

import "testing"

// TestControlEquations reads control variables written as expressions of
// constants, each form evaluated when the model is read.
func TestControlEquations(t *testing.T) {
	for _, tc := range []struct {
		name, src             string
		start, stop, dt, save float64
	}{
		{"numbers", "INITIAL TIME = 0 ~~|\nFINAL TIME = 10 ~~|\nTIME STEP = 0.5 ~~|\nSAVEPER = 1 ~~|\n", 0, 10, 0.5, 1},
		{"FINAL TIME = INITIAL TIME + horizon", "horizon = 30 ~~|\nINITIAL TIME = 1990 ~~|\nFINAL TIME = INITIAL TIME + horizon ~~|\nTIME STEP = 1 ~~|\nSAVEPER = 1 ~~|\n", 1990, 2020, 1, 1},
		{"SAVEPER = TIME STEP", "INITIAL TIME = 0 ~~|\nFINAL TIME = 4 ~~|\nTIME STEP = 0.25 ~~|\nSAVEPER = TIME STEP ~~|\n", 0, 4, 0.25, 0.25},
		{"TIME STEP = 1/32", "INITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1/32 ~~|\nSAVEPER = 0.5 ~~|\n", 0, 1, 1.0 / 32, 0.5},
		{"a constant param", "dt param = 0.125 ~~|\nlast = 2 * 3 ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = last ~~|\nTIME STEP = dt param ~~|\nSAVEPER = dt param * 4 ~~|\n", 0, 6, 0.125, 0.5},
		{"functions of constants", "n = 7 ~~|\nINITIAL TIME = ABS(-2) ~~|\nFINAL TIME = MAX(n, 3) + INTEGER(2.9) ~~|\nTIME STEP = IF THEN ELSE(n > 5 :AND: n < 10, 0.5, 1) ~~|\nSAVEPER = POWER(2, 0) ~~|\n", 2, 9, 0.5, 1},
		{"a constant read from a file", "stop at = GET DIRECT CONSTANTS('testdata/features/get_constants/constants.csv', ',', 'C3') ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = stop at ~~|\nTIME STEP = 1 ~~|\nSAVEPER = 1 ~~|\n", 0, 20, 1, 1},
		{"a branch not taken may read Time", "INITIAL TIME = 0 ~~|\nFINAL TIME = IF THEN ELSE(1, 5, Time) ~~|\nTIME STEP = 1 ~~|\nSAVEPER = 1 ~~|\n", 0, 5, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse("m.mdl", []byte("x = INTEG(1, 0) ~~|\n"+tc.src))
			if err != nil {
				t.Fatal(err)
			}
			s := m.Sim
			if s.Start != tc.start || s.Stop != tc.stop || s.DT != tc.dt || s.SaveEvery != tc.save {
				t.Errorf("got start %g stop %g dt %g save %g, want %g %g %g %g", s.Start, s.Stop, s.DT, s.SaveEvery, tc.start, tc.stop, tc.dt, tc.save)
			}
		})
	}
}

// TestControlEquationErrors refuses control variables that depend on the
// run, with the line, the chain of variables and why.
func TestControlEquationErrors(t *testing.T) {
	const why = ": stockflow fixes the run's times when it reads the model, before the run, so INITIAL TIME, FINAL TIME, TIME STEP and SAVEPER must each be a number or an expression of constants (FINAL TIME = INITIAL TIME + horizon, SAVEPER = TIME STEP); write the value the run should use"
	for _, tc := range []struct{ name, src, want string }{
		{
			"FINAL TIME over Time",
			"INITIAL TIME = 0 ~~|\nFINAL TIME = IF THEN ELSE(Time > 5, Time, 100) ~~|\nTIME STEP = 1 ~~|\n",
			"m.mdl:3:1: FINAL TIME: FINAL TIME depends on Time, which changes during the run" + why,
		},
		{
			"FINAL TIME through variables",
			"current = Time ~~|\ncontrol = current * 2 - 5 ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = IF THEN ELSE(control > 50, Time, 100) ~~|\nTIME STEP = 1 ~~|\n",
			"m.mdl:5:1: FINAL TIME: FINAL TIME depends, through control → current, on Time, which changes during the run" + why,
		},
		{
			"TIME STEP from a stock",
			"s = INTEG(1, 1) ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 4 ~~|\nTIME STEP = s / 4 ~~|\n",
			"m.mdl:5:1: TIME STEP: TIME STEP depends on the stock s, which changes during the run" + why,
		},
		{
			"TIME STEP from a random function",
			"INITIAL TIME = 0 ~~|\nFINAL TIME = 4 ~~|\nTIME STEP = RANDOM UNIFORM(0.1, 1, 3) ~~|\nSAVEPER = TIME STEP ~~|\n",
			"m.mdl:4:1: TIME STEP: TIME STEP depends on RANDOM UNIFORM, which stockflow evaluates only during the run" + why + " (and 1 more error)",
		},
		{
			"a circle",
			"a = b + 1 ~~|\nb = FINAL TIME ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = a ~~|\nTIME STEP = 1 ~~|\n",
			"m.mdl:5:1: FINAL TIME: FINAL TIME depends, through a → b, on FINAL TIME again: the equations go round in a circle" + why,
		},
		{
			"a data equation",
			"INITIAL TIME = 0 ~~|\nFINAL TIME := 4 ~~|\nTIME STEP = 1 ~~|\n",
			"m.mdl:3:1: FINAL TIME: FINAL TIME must be a number or an expression of constants (FINAL TIME = 100), not a data equation (:=)",
		},
		{
			"not finite",
			"INITIAL TIME = 0 ~~|\nFINAL TIME = 4 ~~|\nTIME STEP = 1 / 0 ~~|\n",
			"m.mdl:4:1: TIME STEP: TIME STEP evaluates to +Inf; it must be a finite number",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("m.mdl", []byte("x = INTEG(1, 0) ~~|\n"+tc.src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}
