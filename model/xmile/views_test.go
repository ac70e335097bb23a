package xmile

import (
	"os"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
)

// TestViews reads the places of teacup_w_diagram.xmile's variables from
// its view: the stock's, the aux's and the flow's valve.
func TestViews(t *testing.T) {
	src, err := os.ReadFile("../../testdata/test-models/samples/teacup/teacup_w_diagram.xmile")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse("teacup_w_diagram.xmile", src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]decl.Point{
		"teacup_temperature":  {X: 132, Y: 97},
		"heat_loss_to_room":   {X: 243, Y: 92},
		"characteristic_time": {X: 285, Y: 43},
		"room_temperature":    {X: 283, Y: 139},
	}
	checkPlaces(t, m, want)
}

// TestViewsPages puts a second view below the first, keeps a variable's
// first place, places an object with a width and height by its centre,
// matches names as the equations do, and warns of a malformed place.
func TestViewsPages(t *testing.T) {
	src := `<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<header><name>pages</name></header>
<sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>
<model>
<variables>
<stock name="Water Level"><eqn>1</eqn><inflow>fill</inflow></stock>
<flow name="fill"><eqn>rate</eqn></flow>
<aux name="rate"><eqn>2</eqn></aux>
<aux name="spare"><eqn>3</eqn></aux>
</variables>
<views>
<view>
<stock x="100" y="150" width="40" height="20" name="water_level"/>
<flow x="50" y="160" name="Fill"/>
<aux x="oops" y="10" name="spare"/>
</view>
<view>
<aux x="30" y="40" name="rate"/>
<aux x="30" y="90" name="water_level"/>
<stock x="300" y="300" name="Water_Level"/>
</view>
</views>
</model>
</xmile>`
	m, err := Parse("pages.xmile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// View 2's top (40) goes 80 below view 1's bottom (160): shift 200.
	checkPlaces(t, m, map[string]decl.Point{"Water_Level": {X: 120, Y: 160}, "fill": {X: 50, Y: 160}, "rate": {X: 30, Y: 240}})
	if v := m.Var("spare"); v.At != nil {
		t.Errorf("spare at %v, want no place (x is not a number)", v.At)
	}
	if len(m.Warnings) != 1 || m.Warnings[0].Pos.Line != 15 {
		t.Errorf("warnings %v, want one at line 15 for spare's x", m.Warnings)
	}
}

func checkPlaces(t *testing.T, m *decl.Model, want map[string]decl.Point) {
	t.Helper()
	for name, p := range want {
		v := m.Var(name)
		if v == nil {
			t.Fatalf("no variable %s; have %v", name, m.Names())
		}
		if v.At == nil || *v.At != p {
			t.Errorf("%s at %v, want %v", name, v.At, p)
		}
	}
}
