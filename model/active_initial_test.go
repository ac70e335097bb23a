package model

import (
	"context"
	"strings"
	"testing"
)

// TestActiveInitial checks that active_initial gives its initial
// argument while initial values are computed (s starts at 45), its active
// one in every reported value (as Vensim), and that the start-time order
// follows the initial argument only, so that the cycle s → v → s through
// the active argument is not circular.
func TestActiveInitial(t *testing.T) {
	src := `
[sim]
start = 0
stop = 3
dt = 1

[stocks.s]
initial = "v"
inflows = ["f"]

[flows.f]
eq = "1"

[aux.v]
eq = "active_initial(s * 2, 45)"
`
	m, err := Parse("ai.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gotS, gotV := res.Series("s"), res.Series("v")
	wantS := []float64{45, 46, 47, 48}
	wantV := []float64{90, 92, 94, 96}
	for i := range wantS {
		if gotS[i] != wantS[i] || gotV[i] != wantV[i] {
			t.Fatalf("t=%v: got s=%v v=%v, want s=%v v=%v", res.Times[i], gotS[i], gotV[i], wantS[i], wantV[i])
		}
	}
}

func TestActiveInitialNested(t *testing.T) {
	src := "[aux.v]\neq = \"1 + active_initial(2, 3)\"\n"
	_, err := Parse("ai.toml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "whole equation") {
		t.Fatalf("got %v, want an error about the whole equation", err)
	}
}
