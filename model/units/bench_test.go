package units_test

import (
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/units"
)

// BenchmarkCheck times the units check of the largest bundled model (the
// benchmark suite's, 4,104 variables once expanded, no units declared:
// all inference) and of the Middle Corridor (every variable declared),
// each beside loading the model (model.Load: read, parse, check,
// compile), of which checking should be a small part.
func BenchmarkCheck(b *testing.B) {
	for _, c := range []struct{ name, path string }{
		{"large", "../../bench/large/testdata/large.toml"},
		{"corridor", "../../examples/middle-corridor/corridor.toml"},
	} {
		b.Run(c.name+"/load", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := model.Load(c.path); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/check", func(b *testing.B) {
			d, err := decl.LoadTOML(c.path)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if in := units.Check(d); len(in.Errors) > 0 {
					b.Fatal(in.Errors)
				}
			}
		})
	}
}
