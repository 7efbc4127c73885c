// kernels_avx512.c: the AVX-512 build's element-wise kernels: kernels_body.h
// on the vocabulary of simd_avx512.h. Contraction into fused multiply-adds
// is off, so that results round exactly like the scalar Go loops. Tests also
// compile this file on SIMDe's emulation of AVX-512 (kernels_simde.c).
#if defined(__x86_64__)
#pragma GCC optimize("fp-contract=off")
#include "simd_avx512.h"
#include "kernels_build.h"
#endif
