package chart

import (
	"fmt"

	"gonum.org/v1/plot/vg"
)

// Panels lays out the plots of single-plot figures side by side in a grid of
// cols columns under one title: the paths of four optimizers, L2 beside L1.
// Each panel keeps the size of its figure; a figure that failed to build
// makes the result fail with its error.
func Panels(title string, cols int, figs ...*Figure) *Figure {
	if len(figs) == 0 {
		return failed(title, errEmpty)
	}
	if cols <= 0 || cols > len(figs) {
		cols = len(figs)
	}
	rows := (len(figs) + cols - 1) / cols
	out := &Figure{Title: title, Suptitle: title, Rows: rows, Cols: cols}
	var w, h vg.Length
	for i, f := range figs {
		switch {
		case f == nil:
			return failed(title, fmt.Errorf("panel %d is nil", i))
		case f.err != nil:
			return failed(title, f.err)
		case len(f.Plots) != 1:
			return failed(title, fmt.Errorf("panel %d (%q) has %d plots; Panels takes single plots", i, f.Title, len(f.Plots)))
		}
		w, h = max(w, f.Width), max(h, f.Height)
		out.Plots = append(out.Plots, f.Plots[0])
	}
	for len(out.Plots) < rows*cols {
		out.Plots = append(out.Plots, nil)
	}
	out.Width, out.Height = vg.Length(cols)*w, vg.Length(rows)*h+0.35*vg.Inch
	if title == "" {
		out.Height -= 0.35 * vg.Inch
	}
	return out
}
