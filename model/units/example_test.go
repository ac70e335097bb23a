package units_test

import (
	"fmt"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/units"
)

// Parse reads a unit string; names match without regard to case or a
// plural s, and a model's [units] table relates units to each other.
// Format writes units in the model's own terms.
func ExampleSystem_Parse() {
	sys, _ := units.NewSystem([]*decl.UnitDef{{Name: "month", Def: "year/12"}})
	a, _ := sys.Parse("million USD/year/year")
	b, _ := sys.Parse("people per Months")
	c, _ := sys.Parse("12 months")
	year, _ := sys.Parse("year")
	fmt.Println(a)
	fmt.Println(b, "=", sys.Format(b))
	fmt.Println(c.Equal(year))
	// Output:
	// million USD/year^2
	// 12 people/year = people/month
	// true
}

// Check finds the units problems of a model and infers the units of the
// variables that declare none.
func ExampleCheck() {
	m, err := decl.ParseTOML("corridor.toml", []byte(`time_units = "year"
[params]
port_capacity = { value = 1.2, units = "index" }
capital = { value = 300, units = "million USD" }
build_time = { value = 3 }
[aux.gap]
eq = "port_capacity - capital"
[aux.spending]
eq = "capital / build_time"
units = "million USD/year"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	in := units.Check(m)
	for _, e := range in.Errors {
		fmt.Println(e)
	}
	v := in.Var("build_time")
	fmt.Println(v.Name, v.Units, v.Source)
	// Output:
	// corridor.toml:7:23: aux.gap.eq: units: capital is million USD, but port_capacity is index: the terms of a sum need like units
	// build_time year inferred from its use in aux.spending.eq at corridor.toml:9:17
}

// TimeScale tells whether a param's units are a time, in the model's
// time units: months are twelfths of a year where [units] says so, and
// weeks, unrelated to years, are not a time of a model in years.
func ExampleTimeScale() {
	m, err := decl.ParseTOML("m.toml", []byte(`time_units = "year"
[units]
month = "year/12"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range []string{"years", "Months", "10 year", "weeks", "people/year"} {
		scale, ok := units.TimeScale(m, u)
		fmt.Printf("%s: %.4g %t\n", u, scale, ok)
	}
	// Output:
	// years: 1 true
	// Months: 0.08333 true
	// 10 year: 10 true
	// weeks: 0 false
	// people/year: 0 false
}
