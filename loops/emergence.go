package loops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/model"
)

// EmergenceSettings adjusts AnalyzeEmergence. The zero value (or nil) is
// ready to use.
type EmergenceSettings struct {
	// Loops bounds the loop enumeration (zero: DefaultMaxLoops loops of
	// any length).
	Loops Options
	// Stability adjusts the linear stability analysis.
	Stability StabilitySettings
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

	list *List
}

// ThresholdCrossings is one [thresholds.NAME] entry of a model and the
// times a run crossed it.
type ThresholdCrossings struct {
	Name      string              `json:"name"`
	Var       string              `json:"var"`
	Level     float64             `json:"level"`
	Direction string              `json:"direction"` // rising, falling or either
	Crossings []ThresholdCrossing `json:"crossings"`
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
	// dominant polarity whose relative scores, interpolated to the time,
	// reach a share of 0.5 (as for DominanceShift.Time, the scores of save
	// point i are placed at Times[i-1]).
	DominantBefore []string `json:"dominant_before"`
	DominantAfter  []string `json:"dominant_after"`
	// Regime is the linear stability regime at the crossing.
	Regime Regime `json:"regime"`
}

// DominanceShift is a change of the dominant loop polarity of a cycle
// partition (Dominance.Shifts), its time refined.
type DominanceShift struct {
	// Time is where the balance of the relative loop scores — the sum
	// of the reinforcing ones less that of the balancing ones — passes
	// zero, interpolated linearly between save points, with the scores
	// of save point i placed at Times[i-1] as Dominance's timing
	// convention has it. Dominance.Shifts reports the same shift at the
	// save point before.
	Time      float64  `json:"time"`
	From      Polarity `json:"from"`
	To        Polarity `json:"to"`
	Partition int      `json:"partition"`
	// DominantBefore and DominantAfter list the IDs of the dominant loops
	// on either side, strongest first.
	DominantBefore []string `json:"dominant_before"`
	DominantAfter  []string `json:"dominant_after"`
}

// AnalyzeEmergence runs the model with opt (its Trace, Vars and All are
// set: every variable is recorded), finds its feedback loops, and analyses
// the run's threshold crossings, loop dominance and linear stability.
// Settings may be nil.
func AnalyzeEmergence(ctx context.Context, m *model.Model, opt model.RunOptions, settings *EmergenceSettings) (*Emergence, error) {
	var set EmergenceSettings
	if settings != nil {
		set = *settings
	}
	opt.Trace, opt.Vars, opt.All = true, nil, true
	res, err := m.Run(ctx, opt)
	if err != nil {
		return nil, err
	}
	list := Find(NewGraph(m), set.Loops)
	dom, err := Analyze(list, res.Trace())
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
	e := &Emergence{Result: res, Dominance: dom, Stability: st, list: list}
	for _, s := range dom.Shifts {
		e.Shifts = append(e.Shifts, DominanceShift{
			Time:           refineShift(dom, s),
			From:           s.From,
			To:             s.To,
			Partition:      s.Partition,
			DominantBefore: dominantLoopsAt(dom, []int{s.Partition}, s.Time, -1),
			DominantAfter:  dominantLoopsAt(dom, []int{s.Partition}, s.Time, +1),
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
		tc := ThresholdCrossings{Name: th.Name, Var: th.Var, Level: th.Level, Direction: dir.String(), Crossings: []ThresholdCrossing{}}
		for _, c := range cs {
			tc.Crossings = append(tc.Crossings, ThresholdCrossing{
				Time:           c.Time,
				Direction:      c.Direction.String(),
				DominantBefore: dominantLoopsNear(dom, parts, c.Time, -1),
				DominantAfter:  dominantLoopsNear(dom, parts, c.Time, +1),
				Regime:         st.RegimeAt(c.Time),
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

// dominantLoopsAt returns the IDs of the loops of the dominant periods
// of the given partitions that end (side < 0) or start (side > 0) at
// time t, or hold it, strongest first within each partition.
func dominantLoopsAt(d *Dominance, parts []int, t float64, side int) []string {
	ids := []string{}
	for _, p := range parts {
		var best *Period
		for k := range d.Periods {
			pd := &d.Periods[k]
			if pd.Partition != p {
				continue
			}
			in := pd.Start <= t && t < pd.End
			if side < 0 {
				in = pd.Start < t && t <= pd.End
			}
			if in {
				best = pd
				break
			}
		}
		if best == nil {
			// Before the first period or after the last: the nearest.
			for k := range d.Periods {
				pd := &d.Periods[k]
				if pd.Partition == p && (best == nil || (t > pd.End && pd.End >= best.End) || (t < pd.Start && pd.Start < best.Start)) {
					best = pd
				}
			}
		}
		if best != nil {
			for _, id := range best.Loops {
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
	}
	return ids
}

// dominantLoopsNear returns the IDs of the loops dominant in the given
// partitions at time t, from relative scores interpolated linearly with
// those of save point i placed at Times[i-1]; side < 0 looks just before
// t, side > 0 just after (which differ only at a save point).
func dominantLoopsNear(d *Dominance, parts []int, t float64, side int) []string {
	ids := []string{}
	n := len(d.Times)
	if n < 3 {
		return ids
	}
	// Scores of save points 2 … n-1 sit at Times[1] … Times[n-2].
	at := d.Times[1 : n-1]
	j, found := slices.BinarySearch(at, t)
	var lo, hi int
	var f float64
	switch {
	case found && side < 0 && j > 0:
		lo, hi, f = j-1, j, 1
	case found:
		lo, hi = j, j
	case j == 0:
		lo, hi = 0, 0
	case j >= len(at):
		lo, hi = len(at)-1, len(at)-1
	default:
		lo, hi = j-1, j
		f = (t - at[lo]) / (at[hi] - at[lo])
	}
	for _, p := range parts {
		type score struct {
			id string
			r  float64
		}
		var pos, neg float64
		var rs []score
		for k, lp := range d.Loops {
			if lp.Partition != p {
				continue
			}
			r := d.Relative[k][lo+2]*(1-f) + d.Relative[k][hi+2]*f
			if r > 0 {
				pos += r
			} else {
				neg -= r
			}
			rs = append(rs, score{lp.ID, r})
		}
		if pos == 0 && neg == 0 {
			continue
		}
		sg := 1.0
		if neg > pos {
			sg = -1
		}
		rs = slices.DeleteFunc(rs, func(s score) bool { return s.r*sg <= 0 })
		slices.SortStableFunc(rs, func(a, b score) int { return compareFloat(math.Abs(b.r), math.Abs(a.r)) })
		share := 0.0
		for _, s := range rs {
			if !slices.Contains(ids, s.id) {
				ids = append(ids, s.id)
			}
			share += math.Abs(s.r)
			if share >= 0.5 {
				break
			}
		}
	}
	return ids
}

// balance returns, for a cycle partition, the sum at each save point of
// the relative scores of its loops: positive where reinforcing loops
// dominate, negative where balancing ones do.
func (d *Dominance) balance(p int) []float64 {
	b := make([]float64, len(d.Times))
	for k, lp := range d.Loops {
		if lp.Partition != p {
			continue
		}
		for i, r := range d.Relative[k] {
			b[i] += r
		}
	}
	return b
}

// refineShift locates a dominance shift where the partition's balance of
// relative scores passes zero. The scores at save point i are placed at
// Times[i-1] (Dominance's timing convention; the stock link scores are
// centred there, and the known answers of logistic growth and Bass
// diffusion agree to a small fraction of the save interval).
func refineShift(d *Dominance, s Shift) float64 {
	i, ok := slices.BinarySearch(d.Times, s.Time)
	if !ok || i+1 >= len(d.Times) || i < 2 {
		return s.Time
	}
	// The new polarity first shows at save point i+1; the old one at i.
	b := d.balance(s.Partition)
	a, c := b[i], b[i+1]
	if a == c || math.Signbit(a) == math.Signbit(c) && a != 0 && c != 0 {
		return s.Time
	}
	t0, t1 := d.Times[i-1], d.Times[i]
	return t0 + (t1-t0)*a/(a-c)
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

// DominantPeriods returns the periods over which one polarity dominates
// a cycle partition: Dominance.Periods of the partition merged where the
// polarity stays the same, their boundaries moved to the refined shift
// times (DominanceShift.Time). Each period's Loops lists the loops that
// dominated some part of it, in order of first appearance, and its Share
// is the duration-weighted mean of the merged periods' shares.
func DominantPeriods(d *Dominance, partition int) []Period {
	var out []Period
	for _, pd := range d.Periods {
		if pd.Partition != partition {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Polarity == pd.Polarity {
			last := &out[n-1]
			w0, w1 := last.End-last.Start, pd.End-pd.Start
			if w0+w1 > 0 {
				last.Share = (last.Share*w0 + pd.Share*w1) / (w0 + w1)
			}
			last.End = pd.End
			for _, id := range pd.Loops {
				if !slices.Contains(last.Loops, id) {
					last.Loops = append(last.Loops, id)
				}
			}
			continue
		}
		pd.Loops = slices.Clone(pd.Loops)
		out = append(out, pd)
	}
	for _, s := range d.Shifts {
		if s.Partition != partition {
			continue
		}
		t := refineShift(d, s)
		for k := 1; k < len(out); k++ {
			if out[k].Start == s.Time && out[k-1].End == s.Time {
				out[k-1].End, out[k].Start = t, t
			}
		}
	}
	return out
}

// Loops returns the loops the analysis found (and, for a model whose
// enumeration was bounded, discovered), in ID order.
func (e *Emergence) Loops() []*Loop { return e.Dominance.Loops }

// Loop returns the loop with the given ID or name, or nil.
func (e *Emergence) Loop(idOrName string) *Loop {
	for _, lp := range e.Dominance.Loops {
		if lp.ID == idOrName || (lp.Name != "" && lp.Name == idOrName) {
			return lp
		}
	}
	return nil
}

// emergenceJSON is the JSON form of an Emergence.
type emergenceJSON struct {
	Thresholds []ThresholdCrossings `json:"thresholds"`
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
	Name     string   `json:"name,omitempty"`
	Polarity Polarity `json:"polarity"`
	Vars     []string `json:"vars"`
}

// MarshalJSON writes the analysis as
//
//	{"thresholds": [{"name", "var", "level", "direction",
//	                 "crossings": [{"time", "direction", "dominant_before",
//	                                "dominant_after", "regime"}]}],
//	 "dominance": {"loops": [{"id", "name", "polarity", "vars"}],
//	               "shifts": [{"time", "from", "to", "partition",
//	                           "dominant_before", "dominant_after"}]},
//	 "stability": {"conserved": [...], "sign_changes": [{"time", "from", "to"}]}}
//
// with every list present, if empty.
func (e *Emergence) MarshalJSON() ([]byte, error) {
	var j emergenceJSON
	j.Thresholds = e.Thresholds
	if j.Thresholds == nil {
		j.Thresholds = []ThresholdCrossings{}
	}
	j.Dominance.Loops = []loopJSON{}
	for _, lp := range e.Dominance.Loops {
		j.Dominance.Loops = append(j.Dominance.Loops, loopJSON{lp.ID, lp.Name, lp.Polarity, lp.Vars})
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
// loops, each threshold's crossings with the loops dominant either side,
// the dominance shifts and the stability sign changes. Times are printed
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
			if lp := e.Loop(id); lp != nil && lp.Name != "" {
				out[i] += " " + lp.Name
			}
		}
		return strings.Join(out, ", ")
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
		name := ""
		if lp.Name != "" {
			name = " " + lp.Name
		}
		fmt.Fprintf(&b, "  %s%s (%s): %s\n", lp.ID, name, pol, strings.Join(lp.Vars, " → "))
	}
	if star {
		fmt.Fprintf(&b, "  * observed during the run: the equations alone do not decide it\n")
	}
	fmt.Fprintf(&b, "thresholds:\n")
	if len(e.Thresholds) == 0 {
		fmt.Fprintf(&b, "  none declared\n")
	}
	for _, th := range e.Thresholds {
		fmt.Fprintf(&b, "  %s: %s %s %s\n", th.Name, th.Var, th.Direction, fmtLevel(th.Level))
		if len(th.Crossings) == 0 {
			fmt.Fprintf(&b, "    never crossed\n")
		}
		for _, c := range th.Crossings {
			fmt.Fprintf(&b, "    crossed %s at t=%s (%s); dominant before: %s; after: %s\n",
				c.Direction, tm(c.Time), c.Regime, names(c.DominantBefore), names(c.DominantAfter))
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
