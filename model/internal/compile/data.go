package compile

import (
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/internal/vm"
	"github.com/stockflow/stockflow/model/syntax"
)

// declareData compiles a data variable as a lookup over time: a hidden
// lookup holding its points, and an aux v whose equation calls it at
// time. It reports whether v is to be added.
func (c *compiler) declareData(v *vm.Var, dv *decl.Var) bool {
	v.Role = vm.Aux
	if len(dv.Points) == 0 {
		if c.partial {
			v.Eq = &syntax.Num{Text: "0"}
			return true
		}
		if dv.Data != nil && dv.Data.File != "" {
			c.errs.Addf(dv.FieldPosOr("file"), dv.Key+".file", "the data file %q was not read: call decl.ReadData before Compile", dv.Data.File)
		} else {
			c.structural(dv.Pos, dv.Key+".points", "a data variable needs at least 1 point")
		}
		return false
	}
	t := vm.Table{Xs: make([]float64, len(dv.Points)), Ys: make([]float64, len(dv.Points))}
	for i, pt := range dv.Points {
		t.Xs[i], t.Ys[i] = pt[0], pt[1]
	}
	t.Extrapolate = dv.Extrapolate && len(dv.Points) >= 2
	if dv.Data != nil {
		switch dv.Data.Interpolate {
		case decl.InterpHold:
			t.Mode = vm.InterpHold
		case decl.InterpNone:
			t.Mode = vm.InterpNone
		case decl.InterpForward:
			t.Mode = vm.InterpForward
		}
	}
	lk := &vm.Var{Name: "$" + dv.Name + "·data", Role: vm.Lookup, Hidden: true, Src: dv, Key: dv.Key, Table: len(c.p.Tables)}
	c.p.Tables = append(c.p.Tables, t)
	c.add(lk)
	v.Eq = &syntax.Call{Fn: &syntax.Ident{Name: lk.Name}, Args: []syntax.Expr{&syntax.Ident{Name: "time"}}}
	return true
}
