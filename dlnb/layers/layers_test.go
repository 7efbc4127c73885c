package layers

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/ref"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

type T64 = tensor.Tensor[float64]

func randn(r *rng.RandomState, scale float64, shape ...int) *T64 {
	t := tensor.New[float64](shape...)
	r.FillNorm(t.Data, scale)
	return t
}

// relErr is the largest absolute difference divided by the largest magnitude.
func relErr(a, b *T64) float64 {
	d, m := 0.0, 1e-300
	for i := range a.Data {
		d = math.Max(d, math.Abs(a.Data[i]-b.Data[i]))
		m = math.Max(m, math.Max(math.Abs(a.Data[i]), math.Abs(b.Data[i])))
	}
	return d / m
}

// check runs the gradient check of a layer: the loss is L = Σ out·R for a
// fixed random R; the backward pass with dout = R must match the central
// differences of L with respect to x and to every parameter.
func check(t *testing.T, name string, l Layer[float64], x *T64, before func()) {
	t.Helper()
	r := rng.New(99)
	if before == nil {
		before = func() {}
	}
	before()
	out := l.Forward(x, true)
	R := randn(r, 1, out.Shape...)
	loss := func() float64 {
		before()
		o := l.Forward(x, true)
		s := 0.0
		for i, v := range o.Data {
			s += v * R.Data[i]
		}
		return s
	}
	before()
	l.Forward(x, true)
	dx := l.Backward(R)
	dx = dx.Clone()
	var analytic []*T64
	for _, p := range l.Params() {
		analytic = append(analytic, p.Grad.Clone())
	}
	if e := relErr(dx, ref.NumericalGradient(loss, x)); e > 1e-6 {
		t.Errorf("%s: dx relative error %.3g", name, e)
	}
	for i, p := range l.Params() {
		if e := relErr(analytic[i], ref.NumericalGradient(loss, p.Value)); e > 1e-6 {
			t.Errorf("%s: d%s relative error %.3g", name, p.Role, e)
		}
	}
}

// awayFromZero moves values off the ReLU/max kinks so finite differences
// with h = 1e-4 never straddle one.
func awayFromZero(x *T64) *T64 {
	for i, v := range x.Data {
		if math.Abs(v) < 0.05 {
			x.Data[i] = math.Copysign(0.05+math.Abs(v), v)
		}
	}
	return x
}

func TestGradAffine(t *testing.T) {
	r := rng.New(1)
	l := NewAffine(randn(r, 0.5, 12, 5), randn(r, 0.5, 5))
	check(t, "Affine 4-D input", l, randn(r, 1, 4, 3, 2, 2), nil)
}

func TestGradActivations(t *testing.T) {
	r := rng.New(2)
	check(t, "Relu", &Relu[float64]{}, awayFromZero(randn(r, 1, 5, 7)), nil)
	check(t, "Sigmoid", &Sigmoid[float64]{}, randn(r, 2, 5, 7), nil)
	check(t, "Tanh", &Tanh[float64]{}, randn(r, 1, 3, 2, 4), nil)
}

func TestGradDropout(t *testing.T) {
	r := rng.New(3)
	mask := rng.New(0)
	for _, inv := range []bool{false, true} {
		l := NewDropout[float64](0.3, mask)
		l.Inverted = inv
		check(t, "Dropout", l, randn(r, 1, 6, 5), func() { mask.Seed(7) })
	}
}

func TestDropoutCourseSemantics(t *testing.T) {
	x := tensor.Full(2.0, 1000)
	l := NewDropout[float64](0.25, rng.New(5))
	out := l.Forward(x, true)
	kept := 0
	ref := rng.New(5)
	for i, v := range out.Data {
		keep := ref.Float64() > 0.25 // np.random.rand(*x.shape) > ratio
		if (v == 2) != keep || (v != 2 && v != 0) {
			t.Fatalf("element %d: %v (mask %v)", i, v, keep)
		}
		if keep {
			kept++
		}
	}
	if kept < 700 || kept > 800 {
		t.Errorf("kept %d of 1000 at ratio 0.25", kept)
	}
	test := l.Forward(x, false)
	if test.Data[0] != 1.5 {
		t.Errorf("test mode: %v, want x·(1−0.25) = 1.5", test.Data[0])
	}
	l.Inverted = true
	if test := l.Forward(x, false); test.Data[0] != 2 {
		t.Errorf("inverted test mode: %v, want x", test.Data[0])
	}
	if err := mistake.Catch(func() { NewDropout[float64](1, rng.New(1)) }); err == nil || !strings.Contains(err.Error(), "ratio 1 must be in [0, 1)") {
		t.Errorf("ratio 1: %v", err)
	}
}

func TestGradBatchNorm(t *testing.T) {
	r := rng.New(4)
	for _, shape := range [][]int{{8, 5}, {6, 2, 3, 3}} {
		d := tensor.Size(shape[1:])
		g := randn(r, 0.3, d)
		for i := range g.Data {
			g.Data[i] += 1
		}
		l := NewBatchNormalization(g, randn(r, 0.3, d))
		check(t, "BatchNormalization "+tensor.ShapeString(shape), l, randn(r, 2, shape...), nil)
	}
}

func TestBatchNormRunningStats(t *testing.T) {
	x, _ := tensor.FromSlice([]float64{1, 10, 3, 30}, 2, 2)
	l := NewBatchNormalization(tensor.Full(1.0, 2), tensor.New[float64](2))
	out := l.Forward(x, true)
	// Per column: mean (2, 20), var (1, 100): x̂ = ±1/√(var+1e-6).
	if math.Abs(out.Data[0]+1/math.Sqrt(1+1e-6)) > 1e-12 || math.Abs(out.Data[3]-10/math.Sqrt(100+1e-6)) > 1e-12 {
		t.Fatalf("train output %v", out.Data)
	}
	if rm := l.RunningMean.Data; math.Abs(rm[0]-0.2) > 1e-15 || math.Abs(rm[1]-2) > 1e-15 {
		t.Fatalf("running mean %v, want 0.1·mean = (0.2, 2)", rm)
	}
	if rv := l.RunningVar.Data; math.Abs(rv[0]-0.1) > 1e-15 || math.Abs(rv[1]-10) > 1e-13 {
		t.Fatalf("running var %v, want (0.1, 10)", rv)
	}
	test := l.Forward(x, false)
	if want := (1 - 0.2) / math.Sqrt(0.1+1e-6); math.Abs(test.Data[0]-want) > 1e-12 {
		t.Fatalf("test output %v, want %v", test.Data[0], want)
	}
	if err := mistake.Catch(func() { l.Backward(test) }); err == nil || !strings.Contains(err.Error(), "test-mode Forward") {
		t.Fatalf("Backward after a test-mode Forward: %v", err)
	}
}

func TestGradConvolution(t *testing.T) {
	r := rng.New(5)
	cases := []struct {
		fn, c, fh, fw, h, w, stride, pad int
	}{
		{3, 1, 3, 3, 6, 6, 1, 0},
		{2, 2, 3, 3, 7, 7, 2, 1},
		{2, 3, 3, 3, 5, 5, 1, 2}, // DeepConvNet's pad 2
		{4, 2, 2, 3, 6, 7, 2, 0}, // non-square filters
		{2, 2, 5, 5, 6, 6, 1, 2}, // 5×5 filters: dx by the flipped-filter convolution
		{2, 2, 3, 3, 4, 4, 1, 3}, // pad > FH−1: dx by col2im
	}
	for _, c := range cases {
		l := NewConvolution(randn(r, 0.5, c.fn, c.c, c.fh, c.fw), randn(r, 0.5, c.fn), c.stride, c.pad)
		check(t, "Convolution", l, randn(r, 1, 3, c.c, c.h, c.w), nil)
	}
}

func TestGradPooling(t *testing.T) {
	r := rng.New(6)
	for _, c := range []struct {
		ph, pw, stride, pad int
		avg                 bool
	}{{2, 2, 2, 0, false}, {3, 3, 1, 1, false}, {2, 2, 2, 0, true}, {3, 3, 3, 0, true}} {
		l := NewPooling[float64](c.ph, c.pw, c.stride, c.pad)
		l.Average = c.avg
		// Distinct values far apart keep every maximum unique under ±h.
		x := tensor.New[float64](2, 3, 6, 6)
		perm := r.Permutation(x.Size())
		for i := range x.Data {
			x.Data[i] = float64(perm[i])*0.1 + 0.05
		}
		check(t, "Pooling", l, x, nil)
	}
}

// TestPoolingInsideIsPadded checks the no-padding ways of Pooling.Forward
// (maxInside, backend.MaxPool, averageInside, backend.AvgPool) against the general loop
// (poolPadded) bit for bit, maxima's indices included, in both precisions,
// with ties, rectangular windows, overlapping windows, a last row and column
// no window reads, and NaN.
func TestPoolingInsideIsPadded(t *testing.T) {
	defer func(was bool) { useFast = was }(useFast)
	r := rng.New(61)
	for _, c := range []struct{ ph, pw, stride, h, w int }{
		{3, 3, 2, 13, 13}, {3, 3, 2, 28, 28}, {2, 3, 1, 5, 20}, {3, 2, 3, 10, 30}, {1, 1, 1, 4, 4}, {2, 2, 2, 7, 5},
	} {
		x := randn(r, 1, 2, 3, c.h, c.w)
		for i := range x.Data[:c.h*c.w] { // ties in the first plane
			x.Data[i] = math.Round(x.Data[i])
		}
		x.Data[c.h*c.w+1] = math.NaN()
		for _, way := range []struct{ avg, fast bool }{{false, false}, {false, true}, {true, false}, {true, true}} {
			if way.fast && !backend.Fast() {
				continue
			}
			useFast = way.fast
			name := fmt.Sprintf("%d×%d stride %d on %d×%d (average %v, vector kernel %v)", c.ph, c.pw, c.stride, c.h, c.w, way.avg, way.fast)
			poolingInsideIsPadded(t, name+" float64", x, c.ph, c.pw, c.stride, way.avg)
			poolingInsideIsPadded(t, name+" float32", tensor.Cast[float32](x), c.ph, c.pw, c.stride, way.avg)
		}
	}
}

func poolingInsideIsPadded[T tensor.Float](t *testing.T, name string, x *tensor.Tensor[T], ph, pw, stride int, avg bool) {
	t.Helper()
	l := NewPooling[T](ph, pw, stride, 0)
	l.Average = avg
	out := l.Forward(x, true).Clone()
	got := append([]int32(nil), l.argmax...)
	want, wantIdx := make([]T, len(out.Data)), make([]int32, len(got))
	h, w, p := x.Shape[2], x.Shape[3], l.oh*l.ow
	for pl := range x.Shape[0] * x.Shape[1] {
		l.poolPadded(want[pl*p:(pl+1)*p], wantIdx[pl*p:(pl+1)*p], x.Data[pl*h*w:(pl+1)*h*w], h, w)
	}
	for i, v := range want {
		if math.Float64bits(float64(out.Data[i])) != math.Float64bits(float64(v)) || (!avg && got[i] != wantIdx[i]) {
			t.Fatalf("%s: output %d = %v at %d, the general loop gives %v at %d", name, i, out.Data[i], got[i], v, wantIdx[i])
		}
	}
}

// TestLRNVectorIsLoop checks LRN's vector kernels (backend.WindowSum and
// backend.LRNScale) against its Go loops bit for bit in both precisions:
// outputs, and the gradients computed from what Forward kept. 7 channels of
// 5×5 leave a tail of three values past the last vector of four.
func TestLRNVectorIsLoop(t *testing.T) {
	if !backend.Fast() {
		t.Skip("no vector kernels in this build")
	}
	defer func(was bool) { useFast = was }(useFast)
	r := rng.New(62)
	x, dout := randn(r, 3, 3, 7, 5, 5), randn(r, 1, 3, 7, 5, 5)
	for _, l := range []*LRN[float64]{NewLRN[float64](), {K: 1, N: 3, Alpha: 0.2, Beta: 0.75}} {
		lrnVectorIsLoop(t, "float64", l, x, dout)
		l32 := &LRN[float32]{K: l.K, N: l.N, Alpha: l.Alpha, Beta: l.Beta}
		lrnVectorIsLoop(t, "float32", l32, tensor.Cast[float32](x), tensor.Cast[float32](dout))
	}
}

func lrnVectorIsLoop[T tensor.Float](t *testing.T, name string, l *LRN[T], x, dout *tensor.Tensor[T]) {
	t.Helper()
	var outs, dxs [2]*tensor.Tensor[T]
	for i, fast := range []bool{false, true} {
		useFast = fast
		outs[i] = l.Forward(x, true).Clone()
		dxs[i] = l.Backward(dout).Clone()
	}
	for i := range outs[0].Data {
		if outs[0].Data[i] != outs[1].Data[i] || dxs[0].Data[i] != dxs[1].Data[i] {
			t.Fatalf("LRN %s (K %v, α %v): element %d: loop %v and dx %v, kernel %v and dx %v", name, l.K, l.Alpha, i,
				outs[0].Data[i], dxs[0].Data[i], outs[1].Data[i], dxs[1].Data[i])
		}
	}
}

func TestGradSoftmaxWithLoss(t *testing.T) {
	r := rng.New(7)
	x := randn(r, 2, 5, 4)
	oneHot := tensor.New[float64](5, 4)
	ints := tensor.New[float64](5)
	for i := range 5 {
		k := r.Intn(4)
		oneHot.Data[i*4+k] = 1
		ints.Data[i] = float64(k)
	}
	for _, d := range []*T64{oneHot, ints} {
		l := &SoftmaxWithLoss[float64]{Delta: CrossEntropyDelta}
		l.Forward(x, d)
		dx := l.Backward()
		// The backward pass is the exact gradient of the cross-entropy; the
		// 1e-7 guard inside the log is not part of the maths, so the numerical
		// gradient is taken of −Σ log y[i, d_i] / N without it.
		exact := func() float64 {
			y := ref.Softmax(x)
			s := 0.0
			for i, k := range d.ArgMaxRows() {
				if len(d.Shape) == 1 {
					k = int(d.Data[i])
				}
				s -= math.Log(y.Data[i*4+k])
			}
			return s / 5
		}
		num := ref.NumericalGradient(exact, x)
		if e := relErr(dx, num); e > 1e-6 {
			t.Errorf("labels %s: relative error %.3g", tensor.ShapeString(d.Shape), e)
		}
	}
	l := &SoftmaxWithLoss[float64]{}
	bad, _ := tensor.FromSlice([]float64{0, 1, 7, 2, 3}, 5)
	if err := mistake.Catch(func() { l.Forward(x, bad) }); err == nil || !strings.Contains(err.Error(), "label 7") {
		t.Errorf("label 7 of 4 classes: %v", err)
	}
	if err := mistake.Catch(func() { l.Forward(x, tensor.New[float64](3)) }); err == nil || !strings.Contains(err.Error(), "3 labels for 5 samples") {
		t.Errorf("3 labels for 5 samples: %v", err)
	}
}

// TestIm2ColImageIsTransposedCourseRows compares the per-image column
// matrix of the fast convolution with the course's im2col (package ref).
func TestIm2ColImageIsTransposedCourseRows(t *testing.T) {
	r := rng.New(10)
	x := randn(r, 1, 1, 2, 5, 6)
	for _, c := range []struct{ s, p int }{{1, 0}, {1, 1}, {2, 1}, {1, 3}, {2, 0}} {
		col := ref.Im2Col(x, 3, 2, c.s, c.p)
		oh, _ := ConvOutSize(5, 3, c.s, c.p)
		ow, _ := ConvOutSize(6, 2, c.s, c.p)
		k, p := 2*3*2, oh*ow
		mine := make([]float64, k*p)
		Im2ColImage(mine, x.Data, 2, 5, 6, 3, 2, c.s, c.p, oh, ow)
		for row := range p {
			for j := range k {
				if mine[j*p+row] != col.Data[row*k+j] {
					t.Fatalf("stride %d pad %d: entry (%d,%d) differs", c.s, c.p, j, row)
				}
			}
		}
	}
}

func TestShapeErrors(t *testing.T) {
	r := rng.New(11)
	aff := NewAffine(randn(r, 1, 784, 40), randn(r, 1, 40))
	if err := mistake.Catch(func() { aff.Forward(randn(r, 1, 100, 785), true) }); err == nil || !strings.Contains(err.Error(), "(100, 785) and (784, 40)") {
		t.Errorf("Affine with 785 inputs: %v", err)
	}
	conv := NewConvolution(randn(r, 1, 30, 1, 5, 5), randn(r, 1, 30), 2, 0)
	if err := mistake.Catch(func() { conv.Forward(randn(r, 1, 2, 3, 28, 28), true) }); err == nil || !strings.Contains(err.Error(), "3 channels") {
		t.Errorf("conv with 3 channels for 1-channel filters: %v", err)
	}
	// 28 with a 5×5 filter at stride 2: (28 − 5) // 2 + 1 = 12, rounded down
	// as the course does; the last row and column are not read.
	if out := conv.Forward(randn(r, 1, 2, 1, 28, 28), true); !tensor.SameShape(out.Shape, []int{2, 30, 12, 12}) {
		t.Errorf("conv 28, filter 5, stride 2: shape %v, want (2, 30, 12, 12)", out.Shape)
	}
	if err := mistake.Catch(func() { NewAffine(randn(r, 1, 3, 4), randn(r, 1, 3)) }); err == nil || !strings.Contains(err.Error(), "W must be (D, M) and b (M,)") {
		t.Errorf("b of the wrong size: %v", err)
	}
	relu := &Relu[float64]{}
	if err := mistake.Catch(func() { relu.Backward(randn(r, 1, 2)) }); err == nil || !strings.Contains(err.Error(), "before Forward") {
		t.Errorf("Backward before Forward: %v", err)
	}
	relu.Forward(randn(r, 1, 2, 3), true)
	if err := mistake.Catch(func() { relu.Backward(randn(r, 1, 3, 2)) }); err == nil || !strings.Contains(err.Error(), "(3, 2) and (2, 3)") {
		t.Errorf("dout of the wrong shape: %v", err)
	}
}

// TestFloat32MatchesFloat64 runs a conv + pool + affine stack in both
// precisions from the same values.
func TestFloat32MatchesFloat64(t *testing.T) {
	r := rng.New(12)
	w, b := randn(r, 0.3, 4, 1, 3, 3), randn(r, 0.1, 4)
	wa, ba := randn(r, 0.1, 4*4*4, 10), randn(r, 0.1, 10)
	x := randn(r, 1, 6, 1, 10, 10)
	run64 := func() *T64 {
		c := NewConvolution(w, b, 1, 0)
		p := NewPooling[float64](2, 2, 2, 0)
		a := NewAffine(wa, ba)
		return a.Forward(p.Forward(c.Forward(x, true), true), true).Clone()
	}
	c := NewConvolution(tensor.Cast[float32](w), tensor.Cast[float32](b), 1, 0)
	p := NewPooling[float32](2, 2, 2, 0)
	a := NewAffine(tensor.Cast[float32](wa), tensor.Cast[float32](ba))
	o := a.Forward(p.Forward(c.Forward(tensor.Cast[float32](x), true), true), true)
	if e := relErr(run64(), tensor.Cast[float64](o)); e > 1e-5 {
		t.Fatalf("float32 differs from float64 by %.3g", e)
	}
}

// TestFastKernelsMatchGo runs conv/ReLU/pool layers through the vectorised
// kernels and through the Go loops and requires identical results.
func TestFastKernelsMatchGo(t *testing.T) {
	if !useFast {
		t.Skip("no vectorised kernels on this CPU/build")
	}
	defer func() { useFast = true }()
	run := func(fast bool) []*T64 {
		useFast = fast
		r := rng.New(21)
		var outs []*T64
		for _, c := range []struct{ c, h, pad int }{{3, 9, 0}, {4, 8, 1}, {2, 7, 2}} {
			conv := NewConvolution(randn(r, 1, 5, c.c, 3, 3), randn(r, 1, 5), 1, c.pad)
			relu := &Relu[float64]{}
			x := randn(r, 1, 4, c.c, c.h, c.h)
			y := conv.Forward(x, true)
			z := relu.Forward(y, true)
			dz := randn(r, 1, z.Shape...)
			dy := relu.Backward(dz)
			dx := conv.Backward(dy)
			wide := y.Clone()
			for i := range wide.Data {
				wide.Data[i] *= 40 // saturated lanes too
			}
			sig := (&Sigmoid[float64]{}).Forward(wide, true)
			sig32 := (&Sigmoid[float32]{}).Forward(tensor.Cast[float32](y), true)
			outs = append(outs, z.Clone(), dx.Clone(), conv.DW.Clone(), sig.Clone(), tensor.Cast[float64](sig32))
		}
		pool := NewPooling[float64](2, 2, 2, 0)
		x := randn(r, 1, 3, 4, 8, 6)
		for i := range x.Data { // ties, to check that the first maximum wins
			x.Data[i] = math.Round(x.Data[i])
		}
		o := pool.Forward(x, true)
		dx := pool.Backward(randn(r, 1, o.Shape...))
		return append(outs, o.Clone(), dx.Clone())
	}
	fast, slow := run(true), run(false)
	for i := range fast {
		for j := range fast[i].Data {
			if fast[i].Data[j] != slow[i].Data[j] {
				t.Fatalf("output %d element %d: fast %v, Go %v", i, j, fast[i].Data[j], slow[i].Data[j])
			}
		}
	}
}

// TestFastIm2ColMatchesGo compares the vectorised im2col/col2im kernels with
// the Go loops, bit for bit, in both precisions, on widths that span several
// vectors and paddings that cut lines at both ends.
func TestFastIm2ColMatchesGo(t *testing.T) {
	if !useFast {
		t.Skip("no vectorised kernels on this CPU/build")
	}
	testFastIm2Col[float64](t)
	testFastIm2Col[float32](t)
}

func testFastIm2Col[T tensor.Float](t *testing.T) {
	r := rng.New(22)
	for _, c := range []struct{ c, h, w, fh, fw, pad int }{
		{3, 20, 17, 3, 3, 0}, {2, 28, 28, 3, 3, 1}, {2, 14, 14, 3, 3, 2}, {1, 7, 7, 5, 5, 4}, {4, 9, 40, 3, 2, 1},
	} {
		oh, ow := c.h+2*c.pad-c.fh+1, c.w+2*c.pad-c.fw+1
		img := randT[T](r, c.c, c.h, c.w).Data
		k := c.c * c.fh * c.fw
		fast, slow := make([]T, k*oh*ow), make([]T, k*oh*ow)
		for i := range fast {
			fast[i], slow[i] = 7, 7 // every entry must be written
		}
		backend.Im2ColImage(fast, img, c.c, c.h, c.w, c.fh, c.fw, c.pad, oh, ow)
		Im2ColImage(slow, img, c.c, c.h, c.w, c.fh, c.fw, 1, c.pad, oh, ow)
		for i := range fast {
			if fast[i] != slow[i] {
				t.Fatalf("%T im2col %+v: element %d: fast %v, Go %v", fast[0], c, i, fast[i], slow[i])
			}
		}
		col := randT[T](r, k*oh*ow).Data
		fimg, simg := make([]T, len(img)), make([]T, len(img))
		for i := range fimg {
			fimg[i], simg[i] = 7, 7
		}
		backend.Col2ImImage(fimg, col, c.c, c.h, c.w, c.fh, c.fw, c.pad, oh, ow)
		Col2ImImage(simg, col, c.c, c.h, c.w, c.fh, c.fw, 1, c.pad, oh, ow)
		for i := range fimg {
			if fimg[i] != simg[i] {
				t.Fatalf("%T col2im %+v: element %d: fast %v, Go %v", fimg[0], c, i, fimg[i], simg[i])
			}
		}
	}
}

// TestShiftedColsMatchIm2col runs convolutions forward and backward with
// their column matrices implicit (shiftedCols, forced even where pays says
// no) and written out (im2col), and requires the same output, dx, dW and db
// bit for bit, in both precisions: on the course's shapes, non-square images,
// paddings from 0 to FH−1, more filters than one GEMM row block (MC = 128)
// and more channels than one KC block (K > 256).
func TestShiftedColsMatchIm2col(t *testing.T) {
	if !useFast {
		t.Skip("no vectorised kernels on this CPU/build")
	}
	cases := []struct{ n, c, h, w, fn, f, pad int }{
		{3, 16, 28, 28, 16, 3, 1}, // DeepConvNet conv2
		{3, 16, 14, 14, 32, 3, 1}, // conv3
		{3, 32, 14, 14, 32, 3, 2}, // conv4
		{3, 64, 8, 8, 64, 3, 1},   // conv6
		{3, 1, 28, 28, 30, 5, 0},  // SimpleConvNet
		{2, 3, 9, 13, 5, 3, 0},
		{2, 2, 7, 5, 130, 3, 2},
		{2, 5, 11, 6, 3, 5, 4},
		{2, 40, 6, 7, 9, 3, 1},
	}
	defer func() { useShifted, alwaysShift = true, false }()
	for _, tc := range cases {
		name := fmt.Sprintf("N%d_C%d_%dx%d_FN%d_%dx%d_pad%d", tc.n, tc.c, tc.h, tc.w, tc.fn, tc.f, tc.f, tc.pad)
		t.Run(name+"/float64", func(t *testing.T) { shiftedVsIm2col[float64](t, tc.n, tc.c, tc.h, tc.w, tc.fn, tc.f, tc.pad) })
		t.Run(name+"/float32", func(t *testing.T) { shiftedVsIm2col[float32](t, tc.n, tc.c, tc.h, tc.w, tc.fn, tc.f, tc.pad) })
	}
}

func shiftedVsIm2col[T tensor.Float](t *testing.T, n, c, h, w, fn, f, pad int) {
	run := func(shifted bool) []*tensor.Tensor[T] {
		useShifted, alwaysShift = shifted, shifted
		r := rng.New(5)
		conv := NewConvolution(randT[T](r, fn, c, f, f), randT[T](r, fn), 1, pad)
		x := randT[T](r, n, c, h, w)
		y := conv.Forward(x, true).Clone()
		dx := conv.Backward(randT[T](r, y.Shape...))
		return []*tensor.Tensor[T]{y, dx.Clone(), conv.DW.Clone(), conv.DB.Clone()}
	}
	want, got := run(false), run(true)
	for i, what := range []string{"output", "dx", "dW", "db"} {
		for j := range want[i].Data {
			if got[i].Data[j] != want[i].Data[j] {
				t.Fatalf("%s[%d]: implicit columns %v, im2col %v", what, j, got[i].Data[j], want[i].Data[j])
			}
		}
	}
}
