package chart

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ContourSpec describes a contour chart: the level lines of a function of two
// variables over a rectangle.
type ContourSpec struct {
	Title, XLabel, YLabel  string
	XMin, XMax, YMin, YMax float64   // the rectangle drawn
	Levels                 []float64 // the values of f that get a line
	// Points puts a dot on every point of every series (an optimizer's
	// steps); a series of a single point always gets one.
	Points bool
	Legend string // as LineSpec.Legend
}

// contourGrid samples f on a regular grid for gonum's contour plotter.
type contourGrid struct {
	xs, ys []float64
	z      []float64 // z[r*len(xs)+c]
}

func (g contourGrid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g contourGrid) Z(c, r int) float64 { return g.z[r*len(g.xs)+c] }
func (g contourGrid) X(c int) float64    { return g.xs[c] }
func (g contourGrid) Y(r int) float64    { return g.ys[r] }

// contourSamples is the number of grid points per axis.
const contourSamples = 201

// Contour draws the level lines of f(x, y) at spec.Levels in gray over the
// rectangle of spec, with the series on top in the palette colours: the path
// of an optimizer over a loss surface (lesson 2_4), the region allowed by an
// L1 or L2 penalty beside the contours of a loss (lesson 2_5).
func Contour(spec ContourSpec, f func(x, y float64) float64, series ...Series) *Figure {
	switch {
	case f == nil:
		return failed(spec.Title, fmt.Errorf("no function to draw"))
	case !(spec.XMin < spec.XMax) || !(spec.YMin < spec.YMax):
		return failed(spec.Title, fmt.Errorf("empty region x [%g, %g], y [%g, %g]", spec.XMin, spec.XMax, spec.YMin, spec.YMax))
	case len(spec.Levels) == 0:
		return failed(spec.Title, fmt.Errorf("no contour levels"))
	}
	p := plainPlot(spec.Title, spec.XLabel, spec.YLabel)
	p.Add(gridLines())
	cont := plotter.NewContour(sampleGrid(spec, f), spec.Levels, nil)
	cont.LineStyles = []draw.LineStyle{{Color: color.Gray{0x99}, Width: vg.Points(0.8)}}
	p.Add(cont)
	for i, s := range series {
		if err := addPath(p, s, i, spec.Points); err != nil {
			return failed(spec.Title, err)
		}
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = spec.XMin, spec.XMax, spec.YMin, spec.YMax
	placeLegend(p, spec.Legend)
	return single(spec.Title, p)
}

// sampleGrid evaluates f on contourSamples × contourSamples points spread
// evenly over the rectangle of spec.
func sampleGrid(spec ContourSpec, f func(x, y float64) float64) contourGrid {
	g := contourGrid{xs: make([]float64, contourSamples), ys: make([]float64, contourSamples)}
	for i := range contourSamples {
		t := float64(i) / (contourSamples - 1)
		g.xs[i] = spec.XMin + t*(spec.XMax-spec.XMin)
		g.ys[i] = spec.YMin + t*(spec.YMax-spec.YMin)
	}
	g.z = make([]float64, contourSamples*contourSamples)
	for r, y := range g.ys {
		for c, x := range g.xs {
			g.z[r*contourSamples+c] = f(x, y)
		}
	}
	return g
}

// addPath draws series s over the contours in the i-th colour: a line
// through its finite points, and a dot on each when points is set or there
// is only one; it joins the legend under its name.
func addPath(p *plot.Plot, s Series, i int, points bool) error {
	x := s.X
	if x == nil {
		x = Range(0, len(s.Y), 1)
	}
	if len(x) != len(s.Y) || len(x) == 0 {
		return fmt.Errorf("series %q has %d x values and %d y values", s.Name, len(x), len(s.Y))
	}
	pts, _, _ := drawable(s, x, false)
	if len(pts) == 0 {
		return nil
	}
	var thumb []plot.Thumbnailer
	if len(pts) > 1 {
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color, l.Width = Color(i), vg.Points(1.6)
		if s.Dash {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		p.Add(l)
		thumb = append(thumb, l)
	}
	if points || len(pts) == 1 {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.Color, sc.Shape, sc.Radius = Color(i), draw.CircleGlyph{}, vg.Points(2.5)
		p.Add(sc)
		thumb = append(thumb, sc)
	}
	if s.Name != "" {
		p.Legend.Add(s.Name, thumb...)
	}
	return nil
}
