package plots

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// roundTicks is the tick marker of every axis the package draws: labelled
// ticks at the multiples of a round step — 1, 2 or 5 times a power of
// ten — chosen to give about six labels, so that a [0, 1] share reads 0,
// 0.2, …, 1 and zero is labelled whenever the range holds it; each label
// in its shortest form (175, not 175.00), with an exponent on an axis that
// reaches 1e7 or steps by less than 1e-4; unlabelled minor ticks between.
type roundTicks struct{}

// Ticks implements plot.Ticker. An empty or non-finite range has no
// ticks.
func (roundTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	step, mant, exp := roundStep(lo, hi)
	if step == 0 {
		return nil
	}
	var ticks []plot.Tick
	first, last := math.Ceil(lo/step-1e-9), math.Floor(hi/step+1e-9)
	// Very large or very small values are written with an exponent, all
	// of an axis's labels alike.
	sci := math.Max(math.Abs(first*step), math.Abs(last*step)) >= 1e7 || step < 1e-4
	for k := first; k <= last; k++ {
		v, label := tickValue(k*step, exp)
		if sci && v != 0 {
			label = strconv.FormatFloat(v, 'g', -1, 64)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	// Minor ticks: fifths of a step of 1 or 5, halves of a step of 2.
	parts := 5.0
	if mant == 2 {
		parts = 2
	}
	minor := step / parts
	for k := math.Ceil(lo/minor - 1e-9); k <= math.Floor(hi/minor+1e-9); k++ {
		if math.Mod(k, parts) == 0 {
			continue
		}
		v, _ := tickValue(k*minor, exp-1)
		ticks = append(ticks, plot.Tick{Value: v})
	}
	return ticks
}

// roundStep returns the round step whose multiples in [lo, hi] come
// nearest to six (fewer rather than more on a tie), as mant·10^exp.
func roundStep(lo, hi float64) (step float64, mant, exp int) {
	const want = 6
	e0 := int(math.Floor(math.Log10(hi - lo)))
	best := math.Inf(1)
	for e := e0 - 2; e <= e0+1; e++ {
		for _, m := range []int{1, 2, 5} {
			s := float64(m) * math.Pow10(e)
			n := math.Floor(hi/s+1e-9) - math.Ceil(lo/s-1e-9) + 1
			if n < 2 {
				continue
			}
			// On a tie the larger step, met later, wins.
			if d := math.Abs(n - want); d <= best {
				best, step, mant, exp = d, s, m, e
			}
		}
	}
	return step, mant, exp
}

// tickValue rounds v to the decimals a step of 10^exp needs and returns
// it with its shortest label: no trailing zeros, no "-0".
func tickValue(v float64, exp int) (float64, string) {
	decimals := max(0, -exp)
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	r, _ := strconv.ParseFloat(s, 64)
	return r, s
}
