// Package plots draws stockflow's results and loop analyses with
// gonum.org/v1/plot: the phase after a model is run and analysed.
//
// In: a *model.Result, a *loops.Emergence (or its parts, a
// *loops.Dominance and a *loops.Stability), a *loops.Tipping or a
// *sensitivity.Result. Out: a
// *Figure, which describes a picture as data — the lines, stacked areas,
// shaded periods, rules, markers and labels of each panel, and the axis
// ranges and titles — before anything is drawn:
//
//	TimeSeries  variables over time, one panel per unit (small
//	            multiples on a shared time axis), thresholds as lines,
//	            crossings marked and labelled with their time; a line on
//	            top of another dashed so that both show
//	Phase       one variable against another, arrows for the direction
//	            of time
//	Dominance   relative loop scores as stacked areas, reinforcing loops
//	            in warm colours above zero, balancing ones in cool colours
//	            below, dominant periods shaded
//	Stability   the largest real part of the Jacobian's eigenvalues over
//	            time, the zero line, amplifying and damping periods
//	Dashboard   time series, dominance and stability stacked on a shared
//	            time axis, crossing and shift times drawn across them (on
//	            a strip of their own under them when there are many)
//	TippingMap  the first crossing time of a threshold over a grid of two
//	            params, "never crosses" in its own colour, a colour bar
//	CrossingProbability
//	            the share of a sensitivity study's runs that have crossed
//	            a threshold by time t, the median and the share by the end
//	Fan         a variable's 5–95 % and 25–75 % bands and median over the
//	            runs of a sensitivity study, with its thresholds
//	Indices     Sobol indices (total and first order, with intervals) or
//	            Morris's μ* and σ of one output, params ranked, as bars
//
// Every axis has round ticks (1, 2 or 5 × 10ⁿ, the shortest labels), and
// labels are placed clear of markers and curves.
//
// A Figure renders to an image.Image or PNG bytes (for notebooks), and
// to PNG, SVG or PDF files chosen by the file's extension. The package
// computes nothing of its own beyond laying the data out: the numbers come
// from packages model, loops and sensitivity.
//
// Diagrams are DOT (StockFlowDOT, LoopDOT) laid out by Graphviz and
// painted by RenderDiagram. A PNG diagram is written by the package's own
// PNG writer, not image/png, for speed: the largest bundled model's
// diagram is 51 million pixels of line art, and image/png, which tries
// all five PNG row filters on every row to pick one and compresses on one
// processor, took more time than Graphviz and the painting together. The
// writer leaves rows unfiltered (line art compresses as well without a
// filter) and compresses bands of rows on all processors at once, in a
// third of image/png's processor time at its fastest level for a smaller
// file (BenchmarkDiagramPNGEncode); image/png reads its files back pixel
// for pixel (TestWritePNG, FuzzWritePNG).
package plots
