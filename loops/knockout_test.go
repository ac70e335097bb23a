package loops_test

import (
	"context"
	"math"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// Knocking out logistic growth's loops, against the exact solutions.
// Intact, the population passes K/2 at ln(K/P0 - 1)/r. Without the
// crowding loop (population → crowding cut, crowding held at P0/K) it
// grows exponentially at r(1 - P0/K) and passes K/2 at
// ln(K/(2 P0)) / (r (1 - P0/K)). Without the growth loop (population →
// births cut) births see only crowding, P' = r P0 (1 - P/K), which
// reaches K/2 only at ln((K-P0)/(K/2)) K/(r P0) ≈ 228, after the stop.
func TestKnockOutLogistic(t *testing.T) {
	src := logistic + `
[thresholds.half]
var = "population"
level = 500
direction = "rising"
`
	m, err := model.Parse("logistic.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	k, err := loops.KnockOut(context.Background(), m, model.RunOptions{}, &loops.KnockoutSettings{All: true})
	if err != nil {
		t.Fatal(err)
	}
	const r, K, P0 = 0.3, 1000.0, 10.0
	// rk4 with dt 0.125 is exact to far better than this; the crossing is
	// interpolated linearly between save points 0.5 apart.
	const tol = 0.01
	if len(k.Base) != 1 || len(k.Base[0].Times) != 1 || math.Abs(k.Base[0].Times[0]-math.Log(K/P0-1)/r) > tol {
		t.Errorf("got the intact crossing %+v, want one at %v", k.Base, math.Log(K/P0-1)/r)
	}
	if len(k.Knockouts) != 2 {
		t.Fatalf("got %d knockouts, want 2 (every loop)", len(k.Knockouts))
	}
	byName := map[string]loops.Knockout{}
	for _, ko := range k.Knockouts {
		if ko.Err != "" {
			t.Errorf("knockout of %s failed: %s", ko.Loop.Title(), ko.Err)
		}
		byName[ko.Loop.Name] = ko
	}
	crowd := byName["crowding"]
	if crowd.Cut.From != "population" || crowd.Cut.To != "crowding" {
		t.Errorf("crowding knocked out by cutting %v, want population->crowding", crowd.Cut)
	}
	want := math.Log(K/(2*P0)) / (r * (1 - P0/K))
	if got := crowd.Thresholds[0].Times; len(got) != 1 || math.Abs(got[0]-want) > tol {
		t.Errorf("without crowding: got crossings %v, want one at %v", got, want)
	}
	growth := byName[""]
	if growth.Cut.From != "population" || growth.Cut.To != "births" {
		t.Errorf("growth knocked out by cutting %v, want population->births", growth.Cut)
	}
	if got := growth.Thresholds[0].Times; len(got) != 0 {
		t.Errorf("without growth: got crossings %v, want none before the stop", got)
	}
	if len(crowd.Broken) != 0 || len(growth.Broken) != 0 {
		t.Errorf("got other loops broken %v and %v, want none: each cut link is in one loop", crowd.Broken, growth.Broken)
	}

	// By default only the named loops are knocked out.
	k, err = loops.KnockOut(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Knockouts) != 1 || k.Knockouts[0].Loop.Name != "crowding" {
		t.Errorf("got knockouts %+v, want the named loop crowding only", k.Knockouts)
	}
}

// Two thresholds on one variable: the knockout runs record it once and
// report each threshold's crossings (it used to fail, the variable asked
// for twice).
func TestKnockOutTwoThresholdsOneVar(t *testing.T) {
	src := logistic + `
[thresholds.quarter]
var = "population"
level = 250

[thresholds.half]
var = "population"
level = 500
`
	m, err := model.Parse("logistic.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	k, err := loops.KnockOut(context.Background(), m, model.RunOptions{}, &loops.KnockoutSettings{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Base) != 2 || len(k.Base[0].Times) != 1 || len(k.Base[1].Times) != 1 || !(k.Base[0].Times[0] < k.Base[1].Times[0]) {
		t.Errorf("intact crossings %+v, want a quarter then a half, once each", k.Base)
	}
}
