//go:build cgo && amd64

package backend

/*
#cgo CFLAGS: -O3
int dlnb_avx512_supported(void);
void dlnb_sgemm_avx512(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                       const float *b, int ldb, float beta, float *c, int ldc);
void dlnb_dgemm_avx512(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                       const double *b, int ldb, double beta, double *c, int ldc);
*/
import "C"

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// avx512Supported reports whether the CPU has AVX-512F and FMA.
func avx512Supported() bool { return C.dlnb_avx512_supported() != 0 }

// installAVX512 makes gonum's blas64 and blas32 use dlnb's AVX-512 GEMM.
func installAVX512() {
	blas64.Use(avx512BLAS{})
	blas32.Use(avx512BLAS{})
}

// avx512BLAS is gonum's BLAS with the matrix-matrix products replaced by
// dlnb's AVX-512 kernels (gemm_avx512.c).
type avx512BLAS struct{ gonum.Implementation }

// Dgemm computes C = alpha·op(A)·op(B) + beta·C in row-major order.
func (o avx512BLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int,
	b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 || k == 0 || len(a) == 0 || len(b) == 0 {
		o.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	C.dlnb_dgemm_avx512(tflag(tA), tflag(tB), C.int(m), C.int(n), C.int(k), C.double(alpha),
		(*C.double)(&a[0]), C.int(lda), (*C.double)(&b[0]), C.int(ldb), C.double(beta),
		(*C.double)(&c[0]), C.int(ldc))
}

// Sgemm is the float32 Dgemm.
func (o avx512BLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 || k == 0 || len(a) == 0 || len(b) == 0 {
		o.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	C.dlnb_sgemm_avx512(tflag(tA), tflag(tB), C.int(m), C.int(n), C.int(k), C.float(alpha),
		(*C.float)(&a[0]), C.int(lda), (*C.float)(&b[0]), C.int(ldb), C.float(beta),
		(*C.float)(&c[0]), C.int(ldc))
}

func tflag(t blas.Transpose) C.int {
	if t == blas.NoTrans {
		return 0
	}
	return 1
}
