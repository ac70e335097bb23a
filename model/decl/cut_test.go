package decl

import (
	"strings"
	"testing"
)

func TestParseLink(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Link
		err  bool
	}{
		{in: "a->b", want: Link{"a", "b"}},
		{in: " a -> b ", want: Link{"a", "b"}},
		{in: "a→b", want: Link{"a", "b"}},
		{in: "a-b", err: true},
		{in: "->b", err: true},
		{in: "a->", err: true},
	} {
		got, err := ParseLink(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseLink(%q) = %v, %v; want %v, error %t", c.in, got, err, c.want, c.err)
		}
	}
}

const cutModel = `[params]
r = 0.3
K = 1000

[stocks.population]
initial = 10
inflows = ["births"]

[flows.births]
eq = "r * population * (1 - crowding)"

[aux.crowding]
eq = "population / K + smth1(population, 2) * 0 + init(population) * 0"
`

// Cut wraps each read of the source in the target's equation, and only
// there, in init(...); a read already inside init stays as it was.
func TestCut(t *testing.T) {
	d, err := ParseTOML("m.toml", []byte(cutModel))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Cut(d, Link{"population", "crowding"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Var("crowding").Eq.Text, "init(population) / K + smth1(init(population), 2) * 0 + init(population) * 0"; got != want {
		t.Errorf("got crowding = %q, want %q", got, want)
	}
	if c.Var("crowding").Eq.Expr == nil {
		t.Error("the cut equation has no syntax tree")
	}
	if got, want := c.Var("births").Eq.Text, d.Var("births").Eq.Text; got != want {
		t.Errorf("births changed: got %q, want %q", got, want)
	}
	if got := d.Var("crowding").Eq.Text; strings.Contains(got, "init(population) /") {
		t.Errorf("Cut changed its input: crowding = %q", got)
	}
}

func TestCutErrors(t *testing.T) {
	d, err := ParseTOML("m.toml", []byte(cutModel))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		link Link
		want string
	}{
		{Link{"populaton", "crowding"}, `cut populaton->crowding: no variable "populaton" (did you mean "population"?)`},
		{Link{"population", "crowdng"}, `no variable "crowdng" (did you mean "crowding"?)`},
		{Link{"births", "population"}, "births is a flow of the stock population, which a cut cannot hold; cut a link into births instead"},
		{Link{"crowding", "population"}, "population is a stock, whose value only its flows change"},
		{Link{"population", "r"}, "r is a param, which has no equation to cut"},
		{Link{"K", "births"}, "the equation of births does not read K"},
	} {
		_, err := Cut(d, c.link)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Cut(%v): got %v, want an error containing %q", c.link, err, c.want)
		}
	}
}
