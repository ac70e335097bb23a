package large

import "math"

// Hand is the model's equations written by hand in Go: flat slices, one
// loop per equation, the smooth and the delay as explicit stocks. Its
// zero value is ready to use; a Hand keeps its buffers from one run to the
// next, so that a run allocates nothing once it has run before at the same
// size. A Hand is not safe for concurrent use.
type Hand struct {
	pop, births, deaths, migration, income, attract []float64
	capital, inventory, labour, output, demand      []float64
	smooth, desiredInv, production, shipments       []float64
	depreciation, orders, investment, utilisation   []float64
	d1, d2, d3                                      []float64
	perceived, a1, a2, a3                           []float64
	out                                             [][]float64
	cfg                                             Config
	par                                             *handParams
}

// handParams are the params of a Config, as the model files write them.
type handParams struct {
	scalar         map[string]float64
	region, sector []arrayParam
}

func (c Config) handParams() *handParams {
	p := &handParams{scalar: map[string]float64{}, region: c.regionParams(), sector: c.sectorParams()}
	for _, s := range scalars {
		p.scalar[s.name] = s.value
	}
	return p
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func lookup(xs, ys []float64, x float64) float64 {
	n := len(xs)
	if x <= xs[0] {
		return ys[0]
	}
	if x >= xs[n-1] {
		return ys[n-1]
	}
	lo, hi := 0, n-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if xs[mid] <= x {
			lo = mid
		} else {
			hi = mid
		}
	}
	return ys[lo] + (x-xs[lo])*(ys[hi]-ys[lo])/(xs[hi]-xs[lo])
}

func zidz(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Run integrates the model c by Euler and returns the series of
// c.Outputs(), one value per save point each. The slices returned are
// the Hand's own and are overwritten by its next Run.
func (m *Hand) Run(c Config) [][]float64 {
	R, S := c.Regions, c.Sectors
	n := R * S
	for _, p := range []*[]float64{&m.pop, &m.births, &m.deaths, &m.migration, &m.income, &m.attract,
		&m.perceived, &m.a1, &m.a2, &m.a3} {
		*p = grow(*p, R)
	}
	for _, p := range []*[]float64{&m.capital, &m.inventory, &m.labour, &m.output, &m.demand, &m.smooth,
		&m.desiredInv, &m.production, &m.shipments, &m.depreciation, &m.orders, &m.investment,
		&m.utilisation, &m.d1, &m.d2, &m.d3} {
		*p = grow(*p, n)
	}
	if m.cfg != c || m.par == nil {
		m.cfg, m.par = c, c.handParams()
	}
	p := m.par
	adjustment, smoothTime, stage := p.scalar["adjustment_time"], p.scalar["smooth_time"], p.scalar["delivery_delay"]/3
	cor, lp, coverage := p.scalar["capital_output_ratio"], p.scalar["labour_productivity"], p.scalar["inventory_coverage"]
	minShip, migrationRate, refIncome := p.scalar["min_ship_time"], p.scalar["migration_rate"], p.scalar["reference_income"]
	migrationStage := p.scalar["migration_delay"] / 3
	policyYear, policyBoost := p.scalar["policy_year"], p.scalar["policy_boost"]
	initPop, birthRate, lifeExp, crowdCap, prod := p.region[0].values, p.region[1].values, p.region[2].values, p.region[3].values, p.region[4].values
	share, life := p.sector[0].values, p.sector[1].values
	incX, incY := lookups[0].xs, lookups[0].ys
	crowdX, crowdY := lookups[1].xs, lookups[1].ys
	stockX, stockY := lookups[2].xs, lookups[2].ys

	pop, capital, inventory := m.pop, m.capital, m.inventory
	births, deaths, migration, income, attract := m.births, m.deaths, m.migration, m.income, m.attract
	labour, output, demand, smooth, desiredInv := m.labour, m.output, m.demand, m.smooth, m.desiredInv
	production, shipments, depreciation, orders := m.production, m.shipments, m.depreciation, m.orders
	investment, utilisation, d1, d2, d3 := m.investment, m.utilisation, m.d1, m.d2, m.d3
	perceived, a1, a2, a3 := m.perceived, m.a1, m.a2, m.a3
	for r := 0; r < R; r++ {
		pop[r] = initPop[r]
		for s := 0; s < S; s++ {
			capital[r*S+s] = cor * initPop[r] * share[s]
			inventory[r*S+s] = coverage * initPop[r] * share[s]
		}
	}

	outs := c.Outputs()
	if len(m.out) != len(outs) {
		m.out = make([][]float64, len(outs))
	}
	for i := range m.out {
		m.out[i] = m.out[i][:0]
	}
	steps := c.Steps()
	every := int(math.Round(c.SaveEvery / c.DT))
	dt := c.DT
	var worldPop, avgIncome float64
	for k := 0; ; k++ {
		t := float64(k) * dt
		policy := 1.0
		if t >= policyYear-1e-9*dt {
			policy += policyBoost
		}
		worldPop = 0
		worldIncome := 0.0
		for r := 0; r < R; r++ {
			worldPop += pop[r]
		}
		for r := 0; r < R; r++ {
			sum := 0.0
			for s := 0; s < S; s++ {
				i := r*S + s
				labour[i] = pop[r] * share[s]
				output[i] = prod[r] * policy * math.Min(capital[i]/cor, labour[i]*lp)
				sum += output[i]
			}
			income[r] = zidz(sum, pop[r])
		}
		for i := 0; i < n; i++ {
			worldIncome += output[i]
		}
		avgIncome = worldIncome / worldPop
		for r := 0; r < R; r++ {
			attract[r] = income[r] / avgIncome
			if k == 0 {
				a1[r] = attract[r] * migrationStage
				a2[r] = attract[r] * migrationStage
				a3[r] = attract[r] * migrationStage
			}
			perceived[r] = a3[r] / migrationStage
			births[r] = pop[r] * birthRate[r] * lookup(incX, incY, income[r]/refIncome)
			deaths[r] = pop[r] / lifeExp[r] * lookup(crowdX, crowdY, pop[r]/crowdCap[r])
			migration[r] = migrationRate * pop[r] * (perceived[r] - 1)
		}
		for r := 0; r < R; r++ {
			for s := 0; s < S; s++ {
				i := r*S + s
				demand[i] = labour[i] * income[r]
				if k == 0 {
					smooth[i] = demand[i]
				}
				perceived := smooth[i]
				desiredInv[i] = perceived * coverage
				production[i] = output[i] * lookup(stockX, stockY, zidz(inventory[i], desiredInv[i]))
				shipments[i] = math.Min(demand[i], inventory[i]/minShip)
				depreciation[i] = capital[i] / life[s]
				orders[i] = math.Max(0, depreciation[i]+(perceived*cor-capital[i])/adjustment)
				if k == 0 {
					d1[i] = orders[i] * stage
					d2[i] = orders[i] * stage
					d3[i] = orders[i] * stage
				}
				investment[i] = d3[i] / stage
				utilisation[i] = 0
				if output[i] > 0 {
					utilisation[i] = shipments[i] / output[i]
				}
			}
		}
		if k%every == 0 || k == steps {
			R1, S1 := (R-1)*S, S-1
			for j, x := range [...]float64{worldPop, avgIncome, pop[0], pop[R-1], capital[0],
				inventory[R1+S1], smooth[0], investment[R1], shipments[S+1]} {
				m.out[j] = append(m.out[j], x)
			}
		}
		if k == steps {
			return m.out
		}
		for r := 0; r < R; r++ {
			pop[r] += dt * (births[r] + migration[r] - deaths[r])
			o1, o2 := a1[r]/migrationStage, a2[r]/migrationStage
			a1[r] += dt * (attract[r] - o1)
			a2[r] += dt * (o1 - o2)
			a3[r] += dt * (o2 - perceived[r])
		}
		for i := 0; i < n; i++ {
			capital[i] += dt * (investment[i] - depreciation[i])
			inventory[i] += dt * (production[i] - shipments[i])
			smooth[i] += dt * (demand[i] - smooth[i]) / smoothTime
			o1, o2 := d1[i]/stage, d2[i]/stage
			d1[i] += dt * (orders[i] - o1)
			d2[i] += dt * (o1 - o2)
			d3[i] += dt * (o2 - investment[i])
		}
	}
}
