package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Series is one named curve: Y against X. When X is nil the points are at
// 0, 1, 2, ….
type Series struct {
	Name string
	X, Y []float64
	Dash bool // draw dashed (e.g. the test curve beside a solid train curve)
}

// LineSpec describes a line chart.
type LineSpec struct {
	Title, XLabel, YLabel string
	YMin, YMax            *float64 // fixed y range when set
	LogY                  bool     // logarithmic y axis (loss curves)
	Legend                string   // "lower right" (default), "upper right", "lower left", "upper left", "none"
}

// Float returns a pointer to v, for LineSpec.YMin / YMax.
func Float(v float64) *float64 { return &v }

// Range returns start, start+step, … below stop: Python's range(start, stop, step)
// as float64, the course's x values range(0, iters_num, plot_interval).
func Range(start, stop, step int) []float64 {
	var out []float64
	for v := start; v < stop; v += step {
		out = append(out, float64(v))
	}
	return out
}

// Accuracy draws the course's accuracy chart: "training set" and "test set"
// against "count", y from 0 to 1, legend at lower right. x holds the course's
// x values (Range(0, itersNum, plotInterval)); nil means the same spacing of 10.
func Accuracy(x, train, test []float64) *Figure {
	if x == nil {
		x = Range(0, 10*len(train), 10)
	}
	return Lines(LineSpec{Title: "accuracy", XLabel: "count", YLabel: "accuracy", YMin: Float(0), YMax: Float(1)},
		Series{Name: "training set", X: x, Y: train}, Series{Name: "test set", X: x, Y: test})
}

// Loss draws a loss curve (one value per iteration), with a moving average
// over window iterations when window > 1 to make the trend readable.
func Loss(loss []float64, window int) *Figure {
	s := []Series{{Name: "loss", Y: loss}}
	if window > 1 && len(loss) > window {
		s[0].Name = "loss (per iteration)"
		s = append(s, Series{Name: fmt.Sprintf("moving average (%d)", window), Y: MovingAverage(loss, window)})
	}
	return Lines(LineSpec{Title: "loss", XLabel: "iteration", YLabel: "loss", YMin: Float(0), Legend: "upper right"}, s...)
}

// MovingAverage returns the trailing mean of v over window values.
func MovingAverage(v []float64, window int) []float64 {
	out := make([]float64, len(v))
	s := 0.0
	for i, x := range v {
		s += x
		if i >= window {
			s -= v[i-window]
		}
		out[i] = s / float64(min(i+1, window))
	}
	return out
}

// Lines draws several series on one chart (runs of different optimizers,
// initialisations or regularisers), each in its own palette colour.
func Lines(spec LineSpec, series ...Series) *Figure {
	p := newPlot(spec.Title, spec.XLabel, spec.YLabel)
	if len(series) == 0 {
		return failed(spec.Title, errEmpty)
	}
	for i, s := range series {
		x := s.X
		if x == nil {
			x = Range(0, len(s.Y), 1)
		}
		if len(x) != len(s.Y) {
			return failed(spec.Title, fmt.Errorf("series %q has %d x values and %d y values", s.Name, len(x), len(s.Y)))
		}
		pts := make(plotter.XYs, 0, len(x))
		for k := range x {
			y := s.Y[k]
			if math.IsNaN(y) || math.IsInf(y, 0) || (spec.LogY && y <= 0) {
				continue // a diverged run stops drawing instead of breaking the axes
			}
			pts = append(pts, plotter.XY{X: x[k], Y: y})
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return failed(spec.Title, err)
		}
		l.Color = Color(i)
		l.Width = vg.Points(1.6)
		if s.Dash {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		p.Add(l)
		if s.Name != "" {
			p.Legend.Add(s.Name, l)
		}
	}
	if spec.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if spec.YMin != nil {
		p.Y.Min = *spec.YMin
	}
	if spec.YMax != nil {
		p.Y.Max = *spec.YMax
	}
	placeLegend(p, spec.Legend)
	return single(spec.Title, p)
}

func placeLegend(p *plot.Plot, where string) {
	switch where {
	case "none":
		p.Legend = plot.NewLegend()
	case "upper right":
		p.Legend.Top = true
	case "upper left":
		p.Legend.Top, p.Legend.Left = true, true
	case "lower left":
		p.Legend.Left = true
	default: // lower right, the course's choice
	}
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), vg.Points(6)
	if p.Legend.Left {
		p.Legend.XOffs = vg.Points(6)
	}
	if p.Legend.Top {
		p.Legend.YOffs = -vg.Points(6)
	}
}

// gridLines returns light horizontal and vertical grid lines.
func gridLines() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = lightGray
	g.Horizontal.Color = lightGray
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	return g
}
