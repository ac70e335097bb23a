// Package large is the large model of stockflow's benchmark suite: a
// regional economy of Regions × Sectors arrayed variables (population,
// capital and inventory stocks, a smoothed demand, third-order delays of
// investment and of perceived attractiveness, three lookups, a step,
// sums over the arrays), written three ways with the same equations:
//
//   - TOML, stockflow's own format, with dimensions (Config.TOML);
//   - Vensim .mdl with subscripts, SMOOTH and DELAY3, for SDEverywhere
//     (Config.MDL; the investment delay is written out as DELAY3's three
//     stocks, see investmentMDL);
//   - plain Go loops over slices, written by hand: the practical limit an
//     engine is measured against (Hand).
//
// All three integrate by Euler and record the same outputs (Outputs) at
// every save point. testdata/large.toml and testdata/large.mdl are
// Default written out; native/ is the Go that stockflow gen writes for the
// TOML (bench/README.md says how to regenerate them).
package large

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Config sizes the model and its run.
type Config struct {
	// Regions and Sectors are the sizes of the two dimensions; the model
	// has about 15·Regions·Sectors + 6·Regions variables.
	Regions, Sectors int
	// Stop is the final time (the run starts at 0), DT the time step and
	// SaveEvery the output interval, a whole multiple of DT.
	Stop, DT, SaveEvery float64
}

// Default is the benchmark's large model: 50 regions × 5 sectors, 4,104
// stocks, flows and aux (plus 1,150 hidden stocks of the smooths and
// delays; about the size of C-LEARN), 400 Euler steps, 101 save points.
// Its generated Go (native/) is 24,000 lines, which the Go compiler takes
// several seconds to build; twice the size would take twice as long on
// every change to package model.
var Default = Config{Regions: 50, Sectors: 5, Stop: 100, DT: 0.25, SaveEvery: 1}

// Small is a model of the same equations small enough for tests.
var Small = Config{Regions: 3, Sectors: 2, Stop: 30, DT: 0.25, SaveEvery: 1}

// Vars returns the number of stocks, flows and aux the model declares
// after its arrays are expanded (hidden stocks of smooths and delays not
// counted): the "variables" of a per-variable-step time.
func (c Config) Vars() int { return 15*c.Regions*c.Sectors + 7*c.Regions + 4 }

// Steps returns the number of Euler steps of a run.
func (c Config) Steps() int { return int(math.Round(c.Stop / c.DT)) }

// Outputs returns the variables every engine records, in stockflow's
// spelling: two scalars and one element of several arrayed variables,
// reaching both ends of the arrays.
func (c Config) Outputs() []string {
	r, s := c.Regions, c.Sectors
	return []string{
		"world_population",
		"average_income",
		"population[r1]",
		fmt.Sprintf("population[r%d]", r),
		"capital[r1,s1]",
		fmt.Sprintf("inventory[r%d,s%d]", r, s),
		"perceived_demand[r1,s1]",
		fmt.Sprintf("investment[r%d,s1]", r),
		"shipments[r2,s2]",
	}
}

// Scalar params, shared by the three writers.
var scalars = []struct {
	name  string
	value float64
}{
	{"adjustment_time", 4},
	{"smooth_time", 2},
	{"delivery_delay", 3},
	{"capital_output_ratio", 2.5},
	{"labour_productivity", 1.2},
	{"inventory_coverage", 0.5},
	{"min_ship_time", 0.5},
	{"migration_rate", 0.02},
	{"migration_delay", 2},
	{"reference_income", 0.8},
	{"policy_year", 50},
	{"policy_boost", 0.1},
}

// h is a deterministic spread in [0, 1) for element i.
func h(i int, salt float64) float64 {
	x := math.Mod(float64(i+1)*0.6180339887498949+salt, 1)
	return math.Round(x*1000) / 1000
}

// Arrayed params by element: index i of region or sector.
func initPopulation(i int) float64   { return 50 + math.Round(100*h(i, 0.1)) }
func birthRate(i int) float64        { return 0.02 + 0.02*h(i, 0.2) }
func lifeExpectancy(i int) float64   { return 50 + 30*h(i, 0.3) }
func crowdingCapacity(i int) float64 { return 2 * initPopulation(i) }
func productivity(i int) float64     { return 0.8 + 0.4*h(i, 0.4) }
func sectorShare(j, n int) float64   { return float64(j+1) / float64(n*(n+1)/2) }
func capitalLifetime(j int) float64  { return 10 + 5*float64(j) }

// regionParams and sectorParams name the arrayed params and their values.
func (c Config) regionParams() []arrayParam {
	f := func(g func(int) float64) []float64 {
		v := make([]float64, c.Regions)
		for i := range v {
			v[i] = g(i)
		}
		return v
	}
	return []arrayParam{
		{"init_population", f(initPopulation)},
		{"birth_rate", f(birthRate)},
		{"life_expectancy", f(lifeExpectancy)},
		{"crowding_capacity", f(crowdingCapacity)},
		{"productivity", f(productivity)},
	}
}

func (c Config) sectorParams() []arrayParam {
	share := make([]float64, c.Sectors)
	life := make([]float64, c.Sectors)
	for j := range share {
		share[j] = sectorShare(j, c.Sectors)
		life[j] = capitalLifetime(j)
	}
	return []arrayParam{{"sector_share", share}, {"capital_lifetime", life}}
}

type arrayParam struct {
	name   string
	values []float64
}

// The lookups: x and y points.
var lookups = []struct {
	name   string
	xs, ys []float64
}{
	{"effect_of_income", []float64{0, 0.5, 1, 2, 4}, []float64{1.5, 1.2, 1, 0.7, 0.5}},
	{"effect_of_crowding", []float64{0, 0.5, 1, 1.5, 2, 3}, []float64{0.8, 0.9, 1, 1.5, 2.5, 4}},
	{"effect_of_stock", []float64{0, 0.5, 1, 1.5, 2, 3}, []float64{1.5, 1.3, 1, 0.6, 0.3, 0.1}},
}

// An equation of the model: name, kind (stock, flow, aux), dims (0: none,
// 1: region, 2: region × sector) and the equation in stockflow's language
// (for stocks, the initial value). For the .mdl it is rewritten by
// vensimEq. Stocks list their inflows and outflows.
type equation struct {
	name, kind string
	dims       int
	eq         string
	in, out    []string
	mdl        string // when not empty: the equations of the .mdl instead
}

// investmentMDL is investment's DELAY3 in the .mdl written out as the
// three stocks of Vensim's definition of DELAY3, each draining at
// stock/(delay/3) into the next, starting at input·delay/3.
// SDEverywhere 0.7.28 generates wrong JavaScript for DELAY3 on a
// two-dimensional variable (it divides by __aux4[i], a row of the delay
// time's array, where it means __aux4[i][j], and every value is NaN); on
// one dimension (perceived_attractiveness) it is right.
const investmentMDL = `investment stage time=
	delivery delay / 3
	~	year
	~	DELAY3 written out: see bench/large.
	|

investment in transit 1[region,sector]=
	INTEG(investment orders[region,sector] - investment stage 1[region,sector], investment orders[region,sector] * investment stage time)
	~	
	~	
	|

investment stage 1[region,sector]=
	investment in transit 1[region,sector] / investment stage time
	~	
	~	
	|

investment in transit 2[region,sector]=
	INTEG(investment stage 1[region,sector] - investment stage 2[region,sector], investment orders[region,sector] * investment stage time)
	~	
	~	
	|

investment stage 2[region,sector]=
	investment in transit 2[region,sector] / investment stage time
	~	
	~	
	|

investment in transit 3[region,sector]=
	INTEG(investment stage 2[region,sector] - investment[region,sector], investment orders[region,sector] * investment stage time)
	~	
	~	
	|

investment[region,sector]=
	investment in transit 3[region,sector] / investment stage time
	~	
	~	
	|

`

// equations is the model, in declaration order.
var equations = []equation{
	{name: "population", kind: "stock", dims: 1, eq: "init_population", in: []string{"births", "net_migration"}, out: []string{"deaths"}},
	{name: "births", kind: "flow", dims: 1, eq: "population * birth_rate * effect_of_income(income_per_capita / reference_income)"},
	{name: "deaths", kind: "flow", dims: 1, eq: "population / life_expectancy * effect_of_crowding(population / crowding_capacity)"},
	{name: "net_migration", kind: "flow", dims: 1, eq: "migration_rate * population * (perceived_attractiveness - 1)"},
	{name: "income_per_capita", kind: "aux", dims: 1, eq: "zidz(sum(output[region, *]), population)"},
	{name: "attractiveness", kind: "aux", dims: 1, eq: "income_per_capita / average_income"},
	{name: "perceived_attractiveness", kind: "aux", dims: 1, eq: "delay3(attractiveness, migration_delay)"},
	{name: "world_population", kind: "aux", eq: "sum(population[*])"},
	{name: "world_income", kind: "aux", eq: "sum(output[*, *])"},
	{name: "average_income", kind: "aux", eq: "world_income / world_population"},
	{name: "policy", kind: "aux", eq: "1 + step(policy_boost, policy_year)"},

	{name: "capital", kind: "stock", dims: 2, eq: "capital_output_ratio * init_population[region] * sector_share[sector]", in: []string{"investment"}, out: []string{"depreciation"}},
	{name: "inventory", kind: "stock", dims: 2, eq: "inventory_coverage * init_population[region] * sector_share[sector]", in: []string{"production"}, out: []string{"shipments"}},
	{name: "labour", kind: "aux", dims: 2, eq: "population[region] * sector_share[sector]"},
	{name: "output", kind: "aux", dims: 2, eq: "productivity[region] * policy * min(capital / capital_output_ratio, labour * labour_productivity)"},
	{name: "demand", kind: "aux", dims: 2, eq: "labour * income_per_capita[region]"},
	{name: "perceived_demand", kind: "aux", dims: 2, eq: "smth1(demand, smooth_time)"},
	{name: "desired_inventory", kind: "aux", dims: 2, eq: "perceived_demand * inventory_coverage"},
	{name: "inventory_ratio", kind: "aux", dims: 2, eq: "zidz(inventory, desired_inventory)"},
	{name: "production", kind: "flow", dims: 2, eq: "output * effect_of_stock(inventory_ratio)"},
	{name: "shipments", kind: "flow", dims: 2, eq: "min(demand, inventory / min_ship_time)"},
	{name: "desired_capital", kind: "aux", dims: 2, eq: "perceived_demand * capital_output_ratio"},
	{name: "depreciation", kind: "flow", dims: 2, eq: "capital / capital_lifetime[sector]"},
	{name: "investment_orders", kind: "aux", dims: 2, eq: "max(0, depreciation + (desired_capital - capital) / adjustment_time)"},
	{name: "investment", kind: "flow", dims: 2, eq: "delay3(investment_orders, delivery_delay)", mdl: investmentMDL},
	{name: "utilisation", kind: "aux", dims: 2, eq: "if output > 0 then shipments / output else 0"},
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func (c Config) elements(prefix string, n int) []string {
	e := make([]string, n)
	for i := range e {
		e[i] = prefix + strconv.Itoa(i+1)
	}
	return e
}

// TOML writes the model in stockflow's format.
func (c Config) TOML() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# The large model of stockflow's benchmark suite (bench/large): %d regions × %d sectors.\n", c.Regions, c.Sectors)
	b.WriteString("# Generated by go run ./bench/cmd/benchgen; do not edit.\n")
	fmt.Fprintf(&b, "name = \"regional economy, %d × %d\"\n\n", c.Regions, c.Sectors)
	fmt.Fprintf(&b, "[sim]\nstart = 0\nstop = %s\ndt = %s\nsave_every = %s\nmethod = \"euler\"\n\n", num(c.Stop), num(c.DT), num(c.SaveEvery))
	quote := func(es []string) string {
		q := make([]string, len(es))
		for i, e := range es {
			q[i] = strconv.Quote(e)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	regions, sectors := c.elements("r", c.Regions), c.elements("s", c.Sectors)
	fmt.Fprintf(&b, "[dimensions]\nregion = %s\nsector = %s\n\n[params]\n", quote(regions), quote(sectors))
	for _, p := range scalars {
		fmt.Fprintf(&b, "%s = %s\n", p.name, num(p.value))
	}
	arrayed := func(ps []arrayParam, dim string, es []string) {
		for _, p := range ps {
			kv := make([]string, len(p.values))
			for i, x := range p.values {
				kv[i] = es[i] + " = " + num(x)
			}
			fmt.Fprintf(&b, "%s = { dims = [%q], values = { %s } }\n", p.name, dim, strings.Join(kv, ", "))
		}
	}
	arrayed(c.regionParams(), "region", regions)
	arrayed(c.sectorParams(), "sector", sectors)
	for _, l := range lookups {
		pts := make([]string, len(l.xs))
		for i := range l.xs {
			pts[i] = "[" + num(l.xs[i]) + ", " + num(l.ys[i]) + "]"
		}
		fmt.Fprintf(&b, "\n[lookups.%s]\npoints = [%s]\n", l.name, strings.Join(pts, ", "))
	}
	dims := []string{"", `["region"]`, `["region", "sector"]`}
	for _, e := range equations {
		fmt.Fprintf(&b, "\n[%s.%s]\n", map[string]string{"stock": "stocks", "flow": "flows", "aux": "aux"}[e.kind], e.name)
		if e.dims > 0 {
			fmt.Fprintf(&b, "dims = %s\n", dims[e.dims])
		}
		if e.kind == "stock" {
			fmt.Fprintf(&b, "initial = %q\ninflows = %s\noutflows = %s\n", e.eq, quote(e.in), quote(e.out))
		} else {
			fmt.Fprintf(&b, "eq = %q\n", e.eq)
		}
	}
	return b.String()
}

// vensimEq rewrites an equation of the model into Vensim's language: its
// builtins, its reductions (sum(x[*]) is SUM(x[region!])) and subscripts
// on every arrayed variable (Vensim has no implicit subscripts).
func vensimEq(e equation) string {
	s := e.eq
	for _, r := range [][2]string{
		{"sum(output[region, *])", "SUM(output[region, sector!])"},
		{"sum(population[*])", "SUM(population[region!])"},
		{"sum(output[*, *])", "SUM(output[region!, sector!])"},
		{"smth1(", "SMOOTH("}, {"delay3(", "DELAY3("}, {"zidz(", "ZIDZ("},
		{"min(", "MIN("}, {"max(", "MAX("}, {"step(", "STEP("},
	} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	if strings.HasPrefix(s, "if ") {
		// if c then a else b
		c, rest, _ := strings.Cut(strings.TrimPrefix(s, "if "), " then ")
		a, b, _ := strings.Cut(rest, " else ")
		s = "IF THEN ELSE(" + c + ", " + a + ", " + b + ")"
	}
	// Subscript every bare reference to an arrayed variable.
	sub := map[string]string{}
	for _, p := range []string{"init_population", "birth_rate", "life_expectancy", "crowding_capacity", "productivity"} {
		sub[p] = "[region]"
	}
	for _, p := range []string{"sector_share", "capital_lifetime"} {
		sub[p] = "[sector]"
	}
	for _, q := range equations {
		switch q.dims {
		case 1:
			sub[q.name] = "[region]"
		case 2:
			sub[q.name] = "[region,sector]"
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		word := s[i:j]
		b.WriteString(VensimName(word))
		if suffix, ok := sub[word]; ok && (j >= len(s) || s[j] != '[' && s[j] != '(') {
			b.WriteString(suffix)
		}
		i = j
	}
	return b.String()
}

// VensimName spells a name of the model as the .mdl file does: with
// spaces for underscores, as Vensim models are written (SDEverywhere's
// listing of variables does not keep underscores apart from spaces).
// Subscripts are kept: VensimName("world_population") is
// "world population", VensimName("capital[r1,s1]") "capital[r1,s1]".
func VensimName(name string) string { return strings.ReplaceAll(name, "_", " ") }

// MDL writes the model as a Vensim .mdl file with the same equations.
func (c Config) MDL() string {
	var b strings.Builder
	b.WriteString("{UTF-8}\n")
	regions, sectors := c.elements("r", c.Regions), c.elements("s", c.Sectors)
	fmt.Fprintf(&b, "region:\n\t%s\n\t~\t\n\t~\tThe regions of the large benchmark model (bench/large).\n\t|\n\n", strings.Join(regions, ", "))
	fmt.Fprintf(&b, "sector:\n\t%s\n\t~\t\n\t~\t\n\t|\n\n", strings.Join(sectors, ", "))
	for _, p := range scalars {
		fmt.Fprintf(&b, "%s=\n\t%s\n\t~\t\n\t~\t\n\t|\n\n", VensimName(p.name), num(p.value))
	}
	arrayed := func(ps []arrayParam, dim string) {
		for _, p := range ps {
			vs := make([]string, len(p.values))
			for i, x := range p.values {
				vs[i] = num(x)
			}
			fmt.Fprintf(&b, "%s[%s]=\n\t%s\n\t~\t\n\t~\t\n\t|\n\n", VensimName(p.name), dim, strings.Join(vs, ", "))
		}
	}
	arrayed(c.regionParams(), "region")
	arrayed(c.sectorParams(), "sector")
	for _, l := range lookups {
		pts := make([]string, len(l.xs))
		for i := range l.xs {
			pts[i] = "(" + num(l.xs[i]) + "," + num(l.ys[i]) + ")"
		}
		fmt.Fprintf(&b, "%s(\n\t%s)\n\t~\t\n\t~\t\n\t|\n\n", VensimName(l.name), strings.Join(pts, ","))
	}
	lhs := []string{"", "[region]", "[region,sector]"}
	for _, e := range equations {
		if e.mdl != "" {
			b.WriteString(e.mdl)
			continue
		}
		rhs := vensimEq(e)
		if e.kind == "stock" {
			var rate strings.Builder
			for i, f := range e.in {
				if i > 0 {
					rate.WriteString(" + ")
				}
				rate.WriteString(VensimName(f) + lhs[e.dims])
			}
			for _, f := range e.out {
				rate.WriteString(" - " + VensimName(f) + lhs[e.dims])
			}
			rhs = "INTEG(" + rate.String() + ", " + rhs + ")"
		}
		fmt.Fprintf(&b, "%s%s=\n\t%s\n\t~\t\n\t~\t\n\t|\n\n", VensimName(e.name), lhs[e.dims], rhs)
	}
	fmt.Fprintf(&b, "********************************************************\n\t.Control\n********************************************************~\n\t\tSimulation Control Parameters\n\t|\n\n")
	fmt.Fprintf(&b, "FINAL TIME  = %s\n\t~\tyear\n\t~\t\n\t|\n\n", num(c.Stop))
	fmt.Fprintf(&b, "INITIAL TIME  = 0\n\t~\tyear\n\t~\t\n\t|\n\n")
	fmt.Fprintf(&b, "SAVEPER  = %s\n\t~\tyear\n\t~\t\n\t|\n\n", num(c.SaveEvery))
	fmt.Fprintf(&b, "TIME STEP  = %s\n\t~\tyear\n\t~\t\n\t|\n\n", num(c.DT))
	b.WriteString("\\\\\\---/// Sketch information - do not modify anything except names\nV300  Do not put anything below this section - it will be ignored\n")
	return b.String()
}
