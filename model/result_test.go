package model

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestWriteNeverRoundsTime checks that --digits rounds the values but
// not the time column: save points a quarter apart near 2029 stay apart
// in every format.
func TestWriteNeverRoundsTime(t *testing.T) {
	m := mustParse(t, `
[sim]
start = 2028.5
stop = 2029.25
dt = 0.25
[aux.a]
eq = "1/3"
`)
	res := mustRun(t, m, RunOptions{})
	for _, c := range []struct{ kind, want string }{
		{"csv", "time,a\n2028.5,0.3333\n2028.75,0.3333\n2029,0.3333\n2029.25,0.3333\n"},
		{"tsv", "time\ta\n2028.5\t0.3333\n2028.75\t0.3333\n2029\t0.3333\n2029.25\t0.3333\n"},
		{"json", `{"time":[2028.5,2028.75,2029,2029.25],"series":{"a":[0.3333,0.3333,0.3333,0.3333]}}` + "\n"},
	} {
		var b strings.Builder
		if err := res.Write(&b, Format{Kind: c.kind, Digits: 4}); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != c.want {
			t.Errorf("%s with 4 digits:\ngot  %q\nwant %q", c.kind, got, c.want)
		}
	}
}

// TestWriteJSONSpecialValues checks that JSON tells NaN, +Inf and -Inf
// apart, as the strings "NaN", "Infinity" and "-Infinity", and that the
// output is valid JSON.
func TestWriteJSONSpecialValues(t *testing.T) {
	m := mustParse(t, `
[sim]
stop = 1
[aux.nan]
eq = "0/0"
[aux.pinf]
eq = "inf"
[aux.ninf]
eq = "-inf"
[aux.negzero]
eq = "-0"
`)
	res := mustRun(t, m, RunOptions{})
	var b strings.Builder
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	want := `{"time":[0,1],"series":{"nan":["NaN","NaN"],"pinf":["Infinity","Infinity"],"ninf":["-Infinity","-Infinity"],"negzero":[-0,-0]}}` + "\n"
	if got := b.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var v struct {
		Series map[string][]any
	}
	if err := json.Unmarshal([]byte(b.String()), &v); err != nil {
		t.Fatalf("not valid JSON: %v", err)
	}
	for name, want := range map[string]string{"nan": "NaN", "pinf": "Infinity", "ninf": "-Infinity"} {
		if got := v.Series[name][0]; got != want {
			t.Errorf("%s read back as %v, want %q", name, got, want)
		}
	}
	if got := v.Series["negzero"][0].(float64); !math.Signbit(got) {
		t.Errorf("negzero read back as %v, want -0", got)
	}
}
