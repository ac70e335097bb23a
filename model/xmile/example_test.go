package xmile_test

import (
	"fmt"
	"os"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/xmile"
)

func ExampleParse() {
	src := []byte(`<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>Teacup</name><vendor>example</vendor></header>
  <sim_specs method="Euler" time_units="minutes">
    <start>0</start><stop>30</stop><dt reciprocal="true">8</dt>
  </sim_specs>
  <model><variables>
    <stock name="Teacup Temperature">
      <eqn>180</eqn>
      <outflow>Heat_Loss_to_Room</outflow>
    </stock>
    <flow name="Heat Loss to Room">
      <eqn>("Teacup Temperature" - room_temperature) / characteristic_time</eqn>
    </flow>
    <aux name="Room Temperature"><eqn>70</eqn></aux>
    <aux name="Characteristic Time"><eqn>10</eqn><units>minutes</units></aux>
  </variables></model>
</xmile>`)
	m, err := xmile.Parse("teacup.xmile", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Name, m.Sim.DT, m.Sim.Method)
	for _, v := range m.Vars {
		if v.Kind == decl.Param {
			fmt.Printf("%s %s = %g\n", v.Kind, v.Name, v.Value)
			continue
		}
		fmt.Printf("%s %s: %s\n", v.Kind, v.Name, v.Eq.Text)
	}
	// Output:
	// Teacup 0.125 euler
	// stock Teacup_Temperature: 180
	// flow Heat_Loss_to_Room: (Teacup_Temperature - Room_Temperature) / Characteristic_Time
	// param Room_Temperature = 70
	// param Characteristic_Time = 10
}

func ExampleWrite() {
	src := []byte(`
[sim]
stop = 10

[stocks.level]
initial = 100
outflows = ["drain"]

[flows.drain]
eq = "level / tau"

[params.tau]
value = 4
units = "years"
`)
	m, err := decl.ParseTOML("decay.toml", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := xmile.Write(os.Stdout, m); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="utf-8"?>
	// <xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" xmlns:isee="http://iseesystems.com/XMILE" xmlns:stockflow="https://github.com/stockflow/stockflow">
	// 	<header>
	// 		<options namespace="std"/>
	// 		<name>decay</name>
	// 		<vendor>stockflow</vendor>
	// 		<product version="(devel)" lang="en">stockflow</product>
	// 	</header>
	// 	<sim_specs method="Euler">
	// 		<start>0</start>
	// 		<stop>10</stop>
	// 		<dt>1</dt>
	// 	</sim_specs>
	// 	<model>
	// 		<variables>
	// 			<stock name="level">
	// 				<eqn>100</eqn>
	// 				<outflow>drain</outflow>
	// 			</stock>
	// 			<flow name="drain">
	// 				<eqn>level / tau</eqn>
	// 			</flow>
	// 			<aux name="tau">
	// 				<eqn>4</eqn>
	// 				<units>years</units>
	// 			</aux>
	// 		</variables>
	// 	</model>
	// </xmile>
}
