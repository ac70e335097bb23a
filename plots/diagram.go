package plots

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model/decl"
)

// DiagramOptions chooses what a stock-and-flow diagram or a causal-loop
// diagram shows. The zero value shows the whole model, params included.
type DiagramOptions struct {
	// HideParams leaves the params and their links out.
	HideParams bool
	// Focus, when not empty, names the variable whose neighbourhood the
	// diagram shows: the variables at most Depth links from it, in either
	// direction.
	Focus string
	// Depth is the reach of Focus, in links; zero means 1.
	Depth int
	// Loops names loops (by name, label or ID) whose links a causal-loop
	// diagram highlights, dimming the rest.
	Loops []string
	// Dominance, when not nil, colours a causal-loop diagram's loops by
	// their relative score at the save point nearest to At: a loop's
	// links and marker grow bolder with its share of its partition.
	Dominance *loops.Dominance
	// At is the time at which Dominance is read.
	At float64
	// LoopsOnly, in a causal-loop diagram, keeps only the variables of
	// the loops it draws: those Loops names, or, when it names none,
	// every loop the model names in [[loops]]; and the links among them.
	// Of a large model it draws the argument of its loops alone.
	LoopsOnly bool
	// Caption, when not empty, is a line under a causal-loop diagram's
	// title: what happens at At, say.
	Caption string
	// Layout is LayoutAuto (the default, "" too) or LayoutFile, which
	// draws the variables where the model file's own diagram has them.
	Layout string
}

// Diagram colours: stocks, flows and the loop markers.
const (
	stockFill       = "#e8eef7"
	flowFill        = "#fdf1d8"
	paramColor      = "#6b6b6b"
	linkColor       = "#5a5a5a"
	dimColor        = "#c8c8c8"
	reinforcingFill = "#fbe3dc"
	balancingFill   = "#dde9f6"
)

// Loop colours: reinforcing loops in warm hues, balancing ones in cool
// hues, as in the dominance plots, so the two kinds tell apart at a glance.
var (
	warmLoopColors = []string{"#c0392b", "#d35400", "#a0306e", "#b7770e", "#8e2a1e"}
	coolLoopColors = []string{"#1f5fa8", "#148f77", "#5b3fa0", "#2e86c1", "#1d6e4f"}
)

// StockFlowDOT returns the stock-and-flow diagram of g's model in the DOT
// language of Graphviz: stocks as boxes, each flow as a valve (a hexagon)
// on a double-line pipe from the stock it drains, or a cloud, to the stock
// it fills, or a cloud; aux as ellipses, params as grey names and data
// variables as notes (a sheet with a folded corner);
// information links as thin arrows labelled with their structural
// polarity, "+", "−" or "?". The pipes are laid left to right, so that
// the main chains of stocks read that way.
//
// Each variable is one node, named after it, and each causal link is one
// edge, with the DOT id "FROM -> TO": a link from a flow to its stock is
// the pipe between them.
func StockFlowDOT(g *loops.Graph, opt DiagramOptions) ([]byte, error) {
	keep, err := keepSet(g, opt, false)
	if err != nil {
		return nil, err
	}
	d := g.Model().Decl
	var b bytes.Buffer
	fmt.Fprintf(&b, "digraph %s {\n", dotID(d.Name+" stock and flow"))
	b.WriteString("\trankdir=LR; newrank=true; nodesep=0.35; ranksep=0.5; pad=0.2;\n")
	b.WriteString("\tnode [fontname=\"Helvetica\", fontsize=12];\n")
	b.WriteString("\tedge [fontname=\"Helvetica\", fontsize=11];\n")
	if d.Name != "" {
		fmt.Fprintf(&b, "\tlabel=%s; labelloc=t; fontname=\"Helvetica\"; fontsize=16;\n", dotID(d.Name))
	}

	b.WriteString("\n\t// stocks\n")
	for _, n := range g.Nodes {
		if keep[n.Name] && n.Kind == decl.Stock {
			fmt.Fprintf(&b, "\t%s [shape=box, style=filled, fillcolor=%q, penwidth=1.5, height=0.6];\n", dotID(n.Name), stockFill)
		}
	}
	b.WriteString("\n\t// flows: valves on pipes\n")
	for _, n := range g.Nodes {
		if keep[n.Name] && n.Kind == decl.Flow {
			fmt.Fprintf(&b, "\t%s [shape=hexagon, style=filled, fillcolor=%q, height=0.4];\n", dotID(n.Name), flowFill)
		}
	}
	b.WriteString("\n\t// aux\n")
	for _, n := range g.Nodes {
		if keep[n.Name] && n.Kind == decl.Aux {
			fmt.Fprintf(&b, "\t%s [shape=ellipse];\n", dotID(n.Name))
		}
	}
	header := "\n\t// data: time series read, not computed\n"
	for _, n := range g.Nodes {
		if keep[n.Name] && n.Kind == decl.Data {
			b.WriteString(header)
			header = ""
			fmt.Fprintf(&b, "\t%s [%s];\n", dotID(n.Name), dataShape)
		}
	}
	if !opt.HideParams {
		b.WriteString("\n\t// params\n")
		for _, n := range g.Nodes {
			if keep[n.Name] && n.Kind == decl.Param {
				fmt.Fprintf(&b, "\t%s [shape=plaintext, fontcolor=%q, fontsize=11, height=0.25];\n", dotID(n.Name), paramColor)
			}
		}
	}

	// The pipes: each flow's source and sink, a stock or a cloud.
	b.WriteString("\n\t// pipes\n")
	pipe := map[[2]string]bool{} // the links a pipe stands for
	for _, n := range g.Nodes {
		if !keep[n.Name] || n.Kind != decl.Flow {
			continue
		}
		from, to := pipeEnds(d, keep, n.Name)
		if len(from) == 0 {
			cloud := "cloud: " + n.Name + " source"
			fmt.Fprintf(&b, "\t%s [shape=ellipse, style=dashed, label=\" \", width=0.4, height=0.3];\n", dotID(cloud))
			fmt.Fprintf(&b, "\t%s -> %s [%s, arrowhead=none];\n", dotID(cloud), dotID(n.Name), pipeStyle)
		}
		for _, s := range from {
			pipe[[2]string{n.Name, s}] = true
			fmt.Fprintf(&b, "\t%s -> %s [id=%s, %s, arrowhead=none];\n", dotID(s), dotID(n.Name), dotID(n.Name+" -> "+s), pipeStyle)
		}
		for _, s := range to {
			pipe[[2]string{n.Name, s}] = true
			fmt.Fprintf(&b, "\t%s -> %s [id=%s, %s];\n", dotID(n.Name), dotID(s), dotID(n.Name+" -> "+s), pipeStyle)
		}
		if len(to) == 0 {
			cloud := "cloud: " + n.Name + " sink"
			fmt.Fprintf(&b, "\t%s [shape=ellipse, style=dashed, label=\" \", width=0.4, height=0.3];\n", dotID(cloud))
			fmt.Fprintf(&b, "\t%s -> %s [%s];\n", dotID(n.Name), dotID(cloud), pipeStyle)
		}
	}

	b.WriteString("\n\t// information links\n")
	for _, e := range g.Edges {
		if !keep[e.From] || !keep[e.To] || pipe[[2]string{e.From, e.To}] {
			continue
		}
		from, _ := g.Node(e.From)
		attrs := fmt.Sprintf("id=%s, label=%s, color=%q, fontcolor=%q, arrowsize=0.6", dotID(e.From+" -> "+e.To), dotID(signLabel(e.Sign)), linkColor, linkColor)
		to, _ := g.Node(e.To)
		switch {
		case from.Kind == decl.Param:
			// Params hang off the diagram without pulling it about.
			attrs += ", weight=0"
		case to.Kind == decl.Flow:
			// A link into a valve would drag the valve out of its
			// pipe's place in the chain: it does not rank the valve.
			attrs += ", constraint=false"
		}
		if e.From == e.To {
			attrs += ", headport=n, tailport=n"
		}
		fmt.Fprintf(&b, "\t%s -> %s [%s];\n", dotID(e.From), dotID(e.To), attrs)
	}
	if err := layoutStatements(&b, g, keep, opt, false); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// dataShape draws a data variable: a sheet of paper with a folded corner,
// the series it reads from a file or its table.
const dataShape = `shape=note, style=filled, fillcolor="#f2f2f2", color="#6b6b6b", fontsize=11`

// pipeStyle draws a pipe: a double line, heavy enough to lay the chain of
// stocks and flows out along the rank direction.
const pipeStyle = `color="#303030:invis:#303030", penwidth=1.2, weight=8, arrowsize=0.9`

// LoopDOT returns the causal-loop diagram of l's model in the DOT
// language: the stocks, flows, aux and data variables (no params), stocks
// in boxes and data variables as notes, every causal link an arrow
// labelled with its polarity, and for each named
// loop a marker — "R" or "B" and the loop's name in a circle — tied to
// the loop's variables. The named loops' links take the loop's colour,
// warm for reinforcing loops, cool for balancing ones; opt.Loops
// highlights some loops and dims the rest; opt.Dominance shades them by
// their share of dominance at opt.At.
//
// Each variable is one node, each causal link one edge with the DOT id
// "FROM -> TO", and each marker a node named "loop: NAME".
func LoopDOT(l *loops.List, opt DiagramOptions) ([]byte, error) {
	g := l.Graph
	opt.HideParams = true
	keep, err := keepSet(g, opt, true)
	if err != nil {
		return nil, err
	}
	var named []*loops.Loop
	for _, lp := range l.Loops {
		if lp.Name != "" {
			named = append(named, lp)
		}
	}
	highlight := map[*loops.Loop]bool{}
	for _, key := range opt.Loops {
		lp := l.Loop(key)
		if lp == nil {
			return nil, fmt.Errorf("no loop %q: name a loop of the model by its name, label (L1, L2, …) or ID; run \"stockflow loops\" to list them", key)
		}
		highlight[lp] = true
		if !slices.Contains(named, lp) {
			named = append(named, lp)
		}
	}
	if opt.LoopsOnly {
		if named, err = loopsOnly(keep, named, highlight); err != nil {
			return nil, err
		}
	}
	share := map[*loops.Loop]float64{}
	if opt.Dominance != nil {
		d := opt.Dominance
		if len(d.Times) == 0 {
			return nil, fmt.Errorf("the dominance analysis has no save points")
		}
		if opt.At < d.Times[0] || opt.At > d.Times[len(d.Times)-1] {
			return nil, fmt.Errorf("--dominant-at %s is outside the run, %s to %s",
				fmtNum(opt.At), fmtNum(d.Times[0]), fmtNum(d.Times[len(d.Times)-1]))
		}
		i := nearest(d.Times, opt.At)
		for k, dl := range d.Loops {
			if lp := l.Loop(dl.ID); lp != nil {
				share[lp] = d.Relative[k][i]
			}
		}
	}

	// Each link's colours: those of the named loops through it.
	colour := map[*loops.Loop]string{}
	warm, cool := 0, 0
	for _, lp := range named {
		if lp.Polarity == loops.Balancing {
			colour[lp] = coolLoopColors[cool%len(coolLoopColors)]
			cool++
		} else {
			colour[lp] = warmLoopColors[warm%len(warmLoopColors)]
			warm++
		}
	}
	onLoop := map[[2]string][]*loops.Loop{}
	for _, lp := range named {
		for k, v := range lp.Vars {
			w := lp.Vars[(k+1)%len(lp.Vars)]
			key := [2]string{v, w}
			onLoop[key] = append(onLoop[key], lp)
		}
	}

	d := g.Model().Decl
	var b bytes.Buffer
	fmt.Fprintf(&b, "digraph %s {\n", dotID(d.Name+" causal loops"))
	// A spring layout: each loop's marker is tied to the loop's
	// variables by invisible springs, so it settles inside the loop.
	b.WriteString("\tlayout=neato; start=1; overlap=false; splines=true; sep=\"+10\"; esep=\"+4\"; pad=0.2;\n")
	b.WriteString("\tnode [fontname=\"Helvetica\", fontsize=12];\n")
	b.WriteString("\tedge [fontname=\"Helvetica\", fontsize=14];\n")
	var title string
	switch {
	case d.Name != "" && opt.Dominance != nil:
		title = fmt.Sprintf("%s: causal loops (loop dominance at t = %.6g)", d.Name, opt.At)
	case d.Name != "":
		title = d.Name + ": causal loops"
	case opt.Dominance != nil:
		title = fmt.Sprintf("Loop dominance at t = %.6g", opt.At)
	}
	if opt.Caption != "" {
		title = strings.TrimPrefix(title+"\n"+opt.Caption, "\n")
	}
	if title != "" {
		fmt.Fprintf(&b, "\tlabel=%s; labelloc=t; fontname=\"Helvetica\"; fontsize=16;\n", dotID(title))
	}
	b.WriteString("\n\t// variables\n")
	for _, n := range g.Nodes {
		if !keep[n.Name] {
			continue
		}
		switch n.Kind {
		case decl.Stock:
			fmt.Fprintf(&b, "\t%s [shape=box, penwidth=1.5];\n", dotID(n.Name))
		case decl.Data:
			fmt.Fprintf(&b, "\t%s [%s];\n", dotID(n.Name), dataShape)
		default:
			fmt.Fprintf(&b, "\t%s [shape=plaintext, height=0.3];\n", dotID(n.Name))
		}
	}

	dimmed := len(highlight) > 0
	b.WriteString("\n\t// loop markers\n")
	for _, lp := range named {
		if !slices.ContainsFunc(lp.Vars, func(v string) bool { return keep[v] }) {
			continue
		}
		letter, fill := "R", reinforcingFill
		switch lp.Polarity {
		case loops.Balancing:
			letter, fill = "B", balancingFill
		case loops.Undetermined:
			letter = "?"
		}
		name := lp.Name
		if name == "" {
			name = lp.Label
		}
		label := letter + "\n" + strings.ReplaceAll(name, " ", "\n")
		attrs := fmt.Sprintf("shape=circle, style=filled, fillcolor=%q, color=%q, fontcolor=%q, penwidth=2, fontsize=11, margin=0.02",
			fill, colour[lp], colour[lp])
		if dimmed && !highlight[lp] {
			attrs = fmt.Sprintf("shape=circle, color=%q, fontcolor=%q, fontsize=12", dimColor, dimColor)
		}
		if s, ok := share[lp]; ok {
			label += "\n" + strconv.Itoa(int(math.Round(100*math.Abs(s)))) + "%"
			attrs += fmt.Sprintf(", penwidth=%s", fmtNum(1+6*math.Abs(s)))
		}
		fmt.Fprintf(&b, "\t%s [label=%s, %s];\n", dotID("loop: "+name), dotID(label), attrs)
		// Invisible ties draw the marker into its loop without ranking it.
		for _, v := range lp.Vars {
			if keep[v] {
				fmt.Fprintf(&b, "\t%s -> %s [style=invis, len=0.9, weight=4];\n", dotID("loop: "+name), dotID(v))
			}
		}
	}

	b.WriteString("\n\t// causal links\n")
	mutual := map[[2]string]bool{} // the links shown, and so those with one back
	for _, e := range g.Edges {
		if keep[e.From] && keep[e.To] && e.From != e.To {
			mutual[[2]string{e.From, e.To}] = true
		}
	}
	for _, e := range g.Edges {
		if !keep[e.From] || !keep[e.To] {
			continue
		}
		on := onLoop[[2]string{e.From, e.To}]
		var cs []string
		width := 1.0
		for _, lp := range on {
			if dimmed && !highlight[lp] {
				continue
			}
			cs = append(cs, colour[lp])
			if s, ok := share[lp]; ok {
				width = max(width, 1+6*math.Abs(s))
			} else {
				width = 2
			}
		}
		col := linkColor
		switch {
		case len(cs) > 0:
			col = strings.Join(cs, ":")
		case dimmed:
			col = dimColor
		}
		font := col
		if len(cs) > 1 {
			font = cs[0]
		}
		back := ""
		if mutual[[2]string{e.To, e.From}] {
			// A link with one back beside it: the two bow apart, their
			// variables moved apart if need be (pinMarkers).
			back = ", " + twoWay
		}
		fmt.Fprintf(&b, "\t%s -> %s [id=%s, label=%s, color=%q, fontcolor=%q, penwidth=%s%s];\n",
			dotID(e.From), dotID(e.To), dotID(e.From+" -> "+e.To), dotID(signLabel(e.Sign)), col, font, fmtNum(width), back)
	}
	if err := layoutStatements(&b, g, keep, opt, true); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// loopsOnly narrows keep to the variables of the loops a causal-loop
// diagram draws with DiagramOptions.LoopsOnly: the highlighted ones, or
// every named loop when none is highlighted. It returns the named loops
// left whole, which keep their markers.
func loopsOnly(keep map[string]bool, named []*loops.Loop, highlight map[*loops.Loop]bool) ([]*loops.Loop, error) {
	shown := named
	if len(highlight) > 0 {
		shown = slices.DeleteFunc(slices.Clone(named), func(lp *loops.Loop) bool { return !highlight[lp] })
	}
	if len(shown) == 0 {
		return nil, fmt.Errorf("--loops-only draws the model's named loops, and it names none: name loops in [[loops]], or choose loops with --loop (\"stockflow loops\" lists them)")
	}
	on := map[string]bool{}
	for _, lp := range shown {
		for _, v := range lp.Vars {
			on[v] = true
		}
	}
	for v := range keep {
		if !on[v] {
			delete(keep, v)
		}
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("--loops-only with --focus leaves nothing to draw: the loops do not pass within --depth of the focus")
	}
	return slices.DeleteFunc(slices.Clone(named), func(lp *loops.Loop) bool {
		return slices.ContainsFunc(lp.Vars, func(v string) bool { return !keep[v] })
	}), nil
}

// twoWay marks, in a causal-loop diagram's DOT, a link between two
// variables linked both ways (an attribute Graphviz keeps but does not
// use).
const twoWay = "twoway=true"

// keepSet returns the variables a diagram shows: every one, less the
// params when opt.HideParams, within opt.Depth links of opt.Focus when it
// is set.
func keepSet(g *loops.Graph, opt DiagramOptions, cld bool) (map[string]bool, error) {
	keep := map[string]bool{}
	for _, n := range g.Nodes {
		if !(opt.HideParams && n.Kind == decl.Param) {
			keep[n.Name] = true
		}
	}
	if opt.Focus == "" {
		return keep, nil
	}
	if _, ok := g.Node(opt.Focus); !ok || !keep[opt.Focus] {
		what := "variable"
		if cld {
			what = "stock, flow or aux"
		}
		return nil, fmt.Errorf("--focus %q is not a %s of the model", opt.Focus, what)
	}
	depth := opt.Depth
	if depth <= 0 {
		depth = 1
	}
	near := map[string][]string{}
	for _, e := range g.Edges {
		near[e.From] = append(near[e.From], e.To)
		near[e.To] = append(near[e.To], e.From)
	}
	seen := map[string]bool{opt.Focus: true}
	front := []string{opt.Focus}
	for range depth {
		var next []string
		for _, v := range front {
			for _, w := range near[v] {
				if keep[w] && !seen[w] {
					seen[w] = true
					next = append(next, w)
				}
			}
		}
		front = next
	}
	if !cld {
		// A valve's pipe ends at its stocks, not at a cloud, which would
		// say the flow crosses the model's boundary.
		for _, v := range g.Model().Decl.Vars {
			if v.Kind != decl.Stock || seen[v.Name] {
				continue
			}
			for _, fl := range slices.Concat(v.Inflows, v.Outflows) {
				if seen[fl] {
					seen[v.Name] = true
				}
			}
		}
	}
	return seen, nil
}

// signLabel is the label of a link of structural sign s.
func signLabel(s int) string {
	switch {
	case s > 0:
		return "+"
	case s < 0:
		return "−"
	}
	return "?"
}

// nearest returns the index of the time in ts nearest to t.
func nearest(ts []float64, t float64) int {
	i, _ := slices.BinarySearch(ts, t)
	if i == len(ts) || (i > 0 && t-ts[i-1] < ts[i]-t) {
		i--
	}
	return i
}

// fmtNum formats x in its shortest round-trip form.
func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// dotID quotes s as a DOT identifier.
func dotID(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// pipeEnds returns the kept stocks that flow drains (from) and fills
// (to), in the declaration's order.
func pipeEnds(d *decl.Model, keep map[string]bool, flow string) (from, to []string) {
	for _, v := range d.Vars {
		if v.Kind != decl.Stock || !keep[v.Name] {
			continue
		}
		if slices.Contains(v.Outflows, flow) {
			from = append(from, v.Name)
		}
		if slices.Contains(v.Inflows, flow) {
			to = append(to, v.Name)
		}
	}
	return from, to
}
