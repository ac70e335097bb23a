package compile

import (
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/internal/vm"
	"github.com/stockflow/stockflow/model/syntax"
)

// nonNegative returns the argument x of a call in owner's equation, to be
// used in its place, and sees to it that a negative value is refused: at
// compile time when x is a number written in the equation, at run time
// otherwise. what names the argument in the error.
func (c *compiler) nonNegative(owner *vm.Var, x syntax.Expr, what string) syntax.Expr {
	if v, ok := constValue(x); ok {
		if v < 0 {
			c.errorAt(owner, x.Start(), "%s must not be negative, got %s", what, fmtNum(v))
		}
		return x
	}
	if id, ok := x.(*syntax.Ident); ok {
		if i, ok := c.p.ByName[id.Name]; ok && c.p.Vars[i].Role != vm.Lookup {
			c.guardVar(owner, i, what)
			return x
		}
	}
	h := c.newHidden(owner, vm.HiddenFlow, what)
	h.Eq = x
	c.guardVar(owner, c.p.ByName[h.Name], what)
	return ident(h.Name, x.Start())
}

// guardVar has runs refuse a negative value of variable i, an argument of
// a call in owner's equation. A variable is checked once, however many
// calls take it (a param that is the smoothing time of every element of
// an array), and a negative value is reported for the first of them.
func (c *compiler) guardVar(owner *vm.Var, i int, what string) {
	if c.guarded[i] {
		return
	}
	if c.guarded == nil {
		c.guarded = map[int]bool{}
	}
	c.guarded[i] = true
	c.p.Guards = append(c.p.Guards, vm.Guard{Var: i, Owner: c.p.ByName[owner.Name], What: what})
}

// fixGuards marks the guards whose variable keeps its value for a whole
// run, once the code is written: the variable is no stock, delay, previous
// value or random draw, nor shares the slot of one, and no instruction of
// the flow code writes its slot (params, initial values, and aux computed
// once at the start).
func (c *compiler) fixGuards() {
	p := c.p
	written := map[int32]bool{}
	for _, in := range p.FlowCode {
		written[in.Dst] = true
	}
	p.Varying = nil
	for k := range p.Guards {
		g := &p.Guards[k]
		v := p.Vars[g.Var]
		if v.AliasOf != nil {
			v = v.AliasOf // its slot is the one it shares
		}
		switch v.Role {
		case vm.Param, vm.Initial, vm.Flow, vm.Aux, vm.HiddenFlow:
			g.Fixed = !written[v.Slot]
		}
		if !g.Fixed {
			p.Varying = append(p.Varying, *g)
		}
	}
}

// fmtNum writes x in its shortest round-trip form.
func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// article puts "a" or "an" before a word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
