package chart

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// corner is where a legend sits in the plot's data area.
type corner struct{ top, left bool }

// corners maps LineSpec.Legend's names to corners.
var corners = map[string]corner{
	"lower right": {}, "upper right": {top: true}, "upper left": {top: true, left: true}, "lower left": {left: true},
}

// legendMargin is the gap between a legend and the plot's edges.
const legendMargin = vg.Length(6)

// autoLegend is a plotter that draws nothing. Added to a plot after its
// lines, it moves the plot's legend, just before gonum/plot draws it (the
// legend is drawn after every plotter), to the corner where it covers the
// fewest points of the lines: the corner asked for first, then the others.
// So a legend does not sit on a curve (2_4's SGD accuracy, low in the
// lower right where the course puts the legend), and a chart whose data
// leaves the asked-for corner free looks as the course's.
type autoLegend struct {
	lines []plotter.XYs
	order []corner // preferred first
}

// newAutoLegend returns an autoLegend trying the corner named where first
// ("lower right" when where names none).
func newAutoLegend(where string, lines []plotter.XYs) *autoLegend {
	first, ok := corners[where]
	if !ok {
		first = corner{}
	}
	order := []corner{first}
	for _, c := range []corner{{}, {top: true}, {top: true, left: true}, {left: true}} {
		if c != first {
			order = append(order, c)
		}
	}
	return &autoLegend{lines: lines, order: order}
}

// Plot implements plot.Plotter: it draws nothing and places the legend.
func (a *autoLegend) Plot(c draw.Canvas, p *plot.Plot) {
	size := p.Legend.Rectangle(c).Size()
	trX, trY := p.Transforms(&c)
	best, fewest := a.order[0], -1
	for _, k := range a.order {
		hits := a.covered(legendBox(c.Rectangle, size, k), trX, trY)
		if fewest < 0 || hits < fewest {
			best, fewest = k, hits
		}
		if hits == 0 {
			break
		}
	}
	setCorner(p, best)
}

// covered counts the points of the lines, and 8 points along each segment
// between them, that fall inside r (canvas coordinates).
func (a *autoLegend) covered(r vg.Rectangle, trX, trY func(float64) vg.Length) int {
	const steps = 8
	n := 0
	in := func(x, y vg.Length) bool { return x >= r.Min.X && x <= r.Max.X && y >= r.Min.Y && y <= r.Max.Y }
	for _, l := range a.lines {
		for i, pt := range l {
			x, y := trX(pt.X), trY(pt.Y)
			if in(x, y) {
				n++
			}
			if i == 0 {
				continue
			}
			px, py := trX(l[i-1].X), trY(l[i-1].Y)
			for s := 1; s < steps; s++ {
				f := vg.Length(s) / steps
				if in(px+(x-px)*f, py+(y-py)*f) {
					n++
				}
			}
		}
	}
	return n
}

// legendBox is where a legend of the given size sits in the area da at
// corner k, with a little room around it.
func legendBox(da vg.Rectangle, size vg.Point, k corner) vg.Rectangle {
	const pad = vg.Length(3)
	var r vg.Rectangle
	if k.left {
		r.Min.X = da.Min.X + legendMargin
	} else {
		r.Min.X = da.Max.X - legendMargin - size.X
	}
	if k.top {
		r.Min.Y = da.Max.Y - legendMargin - size.Y
	} else {
		r.Min.Y = da.Min.Y + legendMargin
	}
	r.Max = vg.Point{X: r.Min.X + size.X + pad, Y: r.Min.Y + size.Y + pad}
	r.Min = vg.Point{X: r.Min.X - pad, Y: r.Min.Y - pad}
	return r
}

// setCorner puts p's legend at corner k, legendMargin from the edges.
func setCorner(p *plot.Plot, k corner) {
	p.Legend.Top, p.Legend.Left = k.top, k.left
	p.Legend.XOffs, p.Legend.YOffs = -legendMargin, legendMargin
	if k.left {
		p.Legend.XOffs = legendMargin
	}
	if k.top {
		p.Legend.YOffs = -legendMargin
	}
}
