package model

import (
	"fmt"

	"github.com/stockflow/stockflow/model/internal/compile"
)

// CheckGuards returns an error if an argument that must not be negative
// is, as the slots hold it at time t. The first check (at the start)
// looks at every argument, the later ones only at those that vary.
func (r *run) CheckGuards(t float64) error {
	p := r.p
	guards := p.Varying
	if !r.guarded {
		guards, r.guarded = p.Guards, true
	}
	for _, g := range guards {
		if x := r.v[p.Vars[g.Var].Slot]; x < 0 {
			o := p.Vars[g.Owner].Src
			return fmt.Errorf("%s: %s in the equation of %s is %s at t=%s; it must not be negative (equation %q)",
				compile.EqKey(o), g.What, o.Name, fmtNum(x), fmtNum(t), o.Eq.Text)
		}
	}
	for j, c := range r.convs {
		if c == nil {
			continue
		}
		pv := p.Vars[p.Pipes[j]]
		if x := r.v[p.Vars[pv.DelayT].Slot]; !(x >= 0) {
			o := pv.Src
			return fmt.Errorf("%s: the delay time of %s in the equation of %s is %s at t=%s; it must be a number, 0 or more (equation %q)",
				compile.EqKey(o), pv.Builtin, o.Name, fmtNum(x), fmtNum(t), o.Eq.Text)
		}
	}
	return nil
}
