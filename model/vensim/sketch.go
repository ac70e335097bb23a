package vensim

import (
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
)

// sketchEnd ends the sketch; the settings follow it.
const sketchEnd = `///---\\\`

// viewGap is the space left between two views of a sketch when their
// diagrams are put one below the other, in the sketch's units (pixels).
const viewGap = 80

// sketch reads where the variables stand on the model's sketch
// (decl.Var.At), from the sketch information after the equations: each
// view starts with a "*View" line, a variable is a line "10,id,name,x,y,
// ...", a flow's valve a line "11,id,...,x,y,..." just before the line of
// the flow's name. A flow's place is its valve's. A variable drawn more
// than once (a shadow variable, another view) keeps its first place, and
// each view is put below the ones before it, so that a model sketched on
// several views still makes one diagram without overlaps. Lines the
// reader does not understand are skipped: the sketch only adds places.
func (r *reader) sketch() {
	start := strings.Index(r.src, sketchMarker)
	if start < 0 {
		return
	}
	text := r.src[start:]
	if end := strings.Index(text, sketchEnd); end >= 0 {
		text = text[:end]
	}
	type place struct {
		v    *decl.Var
		x, y float64
	}
	var (
		view   []place
		bottom float64 // the lowest place of the views so far
		views  int
		placed = map[*decl.Var]bool{}
		valve  struct {
			id   int
			x, y float64
			ok   bool
		}
	)
	flush := func() {
		if len(view) == 0 {
			return
		}
		top := view[0].y
		for _, p := range view {
			top = min(top, p.y)
		}
		shift := 0.0
		if views > 0 {
			shift = bottom + viewGap - top
		}
		for _, p := range view {
			p.v.At = &decl.Point{X: p.x, Y: p.y + shift}
			bottom = max(bottom, p.y+shift)
		}
		views++
		view = view[:0]
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "*") {
			flush()
			continue
		}
		f := sketchFields(line)
		if len(f) < 5 {
			continue
		}
		id, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		x, errx := strconv.ParseFloat(f[3], 64)
		y, erry := strconv.ParseFloat(f[4], 64)
		if errx != nil || erry != nil || !decl.Coord(x) || !decl.Coord(y) {
			continue
		}
		switch f[0] {
		case "11":
			valve.id, valve.x, valve.y, valve.ok = id, x, y, true
			continue
		case "10":
		default:
			valve.ok = false
			continue
		}
		name := f[2]
		atValve := valve.ok && valve.id == id-1
		valve.ok = false
		vv := r.vars[nameKey(name)]
		if vv == nil {
			continue
		}
		v := r.m.Var(vv.name)
		if v == nil || placed[v] {
			continue
		}
		if v.Kind == decl.Flow && atValve {
			x, y = valve.x, valve.y
		}
		placed[v] = true
		view = append(view, place{v, x, y})
	}
	flush()
}

// sketchFields splits a sketch line at its commas; a field in double
// quotes (a name with a comma in it) keeps its commas and quotes.
func sketchFields(line string) []string {
	var out []string
	for len(line) > 0 {
		if line[0] == '"' {
			end := strings.IndexByte(line[1:], '"')
			if end >= 0 {
				field := line[:end+2]
				line = line[end+2:]
				out = append(out, field)
				line = strings.TrimPrefix(line, ",")
				continue
			}
		}
		field, rest, found := strings.Cut(line, ",")
		out = append(out, field)
		if !found {
			break
		}
		line = rest
	}
	return out
}
