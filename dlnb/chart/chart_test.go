package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// decode renders a figure and checks the PNG's pixel size matches the figure
// size at DPI.
func decode(t *testing.T, f *Figure) image.Image {
	t.Helper()
	b, err := f.PNG()
	if err != nil {
		t.Fatalf("%s: %v", f.Title, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: not a PNG: %v", f.Title, err)
	}
	wantW := int(math.Round(f.Width.Points() * DPI / 72))
	wantH := int(math.Round(f.Height.Points() * DPI / 72))
	if s := img.Bounds().Size(); abs(s.X-wantW) > 1 || abs(s.Y-wantH) > 1 {
		t.Fatalf("%s: %v pixels, want %d×%d", f.Title, s, wantW, wantH)
	}
	if f.CSSWidth()*2 != wantW && abs(f.CSSWidth()*2-wantW) > 2 {
		t.Fatalf("%s: CSS width %d is not half the pixel width %d", f.Title, f.CSSWidth(), wantW)
	}
	// The background is white.
	if r, g, b, _ := img.At(2, 2).RGBA(); r>>8 != 255 || g>>8 != 255 || b>>8 != 255 {
		t.Fatalf("%s: corner pixel is not white", f.Title)
	}
	return img
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// count returns how many pixels are within tol of c.
func count(img image.Image, c color.RGBA, tol int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if abs(int(r>>8)-int(c.R)) <= tol && abs(int(g>>8)-int(c.G)) <= tol && abs(int(bl>>8)-int(c.B)) <= tol {
				n++
			}
		}
	}
	return n
}

func curve(n int, f func(i int) float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func TestAccuracyChart(t *testing.T) {
	train := curve(100, func(i int) float64 { return 1 - math.Exp(-float64(i)/10) })
	test := curve(100, func(i int) float64 { return 0.9 * (1 - math.Exp(-float64(i)/12)) })
	f := Accuracy(Range(0, 1000, 10), train, test)
	img := decode(t, f)
	if f.Plots[0].Title.Text != "accuracy" || f.Plots[0].X.Label.Text != "count" || f.Plots[0].Y.Label.Text != "accuracy" {
		t.Error("title/axis labels differ from the course's")
	}
	if f.Plots[0].Y.Min != 0 || f.Plots[0].Y.Max != 1 {
		t.Errorf("y range %v..%v, want 0..1", f.Plots[0].Y.Min, f.Plots[0].Y.Max)
	}
	if f.Plots[0].Legend.Top || f.Plots[0].Legend.Left {
		t.Error("legend must be at the lower right")
	}
	blue, orange := count(img, Palette[0], 10), count(img, Palette[1], 10)
	if blue < 2000 || orange < 2000 {
		t.Errorf("expected both curves drawn: %d blue and %d orange pixels", blue, orange)
	}
	// The training curve starts at the bottom-left and ends near the top:
	// blue pixels exist in the upper half of the plot's right side.
	b := img.Bounds()
	upperRight := 0
	for y := 0; y < b.Max.Y/2; y++ {
		for x := b.Max.X * 3 / 4; x < b.Max.X*9/10; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); abs(int(r>>8)-0x1f) < 10 && abs(int(g>>8)-0x77) < 10 && abs(int(bl>>8)-0xb4) < 10 {
				upperRight++
			}
		}
	}
	if upperRight == 0 {
		t.Error("training curve does not reach the top right")
	}
}

func TestLinesManyRunsAndLoss(t *testing.T) {
	var s []Series
	for k := range 4 {
		s = append(s, Series{Name: []string{"SGD", "Momentum", "AdaGrad", "Adam"}[k], Y: curve(50, func(i int) float64 { return float64(k) * float64(i) / 50 })})
	}
	img := decode(t, Lines(LineSpec{Title: "optimizers", XLabel: "iteration", YLabel: "accuracy"}, s...))
	for k := range 4 {
		if count(img, Palette[k], 8) < 300 {
			t.Errorf("series %d (colour %v) missing", k, Palette[k])
		}
	}
	// NaN and Inf points (a diverged run) are skipped, not fatal.
	loss := curve(200, func(i int) float64 { return 2 * math.Exp(-float64(i)/50) })
	loss[150] = math.NaN()
	loss[151] = math.Inf(1)
	decode(t, Loss(loss, 20))
	decode(t, Lines(LineSpec{Title: "log", LogY: true}, Series{Y: loss}))
	// A run that diverged from x = 100 on: the x axis still reaches 199 (it
	// stopped at 99, as if the run had been shorter), a series with nothing
	// to draw is named in the title (the chart was silently empty), and the
	// moving average goes on after a single NaN (it stayed NaN for good).
	diverged := curve(200, func(i int) float64 { return 2 - float64(i)/200 })
	for i := 100; i < 200; i++ {
		diverged[i] = math.NaN()
	}
	allNaN := []float64{math.NaN(), math.Inf(1), math.NaN()}
	f := Lines(LineSpec{Title: "lr"}, Series{Name: "lr 10", Y: diverged}, Series{Name: "lr 100", Y: allNaN})
	decode(t, f)
	if f.Plots[0].X.Max != 199 {
		t.Errorf("x axis ends at %v, want 199 (the undrawn part of the run)", f.Plots[0].X.Max)
	}
	if !strings.Contains(f.Plots[0].Title.Text, "lr 100: all 3 values NaN or ±Inf") {
		t.Errorf("title %q does not say that lr 100 has nothing to draw", f.Plots[0].Title.Text)
	}
	if pts, n, first := drawable(Series{Y: diverged}, Range(0, 200, 1), false); len(pts) != 100 || n != 100 || first != 100 {
		t.Errorf("drawable: %d points, %d left out from x = %v; want 100, 100 from 100", len(pts), n, first)
	}
	ma := MovingAverage([]float64{1, math.NaN(), 3, 5, math.Inf(-1)}, 2)
	if want := []float64{1, 1, 3, 4, 5}; fmt.Sprint(ma) != fmt.Sprint(want) {
		t.Errorf("MovingAverage over a NaN and an Inf: %v, want %v", ma, want)
	}
	if err := Lines(LineSpec{Title: "bad"}, Series{X: []float64{1, 2}, Y: []float64{1}}).Err(); err == nil || !strings.Contains(err.Error(), "2 x values and 1 y values") {
		t.Errorf("mismatched series: %v", err)
	}
	if _, err := Lines(LineSpec{Title: "empty"}).PNG(); err == nil {
		t.Error("no series: want an error")
	}
}

func TestHistograms(t *testing.T) {
	var hs []Hist
	for k := range 5 {
		hs = append(hs, Hist{Name: string(rune('1'+k)) + "-layer", Values: curve(1000, func(i int) float64 { return math.Mod(float64(i*(k+1))*0.618, 1) })})
	}
	f := Histograms(HistSpec{Title: "activations", Lo: 0, Hi: 1, Bins: 30}, hs...)
	img := decode(t, f)
	if f.Rows != 1 || f.Cols != 5 || len(f.Plots) != 5 {
		t.Fatalf("grid %d×%d with %d plots", f.Rows, f.Cols, len(f.Plots))
	}
	for k := range 5 {
		if count(img, Palette[k], 6) < 500 {
			t.Errorf("panel %d has no bars", k)
		}
	}
	if err := Histograms(HistSpec{Title: "nan"}, Hist{Values: []float64{math.NaN()}}).Err(); err == nil {
		t.Error("all-NaN values: want an error")
	}
}

// TestChartsSayWhatTheyLeaveOut: a histogram with a fixed range dropped the
// values outside it (a ReLU layer's activations above 1) and NaN without a
// word; Bars failed with gonum's "plotter: NaN data point" when one run's
// value was NaN, and hid a negative value below its axis.
func TestChartsSayWhatTheyLeaveOut(t *testing.T) {
	relu := curve(1000, func(i int) float64 { return math.Max(0, float64(i)/500-0.5) }) // 25 % above 1
	relu[7] = math.NaN()
	f := Histograms(HistSpec{Title: "activations", Lo: 0, Hi: 1}, Hist{Name: "1-layer", Values: relu},
		Hist{Name: "2-layer", Values: curve(1000, func(i int) float64 { return float64(i) / 1000 })})
	decode(t, f)
	if want := "activations\n(not counted: 1-layer 25% outside 0–1 and 1 NaN)"; f.Suptitle != want {
		t.Errorf("suptitle %q, want %q", f.Suptitle, want)
	}
	b := Bars("final loss", "loss", []string{"lr 0.01", "lr 100", "shifted"}, []float64{0.4, math.NaN(), -0.2})
	decode(t, b)
	if p := b.Plots[0]; p.Y.Min >= -0.2 || p.Y.Max <= 0.4 {
		t.Errorf("y range %v..%v does not show -0.2 and 0.4", p.Y.Min, p.Y.Max)
	}
}

func TestImagesGrid(t *testing.T) {
	x := tensor.New[float64](12, 784)
	for i := range 12 {
		for p := range 784 {
			if (p/28)%28 > 10 && (p/28)%28 < 18 { // a dark band in each image
				x.Data[i*784+p] = 1
			}
		}
	}
	imgs := ImagesFromTensor(x, nil)
	labels := make([]string, 12)
	reds := make([]bool, 12)
	for i := range labels {
		labels[i] = "7"
	}
	reds[3] = true
	f := Images(ImageSpec{Title: "samples", Cols: 6, Labels: labels, Reds: reds}, imgs)
	img := decode(t, f)
	if f.Rows != 2 || f.Cols != 6 {
		t.Fatalf("grid %d×%d, want 2×6", f.Rows, f.Cols)
	}
	if black := count(img, color.RGBA{0, 0, 0, 255}, 2); black < 12*1000 {
		t.Errorf("only %d black pixels for 12 images with a dark band", black)
	}
	if red := count(img, color.RGBA{0xd6, 0x27, 0x28, 255}, 30); red == 0 {
		t.Error("the red caption of a misclassified digit is missing")
	}
	w := tensor.New[float64](4, 1, 5, 5)
	for i := range w.Data {
		w.Data[i] = math.Sin(float64(i))
	}
	filters := Filters(w)
	decode(t, Images(ImageSpec{Title: "filters", Scale: "each", Cols: 4}, filters))
	if err := mistake.Catch(func() { ImagesFromTensor(tensor.New[float64](3, 10), nil) }); err == nil {
		t.Error("(3, 10) accepted as images")
	}
	if err := Images(ImageSpec{Labels: []string{"a"}}, imgs).Err(); err == nil {
		t.Error("1 label for 12 images accepted")
	}
}

func TestHeatMap(t *testing.T) {
	m, _ := tensor.FromSlice([]float64{54, 49, 43, 65, 46, 25, 55, 96, 31, 49, 43, 77, 46, 25, 53, 96, 31, 63}, 2, 9)
	img := decode(t, HeatMap(HeatMapSpec{Title: "im2col"}, m))
	// The maximum (96) is drawn in viridis yellow, the minimum (25) in purple.
	if count(img, Viridis(1), 4) < 1000 || count(img, Viridis(0), 4) < 1000 {
		t.Error("heat map lacks the extreme colours")
	}
	// One NaN cell (a diverged network's weights) made the whole scale NaN.
	m.Data[4] = math.NaN()
	img = decode(t, HeatMap(HeatMapSpec{Title: "with NaN"}, m))
	if count(img, Viridis(1), 4) < 1000 || count(img, Viridis(0), 4) < 1000 {
		t.Error("heat map with a NaN cell lacks the extreme colours of the other cells")
	}
	if lo, hi := minMax([]float64{3, math.NaN(), 1, math.Inf(1)}); lo != 1 || hi != 3 {
		t.Errorf("minMax skipping NaN and Inf: %v..%v, want 1..3", lo, hi)
	}
	if err := HeatMap(HeatMapSpec{}, tensor.New[float64](3)).Err(); err == nil {
		t.Error("a vector accepted as a matrix")
	}
}

func TestBarsAndSave(t *testing.T) {
	f := Bars("final test accuracy", "accuracy", []string{"SGD", "Adam"}, []float64{0.11, 0.94})
	img := decode(t, f)
	if count(img, Palette[0], 4) < 500 || count(img, Palette[1], 4) < 5000 {
		t.Error("bars missing")
	}
	p := filepath.Join(t.TempDir(), "sub", "bars.png")
	if err := f.Save(p); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(p); err != nil || st.Size() < 1000 {
		t.Fatalf("saved file: %v", err)
	}
	if err := Bars("x", "y", []string{"a"}, nil).Err(); err == nil {
		t.Error("mismatched names/values accepted")
	}
}

// TestLegendAvoidsTheCurves: the legend goes to the asked-for corner when
// the curves leave it free, and to another corner when they would run under
// it (2_4's SGD accuracy, near 0.11 all along, under the course's lower-right
// legend).
func TestLegendAvoidsTheCurves(t *testing.T) {
	x := Range(0, 1000, 10)
	flat := func(v float64) []float64 {
		y := make([]float64, len(x))
		for i := range y {
			y[i] = v
		}
		return y
	}
	for _, c := range []struct {
		name        string
		train, test []float64
		want        corner
	}{
		{"high curves: the course's lower right", flat(0.95), flat(0.9), corner{}},
		{"low curves: away from the bottom", flat(0.11), flat(0.1135), corner{top: true}},
	} {
		f := Accuracy(x, c.train, c.test)
		if _, err := f.PNG(); err != nil {
			t.Fatal(err)
		}
		l := f.Plots[0].Legend
		if got := (corner{top: l.Top, left: l.Left}); got != c.want {
			t.Errorf("%s: legend at %+v, want %+v", c.name, got, c.want)
		}
	}
	// One curve along the bottom, one across the right half of the top: the
	// only free corner is the upper left.
	f := Lines(LineSpec{Title: "t", Legend: "upper right", YMin: Float(0), YMax: Float(1)},
		Series{Name: "a", X: x, Y: flat(0.02)}, Series{Name: "b", X: x[50:], Y: flat(0.97)[50:]})
	if _, err := f.PNG(); err != nil {
		t.Fatal(err)
	}
	if l := f.Plots[0].Legend; !l.Top || !l.Left {
		t.Errorf("legend at top=%v left=%v, want the free upper left", l.Top, l.Left)
	}
}
