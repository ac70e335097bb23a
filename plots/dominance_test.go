package plots

import (
	"image/color"
	"slices"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// TestDominanceNamedLoops: the corridor's dominance panel draws every
// loop named in its [[loops]] entries, under its full name, whatever the
// scenario and however weak the loop; each named loop has the same colour
// in every scenario, and each unnamed loop in every scenario that draws
// the same unnamed loops (with other unnamed loops beside it, it may have
// to give its colour up to one that picks the same; security_shock draws
// cable → cable_wear, whose pick falls on aktau_building →
// aktau_to_fitting's); no two loops drawn share a colour.
func TestDominanceNamedLoops(t *testing.T) {
	m, err := model.Load("../examples/middle-corridor/corridor.toml")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, en := range m.Decl.Loops {
		named[en.Name] = true
	}
	isNamed := func(label string) bool {
		for n := range named {
			if strings.Contains(label, " "+n+" (") {
				return true
			}
		}
		return false
	}
	colours := map[string]color.Color{}              // named loop's legend label → colour, over scenarios
	unnamedBy := map[string]map[string]color.Color{} // the unnamed loops drawn → their colours
	for _, sc := range []string{"", "no_fibre_cable", "security_shock"} {
		e, err := loops.AnalyzeEmergence(t.Context(), m, model.RunOptions{Scenario: sc}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Dominance(m, e.Dominance, 0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		used := map[color.Color]string{}
		unnamed := map[string]color.Color{}
		var set []string
		for _, a := range f.Panels[0].Areas {
			if a.Label == "" {
				continue
			}
			seen[a.Label] = true
			if other, ok := used[a.Color]; ok {
				t.Errorf("scenario %q: %q and %q share the colour %v", sc, other, a.Label, a.Color)
			}
			used[a.Color] = a.Label
			if !isNamed(a.Label) {
				unnamed[a.Label] = a.Color
				set = append(set, a.Label)
				continue
			}
			if c, ok := colours[a.Label]; ok && c != a.Color {
				t.Errorf("scenario %q: %q is %v, %v in another scenario", sc, a.Label, a.Color, c)
			}
			colours[a.Label] = a.Color
		}
		slices.Sort(set)
		key := strings.Join(set, "; ")
		if before, ok := unnamedBy[key]; ok {
			for l, c := range unnamed {
				if before[l] != c {
					t.Errorf("scenario %q: %q is %v, %v in another scenario drawing the same loops", sc, l, c, before[l])
				}
			}
		}
		unnamedBy[key] = unnamed
		for _, en := range m.Decl.Loops {
			lp := e.Loop(en.Name)
			if lp == nil {
				t.Fatalf("no loop named %q", en.Name)
			}
			want := lp.Label + " " + en.Name + " (" + string(en.Polarity) + ")"
			if !seen[want] {
				var got []string
				for l := range seen {
					got = append(got, l)
				}
				t.Errorf("scenario %q: no band %q among %s", sc, want, strings.Join(got, "; "))
			}
		}
	}
}
