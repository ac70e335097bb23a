package vensim

import (
	"os"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
)

// TestSketch reads the places of the variables from teacup.mdl's sketch:
// the stock's, the params' and, for the flow, its valve's (the "11" line
// before the flow's name).
func TestSketch(t *testing.T) {
	src, err := os.ReadFile("../../testdata/test-models/samples/teacup/teacup.mdl")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse("teacup.mdl", src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]decl.Point{
		"Teacup_Temperature":  {X: 307, Y: 235},
		"Heat_Loss_to_Room":   {X: 408, Y: 235}, // the valve; the name is at 408, 251
		"Room_Temperature":    {X: 469, Y: 304},
		"Characteristic_Time": {X: 408, Y: 174},
	}
	for name, p := range want {
		v := m.Var(name)
		if v == nil {
			t.Fatalf("no variable %s", name)
		}
		if v.At == nil || *v.At != p {
			t.Errorf("%s at %v, want %v", name, v.At, p)
		}
	}
}

// TestSketchViews puts a second view below the first, keeps a shadow
// variable's first place, reads a quoted name with a comma, and skips
// lines it does not understand.
func TestSketchViews(t *testing.T) {
	src := `a = 1 ~~|
"b, c" = a ~~|
s = INTEG(f, 0) ~~|
f = a ~~|
\\\---/// Sketch information - do not modify anything except names
V300  Do not put anything below this section - it will be ignored
*View 1
$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0
10,1,s,100,200,40,20,3,3,0,0,0,0,0,0
11,2,48,200,200,6,8,34,3,0,0,1,0,0,0
10,3,f,200,216,49,8,40,3,0,0,-1,0,0,0
10,4,garbled,x,y
*View 2
10,1,a,50,40,40,20,8,3,0,0,0,0,0,0
10,2,"b, c",70,90,40,20,8,3,0,0,0,0,0,0
10,3,s,500,500,40,20,3,2,0,0,0,0,0,0
///---\\\
:L<%^E!@
10,9,a,1,1
`
	m, err := Parse("views.mdl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// View 2's top (40) goes 80 below view 1's bottom (200): shift 240.
	want := map[string]decl.Point{"s": {X: 100, Y: 200}, "f": {X: 200, Y: 200}, "a": {X: 50, Y: 280}, "b__c": {X: 70, Y: 330}}
	for name, p := range want {
		v := m.Var(name)
		if v == nil {
			t.Fatalf("no variable %s; have %v", name, m.Names())
		}
		if v.At == nil || *v.At != p {
			t.Errorf("%s at %v, want %v", name, v.At, p)
		}
	}
	if got := sketchFields(`10,2,"b, c",70`); strings.Join(got, "|") != `10|2|"b, c"|70` {
		t.Errorf("sketchFields: %q", got)
	}
}

// TestSketchFarPlaces leaves without a place a variable whose sketch line
// gives a coordinate that is not a number Graphviz can lay out (NaN, an
// infinity, beyond ±decl.MaxCoord), as the XMILE reader does.
func TestSketchFarPlaces(t *testing.T) {
	for _, xy := range []string{"NaN,10", "10,+Inf", "1e300,10", "10,-2e9"} {
		src := "a = 1 ~~|\n\\\\\\---/// Sketch information - do not modify anything except names\nV300\n*View 1\n10,1,a," + xy + ",40,20,8,3,0,0,0,0,0,0\n///---\\\\\\\n"
		m, err := Parse("far.mdl", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if at := m.Var("a").At; at != nil {
			t.Errorf("a at %s: placed at %v, want no place", xy, *at)
		}
	}
}
