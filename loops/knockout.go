package loops

import (
	"context"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// Knockouts is the loop knockout test of a model (Sterman, Business
// Dynamics, ch. 21): a run with each loop cut, and how the crossings of
// the model's thresholds move against the run with every loop intact.
type Knockouts struct {
	// Base holds the crossing times of each threshold in the intact run.
	Base []ThresholdTimes `json:"base"`
	// Result is the intact run, recording the thresholds' variables (or
	// the model's first variable, if it has no thresholds).
	Result *model.Result `json:"-"`
	// Knockouts holds one entry per loop knocked out.
	Knockouts []Knockout `json:"knockouts"`
	// TimeUnits are the model's time units, those of the crossing times
	// ("" when the model names none).
	TimeUnits string `json:"time_units,omitempty"`

	titles map[string]string // loop ID → Title
}

// Title returns the label and name (Loop.Title) of the enumerated loop
// with the given ID, or the ID itself if there is none.
func (k *Knockouts) Title(id string) string {
	if t, ok := k.titles[id]; ok {
		return t
	}
	return id
}

// ThresholdTimes is a threshold of the model and the times a run crossed
// it in its direction.
type ThresholdTimes struct {
	Name  string    `json:"name"`
	Times []float64 `json:"times"`
}

// Knockout is a run of the model with one loop cut.
type Knockout struct {
	// Loop is the loop knocked out.
	Loop LoopSummary `json:"loop"`
	// Cut is the link cut: its To reads From's value at the start time
	// (decl.Cut).
	Cut decl.Link `json:"cut"`
	// Broken lists the IDs of the other listed loops that pass through
	// the cut link and are knocked out with it.
	Broken []string `json:"broken"`
	// Thresholds holds the crossing times of each threshold in the run
	// with the cut, in the order of Knockouts.Base.
	Thresholds []ThresholdTimes `json:"thresholds"`
	// Err is why the run with the cut failed, if it did (a value that
	// became NaN, say); Thresholds is then empty.
	Err string `json:"error,omitempty"`
	// Result is the run with the cut, recording what Knockouts.Result
	// records; nil if it failed.
	Result *model.Result `json:"-"`
}

// KnockoutSettings adjusts KnockOut. The zero value (or nil) knocks out
// the loops the model names in [[loops]] entries, or every enumerated
// loop of a model that names none.
type KnockoutSettings struct {
	// Loops bounds the loop enumeration.
	Loops Options
	// All knocks out every enumerated loop, named or not.
	All bool
}

// KnockOut runs m with opt once as it is and once for each loop with one
// of the loop's links cut, and reports the crossings of m's thresholds in
// each run.
//
// The link cut is the one through which the fewest other listed loops
// pass, so that the knockout takes out as little else as it can; of
// equals, the first along the loop from its stock. A link from a flow into
// its stock is never chosen (decl.Cut cannot hold it); every loop through
// a stock has another. Set may be nil.
func KnockOut(ctx context.Context, m *model.Model, opt model.RunOptions, set *KnockoutSettings) (*Knockouts, error) {
	var st KnockoutSettings
	if set != nil {
		st = *set
	}
	list := Find(NewGraph(m), st.Loops)
	targets := list.Loops
	if !st.All {
		var named []*Loop
		for _, l := range list.Loops {
			if l.Name != "" {
				named = append(named, l)
			}
		}
		if len(named) > 0 {
			targets = named
		}
	}
	base, res, err := thresholdTimes(ctx, m, opt)
	if err != nil {
		return nil, err
	}
	in := m.Units()
	out := &Knockouts{Base: base, Result: res, Knockouts: []Knockout{}, TimeUnits: in.TimeUnits, titles: map[string]string{}}
	for _, l := range list.Loops {
		out.titles[l.ID] = l.Title()
	}
	for _, l := range targets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := Knockout{Loop: LoopSummary{ID: l.ID, Label: l.Label, Name: l.Name, Polarity: l.Polarity, Structural: l.Polarity,
			Length: l.Len(), Variables: l.Vars, Units: varUnits(in, l.Vars)}, Broken: []string{}, Thresholds: []ThresholdTimes{}}
		edge, ok := cutEdge(list, l)
		if !ok {
			k.Err = "no link of the loop can be cut"
			out.Knockouts = append(out.Knockouts, k)
			continue
		}
		e := list.Graph.Edges[edge]
		k.Cut = decl.Link{From: baseName(e.From), To: baseName(e.To)}
		for _, o := range list.Loops {
			if o != l && containsEdge(o, edge) {
				k.Broken = append(k.Broken, o.ID)
			}
		}
		cut, err := cutModel(m, k.Cut)
		var ts []ThresholdTimes
		if err == nil {
			ts, k.Result, err = thresholdTimes(ctx, cut, opt)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			k.Err = err.Error()
		} else {
			k.Thresholds = ts
		}
		out.Knockouts = append(out.Knockouts, k)
	}
	return out, nil
}

// cutModel compiles m's declaration with the link cut.
func cutModel(m *model.Model, l decl.Link) (*model.Model, error) {
	d, err := decl.Cut(m.Source, l)
	if err != nil {
		return nil, err
	}
	return model.Compile(d)
}

// cutEdge returns the index in list.Graph.Edges of the link of l to cut.
func cutEdge(list *List, l *Loop) (int, bool) {
	best, bestN := -1, 0
	for k, e := range l.edges {
		to := list.Graph.Nodes[l.nodes[(k+1)%len(l.nodes)]]
		if to.Kind != decl.Aux && to.Kind != decl.Flow {
			continue
		}
		n := 0
		for _, o := range list.Loops {
			if containsEdge(o, e) {
				n++
			}
		}
		if best < 0 || n < bestN {
			best, bestN = e, n
		}
	}
	return best, best >= 0
}

func containsEdge(l *Loop, e int) bool {
	for _, x := range l.edges {
		if x == e {
			return true
		}
	}
	return false
}

// baseName returns the name of the declared variable an element name
// such as x[a] belongs to.
func baseName(name string) string {
	base, _, _ := strings.Cut(name, "[")
	return base
}

// thresholdTimes runs m and returns the crossing times of each of its
// thresholds.
func thresholdTimes(ctx context.Context, m *model.Model, opt model.RunOptions) ([]ThresholdTimes, *model.Result, error) {
	opt.Vars = nil
	for _, th := range m.Decl.Thresholds {
		if !slices.Contains(opt.Vars, th.Var) { // two thresholds may watch one variable
			opt.Vars = append(opt.Vars, th.Var)
		}
	}
	if opt.Vars == nil {
		opt.Vars = m.Names()[:min(1, len(m.Names()))]
	}
	res, err := m.Run(ctx, opt)
	if err != nil {
		return nil, nil, err
	}
	out := []ThresholdTimes{}
	for _, th := range m.Decl.Thresholds {
		cs, err := res.ThresholdCrossings(th.Name)
		if err != nil {
			return nil, nil, err
		}
		tt := ThresholdTimes{Name: th.Name, Times: []float64{}}
		for _, c := range cs {
			tt.Times = append(tt.Times, c.Time)
		}
		out = append(out, tt)
	}
	return out, res, nil
}
