package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/dlnb/course/dlnb/tensor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// viridis anchors (matplotlib's default colour map), interpolated linearly.
var viridis = []color.RGBA{
	{68, 1, 84, 255}, {72, 40, 120, 255}, {62, 73, 137, 255}, {49, 104, 142, 255}, {38, 130, 142, 255},
	{31, 158, 137, 255}, {53, 183, 121, 255}, {110, 206, 88, 255}, {181, 222, 43, 255}, {253, 231, 37, 255},
}

// Viridis returns the colour for t in [0, 1] on the viridis map.
func Viridis(t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	x := t * float64(len(viridis)-1)
	i := min(int(x), len(viridis)-2)
	f := x - float64(i)
	a, b := viridis[i], viridis[i+1]
	mix := func(p, q uint8) uint8 { return uint8(math.Round(float64(p)*(1-f) + float64(q)*f)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

type viridisPalette int

func (n viridisPalette) Colors() []color.Color {
	out := make([]color.Color, n)
	for i := range out {
		out[i] = Viridis(float64(i) / float64(n-1))
	}
	return out
}

// matrixGrid adapts a matrix to plotter.GridXYZ with row 0 at the top.
type matrixGrid struct {
	rows, cols int
	v          []float64
}

func (g matrixGrid) Dims() (c, r int)   { return g.cols, g.rows }
func (g matrixGrid) Z(c, r int) float64 { return g.v[(g.rows-1-r)*g.cols+c] }
func (g matrixGrid) X(c int) float64    { return float64(c) }
func (g matrixGrid) Y(r int) float64    { return float64(r) }

// HeatMapSpec describes a heat map of a matrix.
type HeatMapSpec struct {
	Title, XLabel, YLabel string
	// Annotate prints each value in its cell; by default values are printed
	// when the matrix has at most 400 cells.
	Annotate *bool
}

// HeatMap draws a matrix as coloured cells, row 0 at the top, with the value
// written in each cell when the matrix is small — the view of im2col's output
// in lesson 2_6.
func HeatMap(spec HeatMapSpec, m *tensor.Tensor[float64]) *Figure {
	if len(m.Shape) != 2 || m.Size() == 0 {
		return failed(spec.Title, fmt.Errorf("heat map needs a non-empty matrix, got shape %s", tensor.ShapeString(m.Shape)))
	}
	rows, cols := m.Shape[0], m.Shape[1]
	g := matrixGrid{rows, cols, m.Data}
	lo, hi := minMax(m.Data)
	hm := plotter.NewHeatMap(g, viridisPalette(64))
	hm.Min, hm.Max = lo, hi
	p := plainPlot(spec.Title, spec.XLabel, spec.YLabel)
	p.Add(hm)
	annotate := rows*cols <= 400
	if spec.Annotate != nil {
		annotate = *spec.Annotate
	}
	if annotate {
		var xys plotter.XYs
		var labels []string
		var styles []text.Style
		for r := range rows {
			for c := range cols {
				v := m.Data[r*cols+c]
				xys = append(xys, plotter.XY{X: float64(c), Y: float64(rows - 1 - r)})
				labels = append(labels, shortNumber(v))
				st := p.X.Tick.Label
				st.XAlign, st.YAlign = text.XCenter, text.YCenter
				st.Font.Size = vg.Points(math.Max(5, math.Min(9, 220/float64(max(rows, cols)))))
				if (v-lo)/(hi-lo) < 0.6 {
					st.Color = color.White
				}
				styles = append(styles, st)
			}
		}
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return failed(spec.Title, err)
		}
		l.TextStyle = styles
		p.Add(l)
	}
	p.X.Tick.Marker = indexTicks{n: cols}
	p.Y.Tick.Marker = indexTicks{n: rows, flip: true}
	p.X.Min, p.X.Max = -0.5, float64(cols)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
	// Square cells: width follows the matrix's aspect ratio within limits.
	w := vg.Length(math.Min(9, math.Max(3, 0.5*float64(cols)+1.2))) * vg.Inch
	h := vg.Length(math.Min(7, math.Max(2.2, 0.5*float64(rows)+1.2))) * vg.Inch
	f := single(spec.Title, p)
	f.Width, f.Height = w, h
	return f
}

func shortNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e6 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// indexTicks labels integer positions 0..n-1 (every k-th when n is large);
// flip numbers rows from the top.
type indexTicks struct {
	n    int
	flip bool
}

func (t indexTicks) Ticks(lo, hi float64) []plot.Tick {
	step := max(1, t.n/12)
	var out []plot.Tick
	for i := 0; i < t.n; i += step {
		label := i
		if t.flip {
			label = t.n - 1 - i
		}
		out = append(out, plot.Tick{Value: float64(i), Label: strconv.Itoa(label)})
	}
	return out
}
