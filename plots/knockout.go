package plots

import (
	"errors"
	"fmt"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// Knockouts draws a loop knockout test (loops.KnockOut) of model m: the
// variable of the threshold name over time in the intact run and in the
// run with each loop cut, one line each, the threshold dashed across and
// each line's crossing times in its legend entry (the link each cut is in
// the Knockout and in "stockflow loops --knockout"'s table). Knockouts
// whose run failed are left out.
func Knockouts(m *model.Model, k *loops.Knockouts, name string) (*Figure, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	if k == nil || k.Result == nil {
		return nil, errors.New("no knockout test to draw")
	}
	th := threshold(m, name)
	if th == nil {
		return nil, fmt.Errorf("the model has no threshold %q", name)
	}
	names := []string{"intact"}
	runs := []*model.Result{k.Result}
	for _, ko := range k.Knockouts {
		if ko.Result == nil {
			continue
		}
		names = append(names, "without "+ko.Loop.Title())
		runs = append(runs, ko.Result)
	}
	fig, err := Scenarios(m, th.Var, names, runs, []string{name})
	if err != nil {
		return nil, err
	}
	fig.Panels[0].Title = fmt.Sprintf("%s with each loop knocked out", th.Var)
	return fig, nil
}
