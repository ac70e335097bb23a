package loops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
)

// EmergenceSettings adjusts AnalyzeEmergence. The zero value (or nil) is
// ready to use.
type EmergenceSettings struct {
	// Loops bounds the loop enumeration (zero: DefaultMaxLoops loops of
	// any length).
	Loops Options
	// Stability adjusts the linear stability analysis.
	Stability StabilitySettings
	// Dominance adjusts the loop dominance analysis.
	Dominance Settings
}

// Emergence is the emergence analysis of one run of a model: when its
// thresholds are crossed and which loops dominate just before and after,
// when the dominant loop polarity shifts, and when the run turns from
// amplifying to damping or back. The three signals are independent; a
// modeler reads them together.
type Emergence struct {
	// Result is the run analysed, every stock, flow, aux and param
	// recorded, with its trace.
	Result *model.Result
	// Dominance is the loop dominance of the run (Analyze).
	Dominance *Dominance
	// Stability is the linear stability of the run (AnalyzeStability).
	Stability *Stability
	// Thresholds holds the crossings of each of the model's thresholds,
	// in declaration order.
	Thresholds []ThresholdCrossings
	// Shifts lists the changes of dominant loop polarity, in time order.
	Shifts []DominanceShift
	// TimeUnits are the model's time units, those of every time of the
	// analysis ("" when the model names none).
	TimeUnits string

	list  *List
	units *units.Info // the model's checked units
}

// ThresholdCrossings is one [thresholds.NAME] entry of a model and the
// times a run crossed it.
type ThresholdCrossings struct {
	Name      string              `json:"name"`
	Var       string              `json:"var"`
	Level     float64             `json:"level"`
	Direction string              `json:"direction"` // rising, falling or either
	Crossings []ThresholdCrossing `json:"crossings"`
	// Units are the checked units of Var, and so of Level
	// (model.Model.Units: declared, or inferred when none is declared);
	// "" when not known.
	Units string `json:"units,omitempty"`
}

// ThresholdCrossing is one crossing of a threshold.
type ThresholdCrossing struct {
	// Time is interpolated between save points (on rk45's dense output
	// for an rk45 run).
	Time float64 `json:"time"`
	// Direction is rising or falling.
	Direction string `json:"direction"`
	// DominantBefore and DominantAfter list the IDs of the loops
	// dominant just before and just after the crossing, in the cycle
	// partition that holds the threshold's variable (in every partition,
	// if none holds it), strongest first: the smallest set of loops of the
	// polarity ahead whose relative scores, averaged over the
	// Dominance.MinDuration before or after the crossing, reach a share
	// of 0.5.
	DominantBefore []string `json:"dominant_before"`
	DominantAfter  []string `json:"dominant_after"`
	// Regime is the linear stability regime at the crossing.
	Regime Regime `json:"regime"`
	// Before and After explain the crossing: how the loops stood over
	// the Dominance.MinDuration before it and after it.
	Before Standing `json:"before"`
	After  Standing `json:"after"`
}

// Standing is how the loops of the cycle partitions that hold a
// threshold's variable stood over a stretch of time, from their relative
// scores averaged over it.
type Standing struct {
	From float64 `json:"from"`
	To   float64 `json:"to"`
	// Polarity is the polarity whose loops' share is the larger
	// (Undetermined if every score was 0).
	Polarity Polarity `json:"polarity"`
	// Margin is by how much that share exceeds 0.5: 0 for a tie, 0.5
	// when the other polarity has no share at all.
	Margin float64 `json:"margin"`
	// Contested reports that the margin is below Dominance.Margin.
	Contested bool `json:"contested"`
	// TopReinforcing and TopBalancing are the strongest reinforcing and
	// balancing loops, or nil if there is none with a share.
	TopReinforcing *LoopShare `json:"top_reinforcing"`
	TopBalancing   *LoopShare `json:"top_balancing"`
	// Named lists the loops the model names in [[loops]] entries, in
	// the order of the entries.
	Named []LoopShare `json:"named"`
}

// LoopShare is a loop and its mean relative score over a stretch of time.
type LoopShare struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Name  string `json:"name,omitempty"`
	// Vars is the loop's path.
	Vars []string `json:"vars"`
	// Relative is the mean relative score, in [-1, 1]: positive when
	// the loop reinforced, negative when it balanced.
	Relative float64 `json:"relative"`
	// Units are the checked units of each of Vars, in their order, ""
	// where not known; nil when the model gives none at all.
	Units []string `json:"units,omitempty"`
}

// DominanceShift is a change of the dominant loop polarity of a cycle
// partition (Dominance.Shifts), with the loops either side.
type DominanceShift struct {
	// Time is where the balance of the relative loop scores — the sum
	// of the reinforcing ones less that of the balancing ones — last
	// passes zero before the new polarity takes hold (Shift.Time).
	Time      float64  `json:"time"`
	From      Polarity `json:"from"`
	To        Polarity `json:"to"`
	Partition int      `json:"partition"`
	// DominantBefore and DominantAfter list the IDs of the dominant loops
	// on either side, strongest first.
	DominantBefore []string `json:"dominant_before"`
	DominantAfter  []string `json:"dominant_after"`
}

// AnalyzeEmergence runs the model with opt (made TraceOptions, its Vars
// and All set: every variable is recorded on the analysis grid), finds its feedback loops, and analyses
// the run's threshold crossings, loop dominance and linear stability.
// Settings may be nil.
func AnalyzeEmergence(ctx context.Context, m *model.Model, opt model.RunOptions, settings *EmergenceSettings) (*Emergence, error) {
	var set EmergenceSettings
	if settings != nil {
		set = *settings
	}
	if err := CheckStep(m, opt, &set.Dominance); err != nil {
		return nil, err
	}
	opt = TraceOptions(m, opt, &set.Dominance)
	opt.Vars, opt.All = nil, true
	res, err := m.Run(ctx, opt)
	if err != nil {
		return nil, err
	}
	list := Find(NewGraph(m), set.Loops)
	dom, err := Analyze(list, res.Trace(), &set.Dominance)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st, err := AnalyzeStability(res.Trace(), &set.Stability)
	if err != nil {
		return nil, err
	}
	in := m.Units()
	e := &Emergence{Result: res, Dominance: dom, Stability: st, TimeUnits: in.TimeUnits, list: list, units: in}
	for _, s := range dom.Shifts {
		e.Shifts = append(e.Shifts, DominanceShift{
			Time:           s.Time,
			From:           s.From,
			To:             s.To,
			Partition:      s.Partition,
			DominantBefore: nonNilIDs(dom.Periods[s.before].Loops),
			DominantAfter:  nonNilIDs(dom.Periods[s.after].Loops),
		})
	}
	slices.SortStableFunc(e.Shifts, func(a, b DominanceShift) int { return compareFloat(a.Time, b.Time) })

	for _, th := range m.Decl.Thresholds {
		dir, err := model.ParseDirection(th.Direction)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", th.Key, err)
		}
		cs, err := res.Crossings(th.Var, th.Level, dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", th.Key, err)
		}
		parts := partitionsOf(list, th.Var)
		tc := ThresholdCrossings{Name: th.Name, Var: th.Var, Level: th.Level, Direction: dir.String(), Crossings: []ThresholdCrossing{},
			Units: in.UnitsOf(th.Var)}
		for _, c := range cs {
			tc.Crossings = append(tc.Crossings, ThresholdCrossing{
				Time:           c.Time,
				Direction:      c.Direction.String(),
				DominantBefore: dominantLoopsNear(dom, parts, c.Time, -1),
				DominantAfter:  dominantLoopsNear(dom, parts, c.Time, +1),
				Regime:         st.RegimeAt(c.Time),
				Before:         dom.standing(parts, c.Time, -1, in),
				After:          dom.standing(parts, c.Time, +1, in),
			})
		}
		e.Thresholds = append(e.Thresholds, tc)
	}
	return e, nil
}

// partitionsOf returns the cycle partitions that hold the variable, or
// every partition if none does.
func partitionsOf(l *List, name string) []int {
	var all []int
	for p, vars := range l.Partitions {
		if slices.Contains(vars, name) {
			return []int{p}
		}
		all = append(all, p)
	}
	return all
}

func nonNilIDs(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return slices.Clone(ids)
}

// dominantLoopsNear returns the IDs of the loops dominant in the given
// partitions just before (side < 0) or just after (side > 0) time t:
// from the mean relative scores over the MinDuration before or after t,
// the smallest set of loops of the polarity ahead whose mean shares
// reach 0.5 (all of that polarity's loops, if they fall short),
// strongest first.
func dominantLoopsNear(d *Dominance, parts []int, t float64, side int) []string {
	ids := []string{}
	t0, t1 := d.window(t, side)
	for _, p := range parts {
		var members []int
		var rel []float64
		sum := 0.0
		for k, lp := range d.Loops {
			if lp.Partition != p {
				continue
			}
			members = append(members, k)
			r := d.meanRelative(k, t0, t1)
			rel = append(rel, r)
			sum += r
		}
		if sum == 0 && !slices.ContainsFunc(rel, func(r float64) bool { return r != 0 }) {
			continue
		}
		sg := 1.0
		if sum < 0 {
			sg = -1
		}
		got, _ := d.strongest(members, rel, sg, false)
		for _, id := range got {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// standing returns how the loops of the given partitions stood just
// before (side < 0) or after (side > 0) time t; in gives the units of
// the loops' variables.
func (d *Dominance) standing(parts []int, t float64, side int, in *units.Info) Standing {
	t0, t1 := d.window(t, side)
	st := Standing{From: t0, To: t1, Polarity: Undetermined, Named: []LoopShare{}}
	var pos, neg float64
	var topR, topB float64
	var named []int
	share := func(k int, r float64) *LoopShare {
		lp := d.Loops[k]
		return &LoopShare{ID: lp.ID, Label: lp.Label, Name: lp.Name, Vars: lp.Vars, Relative: r, Units: varUnits(in, lp.Vars)}
	}
	rel := make([]float64, len(d.Loops))
	for k, lp := range d.Loops {
		if !slices.Contains(parts, lp.Partition) {
			continue
		}
		r := d.meanRelative(k, t0, t1)
		rel[k] = r
		switch {
		case r > 0:
			pos += r
			if r > topR {
				topR, st.TopReinforcing = r, share(k, r)
			}
		case r < 0:
			neg -= r
			if -r > topB {
				topB, st.TopBalancing = -r, share(k, r)
			}
		}
		if lp.Name != "" {
			named = append(named, k)
		}
	}
	order := map[string]int{}
	if d.trace != nil {
		for k, en := range d.trace.Model().Decl.Loops {
			order[en.Name] = k
		}
	}
	slices.SortStableFunc(named, func(a, b int) int { return order[d.Loops[a].Name] - order[d.Loops[b].Name] })
	for _, k := range named {
		st.Named = append(st.Named, *share(k, rel[k]))
	}
	if total := pos + neg; total > 0 {
		st.Polarity, st.Margin = Reinforcing, pos/total-0.5
		if neg > pos {
			st.Polarity, st.Margin = Balancing, neg/total-0.5
		}
		st.Contested = st.Margin < d.Margin
	}
	return st
}

// window returns the stretch of time just before (side < 0) or after
// (side > 0) t over which dominance there is judged: MinDuration long
// (one save interval, if MinDuration is 0), within the run.
func (d *Dominance) window(t float64, side int) (float64, float64) {
	n := len(d.Times)
	w := d.MinDuration
	if w <= 0 && n > 1 {
		w = (d.Times[n-1] - d.Times[0]) / float64(n-1)
	}
	lo, hi := d.Links.At(d.Links.first), d.Times[n-1]
	if side < 0 {
		return max(t-w, lo), max(t, lo)
	}
	return min(t, hi), min(t+w, hi)
}

// meanRelative returns the mean of loop k's relative score over [t0, t1],
// the scores joined by straight lines between the times they are placed
// at (the score at t0 if t0 == t1).
func (d *Dominance) meanRelative(k int, t0, t1 float64) float64 {
	ls := d.Links
	n := len(d.Times)
	r := d.Relative[k]
	if n <= ls.first {
		return 0
	}
	at := func(t float64) float64 { // the interpolated score at t
		i := ls.first
		for i+1 < n && ls.At(i+1) <= t {
			i++
		}
		if i+1 >= n || ls.At(i) >= t {
			return r[i]
		}
		a, b := ls.At(i), ls.At(i+1)
		return r[i] + (r[i+1]-r[i])*(t-a)/(b-a)
	}
	if t1 <= t0 {
		return at(t0)
	}
	// Trapezoids between t0, the placed times inside, and t1.
	sum, prevT, prevR := 0.0, t0, at(t0)
	for i := ls.first; i < n; i++ {
		if ti := ls.At(i); ti > t0 && ti < t1 {
			sum += (ti - prevT) * (prevR + r[i]) / 2
			prevT, prevR = ti, r[i]
		}
	}
	sum += (t1 - prevT) * (prevR + at(t1)) / 2
	return sum / (t1 - t0)
}

// Partition returns the cycle partition that holds the named variable,
// or the first partition (0) if none does.
func (e *Emergence) Partition(name string) int {
	if e.list != nil {
		for p, vars := range e.list.Partitions {
			if slices.Contains(vars, name) {
				return p
			}
		}
	}
	return 0
}

// DominantPeriods returns the dominant and contested periods of a cycle
// partition (Dominance.Periods of the partition), in time order.
func DominantPeriods(d *Dominance, partition int) []Period {
	var out []Period
	for _, pd := range d.Periods {
		if pd.Partition == partition {
			pd.Loops, pd.Rivals = slices.Clone(pd.Loops), slices.Clone(pd.Rivals)
			out = append(out, pd)
		}
	}
	return out
}

// Loops returns the loops the analysis found (and, for a model whose
// enumeration was bounded, discovered), in ID order.
func (e *Emergence) Loops() []*Loop { return e.Dominance.Loops }

// Loop returns the loop with the given ID, label or name, or nil.
func (e *Emergence) Loop(key string) *Loop { return findLoop(e.Dominance.Loops, key) }

// emergenceJSON is the JSON form of an Emergence.
type emergenceJSON struct {
	Thresholds []ThresholdCrossings `json:"thresholds"`
	TimeUnits  string               `json:"time_units,omitempty"`
	Dominance  struct {
		Loops  []loopJSON       `json:"loops"`
		Shifts []DominanceShift `json:"shifts"`
	} `json:"dominance"`
	Stability struct {
		Conserved   []string     `json:"conserved"`
		SignChanges []SignChange `json:"sign_changes"`
	} `json:"stability"`
}

type loopJSON struct {
	ID       string   `json:"id"`
	Label    string   `json:"label"`
	Name     string   `json:"name,omitempty"`
	Polarity Polarity `json:"polarity"`
	Vars     []string `json:"vars"`
	Units    []string `json:"units,omitempty"`
}

// MarshalJSON writes the analysis as
//
//	{"thresholds": [{"name", "var", "level", "direction", "units",
//	                 "crossings": [{"time", "direction", "dominant_before",
//	                                "dominant_after", "regime",
//	                                "before": {"from", "to", "polarity", "margin", "contested",
//	                                           "top_reinforcing": {"id", "label", "name", "vars", "relative", "units"},
//	                                           "top_balancing": {...}, "named": [{...}]},
//	                                "after": {...}}]}],
//	 "time_units",
//	 "dominance": {"loops": [{"id", "label", "name", "polarity", "vars", "units"}],
//	               "shifts": [{"time", "from", "to", "partition",
//	                           "dominant_before", "dominant_after"}]},
//	 "stability": {"conserved": [...], "sign_changes": [{"time", "from", "to"}]}}
//
// with every list present, if empty. A "units" field holds the checked
// units (model.Model.Units) of "var", or of each of "vars" in order; it
// and "time_units" are left out when the model gives none.
func (e *Emergence) MarshalJSON() ([]byte, error) {
	var j emergenceJSON
	j.Thresholds = e.Thresholds
	j.TimeUnits = e.TimeUnits
	in := e.units
	if j.Thresholds == nil {
		j.Thresholds = []ThresholdCrossings{}
	}
	j.Dominance.Loops = []loopJSON{}
	for _, lp := range e.Dominance.Loops {
		j.Dominance.Loops = append(j.Dominance.Loops, loopJSON{lp.ID, lp.Label, lp.Name, lp.Polarity, lp.Vars, varUnits(in, lp.Vars)})
	}
	j.Dominance.Shifts = e.Shifts
	if j.Dominance.Shifts == nil {
		j.Dominance.Shifts = []DominanceShift{}
	}
	j.Stability.Conserved = e.Stability.Conserved
	if j.Stability.Conserved == nil {
		j.Stability.Conserved = []string{}
	}
	j.Stability.SignChanges = e.Stability.SignChanges
	if j.Stability.SignChanges == nil {
		j.Stability.SignChanges = []SignChange{}
	}
	return json.Marshal(j)
}

// WriteReport writes a short human-readable report of the analysis: the
// model's time units, the loops, each threshold's crossings with the
// loops dominant either side (its level with its variable's checked
// units), the dominance shifts and the stability sign changes. Times are printed
// with the given number of decimals (0 means 3).
func (e *Emergence) WriteReport(w io.Writer, decimals int) error {
	if decimals <= 0 {
		decimals = 3
	}
	var b strings.Builder
	tm := func(t float64) string { return fmt.Sprintf("%.*f", decimals, t) }
	names := func(ids []string) string {
		if len(ids) == 0 {
			return "none"
		}
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = id
			if lp := e.Loop(id); lp != nil {
				out[i] = lp.Title()
			}
		}
		return strings.Join(out, ", ")
	}
	if e.TimeUnits != "" {
		fmt.Fprintf(&b, "time units: %s\n", e.TimeUnits)
	}
	fmt.Fprintf(&b, "loops:\n")
	if len(e.Dominance.Loops) == 0 {
		fmt.Fprintf(&b, "  none\n")
	}
	star := false
	for k, lp := range e.Dominance.Loops {
		pol := string(lp.Polarity)
		if lp.Polarity == Undetermined && k < len(e.Dominance.Observed) && e.Dominance.Observed[k].Polarity != Undetermined {
			pol = string(e.Dominance.Observed[k].Polarity) + "*"
			star = true
		}
		fmt.Fprintf(&b, "  %s (%s): %s\n", lp.Title(), pol, strings.Join(lp.Vars, " → "))
	}
	if star {
		fmt.Fprintf(&b, "  * observed during the run: the equations alone do not decide it\n")
	}
	fmt.Fprintf(&b, "thresholds:\n")
	if len(e.Thresholds) == 0 {
		fmt.Fprintf(&b, "  none declared\n")
	}
	for _, th := range e.Thresholds {
		fmt.Fprintf(&b, "  %s: %s %s %s\n", th.Name, th.Var, th.Direction, withUnits(fmtLevel(th.Level), th.Units))
		if len(th.Crossings) == 0 {
			fmt.Fprintf(&b, "    never crossed\n")
		}
		for _, c := range th.Crossings {
			fmt.Fprintf(&b, "    crossed %s at t=%s (%s); dominant before: %s; after: %s\n",
				c.Direction, tm(c.Time), c.Regime, names(c.DominantBefore), names(c.DominantAfter))
			e.explain(&b, "before", c.Before, tm)
			e.explain(&b, "after", c.After, tm)
			if len(c.Before.Named) > 0 {
				fmt.Fprintf(&b, "      named loops, relative score before → after:\n")
				for k, ls := range c.Before.Named {
					fmt.Fprintf(&b, "        %s (%s): %s → %s\n", ls.Name, ls.Label, score(ls.Relative), score(c.After.Named[k].Relative))
				}
			}
		}
	}
	fmt.Fprintf(&b, "dominance shifts:\n")
	if len(e.Shifts) == 0 {
		fmt.Fprintf(&b, "  none\n")
	}
	for _, s := range e.Shifts {
		fmt.Fprintf(&b, "  t=%s: %s → %s (%s → %s)\n", tm(s.Time), s.From, s.To, names(s.DominantBefore), names(s.DominantAfter))
	}
	fmt.Fprintf(&b, "stability:\n")
	if len(e.Stability.Conserved) > 0 {
		fmt.Fprintf(&b, "  conserved (zero eigenvalues left out): %s\n", strings.Join(e.Stability.Conserved, "; "))
	}
	if n := len(e.Stability.Regimes); n > 0 {
		fmt.Fprintf(&b, "  at the start: %s; at the end: %s\n", e.Stability.Regimes[0], e.Stability.Regimes[n-1])
	}
	if len(e.Stability.SignChanges) == 0 {
		fmt.Fprintf(&b, "  no sign changes\n")
	}
	for _, s := range e.Stability.SignChanges {
		fmt.Fprintf(&b, "  t=%s: %s → %s\n", tm(s.Time), s.From, s.To)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fmtLevel(x float64) string { return jsonNum(x) }

// score formats a relative score with its sign (none for 0).
func score(r float64) string {
	if r == 0 {
		return "0"
	}
	return fmt.Sprintf("%+.3f", r)
}

// explain writes a Standing in words.
func (e *Emergence) explain(b *strings.Builder, side string, st Standing, tm func(float64) string) {
	fmt.Fprintf(b, "      %s (t=%s to %s): ", side, tm(st.From), tm(st.To))
	if st.Polarity == Undetermined {
		fmt.Fprintf(b, "no loop scores\n")
		return
	}
	other := Balancing
	if st.Polarity == Balancing {
		other = Reinforcing
	}
	verdict := st.Polarity + " dominant"
	if st.Contested {
		verdict = "contested"
	}
	fmt.Fprintf(b, "%s, %s %.0f%% against %s %.0f%% (margin %.3f)\n", verdict,
		st.Polarity, 100*(0.5+st.Margin), other, 100*(0.5-st.Margin), st.Margin)
	for _, top := range []struct {
		what string
		ls   *LoopShare
	}{{"strongest R", st.TopReinforcing}, {"strongest B", st.TopBalancing}} {
		if top.ls == nil {
			fmt.Fprintf(b, "        %s: none\n", top.what)
			continue
		}
		title := top.ls.Label
		if top.ls.Name != "" {
			title += " " + top.ls.Name
		}
		fmt.Fprintf(b, "        %s: %s %s: %s\n", top.what, title, score(top.ls.Relative), strings.Join(top.ls.Vars, " → "))
	}
}
