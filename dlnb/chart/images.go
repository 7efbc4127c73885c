package chart

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/dlnb/course/dlnb/mistake"

	"github.com/dlnb/course/dlnb/tensor"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Gray is a single-channel image: H rows of W values, row-major.
type Gray struct {
	W, H int
	Pix  []float64
}

// ImageSpec describes a grid of images.
type ImageSpec struct {
	Title  string
	Cols   int      // images per row (default 10)
	Labels []string // one caption per image (optional)
	// Scale: "fixed" maps [Lo, Hi] to white…black; "each" stretches every image
	// to its own range (for convolution filters); default "fixed" with [0, 1].
	Scale  string
	Lo, Hi float64
	// Reds marks captions to print in red (e.g. misclassified digits).
	Reds []bool
	// Normal draws dark = low (like matplotlib's "gray"); the default is ink on
	// paper (matplotlib's "gray_r"): high values are dark, as in the book.
	Normal bool
}

// ImagesFromTensor takes the images at positions idx (all when idx is nil)
// of a batch shaped (N, H, W), (N, 1, H, W) or (N, 784) (taken as 28×28).
func ImagesFromTensor(x *tensor.Tensor[float64], idx []int) []Gray {
	var h, w int
	switch {
	case len(x.Shape) == 2 && x.Shape[1] == 784:
		h, w = 28, 28
	case len(x.Shape) == 3:
		h, w = x.Shape[1], x.Shape[2]
	case len(x.Shape) == 4 && x.Shape[1] == 1:
		h, w = x.Shape[2], x.Shape[3]
	default:
		mistake.Panicf("chart: images must be (N, H, W), (N, 1, H, W) or (N, 784), got %s", tensor.ShapeString(x.Shape))
	}
	if idx == nil {
		for i := range x.Shape[0] {
			idx = append(idx, i)
		}
	}
	out := make([]Gray, 0, len(idx))
	for _, i := range idx {
		if i < 0 || i >= x.Shape[0] {
			mistake.Panicf("chart: image %d out of range [0, %d)", i, x.Shape[0])
		}
		out = append(out, Gray{W: w, H: h, Pix: x.Row(i)})
	}
	return out
}

// Filters returns the first-layer filters of a convolution weight tensor
// (FN, C, FH, FW) as images, one per filter and input channel.
func Filters(w *tensor.Tensor[float64]) []Gray {
	if len(w.Shape) != 4 {
		mistake.Panicf("chart: filters must be (FN, C, FH, FW), got %s", tensor.ShapeString(w.Shape))
	}
	fh, fw := w.Shape[2], w.Shape[3]
	n := w.Shape[0] * w.Shape[1]
	out := make([]Gray, n)
	for i := range n {
		out[i] = Gray{W: fw, H: fh, Pix: w.Data[i*fh*fw : (i+1)*fh*fw]}
	}
	return out
}

// Images draws a grid of images with optional captions: MNIST samples,
// learned filters, misclassified digits.
func Images(spec ImageSpec, imgs []Gray) *Figure {
	if len(imgs) == 0 {
		return failed(spec.Title, errEmpty)
	}
	cols := spec.Cols
	if cols <= 0 {
		cols = min(10, len(imgs))
	}
	rows := (len(imgs) + cols - 1) / cols
	if spec.Labels != nil && len(spec.Labels) != len(imgs) {
		return failed(spec.Title, fmt.Errorf("%d labels for %d images", len(spec.Labels), len(imgs)))
	}
	lo, hi := spec.Lo, spec.Hi
	if spec.Scale != "each" && lo == hi {
		lo, hi = 0, 1
	}
	tile := 0.75 * vg.Inch
	capH := vg.Length(0)
	if spec.Labels != nil {
		capH = 0.2 * vg.Inch
	}
	f := &Figure{Title: spec.Title, Suptitle: spec.Title, Rows: rows, Cols: cols,
		Width: vg.Length(cols) * tile, Height: vg.Length(rows)*(tile+capH) + 0.35*vg.Inch}
	if spec.Title == "" {
		f.Height -= 0.35 * vg.Inch
	}
	for i, g := range imgs {
		if g.W <= 0 || g.H <= 0 || len(g.Pix) != g.W*g.H {
			return failed(spec.Title, fmt.Errorf("image %d: %d values for %d×%d pixels", i, len(g.Pix), g.H, g.W))
		}
		l, h := lo, hi
		if spec.Scale == "each" {
			l, h = minMax(g.Pix)
		}
		p := plainPlot("", "", "")
		p.HideAxes()
		if spec.Labels != nil {
			p.Title.Text = spec.Labels[i]
			p.Title.TextStyle.Font.Size = 9
			p.Title.Padding = vg.Points(2)
			if i < len(spec.Reds) && spec.Reds[i] {
				p.Title.TextStyle.Color = color.RGBA{0xd6, 0x27, 0x28, 0xff}
			}
		}
		p.Add(plotter.NewImage(render(g, l, h, !spec.Normal), 0, 0, float64(g.W), float64(g.H)))
		f.Plots = append(f.Plots, p)
	}
	for len(f.Plots) < rows*cols {
		f.Plots = append(f.Plots, nil)
	}
	return f
}

func minMax(v []float64) (lo, hi float64) {
	lo, hi = finiteRange(v, math.Inf(1), math.Inf(-1))
	switch {
	case lo > hi: // no finite value
		lo, hi = 0, 1
	case lo == hi:
		hi = lo + 1
	}
	return lo, hi
}

// render converts g to an 8× nearest-neighbour enlarged grayscale image, so
// pixels stay crisp squares whatever the output resolution.
func render(g Gray, lo, hi float64, ink bool) image.Image {
	const k = 8
	img := image.NewGray(image.Rect(0, 0, g.W*k, g.H*k))
	for y := range g.H * k {
		for x := range g.W * k {
			v := (g.Pix[(y/k)*g.W+x/k] - lo) / (hi - lo)
			v = math.Max(0, math.Min(1, v))
			if math.IsNaN(v) { // a NaN pixel is drawn as the lowest value
				v = 0
			}
			if ink {
				v = 1 - v
			}
			img.Pix[y*img.Stride+x] = uint8(math.Round(v * 255))
		}
	}
	return img
}
