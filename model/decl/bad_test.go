package decl

import (
	"errors"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model/syntax"
)

// flowModel is a small valid model that bad-input cases append to.
const flowModel = `[stocks.population]
initial = 10
inflows = ["births"]

[flows.births]
eq = "0.1 * population"

[aux.crowding]
eq = "population / 1000"
`

var badCases = []struct {
	name      string
	src       string
	line, col int
	key       string
	msg       string
}{
	// Malformed TOML.
	{"unterminated string", "name = \"x\n", 1, 10, "name", "strings cannot contain newlines"},
	{"unclosed header", "[sim\nstop = 1\n", 1, 5, "sim", "expected '.' or ']' to end table name"},
	{"unclosed header after a table", flowModel + "\n[aux.utilisation\neq = \"1\"\n", 11, 17, "aux.utilisation", "expected '.' or ']' to end table name"},
	{"unclosed array header", flowModel + "[[plots]\nfile = \"p.png\"\n", 10, 8, "plots", "table array name"},
	{"key defined twice", "[sim]\ndt = 1\ndt = 2\n", 3, 1, "sim.dt", "key 'sim.dt' has already been defined"},
	{"bare word value", "[sim]\nmethod = rk4\n", 2, 10, "sim.method", "expected value"},

	// Wrong types.
	{"stop a string", "[sim]\nstop = \"forty\"\n", 2, 8, "sim.stop", "expected a number, got a string"},
	{"stop a quoted number", "[sim]\nstop = \"40\"\n", 2, 8, "sim.stop", "write the number without quotes"},
	{"name a number", "name = 3\n", 1, 8, "name", "expected a string, got an integer"},
	{"stocks not a table", "stocks = 3\n", 1, 10, "stocks", "expected a table, got an integer"},
	{"inflows not an array", flowModel + "[stocks.s]\ninitial = 0\ninflows = \"births\"\n", 12, 11, "stocks.s.inflows", "expected an array, got a string"},
	{"inflow not a string", flowModel + "[stocks.s]\ninitial = 0\ninflows = [1]\n", 12, 12, "stocks.s.inflows", "element 1: expected a string, got an integer"},
	{"non_negative not a bool", "[flows.f]\neq = \"1\"\nnon_negative = \"yes\"\n", 3, 16, "flows.f.non_negative", "expected true or false, got a string"},
	{"eq a boolean", "[aux.a]\neq = true\n", 2, 6, "aux.a.eq", "expected an equation (a string) or a number, got a boolean"},
	{"param a string", "[params]\nr = \"0.3\"\n", 2, 5, "params.r", "expected a number or a table"},
	{"stop infinite", "[sim]\nstop = inf\n", 2, 8, "sim.stop", "expected a finite number"},

	// Ranges.
	{"range one number", "[aux.a]\neq = \"1\"\nrange = [0]\n", 3, 9, "aux.a.range", "range must be two numbers [lo, hi]"},
	{"range not an array", "[aux.a]\neq = \"1\"\nrange = 1\n", 3, 9, "aux.a.range", "range must be two numbers [lo, hi]"},
	{"range a string end", "[aux.a]\neq = \"1\"\nrange = [0, \"1\"]\n", 3, 9, "aux.a.range", "got a string at its high end"},
	{"range nan end", "[aux.a]\neq = \"1\"\nrange = [nan, 1]\n", 3, 9, "aux.a.range", "range has nan for an end"},
	{"range reversed", "[flows.f]\neq = \"1\"\nrange = [1, 0]\n", 3, 9, "flows.f.range", "range [1, 0] has its low end above its high end"},
	{"range empty at infinity", "[stocks.s]\ninitial = 1\nrange = [inf, inf]\n", 3, 9, "stocks.s.range", "holds no number"},
	{"range on a param", "[params]\nK = { value = 1, range = [0, 2] }\n", 2, 18, "params.K.range", `unknown key "range"`},

	// Reality checks.
	{"check without name", flowModel + "[[checks]]\nexpect = \"population > 0\"\n", 10, 1, "checks[1]", "missing name"},
	{"check without expect", flowModel + "[[checks]]\nname = \"c\"\n", 10, 1, "checks[1]", "missing expect"},
	{"check given a flow", flowModel + "[[checks]]\nname = \"c\"\ngiven = { births = 0 }\nexpect = \"population > 0\"\n", 12, 20, "checks[1].given.births", `"births" is not a param`},
	{"check given an unknown scenario", flowModel + "[[checks]]\nname = \"c\"\ngiven = \"nope\"\nexpect = \"population > 0\"\n", 12, 9, "checks[1].given", `unknown scenario "nope"`},
	{"check at start", flowModel + "[[checks]]\nname = \"c\"\nexpect = \"population > 0\"\nat = \"start\"\n", 13, 6, "checks[1].at", `at must be "end"`},
	{"check within reversed", flowModel + "[[checks]]\nname = \"c\"\nexpect = \"population > 0\"\nwithin = [3, 1]\n", 13, 10, "checks[1].within", "ends before it starts"},
	{"check names twice", flowModel + "[[checks]]\nname = \"c\"\nexpect = \"1\"\n[[checks]]\nname = \"c\"\nexpect = \"1\"\n", 14, 8, "checks[2].name", `a check named "c" is already declared`},

	// Unknown keys.
	{"unknown top key", "nme = \"x\"\n", 1, 1, "nme", `unknown key "nme" (did you mean "name"?)`},
	{"unknown sim key", "[sim]\n  dtt = 1\n", 2, 3, "sim.dtt", `unknown key "dtt" (did you mean "dt"?)`},
	{"unknown stock key", flowModel + "[stocks.s]\ninitial = 0\ninflow = [\"births\"]\n", 12, 1, "stocks.s.inflow", `unknown key "inflow" (did you mean "inflows"?)`},
	{"unknown inline param key", "[params]\nK = { value = 1, unit = \"people\" }\n", 2, 18, "params.K.unit", `(did you mean "units"?)`},
	{"unknown key in second loop", flowModel + "[[loops]]\nname = \"a\"\npath = [\"births\"]\npolarity = \"R\"\n\n[[loops]]\nname = \"b\"\npaths = [\"births\"]\npath = [\"births\"]\npolarity = \"B\"\n", 17, 1, "loops[2].paths", `unknown key "paths" (did you mean "path"?)`},
	{"unknown key far from all", "[aux.a]\neq = \"1\"\nzzzzzz = 1\n", 3, 1, "aux.a.zzzzzz", "known keys: eq, eqs, dims, units, doc"},

	// Nesting past MaxNesting, in a 40 KB file: the layout pass took
	// minutes and gigabytes, quadratic in the depth.
	{"arrays nested 20,000 deep", "[aux.a]\neq = \"1\"\nunits = " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", 3, 71, "aux.a.units", "nest more than 64 levels deep"},
	{"inline tables nested 20,000 deep", "[aux.a]\nunits = " + strings.Repeat("{a=", 20000) + "1" + strings.Repeat("}", 20000) + "\n", 2, 193, "aux.a.units", "nest more than 64 levels deep"},
	{"dotted key of 20,000 parts", "[aux.a]\nunits." + strings.Repeat("a.", 20000) + "a = 1\n", 2, 1, "aux.a.units", "nest more than 64 levels deep"},
	{"table header of 20,000 parts", "[" + strings.Repeat("a.", 20000) + "a]\n", 1, 1, "a.a.a", "nest more than 64 levels deep"},

	// Names.
	{"name starts with digit", "[aux.2x]\neq = \"1\"\n", 1, 1, "aux.2x", `invalid aux name "2x"`},
	{"name with hyphen", "[params]\nmy-rate = 1\n", 2, 1, "params.my-rate", `invalid param name "my-rate"`},
	{"name is a keyword", "[aux.If]\neq = \"1\"\n", 1, 1, "aux.If", `"If" is a keyword`},
	{"name defined twice", "[stocks.population]\ninitial = 1\n\n[aux.population]\neq = \"2\"\n", 4, 1, "aux.population", "population is already defined as a stock at bad.toml:1:1"},
	{"param and stock same name", "[params]\nr = 1\n[stocks.r]\ninitial = 1\n", 3, 1, "stocks.r", "r is already defined as a param at bad.toml:2:1"},

	// Missing entries.
	{"flow without eq", "[flows.births]\nunits = \"people/year\"\n", 1, 1, "flows.births", "missing eq"},
	{"stock without initial", "[stocks.s]\nunits = \"x\"\n", 1, 1, "stocks.s", "missing initial"},
	{"param without value", "[params]\nK = { units = \"people\" }\n", 2, 1, "params.K", "missing value"},
	{"lookup without points", "[lookups.f]\nextrapolate = true\n", 1, 1, "lookups.f", "missing points"},

	// Equations that do not parse.
	{"eq unclosed paren", "[aux.a]\neq = \"r * (1 + 2\"\n", 2, 17, "aux.a.eq", "expected \")\""},
	{"eq bad token", "[aux.a]\neq = \"1 + * 2\"\n", 2, 11, "aux.a.eq", "missing operand"},
	{"eq with escapes", "[aux.a]\neq = \"x\\t+ * 2\"\n", 2, 12, "aux.a.eq", "missing operand"},
	{"eq multi-line", "[aux.a]\neq = \"\"\"\nr *\n  * 2\"\"\"\n", 4, 3, "aux.a.eq", "missing operand"},
	{"eq multi-line literal", "[aux.a]\neq = '''\nr *\n  ) 2'''\n", 4, 3, "aux.a.eq", "missing operand"},
	{"eq literal string", "[aux.a]\neq = 'a b'\n", 2, 9, "aux.a.eq", "unexpected name"},
	{"eq in inline table", "[aux]\na = { eq = \"1 +\" }\n", 2, 16, "aux.a.eq", "missing operand"},
	{"empty eq", "[aux.a]\neq = \"  \"\n", 2, 6, "aux.a.eq", "empty equation"},
	{"initial does not parse", "[stocks.s]\ninitial = \"1 +\"\n", 2, 15, "stocks.s.initial", "missing operand"},

	// Inflows and outflows.
	{"flow in two stocks", flowModel + "[stocks.s]\ninitial = 0\ninflows = [\"births\"]\n", 12, 12, "stocks.s.inflows", `flow "births" is already one of the inflows of stock "population" (at bad.toml:3:12)`},
	{"flow out of two stocks", flowModel + "[stocks.a]\ninitial = 0\noutflows = [\"births\"]\n[stocks.b]\ninitial = 0\noutflows = [\"births\"]\n", 15, 13, "stocks.b.outflows", "already one of the outflows"},
	{"flow in and out of one stock", "[stocks.s]\ninitial = 0\ninflows = [\"f\"]\noutflows = [\"f\"]\n[flows.f]\neq = \"1\"\n", 4, 13, "stocks.s.outflows", `flow "f" is both an inflow and an outflow of s`},
	{"flow listed twice", "[stocks.s]\ninitial = 0\ninflows = [\"f\", \"f\"]\n[flows.f]\neq = \"1\"\n", 3, 17, "stocks.s.inflows", `flow "f" is listed twice`},
	{"inflow is an aux", flowModel + "[stocks.s]\ninitial = 0\ninflows = [\"crowding\"]\n", 12, 12, "stocks.s.inflows", `"crowding" is an aux, not a flow`},
	{"inflow unknown", flowModel + "[stocks.s]\ninitial = 0\noutflows = [\"birth\"]\n", 12, 13, "stocks.s.outflows", `unknown flow "birth" (did you mean "births"?)`},

	// Lookups.
	{"lookup unsorted", "[lookups.f]\npoints = [[0, 1], [2, 3], [1, 2]]\n", 2, 27, "lookups.f.points", "point 3: x = 1 comes after x = 2"},
	{"lookup duplicate x", "[lookups.f]\npoints = [[0, 1], [0, 3]]\n", 2, 19, "lookups.f.points", "point 2: duplicate x = 0"},
	{"lookup one point", "[lookups.f]\npoints = [[0, 1]]\n", 2, 10, "lookups.f.points", "at least 2 points, got 1"},
	{"lookup not pairs", "[lookups.f]\npoints = [[0, 1], [1, 2, 3]]\n", 2, 19, "lookups.f.points", "point 2: expected an [x, y] pair of numbers, got an array of 3"},
	{"lookup not finite", "[lookups.f]\npoints = [[0, 1], [1, nan]]\n", 2, 23, "lookups.f.points", "point 2: expected a finite number"},
	{"lookup string y", "[lookups.f]\npoints = [\n  [0, 1],\n  [1, \"2\"],\n]\n", 4, 7, "lookups.f.points", "point 2: expected a number, got a string"},

	// Simulation settings.
	{"dt zero", "[sim]\ndt = 0\n", 2, 6, "sim.dt", "dt must be greater than 0, got 0"},
	{"dt negative", "[sim]\ndt = -0.5\n", 2, 6, "sim.dt", "dt must be greater than 0, got -0.5"},
	{"stop before start", "[sim]\nstart = 10\nstop = 5\n", 3, 8, "sim.stop", "stop (5) must be greater than start (10)"},
	{"start after default stop", "[sim]\nstart = 200\n", 2, 9, "sim.start", "stop (100) must be greater than start (200)"},
	{"save_every not a multiple", "[sim]\ndt = 0.25\nsave_every = 0.3\n", 3, 14, "sim.save_every", "save_every (0.3) must be a whole multiple of dt (0.25)"},
	{"save_every below dt", "[sim]\ndt = 0.5\nsave_every = 0.25\n", 3, 14, "sim.save_every", "whole multiple of dt"},
	{"save_every zero", "[sim]\nsave_every = 0\n", 2, 14, "sim.save_every", "save_every must be greater than 0"},
	{"unknown method", "[sim]\nmethod = \"rk-4\"\n", 2, 10, "sim.method", `unknown method "rk-4" (did you mean "rk4"?)`},
	{"unknown units setting", "[sim]\nunits = \"strcit\"\n", 2, 9, "sim.units", `unknown units setting "strcit" (did you mean "strict"?)`},
	{"units table not a table", "units = 3\n", 1, 9, "units", "expected a table, got an integer"},
	{"unit definition not a string", "[units]\nmonth = 12\n", 2, 9, "units.month", "expected a string, got an integer"},
	{"lookup x_units not a string", "[lookups.f]\npoints = [[0, 0], [1, 1]]\nx_units = 1\n", 3, 11, "lookups.f.x_units", "expected a string, got an integer"},
	{"unknown method far", "[sim]\nmethod = \"gear\"\n", 2, 10, "sim.method", "use one of euler, rk2, rk4, rk45"},
	{"rel_tol zero", "[sim]\nrel_tol = 0\n", 2, 11, "sim.rel_tol", "rel_tol must be from 1e-14 to 0.1, got 0"},
	{"rel_tol huge", "[sim]\nrel_tol = 1e300\n", 2, 11, "sim.rel_tol", "rel_tol must be from 1e-14 to 0.1, got 1e+300"},
	{"rel_tol below float64", "[sim]\nrel_tol = 1e-17\n", 2, 11, "sim.rel_tol", "rel_tol must be from 1e-14 to 0.1"},
	{"abs_tol negative", "[sim]\nabs_tol = -1e-9\n", 2, 11, "sim.abs_tol", "abs_tol must be greater than 0"},
	{"abs_tol huge", "[sim]\nabs_tol = 1e300\n", 2, 11, "sim.abs_tol", "abs_tol must be greater than 0 and at most 1 (rel_tol governs large values), got 1e+300"},
	{"max_step negative", "[sim]\nmax_step = -1\n", 2, 12, "sim.max_step", "max_step must not be negative"},

	// Params.
	{"param min above max", "[params]\nK = { value = 1, min = 5, max = 2 }\n", 2, 33, "params.K.max", "max (2) is less than min (5)"},
	{"param outside range", "[params.K]\nvalue = 6000\nmin = 100\nmax = 5000\n", 2, 9, "params.K.value", "value 6000 is outside its range [100, 5000]"},

	// Thresholds.
	{"threshold var unknown", flowModel + "[thresholds.big]\nvar = \"populaton\"\nlevel = 5\n", 11, 7, "thresholds.big.var", `unknown variable "populaton" (did you mean "population"?)`},
	{"threshold direction unknown", flowModel + "[thresholds.big]\nvar = \"population\"\nlevel = 5\ndirection = \"up\"\n", 13, 13, "thresholds.big.direction", `unknown direction "up"`},
	{"threshold without level", flowModel + "[thresholds.big]\nvar = \"population\"\n", 10, 1, "thresholds.big", "missing level"},

	// Loops.
	{"loop path unknown", flowModel + "[[loops]]\nname = \"g\"\npath = [\"population\", \"birth\"]\npolarity = \"R\"\n", 12, 23, "loops[1].path", `unknown variable "birth" (did you mean "births"?)`},
	{"loop polarity unknown", flowModel + "[[loops]]\nname = \"g\"\npath = [\"population\"]\npolarity = \"X\"\n", 13, 12, "loops[1].polarity", `unknown polarity "X"`},
	{"loop path repeats first", flowModel + "[[loops]]\nname = \"g\"\npath = [\"population\", \"births\", \"population\"]\npolarity = \"R\"\n", 12, 33, "loops[1].path", "path ends with its first variable"},
	{"loop name twice", flowModel + "[[loops]]\nname = \"g\"\npath = [\"population\"]\npolarity = \"R\"\n[[loops]]\nname = \"g\"\npath = [\"births\"]\npolarity = \"R\"\n", 15, 8, "loops[2].name", `loop "g" is already defined at bad.toml:10:1`},

	// Plots.
	{"plot var unknown", flowModel + "[[plots]]\nfile = \"p.png\"\nvars = [\"births\", \"crowdin\"]\n", 12, 19, "plots[1].vars", `unknown variable "crowdin" (did you mean "crowding"?)`},
	{"plot threshold unknown", flowModel + "[thresholds.big]\nvar = \"population\"\nlevel = 5\n[[plots]]\nfile = \"p.png\"\nvars = [\"births\"]\nthresholds = [\"bigg\"]\n", 16, 15, "plots[1].thresholds", `unknown threshold "bigg" (did you mean "big"?)`},
	{"plot data unknown", flowModel + "[data.observed]\npoints = [[0, 1]]\n[[plots]]\nfile = \"p.png\"\nvars = [\"births\"]\ndata = [\"observd\"]\n", 15, 9, "plots[1].data", `unknown data variable "observd" (did you mean "observed"?)`},
	{"plot data not data", flowModel + "[[plots]]\nfile = \"p.png\"\nvars = [\"births\"]\ndata = [\"population\"]\n", 13, 9, "plots[1].data", `"population" is a stock, not a data variable: data lists [data.NAME] observations to draw as markers (put model variables in vars)`},
	{"plot file not png", flowModel + "[[plots]]\nfile = \"p.jpg\"\nvars = [\"births\"]\n", 11, 8, "plots[1].file", `file "p.jpg" must end in .png, .svg or .pdf`},
	{"plot file above the output directory", flowModel + "[[plots]]\nfile = \"../../escaped.png\"\nvars = [\"births\"]\n", 11, 8, "plots[1].file", `file "../../escaped.png" leaves the output directory: give a relative path inside it (no "..", not absolute)`},
	{"plot file twice", flowModel + "[[plots]]\nfile = \"p.png\"\nvars = [\"births\"]\n[[plots]]\nfile = \"./p.png\"\nvars = [\"births\"]\n", 14, 8, "plots[2].file", `file "./p.png" is also the file of plots[1]: give each plot its own`},
	{"plot file absolute", flowModel + "[[plots]]\nfile = \"/tmp/escaped.png\"\nvars = [\"births\"]\n", 11, 8, "plots[1].file", `file "/tmp/escaped.png" leaves the output directory: give a relative path inside it (no "..", not absolute)`},
	{"plot file empty", flowModel + "[[plots]]\nfile = \"\"\nvars = [\"births\"]\n", 11, 8, "plots[1].file", "empty file name"},
	{"plot var is a lookup", "[lookups.f]\npoints = [[0, 0], [1, 1]]\n[[plots]]\nfile = \"p.png\"\nvars = [\"f\"]\n", 5, 9, "plots[1].vars", `"f" is a lookup`},
}

func TestBadInput(t *testing.T) {
	for _, tc := range badCases {
		t.Run(tc.name, func(t *testing.T) { checkOneError(t, tc.src, tc.line, tc.col, tc.key, tc.msg) })
	}
}

// checkOneError reads src as bad.toml and checks that it gives one error,
// at line and col, under key, whose message holds msg.
func checkOneError(t *testing.T, src string, line, col int, key, msg string) {
	t.Helper()
	_, err := ParseTOML("bad.toml", []byte(src))
	var list syntax.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got error %v (%T), want a syntax.ErrorList", err, err)
	}
	if len(list) != 1 {
		t.Errorf("got %d errors, want 1:\n%s", len(list), listString(list))
	}
	e := list[0]
	if e.Pos.File != "bad.toml" || e.Pos.Line != line || e.Pos.Col != col || e.Key != key || !strings.Contains(e.Msg, msg) {
		t.Errorf("got  %s\nwant bad.toml:%d:%d: %s: …%s…", e, line, col, key, msg)
	}
}

func listString(l syntax.ErrorList) string {
	var b strings.Builder
	for _, e := range l {
		b.WriteString("\t" + e.Error() + "\n")
	}
	return b.String()
}
