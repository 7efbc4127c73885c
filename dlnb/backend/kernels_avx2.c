// kernels_avx2.c: the AVX2 build's element-wise kernels: kernels_body.h on
// the vocabulary of simd_avx2.h. Contraction into fused multiply-adds is
// off, so that results round exactly like the scalar Go loops.
#if defined(__x86_64__)
#pragma GCC optimize("fp-contract=off")
#include "simd_avx2.h"
#include "kernels_build.h"
#endif
