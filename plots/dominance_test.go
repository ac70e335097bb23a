package plots

import (
	"image/color"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// TestDominanceNamedLoops: the corridor's dominance panel draws every
// loop named in its [[loops]] entries, under its full name, whatever the
// scenario and however weak the loop; each loop has the same colour in
// every scenario; no two loops drawn share a colour.
func TestDominanceNamedLoops(t *testing.T) {
	m, err := model.Load("../examples/middle-corridor/corridor.toml")
	if err != nil {
		t.Fatal(err)
	}
	colours := map[string]color.Color{} // legend label → colour, over scenarios
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
		for _, a := range f.Panels[0].Areas {
			if a.Label == "" {
				continue
			}
			seen[a.Label] = true
			if other, ok := used[a.Color]; ok {
				t.Errorf("scenario %q: %q and %q share the colour %v", sc, other, a.Label, a.Color)
			}
			used[a.Color] = a.Label
			if c, ok := colours[a.Label]; ok && c != a.Color {
				t.Errorf("scenario %q: %q is %v, %v in another scenario", sc, a.Label, a.Color, c)
			}
			colours[a.Label] = a.Color
		}
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
