package loops

import (
	"cmp"
	"math"
	"slices"

	"github.com/stockflow/stockflow/model"
)

// Dominance is a Loops That Matter analysis of one run: how much each loop
// contributes to the behaviour at each save point, and which loops
// dominate when.
//
// Timing: the scores at save point i belong to the interval from
// Times[i-1] to Times[i] (see LinkScores); the scores at save points 0 and
// 1 are 0, for want of history. A change first seen in the scores at save
// point i is reported at Times[i-1], the start of that interval.
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

	trace *model.Trace
}

// Observed is the polarity a loop showed during a run: Reinforcing or
// Balancing if its score never took the other sign, else Undetermined —
// with the times its sign changed, or none if its score was always 0.
type Observed struct {
	Polarity Polarity
	Changes  []float64
}

// Period is a run of save points over which the same loops dominate a
// partition.
type Period struct {
	Partition  int
	Start, End float64
	// Polarity is the polarity whose loops' relative scores sum larger in
	// magnitude, or Undetermined when every score is 0.
	Polarity Polarity
	// Loops lists the IDs of the smallest set of loops of that polarity,
	// strongest first, whose relative scores reach a share of 0.5.
	Loops []string
	// Share is the mean over the period of those loops' summed share.
	Share float64
}

// Shift is a change of the dominant polarity of a partition.
type Shift struct {
	Partition int
	Time      float64
	From, To  Polarity
}

// Analyze computes the loop dominance of a run of l's model, from its
// trace (made with model.RunOptions.Trace; any integration method). When
// l was truncated, a strongest-path search (Eberlein and Schoenberg 2020)
// at each save point adds the loops that matter most among those not
// listed; it is a heuristic and may miss some.
func Analyze(l *List, tr *model.Trace) (*Dominance, error) {
	ls, err := ScoreLinks(l, tr)
	if err != nil {
		return nil, err
	}
	d := &Dominance{Times: tr.Times, Links: ls, Loops: l.Loops, trace: tr}
	if l.Truncated {
		d.Loops = append(slices.Clone(l.Loops), discover(l, ls)...)
	}
	if d.Score, err = loopScores(ls, d.Loops); err != nil {
		return nil, err
	}
	d.relative(len(l.Partitions))
	for _, s := range d.Score {
		d.Observed = append(d.Observed, observe(d.Times, s))
	}
	for p := range l.Partitions {
		d.dominate(p)
	}
	return d, nil
}

// relative normalises the scores within each partition.
func (d *Dominance) relative(parts int) {
	n := len(d.Times)
	d.Relative = make([][]float64, len(d.Loops))
	for k := range d.Relative {
		d.Relative[k] = make([]float64, n)
	}
	for p := range parts {
		var members []int
		for k, lp := range d.Loops {
			if lp.Partition == p {
				members = append(members, k)
			}
		}
		for i := range n {
			sum, infs := 0.0, 0
			for _, k := range members {
				s := d.Score[k][i]
				if math.IsInf(s, 0) {
					infs++
				}
				sum += math.Abs(s)
			}
			for _, k := range members {
				s := d.Score[k][i]
				switch {
				case infs > 0 && math.IsInf(s, 0):
					d.Relative[k][i] = sign(s) / float64(infs)
				case infs > 0 || sum == 0:
				default:
					d.Relative[k][i] = s / sum
				}
			}
		}
	}
}

// observe returns the polarity a score series showed.
func observe(times, s []float64) Observed {
	var o Observed
	last := 0.0
	for i := 2; i < len(s); i++ {
		sg := sign(s[i])
		if sg == 0 {
			continue
		}
		if last != 0 && sg != last {
			o.Changes = append(o.Changes, times[i-1])
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

// dominate finds the dominant periods and shifts of partition p.
func (d *Dominance) dominate(p int) {
	var members []int
	for k, lp := range d.Loops {
		if lp.Partition == p {
			members = append(members, k)
		}
	}
	n := len(d.Times)
	if len(members) == 0 || n < 3 {
		return
	}
	var cur *Period
	count := 0
	for i := 2; i < n; i++ {
		pol, ids, share := d.dominantAt(members, i)
		if cur == nil || pol != cur.Polarity || !slices.Equal(ids, cur.Loops) {
			start := d.Times[i-1]
			if cur == nil {
				start = d.Times[0]
			} else {
				cur.Share /= float64(count)
				d.Periods = append(d.Periods, *cur)
				if pol != cur.Polarity {
					d.Shifts = append(d.Shifts, Shift{Partition: p, Time: start, From: cur.Polarity, To: pol})
				}
			}
			cur = &Period{Partition: p, Start: start, Polarity: pol, Loops: ids}
			count = 0
		}
		cur.End = d.Times[i]
		cur.Share += share
		count++
	}
	cur.Share /= float64(count)
	d.Periods = append(d.Periods, *cur)
}

// dominantAt returns the dominant polarity of the loops at save point i,
// the smallest set of loops of that polarity whose relative scores reach a
// share of 0.5, strongest first, and their share.
func (d *Dominance) dominantAt(members []int, i int) (Polarity, []string, float64) {
	pos, neg := 0.0, 0.0
	for _, k := range members {
		r := d.Relative[k][i]
		if r > 0 {
			pos += r
		} else {
			neg -= r
		}
	}
	if pos == 0 && neg == 0 {
		return Undetermined, nil, 0
	}
	pol, sg := Reinforcing, 1.0
	if neg > pos {
		pol, sg = Balancing, -1.0
	}
	type cand struct {
		k int
		r float64
	}
	var cands []cand
	for _, k := range members {
		if r := d.Relative[k][i]; sign(r) == sg {
			cands = append(cands, cand{k, math.Abs(r)})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.r, a.r); c != 0 {
			return c
		}
		return a.k - b.k
	})
	var ids []string
	share := 0.0
	for _, c := range cands {
		ids = append(ids, d.Loops[c.k].ID)
		share += c.r
		if share >= 0.5 {
			break
		}
	}
	return pol, ids, share
}
