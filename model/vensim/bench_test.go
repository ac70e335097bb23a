package vensim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// chain returns a .mdl model of n stocks in a chain, each with an aux and
// a smooth: about 4n variables.
func chain(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Stock %d = INTEG(Inflow %d - Inflow %d, 10) ~ units ~ |\n", i, i, i+1)
		fmt.Fprintf(&b, "Inflow %d = Stock %d * Rate %d + SMOOTH(Stock %d, 3) * 0.01 ~ units/month ~ |\n", i, max(i-1, 0), i, i)
		fmt.Fprintf(&b, "Rate %d = 0.1 ~ 1/month ~ |\n", i)
	}
	fmt.Fprintf(&b, "Inflow %d = Stock %d * 0.05 ~ units/month ~ |\n", n, n-1)
	b.WriteString("INITIAL TIME = 0 ~~|\nFINAL TIME = 100 ~~|\nTIME STEP = 0.25 ~~|\nSAVEPER = 1 ~~|\n")
	return []byte(b.String())
}

// BenchmarkLoad reads and compiles a model of about 400 variables.
func BenchmarkLoad(b *testing.B) {
	src := chain(100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.Parse("chain.mdl", src); err != nil {
			b.Fatal(err)
		}
	}
}
