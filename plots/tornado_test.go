package plots

import (
	"math"
	"testing"

	"github.com/stockflow/stockflow/sensitivity"
)

// Each bar runs from the base crossing to the crossing at the param's
// min (upper half of its row) or max (lower half); a never is drawn to
// the stop with a marker; a base run that never crosses starts the bars
// at the stop.
func TestTornadoBars(t *testing.T) {
	tr := &sensitivity.Tornado{Threshold: "th", Base: 10, Start: 0, Stop: 50, Bars: []sensitivity.TornadoBar{
		{Param: "a", Low: 1, High: 2, AtLow: 5, AtHigh: math.NaN()},
		{Param: "b", Low: 0, High: 1, AtLow: 12, AtHigh: 8},
	}}
	fig, err := Tornado(tr)
	if err != nil {
		t.Fatal(err)
	}
	p := fig.Panels[0]
	type bar struct{ x0, x1, y0, y1 float64 }
	var got []bar
	for _, a := range p.Areas {
		got = append(got, bar{a.X[0], a.X[1], a.Lo[0], a.Hi[0]})
	}
	want := []bar{
		{5, 10, 1, 1.36},  // a at min: row 1 (top), upper half
		{10, 50, 0.64, 1}, // a at max: never, to the stop
		{10, 12, 0, 0.36}, // b at min
		{8, 10, -0.36, 0}, // b at max
	}
	if len(got) != len(want) {
		t.Fatalf("got %d bars, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if math.Abs(g.x0-w.x0) > 1e-12 || math.Abs(g.x1-w.x1) > 1e-12 || math.Abs(g.y0-w.y0) > 1e-12 || math.Abs(g.y1-w.y1) > 1e-12 {
			t.Errorf("bar %d: got %+v, want %+v", i, g, w)
		}
	}
	if len(p.Markers) != 1 || p.Markers[0].X != 50 || p.Markers[0].Label != "never" {
		t.Errorf("got markers %+v, want one never at 50", p.Markers)
	}
	if p.VRules[0].At != 10 || !(p.X.Min < 5 && p.X.Max > 50) {
		t.Errorf("got base rule at %v and x range %v, want 10 and a range holding 5 to 50", p.VRules[0].At, p.X)
	}
	if _, err := fig.PNG(); err != nil {
		t.Fatal(err)
	}

	tr.Base = math.NaN()
	fig, err = Tornado(tr)
	if err != nil {
		t.Fatal(err)
	}
	if got := fig.Panels[0].VRules[0]; got.At != 50 || got.Label != "base run: never crosses" {
		t.Errorf("got base rule %+v, want at the stop, never crosses", got)
	}
	if _, err := Tornado(&sensitivity.Tornado{}); err == nil {
		t.Error("no error for a study without bars")
	}
}
