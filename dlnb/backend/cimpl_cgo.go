//go:build cgo && amd64

package backend

/*
#cgo CFLAGS: -O3
#include "dlnb_kernels.h"

// Calls through a build's table (struct dlnb_impl, see dlnb_kernels.h).
static int dlnb_call_supported(const struct dlnb_impl *im) { return im->supported(); }
static int dlnb_call_sgemm(const struct dlnb_impl *im, int ta, int tb, int m, int n, int k, float alpha,
                           const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
	return im->gemm_s(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
static int dlnb_call_dgemm(const struct dlnb_impl *im, int ta, int tb, int m, int n, int k, double alpha,
                           const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc) {
	return im->gemm_d(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
static void dlnb_call_hits(const struct dlnb_impl *im, unsigned long long *out, int reset) { im->hits(out, reset); }
static unsigned dlnb_call_fail_allocs(const struct dlnb_impl *im, unsigned mask) { return im->fail_allocs(mask); }
static void dlnb_call_free_buffers(const struct dlnb_impl *im) { im->free_buffers(); }
static void dlnb_call_dense_only(const struct dlnb_impl *im, int on) { im->dense_only(on); }
static struct dlnb_blocks dlnb_call_blocks(const struct dlnb_impl *im) { return im->blocks; }

#define DLNB_NAME(name, desc) #name,
#define DLNB_DESC(name, desc) desc,
static const char *dlnb_path_name(int i) {
	static const char *names[] = {DLNB_PATHS(DLNB_NAME)};
	return names[i];
}
static const char *dlnb_path_desc(int i) {
	static const char *descs[] = {DLNB_PATHS(DLNB_DESC)};
	return descs[i];
}
static int dlnb_npaths(void) { return DLNB_NPATHS; }
*/
import "C"

import (
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// cImpl is one build of dlnb's C kernels, reached through its table (struct
// dlnb_impl in dlnb_kernels.h): the AVX-512 build (gemm_avx512.c and
// kernels_avx512.c, avx512_cgo.go), the AVX2 build (gemm_avx2.c and
// kernels_avx2.c, avx2_cgo.go), both in every cgo build on amd64, or, in
// tests built with -tags dlnb_simde, the AVX-512 sources on SIMDe's
// emulation of AVX-512 with AVX2 (simde_cgo.go). This file holds what every
// build uses: the Go wrappers call any of them through the same code.
type cImpl struct{ p *C.struct_dlnb_impl }

// name describes the build.
func (im *cImpl) name() string { return C.GoString(im.p.name) }

// supported reports whether the CPU can run the build: AVX-512F and FMA for
// the native AVX-512 one, AVX2 and FMA for the SIMDe and the AVX2 ones.
func (im *cImpl) supported() bool { return C.dlnb_call_supported(im.p) != 0 }

// install makes gonum's blas64 and blas32 use the GEMM of the build im, and
// the element-wise kernels of kernels_cgo.go its kernels.
func install(im *cImpl) {
	blas64.Use(kernelBLAS{im: im})
	blas32.Use(kernelBLAS{im: im})
	fast = im
}

// kernelBLAS is gonum's BLAS with the matrix-matrix products replaced by
// dlnb's GEMM of the build im (gemm_body.h in one of its builds).
type kernelBLAS struct {
	gonum.Implementation
	im *cImpl
}

// Dgemm computes C = alpha·op(A)·op(B) + beta·C in row-major order.
func (o kernelBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int,
	b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 || k == 0 || len(a) == 0 || len(b) == 0 {
		o.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if C.dlnb_call_dgemm(o.im.p, tflag(tA), tflag(tB), C.int(m), C.int(n), C.int(k), C.double(alpha),
		(*C.double)(&a[0]), C.int(lda), (*C.double)(&b[0]), C.int(ldb), C.double(beta),
		(*C.double)(&c[0]), C.int(ldc)) != 0 {
		// No memory for the packing buffers; C is untouched. gonum's GEMM needs none.
		o.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// Sgemm is the float32 Dgemm.
func (o kernelBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 || k == 0 || len(a) == 0 || len(b) == 0 {
		o.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if C.dlnb_call_sgemm(o.im.p, tflag(tA), tflag(tB), C.int(m), C.int(n), C.int(k), C.float(alpha),
		(*C.float)(&a[0]), C.int(lda), (*C.float)(&b[0]), C.int(ldb), C.float(beta),
		(*C.float)(&c[0]), C.int(ldc)) != 0 {
		o.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

func tflag(t blas.Transpose) C.int {
	if t == blas.NoTrans {
		return 0
	}
	return 1
}

// Test hooks. The counters, the allocation failures and the buffers are per
// OS thread: callers lock their goroutine to its thread (runtime.LockOSThread).

// pathNames returns the names and descriptions of the GEMM paths counted by
// pathHits (DLNB_PATHS in dlnb_kernels.h).
func pathNames() (names, descs []string) {
	for i := range int(C.dlnb_npaths()) {
		names = append(names, C.GoString(C.dlnb_path_name(C.int(i))))
		descs = append(descs, C.GoString(C.dlnb_path_desc(C.int(i))))
	}
	return names, descs
}

// pathHits returns how many GEMM calls on this thread took each path since
// the last reset, for float32 ([0]) and float64 ([1]), and resets the
// counters when reset is set.
func (im *cImpl) pathHits(reset bool) [2][]uint64 {
	n := int(C.dlnb_npaths())
	buf := make([]C.ulonglong, 2*n)
	r := C.int(0)
	if reset {
		r = 1
	}
	C.dlnb_call_hits(im.p, (*C.ulonglong)(unsafe.Pointer(&buf[0])), r)
	var out [2][]uint64
	for p := range 2 {
		for _, v := range buf[p*n : (p+1)*n] {
			out[p] = append(out[p], uint64(v))
		}
	}
	return out
}

// failAllocs makes the upcoming buffer allocations on this thread fail: bit
// i of mask for the i-th from now. It returns the previous mask, shifted by
// the allocations made since it was set.
func (im *cImpl) failAllocs(mask uint) uint { return uint(C.dlnb_call_fail_allocs(im.p, C.uint(mask))) }

// freeBuffers frees this thread's packing and im2col buffers, so that the
// next call allocates them again.
func (im *cImpl) freeBuffers() { C.dlnb_call_free_buffers(im.p) }

// denseOnly turns the sparse path off (on) or on again for this thread's
// calls, so that a test can compare it with the dense paths.
func (im *cImpl) denseOnly(on bool) {
	v := 0
	if on {
		v = 1
	}
	C.dlnb_call_dense_only(im.p, C.int(v))
}

// gemmBlocks are the block sizes and thresholds that decide the paths of a
// build's GEMM (struct dlnb_blocks in dlnb_kernels.h).
type gemmBlocks struct {
	kc, mc, nc       int    // the k, m and n blocks of the packed path
	mr               int    // tile rows
	nr, w            [2]int // tile columns and vector lanes, float32 and float64
	fewRows, smallK  int    // m ≤ fewRows: fewrows; k ≤ smallK: smallk
	smallN, smallNMK int    // n ≤ smallN with k ≥ smallNMK: smalln
	narrow           int    // n ≤ narrow, no transposes: fewrows for any m
}

// blocks returns the build's block sizes, for the tests' boundary cases.
func (im *cImpl) blocks() gemmBlocks {
	b := C.dlnb_call_blocks(im.p)
	i := func(x C.int) int { return int(x) }
	return gemmBlocks{kc: i(b.kc), mc: i(b.mc), nc: i(b.nc), mr: i(b.mr),
		nr: [2]int{i(b.nr_s), i(b.nr_d)}, w: [2]int{i(b.w_s), i(b.w_d)},
		fewRows: i(b.fewrows), smallK: i(b.smallk), smallN: i(b.smalln), smallNMK: i(b.smalln_mink),
		narrow: i(b.narrow)}
}
