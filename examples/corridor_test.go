package examples_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// The phrases by which a corridor scenario's doc says how it moves the
// crossing of the emergence threshold; checkCorridor holds the doc to
// them.
const (
	claimEarlier = "crosses the threshold earlier than in the baseline"
	claimLater   = "crosses the threshold later than in the baseline, or not at all"
	claimSame    = "crosses the threshold within a season of the baseline"
	claimNever   = "never crosses the threshold"
)

// The Middle Corridor: every param documented, sourced and bounded; the
// article's 1.7 million tons through BTC in 2025; the first threshold
// crossed by March 2025, where the run turns from damping to amplifying;
// the second, the unstable equilibrium, crossed later, and past it the
// corridor grows with no further outside move while below it it decays;
// no crossing and no amplifying without the initiatives (status_quo);
// each scenario moving the crossing the way its doc says; and every
// share, and cargo against capacity, bounded whatever the params within
// their ranges.
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

	// The article's 2024–25 facts and targets, as [data] tables citing
	// the article; observed.csv holds the same numbers in columns named as
	// the variables they observe (for run --compare and calibrate --data).
	// Each table is one column of the file, and the baseline meets each
	// within a fifth (README.md says how well, and what calibration
	// changes).
	src, err := decl.ReadFile("middle-corridor/observed.csv", 0)
	if err != nil {
		t.Fatal(err)
	}
	obs, errs := decl.ReadTable("middle-corridor/observed.csv", src, "time", nil)
	if errs != nil {
		t.Fatal(errs.Err())
	}
	matched := map[string]string{} // column → data table
	for _, v := range m.Decl.Vars {
		if v.Kind != decl.Data {
			continue
		}
		if !strings.Contains(v.Doc, "(article") {
			t.Errorf("data %s: doc %q does not cite the article", v.Name, v.Doc)
		}
		col := ""
		for j, name := range obs.Names {
			var pts [][2]float64
			for i, tm := range obs.Time {
				if y := obs.Cols[j][i]; !math.IsNaN(y) {
					pts = append(pts, [2]float64{tm, y})
				}
			}
			if slices.Equal(pts, v.Points) {
				col = name
			}
		}
		if col == "" || matched[col] != "" {
			t.Errorf("data %s (points %v) is no column of observed.csv of its own", v.Name, v.Points)
			continue
		}
		matched[col] = v.Name
		if !strings.Contains(v.Doc, "observes "+col) {
			t.Errorf("data %s: doc does not say it observes %s", v.Name, col)
		}
		for _, pt := range v.Points {
			got, err := res.At(col, pt[0])
			if err != nil {
				t.Fatalf("data %s observes %s: %v", v.Name, col, err)
			}
			if math.Abs(got-pt[1]) > 0.2*math.Abs(pt[1]) {
				t.Errorf("data %s: %s is %.3g at %g, want the article's %g within a fifth", v.Name, col, got, pt[0], pt[1])
			}
		}
	}
	if len(matched) != 3 || len(obs.Names) != 3 {
		t.Errorf("data tables %v for the columns %v of observed.csv, want the article's three: the fund and Kuryk, Aktau, oil through BTC", matched, obs.Names)
	}

	// The coordination index: four domain weights, normalised.
	var idx string
	for _, v := range m.Decl.Vars {
		if v.Name == "coordination" {
			idx = v.Eq.Text
		}
	}
	for _, d := range []string{"physical_level", "informational_level", "financial_level", "normative_level"} {
		if !strings.Contains(idx, d) {
			t.Errorf("coordination does not use the domain level %s", d)
		}
	}

	wantScenarios := []string{"baseline", "status_quo", "eu_global_gateway", "no_joint_fund", "security_shock", "no_fibre_cable",
		"cut_institutional_feedback", "cut_mutual_benefit", "cut_infrastructure_reinforcement", "cut_regulatory_adaptation", "cut_security_cooperation"}
	if got := m.Scenarios(); !slices.Equal(got, wantScenarios) {
		t.Fatalf("scenarios %q, want %q", got, wantScenarios)
	}
	th := m.Decl.Thresholds
	if len(th) != 2 || th[0].Name != "systemic" || th[1].Name != "emergence" || th[0].Var != "institutional_integration" || th[1].Var != th[0].Var || th[0].Level >= th[1].Level {
		t.Fatalf("want two thresholds on institutional_integration, systemic below emergence")
	}
	systemic, emergence := th[0], th[1]
	crossing := func(scenario string, level float64, set map[string]float64) (float64, bool) {
		t.Helper()
		r, err := m.Run(t.Context(), model.RunOptions{Scenario: scenario, Set: set, Vars: []string{systemic.Var}})
		if err != nil {
			t.Fatalf("scenario %s: %v", scenario, err)
		}
		cs, err := r.Crossings(systemic.Var, level, model.Rising)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			return 0, false
		}
		return cs[0].Time, true
	}

	// The article, March 2025: "their cooperation has crossed the
	// threshold from parallel development to systemic coordination";
	// "the Middle Corridor is approaching such a threshold".
	first, ok := crossing("baseline", systemic.Level, nil)
	if !ok || first > 2025.25 {
		t.Errorf("baseline crosses systemic at %.3f (crossed: %v), want by March 2025", first, ok)
	}
	base, ok := crossing("baseline", emergence.Level, nil)
	if !ok || base <= 2025.25 || base > 2030 {
		t.Fatalf("baseline crosses emergence at %.3f (crossed: %v), want after March 2025 and by 2030", base, ok)
	}
	for _, lv := range []float64{systemic.Level, emergence.Level} {
		if at, crossed := crossing("status_quo", lv, nil); crossed {
			t.Errorf("status_quo crosses %g at %.2f, want never", lv, at)
		}
	}

	// Systemic coordination is where the run turns from damping to
	// amplifying; without the initiatives it never does, even where a
	// lower level would be crossed: the threshold marks the change of
	// regime, its level does not make one.
	em, err := loops.AnalyzeEmergence(t.Context(), m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	first = em.Thresholds[0].Crossings[0].Time // on the analysis run's grid, every dt
	var turn []float64
	for _, sc := range em.Stability.SignChanges {
		if sc.From == loops.Damping && sc.To == loops.Amplifying {
			turn = append(turn, sc.Time)
		}
	}
	if len(turn) != 1 || math.Abs(turn[0]-first) > 0.1 {
		t.Errorf("baseline turns amplifying at %v, want once, within 0.1 years of the systemic crossing at %.3f", turn, first)
	}
	if r := em.Stability.RegimeAt(base); r != loops.Amplifying {
		t.Errorf("baseline is %v at the emergence crossing (%.3f), want amplifying", r, base)
	}
	sq, err := loops.AnalyzeEmergence(t.Context(), m, model.RunOptions{Scenario: "status_quo"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sq.Stability.SignChanges) != 0 || slices.ContainsFunc(sq.Stability.Regimes, func(r loops.Regime) bool { return r != loops.Damping }) {
		t.Errorf("status_quo: sign changes %v; want damping throughout", sq.Stability.SignChanges)
	}
	if at, crossed := crossing("status_quo", 0.2, nil); !crossed {
		t.Errorf("status_quo never reaches 0.2; the test of a lowered threshold needs a level it crosses")
	} else {
		t.Logf("status_quo crosses a threshold lowered to 0.2 at %.2f, damping throughout", at)
	}

	// Emergence is the unstable equilibrium: outside moves stopped a
	// year before the crossing, the corridor decays back; stopped a
	// quarter after it, it carries on to its high state by itself.
	final := func(set map[string]float64) float64 {
		t.Helper()
		r, err := m.Run(t.Context(), model.RunOptions{Set: set, Vars: []string{emergence.Var}})
		if err != nil {
			t.Fatal(err)
		}
		ys := series(t, r, emergence.Var)
		return ys[len(ys)-1]
	}
	if got := final(map[string]float64{"moves_end": base - 1}); got >= emergence.Level {
		t.Errorf("outside moves stopped at %.2f, a year before the emergence crossing: integration ends at %.3f, want it back below %g", base-1, got, emergence.Level)
	}
	if got := final(map[string]float64{"moves_end": base + 0.25}); got < 0.6 {
		t.Errorf("outside moves stopped at %.2f, just after the emergence crossing: integration ends at %.3f, want the high state (0.6 or more)", base+0.25, got)
	}

	const margin = 0.25 // years: a season
	for _, sc := range m.Decl.Scenarios[1:] {
		at, crossed := crossing(sc.Name, emergence.Level, nil)
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
		case strings.Contains(sc.Doc, claimSame):
			if !crossed || math.Abs(at-base) >= margin {
				t.Errorf("%s crosses %s, want within %g years of the baseline's %.2f, as its doc says", sc.Name, when, margin, base)
			}
		case strings.Contains(sc.Doc, claimNever):
			if crossed {
				t.Errorf("%s crosses %s, want never, as its doc says", sc.Name, when)
			}
		default:
			t.Errorf("%s: doc %q says none of %q, %q, %q, %q", sc.Name, sc.Doc, claimEarlier, claimLater, claimSame, claimNever)
		}
		t.Logf("%s: crosses %s (baseline %.2f)", sc.Name, when, base)
	}

	checkCorridorBounds(t, m)
}

// checkCorridorBounds runs the corridor with each param at its min and
// at its max, and with every param at one end of its range or the other
// at random, and wants every declared range kept (every share within
// [0, 1], every amount non-negative) and cargo within port capacity.
func checkCorridorBounds(t *testing.T, m *model.Model) {
	t.Helper()
	var sets []map[string]float64
	var names []string
	for _, p := range m.Decl.Vars {
		if p.Kind == decl.Param && p.Min != nil && p.Max != nil {
			names = append(names, p.Name)
			sets = append(sets, map[string]float64{p.Name: *p.Min}, map[string]float64{p.Name: *p.Max})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		set := map[string]float64{}
		for _, p := range m.Decl.Vars {
			if p.Kind == decl.Param && p.Min != nil && p.Max != nil {
				set[p.Name] = *p.Min
				if rng.IntN(2) == 1 {
					set[p.Name] = *p.Max
				}
			}
		}
		sets = append(sets, set)
	}
	failed := 0
	for _, set := range sets {
		r, err := m.Run(t.Context(), model.RunOptions{Set: set})
		if err != nil {
			t.Fatalf("--set %v: %v", set, err)
		}
		if len(r.OutOfRange) > 0 {
			v := r.OutOfRange[0]
			t.Errorf("with %v at an end of their ranges: %s leaves its range %v at %g: %g", brief(set), v.Var, v.Range, v.Time, v.Value)
			failed++
			continue
		}
		cargo, ports := series(t, r, "throughput"), series(t, r, "port_capacity")
		for i := range cargo {
			if !(cargo[i] <= ports[i]) {
				t.Errorf("with %v: throughput %g above port capacity %g at %g", brief(set), cargo[i], ports[i], r.Times[i])
				failed++
				break
			}
		}
	}
	t.Logf("%d of %d runs with params at the ends of their ranges (%d params) kept every range", len(sets)-failed, len(sets), len(names))
}

// brief shows a set of param values, or how many there are when many.
func brief(set map[string]float64) string {
	if len(set) <= 2 {
		return fmt.Sprint(set)
	}
	return fmt.Sprintf("%d params", len(set))
}
