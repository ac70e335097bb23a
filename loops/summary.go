package loops

import (
	"context"
	"math"
	"slices"

	"github.com/stockflow/stockflow/model"
)

// SummarySettings adjusts Summarize. The zero value (or nil) lists the
// loops without their dominance.
type SummarySettings struct {
	// Loops bounds the loop enumeration (zero: DefaultMaxLoops loops of
	// any length).
	Loops Options
	// Dominance adjusts the loop dominance analysis.
	Dominance Settings
	// WithDominance asks for the dominant periods and shifts of a run
	// (Summary.Dominance), and for the loops that the strongest-path
	// search discovers when the enumeration was cut short.
	WithDominance bool
}

// Summary is a model's feedback loops with their polarity, and, when
// asked, the loops that dominate when: what "stockflow loops" prints, and
// its --json form.
type Summary struct {
	// Loops lists the loops: the enumerated ones in label order, then,
	// with WithDominance, those the search discovered.
	Loops []LoopSummary `json:"loops"`
	// Truncated reports that a bound may have cut the enumeration short.
	Truncated bool `json:"truncated"`
	// TimeUnits are the model's time units, the units of the periods'
	// start and end and of the shifts' times ("" when the model names
	// none).
	TimeUnits string `json:"time_units,omitempty"`
	// Dominance holds the dominant periods and shifts; nil unless
	// SummarySettings.WithDominance.
	Dominance *DominanceSummary `json:"dominance,omitempty"`

	// List is the enumeration the summary was made from.
	List *List `json:"-"`
	// Analysis is the loop dominance of the run, nil if there was no run.
	Analysis *Dominance `json:"-"`
	// Result is the run, with its trace, nil if there was none: a run is
	// made when WithDominance asks for one or when the equations leave a
	// loop's polarity open.
	Result *model.Result `json:"-"`
}

// LoopSummary is one loop of a Summary.
type LoopSummary struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Name  string `json:"name,omitempty"`
	// Polarity is the structural polarity, or where the equations leave
	// it Undetermined, the polarity the loop showed during the run
	// (Undetermined again if its score changed sign).
	Polarity Polarity `json:"polarity"`
	// Structural is the polarity from the signs of the links alone.
	Structural Polarity `json:"structural"`
	Length     int      `json:"length"`
	Variables  []string `json:"variables"`
	Discovered bool     `json:"discovered,omitempty"`
	// Units are the checked units of each of Variables, in their order
	// (model.Model.Units: declared, or inferred when none is declared),
	// "" where not known; nil when the model gives none at all.
	Units []string `json:"units,omitempty"`
}

// Observed reports whether Polarity was observed during a run rather than
// read from the equations.
func (l LoopSummary) Observed() bool { return l.Structural == Undetermined }

// Title returns the loop's label and name, as "L1 growth", or its label
// alone.
func (l LoopSummary) Title() string {
	if l.Name == "" {
		return l.Label
	}
	return l.Label + " " + l.Name
}

// DominanceSummary is the dominance part of a Summary.
type DominanceSummary struct {
	Periods []PeriodSummary `json:"periods"`
	Shifts  []ShiftSummary  `json:"shifts"`
}

// PeriodSummary is a Period: a stretch of time over which one polarity
// dominates a cycle partition (numbered from 0), or is contested. Loops
// and Rivals hold loop IDs; Share is rounded to three decimals.
type PeriodSummary struct {
	Partition int      `json:"partition"`
	Start     float64  `json:"start"`
	End       float64  `json:"end"`
	Polarity  Polarity `json:"polarity"`
	Contested bool     `json:"contested,omitempty"`
	Loops     []string `json:"loops"`
	Rivals    []string `json:"rivals,omitempty"`
	Share     float64  `json:"share"`
}

// ShiftSummary is a Shift: a change of the dominant polarity of a cycle
// partition at Time.
type ShiftSummary struct {
	Partition int      `json:"partition"`
	Time      float64  `json:"time"`
	From      Polarity `json:"from"`
	To        Polarity `json:"to"`
}

// Summarize finds m's feedback loops and gives each its polarity. Where
// the equations leave a loop's polarity open, or when set asks for the
// dominance, it runs the model with opt (made TraceOptions) and analyses
// the run (Analyze): a loop whose structural polarity is Undetermined
// then gets the polarity it showed. Set may be nil.
func Summarize(ctx context.Context, m *model.Model, opt model.RunOptions, set *SummarySettings) (*Summary, error) {
	var st SummarySettings
	if set != nil {
		st = *set
	}
	list := Find(NewGraph(m), st.Loops)
	in := m.Units()
	s := &Summary{List: list, Truncated: list.Truncated, Loops: []LoopSummary{}, TimeUnits: in.TimeUnits}
	ls := list.Loops
	needRun := st.WithDominance || slices.ContainsFunc(ls, func(l *Loop) bool { return l.Polarity == Undetermined })
	observed := map[*Loop]Polarity{}
	if needRun {
		res, err := m.Run(ctx, TraceOptions(m, opt, &st.Dominance))
		if err != nil {
			return nil, err
		}
		s.Result = res
		if s.Analysis, err = Analyze(list, res.Trace(), &st.Dominance); err != nil {
			return nil, err
		}
		if st.WithDominance {
			ls = s.Analysis.Loops
		}
		for k, l := range s.Analysis.Loops {
			observed[l] = s.Analysis.Observed[k].Polarity
		}
	}
	for _, l := range ls {
		p := l.Polarity
		if p == Undetermined {
			if o, ok := observed[l]; ok {
				p = o
			}
		}
		s.Loops = append(s.Loops, LoopSummary{ID: l.ID, Label: l.Label, Name: l.Name, Polarity: p, Structural: l.Polarity,
			Length: l.Len(), Variables: l.Vars, Discovered: l.Discovered, Units: varUnits(in, l.Vars)})
	}
	if st.WithDominance {
		d := &DominanceSummary{Periods: []PeriodSummary{}, Shifts: []ShiftSummary{}}
		for _, p := range s.Analysis.Periods {
			d.Periods = append(d.Periods, PeriodSummary{Partition: p.Partition, Start: p.Start, End: p.End, Polarity: p.Polarity,
				Contested: p.Contested, Loops: nonNilIDs(p.Loops), Rivals: p.Rivals, Share: math.Round(p.Share*1000) / 1000})
		}
		for _, sh := range s.Analysis.Shifts {
			d.Shifts = append(d.Shifts, ShiftSummary{Partition: sh.Partition, Time: sh.Time, From: sh.From, To: sh.To})
		}
		s.Dominance = d
	}
	return s, nil
}

// Loop returns the summary of the loop with the given ID, or nil.
func (s *Summary) Loop(id string) *LoopSummary {
	for k := range s.Loops {
		if s.Loops[k].ID == id {
			return &s.Loops[k]
		}
	}
	return nil
}
