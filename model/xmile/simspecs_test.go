package xmile_test

import (
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/xmile"
)

// TestSimSpecsNotNumbers refuses an expression or a variable's name in
// <sim_specs>, whose values are numbers in XMILE 1.0, saying why and what
// to write; the message names the element's line and column.
func TestSimSpecsNotNumbers(t *testing.T) {
	for _, tc := range []struct{ field, text, want string }{
		{"stop", "horizon", `t.xmile:3:34: sim.stop: expected a number, got "horizon": XMILE's <sim_specs> holds numbers, and stockflow fixes the run's times when it reads the model, so an expression or a variable's name is not read here; write the number`},
		{"dt", "1/4", `t.xmile:3:46: sim.dt: expected a number, got "1/4": XMILE's <sim_specs> holds numbers`},
		{"start", "IF TIME > 3 THEN 1 ELSE 0", `t.xmile:3:19: sim.start: expected a number, got "IF TIME > 3 THEN 1 ELSE 0"`},
	} {
		t.Run(tc.field, func(t *testing.T) {
			src := doc("", `<aux name="horizon"><eqn>4</eqn></aux>`)
			old := map[string]string{"start": "<start>0</start>", "stop": "<stop>4</stop>", "dt": "<dt>1</dt>"}[tc.field]
			src = strings.Replace(src, old, "<"+tc.field+">"+tc.text+"</"+tc.field+">", 1)
			_, err := xmile.Parse("t.xmile", []byte(src))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got %v\nwant %s…", err, tc.want)
			}
		})
	}
}
