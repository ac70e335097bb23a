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
