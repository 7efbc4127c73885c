package layers

import (
	"testing"

	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// convCase is one convolution of the course's networks at batch 100.
type convCase struct {
	name             string
	c, h, fn, f, pad int
}

var convCases = []convCase{
	{"simple/conv1", 1, 28, 30, 5, 0},
	{"deep/conv1", 1, 28, 16, 3, 1},
	{"deep/conv2", 16, 28, 16, 3, 1},
	{"deep/conv3", 16, 14, 32, 3, 1},
	{"deep/conv4", 32, 14, 32, 3, 2},
	{"deep/conv5", 32, 8, 64, 3, 1},
	{"deep/conv6", 64, 8, 64, 3, 1},
}

func randT[T tensor.Float](r *rng.RandomState, shape ...int) *tensor.Tensor[T] {
	t := tensor.New[T](shape...)
	for i := range t.Data {
		t.Data[i] = T(r.NormFloat64())
	}
	return t
}

func benchConv[T tensor.Float](b *testing.B, c convCase, backward bool) {
	r := rng.New(1)
	l := NewConvolution(randT[T](r, c.fn, c.c, c.f, c.f), randT[T](r, c.fn), 1, c.pad)
	x := randT[T](r, 100, c.c, c.h, c.h)
	out := l.Forward(x, true)
	dout := randT[T](r, out.Shape...)
	oh := out.Shape[2]
	flops := 2.0 * 100 * float64(c.fn*c.c*c.f*c.f*oh*oh)
	if backward {
		flops *= 2
	}
	b.ReportAllocs()
	for b.Loop() {
		if backward {
			l.Backward(dout)
		} else {
			l.Forward(x, true)
		}
	}
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkConv measures forward and backward (dW and dx) of each course
// convolution on a batch of 100, in both precisions.
func BenchmarkConv(b *testing.B) {
	defer func(old bool) { useShifted = old }(useShifted)
	for _, c := range convCases {
		for _, dir := range []string{"forward", "backward"} {
			for _, cols := range []string{"shifted", "im2col"} {
				useShifted = cols == "shifted"
				name := c.name + "/" + dir + "/" + cols
				b.Run(name+"/float64", func(b *testing.B) { benchConv[float64](b, c, dir == "backward") })
				b.Run(name+"/float32", func(b *testing.B) { benchConv[float32](b, c, dir == "backward") })
			}
		}
	}
}

// BenchmarkIm2ColImage and BenchmarkCol2ImImage measure the unrolling of
// one 16×28×28 image for a 3×3 filter with padding 1 (DeepConvNet conv2).
func BenchmarkIm2ColImage(b *testing.B) {
	r := rng.New(2)
	img := randT[float64](r, 16, 28, 28)
	col := make([]float64, 16*9*28*28)
	b.ReportAllocs()
	b.SetBytes(int64(len(col) * 8))
	for b.Loop() {
		Im2ColImage(col, img.Data, 16, 28, 28, 3, 3, 1, 1, 28, 28)
	}
}

func BenchmarkCol2ImImage(b *testing.B) {
	r := rng.New(3)
	col := randT[float64](r, 16*9*28*28)
	img := make([]float64, 16*28*28)
	b.ReportAllocs()
	b.SetBytes(int64(len(col.Data) * 8))
	for b.Loop() {
		Col2ImImage(img, col.Data, 16, 28, 28, 3, 3, 1, 1, 28, 28)
	}
}

// BenchmarkPooling measures max pooling forward and backward: 2×2 windows
// on SimpleConvNet's 100×30×24×24 feature maps (float64), and AlexNet-style's
// overlapping 3×3 windows with stride 2 on its first 100×16×28×28 maps
// (float32).
func BenchmarkPooling(b *testing.B) {
	b.Run("2x2/float64", func(b *testing.B) { benchPooling[float64](b, 2, 2, 100, 30, 24, 24) })
	b.Run("3x3s2/float32", func(b *testing.B) { benchPooling[float32](b, 3, 2, 100, 16, 28, 28) })
}

func benchPooling[T tensor.Float](b *testing.B, size, stride int, shape ...int) {
	r := rng.New(4)
	x := randT[T](r, shape...)
	l := NewPooling[T](size, size, stride, 0)
	out := l.Forward(x, true)
	dout := randT[T](r, out.Shape...)
	b.Run("forward", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l.Forward(x, true)
		}
	})
	b.Run("backward", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l.Backward(dout)
		}
	})
}

// BenchmarkGemm measures the matrix products of the course's nets at batch
// 100 through the active BLAS (tensor.ParallelGemm), and a large square
// product: the peak the convolution layers are compared with. ParallelGemm
// splits rows across the cores, so the conv-img shapes (one image's product)
// run here as the nets never run them: a 16-row product on two cores gains
// almost nothing over one. For the speed of the convolution products as the
// nets run them (one image per core) and its share of the FMA ceiling, see
// BenchmarkGemm in package backend.
func BenchmarkGemm(b *testing.B) {
	shapes := []struct {
		name           string
		m, n, k        int
		transA, transB bool
	}{
		{"affine-fwd 100x4320x100", 100, 100, 4320, false, false},
		{"affine-dW 4320x100x100 (Aᵀ)", 4320, 100, 100, true, false},
		{"affine-dx 100x4320x100 (Bᵀ)", 100, 4320, 100, false, true},
		{"mlp 100x784x100", 100, 100, 784, false, false},
		{"mlp-eval 1000x40x784", 1000, 40, 784, false, false},
		{"mlp-eval 1000x100x784", 1000, 100, 784, false, false},
		{"conv-img 16x784x144", 16, 784, 144, false, false},
		{"conv-img 64x64x576", 64, 64, 576, false, false},
		{"peak 1536x1536x1536", 1536, 1536, 1536, false, false}, // the machine's GEMM peak, for reference
	}
	for _, s := range shapes {
		for _, prec := range []string{"float64", "float32"} {
			b.Run(s.name+"/"+prec, func(b *testing.B) {
				if prec == "float64" {
					benchGemm[float64](b, s.m, s.n, s.k, s.transA, s.transB)
				} else {
					benchGemm[float32](b, s.m, s.n, s.k, s.transA, s.transB)
				}
			})
		}
	}
}

func benchGemm[T tensor.Float](b *testing.B, m, n, k int, ta, tb bool) {
	r := rng.New(5)
	a, bb := randT[T](r, m*k), randT[T](r, k*n)
	c := make([]T, m*n)
	lda, ldb := k, n
	if ta {
		lda = m
	}
	if tb {
		ldb = k
	}
	b.ReportAllocs()
	for b.Loop() {
		tensor.ParallelGemm(ta, tb, m, n, k, 1, a.Data, lda, bb.Data, ldb, 0, c, n)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkGemmMNIST times an MLP's first-layer products on real MNIST images
// (about four fifths of the pixels are zero), where dlnb's kernels take their
// sparse path (sparse in backend/gemm_body.h): the forward product of a batch of
// 100 and of the 10,000 test images, and the weight gradient xᵀ·δ. Compare
// with the same shapes on random data in BenchmarkGemm (mlp*); "dense"
// multiplies the same images with every zero pixel set to 1/256, which the
// dense paths multiply as fast as the images themselves (their speed does
// not depend on the values) and the sparse path does not take. Skipped when
// MNIST cannot be loaded.
func BenchmarkGemmMNIST(b *testing.B) {
	ds, err := datasets.LoadMNIST()
	if err != nil {
		b.Skip("NOT MEASURED: MNIST cannot be loaded: ", err)
	}
	x := ds.Test.X.Data // 10000×784
	shapes := []struct {
		name    string
		m, n, k int
		transA  bool
	}{
		{"fwd 100x100x784", 100, 100, 784, false},
		{"eval 10000x100x784", 10000, 100, 784, false},
		{"eval 10000x40x784", 10000, 40, 784, false},
		{"dW 784x100x100 (Aᵀ)", 784, 100, 100, true},
	}
	for _, s := range shapes {
		for _, way := range []string{"sparse", "dense"} {
			b.Run(s.name+"/"+way+"/float64", func(b *testing.B) {
				if !backend.Fast() {
					b.Skip("NOT MEASURED: no dlnb kernels in this build")
				}
				rows := s.m
				if s.transA {
					rows = s.k
				}
				a := append([]float64(nil), x[:rows*784]...)
				if way == "dense" {
					for i := range a {
						if a[i] == 0 {
							a[i] = 1.0 / 256
						}
					}
				}
				w := randT[float64](rng.New(6), s.k*s.n).Data
				c := make([]float64, s.m*s.n)
				lda := s.k
				if s.transA {
					lda = s.m
				}
				b.ReportAllocs()
				for b.Loop() {
					tensor.ParallelGemm(s.transA, false, s.m, s.n, s.k, 1, a, lda, w, s.n, 0, c, s.n)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
