package synth

import (
	"fmt"
	"strings"
)

// expr returns variable i's equation; goSyntax selects Go over Vensim.
// Both group the operations the same way, so that the engines compute
// the same numbers. Smooths and delays are Vensim builtins only (the Go
// writes their stocks out).
func (m *Model) expr(i int, goSyntax bool) string {
	v := m.Vars[i]
	a := func(k int) string { return m.Vars[v.args[k]].name }
	look := func(t int, x string) string {
		if goSyntax {
			return fmt.Sprintf("lookup(%s_x[:], %s_y[:], %s)", m.Tables[t].Name, m.Tables[t].Name, x)
		}
		return fmt.Sprintf("%s(%s)", m.Tables[t].Name, x)
	}
	fn := func(vensim, gofn string) string {
		if goSyntax {
			return gofn
		}
		return vensim
	}
	switch v.kind {
	case kInflow:
		return fmt.Sprintf("%s * %s * %s * %s", a(0), v.param, look(v.table, a(1)), a(2))
	case kOutflow:
		return fmt.Sprintf("%s / %s * %s * %s", a(0), v.param, look(v.table, a(1)), a(2))
	case kRatio:
		return fmt.Sprintf("%s / %s", a(0), v.param)
	case kLookup:
		return look(v.table, a(0))
	case kMul:
		return fmt.Sprintf("%s * %s", a(0), a(1))
	case kDiv:
		return fmt.Sprintf("%s / %s", a(0), a(1))
	case kMix:
		return fmt.Sprintf("%s * %s + %s * %s", a(0), num(v.c[0]), a(1), num(round3(1-v.c[0])))
	case kSum:
		return fmt.Sprintf("(%s + %s) * %s", a(0), a(1), num(v.c[0]))
	case kMin:
		return fmt.Sprintf("%s(%s, %s)", fn("MIN", "math.Min"), a(0), a(1))
	case kMax:
		return fmt.Sprintf("%s(%s, %s)", fn("MAX", "math.Max"), a(0), a(1))
	case kSwitch:
		if goSyntax {
			return fmt.Sprintf("ifElse(t >= %s, %s, %s)", num(v.c[0]), a(0), a(1))
		}
		return fmt.Sprintf("IF THEN ELSE(Time >= %s, %s, %s)", num(v.c[0]), a(0), a(1))
	case kSmooth, kSmooth3, kDelay1, kDelay3:
		return fmt.Sprintf("%s(%s, %s)", []string{"SMOOTH", "SMOOTH3", "DELAY1", "DELAY3"}[v.kind-kSmooth], a(0), v.param)
	}
	panic(fmt.Sprintf("synth: variable %s of kind %d", v.name, v.kind))
}

// MDL returns the model as a Vensim .mdl file.
func (c Config) MDL() string {
	m := c.Build()
	var b strings.Builder
	eq := func(lhs, rhs, units, doc string) {
		fmt.Fprintf(&b, "%s = %s\n\t~\t%s\n\t~\t%s\n\t|\n\n", lhs, rhs, units, doc)
	}
	b.WriteString("{UTF-8}\n")
	for i, v := range m.Vars {
		if v.kind == kStock {
			eq(v.name, fmt.Sprintf("INTEG(%s - %s, %s)", m.Vars[v.args[0]].name, m.Vars[v.args[1]].name, v.param), "", "")
			continue
		}
		eq(v.name, m.expr(i, false), "", "")
	}
	for _, p := range m.Params {
		eq(p.Name, num(p.Value), "", "")
	}
	for _, t := range m.Tables {
		var pts []string
		for i := range t.Xs {
			pts = append(pts, fmt.Sprintf("(%s,%s)", num(t.Xs[i]), num(t.Ys[i])))
		}
		fmt.Fprintf(&b, "%s(\n\t%s)\n\t~\t\n\t~\t\n\t|\n\n", t.Name, strings.Join(pts, ","))
	}
	b.WriteString("********************************************************\n\t.Control\n********************************************************~\n\t\tSimulation Control Parameters\n\t|\n\n")
	eq("FINAL TIME", num(c.Stop), "year", "The final time for the simulation.")
	eq("INITIAL TIME", num(c.Start), "year", "The initial time for the simulation.")
	eq("SAVEPER", num(c.SaveEvery), "year", "The frequency with which output is stored.")
	eq("TIME STEP", num(c.DT), "year", "The time step for the simulation.")
	b.WriteString("\\\\\\---/// Sketch information - do not modify anything except names\nV300  Do not put anything below this section - it will be ignored\n")
	return b.String()
}
