//go:build cgo && amd64

package backend

/*
#cgo LDFLAGS: -lm
#include "dlnb_kernels.h"

// Calls through a build's table (struct dlnb_impl, see dlnb_kernels.h).
static void dlnb_call_adam_s(const struct dlnb_impl *im, float *p, const float *g, float *m, float *v, long n,
                             float lr, float b1, float b2, float eps) { im->adam_s(p, g, m, v, n, lr, b1, b2, eps); }
static void dlnb_call_adam_d(const struct dlnb_impl *im, double *p, const double *g, double *m, double *v, long n,
                             double lr, double b1, double b2, double eps) { im->adam_d(p, g, m, v, n, lr, b1, b2, eps); }
static void dlnb_call_relu_fwd_s(const struct dlnb_impl *im, float *out, const float *x, long n) { im->relu_fwd_s(out, x, n); }
static void dlnb_call_relu_fwd_d(const struct dlnb_impl *im, double *out, const double *x, long n) { im->relu_fwd_d(out, x, n); }
static void dlnb_call_relu_bwd_s(const struct dlnb_impl *im, float *dx, const float *dout, const float *out, long n) {
	im->relu_bwd_s(dx, dout, out, n);
}
static void dlnb_call_relu_bwd_d(const struct dlnb_impl *im, double *dx, const double *dout, const double *out, long n) {
	im->relu_bwd_d(dx, dout, out, n);
}
static void dlnb_call_im2col_s(const struct dlnb_impl *im, float *col, const float *img, int c, int h, int w, int fh,
                               int fw, int pad, int oh, int ow) { im->im2col_s(col, img, c, h, w, fh, fw, pad, oh, ow); }
static void dlnb_call_im2col_d(const struct dlnb_impl *im, double *col, const double *img, int c, int h, int w, int fh,
                               int fw, int pad, int oh, int ow) { im->im2col_d(col, img, c, h, w, fh, fw, pad, oh, ow); }
static void dlnb_call_col2im_s(const struct dlnb_impl *im, float *img, const float *col, int c, int h, int w, int fh,
                               int fw, int pad, int oh, int ow) { im->col2im_s(img, col, c, h, w, fh, fw, pad, oh, ow); }
static void dlnb_call_col2im_d(const struct dlnb_impl *im, double *img, const double *col, int c, int h, int w, int fh,
                               int fw, int pad, int oh, int ow) { im->col2im_d(img, col, c, h, w, fh, fw, pad, oh, ow); }
static void dlnb_call_rowsum_add_s(const struct dlnb_impl *im, float *dst, const float *src, long rows, long cols) {
	im->rowsum_add_s(dst, src, rows, cols);
}
static void dlnb_call_rowsum_add_d(const struct dlnb_impl *im, double *dst, const double *src, long rows, long cols) {
	im->rowsum_add_d(dst, src, rows, cols);
}
static void dlnb_call_rows_s(const struct dlnb_impl *im, int m, int n, int k, const float *a, int lda, const float *b,
                            const long *boff, float *c, int ldc) { im->rows_s(m, n, k, 1, a, lda, b, boff, 0, c, ldc); }
static void dlnb_call_rows_d(const struct dlnb_impl *im, int m, int n, int k, const double *a, int lda,
                            const double *b, const long *boff, double *c, int ldc) {
	im->rows_d(m, n, k, 1, a, lda, b, boff, 0, c, ldc);
}
static void dlnb_call_maxpool2_s(const struct dlnb_impl *im, float *out, int *argmax, const float *x, long planes, int h, int w) {
	im->maxpool2_s(out, argmax, x, planes, h, w);
}
static void dlnb_call_maxpool2_d(const struct dlnb_impl *im, double *out, int *argmax, const double *x, long planes, int h, int w) {
	im->maxpool2_d(out, argmax, x, planes, h, w);
}
*/
import "C"

import (
	"math"
	"unsafe"
)

// fast is the build of the C kernels in use (AVX-512 or AVX2), set by
// install; nil when matrix products run on OpenBLAS or gonum.
var fast *cImpl

// Fast reports whether the vectorised kernels below may be called: dlnb's
// own kernels are in use (AVX-512 or AVX2, see Kind), that is the CPU has
// them and DLNB_BLAS did not ask for OpenBLAS or pure Go. Callers keep a Go
// implementation for the other cases.
func Fast() bool { return fast != nil }

func fp[T float32 | float64](s []T) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(s)) }

// Adam applies the course's Adam step to p with moments m and v:
// m += b1·(g − m); v += b2·(g² − v); p −= lr·m/(√v + eps). Requires Fast().
func Adam[T float32 | float64](p, g, m, v []T, lr, b1, b2, eps T) {
	adamOn(fast, p, g, m, v, lr, b1, b2, eps)
}

// ReluForward writes max(0, x) to out. Requires Fast().
func ReluForward[T float32 | float64](out, x []T) { reluForwardOn(fast, out, x) }

// ReluBackward writes dout where out > 0 and 0 elsewhere to dx. Requires Fast().
func ReluBackward[T float32 | float64](dx, dout, out []T) { reluBackwardOn(fast, dx, dout, out) }

// Im2ColImage unrolls one (C, H, W) image for a stride-1 convolution into col
// (C·fh·fw rows of oh·ow values). Requires Fast().
func Im2ColImage[T float32 | float64](col, img []T, c, h, w, fh, fw, pad, oh, ow int) {
	im2colOn(fast, col, img, c, h, w, fh, fw, pad, oh, ow)
}

// Col2ImImage is the adjoint of Im2ColImage: img = Σ of the column entries
// read from each pixel. Requires Fast().
func Col2ImImage[T float32 | float64](img, col []T, c, h, w, fh, fw, pad, oh, ow int) {
	col2imOn(fast, img, col, c, h, w, fh, fw, pad, oh, ow)
}

// GemmRows computes C = A·B for an m×k matrix A (row-major, row stride lda)
// and a k×n matrix B whose row p is b[boff[p] : boff[p]+n]: the rows may sit
// anywhere in b, and overlap. A stride-1 convolution's column matrix is
// such a B when the image is padded: row (c, ky, kx) is the padded image
// shifted by ky rows and kx columns (see layers.Convolution), so the
// product needs no im2col copy. C (m×n, row stride ldc) is overwritten.
// For k > 16 every entry is bit for bit what tensor.Gemm gives on the
// written-out B with dlnb's kernels (the same sums in the same order; for
// k ≤ 16 the GEMM takes a small-k path of its own). Requires Fast();
// panics when an index falls outside a, b or c.
func GemmRows[T float32 | float64](m, n, k int, a []T, lda int, b []T, boff []int, c []T, ldc int) {
	CountGemm[T](m, n, k)
	gemmRowsOn(fast, m, n, k, a, lda, b, boff, c, ldc)
}

// MaxPool2 pools planes of h×w (both even) by 2×2 windows with stride 2,
// writing maxima to out and the index of each maximum within its plane to
// argmax. Requires Fast().
func MaxPool2[T float32 | float64](out []T, argmax []int32, x []T, planes, h, w int) {
	maxPool2On(fast, out, argmax, x, planes, h, w)
}

// MaxPool pools planes of h×w by ph×pw windows moving by stride, without
// padding: oh×ow outputs per plane, with (oh−1)·stride + ph ≤ h and
// (ow−1)·stride + pw ≤ w. It writes each maximum to out and its index within
// the plane to argmax; the first maximum of a window wins, as np.argmax.
// Requires Fast(); panics when the windows or slices do not fit.
func MaxPool[T float32 | float64](out []T, argmax []int32, x []T, planes, h, w, ph, pw, stride, oh, ow int) {
	n := planes * oh * ow
	if n == 0 {
		return
	}
	checkPool("MaxPool", len(out), len(x), planes, h, w, ph, pw, stride, oh, ow)
	if len(argmax) < n {
		panic("backend: MaxPool: argmax too short")
	}
	am := (*C.int)(unsafe.Pointer(unsafe.SliceData(argmax)))
	cpl, ch, cw, cph, cpw, cs, coh, cow := C.long(planes), C.int(h), C.int(w), C.int(ph), C.int(pw), C.int(stride), C.int(oh), C.int(ow)
	switch any(x).(type) {
	case []float32:
		C.dlnb_avx2_maxpool_s((*C.float)(fp(out)), am, (*C.float)(fp(x)), cpl, ch, cw, cph, cpw, cs, coh, cow)
	default:
		C.dlnb_avx2_maxpool_d((*C.double)(fp(out)), am, (*C.double)(fp(x)), cpl, ch, cw, cph, cpw, cs, coh, cow)
	}
}

// AvgPool is MaxPool for average pooling: each window's sum, taken from 0
// in the order of its rows and columns, times inv = 1/(ph·pw), bit for bit
// what that loop gives. Requires Fast(); panics when the windows or slices
// do not fit.
func AvgPool[T float32 | float64](out, x []T, planes, h, w, ph, pw, stride, oh, ow int, inv T) {
	if planes*oh*ow == 0 {
		return
	}
	checkPool("AvgPool", len(out), len(x), planes, h, w, ph, pw, stride, oh, ow)
	cpl, ch, cw, cph, cpw, cs, coh, cow := C.long(planes), C.int(h), C.int(w), C.int(ph), C.int(pw), C.int(stride), C.int(oh), C.int(ow)
	switch any(x).(type) {
	case []float32:
		C.dlnb_avx2_avgpool_s((*C.float)(fp(out)), (*C.float)(fp(x)), cpl, ch, cw, cph, cpw, cs, coh, cow, C.float(inv))
	default:
		C.dlnb_avx2_avgpool_d((*C.double)(fp(out)), (*C.double)(fp(x)), cpl, ch, cw, cph, cpw, cs, coh, cow, C.double(inv))
	}
}

// checkPool panics unless oh×ow windows of ph×pw moving by stride fit in
// planes of h×w, the planes in x values and the outputs in out values.
func checkPool(name string, out, x, planes, h, w, ph, pw, stride, oh, ow int) {
	if ph < 1 || pw < 1 || stride < 1 || (oh-1)*stride+ph > h || (ow-1)*stride+pw > w || h*w > math.MaxInt32 ||
		out < planes*oh*ow || x < planes*h*w {
		panic("backend: " + name + ": windows outside the planes, or slices too short")
	}
}

// WindowSum sets dst[ch] = Σ src[ch′] over the channels ch′ = ch − half …
// ch + half that exist, for c planes of p values, bit for bit as a running
// sum over the channels (add the plane entering the window, subtract the one
// leaving it) computes it; run is p values of scratch. Requires Fast().
func WindowSum(dst, src, run []float64, c, p, half int) {
	if c*p == 0 {
		return
	}
	_, _, _ = dst[c*p-1], src[c*p-1], run[p-1]
	C.dlnb_avx2_window_sum_d((*C.double)(fp(dst)), (*C.double)(fp(src)), (*C.double)(fp(run)), C.int(c), C.long(p), C.int(half))
}

// LRNScale finishes local response normalisation with β = 0.75 on n =
// len(x) values: given the window sums of squares in s, it sets
// s = k + alpha·s, pw = s^(−0.75) and out = x·pw (for float32, computed in
// float64 and rounded once), bit for bit what Go's
// s = k + float64(alpha·s); r := math.Sqrt(s); pw = 1/(r·math.Sqrt(r))
// gives. Requires Fast().
func LRNScale[T float32 | float64](out []T, s, pw []float64, x []T, k, alpha float64) {
	n := len(x)
	if n == 0 {
		return
	}
	_, _, _ = out[n-1], s[n-1], pw[n-1]
	ps, pp := (*C.double)(fp(s)), (*C.double)(fp(pw))
	switch any(x).(type) {
	case []float32:
		C.dlnb_avx2_lrn_scale_s((*C.float)(fp(out)), ps, pp, (*C.float)(fp(x)), C.long(n), C.double(k), C.double(alpha))
	default:
		C.dlnb_avx2_lrn_scale_d((*C.double)(fp(out)), ps, pp, (*C.double)(fp(x)), C.long(n), C.double(k), C.double(alpha))
	}
}

// Exp writes e^x to out, bit for bit what math.Exp gives on amd64 (its
// algorithm, four lanes at a time; see exp_avx2.c). Requires Fast().
func Exp(out, x []float64) {
	if len(x) == 0 {
		return
	}
	_ = out[len(x)-1]
	C.dlnb_avx2_exp_d((*C.double)(fp(out)), (*C.double)(fp(x)), C.long(len(x)))
}

// Sigmoid writes 1 / (1 + e^−x) to out, bit for bit what
// T(1 / (1 + math.Exp(−float64(x)))) gives: computed in float64 and, for
// float32 data, rounded once at the end. Requires Fast().
func Sigmoid[T float32 | float64](out, x []T) {
	if len(x) == 0 {
		return
	}
	_ = out[len(x)-1]
	switch any(x).(type) {
	case []float32:
		C.dlnb_avx2_sigmoid_s((*C.float)(fp(out)), (*C.float)(fp(x)), C.long(len(x)))
	default:
		C.dlnb_avx2_sigmoid_d((*C.double)(fp(out)), (*C.double)(fp(x)), C.long(len(x)))
	}
}

// Tanh writes tanh x to out, bit for bit what T(math.Tanh(float64(x)))
// gives on amd64 (computed in float64 and, for float32 data, rounded once at
// the end). Requires Fast().
func Tanh[T float32 | float64](out, x []T) {
	if len(x) == 0 {
		return
	}
	_ = out[len(x)-1]
	switch any(x).(type) {
	case []float32:
		C.dlnb_avx2_tanh_s((*C.float)(fp(out)), (*C.float)(fp(x)), C.long(len(x)))
	default:
		C.dlnb_avx2_tanh_d((*C.double)(fp(out)), (*C.double)(fp(x)), C.long(len(x)))
	}
}

// RowSumAdd adds the sum of each row of the rows×cols matrix src to dst.
// Requires Fast().
func RowSumAdd[T float32 | float64](dst, src []T, rows, cols int) {
	rowSumAddOn(fast, dst, src, rows, cols)
}

// The functions below are the exported ones on a given build of the C code
// (the one in use, or any build in tests).

func adamOn[T float32 | float64](im *cImpl, p, g, m, v []T, lr, b1, b2, eps T) {
	n := C.long(len(p))
	if n == 0 {
		return
	}
	_, _, _ = g[len(p)-1], m[len(p)-1], v[len(p)-1]
	switch any(lr).(type) {
	case float32:
		C.dlnb_call_adam_s(im.p, (*C.float)(fp(p)), (*C.float)(fp(g)), (*C.float)(fp(m)), (*C.float)(fp(v)), n,
			C.float(lr), C.float(b1), C.float(b2), C.float(eps))
	default:
		C.dlnb_call_adam_d(im.p, (*C.double)(fp(p)), (*C.double)(fp(g)), (*C.double)(fp(m)), (*C.double)(fp(v)), n,
			C.double(lr), C.double(b1), C.double(b2), C.double(eps))
	}
}

func reluForwardOn[T float32 | float64](im *cImpl, out, x []T) {
	if len(x) == 0 {
		return
	}
	_ = out[len(x)-1]
	switch any(x).(type) {
	case []float32:
		C.dlnb_call_relu_fwd_s(im.p, (*C.float)(fp(out)), (*C.float)(fp(x)), C.long(len(x)))
	default:
		C.dlnb_call_relu_fwd_d(im.p, (*C.double)(fp(out)), (*C.double)(fp(x)), C.long(len(x)))
	}
}

func reluBackwardOn[T float32 | float64](im *cImpl, dx, dout, out []T) {
	if len(dx) == 0 {
		return
	}
	_, _ = dout[len(dx)-1], out[len(dx)-1]
	switch any(dx).(type) {
	case []float32:
		C.dlnb_call_relu_bwd_s(im.p, (*C.float)(fp(dx)), (*C.float)(fp(dout)), (*C.float)(fp(out)), C.long(len(dx)))
	default:
		C.dlnb_call_relu_bwd_d(im.p, (*C.double)(fp(dx)), (*C.double)(fp(dout)), (*C.double)(fp(out)), C.long(len(dx)))
	}
}

func im2colOn[T float32 | float64](im *cImpl, col, img []T, c, h, w, fh, fw, pad, oh, ow int) {
	_, _ = col[c*fh*fw*oh*ow-1], img[c*h*w-1]
	switch any(col).(type) {
	case []float32:
		C.dlnb_call_im2col_s(im.p, (*C.float)(fp(col)), (*C.float)(fp(img)), C.int(c), C.int(h), C.int(w), C.int(fh), C.int(fw), C.int(pad), C.int(oh), C.int(ow))
	default:
		C.dlnb_call_im2col_d(im.p, (*C.double)(fp(col)), (*C.double)(fp(img)), C.int(c), C.int(h), C.int(w), C.int(fh), C.int(fw), C.int(pad), C.int(oh), C.int(ow))
	}
}

func col2imOn[T float32 | float64](im *cImpl, img, col []T, c, h, w, fh, fw, pad, oh, ow int) {
	_, _ = col[c*fh*fw*oh*ow-1], img[c*h*w-1]
	switch any(col).(type) {
	case []float32:
		C.dlnb_call_col2im_s(im.p, (*C.float)(fp(img)), (*C.float)(fp(col)), C.int(c), C.int(h), C.int(w), C.int(fh), C.int(fw), C.int(pad), C.int(oh), C.int(ow))
	default:
		C.dlnb_call_col2im_d(im.p, (*C.double)(fp(img)), (*C.double)(fp(col)), C.int(c), C.int(h), C.int(w), C.int(fh), C.int(fw), C.int(pad), C.int(oh), C.int(ow))
	}
}

func gemmRowsOn[T float32 | float64](im *cImpl, m, n, k int, a []T, lda int, b []T, boff []int, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if m < 0 || n < 0 || k < 0 || len(boff) < k || lda < k || ldc < n ||
		len(a) < (m-1)*lda+k || len(c) < (m-1)*ldc+n {
		panic("backend: GemmRows: a, boff or c too short for the shapes")
	}
	for _, o := range boff[:k] {
		if o < 0 || o+n > len(b) {
			panic("backend: GemmRows: a row of B outside b")
		}
	}
	if k == 0 {
		for i := range m {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	bo := (*C.long)(unsafe.Pointer(unsafe.SliceData(boff)))
	switch any(a).(type) {
	case []float32:
		C.dlnb_call_rows_s(im.p, C.int(m), C.int(n), C.int(k), (*C.float)(fp(a)), C.int(lda), (*C.float)(fp(b)), bo,
			(*C.float)(fp(c)), C.int(ldc))
	default:
		C.dlnb_call_rows_d(im.p, C.int(m), C.int(n), C.int(k), (*C.double)(fp(a)), C.int(lda), (*C.double)(fp(b)), bo,
			(*C.double)(fp(c)), C.int(ldc))
	}
}

func maxPool2On[T float32 | float64](im *cImpl, out []T, argmax []int32, x []T, planes, h, w int) {
	n := planes * (h / 2) * (w / 2)
	if n == 0 {
		return
	}
	_, _, _ = out[n-1], argmax[n-1], x[planes*h*w-1]
	am := (*C.int)(unsafe.Pointer(unsafe.SliceData(argmax)))
	switch any(x).(type) {
	case []float32:
		C.dlnb_call_maxpool2_s(im.p, (*C.float)(fp(out)), am, (*C.float)(fp(x)), C.long(planes), C.int(h), C.int(w))
	default:
		C.dlnb_call_maxpool2_d(im.p, (*C.double)(fp(out)), am, (*C.double)(fp(x)), C.long(planes), C.int(h), C.int(w))
	}
}

func rowSumAddOn[T float32 | float64](im *cImpl, dst, src []T, rows, cols int) {
	if rows*cols == 0 {
		return
	}
	_, _ = dst[rows-1], src[rows*cols-1]
	switch any(dst).(type) {
	case []float32:
		C.dlnb_call_rowsum_add_s(im.p, (*C.float)(fp(dst)), (*C.float)(fp(src)), C.long(rows), C.long(cols))
	default:
		C.dlnb_call_rowsum_add_d(im.p, (*C.double)(fp(dst)), (*C.double)(fp(src)), C.long(rows), C.long(cols))
	}
}
