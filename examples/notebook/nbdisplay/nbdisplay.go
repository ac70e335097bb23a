// Package nbdisplay shows stockflow's pictures and reports in a Jupyter
// notebook run by the GoNB kernel, so that each step of a notebook is one
// short line:
//
//	m := nbdisplay.Must(model.Load("../middle-corridor/corridor.toml"))
//	nbdisplay.Show(plots.Dashboard(m, e, nil))
//
// It is a module of its own: it pulls in GoNB's gonbui, which stockflow's
// own packages must not depend on.
package nbdisplay

import (
	"bytes"
	"context"
	"fmt"
	"html"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/stockflow/stockflow/plots"
)

// Must returns v, or panics with err when it is not nil: a failing cell
// stops with the error as its output. It wraps any call that returns a
// value and an error, as Must(model.Load(path)).
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Show renders a figure as PNG and displays it in the cell's output. It
// takes the figure and the error of a plots function as they come, as
// Show(plots.Dashboard(m, e, nil)), and panics on the error.
func Show(fig *plots.Figure, err error) {
	if err != nil {
		panic(err)
	}
	png, err := fig.PNG()
	if err != nil {
		panic(fmt.Errorf("rendering the figure: %w", err))
	}
	gonbui.DisplayPNG(png)
}

// Diagram lays out a diagram given in DOT, as plots.StockFlowDOT and
// plots.LoopDOT return it, and displays it as SVG (scalable, its text
// selectable). It takes the DOT and the error as they come, as
// Diagram(plots.LoopDOT(list, plots.DiagramOptions{})), and panics on the
// error.
func Diagram(dot []byte, err error) {
	if err != nil {
		panic(err)
	}
	var svg bytes.Buffer
	if err := plots.RenderDiagram(context.Background(), dot, "svg", &svg); err != nil {
		panic(fmt.Errorf("drawing the diagram: %w", err))
	}
	gonbui.DisplaySVG(svg.String())
}

// Pre displays text in a fixed-width block, as for a report whose columns
// must line up.
func Pre(text string) {
	gonbui.DisplayHTML("<pre>" + html.EscapeString(text) + "</pre>")
}
