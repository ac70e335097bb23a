package main

import (
	"flag"

	"github.com/stockflow/stockflow/loops"
)

// dominanceFlags holds the flags that shape a loop dominance analysis:
// --scores, --analysis-step, --margin and --min-duration.
type dominanceFlags struct {
	scores            string
	step, margin, dur float64
}

func newDominanceFlags(fs *flag.FlagSet) *dominanceFlags {
	f := &dominanceFlags{}
	fs.StringVar(&f.scores, "scores", string(loops.Continuous), "loop scores: `continuous` (on the integration grid) or discrete (the LTM of the papers over the save interval, as Stella and Simlin)")
	fs.Float64Var(&f.step, "analysis-step", 0, "evaluate continuous loop scores every `X`, a whole multiple of dt (default dt)")
	fs.Float64Var(&f.margin, "margin", loops.DefaultMargin, "a polarity dominates when its share of the loop scores is at least 0.5 + `M`; closer is contested")
	fs.Float64Var(&f.dur, "min-duration", 0, "a dominant period, and a shift, must last `T` (default 1% of the run)")
	return f
}

// settings checks the flags and makes the analysis settings.
func (f *dominanceFlags) settings() (loops.Settings, error) {
	s := loops.Settings{Scores: loops.ScoreMethod(f.scores), Step: f.step, Margin: f.margin, MinDuration: f.dur}
	switch s.Scores {
	case loops.Continuous, loops.Discrete:
	default:
		return s, usagef("--scores must be continuous or discrete, not %q", f.scores)
	}
	if f.step < 0 {
		return s, usagef("--analysis-step must be positive (or 0 for dt), not %s", num(f.step))
	}
	if f.step > 0 && s.Scores == loops.Discrete {
		return s, usagef("--analysis-step applies to continuous scores; discrete ones are taken over the save interval (--save-every)")
	}
	if f.margin < 0 || f.margin >= 0.5 {
		return s, usagef("--margin must be at least 0 and less than 0.5, not %s", num(f.margin))
	}
	if f.margin == 0 {
		s.Margin = -1 // none
	}
	if f.dur < 0 {
		return s, usagef("--min-duration must be positive (or 0 for 1%% of the run), not %s", num(f.dur))
	}
	return s, nil
}
