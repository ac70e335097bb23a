package plots_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/plots"
)

// The knockout picture has a line for the intact run and one per loop
// knocked out, each with its crossings in the legend, and the threshold.
func TestKnockouts(t *testing.T) {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	k, err := loops.KnockOut(context.Background(), m, model.RunOptions{}, &loops.KnockoutSettings{All: true})
	if err != nil {
		t.Fatal(err)
	}
	fig, err := plots.Knockouts(m, k, "majority")
	if err != nil {
		t.Fatal(err)
	}
	p := fig.Panels[0]
	var labels []string
	for _, l := range p.Lines {
		labels = append(labels, l.Label)
	}
	want := "intact (crosses at 15.3)|without L1 growth (never crosses)|without L2 crowding (crosses at 13.2)"
	if got := strings.Join(labels, "|"); got != want {
		t.Errorf("got lines %q, want %q", got, want)
	}
	if len(p.HRules) != 1 || p.HRules[0].At != 500 {
		t.Errorf("got rules %+v, want the threshold at 500", p.HRules)
	}
	if p.Lines[2].Y[len(p.Lines[2].Y)-1] <= p.Lines[0].Y[len(p.Lines[0].Y)-1] {
		t.Error("without crowding the population does not end above the intact run's")
	}
	if _, err := plots.Knockouts(m, k, "nope"); err == nil {
		t.Error("no error for an unknown threshold")
	}
}
