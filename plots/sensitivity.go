package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/stockflow/stockflow/sensitivity"
)

// CrossingProbability draws the curve "probability crossed by time t" of
// one threshold of a sensitivity study: the share of the runs whose first
// crossing is at or before t, rising in a step at each run's crossing,
// with the share crossed by the end and the median crossing time drawn
// across.
func CrossingProbability(res *sensitivity.Result, threshold string) (*Figure, error) {
	if res == nil {
		return nil, errNoStudy
	}
	tr := findThreshold(res, threshold)
	if tr == nil {
		return nil, fmt.Errorf("the study has no threshold %q", threshold)
	}
	if len(res.Times) == 0 {
		return nil, errors.New("the study has no runs")
	}
	t0, t1 := res.Times[0], res.Times[len(res.Times)-1]
	// The empirical distribution function as a staircase.
	xs, ys := []float64{t0}, []float64{0}
	for i, t := range tr.CrossingTimes {
		y := float64(i) / float64(res.Draws)
		xs = append(xs, t, t)
		ys = append(ys, y, float64(i+1)/float64(res.Draws))
	}
	xs = append(xs, t1)
	ys = append(ys, tr.CrossedShare)
	p := &Panel{
		Title:  fmt.Sprintf("%s: probability that %s has crossed %g (%s) by time t, %d runs", tr.Name, tr.Var, tr.Level, tr.Direction, res.Draws),
		XLabel: "time" + unitSuffix(res.Spec.TimeUnits),
		YLabel: "probability crossed",
		X:      Range{t0, t1},
		Y:      Range{0, 1.05},
		Lines:  []Line{{Label: "share of runs crossed", X: xs, Y: ys, Color: seriesColor(0)}},
		HRules: []Rule{{At: tr.CrossedShare, Label: fmt.Sprintf("crossed by the end: %.1f%%", 100*tr.CrossedShare), Color: hex(ruleGrey), Dashed: true}},
	}
	if med := tr.Quantiles[2]; !math.IsNaN(med) {
		p.VRules = append(p.VRules, Rule{At: med, Label: "median " + fmtTime(med), Color: hex(crossingBlack), Dashed: true})
	}
	if lo, hi := tr.Quantiles[0], tr.Quantiles[4]; !math.IsNaN(lo) {
		label := "5–95 %: " + fmtTime(lo) + " to "
		if math.IsNaN(hi) {
			hi, label = t1, label+"after the end"
		} else {
			label += fmtTime(hi)
		}
		p.Spans = append(p.Spans, Span{Label: label, From: lo, To: hi, Color: alpha(seriesColor(0), 30)})
	}
	return &Figure{Panels: []*Panel{p}}, nil
}

// Fan draws a fan chart of one variable of a sensitivity study: its 5–95
// % and 25–75 % bands over the runs and its median over time, and the
// study's thresholds on the variable as lines.
func Fan(res *sensitivity.Result, v string) (*Figure, error) {
	if res == nil {
		return nil, errNoStudy
	}
	i := slices.IndexFunc(res.Bands, func(b sensitivity.Band) bool { return b.Var == v })
	if i < 0 {
		return nil, fmt.Errorf("the study has no bands of %q", v)
	}
	b := res.Bands[i]
	if len(res.Times) < 2 {
		return nil, errors.New("a fan chart needs at least two save points")
	}
	c := seriesColor(0)
	lo, hi := extent(b.Q[0], b.Q[4])
	p := &Panel{
		Title:  fmt.Sprintf("%s over %d runs: median, 25–75 %% and 5–95 %% of runs", v, res.Draws),
		XLabel: "time" + unitSuffix(res.Spec.TimeUnits),
		YLabel: v + unitSuffix(res.Spec.Units[v]),
		X:      Range{res.Times[0], res.Times[len(res.Times)-1]},
		Areas: []Area{
			{Label: "5–95 %", X: res.Times, Lo: b.Q[0], Hi: b.Q[4], Color: alpha(c, 60)},
			{Label: "25–75 %", X: res.Times, Lo: b.Q[1], Hi: b.Q[3], Color: alpha(c, 120)},
		},
		Lines: []Line{{Label: "median", X: res.Times, Y: b.Q[2], Color: c}},
	}
	for _, tr := range res.Thresholds {
		if tr.Var != v {
			continue
		}
		lo, hi = math.Min(lo, tr.Level), math.Max(hi, tr.Level)
		p.HRules = append(p.HRules, Rule{At: tr.Level, Label: fmt.Sprintf("%s: %s = %g (crossed in %.0f%% of runs)", tr.Name, tr.Var, tr.Level, 100*tr.CrossedShare), Color: hex(thresholdRed), Dashed: true})
	}
	p.Y = padded(lo, hi)
	return &Figure{Panels: []*Panel{p}}, nil
}

// Indices draws the sensitivity indices of one output of a Sobol or
// Morris study as a ranked bar chart, the most influential param on top:
// for Sobol the total index as a wide bar and the first-order index as a
// narrow one inside it, each with its 95 % interval; for Morris μ* and σ
// as two bars side by side. At most top params are drawn (all when
// top is 0).
func Indices(res *sensitivity.Result, output string, top int) (*Figure, error) {
	if res == nil {
		return nil, errNoStudy
	}
	var idx []sensitivity.Index
	for _, x := range res.Indices {
		if x.Output == output {
			idx = append(idx, x)
		}
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("the study has no indices of %q", output)
	}
	if top > 0 && len(idx) > top {
		idx = idx[:top]
	}
	sobol := res.Spec.Method == sensitivity.Sobol
	wide, narrow := "total index", "first-order index"
	title := fmt.Sprintf("Sobol indices of %s (%d runs", output, res.Runs)
	xlabel := "share of the output's variance"
	if !sobol {
		wide, narrow = "μ* (mean absolute elementary effect)", "σ (spread of the effects)"
		title = fmt.Sprintf("Morris effects on %s (%d runs", output, res.Runs)
		xlabel = "elementary effect: change of the output per unit of a param's probability"
		if strings.HasPrefix(output, "crossing_time:") {
			xlabel = "elementary effect: change of the crossing time" + unitSuffix(res.Spec.TimeUnits) + " per unit of a param's probability"
		}
	}
	if o := outputOf(res, output); o != nil && o.Censored > 0 {
		title += fmt.Sprintf("; %d never cross, counted at the end", o.Censored)
	}
	title += ")"
	n := len(idx)
	p := &Panel{Title: title, XLabel: xlabel, YTicks: make([]Tick, n), Y: Range{-0.7, float64(n) - 0.3}}
	wc, nc := seriesColor(0), seriesColor(1)
	lo, hi := 0.0, 0.0
	for k, x := range idx {
		y := float64(n - 1 - k) // the most influential on top
		p.YTicks[n-1-k] = Tick{Value: y, Label: x.Param}
		a, b := x.Total, x.FirstOrder
		if !sobol {
			a, b = x.MuStar, x.Sigma
		}
		bar := func(y, v, h float64, c color.Color, label string) {
			if math.IsNaN(v) {
				return
			}
			p.Areas = append(p.Areas, Area{Label: label, X: []float64{0, v}, Lo: []float64{y - h, y - h}, Hi: []float64{y + h, y + h}, Color: c})
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		first := k == 0
		lw, ln := "", ""
		if first {
			lw, ln = wide, narrow
		}
		if sobol {
			// The first-order index inside the total, which bounds it.
			bar(y, a, 0.38, alpha(wc, 170), lw)
			bar(y, b, 0.16, nc, ln)
		} else {
			// μ* and σ side by side: neither bounds the other.
			bar(y+0.19, a, 0.17, alpha(wc, 200), lw)
			bar(y-0.19, b, 0.17, nc, ln)
		}
		if sobol {
			for _, ci := range []struct {
				iv [2]float64
				y  float64
			}{{x.TotalCI, y + 0.27}, {x.FirstOrderCI, y}} {
				if math.IsNaN(ci.iv[0]) {
					continue
				}
				label := ""
				if first && ci.y == y {
					label = "95 % bootstrap intervals"
				}
				p.Lines = append(p.Lines, Line{Label: label, X: []float64{ci.iv[0], ci.iv[1]}, Y: []float64{ci.y, ci.y}, Color: hex(crossingBlack)})
				lo, hi = math.Min(lo, ci.iv[0]), math.Max(hi, ci.iv[1])
			}
		}
	}
	if sobol {
		hi = math.Max(hi, 0.1)
		p.X = Range{lo - 0.02*(hi-lo), hi + 0.04*(hi-lo)}
	} else {
		p.X = Range{0, hi * 1.08}
		if hi == 0 {
			p.X = Range{0, 1}
		}
	}
	p.VRules = []Rule{{At: 0, Color: hex(ruleGrey)}}
	h := vg.Length(1.6+0.32*float64(n)) * vg.Inch
	return &Figure{Panels: []*Panel{p}, Height: max(h, 3*vg.Inch)}, nil
}

func findThreshold(res *sensitivity.Result, name string) *sensitivity.ThresholdResult {
	for i := range res.Thresholds {
		if res.Thresholds[i].Name == name {
			return &res.Thresholds[i]
		}
	}
	return nil
}

func outputOf(res *sensitivity.Result, name string) *sensitivity.OutputResult {
	for i := range res.Outputs {
		if res.Outputs[i].Name == name {
			return &res.Outputs[i]
		}
	}
	return nil
}
