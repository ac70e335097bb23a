package plots_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/plots"
)

// A model's stock-and-flow diagram is DOT first: text a test can read and
// a user can edit, rendered to SVG, PNG or PDF by RenderDiagram.
func ExampleStockFlowDOT() {
	m, err := model.Load("../examples/sir/sir.toml")
	if err != nil {
		log.Fatal(err)
	}
	dot, err := plots.StockFlowDOT(loops.NewGraph(m), plots.DiagramOptions{HideParams: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(string(dot), "digraph"))
	var svg bytes.Buffer
	if err := plots.RenderDiagram(context.Background(), dot, "svg", &svg); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(svg.String(), "<svg"))
	// Output:
	// true
	// true
}

// The causal-loop diagram marks each named loop with R or B and its name;
// Loops highlights some of them.
func ExampleLoopDOT() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	l := loops.Find(loops.NewGraph(m), loops.Options{})
	dot, err := plots.LoopDOT(l, plots.DiagramOptions{Loops: []string{"growth"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(string(dot), "growth"), strings.Contains(string(dot), "crowding"))
	// Output: true true
}

// The formats a diagram renders to.
func ExampleDiagramFormats() {
	fmt.Println(plots.DiagramFormats())
	// Output: [png svg pdf dot]
}
