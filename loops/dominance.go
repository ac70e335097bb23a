package loops

import (
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
	members := make([][]int, len(l.Partitions))
	for k, lp := range d.Loops {
		if p := lp.Partition; p >= 0 && p < len(members) {
			members[p] = append(members[p], k)
		}
	}
	d.relative(members)
	for _, s := range d.Score {
		d.Observed = append(d.Observed, observe(d.Times, s))
	}
	var dm dominator
	for p := range l.Partitions {
		dm.dominate(d, p, members[p])
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

// dominator finds dominant periods, with buffers kept from one
// partition to the next.
type dominator struct {
	pos, neg []float64
	cands    []cand
	cur, at  []int // the loops of the current period, and at a save point
}

// cand is a loop of the dominant polarity and the magnitude of its
// relative score.
type cand struct {
	k int
	r float64
}

// stronger reports whether a comes before b: a larger score, or the same
// and a smaller index.
func stronger(a, b cand) bool { return a.r > b.r || (a.r == b.r && a.k < b.k) }

// dominate finds the dominant periods and shifts of partition p, whose
// loops are members.
func (dm *dominator) dominate(d *Dominance, p int, members []int) {
	n := len(d.Times)
	if len(members) == 0 || n < 3 {
		return
	}
	// The sums of the positive and negative relative scores, added in
	// the order of the loops.
	dm.pos = append(dm.pos[:0], make([]float64, n)...)
	dm.neg = append(dm.neg[:0], make([]float64, n)...)
	for _, k := range members {
		for i, r := range d.Relative[k][2:] {
			if r > 0 {
				dm.pos[i+2] += r
			} else {
				dm.neg[i+2] -= r
			}
		}
	}
	var cur *Period
	count := 0
	for i := 2; i < n; i++ {
		pol, share := dm.dominantAt(d, members, i)
		if cur == nil || pol != cur.Polarity || !slices.Equal(dm.at, dm.cur) {
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
			var ids []string
			if len(dm.at) > 0 {
				ids = make([]string, len(dm.at))
				for j, k := range dm.at {
					ids[j] = d.Loops[k].ID
				}
			}
			cur = &Period{Partition: p, Start: start, Polarity: pol, Loops: ids}
			dm.cur = append(dm.cur[:0], dm.at...)
			count = 0
		}
		cur.End = d.Times[i]
		cur.Share += share
		count++
	}
	cur.Share /= float64(count)
	d.Periods = append(d.Periods, *cur)
}

// dominantAt returns the dominant polarity of the loops at save point i
// and the share of the smallest set of loops of that polarity whose
// relative scores reach a share of 0.5, and leaves that set in dm.at,
// strongest first. It takes the strongest loops off a heap rather than
// sorting them all.
func (dm *dominator) dominantAt(d *Dominance, members []int, i int) (Polarity, float64) {
	dm.at = dm.at[:0]
	pos, neg := dm.pos[i], dm.neg[i]
	if pos == 0 && neg == 0 {
		return Undetermined, 0
	}
	pol, sg := Reinforcing, 1.0
	if neg > pos {
		pol, sg = Balancing, -1.0
	}
	h := dm.cands[:0]
	for _, k := range members {
		if r := d.Relative[k][i]; sign(r) == sg {
			h = append(h, cand{k, math.Abs(r)})
		}
	}
	dm.cands = h
	for j := len(h)/2 - 1; j >= 0; j-- {
		siftDown(h, j)
	}
	share := 0.0
	for len(h) > 0 {
		c := h[0]
		dm.at = append(dm.at, c.k)
		share += c.r
		if share >= 0.5 {
			break
		}
		last := len(h) - 1
		h[0] = h[last]
		h = h[:last]
		siftDown(h, 0)
	}
	return pol, share
}

// siftDown restores the heap order of h (the strongest first) below j.
func siftDown(h []cand, j int) {
	for {
		c := 2*j + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && stronger(h[c+1], h[c]) {
			c++
		}
		if !stronger(h[c], h[j]) {
			return
		}
		h[j], h[c] = h[c], h[j]
		j = c
	}
}
