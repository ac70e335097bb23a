package plots

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// labels returns the labelled ticks' labels in order.
func labels(ts []plot.Tick) []string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestRoundTicks(t *testing.T) {
	for _, c := range []struct {
		name   string
		lo, hi float64
		want   []string
	}{
		{"a share", 0, 1, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
		{"a padded share", 0, 1.05, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
		{"relative loop scores", -1.05, 1.05, []string{"-1", "-0.5", "0", "0.5", "1"}},
		{"no pointless decimals", 100, 250, []string{"100", "150", "200", "250"}},
		{"capital", 0, 410, []string{"0", "100", "200", "300", "400"}},
		{"calendar years", 2024, 2040, []string{"2025", "2030", "2035", "2040"}},
		{"zero on a stability panel", -0.004, 0.084, []string{"0", "0.02", "0.04", "0.06", "0.08"}},
		{"oscillating stability", -0.66, 0.72, []string{"-0.6", "-0.4", "-0.2", "0", "0.2", "0.4", "0.6"}},
		{"tiny", 0, 3e-5, []string{"0", "5e-06", "1e-05", "1.5e-05", "2e-05", "2.5e-05", "3e-05"}},
		{"huge", 0, 4e6, []string{"0", "1e+06", "2e+06", "3e+06", "4e+06"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := labels(roundTicks{}.Ticks(c.lo, c.hi))
			if len(c.want) > 0 && !slices.Equal(got, c.want) {
				t.Errorf("ticks of [%g, %g]: got %q, want %q", c.lo, c.hi, got, c.want)
			}
			// Whatever the range: 4 to 8 labels, each a value in range
			// that prints back as itself, none with a trailing zero.
			if len(got) < 4 || len(got) > 8 {
				t.Errorf("ticks of [%g, %g]: %d labels %q, want 4 to 8", c.lo, c.hi, len(got), got)
			}
			for _, tk := range (roundTicks{}).Ticks(c.lo, c.hi) {
				if tk.Value < c.lo || tk.Value > c.hi {
					t.Errorf("tick %v outside [%g, %g]", tk, c.lo, c.hi)
				}
				if tk.Label == "" {
					continue
				}
				if v, err := strconv.ParseFloat(tk.Label, 64); err != nil || v != tk.Value {
					t.Errorf("tick at %g labelled %q", tk.Value, tk.Label)
				}
				if l := tk.Label; strings.Contains(l, ".") && l[len(l)-1] == '0' {
					t.Errorf("label %q has a pointless trailing zero", l)
				}
			}
		})
	}
	for _, r := range [][2]float64{{1, 1}, {2, 1}} {
		if ts := (roundTicks{}).Ticks(r[0], r[1]); ts != nil {
			t.Errorf("ticks of the empty range [%g, %g]: %v, want none", r[0], r[1], ts)
		}
	}
}
