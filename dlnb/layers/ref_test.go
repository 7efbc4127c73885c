package layers

import (
	"fmt"
	"math"
	"testing"

	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/ref"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// The fast layers of this package against the clean reference (package ref,
// written like the course's common/layers.py): the same outputs and
// gradients on batches, to 1e-12, on the course's shapes and on strides and
// paddings the course's [try] cells invite.

// same fails unless got and want have the same shape and values within
// 1e-12 (relative to the largest value).
func same(t *testing.T, what string, got, want *T64) {
	t.Helper()
	if !tensor.SameShape(got.Shape, want.Shape) {
		t.Fatalf("%s: shape %v, reference %v", what, got.Shape, want.Shape)
	}
	scale := 1.0
	for _, v := range want.Data {
		scale = math.Max(scale, math.Abs(v))
	}
	for i, v := range want.Data {
		if d := math.Abs(got.Data[i] - v); d > 1e-12*scale {
			t.Fatalf("%s: element %d = %v, reference %v (|Δ| %.2g)", what, i, got.Data[i], v, d)
		}
	}
}

func TestConvolutionMatchesReference(t *testing.T) {
	r := rng.New(31)
	for _, c := range []struct{ fn, c, f, h, stride, pad int }{
		{30, 1, 5, 28, 1, 0},  // SimpleConvNet
		{10, 1, 7, 28, 1, 1},  // DoubleConvNet conv 1
		{32, 16, 3, 14, 1, 2}, // DeepConvNet conv 4
		{4, 3, 3, 9, 2, 1},    // stride 2
		{3, 2, 5, 10, 2, 0},   // (10 − 5) // 2 + 1: the last column is not read
		{2, 2, 3, 6, 1, 3},    // pad > FH − 1: dx through col2im
	} {
		name := fmt.Sprintf("conv %d@%d×%d stride %d pad %d on %d×%d", c.fn, c.f, c.f, c.stride, c.pad, c.h, c.h)
		w, b := randn(r, 0.3, c.fn, c.c, c.f, c.f), randn(r, 0.3, c.fn)
		x := randn(r, 1, 3, c.c, c.h, c.h)
		fast := NewConvolution(w.Clone(), b.Clone(), c.stride, c.pad)
		slow := ref.NewConvolution(w.Clone(), b.Clone(), c.stride, c.pad)
		out := fast.Forward(x, true)
		same(t, name+" forward", out, slow.Forward(x))
		dout := randn(r, 1, out.Shape...)
		same(t, name+" dx", fast.Backward(dout), slow.Backward(dout))
		same(t, name+" dW", fast.DW, slow.DW)
		same(t, name+" db", fast.DB, slow.DB)
	}
}

func TestPoolingMatchesReference(t *testing.T) {
	r := rng.New(32)
	for _, c := range []struct{ ph, stride, pad, h int }{{2, 2, 0, 24}, {3, 2, 0, 13}, {2, 1, 0, 5}, {3, 3, 1, 8}} {
		name := fmt.Sprintf("max pool %d×%d stride %d pad %d", c.ph, c.ph, c.stride, c.pad)
		x := randn(r, 1, 2, 3, c.h, c.h)
		for i := range x.Data[:40] { // ties: the first maximum wins in both
			x.Data[i] = math.Round(x.Data[i])
		}
		fast := NewPooling[float64](c.ph, c.ph, c.stride, c.pad)
		slow := ref.NewPooling(c.ph, c.ph, c.stride, c.pad)
		out := fast.Forward(x, true)
		same(t, name+" forward", out, slow.Forward(x))
		dmax := randn(r, 1, out.Shape...)
		same(t, name+" dx", fast.Backward(dmax), slow.Backward(dmax))
		avg := NewPooling[float64](c.ph, c.ph, c.stride, c.pad)
		avg.Average = true
		refAvg := ref.NewAvgPooling(c.ph, c.ph, c.stride, c.pad)
		out = avg.Forward(x, true)
		same(t, "average "+name+" forward", out, refAvg.Forward(x))
		dout := randn(r, 1, out.Shape...)
		same(t, "average "+name+" dx", avg.Backward(dout), refAvg.Backward(dout))
	}
}

func TestDenseLayersMatchReference(t *testing.T) {
	r := rng.New(33)
	x := randn(r, 1, 100, 784)
	w, b := randn(r, 0.05, 784, 40), randn(r, 0.1, 40)
	fa, sa := NewAffine(w.Clone(), b.Clone()), ref.NewAffine(w.Clone(), b.Clone())
	out := fa.Forward(x, true)
	same(t, "Affine forward", out, sa.Forward(x))
	dout := randn(r, 1, out.Shape...)
	same(t, "Affine dx", fa.Backward(dout), sa.Backward(dout))
	same(t, "Affine dW", fa.DW, sa.DW)
	same(t, "Affine db", fa.DB, sa.DB)

	type pair struct {
		name string
		fast Layer[float64]
		slow interface {
			Forward(*np.Array) *np.Array
			Backward(*np.Array) *np.Array
		}
	}
	for _, p := range []pair{{"Relu", &Relu[float64]{}, &ref.Relu{}}, {"Sigmoid", &Sigmoid[float64]{}, &ref.Sigmoid{}}, {"Tanh", &Tanh[float64]{}, &ref.Tanh{}}} {
		h := randn(r, 2, 100, 40)
		same(t, p.name+" forward", p.fast.Forward(h, true), p.slow.Forward(h))
		d := randn(r, 1, 100, 40)
		same(t, p.name+" dx", p.fast.Backward(d), p.slow.Backward(d))
	}

	gamma, beta := randn(r, 0.2, 40), randn(r, 0.2, 40)
	for i := range gamma.Data {
		gamma.Data[i]++
	}
	fb, sb := NewBatchNormalization(gamma.Clone(), beta.Clone()), ref.NewBatchNormalization(gamma.Clone(), beta.Clone())
	h := randn(r, 3, 100, 40)
	same(t, "BatchNormalization train", fb.Forward(h, true), sb.Forward(h, true))
	d := randn(r, 1, 100, 40)
	same(t, "BatchNormalization dx", fb.Backward(d), sb.Backward(d))
	same(t, "BatchNormalization dγ", fb.DGamma, sb.DGamma)
	same(t, "BatchNormalization dβ", fb.DBeta, sb.DBeta)
	same(t, "BatchNormalization running mean", fb.RunningMean, sb.RunningMean)
	same(t, "BatchNormalization test", fb.Forward(h, false), sb.Forward(h, false))

	// Dropout: the same masks when both draw from the same seed.
	np.Random.Seed(5)
	fd := NewDropout[float64](0.3, rng.Global)
	got := fd.Forward(h, true).Clone()
	dgot := fd.Backward(d).Clone()
	np.Random.Seed(5)
	sd := &ref.Dropout{DropoutRatio: 0.3}
	same(t, "Dropout train", got, sd.Forward(h, true))
	same(t, "Dropout dx", dgot, sd.Backward(d))
	same(t, "Dropout test", fd.Forward(h, false), sd.Forward(h, false))

	labels := tensor.New[float64](100)
	for i := range labels.Data {
		labels.Data[i] = float64(r.Intn(10))
	}
	scores := randn(r, 2, 100, 10)
	fs := &SoftmaxWithLoss[float64]{Delta: CrossEntropyDelta}
	ss := &ref.SoftmaxWithLoss{}
	if lf, ls := fs.Forward(scores, labels), ss.Forward(scores, labels); math.Abs(lf-ls) > 1e-12 {
		t.Fatalf("SoftmaxWithLoss loss %v, reference %v", lf, ls)
	}
	same(t, "SoftmaxWithLoss dx", fs.Backward(), ss.Backward(1))
}

// TestAlexNetLayers checks the layers LeNet and AlexNet add — global
// average and max pooling, Flatten, LRN — against the reference and by the
// gradient check.
func TestAlexNetLayers(t *testing.T) {
	r := rng.New(34)
	x := randn(r, 1, 3, 7, 5, 5)
	type refLayer interface {
		Forward(*np.Array) *np.Array
		Backward(*np.Array) *np.Array
	}
	for _, c := range []struct {
		name string
		fast Layer[float64]
		slow refLayer
	}{
		{"GlobalAvgPooling", &GlobalAvgPooling[float64]{}, &ref.GlobalAvgPooling{}},
		{"GlobalMaxPooling", &GlobalMaxPooling[float64]{}, &ref.GlobalMaxPooling{}},
		{"Flatten", &Flatten[float64]{}, &ref.Flatten{}},
		{"LRN", NewLRN[float64](), ref.NewLRN()},
		{"LRN (strong)", &LRN[float64]{K: 1, N: 3, Alpha: 0.2, Beta: 0.75}, &ref.LRN{K: 1, N: 3, Alpha: 0.2, Beta: 0.75}},
		{"LRN (even window, beta 0.5)", &LRN[float64]{K: 1, N: 4, Alpha: 0.1, Beta: 0.5}, &ref.LRN{K: 1, N: 4, Alpha: 0.1, Beta: 0.5}},
	} {
		out := c.fast.Forward(x, true)
		same(t, c.name+" forward", out, c.slow.Forward(x))
		dout := randn(r, 1, out.Shape...)
		same(t, c.name+" dx", c.fast.Backward(dout).Clone(), c.slow.Backward(dout))
		check(t, c.name, c.fast, x.Clone(), nil)
	}
}
