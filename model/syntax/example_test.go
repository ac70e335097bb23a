package syntax_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/stockflow/stockflow/model/syntax"
)

func ExampleParse() {
	x, err := syntax.Parse("r * population * (1 - population / K)")
	if err != nil {
		fmt.Println(err)
		return
	}
	b := x.(*syntax.Binary)
	fmt.Println(syntax.Print(b.X), "|", b.Op, "|", syntax.Print(b.Y))
	fmt.Println("the right operand spans", b.Y.Start(), "to", b.Y.End())

	_, err = syntax.Parse("3 * (a + b")
	fmt.Println(err)
	// Output:
	// r * population | * | (1 - population / K)
	// the right operand spans 17 to 37
	// offset 10: expected ")" to close the "(" at character 5 of the equation, found end of equation
}

func ExamplePrint() {
	x, err := syntax.Parse("IF stock>0 THEN -k*stock^2 {decay} ELSE Max( 0,inflow )")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(syntax.Print(x))
	// Output:
	// if stock > 0 then -k * stock ^ 2 else Max(0, inflow)
}

func ExampleWalk() {
	x, _ := syntax.Parse("births - deaths * SMTH1(crowding, delay)")
	syntax.Walk(x, func(n syntax.Expr) bool {
		if id, ok := n.(*syntax.Ident); ok {
			fmt.Println(id.Name, "at", id.At)
		}
		return true
	})
	// Output:
	// births at 0
	// deaths at 9
	// SMTH1 at 18
	// crowding at 24
	// delay at 34
}

func ExamplePrintError() {
	var list syntax.ErrorList
	list.Addf(syntax.Pos{File: "m.toml", Line: 4, Col: 6}, "flows.births.eq", "unknown variable %q", "popultion")
	list.Addf(syntax.Pos{}, "sim.dt", "dt must be greater than 0")
	syntax.PrintError(os.Stdout, "stockflow: ", list)
	syntax.PrintError(os.Stdout, "stockflow: ", errors.New("interrupted"))
	// Output:
	// m.toml:4:6: flows.births.eq: unknown variable "popultion"
	// stockflow: sim.dt: dt must be greater than 0
	// stockflow: interrupted
}
