package plots

import (
	"errors"
	"fmt"
	"slices"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Dashboard draws the emergence dashboard of an analysed run: three
// panels on a shared time axis — the variables with the model's
// thresholds and their crossings, the loop dominance of the partition
// that holds the first threshold's variable, and the linear stability —
// with every threshold crossing (red), dominance shift (purple) and
// stability sign change (grey) drawn as a vertical line across all three.
//
// The variables drawn are vars, or when vars is empty those of the
// model's thresholds, or its stocks if it declares none.
func Dashboard(m *model.Model, e *loops.Emergence, vars []string) (*Figure, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	if e == nil || e.Result == nil {
		return nil, errors.New("no emergence analysis")
	}
	var ths []string
	for _, th := range m.Decl.Thresholds {
		ths = append(ths, th.Name)
	}
	if len(vars) == 0 {
		for _, th := range m.Decl.Thresholds {
			if !slices.Contains(vars, th.Var) {
				vars = append(vars, th.Var)
			}
		}
	}
	if len(vars) == 0 {
		for _, v := range m.Decl.Vars {
			if v.Kind == decl.Stock {
				vars = append(vars, v.Name)
			}
		}
	}
	series, err := seriesPanels(m, e.Result, vars, ths)
	if err != nil {
		return nil, err
	}
	series[0].Title = "Variables and thresholds"
	part := 0
	if len(m.Decl.Thresholds) > 0 {
		part = e.Partition(m.Decl.Thresholds[0].Var)
	}
	dom, err := dominancePanel(m, e.Dominance, part)
	if err != nil {
		return nil, err
	}
	stab, err := stabilityPanel(m, e.Stability, true)
	if err != nil {
		return nil, err
	}

	// The event lines, across every panel; each labelled in the panel
	// whose signal it is.
	var crossings, shifts []Rule
	for _, th := range e.Thresholds {
		for _, c := range th.Crossings {
			crossings = append(crossings, Rule{At: c.Time, Color: hex(thresholdRed), Dashed: true})
		}
	}
	for _, s := range e.Shifts {
		shifts = append(shifts, Rule{At: s.Time, Label: fmt.Sprintf("%s → %s, t = %s", s.From, s.To, fmtTime(s.Time)), Color: hex(shiftPurple), Dashed: true})
	}
	unlabelled := func(rs []Rule) []Rule {
		out := slices.Clone(rs)
		for i := range out {
			out[i].Label = ""
		}
		return out
	}
	signs := stab.VRules
	// Many events (an oscillating model shifts dominance twice a cycle)
	// would bury the data under labels: past a few, the lines stay and the
	// panel's title counts them instead.
	const maxLabelled = 4
	if len(shifts) > maxLabelled {
		shifts = unlabelled(shifts)
		dom.Title += fmt.Sprintf(" (%d dominance shifts, purple lines)", len(shifts))
	}
	if len(signs) > maxLabelled {
		signs = unlabelled(signs)
		stab.Title += fmt.Sprintf(" (%d sign changes, grey lines)", len(signs))
	}
	for _, p := range series {
		p.VRules = append(append(slices.Clone(crossings), unlabelled(shifts)...), unlabelled(signs)...)
	}
	dom.VRules = append(append(unlabelled(crossings), shifts...), unlabelled(signs)...)
	stab.VRules = append(append(unlabelled(crossings), unlabelled(shifts)...), signs...)

	panels := append(slices.Clone(series), dom, stab)
	for _, p := range panels {
		p.X = series[0].X
		p.HideXTicks = p != stab
		headroom(p)
	}
	title := "Emergence"
	if m.Decl.Name != "" {
		title += ": " + m.Decl.Name
	}
	return &Figure{Title: title, Panels: panels}, nil
}

// headroom raises the top of a panel's vertical range to leave room for
// the labels of its vertical rules above the data.
func headroom(p *Panel) {
	if slices.ContainsFunc(p.VRules, func(r Rule) bool { return r.Label != "" }) {
		p.Y.Max += 0.16 * (p.Y.Max - p.Y.Min)
	}
}
