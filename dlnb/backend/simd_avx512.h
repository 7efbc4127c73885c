// simd_avx512.h: the AVX-512 build's vocabulary (see simd.h): 512-bit
// vectors (16 floats, 8 doubles), mask registers, its transposes and lists
// of nonzero lanes, its GEMM block sizes and micro-kernel
// (gemm_kernel_avx512.h). Included first by gemm_avx512.c and
// kernels_avx512.c, whose functions run when the CPU has AVX-512F.
//
// GEMM tiles are MR = 8 rows by three vectors (float32 8×48, float64 8×24):
// 24 accumulators of the 32 registers.
//
// The SIMDe build (avx512_simde.h, -tags dlnb_simde) defines the build's
// name, its CPU check and an empty target before including this file, so
// that the same code runs on SIMDe's emulation of AVX-512 with AVX2.
#ifndef DLNB_SIMD_AVX512_H
#define DLNB_SIMD_AVX512_H

#ifndef DLNB_BUILD
#define DLNB_BUILD avx512
#define DLNB_IMPL_NAME "native AVX-512"
#define DLNB_CPU_SUPPORTED() (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
#define DLNB_TARGET_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx512f,avx512dq,fma\")")
#define DLNB_TARGET_END _Pragma("GCC pop_options")
#endif

#define DLNB_VPFX _mm512_
#define DLNB_V_S __m512
#define DLNB_V_D __m512d
#define DLNB_W_S 16
#define DLNB_W_D 8
#include "simd.h"

// GEMM block sizes (gemm_body.h).
#define KC 256
#define MC 128
#define NC 3072 /* a multiple of 48 and 24 */
#define MR 8
#define SPARSE_NV 8 /* the sparse path's accumulators per pass */
// Path thresholds, the same in every build.
#define SMALLK_MAX 16  /* k ≤ 16, no transposes: smallk */
#define SMALLN_MAX 32  /* n ≤ 32 and k ≥ 64, C = A·Bᵀ: smalln */
#define SMALLN_MINK 64
#define FEWROWS_MAX 64 /* m ≤ 64, B not transposed: fewrows */
#define NARROW_MAX 64  /* n ≤ 64, no transposes: fewrows for any m */

// The packed path's micro-kernel: 24 named accumulators.
#define DLNB_MICROKERNEL "gemm_kernel_avx512.h"

// Row sums (kernels_body.h) keep one accumulator.
#define DLNB_ROWSUM_ACCS 1

DLNB_TARGET_BEGIN

#define VM DLNB_SD(__mmask16, __mmask8)
#define VMASK(n) ((VM)((1u << (n)) - 1))
#define VMNONE() ((VM)0)
#define VMLOAD(m, p) DLNB_VI(maskz_loadu)(m, p)
#define VMSTORE(p, m, x) DLNB_VI(mask_storeu)(p, m, x)
#define VREDUCE(x) DLNB_VI(reduce_add)(x)

// The lanes of x that compare with 0 as CMP does, as a mask.
#define DLNB_CMP0(x, CMP) DLNB_SD(_mm512_cmp_ps_mask, _mm512_cmp_pd_mask)(x, VZERO(), CMP)

// y where x > 0, else +0.
#define VKEEP_GT0(x, y) DLNB_VI(maskz_mov)(DLNB_CMP0(x, _CMP_GT_OQ), y)

// transpose_ps transposes the 16×16 block held in r[0..15] (row i in r[i]).
// unpack*_ps pairs rows, unpack*_pd pairs pairs (so u[4b+c] holds rows
// 4b..4b+3 at column 4L+c in lane L), and two rounds of 128-bit lane
// shuffles gather lane L of u[c], u[4+c], u[8+c], u[12+c] into row 4L+c.
ALWAYS_INLINE void transpose_ps(__m512 *r) {
	__m512 t[16], u[16];
	for (int a = 0; a < 8; a++) {
		t[2 * a] = _mm512_unpacklo_ps(r[2 * a], r[2 * a + 1]);
		t[2 * a + 1] = _mm512_unpackhi_ps(r[2 * a], r[2 * a + 1]);
	}
	for (int b = 0; b < 4; b++) {
		__m512d t0 = _mm512_castps_pd(t[4 * b]), t1 = _mm512_castps_pd(t[4 * b + 1]);
		__m512d t2 = _mm512_castps_pd(t[4 * b + 2]), t3 = _mm512_castps_pd(t[4 * b + 3]);
		u[4 * b + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
		u[4 * b + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
		u[4 * b + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
		u[4 * b + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
	}
	for (int c = 0; c < 4; c++) {
		__m512 s0 = _mm512_shuffle_f32x4(u[c], u[4 + c], _MM_SHUFFLE(2, 0, 2, 0));
		__m512 s1 = _mm512_shuffle_f32x4(u[c], u[4 + c], _MM_SHUFFLE(3, 1, 3, 1));
		__m512 s2 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], _MM_SHUFFLE(2, 0, 2, 0));
		__m512 s3 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], _MM_SHUFFLE(3, 1, 3, 1));
		r[c] = _mm512_shuffle_f32x4(s0, s2, _MM_SHUFFLE(2, 0, 2, 0));
		r[8 + c] = _mm512_shuffle_f32x4(s0, s2, _MM_SHUFFLE(3, 1, 3, 1));
		r[4 + c] = _mm512_shuffle_f32x4(s1, s3, _MM_SHUFFLE(2, 0, 2, 0));
		r[12 + c] = _mm512_shuffle_f32x4(s1, s3, _MM_SHUFFLE(3, 1, 3, 1));
	}
}

// transpose_pd transposes the 8×8 block of doubles in r[0..7] (as
// transpose_ps, one level less).
ALWAYS_INLINE void transpose_pd(__m512d *r) {
	__m512d t[8];
	for (int a = 0; a < 4; a++) {
		t[2 * a] = _mm512_unpacklo_pd(r[2 * a], r[2 * a + 1]);
		t[2 * a + 1] = _mm512_unpackhi_pd(r[2 * a], r[2 * a + 1]);
	}
	for (int c = 0; c < 2; c++) {
		__m512d s0 = _mm512_shuffle_f64x2(t[c], t[2 + c], _MM_SHUFFLE(2, 0, 2, 0));
		__m512d s1 = _mm512_shuffle_f64x2(t[c], t[2 + c], _MM_SHUFFLE(3, 1, 3, 1));
		__m512d s2 = _mm512_shuffle_f64x2(t[4 + c], t[6 + c], _MM_SHUFFLE(2, 0, 2, 0));
		__m512d s3 = _mm512_shuffle_f64x2(t[4 + c], t[6 + c], _MM_SHUFFLE(3, 1, 3, 1));
		r[c] = _mm512_shuffle_f64x2(s0, s2, _MM_SHUFFLE(2, 0, 2, 0));
		r[4 + c] = _mm512_shuffle_f64x2(s0, s2, _MM_SHUFFLE(3, 1, 3, 1));
		r[2 + c] = _mm512_shuffle_f64x2(s1, s3, _MM_SHUFFLE(2, 0, 2, 0));
		r[6 + c] = _mm512_shuffle_f64x2(s1, s3, _MM_SHUFFLE(3, 1, 3, 1));
	}
}
#define VTRANSPOSE(r) DLNB_SD(transpose_ps, transpose_pd)(r)

// The nonzero lanes (NaN included) of the W values at x, one by one from
// the comparison's mask: see VNONZERO in simd.h.
#define VNONZERO(x, off0, ldb, av, boff)                                                              \
	__extension__({                                                                               \
		const T *nz_x = (x);                                                                  \
		long nz_off0 = (off0), nz_ldb = (ldb);                                                \
		T *nz_av = (av);                                                                      \
		long *nz_boff = (boff);                                                               \
		int nz_q = 0;                                                                         \
		for (unsigned mk = (unsigned)DLNB_CMP0(VLOADU(nz_x), _CMP_NEQ_UQ); mk; mk &= mk - 1) { \
			int u = __builtin_ctz(mk);                                                    \
			nz_av[nz_q] = nz_x[u], nz_boff[nz_q++] = nz_off0 + u * nz_ldb;                \
		}                                                                                     \
		nz_q;                                                                                 \
	})

DLNB_TARGET_END
#endif
