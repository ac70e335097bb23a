package vensim_test

import (
	"fmt"

	"github.com/stockflow/stockflow/model/vensim"
)

func ExampleParse() {
	src := `Teacup Temperature = INTEG(-Heat Loss to Room, 180) ~ degrees ~ |
Heat Loss to Room = (Teacup Temperature - Room Temperature) / Characteristic Time ~ degrees/minute ~ |
Room Temperature = 70 ~ degrees ~ |
Characteristic Time = 10 ~ minutes ~ |
INITIAL TIME = 0 ~ minute ~ |
FINAL TIME = 30 ~ minute ~ |
TIME STEP = 0.125 ~ minute ~ |
SAVEPER = TIME STEP ~ minute ~ |
`
	m, err := vensim.Parse("teacup.mdl", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range m.Vars {
		fmt.Printf("%s %s: %s%v\n", v.Kind, v.Name, v.Eq.Text, v.Outflows)
	}
	fmt.Println(m.Sim.Stop, m.Sim.DT, m.Sim.SaveEvery)
	// Output:
	// stock Teacup_Temperature: 180[Heat_Loss_to_Room]
	// flow Heat_Loss_to_Room: (Teacup_Temperature - Room_Temperature) / Characteristic_Time[]
	// param Room_Temperature: []
	// param Characteristic_Time: []
	// 30 0.125 0.125
}
