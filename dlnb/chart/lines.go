package chart

import (
	"fmt"
	"math"
	"strings"

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
	// Legend is the corner to try first for the legend: "lower right"
	// (the default, the course's), "upper right", "lower left" or "upper
	// left"; the legend goes to the next corner when that one would cover
	// the curves. "none" draws no legend.
	Legend string
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

// MovingAverage returns the trailing mean of v over window values. Values
// that are NaN or ±Inf are left out of the means (a mean with none left is
// NaN), so that one of them does not end the curve for good.
func MovingAverage(v []float64, window int) []float64 {
	out := make([]float64, len(v))
	s, n := 0.0, 0
	for i, x := range v {
		if finite(x) {
			s += x
			n++
		}
		if j := i - window; j >= 0 && finite(v[j]) {
			s -= v[j]
			n--
		}
		out[i] = math.NaN()
		if n > 0 {
			out[i] = s / float64(n)
		}
	}
	return out
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// finiteRange returns the smallest and largest finite value of v, starting
// from lo and hi (pass +Inf, −Inf): lo > hi when there is none.
func finiteRange(v []float64, lo, hi float64) (float64, float64) {
	for _, x := range v {
		if finite(x) { // one NaN would make the whole range NaN
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	return lo, hi
}

// Lines draws several series on one chart (runs of different optimizers,
// initialisations or regularisers), each in its own palette colour.
//
// Values that cannot be drawn (NaN or ±Inf, as a diverged run gives, and
// values ≤ 0 on a log axis) are left out, and the chart says so: the
// series' legend entry counts them and gives the first x where one was, the
// x axis still spans every x, and a series with nothing left to draw is
// named in the title.
func Lines(spec LineSpec, series ...Series) *Figure {
	p := newPlot(spec.Title, spec.XLabel, spec.YLabel)
	if len(series) == 0 {
		return failed(spec.Title, errEmpty)
	}
	xmin, xmax, cut := math.Inf(1), math.Inf(-1), false
	var nothing []string
	var drawn []plotter.XYs
	for i, s := range series {
		x := s.X
		if x == nil {
			x = Range(0, len(s.Y), 1)
		}
		if len(x) != len(s.Y) {
			return failed(spec.Title, fmt.Errorf("series %q has %d x values and %d y values", s.Name, len(x), len(s.Y)))
		}
		pts, skipped, first := drawable(s, x, spec.LogY)
		xmin, xmax = finiteRange(x, xmin, xmax)
		name := s.Name
		if skipped > 0 && name == "" {
			name = fmt.Sprintf("series %d", i+1)
		}
		switch {
		case skipped > 0 && len(pts) == 0:
			nothing = append(nothing, fmt.Sprintf("%s: all %d values %s", name, skipped, undrawable(spec.LogY)))
			continue
		case skipped > 0:
			name += fmt.Sprintf(" (%d %s from x = %g, not drawn)", skipped, undrawable(spec.LogY), first)
			cut = true
		case len(pts) == 0: // an empty series
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
		drawn = append(drawn, pts)
		if name != "" {
			p.Legend.Add(name, l)
		}
	}
	if (cut || len(nothing) > 0) && xmin <= xmax { // keep the undrawn part of the x range on the axis
		p.X.Min, p.X.Max = math.Min(p.X.Min, xmin), math.Max(p.X.Max, xmax)
	}
	if len(nothing) > 0 {
		p.Title.Text += "\n(" + strings.Join(nothing, "; ") + ": nothing drawn)"
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
	if spec.Legend == "none" {
		p.Legend = plot.NewLegend()
	} else {
		p.Add(newAutoLegend(spec.Legend, drawn))
	}
	return single(spec.Title, p)
}

// drawable returns the points of s that can be drawn (x holds its x values),
// how many values were left out and the x of the first of them.
func drawable(s Series, x []float64, logY bool) (pts plotter.XYs, skipped int, first float64) {
	pts = make(plotter.XYs, 0, len(x))
	for k, y := range s.Y {
		if !finite(y) || !finite(x[k]) || (logY && y <= 0) {
			if skipped == 0 {
				first = x[k]
			}
			skipped++
			continue
		}
		pts = append(pts, plotter.XY{X: x[k], Y: y})
	}
	return pts, skipped, first
}

// undrawable names the values Lines leaves out.
func undrawable(logY bool) string {
	if logY {
		return "NaN, ±Inf or ≤ 0"
	}
	return "NaN or ±Inf"
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
