package loops

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"github.com/stockflow/stockflow/model"
)

// Regime is the local behaviour of a run at one time, from the sign of the
// largest real part of the Jacobian's eigenvalues.
type Regime int

// Regimes.
const (
	Neutral    Regime = iota // the largest real part is zero (within the tolerance) or unknown
	Amplifying               // it is positive: small deviations grow
	Damping                  // it is negative: small deviations die out
)

// String returns "neutral", "amplifying" or "damping".
func (r Regime) String() string {
	switch r {
	case Amplifying:
		return "amplifying"
	case Damping:
		return "damping"
	}
	return "neutral"
}

// MarshalText returns the regime's name, for JSON.
func (r Regime) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// StabilitySettings adjusts AnalyzeStability. The zero value (or nil) is
// ready to use.
type StabilitySettings struct {
	// Step is the relative finite-difference step: each stock is moved by
	// Step times its scale (its magnitude at that time, but at least a
	// thousandth of its largest magnitude over the run) either way, for a
	// central difference. Zero means 6e-6.
	Step float64
	// Tol is the relative tolerance of the sign test: a largest real part
	// whose magnitude is at most Tol times the largest eigenvalue modulus
	// seen over the run counts as zero (Neutral). Zero means 1e-6.
	Tol float64
	// Workers bounds the goroutines that evaluate save points in parallel.
	// Zero means GOMAXPROCS.
	Workers int
}

// Stability is the linear stability of a run along its trajectory: at each
// save point, the eigenvalues of the Jacobian ∂f/∂y of the stocks' rates of
// change f(t, y), and the largest real part among them.
//
// Eigenvalues that are zero by construction — one for each conserved
// total, a combination of stocks that the flows only move between (as
// S + I + R in an SIR model), or a stock that no flow changes — are found
// from the stock-and-flow structure, checked against the rates along the
// run, and left out: Eigenvalues and MaxReal are those of the Jacobian
// restricted to the directions the flows can move the state in.
type Stability struct {
	// Stocks names the state variables, in the order of the Jacobian's
	// rows and columns (model.Trace.Stocks).
	Stocks []string
	// Conserved lists the conserved totals whose zero eigenvalues are
	// left out, e.g. "susceptible + infectious + recovered".
	Conserved []string
	// Times holds the save points.
	Times []float64
	// MaxReal holds the largest real part of the eigenvalues at each save
	// point: positive when the run is locally amplifying, negative when it
	// is damping. It is NaN where the rates could not be differentiated,
	// or where no eigenvalue is left.
	MaxReal []float64
	// Eigenvalues holds the eigenvalues at each save point, the conserved
	// totals' zeros left out, sorted by decreasing real part.
	Eigenvalues [][]complex128
	// Regimes classifies each save point by the sign of MaxReal.
	Regimes []Regime
	// SignChanges lists the times the largest real part changes sign, in
	// time order.
	SignChanges []SignChange
}

// SignChange is a time at which the largest real part of the eigenvalues
// changes sign, located by linear interpolation between the save points
// on either side (Neutral stretches in between are passed over).
type SignChange struct {
	Time     float64 `json:"time"`
	From, To Regime  `json:"-"`
}

// MarshalJSON writes {"time": t, "from": "amplifying", "to": "damping"}.
func (s SignChange) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"time":%s,"from":%q,"to":%q}`, jsonNum(s.Time), s.From, s.To), nil
}

// RegimeAt returns the regime at time t, from the sign of MaxReal
// interpolated linearly between save points (Neutral outside the run or
// where MaxReal is unknown).
func (s *Stability) RegimeAt(t float64) Regime {
	n := len(s.Times)
	if n == 0 || t < s.Times[0] || t > s.Times[n-1] || math.IsNaN(t) {
		return Neutral
	}
	i, found := slices.BinarySearch(s.Times, t)
	if found || i == 0 {
		return s.Regimes[i]
	}
	a, b := s.MaxReal[i-1], s.MaxReal[i]
	x := a + (b-a)*(t-s.Times[i-1])/(s.Times[i]-s.Times[i-1])
	switch {
	case math.IsNaN(x):
		return Neutral
	case s.Regimes[i-1] == s.Regimes[i]:
		return s.Regimes[i]
	case x > 0:
		return Amplifying
	case x < 0:
		return Damping
	}
	return Neutral
}

// AnalyzeStability computes the linear stability of a traced run (one made
// with model.RunOptions.Trace) at each of its save points, differentiating
// Trace.Rates by central finite differences (gonum diff/fd) and taking
// eigenvalues with gonum mat.Eigen. Settings may be nil.
func AnalyzeStability(tr *model.Trace, settings *StabilitySettings) (*Stability, error) {
	if tr == nil {
		return nil, errors.New("stability analysis needs a trace: run the model with RunOptions.Trace")
	}
	set, err := settings.resolve()
	if err != nil {
		return nil, err
	}
	stocks := tr.Stocks()
	n, times := len(stocks), tr.Len()
	st := &Stability{
		Stocks:      stocks,
		Times:       append([]float64(nil), tr.Times...),
		MaxReal:     make([]float64, times),
		Eigenvalues: make([][]complex128, times),
		Regimes:     make([]Regime, times),
	}
	if n == 0 || times == 0 {
		for i := range st.MaxReal {
			st.MaxReal[i] = math.NaN()
		}
		return st, nil
	}
	states, floor, err := stateScales(tr, times, n)
	if err != nil {
		return nil, err
	}
	basis, conserved, err := conservedTotals(tr, stocks, states)
	if err != nil {
		return nil, err
	}
	st.Conserved = conserved
	if err := st.eigenvalues(tr, set, states, floor, basis); err != nil {
		return nil, err
	}
	st.classify(set.Tol)
	return st, nil
}

// resolve returns the settings with their defaults filled in, or an
// error for a negative one; s may be nil.
func (s *StabilitySettings) resolve() (StabilitySettings, error) {
	var set StabilitySettings
	if s != nil {
		set = *s
	}
	if set.Step == 0 {
		set.Step = fd.Central.Step
	}
	if set.Tol == 0 {
		set.Tol = 1e-6
	}
	if set.Step < 0 || set.Tol < 0 || set.Workers < 0 || math.IsNaN(set.Step+set.Tol) {
		return set, fmt.Errorf("stability settings must not be negative")
	}
	if set.Workers == 0 {
		set.Workers = runtime.GOMAXPROCS(0)
	}
	return set, nil
}

// stateScales returns the state at each save point, and per stock the
// least scale its differences are taken on: a thousandth of its largest
// magnitude over the run (1 when that is 0 or not finite), so that a
// stock at zero still moves.
func stateScales(tr *model.Trace, times, n int) (states [][]float64, floor []float64, err error) {
	states = make([][]float64, times)
	floor = make([]float64, n)
	for i := range states {
		y, err := tr.State(i)
		if err != nil {
			return nil, nil, err
		}
		states[i] = y
		for j, x := range y {
			floor[j] = math.Max(floor[j], 1e-3*math.Abs(x))
		}
	}
	for j := range floor {
		if floor[j] == 0 || math.IsNaN(floor[j]) || math.IsInf(floor[j], 0) {
			floor[j] = 1
		}
	}
	return states, floor, nil
}

// eigenvalues sets the eigenvalues of the Jacobian at each save point,
// and the largest real part, on set.Workers goroutines, each taking every
// w-th save point. With a basis (conserved totals), the Jacobian is
// taken on the range of the flows, Q^T J Q.
func (st *Stability) eigenvalues(tr *model.Trace, set StabilitySettings, states [][]float64, floor []float64, basis *mat.Dense) error {
	n, times := len(st.Stocks), len(states)
	var wg workGroup
	errs := make([]error, set.Workers)
	for w := range set.Workers {
		wg.Go(func() {
			jac := mat.NewDense(n, n, nil)
			var red mat.Dense
			var eig mat.Eigen
			scale := make([]float64, n)
			z := make([]float64, n)
			y := make([]float64, n)
			for i := w; i < times; i += set.Workers {
				for j, x := range states[i] {
					scale[j] = math.Max(math.Abs(x), floor[j])
					z[j] = x / scale[j]
				}
				// g(z) = f(scale·z), so ∂f/∂y_j = ∂g/∂z_j / scale_j.
				var rerr error
				g := func(dy, z []float64) {
					for j := range z {
						y[j] = z[j] * scale[j]
					}
					if err := tr.Rates(i, y, dy); err != nil && rerr == nil {
						rerr = err
					}
				}
				fd.Jacobian(jac, g, z, &fd.JacobianSettings{Formula: fd.Central, Step: set.Step})
				if rerr != nil {
					errs[w] = rerr
					return
				}
				finite := true
				for r := range n {
					for c := range n {
						v := jac.At(r, c) / scale[c]
						jac.Set(r, c, v)
						finite = finite && !math.IsNaN(v) && !math.IsInf(v, 0)
					}
				}
				st.MaxReal[i] = math.NaN()
				if !finite {
					continue
				}
				var a mat.Matrix = jac
				if basis != nil {
					// Q^T J Q: the Jacobian on the range of the flows.
					if basis.IsEmpty() {
						continue
					}
					var jq mat.Dense
					jq.Mul(jac, basis)
					red.Reset()
					red.Mul(basis.T(), &jq)
					a = &red
				}
				if !eig.Factorize(a, mat.EigenNone) {
					continue
				}
				vals := eig.Values(nil)
				slices.SortFunc(vals, func(a, b complex128) int {
					if c := -compareFloat(real(a), real(b)); c != 0 {
						return c
					}
					return compareFloat(imag(a), imag(b))
				})
				st.Eigenvalues[i] = vals
				st.MaxReal[i] = real(vals[0])
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// classify sets Regimes and SignChanges from MaxReal.
func (st *Stability) classify(tol float64) {
	var big float64
	for _, vals := range st.Eigenvalues {
		for _, v := range vals {
			if m := math.Hypot(real(v), imag(v)); m > big {
				big = m
			}
		}
	}
	zero := tol * big
	last := -1 // the last save point with a sign
	for i, x := range st.MaxReal {
		switch {
		case x > zero:
			st.Regimes[i] = Amplifying
		case x < -zero:
			st.Regimes[i] = Damping
		default:
			st.Regimes[i] = Neutral
			continue
		}
		if last >= 0 && st.Regimes[last] != st.Regimes[i] {
			a, b := st.MaxReal[last], x
			t0, t1 := st.Times[last], st.Times[i]
			st.SignChanges = append(st.SignChanges, SignChange{
				Time: t0 + (t1-t0)*a/(a-b),
				From: st.Regimes[last],
				To:   st.Regimes[i],
			})
		}
		last = i
	}
}

// conservedTotals finds the combinations c of stocks that the flows only
// move between: c·N = 0 for the stock-by-flow incidence matrix N (+1 for
// an inflow, −1 for an outflow), so that c·f(y) = 0 whatever the state
// and the Jacobian has a zero eigenvalue for each. It returns an
// orthonormal basis of the range of N (the directions the flows can move
// the state in; nil when nothing is conserved, empty when everything is)
// and the totals, named.
// Totals the rates along the run contradict (the rates are not the sum of
// the flows) are not trusted: then nothing is left out.
func conservedTotals(tr *model.Trace, stocks []string, states [][]float64) (*mat.Dense, []string, error) {
	n := len(stocks)
	row := make(map[string]int, n)
	for i, s := range stocks {
		row[s] = i
	}
	g := tr.Model().Graph()
	col := map[string]int{}
	type entry struct{ r, c, sign int }
	var entries []entry
	for _, e := range g.Edges {
		r, ok := row[e.To]
		if !ok || e.Sign == 0 {
			continue
		}
		c, ok := col[e.From]
		if !ok {
			c = len(col)
			col[e.From] = c
		}
		entries = append(entries, entry{r, c, e.Sign})
	}
	nf := len(col)
	var rank int
	var u mat.Dense
	if nf > 0 {
		inc := mat.NewDense(n, nf, nil)
		for _, e := range entries {
			inc.Set(e.r, e.c, inc.At(e.r, e.c)+float64(e.sign))
		}
		var svd mat.SVD
		if !svd.Factorize(inc, mat.SVDFullU) {
			return nil, nil, errors.New("stability: cannot factorize the stock-flow incidence matrix")
		}
		rank = svd.Rank(1e-10)
		svd.UTo(&u)
	} else {
		u.CloneFrom(eye(n))
	}
	if rank == n {
		return nil, nil, nil
	}
	k := n - rank
	null := mat.DenseCopyOf(u.Slice(0, n, rank, n)) // n×k, columns span the totals

	// Check: c·f(y) must vanish along the run.
	dy := make([]float64, n)
	for i, y := range states {
		if err := tr.Rates(i, y, dy); err != nil {
			return nil, nil, err
		}
		norm := mat.Norm(mat.NewVecDense(n, dy), 2)
		for c := range k {
			dot := mat.Dot(null.ColView(c), mat.NewVecDense(n, dy))
			if math.Abs(dot) > 1e-8*norm+1e-300 && !math.IsNaN(norm) {
				return nil, nil, nil
			}
		}
	}
	if rank == 0 {
		// Every direction is conserved: no eigenvalue is left.
		return &mat.Dense{}, nameTotals(null, stocks), nil
	}
	return mat.DenseCopyOf(u.Slice(0, n, 0, rank)), nameTotals(null, stocks), nil
}

func eye(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := range n {
		m.Set(i, i, 1)
	}
	return m
}

// nameTotals turns the columns of null (n×k, spanning the conserved
// totals) into readable sums: reduced row echelon form, scaled to small
// whole coefficients where it can be.
func nameTotals(null *mat.Dense, stocks []string) []string {
	n, k := null.Dims()
	a := make([][]float64, k)
	for c := range k {
		a[c] = make([]float64, n)
		for r := range n {
			a[c][r] = null.At(r, c)
		}
	}
	// Gauss–Jordan with partial pivoting over the columns.
	row := 0
	for col := 0; col < n && row < k; col++ {
		p := row
		for r := row + 1; r < k; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		if math.Abs(a[p][col]) < 1e-9 {
			continue
		}
		a[row], a[p] = a[p], a[row]
		piv := a[row][col]
		for j := range a[row] {
			a[row][j] /= piv
		}
		for r := range k {
			if r != row && a[r][col] != 0 {
				f := a[r][col]
				for j := range a[r] {
					a[r][j] -= f * a[row][j]
				}
			}
		}
		row++
	}
	names := make([]string, 0, k)
	for _, v := range a {
		names = append(names, formatTotal(v, stocks))
	}
	slices.Sort(names)
	return names
}

// formatTotal writes a combination of stocks as "a + b - 2 c".
func formatTotal(v []float64, stocks []string) string {
	// Scale to whole numbers when a small multiplier does it.
	mult := 1.0
	for m := 1.0; m <= 12; m++ {
		ok := true
		for _, x := range v {
			if y := x * m; math.Abs(y-math.Round(y)) > 1e-6 {
				ok = false
				break
			}
		}
		if ok {
			mult = m
			break
		}
	}
	var b strings.Builder
	for j, x := range v {
		x *= mult
		if math.Abs(x) < 1e-9 {
			continue
		}
		switch {
		case b.Len() == 0 && x < 0:
			b.WriteString("-")
		case b.Len() > 0 && x < 0:
			b.WriteString(" - ")
		case b.Len() > 0:
			b.WriteString(" + ")
		}
		if a := math.Abs(x); math.Abs(a-1) > 1e-9 {
			b.WriteString(strconv.FormatFloat(math.Round(a*1e6)/1e6, 'g', -1, 64))
			b.WriteString(" ")
		}
		b.WriteString(stocks[j])
	}
	return b.String()
}

// jsonNum formats a number for JSON, with null for NaN and infinities.
func jsonNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "null"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
