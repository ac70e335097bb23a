package calibrate

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
)

// num is a number for JSON: shortest round-trip form, null for NaN or
// an infinity.
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

type fitJSON struct {
	N    int `json:"n"`
	R2   num `json:"r2"`
	MAPE num `json:"mape"`
	MSE  num `json:"mse"`
	UM   num `json:"um"`
	US   num `json:"us"`
	UC   num `json:"uc"`
}

// MarshalJSON writes the result as
//
//	{"params": {NAME: value}, "payoff": x,
//	 "fit": {VAR: {"n", "r2", "mape", "mse", "um", "us", "uc"}},
//	 "intervals": {NAME: [lo, hi]}, "starts": {NAME: value}, "runs": n}
//
// with NaN written as null and MAPE as a fraction.
func (r *Result) MarshalJSON() ([]byte, error) {
	out := struct {
		Params    map[string]num     `json:"params"`
		Payoff    num                `json:"payoff"`
		Fit       map[string]fitJSON `json:"fit"`
		Intervals map[string][2]num  `json:"intervals"`
		Starts    map[string]num     `json:"starts"`
		Runs      int                `json:"runs"`
	}{
		Params: map[string]num{}, Payoff: num(r.Payoff), Fit: map[string]fitJSON{},
		Intervals: map[string][2]num{}, Starts: map[string]num{}, Runs: r.Runs,
	}
	for _, p := range r.Params {
		out.Params[p.Name] = num(p.Value)
		out.Intervals[p.Name] = [2]num{num(p.Interval[0]), num(p.Interval[1])}
		out.Starts[p.Name] = num(p.Start)
	}
	for name, f := range r.Fit {
		out.Fit[name] = fitJSON{f.N, num(f.R2), num(f.MAPE), num(f.MSE), num(f.UM), num(f.US), num(f.UC)}
	}
	return json.Marshal(out)
}

// WriteText writes the result as tables: the fitted params with their
// start and approximate 95 % interval, the payoff, and the fit of each
// observed variable.
func (r *Result) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "param\tfitted\tstart\t95% interval\trange")
	for _, p := range r.Params {
		iv := "—"
		if !math.IsNaN(p.Interval[0]) {
			iv = fmt.Sprintf("[%s, %s]", g(p.Interval[0]), g(p.Interval[1]))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t[%s, %s]\n", p.Name, g(p.Value), g(p.Start), iv, g(p.Min), g(p.Max))
	}
	fmt.Fprintf(tw, "\npayoff %s after %d runs\n\n", g(r.Payoff), r.Runs)
	if err := tw.Flush(); err != nil {
		return err
	}
	return WriteFits(w, r.Vars, r.Fit)
}

// WriteFits writes the fit statistics of the variables vars, in that
// order, as a table: observations, R², MAPE and Theil's Uᴹ, Uˢ and Uᶜ.
func WriteFits(w io.Writer, vars []string, fits map[string]Fit) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "variable\tn\tR²\tMAPE\tUᴹ\tUˢ\tUᶜ")
	for _, name := range vars {
		f := fits[name]
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", name, f.N, fix(f.R2, 4), pct(f.MAPE), fix(f.UM, 2), fix(f.US, 2), fix(f.UC, 2))
	}
	return tw.Flush()
}

// g formats a number with 6 significant digits.
func g(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func fix(x float64, d int) string {
	if math.IsNaN(x) {
		return "—"
	}
	return strconv.FormatFloat(x, 'f', d, 64)
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}
