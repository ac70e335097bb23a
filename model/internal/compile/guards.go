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

// fmtNum writes x in its shortest round-trip form.
func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// article puts "a" or "an" before a word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
