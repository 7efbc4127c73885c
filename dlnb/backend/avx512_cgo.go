//go:build cgo && amd64

package backend

/*
#include "dlnb_kernels.h"
*/
import "C"

// native is the AVX-512 build of dlnb's kernels (gemm_avx512.c,
// kernels_avx512.c): the one production code uses when the CPU has
// AVX-512F.
var native = &cImpl{C.dlnb_avx512_get_impl()}

// avx512Supported reports whether the CPU has AVX-512F and FMA.
func avx512Supported() bool { return native.supported() }

// installAVX512 makes gonum's blas64 and blas32 use dlnb's AVX-512 GEMM, and
// the element-wise kernels (Fast) the AVX-512 ones.
func installAVX512() { install(native) }
