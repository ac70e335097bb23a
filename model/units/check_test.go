package units_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/units"
)

func check(t *testing.T, src string) *units.Info {
	t.Helper()
	m, err := decl.ParseTOML("m.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return units.Check(m)
}

// TestInfer checks inference from equations, from uses, through
// products, from a stock to its flows and back, and through builtins.
func TestInfer(t *testing.T) {
	in := check(t, `time_units = "year"
[params]
birth_rate = { value = 0.03 }
life = { value = 70, units = "years" }
adj = { value = 2 }
k = { value = 3 }
[stocks.population]
initial = 100
inflows = ["births"]
outflows = ["deaths"]
[flows.births]
eq = "population * birth_rate"
units = "people/year"
[flows.deaths]
eq = "population / life"
[aux.smoothed]
eq = "smooth(births, adj)"
[aux.capacity]
eq = "k + population"
[lookups.effect]
points = [[0, 1], [1, 0.5]]
[aux.crowding]
eq = "effect(population / capacity) * 2"
units = "dmnl"
`)
	if len(in.Errors) > 0 {
		t.Fatalf("errors: %v", in.Errors)
	}
	for _, c := range []struct{ name, units, source string }{
		{"birth_rate", "1/year", "inferred from its use in flows.births.eq at m.toml:12:20"},
		{"population", "people", "inferred from its flow births"},
		{"births", "people/year", "declared at m.toml:13:9"},
		{"deaths", "people/year", "inferred from stock population, which it drains"},
		{"adj", "year", "inferred from its use in aux.smoothed.eq at m.toml:17:22"},
		{"smoothed", "people/year", "inferred from its equation at m.toml:17:7"},
		{"k", "people", "inferred from its use in aux.capacity.eq at m.toml:19:7"},
		{"capacity", "people", "inferred from its equation at m.toml:19:7"},
		{"effect", "dmnl", "inferred from its use in aux.crowding.eq at m.toml:23:7"},
	} {
		v := in.Var(c.name)
		if v == nil {
			t.Errorf("%s: not listed", c.name)
			continue
		}
		if v.Units != c.units || v.Source != c.source {
			t.Errorf("%s: got %s (%s), want %s (%s)", c.name, v.Units, v.Source, c.units, c.source)
		}
	}
	if v := in.Var("effect"); v.XUnits != "dmnl" || v.XDeclared {
		t.Errorf("effect's x: got %q declared %v, want dmnl inferred", v.XUnits, v.XDeclared)
	}
	if got := in.UnitsOf("population[x]"); got != "people" {
		t.Errorf("UnitsOf an element name: got %q, want its variable's, people", got)
	}
}

// TestCheckRules checks that correct uses of the builtins give no
// problem: numbers take the units they need, delays keep their input's,
// a lookup maps its x units to its y units, and so on.
func TestCheckRules(t *testing.T) {
	in := check(t, `time_units = "month"
[units]
year = "12 months"
[params]
orders = { value = 3, units = "widgets/month" }
lag = { value = 2, units = "months" }
inv = { value = 10, units = "widgets" }
g = { value = 0.1, units = "1/year" }
[lookups.f]
points = [[0, 0], [2, 1]]
units = "widgets/month"
x_units = "dmnl"
[aux.a]
eq = "max(0, orders - 1) + delay1(orders, lag, inv / lag) + smth3(orders, 3) + pulse(inv, 5) + ramp(orders / lag, 2) + step(orders, 4)"
units = "widgets/month"
[aux.b]
eq = "if time > 5 and orders > 0 then f(inv / (orders * lag)) else orders * exp(-time / lag) * sin(2 * pi * time / lag)"
units = "widgets/month"
[aux.c]
eq = "sqrt(inv * inv) + abs(-inv) + init(inv) + previous(inv, 0) + safediv(inv, 1, 0) + xidz(orders, 1 / lag, inv)"
units = "widgets"
[aux.d]
eq = "trend(orders, 6) * 12 + 12 * forecast(orders, lag, lag) / inv"
units = "1/year"
[aux.e]
eq = "g * 12 * inv / 12"
units = "widgets/year"
[aux.f2]
eq = "(inv / lag) ^ 2 / orders ^ 2 + (inv * inv) ^ 0.5 / inv ^ (2/2)"
units = "dmnl"
`)
	for _, e := range in.Errors {
		t.Errorf("%s", e)
	}
}

// TestGoodCorpus checks the models of testdata/good: none has a units
// problem.
func TestGoodCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/good/*.toml")
	if len(files) == 0 {
		t.Fatal("no good models")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := decl.ParseTOML(f, src)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range units.Check(m).Errors {
			t.Errorf("%s", e)
		}
	}
}

// TestModes checks the [sim] units setting as Check reports it.
func TestModes(t *testing.T) {
	for _, c := range []struct{ sim, want string }{{"", units.Warn}, {"units = \"strict\"", units.Strict}, {"units = \"off\"", units.Off}} {
		in := check(t, "[sim]\n"+c.sim+"\n")
		if in.Mode != c.want {
			t.Errorf("[sim] %s: got mode %q, want %q", c.sim, in.Mode, c.want)
		}
	}
}

// TestArrays checks that an arrayed model is checked on its declaration:
// one message per equation, element equations keyed by their element.
func TestArrays(t *testing.T) {
	in := check(t, `time_units = "year"
[dimensions]
region = ["kz", "az"]
[params]
target = { dims = ["region"], values = { kz = 1, az = 2 }, units = "Mt/year" }
crew = { value = 1, units = "people" }
[aux.gap]
dims = ["region"]
eqs = { kz = "target[kz] - crew", az = "target[az] * 2" }
units = "Mt/year"
`)
	var got []string
	for _, e := range in.Errors {
		got = append(got, e.Error())
	}
	want := "m.toml:9:28: aux.gap.eqs.kz: units: crew is people, but target[kz] is Mt/year: the terms of a sum need like units"
	if strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}
