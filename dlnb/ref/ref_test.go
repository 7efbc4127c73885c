package ref

import (
	"math"
	"testing"

	"github.com/dlnb/course/dlnb/internal/gradcheck"
	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/rng"
)

// TestIm2ColCol2ImGolden reproduces the course's printed example (2_6 after):
// two 4×4 images, a 3×3 filter, stride 1, pad 0.
func TestIm2ColCol2ImGolden(t *testing.T) {
	x := np.Reshape(np.Values(
		54, 49, 43, 77, 65, 46, 25, 53, 55, 96, 31, 63, 66, 10, 56, 20,
		67, 79, 6, 11, 14, 44, 82, 45, 84, 93, 71, 65, 74, 27, 16, 89), 2, 1, 4, 4)
	col := Im2Col(x, 3, 3, 1, 0)
	wantCol := [][]float64{
		{54, 49, 43, 65, 46, 25, 55, 96, 31}, {49, 43, 77, 46, 25, 53, 96, 31, 63},
		{65, 46, 25, 55, 96, 31, 66, 10, 56}, {46, 25, 53, 96, 31, 63, 10, 56, 20},
		{67, 79, 6, 14, 44, 82, 84, 93, 71}, {79, 6, 11, 44, 82, 45, 93, 71, 65},
		{14, 44, 82, 84, 93, 71, 74, 27, 16}, {44, 82, 45, 93, 71, 65, 27, 16, 89},
	}
	if col.Shape[0] != 8 || col.Shape[1] != 9 {
		t.Fatalf("col shape %v", col.Shape)
	}
	for i, row := range wantCol {
		for j, v := range row {
			if col.At(i, j) != v {
				t.Fatalf("col[%d][%d] = %v, want %v", i, j, col.At(i, j), v)
			}
		}
	}
	img := Col2Im(col, x.Shape, 3, 3, 1, 0)
	want := []float64{54, 98, 86, 77, 130, 184, 100, 106, 110, 384, 124, 126, 66, 20, 112, 20,
		67, 158, 12, 11, 28, 176, 328, 90, 168, 372, 284, 130, 74, 54, 32, 89}
	for i, v := range want {
		if img.Data[i] != v {
			t.Fatalf("col2im[%d] = %v, want %v", i, img.Data[i], v)
		}
	}
}

// TestIm2ColFloorsLikeTheCourse: a stride that does not fit the padded input
// drops the last rows and columns, as (H + 2·pad − FH) // stride + 1 does.
func TestIm2ColFloorsLikeTheCourse(t *testing.T) {
	x := np.Random.Rand(1, 1, 6, 6)
	col := Im2Col(x, 3, 3, 2, 0) // (6 − 3) // 2 + 1 = 2
	if col.Shape[0] != 4 || col.Shape[1] != 9 {
		t.Fatalf("col shape %v, want (4, 9)", col.Shape)
	}
}

// check compares the analytic gradient of loss with respect to p with the
// numerical one.
func check(t *testing.T, name string, loss func() float64, p, analytic *np.Array) {
	t.Helper()
	res := gradcheck.Sampled(loss, p, analytic, 0, nil)
	if res.RelErr > 1e-6 || res.Checked == 0 {
		t.Errorf("%s: relative error %.2g over %d entries (%d kinks)", name, res.RelErr, res.Checked, res.Kinks)
	}
}

// weighted returns a loss Σ w·f(x) and the gradient dout = w, so that any
// layer's Backward can be checked against it.
func weighted(r *rng.RandomState, shape []int) *np.Array {
	w := np.Zeros(shape...)
	r.FillNorm(w.Data, 1)
	return w
}

func TestGradients(t *testing.T) {
	r := rng.New(3)
	np.Random.Seed(1)
	x := np.Random.Randn(4, 2, 7, 7)
	dot := func(a, b *np.Array) float64 { return np.Sum(np.Multiply(a, b)).Item() }

	conv := NewConvolution(np.Multiply(0.3, np.Random.Randn(3, 2, 3, 3)), np.Random.Randn(3), 2, 1)
	w := weighted(r, []int{4, 3, 4, 4})
	conv.Forward(x)
	dx := conv.Backward(w)
	loss := func() float64 { return dot(conv.Forward(x), w) }
	check(t, "Convolution dx", loss, x, dx)
	conv.Forward(x)
	conv.Backward(w)
	check(t, "Convolution dW", loss, conv.W, conv.DW)
	check(t, "Convolution db", loss, conv.B, conv.DB)

	pool := NewPooling(3, 3, 2, 0)
	wp := weighted(r, []int{4, 2, 3, 3})
	pool.Forward(x)
	check(t, "Pooling dx", func() float64 { return dot(pool.Forward(x), wp) }, x, pool.Backward(wp))

	x2 := np.Random.Randn(5, 6)
	aff := NewAffine(np.Random.Randn(6, 4), np.Random.Randn(4))
	wa := weighted(r, []int{5, 4})
	aff.Forward(x2)
	dxa := aff.Backward(wa)
	la := func() float64 { return dot(aff.Forward(x2), wa) }
	check(t, "Affine dx", la, x2, dxa)
	check(t, "Affine dW", la, aff.W, aff.DW)

	bn := NewBatchNormalization(np.Random.Randn(6), np.Random.Randn(6))
	wb := weighted(r, []int{5, 6})
	bn.Forward(x2, true)
	dxb := bn.Backward(wb)
	lb := func() float64 { return dot(bn.Forward(x2, true), wb) }
	check(t, "BatchNormalization dx", lb, x2, dxb)
	check(t, "BatchNormalization dγ", lb, bn.Gamma, bn.DGamma)

	relu, sig := &Relu{}, &Sigmoid{}
	relu.Forward(x2)
	check(t, "Relu dx", func() float64 { return dot(relu.Forward(x2), wb) }, x2, relu.Backward(wb))
	sig.Forward(x2)
	check(t, "Sigmoid dx", func() float64 { return dot(sig.Forward(x2), wb) }, x2, sig.Backward(wb))

	d := np.Values(0, 3, 1, 3, 2)
	sl := &SoftmaxWithLoss{}
	xs := np.Random.Randn(5, 4)
	sl.Forward(xs, d)
	dxs := sl.Backward(1)
	// The loss with the 1e-7 inside the log differs from the one Backward
	// differentiates by ~1e-7 relative; the check's tolerance covers it.
	res := gradcheck.Sampled(func() float64 { return sl.Forward(xs, d) }, xs, dxs, 0, nil)
	if res.RelErr > 1e-5 {
		t.Errorf("SoftmaxWithLoss dx: relative error %.2g", res.RelErr)
	}
	oneHot := np.Zeros(5, 4)
	for i, k := range d.Data {
		oneHot.Set(1, i, int(k))
	}
	sl.Forward(xs, oneHot)
	dx1 := sl.Backward(1)
	for i := range dx1.Data {
		if math.Abs(dx1.Data[i]-dxs.Data[i]) > 1e-15 {
			t.Fatalf("one-hot and index labels give different gradients")
		}
	}
}

func TestGradientsOfTheNewLayers(t *testing.T) {
	r := rng.New(5)
	np.Random.Seed(2)
	x := np.Random.Randn(3, 7, 6, 6)
	dot := func(a, b *np.Array) float64 { return np.Sum(np.Multiply(a, b)).Item() }
	type layer interface {
		Forward(*np.Array) *np.Array
		Backward(*np.Array) *np.Array
	}
	lrn := NewLRN()
	strong := &LRN{K: 1, N: 3, Alpha: 0.2, Beta: 0.75}
	for _, c := range []struct {
		name string
		l    layer
	}{
		{"AvgPooling 2×2/2", NewAvgPooling(2, 2, 2, 0)},
		{"AvgPooling 3×3/2 pad 1", NewAvgPooling(3, 3, 2, 1)},
		{"GlobalAvgPooling", &GlobalAvgPooling{}},
		{"GlobalMaxPooling", &GlobalMaxPooling{}},
		{"Flatten", &Flatten{}},
		{"Tanh", &Tanh{}},
		{"LRN (paper)", lrn},
		{"LRN (strong)", strong},
	} {
		out := c.l.Forward(x)
		w := weighted(r, out.Shape)
		dx := c.l.Backward(w)
		check(t, c.name, func() float64 { return dot(c.l.Forward(x), w) }, x, dx)
	}
	// The paper's constants: with small activations LRN divides by about 2^0.75.
	out := lrn.Forward(np.Multiply(1e-3, x))
	if ratio := out.Data[0] / (1e-3 * x.Data[0]); math.Abs(ratio-math.Pow(2, -0.75)) > 1e-6 {
		t.Errorf("LRN scale %v, want 2^-0.75", ratio)
	}
	g := (&GlobalAvgPooling{}).Forward(x)
	if g.Shape[0] != 3 || g.Shape[1] != 7 || math.Abs(g.At(1, 2)-np.Mean(np.Reshape(np.Slice(x, 1, 2), 7, 36), 1).Data[2]) > 1e-15 {
		t.Errorf("GlobalAvgPooling: %v", g.Shape)
	}
}
