package loops

import (
	"math"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// TestDominanceRules checks the margin and minimum-duration rules on
// made-up relative scores: a reinforcing loop with share s(t) and a
// balancing one with 1 − s(t), at t = 0, 1, …, 100, a margin of 0.05 and
// a minimum duration of 2.
func TestDominanceRules(t *testing.T) {
	type period struct {
		pol       Polarity
		contested bool
		from, to  float64 // where the period's start and end must lie
	}
	cases := []struct {
		name    string
		share   func(t float64) float64
		periods []period
		shifts  []float64 // the shift times, R → B or B → R in turn, ±0.5
	}{
		{"persistent shift", func(t float64) float64 { return pick(t < 50, 0.8, 0.2) },
			[]period{{Reinforcing, false, 0, 49.5}, {Balancing, false, 49.5, 100}}, []float64{49.5}},
		{"flicker about a half", func(t float64) float64 {
			switch {
			case t >= 30 && t < 40:
				return pick(int(t)%2 == 0, 0.56, 0.44)
			}
			return 0.8
		}, []period{{Reinforcing, false, 0, 30}, {"", true, 30, 40}, {Reinforcing, false, 40, 100}}, nil},
		{"a blip shorter than the minimum", func(t float64) float64 { return pick(t == 50, 0.2, 0.8) },
			[]period{{Reinforcing, false, 0, 100}}, nil},
		{"a contested hand-over", func(t float64) float64 {
			switch {
			case t < 40:
				return 0.8
			case t < 60:
				return 0.5
			}
			return 0.2
		}, []period{{Reinforcing, false, 0, 40}, {"", true, 40, 60}, {Balancing, false, 60, 100}}, []float64{59.5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			times := make([]float64, 101)
			r, b := make([]float64, 101), make([]float64, 101)
			for i := range times {
				times[i] = float64(i)
				s := c.share(times[i])
				r[i], b[i] = s, -(1 - s)
			}
			d := &Dominance{
				Times:       times,
				Loops:       []*Loop{{ID: "r", Polarity: Reinforcing}, {ID: "b", Polarity: Balancing}},
				Links:       &LinkScores{Times: times, Method: Continuous},
				Relative:    [][]float64{r, b},
				Margin:      0.05,
				MinDuration: 2,
			}
			d.dominate(0, []int{0, 1})
			if len(d.Periods) != len(c.periods) {
				t.Fatalf("periods %+v, want %d", d.Periods, len(c.periods))
			}
			for k, w := range c.periods {
				g := d.Periods[k]
				if g.Contested != w.contested || (!w.contested && g.Polarity != w.pol) ||
					math.Abs(g.Start-w.from) > 1 || math.Abs(g.End-w.to) > 1 {
					t.Errorf("period %d is %+v, want %+v", k, g, w)
				}
				if g.Contested && (len(g.Loops) != 1 || len(g.Rivals) != 1 || g.Loops[0] == g.Rivals[0]) {
					t.Errorf("contested period %+v does not name both sides", g)
				}
				if k > 0 && g.Start != d.Periods[k-1].End {
					t.Errorf("period %d starts at %g, the one before ends at %g", k, g.Start, d.Periods[k-1].End)
				}
			}
			if len(d.Shifts) != len(c.shifts) {
				t.Fatalf("shifts %+v, want at %v", d.Shifts, c.shifts)
			}
			for k, w := range c.shifts {
				if math.Abs(d.Shifts[k].Time-w) > 0.5 {
					t.Errorf("shift %d at %g, want %g", k, d.Shifts[k].Time, w)
				}
			}
		})
	}
}

func pick(cond bool, a, b float64) float64 {
	if cond {
		return a
	}
	return b
}

// TestCheckStep: the analysis step must be a whole multiple of the run's
// dt, the model's or the one the options set.
func TestCheckStep(t *testing.T) {
	m := mustParse(t, logisticCrowding) // dt 0.125
	for _, c := range []struct {
		dt, step float64
		ok       bool
	}{
		{0, 0, true}, {0, 0.125, true}, {0, 0.5, true}, {0, 0.3, false}, {0, 0.0625, false},
		{0.1, 0.3, true}, {0.1, 0.25, false}, {0, -1, false},
	} {
		err := CheckStep(m, model.RunOptions{DT: c.dt}, &Settings{Step: c.step})
		if (err == nil) != c.ok {
			t.Errorf("dt %g, step %g: error %v, want ok %v", c.dt, c.step, err, c.ok)
		}
	}
	if err := CheckStep(m, model.RunOptions{}, nil); err != nil {
		t.Errorf("no settings: %v", err)
	}
}
