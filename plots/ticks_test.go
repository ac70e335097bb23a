package plots

import (
	"path/filepath"
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
		{"a million people", 0, 1.05e6, []string{"0", "200000", "400000", "600000", "800000", "1000000"}},
		{"huge", 0, 4e7, []string{"0", "1e+07", "2e+07", "3e+07", "4e+07"}},
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

// Every example's stability panel labels zero, the line between
// amplifying and damping; the corridor's domain levels, shares, get a
// label every 0.2.
func TestExampleTicks(t *testing.T) {
	paths, err := filepath.Glob("../examples/*/*.toml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, path := range paths {
		m, e := emergence(t, path)
		f, err := Stability(m, e.Stability)
		if err != nil {
			t.Fatal(err)
		}
		y := f.Panels[0].Y.Drawable()
		if got := labels(roundTicks{}.Ticks(y.Min, y.Max)); !slices.Contains(got, "0") {
			t.Errorf("%s: stability ticks %q, want 0 among them", path, got)
		}
		for _, pl := range m.Decl.Plots {
			if pl.File != "domains.png" {
				continue
			}
			f, err := ForPlot(m, e.Result, pl)
			if err != nil {
				t.Fatal(err)
			}
			y := f.Panels[0].Y.Drawable()
			every := []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}
			if got := labels(roundTicks{}.Ticks(y.Min, y.Max)); len(got) < 4 || !slices.Equal(got, every[:len(got)]) {
				t.Errorf("%s %s: ticks %q, want from 0 by 0.2", path, pl.Key, got)
			}
		}
	}
}
