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
)

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
		return 0.5 * math.Erfc((x-p)/(math.Sqrt2*w))
	case profileExp:
		if x < p {
			return 1 - 0.5*math.Exp((x-p)/w)
		}
		return 0.5 * math.Exp((p-x)/w)
	}
	return math.NaN()
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
// its share at x. A request that is not positive gets 0; a profile type
// other than 1 to 4 or a width that is not positive makes every result
// NaN.
func allocate(avail float64, out []float64, req func(i int) (q, t, p, w float64)) {
	n := len(out)
	total := 0.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range n {
		q, t, p, w := req(i)
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
	case math.IsNaN(avail):
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
