package loops

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// bassTOML is Bass diffusion: adoption = p·potential + q·adopters·potential/N.
// Adoption peaks, and dominance shifts from word of mouth (R) to
// saturation (B), at t* = ln(q/p)/(p+q).
const bassTOML = `
time_units = "year"
[sim]
stop = 20
dt = 0.0625
method = "rk4"
save_every = 0.25

[params]
p = 0.03
q = 0.38
N = 1000

[stocks.potential]
initial = "N"
outflows = ["adoption"]

[stocks.adopters]
initial = 0
inflows = ["adoption"]

[flows.adoption]
eq = "p * potential + q * adopters * potential / N"

[[loops]]
name = "word_of_mouth"
path = ["adopters", "adoption"]
polarity = "R"

[[loops]]
name = "saturation"
path = ["potential", "adoption"]
polarity = "B"

[thresholds.half]
var = "adopters"
level = 500
direction = "rising"
`

func emerge(t *testing.T, src string, opt model.RunOptions) *Emergence {
	t.Helper()
	m, err := model.Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	e, err := AnalyzeEmergence(t.Context(), m, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEmergenceLogistic checks the known answers of logistic growth
// (r = 0.3, K = 1000, P0 = 10): the dominance shift from the reinforcing
// to the balancing loop and the stability sign change both at P = K/2,
// t = ln(99)/0.3 ≈ 15.317, and the rising threshold at 700 crossed at
// ln(231)/0.3 ≈ 18.141.
func TestEmergenceLogistic(t *testing.T) {
	half := math.Log(99) / 0.3
	cross := math.Log(231) / 0.3
	for _, tc := range []struct {
		method string
		// tolerances: the shift and sign change are interpolated between
		// save points 0.25 apart; the crossing linearly with rk4, on the
		// dense output with rk45.
		tolShift, tolCross float64
	}{
		{"rk4", 1e-3, 2e-3},
		{"rk45", 1e-3, 1e-4},
	} {
		t.Run(tc.method, func(t *testing.T) {
			e := emerge(t, logisticTOML, model.RunOptions{Method: tc.method})
			if len(e.Shifts) != 1 {
				t.Fatalf("shifts %+v, want one", e.Shifts)
			}
			s := e.Shifts[0]
			if math.Abs(s.Time-half) > tc.tolShift || s.From != Reinforcing || s.To != Balancing {
				t.Errorf("shift %+v, want R → B at %.4f ± %g", s, half, tc.tolShift)
			}
			growth, crowding := loopOf(t, e, "population", "births"), loopOf(t, e, "population", "crowding", "births")
			if !slices.Equal(s.DominantBefore, []string{growth}) || !slices.Equal(s.DominantAfter, []string{crowding}) {
				t.Errorf("shift from %q to %q, want from [%s] to [%s]", s.DominantBefore, s.DominantAfter, growth, crowding)
			}
			sc := e.Stability.SignChanges
			if len(sc) != 1 || math.Abs(sc[0].Time-half) > tc.tolShift || sc[0].From != Amplifying || sc[0].To != Damping {
				t.Errorf("sign changes %+v, want amplifying → damping at %.4f ± %g", sc, half, tc.tolShift)
			}
			if len(e.Thresholds) != 1 || len(e.Thresholds[0].Crossings) != 1 {
				t.Fatalf("thresholds %+v, want one crossing of one", e.Thresholds)
			}
			c := e.Thresholds[0].Crossings[0]
			if math.Abs(c.Time-cross) > tc.tolCross || c.Direction != "rising" {
				t.Errorf("crossing %+v, want rising at %.4f ± %g", c, cross, tc.tolCross)
			}
			if !slices.Equal(c.DominantBefore, []string{crowding}) || !slices.Equal(c.DominantAfter, []string{crowding}) {
				t.Errorf("dominant at the crossing %q / %q, want [%s] both sides", c.DominantBefore, c.DominantAfter, crowding)
			}
			if c.Regime != Damping {
				t.Errorf("regime at the crossing %v, want damping", c.Regime)
			}
		})
	}
}

// loopOf returns the ID of the loop through exactly the given variables.
func loopOf(t *testing.T, e *Emergence, vars ...string) string {
	t.Helper()
	for _, lp := range e.Loops() {
		if slices.Equal(lp.Vars, vars) {
			return lp.ID
		}
	}
	t.Fatalf("no loop %q among %v", vars, e.Loops())
	return ""
}

// TestEmergenceBass checks Bass diffusion (p = 0.03, q = 0.38): dominance
// shifts from word of mouth to saturation at ln(q/p)/(p+q) ≈ 6.193, the
// peak of adoption, and the conserved total potential + adopters is left
// out of the stability test, which changes sign at the same time.
func TestEmergenceBass(t *testing.T) {
	const p, q = 0.03, 0.38
	want := math.Log(q/p) / (p + q)
	const tol = 1e-3 // interpolated between save points 0.25 apart
	e := emerge(t, bassTOML, model.RunOptions{})
	if len(e.Shifts) != 1 {
		t.Fatalf("shifts %+v, want one", e.Shifts)
	}
	s := e.Shifts[0]
	wom, sat := e.Loop("word_of_mouth"), e.Loop("saturation")
	if wom == nil || sat == nil {
		t.Fatalf("loops %v, want word_of_mouth and saturation", e.Loops())
	}
	if math.Abs(s.Time-want) > tol || s.From != Reinforcing || s.To != Balancing {
		t.Errorf("shift %+v, want R → B at %.4f ± %g", s, want, tol)
	}
	if !slices.Equal(s.DominantBefore, []string{wom.ID}) || !slices.Equal(s.DominantAfter, []string{sat.ID}) {
		t.Errorf("shift from %q to %q, want from word of mouth %s to saturation %s", s.DominantBefore, s.DominantAfter, wom.ID, sat.ID)
	}
	if got := e.Stability.Conserved; !slices.Equal(got, []string{"potential + adopters"}) {
		t.Errorf("conserved %q, want [potential + adopters]", got)
	}
	sc := e.Stability.SignChanges
	if len(sc) != 1 || math.Abs(sc[0].Time-want) > tol {
		t.Errorf("sign changes %+v, want one at %.4f ± %g", sc, want, tol)
	}
}

// TestEmergenceJSON checks the JSON form: the keys the command line
// promises, every list present.
func TestEmergenceJSON(t *testing.T) {
	e := emerge(t, logisticTOML, model.RunOptions{})
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Thresholds []struct {
			Name, Var, Direction string
			Level                float64
			Crossings            []struct {
				Time           float64
				Direction      string
				DominantBefore []string `json:"dominant_before"`
				DominantAfter  []string `json:"dominant_after"`
				Regime         string
			}
		}
		Dominance struct {
			Loops  []struct{ ID, Polarity string }
			Shifts []struct {
				Time     float64
				From, To string
			}
		}
		Stability struct {
			Conserved   []string
			SignChanges []struct {
				Time     float64
				From, To string
			} `json:"sign_changes"`
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		// Unknown fields are fine for readers; here they flag a key
		// misspelt against the documented form.
		if !strings.Contains(err.Error(), "unknown field") {
			t.Fatal(err)
		}
	}
	if len(got.Thresholds) != 1 || got.Thresholds[0].Name != "majority" || got.Thresholds[0].Var != "population" ||
		got.Thresholds[0].Level != 700 || got.Thresholds[0].Direction != "rising" || len(got.Thresholds[0].Crossings) != 1 {
		t.Fatalf("thresholds %+v", got.Thresholds)
	}
	c := got.Thresholds[0].Crossings[0]
	if c.Direction != "rising" || len(c.DominantBefore) != 1 || len(c.DominantAfter) != 1 || c.Regime != "damping" {
		t.Errorf("crossing %+v", c)
	}
	if len(got.Dominance.Shifts) != 1 || got.Dominance.Shifts[0].From != "R" || got.Dominance.Shifts[0].To != "B" {
		t.Errorf("shifts %+v", got.Dominance.Shifts)
	}
	if len(got.Stability.SignChanges) != 1 || got.Stability.SignChanges[0].From != "amplifying" || got.Stability.SignChanges[0].To != "damping" {
		t.Errorf("sign changes %+v", got.Stability.SignChanges)
	}
	if got.Stability.Conserved == nil || !strings.Contains(string(b), `"conserved":[]`) {
		t.Errorf("conserved missing or not an empty list in %s", b)
	}
}

// TestEmergenceNeverCrossed checks a threshold the run never reaches: an
// empty list of crossings, and the report says so.
func TestEmergenceNeverCrossed(t *testing.T) {
	e := emerge(t, logisticTOML, model.RunOptions{Set: map[string]float64{"K": 600}})
	if cs := e.Thresholds[0].Crossings; cs == nil || len(cs) != 0 {
		t.Errorf("crossings %+v, want an empty list", cs)
	}
	var b strings.Builder
	if err := e.WriteReport(&b, 2); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "never crossed") {
		t.Errorf("report does not say the threshold was never crossed:\n%s", b.String())
	}
}

// TestEmergenceCancelled checks that a cancelled context stops the
// analysis with its error.
func TestEmergenceCancelled(t *testing.T) {
	m, err := model.Parse("test.toml", []byte(logisticTOML))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := contextWithCancel(t)
	cancel()
	if _, err := AnalyzeEmergence(ctx, m, model.RunOptions{}, nil); err == nil {
		t.Error("AnalyzeEmergence with a cancelled context succeeded")
	}
}

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

// TestEmergenceSettingsAgree runs every example with a threshold four
// ways — as its file says, saved every dt, with rk45, and with euler at a
// dt of 1/128 — and checks that the explanation of each crossing does not
// depend on them: the same polarity ahead and the same strongest loop
// just before and just after, and dominance shift counts within one of
// each other. Logistic growth shifts at ln(99)/0.3 and Bass diffusion at
// ln(q/p)/(p+q) within 0.05 under all four.
func TestEmergenceSettingsAgree(t *testing.T) {
	examples := []struct {
		file  string
		shift float64 // the known time of the only shift, or 0
	}{
		{"../examples/middle-corridor/corridor.toml", 0},
		{"../examples/logistic/logistic.toml", math.Log(99) / 0.3},
		{"../examples/bass/bass.toml", math.Log(0.38/0.03) / (0.03 + 0.38)},
		{"../examples/sir/sir.toml", 0},
		{"../examples/arrays/regions.toml", 0},
		{"../examples/predator-prey/predator_prey.toml", 0},
	}
	type crossing struct {
		before, after   Polarity
		strongestBefore string
		strongestAfter  string
	}
	for _, ex := range examples {
		t.Run(ex.file[strings.LastIndex(ex.file, "/")+1:], func(t *testing.T) {
			m, err := model.Load(ex.file)
			if err != nil {
				t.Fatal(err)
			}
			settings := []struct {
				name string
				opt  model.RunOptions
			}{
				{"as the file says", model.RunOptions{}},
				{"saved every dt", model.RunOptions{SaveEvery: m.Decl.Sim.DT}},
				{"rk45", model.RunOptions{Method: "rk45"}},
				{"euler dt 1/128", model.RunOptions{Method: "euler", DT: 0.0078125}},
			}
			var base []crossing
			baseShifts := 0
			for k, s := range settings {
				e, err := AnalyzeEmergence(t.Context(), m, s.opt, nil)
				if err != nil {
					t.Fatal(err)
				}
				var got []crossing
				for _, th := range e.Thresholds {
					for _, c := range th.Crossings {
						if len(c.DominantBefore) == 0 || len(c.DominantAfter) == 0 {
							t.Fatalf("%s: crossing at %g has no dominant loops", s.name, c.Time)
						}
						got = append(got, crossing{before: c.Before.Polarity, after: c.After.Polarity,
							strongestBefore: c.DominantBefore[0], strongestAfter: c.DominantAfter[0]})
					}
				}
				if ex.shift != 0 {
					if len(e.Shifts) != 1 || math.Abs(e.Shifts[0].Time-ex.shift) > 0.05 {
						t.Errorf("%s: shifts %+v, want one at %.4f ± 0.05", s.name, e.Shifts, ex.shift)
					}
				}
				if k == 0 {
					base, baseShifts = got, len(e.Shifts)
					if len(base) == 0 {
						t.Fatalf("%s: no crossing", s.name)
					}
					continue
				}
				if len(got) != len(base) {
					t.Fatalf("%s: %d crossings, want %d as with the file's settings", s.name, len(got), len(base))
				}
				for j := range got {
					g, w := got[j], base[j]
					if g.before != w.before || g.after != w.after {
						t.Errorf("%s: crossing %d: %s before, %s after; the file's settings give %s, %s", s.name, j, g.before, g.after, w.before, w.after)
					}
					if g.strongestBefore != w.strongestBefore || g.strongestAfter != w.strongestAfter {
						t.Errorf("%s: crossing %d: strongest loops %s, %s; the file's settings give %s, %s",
							s.name, j, e.Loop(g.strongestBefore), e.Loop(g.strongestAfter), e.Loop(w.strongestBefore), e.Loop(w.strongestAfter))
					}
				}
				if n := len(e.Shifts); n < baseShifts-1 || n > baseShifts+1 {
					t.Errorf("%s: %d dominance shifts; the file's settings give %d", s.name, n, baseShifts)
				}
			}
		})
	}
}

// TestEmergenceExplanation: logistic growth crosses its majority
// threshold, P = K/2, exactly when dominance shifts, so the explanation
// there is a near tie: growth's share 1 − P/K just above a half before,
// just below after, contested on both sides; growth the strongest
// reinforcing loop, crowding the strongest balancing one; the named loops
// in the order of the [[loops]] entries.
func TestEmergenceExplanation(t *testing.T) {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := AnalyzeEmergence(t.Context(), m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := e.Thresholds[0].Crossings[0]
	growth, crowding := e.Loop("growth"), e.Loop("crowding")
	for _, side := range []struct {
		name string
		st   Standing
		pol  Polarity
	}{{"before", c.Before, Reinforcing}, {"after", c.After, Balancing}} {
		st := side.st
		if st.Polarity != side.pol || !st.Contested || st.Margin <= 0 || st.Margin >= e.Dominance.Margin {
			t.Errorf("%s: %s ahead by %g, contested %v; want %s ahead by less than %g, contested", side.name, st.Polarity, st.Margin, st.Contested, side.pol, e.Dominance.Margin)
		}
		if w := e.Dominance.MinDuration; math.Abs(st.To-st.From-w) > 1e-9 || (st.To != c.Time && st.From != c.Time) {
			t.Errorf("%s: window %g to %g, want %g long, beside the crossing at %g", side.name, st.From, st.To, w, c.Time)
		}
		if st.TopReinforcing == nil || st.TopReinforcing.ID != growth.ID || st.TopBalancing == nil || st.TopBalancing.ID != crowding.ID {
			t.Errorf("%s: strongest R %+v, B %+v; want growth and crowding", side.name, st.TopReinforcing, st.TopBalancing)
		}
		if len(st.Named) != 2 || st.Named[0].Name != "growth" || st.Named[1].Name != "crowding" ||
			math.Abs(st.Named[0].Relative+-st.Named[1].Relative-1) > 1e-9 || st.Named[0].Relative != st.TopReinforcing.Relative {
			t.Errorf("%s: named %+v, want growth then crowding, shares adding to 1", side.name, st.Named)
		}
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"before":{"from":`, `"contested":true,"top_reinforcing":{"id":"` + growth.ID + `","label":"L1","name":"growth","vars":["population","births"],"relative":0.5`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var buf bytes.Buffer
	if err := e.WriteReport(&buf, 3); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"      before (t=14.917 to 15.317): contested, R 51% against B 49% (margin 0.015)\n",
		"        strongest B: L2 crowding -0.485: population → crowding → births\n",
		"        growth (L1): +0.515 → +0.485\n",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report\n%s\nlacks %q", buf.String(), want)
		}
	}
}
