package conformance

import (
	"math"
	"testing"
)

func TestRead(t *testing.T) {
	tb, err := Read("Time\tA\t\"B c\"\r0\t1\t2\r1\t\t3\r")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tb.Cols[0][1], 1.0; got != want {
		t.Errorf("forward-filled A at row 1: got %v, want %v", got, want)
	}
	if got, want := tb.Times[1], 1.0; got != want {
		t.Errorf("time of row 1: got %v, want %v", got, want)
	}
	if got, want := NormName(tb.Names[1]), "b c"; got != want {
		t.Errorf("NormName: got %q, want %q", got, want)
	}
}

func TestClose(t *testing.T) {
	for _, tc := range []struct {
		want, got float64
		ok        bool
	}{
		{1, 1 + 1.9e-5, true},
		{1, 1 + 2.1e-5, false},
		{0, 9e-6, true},
		{math.NaN(), math.NaN(), true},
		{1, math.NaN(), false},
	} {
		if got := Close(tc.want, tc.got); got != tc.ok {
			t.Errorf("Close(%v, %v) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}
