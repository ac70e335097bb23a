package plots

import (
	"image/color"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

func hex(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

func alpha(c color.RGBA, a uint8) color.NRGBA {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: a}
}

// seriesColor returns the colour of the k-th variable of a time series
// (the Tableau 10 palette, which reads well in colour and for most
// colour-blind readers).
func seriesColor(k int) color.RGBA {
	cs := [...]uint32{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf}
	return hex(cs[k%len(cs)])
}

// reinforcingColor and balancingColor return the k-th colour of the warm
// family of reinforcing loops and of the cool family of balancing ones.
func reinforcingColor(k int) color.RGBA {
	cs := [familySize]uint32{0xd62728, 0xff7f0e, 0xe377c2, 0x8c564b, 0xf2b701, 0xff9896, 0xc49c94, 0xad494a, 0xe7ba52, 0x843c39}
	return hex(cs[k%familySize])
}

func balancingColor(k int) color.RGBA {
	cs := [familySize]uint32{0x1f77b4, 0x17becf, 0x2ca02c, 0x9467bd, 0xaec7e8, 0x98df8a, 0x393b79, 0x6b6ecf, 0x637939, 0x9edae5}
	return hex(cs[k%familySize])
}

// familySize is the number of colours in each loop family.
const familySize = 10

// Colours of things that are not data series, as 0xRRGGBB.
const (
	ruleGrey      = 0x555555
	thresholdRed  = 0xb2182b
	shiftPurple   = 0x6a3d9a
	crossingBlack = 0x222222
	otherGrey     = 0xa0a0a0
	neverGrey     = 0xd0d0d0
)

// Shades of the dominant periods and stability regimes.
func warmShade() color.NRGBA { return alpha(hex(0xd62728), 28) }
func coolShade() color.NRGBA { return alpha(hex(0x1f77b4), 28) }

// contestedShade marks the periods in which neither polarity dominates.
func contestedShade() color.NRGBA { return alpha(hex(0x7f7f7f), 40) }

// viridis returns the viridis colour map (dark purple to yellow,
// perceptually uniform, legible in grey and to colour-blind readers).
func viridis() palette.ColorMap {
	ctrl := []color.Color{
		hex(0x440154), hex(0x482878), hex(0x3e4989), hex(0x31688e), hex(0x26828e),
		hex(0x1f9e89), hex(0x35b779), hex(0x6ece58), hex(0xb5de2b), hex(0xfde725),
	}
	cm, err := moreland.NewLuminance(ctrl)
	if err != nil {
		// The control colours are fixed and increase in luminance.
		panic(err)
	}
	return cm
}
