package plots

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// MaxLoopsShown bounds the loops a dominance plot draws one by one; the
// weaker ones are drawn together as "other loops". The loops the model
// names in [[loops]] entries are always drawn one by one, and when they
// fill the bound, the strongest minUnnamedShown unnamed loops beside them.
const MaxLoopsShown = 8

// minUnnamedShown is how many of the strongest unnamed loops a dominance
// plot draws beside the named ones, however many those are.
const minUnnamedShown = 3

// chooseLoops returns the loops of members a dominance plot draws one by
// one — the named loops, in the order of their [[loops]] entries, then
// the strongest unnamed ones by the peak magnitude of their relative
// score, in label order — and the rest, drawn together.
func chooseLoops(m *model.Model, d *loops.Dominance, members []int) (shown, rest []int) {
	order := map[string]int{}
	for k, en := range m.Decl.Loops {
		order[en.Name] = k
	}
	var named, unnamed []int
	for _, k := range members {
		if _, ok := order[d.Loops[k].Name]; ok && d.Loops[k].Name != "" {
			named = append(named, k)
		} else {
			unnamed = append(unnamed, k)
		}
	}
	slices.SortStableFunc(named, func(a, b int) int { return order[d.Loops[a].Name] - order[d.Loops[b].Name] })
	peak := func(k int) float64 {
		var mx float64
		for _, r := range d.Relative[k] {
			if !math.IsNaN(r) {
				mx = math.Max(mx, math.Abs(r))
			}
		}
		return mx
	}
	slices.SortStableFunc(unnamed, func(a, b int) int { return cmp.Compare(peak(b), peak(a)) })
	room := max(MaxLoopsShown-len(named), minUnnamedShown)
	if len(unnamed) <= room+1 {
		room = len(unnamed) // one more loop rather than "1 other loop"
	}
	top := slices.Clone(unnamed[:room])
	slices.Sort(top)
	return append(named, top...), unnamed[room:]
}

// loopColors returns the colour of each loop to draw, in its polarity's
// family: the named loops take the family's colours in the order of their
// [[loops]] entries, the same in every run and scenario of the model;
// each unnamed loop the colour its ID picks among those they leave, or
// the next one free, so that it keeps its colour from run to run while
// no two loops drawn share one (until a family runs out). An unnamed
// loop drawn beside another whose pick comes first may have to take the
// next free colour instead: its colour is the same in every run that
// draws the same loops.
func loopColors(m *model.Model, d *loops.Dominance, shown []int) []color.RGBA {
	out := make([]color.RGBA, len(shown))
	taken := map[loops.Polarity][]bool{loops.Reinforcing: make([]bool, familySize), loops.Balancing: make([]bool, familySize)}
	next := map[loops.Polarity]int{}
	family := func(pol loops.Polarity, k int) color.RGBA {
		if pol == loops.Balancing {
			return balancingColor(k)
		}
		return reinforcingColor(k)
	}
	order := map[string]int{}
	for k, en := range m.Decl.Loops {
		order[en.Name] = k
	}
	for j, k := range shown {
		lp := d.Loops[k]
		if _, ok := order[lp.Name]; !ok || lp.Name == "" {
			continue
		}
		pol := loopFamily(d, k)
		if pol != loops.Balancing {
			pol = loops.Reinforcing
		}
		c := next[pol] % familySize
		next[pol]++
		taken[pol][c] = true
		out[j] = family(pol, c)
	}
	// The unnamed loops in the order of their IDs, each taking the free
	// colour its ID picks, or the next free one after it.
	var unnamed []int
	for j, k := range shown {
		if lp := d.Loops[k]; lp.Name == "" || !hasKey(order, lp.Name) {
			unnamed = append(unnamed, j)
		}
	}
	slices.SortFunc(unnamed, func(a, b int) int { return strings.Compare(d.Loops[shown[a]].ID, d.Loops[shown[b]].ID) })
	for _, j := range unnamed {
		k := shown[j]
		pol := loopFamily(d, k)
		if pol != loops.Balancing {
			pol = loops.Reinforcing
		}
		h := fnv.New32a()
		h.Write([]byte(d.Loops[k].ID))
		c := int(h.Sum32() % familySize)
		for probe := 0; probe < familySize && taken[pol][c]; probe++ {
			c = (c + 1) % familySize
		}
		taken[pol][c] = true
		out[j] = family(pol, c)
	}
	return out
}

// Dominance draws the loop dominance of one cycle partition of a run
// (partition 0 is the first, holding the first listed loop): the
// relative loop scores as stacked areas, reinforcing loops in warm
// colours stacked up from zero, balancing ones in cool colours stacked
// down, so that the height above zero is the reinforcing share and the
// depth below it the balancing one; the periods each polarity dominates
// shaded behind, and the contested ones in grey; each loop named in the
// legend. The scores of save point i are drawn at d.Links.At(i).
func Dominance(m *model.Model, d *loops.Dominance, partition int) (*Figure, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	p, err := dominancePanel(m, d, partition)
	if err != nil {
		return nil, err
	}
	return &Figure{Panels: []*Panel{p}}, nil
}

// loopFamily returns the polarity a loop is coloured by: its structural
// polarity, else the one it showed, else the sign of its mean score.
func loopFamily(d *loops.Dominance, k int) loops.Polarity {
	lp := d.Loops[k]
	if lp.Polarity == loops.Reinforcing || lp.Polarity == loops.Balancing {
		return lp.Polarity
	}
	if k < len(d.Observed) {
		if o := d.Observed[k].Polarity; o == loops.Reinforcing || o == loops.Balancing {
			return o
		}
	}
	var sum float64
	for _, r := range d.Relative[k] {
		sum += r
	}
	if sum < 0 {
		return loops.Balancing
	}
	return loops.Reinforcing
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// loopLabel names a loop for a legend: "L1 growth (R)", with its full
// name, or its path, shortened, when it has no name.
func loopLabel(lp *loops.Loop, pol loops.Polarity) string {
	name := lp.Name
	if name == "" {
		name = strings.Join(lp.Vars, " → ")
		if r := []rune(name); len(r) > 36 {
			name = string(r[:35]) + "…"
		}
	}
	return fmt.Sprintf("%s %s (%s)", lp.Label, name, pol)
}

func dominancePanel(m *model.Model, d *loops.Dominance, partition int) (*Panel, error) {
	if err := checkDominance(d); err != nil {
		return nil, err
	}
	n := len(d.Times)
	p := &Panel{
		Title:  "Loop dominance: relative loop scores",
		XLabel: timeLabel(m),
		YLabel: "relative loop score (R up, B down)",
		Y:      Range{-1.05, 1.05},
	}
	if n > 0 {
		p.X = Range{d.Times[0], d.Times[n-1]}
	}
	var members []int
	for k, lp := range d.Loops {
		if lp.Partition == partition {
			members = append(members, k)
		}
	}
	if len(members) == 0 || n < 3 {
		p.Title += " (no feedback loops)"
		p.HRules = []Rule{{At: 0, Color: hex(ruleGrey)}}
		return p, nil
	}
	shown, rest := chooseLoops(m, d, members)
	colors := loopColors(m, d, shown)
	// The scores of save point i sit at scoreTime(d, i), from the first
	// save point with scores.
	first := scoredFrom(d)
	xs := make([]float64, 0, n-first)
	for i := first; i < n; i++ {
		xs = append(xs, scoreTime(d, i))
	}
	pos := make([]float64, len(xs))
	neg := make([]float64, len(xs))
	band := func(label string, c color.Color, rel func(i int) float64) {
		upLo, upHi := make([]float64, len(xs)), make([]float64, len(xs))
		dnLo, dnHi := make([]float64, len(xs)), make([]float64, len(xs))
		var up, down bool
		for i := range xs {
			r := rel(i + first)
			if math.IsNaN(r) {
				r = 0
			}
			upLo[i], dnHi[i] = pos[i], neg[i]
			if r > 0 {
				pos[i] += r
				up = true
			} else if r < 0 {
				neg[i] += r
				down = true
			}
			upHi[i], dnLo[i] = pos[i], neg[i]
		}
		if up {
			p.Areas = append(p.Areas, Area{Label: label, X: xs, Lo: upLo, Hi: upHi, Color: c})
			label = ""
		}
		if down {
			p.Areas = append(p.Areas, Area{Label: label, X: xs, Lo: dnLo, Hi: dnHi, Color: c})
		}
		if !up && !down {
			// A loop scored zero throughout (cut, or switched off by a
			// param) keeps its place in the legend, with a band of no
			// height.
			p.Areas = append(p.Areas, Area{Label: label, X: xs, Lo: upLo, Hi: upHi, Color: c})
		}
	}
	for j, k := range shown {
		band(loopLabel(d.Loops[k], loopFamily(d, k)), alpha(colors[j], 220), func(i int) float64 { return d.Relative[k][i] })
	}
	if len(rest) > 0 {
		band(fmt.Sprintf("%d other loops", len(rest)), alpha(hex(otherGrey), 220), func(i int) float64 {
			var s float64
			for _, k := range rest {
				s += d.Relative[k][i]
			}
			return s
		})
	}
	for _, pd := range loops.DominantPeriods(d, partition) {
		switch {
		case pd.Contested:
			p.Spans = append(p.Spans, Span{Label: "contested", From: pd.Start, To: pd.End, Color: contestedShade()})
		case pd.Polarity == loops.Reinforcing:
			p.Spans = append(p.Spans, Span{Label: "R dominant", From: pd.Start, To: pd.End, Color: warmShade()})
		case pd.Polarity == loops.Balancing:
			p.Spans = append(p.Spans, Span{Label: "B dominant", From: pd.Start, To: pd.End, Color: coolShade()})
		}
	}
	p.HRules = []Rule{{At: 0, Color: hex(ruleGrey)}}
	return p, nil
}

// Stability draws the linear stability of a run: the largest real part
// of the Jacobian's eigenvalues over time (conserved totals' zeros left
// out), the zero line, the amplifying (above zero) and damping (below)
// periods shaded, and each sign change marked with its time.
func Stability(m *model.Model, st *loops.Stability) (*Figure, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	p, err := stabilityPanel(m, st, true)
	if err != nil {
		return nil, err
	}
	headroom(p)
	return &Figure{Panels: []*Panel{p}}, nil
}

func stabilityPanel(m *model.Model, st *loops.Stability, labels bool) (*Panel, error) {
	if err := checkStability(st); err != nil {
		return nil, err
	}
	n := len(st.Times)
	u := timeUnits(m)
	yl := "largest Re λ"
	if u != "" {
		yl += " (1/" + u + ")"
	}
	p := &Panel{
		Title:  "Linear stability: largest real part of the Jacobian's eigenvalues",
		XLabel: timeLabel(m),
		YLabel: yl,
		X:      Range{st.Times[0], st.Times[n-1]},
		Lines:  []Line{{Label: "largest Re λ", X: st.Times, Y: st.MaxReal, Color: hex(crossingBlack)}},
		HRules: []Rule{{At: 0, Color: hex(ruleGrey)}},
	}
	if len(st.Conserved) > 0 {
		p.Title = "Linear stability (conserved " + strings.Join(st.Conserved, "; ") + " left out)"
	}
	lo, hi := extent(st.MaxReal)
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if math.IsNaN(lo) {
		lo, hi = -1, 1
	}
	p.Y = padded(lo, hi)
	// Shade the regimes between sign changes.
	first := loops.Neutral
	for _, r := range st.Regimes {
		if r != loops.Neutral {
			first = r
			break
		}
	}
	start, cur := st.Times[0], first
	addSpan := func(from, to float64, r loops.Regime) {
		switch r {
		case loops.Amplifying:
			p.Spans = append(p.Spans, Span{Label: "amplifying", From: from, To: to, Color: warmShade()})
		case loops.Damping:
			p.Spans = append(p.Spans, Span{Label: "damping", From: from, To: to, Color: coolShade()})
		}
	}
	for _, sc := range st.SignChanges {
		addSpan(start, sc.Time, cur)
		start, cur = sc.Time, sc.To
		label := ""
		if labels {
			label = "t = " + fmtTime(sc.Time)
		}
		p.VRules = append(p.VRules, Rule{At: sc.Time, Label: label, Color: hex(ruleGrey), Dashed: true})
	}
	addSpan(start, st.Times[n-1], cur)
	return p, nil
}

// scoreTime returns the time the scores of save point i are placed at:
// d.Links.At(i), or Times[i] for an analysis made without link scores.
func scoreTime(d *loops.Dominance, i int) float64 {
	if d.Links == nil {
		return d.Times[i]
	}
	return d.Links.At(i)
}

// scoredFrom returns the first save point with loop scores: 0 for
// continuous scores, 2 for discrete ones.
func scoredFrom(d *loops.Dominance) int {
	if d.Links != nil && d.Links.Method == loops.Discrete {
		return min(2, len(d.Times))
	}
	return 0
}
