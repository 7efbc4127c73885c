package chart

import (
	"image/color"
	"strings"
	"testing"
)

func TestContourAndPanels(t *testing.T) {
	f := func(x, y float64) float64 { return x*x/20 + y*y }
	path := Series{Name: "SGD", X: []float64{-7, -6, -4, -1, 0}, Y: []float64{2, -1.5, 1, -0.5, 0}}
	spec := ContourSpec{Title: "f(x, y) = x^2/20 + y^2", XLabel: "x", YLabel: "y",
		XMin: -10, XMax: 10, YMin: -5, YMax: 5, Levels: []float64{0.5, 1, 2, 4}, Points: true}
	a := Contour(spec, f, path)
	img := decode(t, a.WithSize(4, 3))
	// The path is drawn in the first palette colour, the contours in gray.
	if n := count(img, Palette[0], 40); n < 200 {
		t.Fatalf("path: %d blue pixels", n)
	}
	if n := count(img, color.RGBA{0x99, 0x99, 0x99, 0xff}, 10); n < 200 {
		t.Fatalf("contours: %d gray pixels", n)
	}
	// A single point is drawn as a dot.
	b := Contour(ContourSpec{Title: "optimum", XMin: -1, XMax: 1, YMin: -1, YMax: 1, Levels: []float64{0.1}},
		f, Series{Name: "optimum", X: []float64{0}, Y: []float64{0.5}})
	if n := count(decode(t, b), Palette[0], 40); n < 20 {
		t.Fatalf("single point: %d blue pixels", n)
	}
	both := Panels("two panels", 2, a, b)
	if both.Rows != 1 || both.Cols != 2 || len(both.Plots) != 2 {
		t.Fatalf("Panels: %d×%d with %d plots", both.Rows, both.Cols, len(both.Plots))
	}
	decode(t, both)
	three := Panels("", 2, a, b, a)
	if three.Rows != 2 || len(three.Plots) != 4 || three.Plots[3] != nil {
		t.Fatalf("Panels of 3 in 2 columns: %d rows, %d plots", three.Rows, len(three.Plots))
	}
	decode(t, three)
}

func TestContourErrors(t *testing.T) {
	f := func(x, y float64) float64 { return x + y }
	ok := ContourSpec{XMin: 0, XMax: 1, YMin: 0, YMax: 1, Levels: []float64{1}}
	bad := []struct {
		name string
		fig  *Figure
		want string
	}{
		{"nil f", Contour(ok, nil), "no function"},
		{"empty region", Contour(ContourSpec{XMin: 1, XMax: 1, YMin: 0, YMax: 1, Levels: []float64{1}}, f), "empty region"},
		{"no levels", Contour(ContourSpec{XMin: 0, XMax: 1, YMin: 0, YMax: 1}, f), "no contour levels"},
		{"lengths", Contour(ok, f, Series{Name: "p", X: []float64{1, 2}, Y: []float64{1}}), "2 x values and 1 y values"},
		{"failed panel", Panels("p", 1, Contour(ok, nil)), "no function"},
		{"no panels", Panels("p", 1), "no data"},
		{"grid panel", Panels("p", 1, Panels("inner", 2, Contour(ok, f), Contour(ok, f))), "has 2 plots"},
	}
	for _, b := range bad {
		_, err := b.fig.PNG()
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: error %v, want one containing %q", b.name, err, b.want)
		}
	}
}
