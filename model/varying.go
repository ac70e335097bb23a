package model

import (
	"strings"

	"github.com/stockflow/stockflow/model/syntax"
)

// markVarying finds which aux and flows change during a run: those that
// use a stock, discrete state, a random draw, time or a builtin that
// varies of itself, or another that varies, and the outflows of
// non-negative stocks, which are cut at each evaluation. The rest are
// computed once, at the start.
func (c *compiler) markVarying(flowOrder []int) {
	p := c.p
	c.varying = make([]bool, len(p.vars))
	cut := map[int]bool{} // outflows of non-negative stocks are cut each evaluation
	for _, i := range p.stocks {
		v := p.vars[i]
		if v.nonNeg {
			for _, j := range v.outflows {
				cut[j] = true
			}
		}
	}
	for _, i := range flowOrder {
		v := p.vars[i]
		vary := cut[i] || v.initEq != nil
		syntax.Walk(v.eq, func(e syntax.Expr) bool {
			switch e := e.(type) {
			case *syntax.Ident:
				if j, ok := p.byName[e.Name]; ok {
					switch r := p.vars[j].role; {
					case r.isStock(), r == rPrevious, r == rPipeline, r == rUniform, r == rNormal:
						vary = true
					case r.isFlowLike():
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
