package units_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/units"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/model/xmile"
)

// suite is the vendored SDXorg test-models (see model/xmile).
const suite = "../../testdata/test-models"

// unitsFail are the suite's models that the units check finds
// inconsistent, each with the reason, read and judged by hand: all are
// problems of the models (Vensim's Units Check reports them too), none a
// fault of the check. Every other model of the suite passes.
var unitsFail = map[string]string{
	"samples/teacup/teacup.stmx":                                               "the flow's units deg/time are neither the stock's degrees nor per the time units \"Time\"",
	"samples/teacup/teacup_legacy.stmx":                                        "as teacup.stmx",
	"samples/teacup/teacup_w_diagram.xmile":                                    "as teacup.stmx",
	"tests/active_initial_circular/test_active_initial_circular.mdl":           "sin(time): the sine of a time in months",
	"tests/arithmetics/test_arithmetics.mdl":                                   "adds the time to dimensionless constants",
	"tests/arithmetics_exp/test_arithmetics_exp.mdl":                           "adds the time to dimensionless constants",
	"tests/arithmetics_exp/test_arithmetics_exp.xmile":                         "adds the time to dimensionless constants",
	"tests/delay_fixed/test_delay_fixed.mdl":                                   "sin(time), and a dimensionless delay time",
	"tests/euler_step_vs_saveper/test_euler_step_vs_saveper.mdl":               "cos of a time in months",
	"tests/except/test_except.mdl":                                             "adds units (a unit named units) to units/Month, and a time to a rate",
	"tests/forecast/test_forecast.mdl":                                         "a dimensionless test input declared widgets/Month",
	"tests/ln/test_ln.mdl":                                                     "a flow equal to its dimensionless stock, not per month",
	"tests/ln/test_ln.stmx":                                                    "as test_ln.mdl",
	"tests/ln/test_ln.xmile":                                                   "as test_ln.mdl",
	"tests/get_lookups_subscripted_args/test_get_lookups_subscripted_args.mdl": "sin and cos of a time in minutes, added to the time",
	"tests/lookups_with_expr/test_lookups_with_expr.mdl":                       "sin of a time in months",
	"tests/sample_if_true/test_sample_if_true.mdl":                             "exp of a time in months",
	"tests/smooth_and_stock/test_smooth_and_stock.mdl":                         "a smoothing time in Meetings where the time is in Minutes",
	"tests/subscript_copy/test_subscript_copy.mdl":                             "a flow equal to dimensionless levels, not per month",
	"tests/subscript_copy/test_subscript_copy2.mdl":                            "as test_subscript_copy.mdl",
	"tests/subscript_mapping_simple/test_subscript_mapping_simple.mdl":         "flows equal to their levels, not per month",
	"tests/subscript_mapping_vensim/test_subscript_mapping_vensim.mdl":         "births in People/year into a stock whose flows are People/Month",
	"tests/subscript_numeric_range/test_subscript_numeric_range.mdl":           "a flow equal to dimensionless levels, not per month",
	"tests/subscripted_round/test_subscripted_round.mdl":                       "a variable used as a time and defined as 1/(time + 1)",
	"tests/subscripted_trend/test_subscripted_trend.mdl":                       "a dimensionless test input declared widgets/Month",
	"tests/trend/test_trend.mdl":                                               "a dimensionless test input declared widgets/Month, and sin of a time",
	"tests/unicode_characters/unicode_test_model.mdl":                          "2 times a dmnl variable declared in units D",
}

// TestConformance checks every model of the suite that the readers read:
// exactly those of unitsFail have units problems. It logs how many
// declare units and how many pass.
func TestConformance(t *testing.T) {
	var files []string
	err := filepath.Walk(suite, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			switch filepath.Ext(p) {
			case ".xmile", ".stmx", ".mdl":
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no models in %s: %v", suite, err)
	}
	var failed []string
	read, declaring, declaringPass := 0, 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m *decl.Model
		if filepath.Ext(f) == ".mdl" {
			m, err = vensim.Parse(f, src)
		} else {
			m, err = xmile.Parse(f, src)
		}
		if err != nil || m == nil {
			continue // the readers' tests say why
		}
		read++
		declares := false
		for _, v := range m.Vars {
			declares = declares || strings.TrimSpace(v.Units) != ""
		}
		rel, _ := filepath.Rel(suite, f)
		rel = filepath.ToSlash(rel)
		errs := units.Check(m).Errors
		if declares {
			declaring++
		}
		if len(errs) == 0 {
			if declares {
				declaringPass++
			}
			if _, listed := unitsFail[rel]; listed {
				t.Errorf("%s passes now: take it out of unitsFail", rel)
			}
			continue
		}
		failed = append(failed, rel)
		if _, listed := unitsFail[rel]; !listed {
			t.Errorf("%s: %d units problems, the first: %s", rel, len(errs), errs[0])
		}
	}
	sort.Strings(failed)
	t.Logf("%d models read; %d pass, %d fail; %d declare units, of which %d pass", read, read-len(failed), len(failed), declaring, declaringPass)
}
