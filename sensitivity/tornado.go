package sensitivity

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Tornado is a one-at-a-time sensitivity study of a threshold's crossing
// time: each param moved alone to its declared min and to its max, every
// other param left as it is. It complements the Monte Carlo and Sobol
// studies, which move them all at once.
type Tornado struct {
	// Threshold is the [thresholds.NAME] whose first crossing is timed.
	Threshold string `json:"threshold"`
	// Base is the first crossing time with every param at its value;
	// NaN (null in JSON) if the run never crosses.
	Base float64 `json:"base"`
	// Start and Stop are the run's times: a run that never crosses is
	// drawn as crossing at Stop.
	Start     float64 `json:"start"`
	Stop      float64 `json:"stop"`
	TimeUnits string  `json:"time_units,omitempty"`
	// Bars holds one bar per param that declares a min or a max, the
	// widest swing first (Swing), then by name.
	Bars []TornadoBar `json:"bars"`
}

// TornadoBar is one param of a Tornado.
type TornadoBar struct {
	Param string `json:"param"`
	// Value is the param's value in the base run; Low and High are its
	// declared min and max (Value where it declares only one of them).
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	// AtLow and AtHigh are the first crossing times with the param at
	// Low and at High; NaN (null in JSON) for a run that never crosses.
	AtLow  float64 `json:"at_low"`
	AtHigh float64 `json:"at_high"`
}

// Swing returns how far apart the crossing times at the two ends lie, a
// run that never crosses counted as crossing at stop.
func (b TornadoBar) Swing(stop float64) float64 {
	at := func(x float64) float64 {
		if math.IsNaN(x) {
			return stop
		}
		return x
	}
	return math.Abs(at(b.AtHigh) - at(b.AtLow))
}

// RunTornado runs the one-at-a-time study of threshold's crossing time:
// the model under opt, then each of the named params (every param with a
// declared min or max when names is empty) at its min and at its max.
// A run that fails is an error naming the param and its value.
func RunTornado(ctx context.Context, m *model.Model, opt model.RunOptions, threshold string, names []string) (*Tornado, error) {
	var th *decl.Threshold
	var known []string
	for _, x := range m.Decl.Thresholds {
		known = append(known, x.Name)
		if x.Name == threshold {
			th = x
		}
	}
	if th == nil {
		if len(known) == 0 {
			return nil, fmt.Errorf("no threshold %q: the model declares no [thresholds]", threshold)
		}
		return nil, fmt.Errorf("no threshold %q (the model has %v)", threshold, known)
	}
	var params []*decl.Var
	for _, v := range m.Decl.Vars {
		if v.Kind == decl.Param && (len(names) == 0 && (v.Min != nil || v.Max != nil) || slices.Contains(names, v.Name)) {
			params = append(params, v)
		}
	}
	for _, n := range names {
		v := m.Decl.Var(n)
		if v == nil || v.Kind != decl.Param {
			return nil, fmt.Errorf("no param %q", n)
		}
		if v.Min == nil && v.Max == nil {
			return nil, fmt.Errorf("param %q declares no min or max to move it to", n)
		}
	}
	opt.Vars, opt.All = []string{th.Var}, false
	first := func(set map[string]float64) (float64, *model.Result, error) {
		o := opt
		o.Set = set
		res, err := m.Run(ctx, o)
		if err != nil {
			return 0, nil, err
		}
		cs, err := res.ThresholdCrossings(threshold)
		if err != nil {
			return 0, nil, err
		}
		if len(cs) == 0 {
			return math.NaN(), res, nil
		}
		return cs[0].Time, res, nil
	}
	base, res, err := first(opt.Set)
	if err != nil {
		return nil, err
	}
	t := &Tornado{Threshold: threshold, Base: base, Start: res.Times[0], Stop: res.Times[len(res.Times)-1], TimeUnits: m.Decl.TimeUnits, Bars: []TornadoBar{}}
	values, err := paramValues(m, opt)
	if err != nil {
		return nil, err
	}
	for _, p := range params {
		b := TornadoBar{Param: p.Name, Value: values[p.Name], Low: values[p.Name], High: values[p.Name]}
		if p.Min != nil {
			b.Low = *p.Min
		}
		if p.Max != nil {
			b.High = *p.Max
		}
		for _, end := range []struct {
			x  float64
			at *float64
		}{{b.Low, &b.AtLow}, {b.High, &b.AtHigh}} {
			set := maps.Clone(opt.Set)
			if set == nil {
				set = map[string]float64{}
			}
			set[p.Name] = end.x
			if *end.at, _, err = first(set); err != nil {
				return nil, fmt.Errorf("%s = %v: %w", p.Name, end.x, err)
			}
		}
		t.Bars = append(t.Bars, b)
	}
	slices.SortStableFunc(t.Bars, func(a, b TornadoBar) int {
		if c := cmp.Compare(b.Swing(t.Stop), a.Swing(t.Stop)); c != 0 {
			return c
		}
		return cmp.Compare(a.Param, b.Param)
	})
	return t, nil
}

// paramValues returns each param's value under opt's scenario and Set.
func paramValues(m *model.Model, opt model.RunOptions) (map[string]float64, error) {
	vals := map[string]float64{}
	for _, p := range m.Params() {
		vals[p.Name] = p.Value
	}
	if opt.Scenario != "" {
		i := slices.IndexFunc(m.Decl.Scenarios, func(s *decl.Scenario) bool { return s.Name == opt.Scenario })
		if i < 0 {
			return nil, fmt.Errorf("unknown scenario %q", opt.Scenario)
		}
		maps.Copy(vals, m.Decl.Scenarios[i].Set)
	}
	maps.Copy(vals, opt.Set)
	return vals, nil
}

// MarshalJSON writes the bar with null for a crossing that never comes.
func (b TornadoBar) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Param  string `json:"param"`
		Value  num    `json:"value"`
		Low    num    `json:"low"`
		High   num    `json:"high"`
		AtLow  num    `json:"at_low"`
		AtHigh num    `json:"at_high"`
	}{b.Param, num(b.Value), num(b.Low), num(b.High), num(b.AtLow), num(b.AtHigh)})
}

// MarshalJSON writes the study as {"threshold", "base", "start", "stop",
// "time_units", "bars": [{"param", "value", "low", "high", "at_low",
// "at_high"}]}, null for a crossing that never comes.
func (t *Tornado) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Threshold string       `json:"threshold"`
		Base      num          `json:"base"`
		Start     num          `json:"start"`
		Stop      num          `json:"stop"`
		TimeUnits string       `json:"time_units,omitempty"`
		Bars      []TornadoBar `json:"bars"`
	}{t.Threshold, num(t.Base), num(t.Start), num(t.Stop), t.TimeUnits, t.Bars})
}
