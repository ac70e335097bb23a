package sensitivity

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// MarshalJSON writes the quantiles as {"5": …, "25": …, "50": …, "75":
// …, "95": …}, null for NaN.
func (q Quantiles) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for k, p := range Probabilities {
		if k > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, strconv.FormatFloat(100*p, 'g', -1, 64))
		b = append(b, ':')
		v, _ := num(q[k]).MarshalJSON()
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// The JSON form of a Result.
type (
	resultJSON struct {
		Model      string          `json:"model"`
		Method     string          `json:"method"`
		Sampler    string          `json:"sampler"`
		Seed       uint64          `json:"seed"`
		Samples    int             `json:"samples"`
		Runs       int             `json:"runs"`
		Draws      int             `json:"draws"`
		Params     []Param         `json:"params"`
		Times      []float64       `json:"times"`
		Thresholds []thresholdJSON `json:"thresholds"`
		Bands      []bandJSON      `json:"bands"`
		Outputs    []outputJSON    `json:"outputs,omitempty"`
		Indices    []indexJSON     `json:"indices,omitempty"`
	}
	thresholdJSON struct {
		Threshold
		Crossed      int       `json:"crossed"`
		CrossedShare float64   `json:"crossed_share"`
		Quantiles    Quantiles `json:"crossing_time_quantiles"`
		CrossedBy    []float64 `json:"crossed_by"`
	}
	bandJSON struct {
		Var       string       `json:"var"`
		Quantiles bandQuantile `json:"quantiles"`
	}
	outputJSON struct {
		Output   string `json:"output"`
		Censored int    `json:"censored"`
		Mean     num    `json:"mean"`
		Variance num    `json:"variance"`
	}
	indexJSON struct {
		Output       string  `json:"output"`
		Param        string  `json:"param"`
		FirstOrder   *num    `json:"first_order,omitempty"`
		Total        *num    `json:"total,omitempty"`
		FirstOrderCI *[2]num `json:"first_order_ci,omitempty"`
		TotalCI      *[2]num `json:"total_ci,omitempty"`
		MuStar       *num    `json:"mu_star,omitempty"`
		Mu           *num    `json:"mu,omitempty"`
		Sigma        *num    `json:"sigma,omitempty"`
	}
	bandQuantile [5][]float64
)

// MarshalJSON writes the band as {"5": [...], "25": [...], ...}.
func (q bandQuantile) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for k, p := range Probabilities {
		if k > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, strconv.FormatFloat(100*p, 'g', -1, 64))
		b = append(b, ':')
		v, err := json.Marshal(q[k])
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// MarshalJSON writes the result as the JSON that "stockflow sensitivity
// --json" prints (see docs/sensitivity.md): numbers in their shortest
// exact form, null where a value does not exist.
func (r *Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{
		Model: r.Spec.Model, Method: r.Spec.Method, Sampler: r.Spec.Sampler, Seed: r.Spec.Seed,
		Samples: r.Spec.Samples, Runs: r.Runs, Draws: r.Draws, Params: r.Spec.Params, Times: r.Times,
		Thresholds: []thresholdJSON{}, Bands: []bandJSON{},
	}
	for i := range r.Thresholds {
		tr := &r.Thresholds[i]
		tj := thresholdJSON{Threshold: tr.Threshold, Crossed: tr.Crossed, CrossedShare: tr.CrossedShare, Quantiles: tr.Quantiles, CrossedBy: make([]float64, len(r.Times))}
		for k, t := range r.Times {
			tj.CrossedBy[k] = tr.CrossedBy(t)
		}
		j.Thresholds = append(j.Thresholds, tj)
	}
	for _, b := range r.Bands {
		j.Bands = append(j.Bands, bandJSON{Var: b.Var, Quantiles: bandQuantile(b.Q)})
	}
	for _, o := range r.Outputs {
		j.Outputs = append(j.Outputs, outputJSON{Output: o.Name, Censored: o.Censored, Mean: num(o.Mean), Variance: num(o.Variance)})
	}
	p := func(x float64) *num { v := num(x); return &v }
	for _, x := range r.Indices {
		ij := indexJSON{Output: x.Output, Param: x.Param}
		if r.Spec.Method == Sobol {
			ij.FirstOrder, ij.Total = p(x.FirstOrder), p(x.Total)
			ij.FirstOrderCI = &[2]num{num(x.FirstOrderCI[0]), num(x.FirstOrderCI[1])}
			ij.TotalCI = &[2]num{num(x.TotalCI[0]), num(x.TotalCI[1])}
		} else {
			ij.MuStar, ij.Mu, ij.Sigma = p(x.MuStar), p(x.Mu), p(x.Sigma)
		}
		j.Indices = append(j.Indices, ij)
	}
	return json.Marshal(j)
}

// WriteText writes the result as the report "stockflow sensitivity"
// prints: the study, each threshold's crossed share and crossing-time
// quantiles, and for Sobol and Morris the top params of each output
// (all of them when top is 0).
func (r *Result) WriteText(w io.Writer, top int) error {
	bw := bufio.NewWriter(w)
	s := &r.Spec
	name := map[string]string{MonteCarlo: "Monte Carlo", Sobol: "Sobol (Saltelli design)", Morris: "Morris (elementary effects)"}[s.Method]
	sampler := map[string]string{LHS: "Latin hypercube", Random: "random", Halton: "scrambled Halton", "": "Morris trajectories"}[s.Sampler]
	if s.Model != "" {
		fmt.Fprintf(bw, "model:    %s\n", s.Model)
	}
	params := "params"
	if len(s.Params) == 1 {
		params = "param"
	}
	fmt.Fprintf(bw, "study:    %s, %d runs (%s, seed %d) over %d %s\n", name, r.Runs, sampler, s.Seed, len(s.Params), params)
	if r.Draws != r.Runs {
		fmt.Fprintf(bw, "          %d of the runs are draws from the params' distributions; the shares and quantiles are theirs\n", r.Draws)
	}
	end := "the end"
	if len(r.Times) > 0 {
		end = fmtNum(r.Times[len(r.Times)-1], 6)
	}
	if len(r.Thresholds) > 0 {
		fmt.Fprintln(bw, "thresholds:")
	}
	for _, tr := range r.Thresholds {
		level := fmtNum(tr.Level, 6)
		if tr.Units != "" {
			level += " " + tr.Units
		}
		fmt.Fprintf(bw, "  %s: %s %s %s\n", tr.Name, tr.Var, tr.Direction, level)
		fmt.Fprintf(bw, "    crossed in %s of runs (%d of %d)\n", pct(tr.CrossedShare), tr.Crossed, r.Draws)
		var qs []string
		for k, p := range Probabilities {
			v := "not by " + end
			if !math.IsNaN(tr.Quantiles[k]) {
				v = fmtNum(tr.Quantiles[k], 6)
			}
			qs = append(qs, fmt.Sprintf("%g%% %s", 100*p, v))
		}
		fmt.Fprintf(bw, "    first crossing: %s\n", strings.Join(qs, "  "))
	}
	for _, o := range r.Outputs {
		var idx []Index
		for _, x := range r.Indices {
			if x.Output == o.Name {
				idx = append(idx, x)
			}
		}
		fmt.Fprintf(bw, "%s indices of %s", map[string]string{Sobol: "Sobol", Morris: "Morris"}[s.Method], o.Name)
		if o.Censored > 0 {
			fmt.Fprintf(bw, " (%d of %d runs never cross; they count as crossing at %s)", o.Censored, r.Runs, end)
		}
		fmt.Fprintln(bw, ":")
		if !(o.Variance > 0) {
			fmt.Fprintln(bw, "  the output does not vary over the runs: no index")
			continue
		}
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		if s.Method == Sobol {
			fmt.Fprintln(tw, "  param\tfirst order\t95% interval\ttotal\t95% interval")
		} else {
			fmt.Fprintln(tw, "  param\tμ*\tμ\tσ")
		}
		shown := idx
		if top > 0 && len(shown) > top {
			shown = shown[:top]
		}
		for _, x := range shown {
			if s.Method == Sobol {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", x.Param, fmtNum(x.FirstOrder, 3), interval(x.FirstOrderCI), fmtNum(x.Total, 3), interval(x.TotalCI))
			} else {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", x.Param, fmtNum(x.MuStar, 4), fmtNum(x.Mu, 4), fmtNum(x.Sigma, 4))
			}
		}
		tw.Flush()
		if len(shown) < len(idx) {
			fmt.Fprintf(bw, "  (and %d more params)\n", len(idx)-len(shown))
		}
	}
	return bw.Flush()
}

func fmtNum(x float64, digits int) string {
	if math.IsNaN(x) {
		return "-"
	}
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'g', digits, 64)
}

func pct(x float64) string {
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

func interval(ci [2]float64) string {
	if math.IsNaN(ci[0]) {
		return "-"
	}
	return "[" + strconv.FormatFloat(ci[0], 'f', 3, 64) + ", " + strconv.FormatFloat(ci[1], 'f', 3, 64) + "]"
}
