//go:build cgo

package backend

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double*, int,
                         const double*, int, double, double*, int);
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float*, int,
                         const float*, int, float, float*, int);

static dgemm_fn dlnb_dgemm_p;
static sgemm_fn dlnb_sgemm_p;
static void (*dlnb_set_threads_p)(int);
static char *(*dlnb_config_p)(void);

// dlnb_open loads an OpenBLAS library and resolves the functions dlnb needs.
// It returns NULL on success or a message.
static const char *dlnb_open(const char *name) {
	// One thread per call: dlnb parallelises over the batch itself. Setting the
	// variable before loading keeps OpenBLAS from starting a thread pool.
	setenv("OPENBLAS_NUM_THREADS", "1", 0);
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) return dlerror();
	dlnb_dgemm_p = (dgemm_fn)dlsym(h, "cblas_dgemm");
	dlnb_sgemm_p = (sgemm_fn)dlsym(h, "cblas_sgemm");
	dlnb_set_threads_p = (void (*)(int))dlsym(h, "openblas_set_num_threads");
	dlnb_config_p = (char *(*)(void))dlsym(h, "openblas_get_config");
	if (!dlnb_dgemm_p || !dlnb_sgemm_p) return "cblas_dgemm or cblas_sgemm missing";
	if (!dlnb_set_threads_p || !dlnb_config_p) return "not OpenBLAS (openblas_set_num_threads missing)";
	dlnb_set_threads_p(1);
	return NULL;
}

static const char *dlnb_config(void) { return dlnb_config_p(); }

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };

static void dlnb_dgemm(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                       const double *b, int ldb, double beta, double *c, int ldc) {
	dlnb_dgemm_p(RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static void dlnb_sgemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                       const float *b, int ldb, float beta, float *c, int ldc) {
	dlnb_sgemm_p(RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// cgoBuild reports whether this binary was built with cgo (needed to load OpenBLAS).
const cgoBuild = true

// openOpenBLAS loads OpenBLAS and returns a description of it.
func openOpenBLAS() (string, error) {
	names := []string{"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"}
	if p := os.Getenv("DLNB_OPENBLAS"); p != "" {
		names = []string{p}
	}
	var errs []error
	for _, n := range names {
		cn := C.CString(n)
		msg := C.dlnb_open(cn)
		C.free(unsafe.Pointer(cn))
		if msg == nil {
			cfg := strings.Fields(C.GoString(C.dlnb_config()))
			desc := "OpenBLAS"
			if len(cfg) > 1 {
				desc += " " + cfg[1]
			}
			return fmt.Sprintf("%s (%s, 1 thread per call, cgo)", desc, n), nil
		}
		errs = append(errs, fmt.Errorf("%s: %s", n, C.GoString(msg)))
	}
	return "", errors.Join(errs...)
}

// installOpenBLAS makes gonum's blas64 and blas32 use OpenBLAS.
func installOpenBLAS() {
	blas64.Use(openBLAS{})
	blas32.Use(openBLAS{})
}

// openBLAS is gonum's BLAS with the matrix-matrix products replaced by
// OpenBLAS's; every other routine stays pure Go.
type openBLAS struct{ gonum.Implementation }

func cbool(t blas.Transpose) C.int {
	if t == blas.NoTrans {
		return 0
	}
	return 1
}

// Dgemm computes C = alpha·op(A)·op(B) + beta·C in row-major order.
func (o openBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int,
	b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 || k == 0 || len(a) == 0 || len(b) == 0 {
		o.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	C.dlnb_dgemm(cbool(tA), cbool(tB), C.int(m), C.int(n), C.int(k), C.double(alpha),
		(*C.double)(&a[0]), C.int(lda), (*C.double)(&b[0]), C.int(ldb), C.double(beta),
		(*C.double)(&c[0]), C.int(ldc))
}

// Sgemm is the float32 Dgemm.
func (o openBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 || k == 0 || len(a) == 0 || len(b) == 0 {
		o.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	C.dlnb_sgemm(cbool(tA), cbool(tB), C.int(m), C.int(n), C.int(k), C.float(alpha),
		(*C.float)(&a[0]), C.int(lda), (*C.float)(&b[0]), C.int(ldb), C.float(beta),
		(*C.float)(&c[0]), C.int(ldc))
}

// checkGemm panics, as gonum does, when the slices are too short for the
// shapes: C code must never read or write past a Go slice.
func checkGemm(tA, tB blas.Transpose, m, n, k, la, lda, lb, ldb, lc, ldc int) {
	rowA, colA := m, k
	if tA != blas.NoTrans {
		rowA, colA = k, m
	}
	rowB, colB := k, n
	if tB != blas.NoTrans {
		rowB, colB = n, k
	}
	switch {
	case lda < max(1, colA), ldb < max(1, colB), ldc < max(1, n):
		panic("backend: gemm: bad leading dimension")
	case la < lda*(rowA-1)+colA, lb < ldb*(rowB-1)+colB, lc < ldc*(m-1)+n:
		panic("backend: gemm: slice too short for the matrix shape")
	}
}
