package plots

import (
	"fmt"
	"math"

	"github.com/stockflow/stockflow/calibrate"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Fit draws a calibration's observed variables as the fitted run's lines
// with the observations as rings on them, one panel per unit as
// TimeSeries draws them.
func Fit(m *model.Model, res *calibrate.Result, obs *decl.Table) (*Figure, error) {
	fig, err := TimeSeries(m, res.Best, res.Vars, nil)
	if err != nil {
		return nil, err
	}
	for _, p := range fig.Panels {
		lo, hi := p.Y.Min, p.Y.Max
		for _, l := range p.Lines {
			ys := obs.Col(l.Label)
			if ys == nil {
				continue
			}
			for i, y := range ys {
				if math.IsNaN(y) {
					continue
				}
				p.Markers = append(p.Markers, Marker{X: obs.Time[i], Y: y, Color: l.Color})
				lo, hi = math.Min(lo, y), math.Max(hi, y)
			}
		}
		if lo < p.Y.Min || hi > p.Y.Max {
			p.Y = padded(lo, hi)
		}
	}
	fig.SetTitle(fmt.Sprintf("Data (rings) against the fit (lines), payoff %.4g", res.Payoff))
	return fig, nil
}
