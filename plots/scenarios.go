package plots

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Scenarios draws one variable over time as it runs under several
// scenarios: runs[i] is the run of the scenario names[i], drawn as one
// line labelled with that name. Each threshold named in thresholds is
// drawn as a dashed line at its level; each run's crossings of a threshold
// on v are marked in the run's colour, and their times (or "never")
// added to the run's legend entry.
func Scenarios(m *model.Model, v string, names []string, runs []*model.Result, thresholds []string) (*Figure, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	if len(names) == 0 || len(names) != len(runs) {
		return nil, fmt.Errorf("want one run per scenario, got %d scenarios and %d runs", len(names), len(runs))
	}
	p := &Panel{
		Title:  fmt.Sprintf("%s by scenario", v),
		XLabel: timeLabel(m),
		YLabel: valueLabel(m, []string{v}),
	}
	if m != nil && m.Decl != nil && m.Decl.Name != "" {
		p.Title = fmt.Sprintf("%s: %s by scenario", m.Decl.Name, v)
	}
	var all [][]float64
	for k, res := range runs {
		if res == nil || res.Len() == 0 {
			return nil, errors.New("the result of scenario " + names[k] + " is empty")
		}
		ys := res.Series(v)
		if ys == nil {
			return nil, fmt.Errorf("the result of scenario %s has no variable %q", names[k], v)
		}
		all = append(all, ys)
		p.Lines = append(p.Lines, Line{Label: names[k], X: res.Times, Y: ys, Color: seriesColor(k)})
		if k == 0 {
			p.X = Range{res.Times[0], res.Times[len(res.Times)-1]}
		} else {
			p.X.Min, p.X.Max = min(p.X.Min, res.Times[0]), max(p.X.Max, res.Times[len(res.Times)-1])
		}
	}
	onV := 0 // thresholds on v: with more than one, legend entries name them
	for _, name := range thresholds {
		if th := threshold(m, name); th != nil && th.Var == v {
			onV++
		}
	}
	var levels []float64
	for _, name := range thresholds {
		th := threshold(m, name)
		if th == nil {
			return nil, fmt.Errorf("the model has no threshold %q", name)
		}
		dir, err := model.ParseDirection(th.Direction)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", th.Key, err)
		}
		levels = append(levels, th.Level)
		p.HRules = append(p.HRules, Rule{At: th.Level, Label: fmt.Sprintf("%s: %s = %g", th.Name, th.Var, th.Level), Color: hex(thresholdRed), Dashed: true})
		if th.Var != v {
			continue
		}
		for k, res := range runs {
			cs, err := res.Crossings(v, th.Level, dir)
			if err != nil {
				return nil, err
			}
			// The times go in the legend: labels beside the markers would
			// collide where scenarios cross close together.
			var times []string
			for _, c := range cs {
				p.Markers = append(p.Markers, Marker{X: c.Time, Y: th.Level, Color: seriesColor(k)})
				times = append(times, strconv.FormatFloat(c.Time, 'f', 1, 64))
			}
			which := ""
			if onV > 1 {
				which = " " + th.Name
			}
			switch {
			case len(times) == 0:
				p.Lines[k].Label += fmt.Sprintf(" (never crosses%s)", which)
			default:
				p.Lines[k].Label += fmt.Sprintf(" (crosses%s at %s)", which, strings.Join(times, ", "))
			}
		}
	}
	lo, hi := extent(append(all, levels)...)
	p.Y = padded(lo, hi)
	if p.Y.Min > 0 && lo >= 0 && lo < (hi-lo) {
		p.Y.Min = 0
	}
	distinguishCoinciding(p.Lines, p.Y)
	return &Figure{Panels: []*Panel{p}}, nil
}

// ForScenarioPlot draws a [[plots]] entry that names scenarios: runs[i]
// is the run of pl.Scenarios[i]. The entry's title, if any, replaces the
// default one.
func ForScenarioPlot(m *model.Model, pl *decl.Plot, runs []*model.Result) (*Figure, error) {
	if pl == nil {
		return nil, errors.New("no plot entry")
	}
	if len(pl.Vars) != 1 {
		return nil, fmt.Errorf("%s: a plot of scenarios draws one variable, not %d", pl.Key, len(pl.Vars))
	}
	f, err := Scenarios(m, pl.Vars[0], pl.Scenarios, runs, pl.Thresholds)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", pl.Key, err)
	}
	p := f.Panels[0]
	for k, name := range pl.Data {
		pts, err := dataPoints(m, name, p.X, seriesColor(len(runs)+k))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", pl.Key, err)
		}
		p.Points = append(p.Points, pts)
		if lo, hi := extent(pts.Y); lo < p.Y.Min || hi > p.Y.Max {
			r := padded(math.Min(lo, p.Y.Min), math.Max(hi, p.Y.Max))
			p.Y.Min, p.Y.Max = math.Min(p.Y.Min, r.Min), math.Max(p.Y.Max, r.Max)
		}
	}
	if pl.Title != "" {
		p.Title = pl.Title
	}
	return f, nil
}
