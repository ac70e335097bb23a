package plots_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/plots"
)

// A time series with a threshold: the figure is data — its lines, rules
// and markers can be read before anything is drawn — and renders to an
// image for a notebook or to a file.
func ExampleTimeSeries() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.TimeSeries(m, res, []string{"population"}, []string{"majority"})
	if err != nil {
		log.Fatal(err)
	}
	p := fig.Panels[0]
	fmt.Printf("%s: %s against %s\n", p.Title, p.YLabel, p.XLabel)
	for _, r := range p.HRules {
		fmt.Println("threshold:", r.Label)
	}
	for _, mk := range p.Markers {
		fmt.Println("crossing:", mk.Label)
	}
	img, err := fig.Image()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("image:", img.Bounds().Dx(), "×", img.Bounds().Dy())
	// Output:
	// Logistic growth: population (people) against time (year)
	// threshold: majority: population = 500
	// crossing: t = 15.32
	// image: 1000 × 450
}

// The emergence dashboard stacks three panels on one time axis; the
// crossing, shift and sign-change times are drawn across all of them.
func ExampleDashboard() {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		log.Fatal(err)
	}
	e, err := loops.AnalyzeEmergence(context.Background(), m, model.RunOptions{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.Dashboard(m, e, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range fig.Panels {
		fmt.Printf("%s: %d lines across\n", p.Title, len(p.VRules))
	}
	// Output:
	// Variables and thresholds: 3 lines across
	// Loop dominance: relative loop scores: 3 lines across
	// Linear stability: largest real part of the Jacobian's eigenvalues: 3 lines across
}

// Variables of different units are drawn as small multiples, one panel
// per unit; SetTitle titles the figure above them (or the panel of a
// one-panel figure), as for a run with a param changed.
func ExampleFigure_SetTitle() {
	m, err := model.Load("../examples/predator-prey/predator_prey.toml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{Set: map[string]float64{"alpha": 0.6}})
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.TimeSeries(m, res, []string{"hares", "lynx"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fig.SetTitle("Hares and lynx, alpha = 0.6")
	fmt.Println(fig.Title)
	for _, p := range fig.Panels {
		fmt.Println(p.YLabel)
	}
	// Output:
	// Hares and lynx, alpha = 0.6
	// hares (thousand hares)
	// lynx (thousand lynx)
}
