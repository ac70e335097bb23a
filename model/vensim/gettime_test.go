package vensim

import "testing"

// TestGetTimeValueErrors checks that the forms of GET TIME VALUE that
// depend on the computer's clock or on Vensim's calendar settings are
// refused, whole messages naming the line, the argument and what is read.
func TestGetTimeValueErrors(t *testing.T) {
	const ctl = "INITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
	const read = "GET TIME VALUE is read with relativeto 0 (the simulation's time) or 1 (its initial time) and measure 0 (the model's time units): GET TIME VALUE(0, offset, 0) is Time + offset"
	for _, tc := range []struct{ name, src, want string }{
		{
			"the clock",
			"x = GET TIME VALUE(2, 0, 10) ~~|\n",
			"m.mdl:1:20: x: GET TIME VALUE relative to the computer's clock (relativeto 2) is not read: it would make each run depend on when it is made; " + read,
		},
		{
			"a calendar measure",
			"x = GET TIME VALUE(0, 0, 3) ~~|\n",
			"m.mdl:1:26: x: GET TIME VALUE: measure 3 is a calendar measure (years, quarters, months, days, hours… of Vensim's time labelling), which is not read; " + read,
		},
		{
			"no such relativeto",
			"x = GET TIME VALUE(4, 0, 0) ~~|\n",
			"m.mdl:1:20: x: GET TIME VALUE: relativeto 4 is none of Vensim's (0 the simulation's time, 1 its initial time, 2 the clock); " + read,
		},
		{
			"no such measure",
			"x = GET TIME VALUE(0, 0, 0.5) ~~|\n",
			"m.mdl:1:26: x: GET TIME VALUE: measure 0.5 is none of Vensim's (0 to 10); " + read,
		},
		{
			"relativeto over time",
			"x = GET TIME VALUE(y, 0, 0) ~~|\ny = Time ~~|\n",
			"m.mdl:1:20: x: the relativeto of GET TIME VALUE must be a number known when the model is read (0, 1 or 2); " + read,
		},
		{
			"measure from a stock",
			"x = GET TIME VALUE(0, 0, s) ~~|\ns = INTEG(1, 0) ~~|\n",
			"m.mdl:1:26: x: the measure of GET TIME VALUE must be a number known when the model is read (0 to 10); " + read,
		},
		{
			"another GET function",
			"x = GET DATA AT TIME(y, 1) ~~|\ny = 1 ~~|\n",
			"m.mdl:1:5: x: GET DATA AT TIME is not read (the GET functions read are GET XLS/DIRECT DATA, CONSTANTS, LOOKUPS and SUBSCRIPT, GET DATA BETWEEN TIMES, GET DATA MIN, MAX, MEAN and SUM, and GET TIME VALUE): save the numbers as CSV and read them as a data variable ([data.NAME] in TOML: convert the model, see docs/data.md), or write them into the .mdl",
		},
		{
			"two arguments",
			"x = GET TIME VALUE(0, 0) ~~|\n",
			"m.mdl:1:5: x: GET TIME VALUE takes 3 arguments (relativeto, offset, measure), got 2",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("m.mdl", []byte(tc.src+ctl))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}
