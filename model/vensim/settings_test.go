package vensim

import (
	"slices"
	"testing"
)

// TestUnitEquivalents reads the settings block's 22: lines: each name
// after the first is a unit equal to the first, unless stockflow already
// takes them for one unit (Dollars is Dollar's plural; People, Persons
// and Person are one) or the name is not a unit name.
func TestUnitEquivalents(t *testing.T) {
	src := "a = 3 ~ Dollars ~ |\nb = a ~ $ ~ |\nFINAL TIME = 1 ~~|\nINITIAL TIME = 0 ~~|\nTIME STEP = 1 ~~|\n" +
		"\\\\\\---/// Sketch information - do not modify anything except names\nV300  Do not put anything below this section - it will be ignored\n*View 1\n///---\\\\\\\n:L<%^E!@\n" +
		"22:$,Dollar,Dollars,$s\n22:Person,People,Persons\n22:Ton,Tons,tonne,metric ton\n22:time units,tu\n15:0,0,0,0,0,0\n"
	m, err := Parse("m.mdl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range m.Units {
		got = append(got, u.Name+"="+u.Def)
	}
	if want := []string{"Dollar=$", "$s=$", "tonne=Ton"}; !slices.Equal(got, want) {
		t.Errorf("units %v, want %v", got, want)
	}
}
