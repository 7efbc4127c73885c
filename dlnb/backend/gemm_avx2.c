// gemm_avx2.c: the AVX2 + FMA build's GEMM and table: gemm_body.h on the
// vocabulary of simd_avx2.h, for CPUs with AVX2 and FMA but no AVX-512F,
// used through gonum's BLAS interface (see avx2_cgo.go and select.go).
#if defined(__x86_64__)
#include "simd_avx2.h"
#include "gemm_build.h"
#endif
