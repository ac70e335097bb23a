package loops_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// A model whose loop polarities the equations decide needs no run; one
// whose loop changes sign mid-run is reported U, observed.
func TestSummarizePolarity(t *testing.T) {
	decay := `
[sim]
stop = 10
[params]
k = 0.1
[stocks.s]
initial = 5
outflows = ["out"]
[flows.out]
eq = "k * s"
`
	m, err := model.Parse("decay.toml", []byte(decay))
	if err != nil {
		t.Fatal(err)
	}
	s, err := loops.Summarize(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Result != nil || s.Analysis != nil {
		t.Errorf("a run was made for a loop whose polarity the equations decide")
	}
	if len(s.Loops) != 1 || s.Loops[0].Polarity != loops.Balancing || s.Loops[0].Observed() {
		t.Errorf("got %+v, want one balancing loop, structural", s.Loops)
	}

	// s' = s * (5 - time): the loop reinforces before time 5 and
	// balances after, so the run shows no one polarity.
	flip := `
[sim]
stop = 10
dt = 0.25
[stocks.s]
initial = 1
inflows = ["grow"]
[flows.grow]
eq = "s * (5 - time) * 0.1"
`
	m, err = model.Parse("flip.toml", []byte(flip))
	if err != nil {
		t.Fatal(err)
	}
	s, err = loops.Summarize(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Result == nil {
		t.Fatal("no run for a loop whose polarity is open")
	}
	if len(s.Loops) != 1 || s.Loops[0].Structural != loops.Undetermined || s.Loops[0].Polarity != loops.Undetermined || !s.Loops[0].Observed() {
		t.Errorf("got %+v, want one loop, structural U, observed U", s.Loops)
	}
}

// With WithDominance the summary holds the periods and the shift of
// logistic growth, at ln(99)/0.3 for r = 0.3 and K = 100·P0.
func TestSummarizeDominance(t *testing.T) {
	m, err := model.Parse("logistic.toml", []byte(logistic))
	if err != nil {
		t.Fatal(err)
	}
	s, err := loops.Summarize(context.Background(), m, model.RunOptions{}, &loops.SummarySettings{WithDominance: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Dominance == nil || len(s.Dominance.Shifts) != 1 {
		t.Fatalf("got dominance %+v, want one shift", s.Dominance)
	}
	if got, want := s.Dominance.Shifts[0].Time, math.Log(99)/0.3; math.Abs(got-want) > 1e-3 {
		t.Errorf("got the shift at %v, want %v", got, want)
	}
	for _, p := range s.Dominance.Periods {
		if p.Share != math.Round(p.Share*1000)/1000 {
			t.Errorf("share %v is not rounded to three decimals", p.Share)
		}
		for _, id := range p.Loops {
			if s.Loop(id) == nil {
				t.Errorf("period names loop %s, which the summary does not list", id)
			}
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"periods":[{"partition":0,"start":0,`, `"shifts":[{"partition":0,"time":15.3`, `"contested":true`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}

	// Without dominance the JSON has no "dominance" key at all.
	s, err = loops.Summarize(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(s); strings.Contains(string(b), "dominance") {
		t.Errorf("JSON without WithDominance has a dominance key: %s", b)
	}
}
