// avx512_simde.h: the simde build (tests only, -tags dlnb_simde; Debian:
// libsimde-dev): gemm_avx512.c and kernels_avx512.c compiled on SIMDe's
// emulation of AVX-512, so that the AVX-512 code's logic is tested on any
// CPU with AVX2 and FMA. Included by gemm_simde.c and kernels_simde.c
// before the source itself; its symbols are dlnb_simde_*.
//
// The whole file is compiled for AVX2 and FMA, so SIMDe builds every 512-bit
// operation from two 256-bit ones and _mm512_fmadd_* stays a fused
// multiply-add; the target of the native build is defined away.
#ifndef DLNB_AVX512_SIMDE_H
#define DLNB_AVX512_SIMDE_H
#pragma GCC target("avx2,fma")
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
#if !defined(SIMDE_X86_AVX2_NATIVE) || !defined(SIMDE_X86_FMA_NATIVE) || defined(SIMDE_X86_AVX512F_NATIVE)
#error "the SIMDe build must emulate AVX-512 on native AVX2 and FMA"
#endif

#define DLNB_BUILD simde
#define DLNB_IMPL_NAME "SIMDe emulation of AVX-512 on AVX2"
#define DLNB_CPU_SUPPORTED() (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
#define DLNB_TARGET_BEGIN
#define DLNB_TARGET_END

// Intrinsics that SIMDe 0.7 lacks (an intrinsic left to GCC's AVX-512 header
// fails to compile here: "inlining failed ... target specific option
// mismatch"), or implements with whole-vector memory accesses. Masked loads and stores touch only the selected elements, as the
// hardware does, so AddressSanitizer sees exactly the kernels' accesses. The
// reductions add in the order of GCC's own _mm512_reduce_add_*.
#define DLNB_EMU_MASKED(SUF, TYPE, VEC, MASK, N)                                                       \
	static inline VEC dlnb_emu_maskz_loadu_##SUF(MASK k, const void *p) {                          \
		const TYPE *x = p;                                                                     \
		simde##VEC##_private r;                                                                \
		for (int i = 0; i < N; i++) r.SUF##_lanes[i] = (k >> i) & 1 ? x[i] : 0;                \
		return simde##VEC##_from_private(r);                                                   \
	}                                                                                              \
	static inline void dlnb_emu_mask_storeu_##SUF(void *p, MASK k, VEC v) {                        \
		TYPE *x = p;                                                                           \
		simde##VEC##_private r = simde##VEC##_to_private(v);                                   \
		for (int i = 0; i < N; i++)                                                            \
			if ((k >> i) & 1) x[i] = r.SUF##_lanes[i];                                     \
	}
#define ps_lanes f32
#define pd_lanes f64
DLNB_EMU_MASKED(ps, float, __m512, __mmask16, 16)
DLNB_EMU_MASKED(pd, double, __m512d, __mmask8, 8)

static inline float dlnb_emu_reduce_add_ps(__m512 a) {
	simde__m512_private v = simde__m512_to_private(a);
	float t3[8], t6[4], t8[4];
	for (int i = 0; i < 8; i++) t3[i] = v.f32[8 + i] + v.f32[i];
	for (int i = 0; i < 4; i++) t6[i] = t3[4 + i] + t3[i];
	for (int i = 0; i < 4; i++) t8[i] = t6[i] + t6[i ^ 2];
	return t8[0] + t8[1];
}

static inline double dlnb_emu_reduce_add_pd(__m512d a) {
	simde__m512d_private v = simde__m512d_to_private(a);
	double t3[4], t6[2];
	for (int i = 0; i < 4; i++) t3[i] = v.f64[4 + i] + v.f64[i];
	for (int i = 0; i < 2; i++) t6[i] = t3[2 + i] + t3[i];
	return t6[0] + t6[1];
}

#undef _mm512_shuffle_f32x4
#undef _mm512_shuffle_f64x2
#define _mm512_shuffle_f32x4(a, b, imm8) simde_mm512_shuffle_f32x4(a, b, imm8)
#define _mm512_shuffle_f64x2(a, b, imm8) simde_mm512_shuffle_f64x2(a, b, imm8)
#undef _mm512_maskz_loadu_ps
#undef _mm512_maskz_loadu_pd
#undef _mm512_mask_storeu_ps
#undef _mm512_mask_storeu_pd
#undef _mm512_reduce_add_ps
#undef _mm512_reduce_add_pd
#define _mm512_maskz_loadu_ps(k, p) dlnb_emu_maskz_loadu_ps(k, p)
#define _mm512_maskz_loadu_pd(k, p) dlnb_emu_maskz_loadu_pd(k, p)
#define _mm512_mask_storeu_ps(p, k, v) dlnb_emu_mask_storeu_ps(p, k, v)
#define _mm512_mask_storeu_pd(p, k, v) dlnb_emu_mask_storeu_pd(p, k, v)
#define _mm512_reduce_add_ps(a) dlnb_emu_reduce_add_ps(a)
#define _mm512_reduce_add_pd(a) dlnb_emu_reduce_add_pd(a)
#endif
