package chart

import (
	"fmt"
	"strconv"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Bars draws one bar per named value with the value printed above it: final
// test accuracies of the try-variants, say. A value that is NaN or ±Inf (a
// diverged run's loss) gets no bar, only its label at 0; a negative value
// gets a bar below 0.
func Bars(title, ylabel string, names []string, values []float64) *Figure {
	if len(names) != len(values) || len(values) == 0 {
		return failed(title, fmt.Errorf("%d names for %d values", len(names), len(values)))
	}
	p := newPlot(title, "", ylabel)
	var xys plotter.XYs
	var labels []string
	bottom, top := 0.0, 0.0
	for i, v := range values {
		labels = append(labels, strconv.FormatFloat(v, 'g', 4, 64))
		if !finite(v) {
			v = 0
		}
		bottom, top = min(bottom, v), max(top, v)
		xys = append(xys, plotter.XY{X: float64(i), Y: v})
		vals := make(plotter.Values, len(values))
		vals[i] = v
		b, err := plotter.NewBarChart(vals, vg.Points(28))
		if err != nil {
			return failed(title, err)
		}
		b.Color = Color(i)
		b.LineStyle.Width = 0
		p.Add(b)
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return failed(title, err)
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign = text.XCenter
		l.TextStyle[i].Font = font.From(sans, 9)
	}
	l.Offset = vg.Point{Y: vg.Points(3)}
	p.Add(l)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(values))-0.4
	if top == bottom {
		top = 1
	}
	p.Y.Min, p.Y.Max = 1.12*bottom, 1.12*top
	f := single(title, p)
	f.Width = vg.Length(max(4, 0.9*float64(len(values))+1.5)) * vg.Inch
	return f
}
