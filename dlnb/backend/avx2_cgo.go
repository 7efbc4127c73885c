//go:build cgo && amd64

package backend

/*
#include "dlnb_kernels.h"
*/
import "C"

// avx2 is the AVX2 + FMA build of dlnb's kernels (gemm_avx2.c,
// kernels_avx2.c), for CPUs without AVX-512F. It fills in the same table as
// the AVX-512 build, so every wrapper and test runs it through the same code.
var avx2 = &cImpl{C.dlnb_avx2_get_impl()}

// avx2Supported reports whether the CPU has AVX2 and FMA.
func avx2Supported() bool { return avx2.supported() }

// installAVX2 makes gonum's blas64 and blas32 use dlnb's AVX2 GEMM, and the
// element-wise kernels (Fast) the AVX2 ones.
func installAVX2() { install(avx2) }

// fmaPeak runs rounds rounds of peak_avx2.c's register-only FMA loop (float32
// when single, else float64) and returns the flops it did: the yardstick
// for BenchmarkFMAPeak. It needs AVX2 and FMA.
func fmaPeak(rounds int, single bool) (flops float64) {
	if single {
		C.dlnb_avx2_fma_peak_s(C.long(rounds))
		return float64(rounds) * 12 * 8 * 2
	}
	C.dlnb_avx2_fma_peak_d(C.long(rounds))
	return float64(rounds) * 12 * 4 * 2
}
