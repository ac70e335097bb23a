package xmile

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
)

// TestWriteViews writes the places of teacup_w_diagram.xmile's variables
// as a view and reads them back unchanged; the flow's pipe runs from the
// stock it drains to a cloud beyond its valve, and each link between two
// placed variables that is not a pipe is a connector.
func TestWriteViews(t *testing.T) {
	src, err := os.ReadFile("../../testdata/test-models/samples/teacup/teacup_w_diagram.xmile")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse("teacup_w_diagram.xmile", src)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := Write(&b, m); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("written.xmile", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range m.Vars {
		w := back.Var(v.Name)
		if (v.At == nil) != (w.At == nil) || v.At != nil && *v.At != *w.At {
			t.Errorf("%s: written at %v, read back at %v", v.Name, v.At, w.At)
		}
	}
	out := b.String()
	for _, want := range []string{
		`<stock name="teacup_temperature" x="132" y="97"/>`,
		`<flow name="heat_loss_to_room" x="243" y="92">`,
		// From the stock (132, 97) to 70 beyond the valve (243, 92).
		`<pt x="132" y="97"/>`,
		`<pt x="312.92`,
		"<from>room_temperature</from>\n\t\t\t\t\t<to>heat_loss_to_room</to>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the written view has no %q:\n%s", want, out[strings.Index(out, "<views>"):])
		}
	}
	if strings.Contains(out, "<from>heat_loss_to_room</from>") {
		t.Error("the pipe from heat_loss_to_room to teacup_temperature is written as a connector too")
	}
}

// TestWriteNoViews: a model without places is written without a view.
func TestWriteNoViews(t *testing.T) {
	m, err := decl.ParseTOML("plain.toml", []byte("[stocks.s]\ninitial = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := Write(&b, m); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<views>") {
		t.Errorf("a model without places has a view:\n%s", b.String())
	}
}
