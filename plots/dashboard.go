package plots

import (
	"errors"
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot/vg"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Dashboard draws the emergence dashboard of an analysed run: panels on
// a shared time axis — the variables with the model's thresholds and
// their crossings (a panel per unit), the loop dominance of the partition
// that holds the first threshold's variable, and the linear stability —
// with every threshold crossing (red), dominance shift (purple) and
// stability sign change (grey) drawn as a vertical line across them all;
// past MaxEventLines events, on a strip under them instead, one row per
// kind.
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
	series, err := seriesPanels(m, e.Result, vars, nil, ths)
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
	panels := append(slices.Clone(series), dom, stab)
	if len(crossings)+len(shifts)+len(signs) > MaxEventLines {
		// Many events (an oscillating model shifts dominance twice a
		// cycle) would bury the data under lines: they move to a strip
		// under the panels, one row per kind, and the panels keep their
		// shading and the crossings' markers.
		stab.VRules = nil
		if len(crossings) > maxLabelled {
			for _, p := range series {
				for i := range p.Markers {
					p.Markers[i].Label = ""
				}
			}
		}
		panels = append(panels, eventStrip(series[0].X, stab.XLabel, []eventRow{
			{"threshold crossings", hex(thresholdRed), crossings},
			{"dominance shifts", hex(shiftPurple), shifts},
			{"sign changes", hex(ruleGrey), signs},
		}))
	} else {
		// Past a few labels, the lines stay and the panel's title counts
		// them instead.
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
	}
	for _, p := range panels {
		p.X = series[0].X
		p.HideXTicks = p != panels[len(panels)-1]
		headroom(p)
	}
	title := "Emergence"
	if m.Decl.Name != "" {
		title += ": " + m.Decl.Name
	}
	return &Figure{Title: title, Panels: panels}, nil
}

// MaxEventLines bounds the threshold crossings, dominance shifts and
// stability sign changes a dashboard draws as lines across its panels;
// past it they are drawn on a strip of their own under the panels.
const MaxEventLines = 10

// maxLabelled bounds the events of a kind that are labelled with their
// times.
const maxLabelled = 4

// eventRow is one row of an event strip: the times of one kind of event.
type eventRow struct {
	name  string
	color color.Color
	at    []Rule
}

// eventStrip draws events as bars on a strip over the time axis x, one
// row per kind that has any, named with its count.
func eventStrip(x Range, xlabel string, rows []eventRow) *Panel {
	rows = slices.DeleteFunc(slices.Clone(rows), func(r eventRow) bool { return len(r.at) == 0 })
	n := len(rows)
	p := &Panel{
		XLabel: xlabel,
		YLabel: "events",
		X:      x,
		Y:      Range{0.4, float64(n) + 0.6},
		Height: 0.8*vg.Inch + vg.Length(n)*0.3*vg.Inch,
	}
	for k, r := range rows {
		y := float64(n - k)
		p.YTicks = append(p.YTicks, Tick{Value: y, Label: fmt.Sprintf("%s (%d)", r.name, len(r.at))})
		for _, e := range r.at {
			p.Markers = append(p.Markers, Marker{X: e.At, Y: y, Color: r.color, Glyph: Bar})
		}
	}
	return p
}

// headroom raises the top of a panel's vertical range to leave room for
// the labels of its vertical rules above the data.
func headroom(p *Panel) {
	if slices.ContainsFunc(p.VRules, func(r Rule) bool { return r.Label != "" }) {
		p.Y.Max += 0.16 * (p.Y.Max - p.Y.Min)
	}
}
