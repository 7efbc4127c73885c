package chart

import (
	"fmt"
	"math"

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
func Histograms(spec HistSpec, hists ...Hist) *Figure {
	if len(hists) == 0 {
		return failed(spec.Title, errEmpty)
	}
	bins := spec.Bins
	if bins <= 0 {
		bins = 30
	}
	lo, hi := spec.Lo, spec.Hi
	if lo == hi {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, h := range hists {
			for _, v := range h.Values {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
		if lo > hi {
			return failed(spec.Title, fmt.Errorf("no finite values"))
		}
		if lo == hi {
			lo, hi = lo-0.5, hi+0.5
		}
	}
	cols := spec.Cols
	if cols <= 0 {
		cols = min(len(hists), 5)
	}
	rows := (len(hists) + cols - 1) / cols
	f := &Figure{Title: spec.Title, Suptitle: spec.Title, Rows: rows, Cols: cols,
		Width: vg.Length(min(cols, 5)) * 2.2 * vg.Inch, Height: vg.Length(rows)*2.2*vg.Inch + 0.3*vg.Inch}
	w := (hi - lo) / float64(bins)
	for i, h := range hists {
		counts := make([]plotter.HistogramBin, bins)
		for b := range counts {
			counts[b] = plotter.HistogramBin{Min: lo + float64(b)*w, Max: lo + float64(b+1)*w}
		}
		for _, v := range h.Values {
			if v < lo || v > hi || math.IsNaN(v) {
				continue
			}
			b := min(int((v-lo)/w), bins-1)
			counts[b].Weight++
		}
		p := newPlot(h.Name, spec.XLabel, "")
		p.Title.TextStyle.Font.Size = 11
		hp := &plotter.Histogram{Bins: counts, Width: w, FillColor: Color(i)}
		hp.LineStyle.Width = vg.Points(0.3)
		hp.LineStyle.Color = lightGray
		p.Add(hp)
		p.X.Min, p.X.Max = lo, hi
		p.Y.Min = 0
		p.Y.Tick.Label.Font.Size = 8
		p.X.Tick.Label.Font.Size = 8
		f.Plots = append(f.Plots, p)
	}
	for len(f.Plots) < rows*cols {
		f.Plots = append(f.Plots, nil)
	}
	return f
}
