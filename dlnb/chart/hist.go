package chart

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Hist is one histogram panel: the values of one layer's activations,
// weights or gradients.
type Hist struct {
	Name   string
	Values []float64
}

// HistSpec describes a row of histograms.
type HistSpec struct {
	Title  string  // above the whole row
	Bins   int     // number of bins (default 30, as the book's figures)
	Lo, Hi float64 // common range; Lo == Hi means the range of all the data
	XLabel string
	Cols   int // panels per row (default: all in one row, at most 5)
}

// Histograms draws one histogram per layer side by side with a shared range,
// like the book's figures of activation distributions (the vanishing-gradient
// and weight-initialisation lessons: values piling up at 0 and 1 for a
// sigmoid with std 1, collapsing to 0.5 with std 0.01, spread with Xavier).
// Values outside the range and NaN are not counted, as in matplotlib's
// hist(range=…); the title above the panels then says how many each panel
// left out (a ReLU layer's activations above 1 in the course's range of 0
// to 1).
func Histograms(spec HistSpec, hists ...Hist) *Figure {
	if len(hists) == 0 {
		return failed(spec.Title, errEmpty)
	}
	bins := spec.Bins
	if bins <= 0 {
		bins = 30
	}
	lo, hi, err := histRange(spec, hists)
	if err != nil {
		return failed(spec.Title, err)
	}
	cols := spec.Cols
	if cols <= 0 {
		cols = min(len(hists), 5)
	}
	rows := (len(hists) + cols - 1) / cols
	f := &Figure{Title: spec.Title, Suptitle: spec.Title, Rows: rows, Cols: cols,
		Width: vg.Length(min(cols, 5)) * 2.2 * vg.Inch, Height: vg.Length(rows)*2.2*vg.Inch + 0.3*vg.Inch}
	var notes []string
	for i, h := range hists {
		p, note := histPanel(h, i, bins, lo, hi, spec.XLabel)
		if note != "" {
			notes = append(notes, h.Name+" "+note)
		}
		f.Plots = append(f.Plots, p)
	}
	for len(f.Plots) < rows*cols {
		f.Plots = append(f.Plots, nil)
	}
	for i := 0; i < len(notes); i += 3 { // three panels' notes to a line
		line := strings.Join(notes[i:min(i+3, len(notes))], "; ")
		if i == 0 {
			line = "(not counted: " + line
		}
		if i+3 >= len(notes) {
			line += ")"
		}
		f.Suptitle = strings.TrimPrefix(f.Suptitle+"\n"+line, "\n")
		f.Height += 0.25 * vg.Inch
	}
	return f
}

// histRange returns the range the panels share: the spec's, or else from the
// smallest to the largest finite value of all the histograms (widened by 0.5
// each way when they are all one value).
func histRange(spec HistSpec, hists []Hist) (lo, hi float64, err error) {
	lo, hi = spec.Lo, spec.Hi
	if lo != hi {
		return lo, hi, nil
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, h := range hists {
		lo, hi = finiteRange(h.Values, lo, hi)
	}
	if lo > hi {
		return 0, 0, fmt.Errorf("no finite values")
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi, nil
}

// histPanel counts h's values into `bins` equal bins over [lo, hi] and draws
// them in the i-th colour; note says what it did not count ("" for nothing).
func histPanel(h Hist, i, bins int, lo, hi float64, xLabel string) (p *plot.Plot, note string) {
	w := (hi - lo) / float64(bins)
	counts := make([]plotter.HistogramBin, bins)
	for b := range counts {
		counts[b] = plotter.HistogramBin{Min: lo + float64(b)*w, Max: lo + float64(b+1)*w}
	}
	out, nan := 0, 0
	for _, v := range h.Values {
		switch {
		case math.IsNaN(v):
			nan++
		case v < lo || v > hi:
			out++
		default:
			counts[min(int((v-lo)/w), bins-1)].Weight++
		}
	}
	p = newPlot(h.Name, xLabel, "")
	p.Title.TextStyle.Font.Size = 11
	hp := &plotter.Histogram{Bins: counts, Width: w, FillColor: Color(i)}
	hp.LineStyle.Width = vg.Points(0.3)
	hp.LineStyle.Color = lightGray
	p.Add(hp)
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min = 0
	p.Y.Tick.Label.Font.Size = 8
	p.X.Tick.Label.Font.Size = 8
	return p, leftOut(out, nan, len(h.Values), lo, hi)
}

// leftOut describes what a histogram of n values did not count: out of
// them outside [lo, hi], nan NaN; "" when it counted every value.
func leftOut(out, nan, n int, lo, hi float64) string {
	var parts []string
	if out > 0 {
		parts = append(parts, fmt.Sprintf("%.2g%% outside %.3g–%.3g", 100*float64(out)/float64(n), lo, hi))
	}
	if nan > 0 {
		parts = append(parts, fmt.Sprintf("%d NaN", nan))
	}
	return strings.Join(parts, " and ")
}
