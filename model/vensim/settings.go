package vensim

import (
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/units"
)

// settingsMarker starts the settings block that Vensim writes after the
// sketch, one "code:values" line each (some files put a byte 0x7F after
// the ":L").
const settingsMarker = `<%^E!@`

// vensimMethod is one of Vensim's integration types, by the code the
// fourth field of the settings block's 15: line holds.
type vensimMethod struct {
	name   string // as Vensim's Model Settings spell it
	method string // the stockflow method run for it
	note   string // what differs from Vensim, for a warning; "" when nothing does
}

// vensimMethods maps the 15: line's integration code to a method. xmutil
// and Simlin read 0 as Euler, 1 and 5 as RK4, 3 and 4 as RK2 and 2 as
// Difference; which of each pair is Auto and which Fixed follows the
// order in which Vensim's integration button steps through them (Euler,
// RK4, Difference, RK2 Fixed, RK2, RK4 Fixed).
var vensimMethods = map[int]vensimMethod{
	0: {"Euler", "euler", ""},
	1: {"RK4 Auto", "rk45", "Vensim's RK4 Auto shortens the step by its own error estimate; stockflow runs rk45 with max_step = TIME STEP, so the numbers agree to rel_tol, not digit for digit"},
	2: {"Difference", "euler", "Vensim's Difference integrates as Euler does but reports each aux and flow as computed at the save time before; stockflow reports them at their own time (stocks agree)"},
	3: {"RK2 Fixed", "rk2", "Vensim's RK2 takes the rates at the half step (the midpoint rule); stockflow's rk2 is Heun's rule, which agrees with it on linear models and differs by O(dt²) on others"},
	4: {"RK2 Auto", "rk45", "Vensim's RK2 Auto shortens the step by its own error estimate; stockflow runs rk45 with max_step = TIME STEP, so the numbers agree to rel_tol, not digit for digit"},
	5: {"RK4 Fixed", "rk4", ""},
}

// settings reads the integration method from the settings block after
// the sketch: the fourth field of its 15: line. A file without one runs
// Euler, Vensim's default.
func (r *reader) settings() {
	r.settingLines(func(line string, off int) bool {
		if rest, ok := strings.CutPrefix(line, "15:"); ok {
			r.method(line, rest, r.posOf(off))
			return false
		}
		return true
	})
}

// fileAliases reads the file aliases of the settings block: a 30: line
// per alias, "30:?groupon data=groupon data.xlsx", by which a GET
// function names its file ('?groupon data'), as in Tom Fiddaman's
// Groupon model.
func (r *reader) fileAliases() {
	r.settingLines(func(line string, _ int) bool {
		if rest, ok := strings.CutPrefix(line, "30:"); ok {
			name, file, ok := strings.Cut(rest, "=")
			if name = strings.TrimSpace(name); ok && strings.HasPrefix(name, "?") {
				if r.aliases == nil {
					r.aliases = map[string]string{}
				}
				r.aliases[strings.ToLower(name)] = strings.TrimSpace(file)
			}
		}
		return true
	})
}

// unitEquivalents reads the units equivalences of the settings block: a
// 22: line per set of names for one unit, "22:$,Dollar,Dollars,$s" or
// "22:Person,People,Persons", which Vensim writes into nearly every model
// and its units check reads. Each name after the first becomes a unit of
// the model's own equal to the first (Dollar = "$"), unless stockflow
// already takes the two for one unit (People, Persons and Person do;
// Dollars and Dollar do) or a name is not one the units language reads;
// a line whose first name is not one is left out.
func (r *reader) unitEquivalents() {
	seen := map[string]bool{}
	for _, u := range r.m.Units {
		seen[units.Key(u.Name)] = true
	}
	r.settingLines(func(line string, off int) bool {
		rest, ok := strings.CutPrefix(line, "22:")
		if !ok {
			return true
		}
		names := strings.Split(rest, ",")
		first := strings.TrimSpace(names[0])
		fk := units.Key(first)
		if fk == "" {
			return true
		}
		for _, n := range names[1:] {
			n = strings.TrimSpace(n)
			k := units.Key(n)
			if k == "" || k == fk || seen[k] {
				continue
			}
			seen[k] = true
			r.m.Units = append(r.m.Units, &decl.UnitDef{Name: n, Def: first, Pos: r.posOf(off), Key: "units." + n})
		}
		return true
	})
}

// settingLines calls f with each line of the settings block after the
// sketch and its offset, until f returns false.
func (r *reader) settingLines(f func(line string, off int) bool) {
	start := strings.Index(r.src, sketchMarker)
	if start < 0 {
		return
	}
	k := strings.Index(r.src[start:], settingsMarker)
	if k < 0 {
		return
	}
	off := start + k + len(settingsMarker)
	for off < len(r.src) {
		end := strings.IndexByte(r.src[off:], '\n')
		if end < 0 {
			end = len(r.src) - off
		}
		if !f(r.src[off:off+end], off) {
			return
		}
		off += end + 1
	}
}

// method sets the simulation method from the fields of a 15: line.
func (r *reader) method(line, fields string, pos syntax.Pos) {
	f := strings.Split(strings.TrimSpace(fields), ",")
	if len(f) < 4 {
		r.m.Warnings = append(r.m.Warnings, &syntax.Error{Pos: pos, Key: "integration type", Msg: "the settings line " + strconv.Quote(line) + " has no integration type (its fourth field); Euler is used"})
		return
	}
	code, err := strconv.Atoi(strings.TrimSpace(f[3]))
	vm, ok := vensimMethods[code]
	if err != nil || !ok {
		r.m.Warnings = append(r.m.Warnings, &syntax.Error{Pos: pos, Key: "integration type", Msg: "unknown integration type " + strconv.Quote(f[3]) + " in the settings line " + strconv.Quote(line) + " (Vensim's are 0 to 5); Euler is used"})
		return
	}
	r.m.Sim.Method = vm.method
	r.m.Sim.MethodFrom = "Vensim " + vm.name
	r.m.Sim.Pos["method"] = pos
	if vm.method == "rk45" {
		r.m.Sim.MaxStep = r.m.Sim.DT
		r.m.Sim.Pos["max_step"] = pos
	}
	if vm.note != "" {
		r.m.Warnings = append(r.m.Warnings, &syntax.Error{Pos: pos, Key: "integration type", Msg: vm.note})
	}
}
