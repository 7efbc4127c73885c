// gemm_avx512.c: the AVX-512 build's GEMM and table: gemm_body.h on the
// vocabulary of simd_avx512.h, used through gonum's BLAS interface when the
// CPU has AVX-512F (see avx512_cgo.go and select.go). Its functions carry
// target attributes, so the rest of the build needs no special flags. Tests
// also compile this file on SIMDe's emulation of AVX-512 (gemm_simde.c).
#if defined(__x86_64__)
#include "simd_avx512.h"
#include "gemm_build.h"
#endif
