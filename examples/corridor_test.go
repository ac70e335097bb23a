package examples_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// The phrases by which a corridor scenario's doc says how it moves the
// crossing of the coordination threshold; checkCorridor holds the doc to
// them.
const (
	claimEarlier = "crosses the threshold earlier than in the baseline"
	claimLater   = "crosses the threshold later than in the baseline, or not at all"
)

// The Middle Corridor: every param documented, sourced and bounded; the
// article's 1.7 million tons through BTC in 2025; coordination crossing
// the emergence threshold in the baseline at a plausible date; and each
// scenario moving that date the way its doc says.
func checkCorridor(t *testing.T, m *model.Model, res *model.Result) {
	for _, p := range m.Decl.Vars {
		if p.Kind != decl.Param {
			continue
		}
		switch {
		case p.Doc == "":
			t.Errorf("param %s has no doc", p.Name)
		case !strings.Contains(p.Doc, "assumption") && !strings.Contains(p.Doc, "(article)"):
			t.Errorf("param %s: doc %q neither cites the article nor says \"assumption\"", p.Name, p.Doc)
		}
		if p.Min == nil || p.Max == nil {
			t.Errorf("param %s has no min/max range", p.Name)
		}
	}

	// "projected to carry 1.7 million tons of its oil in 2025": the
	// average rate over 2025.
	oil, n := 0.0, 0
	for i, tm := range res.Times {
		if tm >= 2025 && tm < 2026 {
			oil += series(t, res, "oil_via_btc")[i]
			n++
		}
	}
	if oil /= float64(n); math.Abs(oil-1.7) > 0.05 {
		t.Errorf("oil through BTC over 2025 averages %.3g Mt/year, want the article's 1.7 (within 0.05)", oil)
	}

	if got, want := m.Scenarios(), []string{"baseline", "no_fibre_cable", "eu_global_gateway", "security_shock", "no_joint_fund"}; !slices.Equal(got, want) {
		t.Fatalf("scenarios %q, want %q", got, want)
	}
	th := m.Decl.Thresholds
	if len(th) != 1 || th[0].Name != "emergence" || th[0].Var != "coordination" {
		t.Fatalf("want one threshold, emergence, on coordination")
	}
	crossing := func(scenario string) (float64, bool) {
		r, err := m.Run(t.Context(), model.RunOptions{Scenario: scenario, Vars: []string{"coordination"}})
		if err != nil {
			t.Fatalf("scenario %s: %v", scenario, err)
		}
		cs, err := r.Crossings("coordination", th[0].Level, model.Rising)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			return 0, false
		}
		return cs[0].Time, true
	}

	base, ok := crossing("baseline")
	if !ok {
		t.Fatalf("coordination never reaches %g in the baseline", th[0].Level)
	}
	// The article (March 2025): "The Middle Corridor is approaching such
	// a threshold". A crossing within a few years of it is plausible.
	if base < 2027 || base > 2033 {
		t.Errorf("baseline crosses at %.2f, want a plausible date from 2027 to 2033", base)
	}
	if got, err := res.Crossings("coordination", th[0].Level, model.Rising); err != nil || len(got) != 1 || math.Abs(got[0].Time-base) > 1e-9 {
		t.Errorf("a run without a scenario crosses at %v, want once, as the baseline, at %.4g", got, base)
	}

	const margin = 0.25 // years: a scenario must move the date by at least a season
	for _, sc := range m.Decl.Scenarios[1:] {
		at, crossed := crossing(sc.Name)
		when := "never"
		if crossed {
			when = fmt.Sprintf("at %.2f", at)
		}
		switch {
		case strings.Contains(sc.Doc, claimEarlier):
			if !crossed || at > base-margin {
				t.Errorf("%s crosses %s, want earlier than the baseline's %.2f (by %g years or more) as its doc says", sc.Name, when, base, margin)
			}
		case strings.Contains(sc.Doc, claimLater):
			if crossed && at < base+margin {
				t.Errorf("%s crosses %s, want later than the baseline's %.2f (by %g years or more) or never, as its doc says", sc.Name, when, base, margin)
			}
		default:
			t.Errorf("%s: doc %q says neither %q nor %q", sc.Name, sc.Doc, claimEarlier, claimLater)
		}
		t.Logf("%s: crosses %s (baseline %.2f)", sc.Name, when, base)
	}
}
