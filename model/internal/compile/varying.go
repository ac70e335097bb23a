package compile

import (
	"strings"

	"github.com/stockflow/stockflow/model/internal/vm"
	"github.com/stockflow/stockflow/model/syntax"
)

// markVarying finds which aux and flows change during a run: those that
// use a stock, discrete state, a random draw, time or a builtin that
// varies of itself, or another that varies, and the outflows of
// non-negative stocks, which are cut at each evaluation. The rest are
// computed once, at the start.
func (c *compiler) markVarying(flowOrder []int) {
	p := c.p
	c.varying = make([]bool, len(p.Vars))
	cut := map[int]bool{} // outflows of non-negative stocks are cut each evaluation
	for _, i := range p.Stocks {
		v := p.Vars[i]
		if v.NonNeg {
			for _, j := range v.Outflows {
				cut[j] = true
			}
		}
	}
	for _, i := range flowOrder {
		v := p.Vars[i]
		vary := cut[i] || v.InitEq != nil
		syntax.Walk(v.Eq, func(e syntax.Expr) bool {
			switch e := e.(type) {
			case *syntax.Ident:
				if j, ok := p.ByName[e.Name]; ok {
					switch r := p.Vars[j].Role; {
					case r.IsStock(), r == vm.Previous, r == vm.Pipeline, r == vm.Uniform, r == vm.Normal:
						vary = true
					case r.IsFlowLike():
						vary = vary || c.varying[j]
					}
				} else if strings.EqualFold(e.Name, "time") {
					vary = true
				}
			case *syntax.Call:
				if b, ok := builtins[strings.ToLower(e.Fn.Name)]; ok && b.varies {
					vary = true
				}
			}
			return true
		})
		c.varying[i] = vary
	}
}
