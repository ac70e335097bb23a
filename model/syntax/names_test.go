package syntax

import (
	"fmt"
	"slices"
	"testing"
)

func TestSplitNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"a,b", []string{"a", "b"}},
		{" a , , b ", []string{"a", "b"}},
		{"x[r1,s1],y", []string{"x[r1,s1]", "y"}},
		{"x[r1, s1], y[*]", []string{"x[r1, s1]", "y[*]"}},
		{"", nil},
		{"x]],a", []string{"x]]", "a"}},
	} {
		if got := SplitNames(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func ExampleSplitNames() {
	fmt.Printf("%q\n", SplitNames("population, x[north, retail], y[*]"))
	// Output: ["population" "x[north, retail]" "y[*]"]
}
