package vm

import (
	"math"
	"slices"
)

// Vector functions. Arrays are expanded into one scalar variable per
// element, so a function of a whole vector (an allocation, a rank, a
// matrix inverse) is called once per element of its result, each call
// naming every element of its arguments. One instruction, OpFunc, runs
// such a call: dst = CallFunc(v, b, v[a]), where a holds the position k
// of the element wanted and b is the first slot of the call's record.
//
// The record lives in the slots themselves, as constants the compiler
// writes (package compile, vecfuncs.go), each a whole number held
// exactly by a float64:
//
//	b+0  the function (a Func)
//	b+1  m, the number of arguments
//	b+2  n, the number of results
//	b+3  the first slot of the call's cache, or 0 for none
//	b+4  the number of scratch slots
//	b+5… the slots of the m arguments
//
// The cache holds a flag (not 0 once filled), a copy of the m arguments
// the results were computed from, the n results, and the scratch the
// computation works in. The calls for the elements of one result share
// one record and one cache: the first computes every result, the others
// find their arguments unchanged (compared bit for bit) and read theirs,
// so a time step solves an allocation once, not once per element, and
// allocates nothing. A run's slots are its own, so concurrent runs share
// nothing but the program.

// Func is a vector function, the first field of an OpFunc record.
type Func int

// The vector functions. Each says how its arguments are laid out.
const (
	// FuncElement: x_k for arguments x_0 … x_{m-1}, NaN when k is not
	// one of 0 … m-1 (VECTOR REORDER, VECTOR ELM MAP).
	FuncElement Func = iota + 1
	// FuncAllocAvail: avail, then per requester its request q and its
	// priority profile (type, priority, width, extra); result k is
	// requester k's allocation (ALLOCATE AVAILABLE).
	FuncAllocAvail
	// FuncAllocPriority: width, supply, then per requester its request
	// and priority (ALLOCATE BY PRIORITY).
	FuncAllocPriority
	// FuncRank: direction, then x_0 … x_{n-1}; result k is the rank,
	// from 1, of x_k (VECTOR RANK).
	FuncRank
	// FuncSortOrder: as FuncRank; result k is the position, from 0, of
	// the element that sorts k-th (VECTOR SORT ORDER).
	FuncSortOrder
	// FuncSelect: action, missing, then per element its selection s and
	// value x; one result (VECTOR SELECT).
	FuncSelect
	// FuncInvert: the n×n entries of a matrix, row by row; result k is
	// entry k of its inverse (INVERT MATRIX).
	FuncInvert
	// FuncMarketPrice: nd, the number of demanders, then per demander
	// its quantity and profile (type, priority, width, extra), then per
	// supplier the same; one result, the price at which demand and
	// supply are equal (FIND MARKET PRICE).
	FuncMarketPrice
	// FuncDemandAtPrice: quantity, profile type, priority, width and
	// price; one result, the quantity demanded at that price (DEMAND AT
	// PRICE).
	FuncDemandAtPrice
	// FuncSupplyAtPrice: as FuncDemandAtPrice; the quantity supplied
	// (SUPPLY AT PRICE).
	FuncSupplyAtPrice
)

// Single reports whether fn gives one result and takes no position of a
// result: its call names only its arguments.
func Single(fn Func) bool {
	switch fn {
	case FuncSelect, FuncMarketPrice, FuncDemandAtPrice, FuncSupplyAtPrice:
		return true
	}
	return false
}

// Record fields of an OpFunc call.
const (
	RecFunc = iota
	RecArgs
	RecResults
	RecCache
	RecScratch
	RecSlots // the first argument's slot
)

// CallFunc runs the vector function whose record starts at slot b and
// returns its result k.
func CallFunc(v []float64, b int32, k float64) float64 {
	fn := Func(v[b+RecFunc])
	m := int(v[b+RecArgs])
	args := v[b+RecSlots : int(b)+RecSlots+m]
	switch fn {
	case FuncElement:
		if !(k >= 0 && k < float64(m)) || k != math.Trunc(k) {
			return math.NaN()
		}
		return v[int(args[int(k)])]
	case FuncSelect:
		return vectorSelect(v, args)
	case FuncMarketPrice:
		return marketPrice(v, args)
	case FuncDemandAtPrice, FuncSupplyAtPrice:
		return atPrice(v[int(args[0])], v[int(args[1])], v[int(args[2])], v[int(args[3])], v[int(args[4])], fn == FuncSupplyAtPrice)
	}
	n := int(v[b+RecResults])
	c := int(v[b+RecCache])
	in := v[c+1 : c+1+m]
	out := v[c+1+m : c+1+m+n]
	scratch := v[c+1+m+n : c+1+m+n+int(v[b+RecScratch])]
	fresh := v[c] != 0
	for j, s := range args {
		x := v[int(s)]
		if math.Float64bits(x) != math.Float64bits(in[j]) {
			fresh = false
			in[j] = x
		}
	}
	if !fresh {
		switch fn {
		case FuncAllocAvail:
			allocateAvailable(in[0], in[1:], out)
		case FuncAllocPriority:
			allocateByPriority(in[0], in[1], in[2:], out)
		case FuncRank, FuncSortOrder:
			rankOrder(fn, in[0], in[1:], out, scratch)
		case FuncInvert:
			invert(in, out, scratch)
		}
		v[c] = 1
	}
	if !(k >= 0 && k < float64(n)) || k != math.Trunc(k) {
		return math.NaN()
	}
	return out[int(k)]
}

// FuncSizes returns how many results and scratch slots fn needs for m
// arguments, and whether it caches them; ok is false when m does not fit
// fn's layout.
func FuncSizes(fn Func, m int) (results, scratch int, cached, ok bool) {
	switch fn {
	case FuncElement:
		return 0, 0, false, m >= 1
	case FuncSelect:
		return 1, 0, false, m >= 2 && m%2 == 0
	case FuncMarketPrice:
		return 1, 0, false, m >= 1 && (m-1)%5 == 0
	case FuncDemandAtPrice, FuncSupplyAtPrice:
		return 1, 0, false, m == 5
	case FuncAllocAvail:
		return (m - 1) / 5, 0, true, m >= 1 && (m-1)%5 == 0
	case FuncAllocPriority:
		return (m - 2) / 2, 0, true, m >= 2 && m%2 == 0
	case FuncRank, FuncSortOrder:
		return m - 1, m - 1, true, m >= 1
	case FuncInvert:
		n := int(math.Sqrt(float64(m)))
		return m, m, true, n*n == m
	}
	return 0, 0, false, false
}

// vectorSelect is VECTOR SELECT over the pairs (s_j, x_j) of args (slots)
// after the action and the missing value: over the pairs whose s is not
// 0, action 0 Σ s·x, 1 Π s·x, 2 min s·x, 3 max s·x, 4 the mean of s·x,
// 5 Π x^s, and 6 to 10 the sum, product, min, max and mean of x itself;
// missing when no s is non-zero, NaN for any other action.
func vectorSelect(v []float64, args []float64) float64 {
	action := v[int(args[0])]
	missing := v[int(args[1])]
	if action != math.Trunc(action) || action < 0 || action > 10 {
		return math.NaN()
	}
	act := int(action)
	plain := act >= 6
	if plain {
		act -= 6
	}
	var acc float64
	switch act {
	case 1, 5:
		acc = 1
	case 2:
		acc = math.Inf(1)
	case 3:
		acc = math.Inf(-1)
	}
	count := 0
	for j := 2; j+1 < len(args); j += 2 {
		s, x := v[int(args[j])], v[int(args[j+1])]
		if s == 0 {
			continue
		}
		count++
		y := s * x
		switch {
		case plain:
			y = x
		case act == 5:
			y = math.Pow(x, s)
		}
		switch act {
		case 0, 4:
			acc += y
		case 1, 5:
			acc *= y
		case 2:
			acc = Min(acc, y)
		case 3:
			acc = Max(acc, y)
		}
	}
	if count == 0 {
		return missing
	}
	if act == 4 {
		acc /= float64(count)
	}
	return acc
}

// rankOrder fills out with VECTOR RANK (fn FuncRank: the rank, from 1, of
// each x) or VECTOR SORT ORDER (the position, from 0, of the element that
// sorts k-th), ascending when dir is not 0, else descending; equal values
// keep the order of their elements in both directions. order (n slots)
// is scratch.
func rankOrder(fn Func, dir float64, xs, out, order []float64) {
	for i := range order {
		order[i] = float64(i)
	}
	asc := dir != 0
	slices.SortStableFunc(order, func(a, b float64) int {
		x, y := xs[int(a)], xs[int(b)]
		if !asc {
			x, y = y, x
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	if fn == FuncSortOrder {
		copy(out, order)
		return
	}
	for r, i := range order {
		out[int(i)] = float64(r + 1)
	}
}

// invert sets out to the inverse of the n×n matrix a (row by row) by
// Gauss-Jordan elimination with partial pivoting, working in w (n×n
// slots); a singular matrix, or one with a NaN, gives NaN everywhere.
func invert(a, out, w []float64) {
	n := int(math.Sqrt(float64(len(a))))
	copy(w, a)
	for i := range out {
		out[i] = 0
	}
	for i := range n {
		out[i*n+i] = 1
	}
	for col := range n {
		p, best := -1, 0.0
		for r := col; r < n; r++ {
			if x := math.Abs(w[r*n+col]); x > best {
				p, best = r, x
			}
		}
		if p < 0 {
			for i := range out {
				out[i] = math.NaN()
			}
			return
		}
		if p != col {
			for j := range n {
				w[p*n+j], w[col*n+j] = w[col*n+j], w[p*n+j]
				out[p*n+j], out[col*n+j] = out[col*n+j], out[p*n+j]
			}
		}
		d := w[col*n+col]
		for j := range n {
			w[col*n+j] /= d
			out[col*n+j] /= d
		}
		for r := range n {
			if r == col {
				continue
			}
			f := w[r*n+col]
			if f == 0 {
				continue
			}
			for j := range n {
				w[r*n+j] -= f * w[col*n+j]
				out[r*n+j] -= f * out[col*n+j]
			}
		}
	}
}

// The priority profiles of ALLOCATE AVAILABLE, by their type (the first
// of the four profile values).
const (
	profileRect   = 1 // a uniform distribution of priority over [p − w/2, p + w/2]
	profileTri    = 2 // a triangular one over the same interval
	profileNormal = 3 // a normal one, mean p and standard deviation w
	profileExp    = 4 // a Laplace one, centre p and scale w
)

// share returns the fraction of its request a requester whose profile has
// type t, priority p and width w receives at the clearing priority x: the
// probability that its distribution's priority lies above x.
func share(t, p, w, x float64) float64 {
	switch t {
	case profileRect:
		switch {
		case x <= p-w/2:
			return 1
		case x >= p+w/2:
			return 0
		}
		return (p + w/2 - x) / w
	case profileTri:
		switch {
		case x <= p-w/2:
			return 1
		case x < p:
			d := x - p + w/2
			return 1 - 2*d*d/(w*w)
		case x < p+w/2:
			d := p + w/2 - x
			return 2 * d * d / (w * w)
		}
		return 0
	case profileNormal:
		return normalAbove((x - p) / w)
	case profileExp:
		if x < p {
			return 1 - 0.5*math.Exp((x-p)/w)
		}
		return 0.5 * math.Exp((p-x)/w)
	}
	return math.NaN()
}

// normalAbove returns the probability that a standard normal variable
// lies above z, as Vensim computes it for its normal profiles: with the
// three-term approximation of Abramowitz and Stegun (Handbook of
// Mathematical Functions, 1964, formula 26.2.16), whose error is about
// 1e-5 (1.15e-5 at most). Vensim's values in SDEverywhere's allocate, allocate_price and
// allocate_normal_width models follow it to their six digits where the
// exact tail differs in the third (0.00982624 at z = 7/3, where the
// exact value is 0.00981533).
func normalAbove(z float64) float64 {
	if z < 0 {
		return 1 - normalAbove(-z)
	}
	t := 1 / (1 + 0.33267*z)
	return math.Exp(-z*z/2) / math.Sqrt(2*math.Pi) * t * (0.4361836 + t*(-0.1201676+t*0.9372980))
}

// reach returns how far from its priority, in widths, a profile of type t
// gives a share other than 0 or 1 in float64.
func reach(t float64) float64 {
	switch t {
	case profileNormal:
		return 40 // erfc(40/√2) underflows
	case profileExp:
		return 750 // exp(−750) underflows
	}
	return 0.5
}

// allocateAvailable fills out with ALLOCATE AVAILABLE of avail among the
// requesters in pp, five values each: request, profile type, priority,
// width and extra (see allocate).
func allocateAvailable(avail float64, pp, out []float64) {
	allocate(avail, out, func(i int) (q, t, p, w float64) {
		return pp[5*i], pp[5*i+1], pp[5*i+2], pp[5*i+3]
	})
}

// allocateByPriority fills out with ALLOCATE BY PRIORITY of supply among
// the requesters in qp, request and priority each: ALLOCATE AVAILABLE
// with a rectangular profile of the given width for each requester.
func allocateByPriority(width, supply float64, qp, out []float64) {
	allocate(supply, out, func(i int) (q, t, p, w float64) {
		return qp[2*i], profileRect, qp[2*i+1], width
	})
}

// allocate fills out with the shares of avail among len(out) requesters,
// req(i) giving the i-th one's request, profile type, priority and width.
// When avail covers every request each gets its request; otherwise it
// finds by bisection the clearing priority x at which the requests times
// their shares (share) add up to avail, and each gets its request times
// its share at x. When every profile is fixed (type 0, a request that
// does not depend on priority) each gets the same fraction of its
// request, avail over their total, as Vensim gives in SDEverywhere's
// allocate and allocate_ptype models. A request that is not positive
// gets 0; a profile type other than 0 to 4, fixed profiles mixed with
// others, or a width that is not positive (but for a fixed profile)
// makes every result NaN.
func allocate(avail float64, out []float64, req func(i int) (q, t, p, w float64)) {
	n := len(out)
	total := 0.0
	fixed := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range n {
		q, t, p, w := req(i)
		if t == fixedProfile && !math.IsNaN(q) {
			fixed++
			total += math.Max(q, 0)
			continue
		}
		if t != profileRect && t != profileTri && t != profileNormal && t != profileExp || !(w > 0) || math.IsNaN(q) || math.IsNaN(p) {
			fill(out, math.NaN())
			return
		}
		if q > 0 {
			total += q
			lo = math.Min(lo, p-reach(t)*w)
			hi = math.Max(hi, p+reach(t)*w)
		}
	}
	switch {
	case fixed > 0 && fixed < n, math.IsNaN(avail):
		fill(out, math.NaN())
		return
	case avail >= total:
		for i := range n {
			q, _, _, _ := req(i)
			out[i] = math.Max(q, 0)
		}
		return
	case avail <= 0:
		fill(out, 0)
		return
	case fixed == n:
		for i := range n {
			q, _, _, _ := req(i)
			out[i] = math.Max(q, 0) * (avail / total)
		}
		return
	}
	given := func(x float64) float64 {
		s := 0.0
		for i := range n {
			if q, t, p, w := req(i); q > 0 {
				s += q * share(t, p, w, x)
			}
		}
		return s
	}
	x := bisect(lo, hi, avail, given)
	for i := range n {
		out[i] = 0
		if q, t, p, w := req(i); q > 0 {
			out[i] = q * share(t, p, w, x)
		}
	}
}

// bisect returns the x in [lo, hi] at which the non-increasing given(x)
// falls to avail, given(lo) ≥ avail ≥ given(hi): it halves the interval
// until the halves are adjacent float64s.
func bisect(lo, hi, avail float64, given func(float64) float64) float64 {
	for range 2200 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if given(mid) > avail {
			lo = mid
		} else {
			hi = mid
		}
	}
	// The end whose total is nearer avail.
	if math.Abs(given(lo)-avail) < math.Abs(given(hi)-avail) {
		return lo
	}
	return hi
}

func fill(xs []float64, x float64) {
	for i := range xs {
		xs[i] = x
	}
}

// The market functions (FIND MARKET PRICE, DEMAND AT PRICE, SUPPLY AT
// PRICE) read the same profiles as ALLOCATE AVAILABLE as demand and
// supply curves: a demander of quantity q wants q·share(x) at price x,
// the part of its profile's distribution above x, and a supplier offers
// q·(1 − share(x)), the part below. A fixed profile (type 0) wants or
// offers q at every price. Three facts come from Vensim's own runs in
// SDEverywhere's allocate_price and allocate_normal_width models: a
// normal profile's standard deviation is at least minSD; the price is
// sought between the lowest priority less marketReach widths and the
// highest plus marketReach widths over the profiles that are not fixed;
// and a market whose demand exceeds supply at the highest price, or
// falls short of it at the lowest, gets that bound.

// minSD is the least standard deviation of a normal profile in the
// market functions.
const minSD = 0.05

// fixedProfile is the profile type of a quantity that does not depend
// on the price.
const fixedProfile = 0

// marketReach returns how many widths from its priority a profile of
// type t reaches in the search for a market price.
func marketReach(t float64) float64 {
	switch t {
	case profileNormal:
		return 5
	case profileExp:
		return 10
	}
	return 0.5
}

// marketWidth returns the width a profile of type t and width w is read
// with, and whether the pair is one the market functions know: a type of
// 0 to 4, and a width above 0 unless the profile is fixed.
func marketWidth(t, w float64) (float64, bool) {
	switch t {
	case fixedProfile:
		return w, true
	case profileNormal:
		w = math.Max(w, minSD)
	case profileRect, profileTri, profileExp:
	default:
		return w, false
	}
	return w, w > 0
}

// atPrice returns the quantity a demander (supply false) or supplier of
// quantity q with profile type t, priority p and width w wants or offers
// at price x; NaN for a profile atPrice does not know (marketWidth).
func atPrice(q, t, p, w, x float64, supply bool) float64 {
	w, ok := marketWidth(t, w)
	switch {
	case !ok:
		return math.NaN()
	case t == fixedProfile:
		return q
	case supply:
		return q * (1 - share(t, p, w, x))
	}
	return q * share(t, p, w, x)
}

// marketPrice returns FIND MARKET PRICE over the profiles in args
// (slots): the number of demanders nd, then five values per demander
// and per supplier, quantity, type, priority, width and extra. It finds
// by bisection the price at which the quantity demanded, which falls
// with the price, equals the quantity supplied, which rises, within the
// bounds of marketReach. NaN when nd is not a count of the profiles,
// when a profile is not known (marketWidth), or when every profile is
// fixed, so that no price clears the market.
func marketPrice(v, args []float64) float64 {
	n := (len(args) - 1) / 5
	nd := v[int(args[0])]
	if !(nd >= 0 && nd <= float64(n)) || nd != math.Trunc(nd) {
		return math.NaN()
	}
	agent := func(i int) (q, t, p, w float64) {
		a := args[1+5*i:]
		return v[int(a[0])], v[int(a[1])], v[int(a[2])], v[int(a[3])]
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range n {
		q, t, p, w := agent(i)
		w, ok := marketWidth(t, w)
		if !ok || math.IsNaN(q) || math.IsNaN(p) {
			return math.NaN()
		}
		if t != fixedProfile {
			lo = math.Min(lo, p-marketReach(t)*w)
			hi = math.Max(hi, p+marketReach(t)*w)
		}
	}
	if !(lo <= hi) {
		return math.NaN()
	}
	excess := func(x float64) float64 {
		s := 0.0
		for i := range n {
			q, t, p, w := agent(i)
			if i < int(nd) {
				s += atPrice(q, t, p, w, x, false)
			} else {
				s -= atPrice(q, t, p, w, x, true)
			}
		}
		return s
	}
	switch {
	case excess(lo) <= 0:
		return lo
	case excess(hi) >= 0:
		return hi
	}
	return bisect(lo, hi, 0, excess)
}
