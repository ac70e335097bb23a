package loops

import (
	"fmt"
	"math"
	"slices"

	"github.com/stockflow/stockflow/model"
)

// Dominance is a Loops That Matter analysis of one run: how much each loop
// contributes to the behaviour at each save point, and which loops
// dominate when.
//
// Timing: the scores at save point i are placed at Links.At(i): Times[i]
// for continuous scores; for discrete ones Times[i-1], the start of the
// interval they cover (see LinkScores), and the scores at save points 0
// and 1 are 0, for want of history.
type Dominance struct {
	Times []float64
	// Loops holds the loops analysed: the listed ones, then any that the
	// strongest-path search discovered (Loop.Discovered).
	Loops []*Loop
	// Links holds the link scores the loop scores are made of.
	Links *LinkScores
	// Score[k][i] is the score of Loops[k] at save point i: the product of
	// its link scores, positive for a reinforcing effect, negative for a
	// balancing one.
	Score [][]float64
	// Relative[k][i] is Score[k][i] divided by the sum of the magnitudes
	// of the scores of the loops in its partition, in [-1, 1].
	Relative [][]float64
	// Observed[k] is the polarity Loops[k] showed during the run.
	Observed []Observed
	// Periods lists the dominant periods of each partition, by partition
	// then time.
	Periods []Period
	// Shifts lists the changes of dominant polarity, by partition then
	// time.
	Shifts []Shift
	// Margin and MinDuration are the settings the periods were found
	// with (defaults filled in).
	Margin, MinDuration float64

	trace *model.Trace
}

// Observed is the polarity a loop showed during a run: Reinforcing or
// Balancing if its score never took the other sign, else Undetermined —
// with the times its sign changed, or none if its score was always 0.
type Observed struct {
	Polarity Polarity
	Changes  []float64
}

// Period is a stretch of time over which one polarity dominates a
// partition, or over which dominance is contested.
//
// A polarity dominates at a time when its loops' relative scores make up
// a share of at least 0.5 + Margin of the partition's; for a period, it
// must do so for at least MinDuration, or the stretch counts as
// contested. A contested stretch shorter than MinDuration between two
// periods of the same polarity belongs to them.
type Period struct {
	Partition  int
	Start, End float64
	// Polarity is the dominant polarity; for a contested period, the
	// one whose loops' share is the larger on average over it.
	// Undetermined means every loop score was 0.
	Polarity Polarity
	// Contested reports that neither polarity dominated by the margin
	// for long enough.
	Contested bool
	// Loops lists the IDs of the smallest set of loops of that polarity,
	// strongest first by their mean relative score over the period,
	// whose mean shares reach 0.5 (for a contested period: half of the
	// polarity's share).
	Loops []string
	// Rivals lists, for a contested period, the loops of the other
	// polarity chosen the same way.
	Rivals []string
	// Share is the mean over the period of the Loops' summed share.
	Share float64
}

// Shift is a change of the dominant polarity of a partition: from one
// period in which a polarity dominates to the next in which the other
// does, perhaps with a contested period between them.
type Shift struct {
	Partition int
	// Time is where the balance of the relative loop scores — the sum of
	// the reinforcing ones less that of the balancing ones — last passes
	// zero before the new polarity takes hold, interpolated linearly
	// between save points.
	Time     float64
	From, To Polarity

	before, after int // the indices in Dominance.Periods of the periods either side
}

// Analyze computes the loop dominance of a run of l's model, from its
// trace (made with model.RunOptions.Trace; any integration method). When
// l was truncated, a strongest-path search (Eberlein and Schoenberg 2020)
// at each save point adds the loops that matter most among those not
// listed; it is a heuristic and may miss some.
func Analyze(l *List, tr *model.Trace, set *Settings) (*Dominance, error) {
	var st Settings
	if set != nil {
		st = *set
	}
	ls, err := ScoreLinks(l, tr, st.Scores)
	if err != nil {
		return nil, err
	}
	d := &Dominance{Times: tr.Times, Links: ls, Loops: l.Loops, trace: tr}
	if l.Truncated {
		d.Loops = append(slices.Clone(l.Loops), discover(l, ls)...)
	}
	// Each loop gets a score and a relative score per save point.
	if n := 2 * float64(len(d.Loops)) * float64(len(tr.Times)); n > model.DefaultMaxValues {
		return nil, fmt.Errorf("the scores of %d loops at %d save points would be %.3g numbers, more than the limit of %d; list fewer loops (--max-loops, Options.MaxLoops) or save less often (--save-every)",
			len(d.Loops), len(tr.Times), n, model.DefaultMaxValues)
	}
	if d.Score, err = loopScores(ls, d.Loops); err != nil {
		return nil, err
	}
	members := make([][]int, len(l.Partitions))
	for k, lp := range d.Loops {
		if p := lp.Partition; p >= 0 && p < len(members) {
			members[p] = append(members[p], k)
		}
	}
	d.relative(members)
	for _, s := range d.Score {
		d.Observed = append(d.Observed, observe(ls, s))
	}
	d.Margin, d.MinDuration = st.margin(), st.minDuration(tr.Times)
	for p := range l.Partitions {
		d.dominate(p, members[p])
	}
	return d, nil
}

// relative normalises the scores within each partition, given the
// indices of its loops.
func (d *Dominance) relative(members [][]int) {
	n := len(d.Times)
	d.Relative = make([][]float64, len(d.Loops))
	flat := make([]float64, len(d.Loops)*n)
	for k := range d.Relative {
		d.Relative[k] = flat[k*n : (k+1)*n : (k+1)*n]
	}
	sum := make([]float64, n)
	infs := make([]int, n)
	for _, ks := range members {
		clear(sum)
		clear(infs)
		for _, k := range ks {
			for i, s := range d.Score[k] {
				if math.IsInf(s, 0) {
					infs[i]++
				}
				sum[i] += math.Abs(s)
			}
		}
		for _, k := range ks {
			rel := d.Relative[k]
			for i, s := range d.Score[k] {
				switch {
				case infs[i] > 0 && math.IsInf(s, 0):
					rel[i] = sign(s) / float64(infs[i])
				case infs[i] > 0 || sum[i] == 0:
				default:
					rel[i] = s / sum[i]
				}
			}
		}
	}
}

// observe returns the polarity a score series showed.
func observe(ls *LinkScores, s []float64) Observed {
	var o Observed
	last := 0.0
	for i := ls.first; i < len(s); i++ {
		sg := sign(s[i])
		if sg == 0 {
			continue
		}
		if last != 0 && sg != last {
			o.Changes = append(o.Changes, ls.At(i))
		}
		last = sg
	}
	switch {
	case last == 0 || len(o.Changes) > 0:
		o.Polarity = Undetermined
	case last > 0:
		o.Polarity = Reinforcing
	default:
		o.Polarity = Balancing
	}
	return o
}

// Settings adjusts Analyze. The zero value (or nil) is ready to use.
type Settings struct {
	// Scores is how link scores are computed (default Continuous).
	Scores ScoreMethod
	// Step is the analysis step: the interval of the trace that
	// TraceOptions asks for, on which Continuous scores are evaluated
	// (default the run's dt). It must be a whole multiple of dt
	// (CheckStep). Discrete scores ignore it: they are taken over the
	// run's save interval.
	Step float64
	// Margin is how far above 0.5 a polarity's share of the relative
	// loop scores must be for it to dominate (default DefaultMargin;
	// negative means 0).
	Margin float64
	// MinDuration is how long a polarity must dominate for a period
	// and a shift to count (default DefaultMinDuration of the run's
	// length; negative means 0).
	MinDuration float64
}

// DefaultMargin is the margin by which a polarity's share must exceed 0.5
// to dominate, when Settings.Margin is 0: 55 % against 45 %.
const DefaultMargin = 0.05

// DefaultMinDuration is the shortest dominant period, as a fraction of
// the run's length, when Settings.MinDuration is 0.
const DefaultMinDuration = 0.01

func (s Settings) margin() float64 {
	switch {
	case s.Margin == 0:
		return DefaultMargin
	case s.Margin < 0:
		return 0
	}
	return s.Margin
}

func (s Settings) minDuration(times []float64) float64 {
	switch {
	case s.MinDuration < 0:
		return 0
	case s.MinDuration > 0:
		return s.MinDuration
	case len(times) == 0:
		return 0
	}
	return DefaultMinDuration * (times[len(times)-1] - times[0])
}

// stretch is a run of save points [lo, hi] in one state, from time
// start to end.
type stretch struct {
	lo, hi     int
	start, end float64
	pol        Polarity
	contested  bool
}

// dominate finds the dominant periods and shifts of partition p, whose
// loops are members.
func (d *Dominance) dominate(p int, members []int) {
	ls := d.Links
	n := len(d.Times)
	if len(members) == 0 || n <= ls.first {
		return
	}
	// f[i] is the balance over the total: 2·(R's share) − 1.
	f := make([]float64, n)
	undet := make([]bool, n)
	for i := ls.first; i < n; i++ {
		pos, neg := 0.0, 0.0
		for _, k := range members {
			if r := d.Relative[k][i]; r > 0 {
				pos += r
			} else {
				neg -= r
			}
		}
		if pos+neg == 0 {
			undet[i] = true
			continue
		}
		f[i] = (pos - neg) / (pos + neg)
	}
	m2 := 2 * d.Margin
	state := func(i int) (Polarity, bool) {
		switch {
		case undet[i]:
			return Undetermined, false
		case f[i] >= m2 && f[i] > 0:
			return Reinforcing, false
		case f[i] <= -m2 && f[i] < 0:
			return Balancing, false
		}
		return "", true
	}
	// The boundary between save points i and i+1 in different states:
	// where f passes the level that divides them.
	boundary := func(i int, a, b stretch) float64 {
		t0, t1 := ls.At(i), ls.At(i+1)
		level := 0.0
		switch {
		case a.pol == Undetermined || b.pol == Undetermined:
			return (t0 + t1) / 2
		case a.pol == Reinforcing || b.pol == Reinforcing:
			if a.contested || b.contested {
				level = m2
			}
		default:
			level = -m2
		}
		return t0 + (t1-t0)*crossAt(f[i], f[i+1], level)
	}
	var runs []stretch
	for i := ls.first; i < n; i++ {
		pol, c := state(i)
		if k := len(runs) - 1; k >= 0 && runs[k].pol == pol && runs[k].contested == c {
			runs[k].hi = i
			continue
		}
		runs = append(runs, stretch{lo: i, hi: i, pol: pol, contested: c})
	}
	runs[0].start = d.Times[0]
	for k := 1; k < len(runs); k++ {
		t := boundary(runs[k-1].hi, runs[k-1], runs[k])
		runs[k-1].end, runs[k].start = t, t
	}
	runs[len(runs)-1].end = d.Times[n-1]

	// Too short to count: a dominant stretch becomes contested; a
	// contested or undetermined one between two of the same polarity
	// joins them.
	for k := range runs {
		if r := &runs[k]; !r.contested && r.pol != Undetermined && r.end-r.start < d.MinDuration {
			r.pol, r.contested = "", true
		}
	}
	runs = mergeStretches(runs)
	for k := 1; k+1 < len(runs); k++ {
		r := &runs[k]
		a, b := runs[k-1], runs[k+1]
		if (r.contested || r.pol == Undetermined) && r.end-r.start < d.MinDuration &&
			!a.contested && !b.contested && a.pol == b.pol && a.pol != Undetermined {
			r.pol, r.contested = a.pol, false
		}
	}
	runs = mergeStretches(runs)

	var last *stretch
	lastK := 0
	for k := range runs {
		r := &runs[k]
		d.Periods = append(d.Periods, d.period(p, members, r))
		if r.contested || r.pol == Undetermined {
			continue
		}
		if last != nil && last.pol != r.pol {
			d.Shifts = append(d.Shifts, Shift{Partition: p, Time: lastZero(ls, f, last.hi, r.lo, last.end, r.start),
				From: last.pol, To: r.pol, before: lastK, after: len(d.Periods) - 1})
		}
		last, lastK = r, len(d.Periods)-1
	}
}

// mergeStretches joins neighbouring stretches in the same state.
func mergeStretches(runs []stretch) []stretch {
	out := runs[:0]
	for _, r := range runs {
		if k := len(out) - 1; k >= 0 && out[k].pol == r.pol && out[k].contested == r.contested {
			out[k].hi, out[k].end = r.hi, r.end
			continue
		}
		out = append(out, r)
	}
	return out
}

// crossAt returns where, as a fraction of the way from a to b, the
// straight line between them passes level (clamped to [0, 1]).
func crossAt(a, b, level float64) float64 {
	if a == b {
		return 0.5
	}
	return min(max((a-level)/(a-b), 0), 1)
}

// lastZero returns the time at which f last passes zero between save
// points lo and hi (the last of one dominant period, the first of the
// next), interpolated; if it never does, the middle of the time from t0
// to t1.
func lastZero(ls *LinkScores, f []float64, lo, hi int, t0, t1 float64) float64 {
	for i := hi - 1; i >= lo; i-- {
		a, b := f[i], f[i+1]
		if a == 0 && b == 0 {
			continue
		}
		if (a >= 0) != (b >= 0) || b == 0 {
			ta, tb := ls.At(i), ls.At(i+1)
			return ta + (tb-ta)*crossAt(a, b, 0)
		}
	}
	return (t0 + t1) / 2
}

// period makes the Period of the stretch r of partition p.
func (d *Dominance) period(p int, members []int, r *stretch) Period {
	pd := Period{Partition: p, Start: r.start, End: r.end, Polarity: r.pol, Contested: r.contested}
	mean := make([]float64, len(members))
	for j, k := range members {
		for i := r.lo; i <= r.hi; i++ {
			mean[j] += d.Relative[k][i]
		}
		mean[j] /= float64(r.hi - r.lo + 1)
	}
	if pd.Contested {
		sum := 0.0
		for _, m := range mean {
			sum += m
		}
		pd.Polarity = Reinforcing
		if sum < 0 {
			pd.Polarity = Balancing
		}
	}
	if pd.Polarity == Undetermined {
		return pd
	}
	sg := 1.0
	if pd.Polarity == Balancing {
		sg = -1
	}
	pd.Loops, pd.Share = d.strongest(members, mean, sg, pd.Contested)
	if pd.Contested {
		pd.Rivals, _ = d.strongest(members, mean, -sg, true)
	}
	return pd
}

// strongest returns the IDs of the smallest set of loops whose relative
// scores have sign sg, strongest first, whose shares reach 0.5 (half of
// their polarity's share, if half), and the shares' sum.
func (d *Dominance) strongest(members []int, rel []float64, sg float64, half bool) ([]string, float64) {
	var idx []int
	total := 0.0
	for j, r := range rel {
		if r*sg > 0 {
			idx = append(idx, j)
			total += math.Abs(r)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return compareFloat(math.Abs(rel[b]), math.Abs(rel[a])) })
	goal := 0.5
	if half {
		goal = total / 2
	}
	var ids []string
	share := 0.0
	for _, j := range idx {
		ids = append(ids, d.Loops[members[j]].ID)
		share += math.Abs(rel[j])
		if share >= goal {
			break
		}
	}
	return ids, share
}

// TraceOptions returns opt made for a run whose trace Analyze scores:
// with Trace set and, for Continuous scores, saving every set.Step (the
// run's dt by default), so that the scores are evaluated on the
// integration grid, whatever the model's save interval. Set may be nil.
func TraceOptions(m *model.Model, opt model.RunOptions, set *Settings) model.RunOptions {
	var st Settings
	if set != nil {
		st = *set
	}
	opt.Trace = true
	if st.Scores == Discrete {
		return opt
	}
	opt.SaveEvery = st.Step
	if opt.SaveEvery == 0 {
		opt.SaveEvery = opt.DT
	}
	if opt.SaveEvery == 0 {
		opt.SaveEvery = m.Decl.Sim.DT
	}
	return opt
}

// CheckStep returns an error if set.Step cannot be the analysis step of a
// run of m with opt: if it is not a whole multiple of the run's dt. Set
// may be nil.
func CheckStep(m *model.Model, opt model.RunOptions, set *Settings) error {
	if set == nil || set.Step == 0 {
		return nil
	}
	dt := opt.DT
	if dt == 0 {
		dt = m.Decl.Sim.DT
	}
	k := set.Step / dt
	if set.Step < 0 || math.IsNaN(k) || math.IsInf(k, 0) || math.Round(k) < 1 || math.Abs(k-math.Round(k)) > 1e-9*k {
		return fmt.Errorf("the analysis step %s is not a whole multiple of dt (%s)", jsonNum(set.Step), jsonNum(dt))
	}
	return nil
}
