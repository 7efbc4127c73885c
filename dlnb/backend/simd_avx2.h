// simd_avx2.h: the AVX2 + FMA build's vocabulary (see simd.h): 256-bit
// vectors (8 floats, 4 doubles), masks as vectors, its horizontal sums,
// transposes and lists of nonzero lanes, and its GEMM block sizes. Included
// first by gemm_avx2.c and kernels_avx2.c, for CPUs with AVX2 and FMA but no
// AVX-512F (AMD Zen 1 to 3, Intel Haswell to Comet Lake and most laptop
// cores since).
//
// GEMM tiles are MR = 4 rows by three vectors (float32 4×24, float64 4×12),
// so that 12 accumulators, the three vectors of B and one broadcast element
// of A fill the 16 registers. Per step of k a tile loads 7 values for 12
// fused multiply-adds, which keeps the two FMA units of a core busy rather
// than its load ports.
#ifndef DLNB_SIMD_AVX2_H
#define DLNB_SIMD_AVX2_H

#define DLNB_BUILD avx2
#define DLNB_IMPL_NAME "native AVX2+FMA"
#define DLNB_CPU_SUPPORTED() (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
#define DLNB_TARGET_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx2,fma\")")
#define DLNB_TARGET_END _Pragma("GCC pop_options")

#define DLNB_VPFX _mm256_
#define DLNB_V_S __m256
#define DLNB_V_D __m256d
#define DLNB_W_S 8
#define DLNB_W_D 4
#include "simd.h"

// GEMM block sizes (gemm_body.h). KC·NR values of B (a micro-panel, 24 KB)
// stay in the 32 KB L1 cache while the row panels of A stream past them
// from L2 (MC·KC values: 128 KB in float32, 256 KB in float64).
#define KC 256
#define MC 128  /* a multiple of MR */
#define NC 3072 /* a multiple of 24 and 12 */
#define MR 4
#define SPARSE_NV 12 /* the sparse path's accumulators per pass (of 16 registers) */
// Path thresholds, the same in every build.
#define SMALLK_MAX 16  /* k ≤ 16, no transposes: smallk */
#define SMALLN_MAX 32  /* n ≤ 32 and k ≥ 64, C = A·Bᵀ: smalln */
#define SMALLN_MINK 64
#define FEWROWS_MAX 64 /* m ≤ 64, B not transposed: fewrows */
#define NARROW_MAX 64  /* n ≤ 64, no transposes: fewrows for any m */

// Row sums (kernels_body.h) keep two accumulators (even and odd vectors),
// which halves the chain of dependent adds.
#define DLNB_ROWSUM_ACCS 2

DLNB_TARGET_BEGIN

// Masks of the first n lanes (0 ≤ n ≤ lanes) for the masked loads and stores
// at the right edge of C and B: loaded from 8 − n (4 − n) into the tables.
static const int mask32[16] __attribute__((unused)) = {-1, -1, -1, -1, -1, -1, -1, -1};
static const long long mask64[8] __attribute__((unused)) = {-1, -1, -1, -1};
#define VM __m256i
#define VMASK(n) _mm256_loadu_si256((const __m256i *)(DLNB_SD(mask32 + 8, mask64 + 4) - (n)))
#define VMNONE() _mm256_setzero_si256()
#define VMLOAD(m, p) DLNB_VI(maskload)(p, m)
#define VMSTORE(p, m, x) DLNB_VI(maskstore)(p, m, x)

// y where x > 0, else +0: the comparison's all-ones lanes select y by a
// bitwise and.
#define VKEEP_GT0(x, y) DLNB_VI(and)(DLNB_VI(cmp)(x, VZERO(), _CMP_GT_OQ), y)

// Horizontal sums of a vector.
ALWAYS_INLINE float hsum_ps(__m256 v) {
	__m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
	x = _mm_add_ps(x, _mm_movehl_ps(x, x));
	return _mm_cvtss_f32(_mm_add_ss(x, _mm_movehdup_ps(x)));
}
ALWAYS_INLINE double hsum_pd(__m256d v) {
	__m128d x = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
	return _mm_cvtsd_f64(_mm_add_sd(x, _mm_unpackhi_pd(x, x)));
}
#define VREDUCE(x) DLNB_SD(hsum_ps, hsum_pd)(x)

// Transposes the 8×8 block of floats in r[0..7] (row i in r[i]): pairs of
// rows interleaved, then pairs of pairs, then the 128-bit halves swapped.
ALWAYS_INLINE void transpose_ps(__m256 *r) {
	__m256 t[8], u[8];
	for (int i = 0; i < 4; i++) {
		t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
		t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
	}
	for (int h = 0; h < 2; h++) { // u[4h + q] holds columns q | q + 4 of rows 4h..4h+3
		u[4 * h + 0] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], _MM_SHUFFLE(1, 0, 1, 0));
		u[4 * h + 1] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], _MM_SHUFFLE(3, 2, 3, 2));
		u[4 * h + 2] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], _MM_SHUFFLE(1, 0, 1, 0));
		u[4 * h + 3] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], _MM_SHUFFLE(3, 2, 3, 2));
	}
	for (int q = 0; q < 4; q++) {
		r[q] = _mm256_permute2f128_ps(u[q], u[4 + q], 0x20);
		r[q + 4] = _mm256_permute2f128_ps(u[q], u[4 + q], 0x31);
	}
}

// Transposes the 4×4 block of doubles in r[0..3].
ALWAYS_INLINE void transpose_pd(__m256d *r) {
	__m256d t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
	__m256d t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
	r[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
	r[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
	r[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
	r[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}
#define VTRANSPOSE(r) DLNB_SD(transpose_ps, transpose_pd)(r)

// pack4_ps interleaves 8 columns of the 4 rows s0..s3 into dst: dst[4p + r]
// = row r's value p, the layout of a packed MR = 4 row panel of A. Each 4×4
// quarter is transposed in registers (as in transpose_ps) instead of being
// stored one value at a time, four values apart.
ALWAYS_INLINE void pack4_ps(float *dst, const float *s0, const float *s1, const float *s2, const float *s3) {
	__m256 t0 = _mm256_unpacklo_ps(_mm256_loadu_ps(s0), _mm256_loadu_ps(s1));
	__m256 t1 = _mm256_unpackhi_ps(_mm256_loadu_ps(s0), _mm256_loadu_ps(s1));
	__m256 t2 = _mm256_unpacklo_ps(_mm256_loadu_ps(s2), _mm256_loadu_ps(s3));
	__m256 t3 = _mm256_unpackhi_ps(_mm256_loadu_ps(s2), _mm256_loadu_ps(s3));
	__m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)); // columns 0 | 4
	__m256 u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2)); // columns 1 | 5
	__m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)); // columns 2 | 6
	__m256 u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2)); // columns 3 | 7
	_mm256_storeu_ps(dst, _mm256_permute2f128_ps(u0, u1, 0x20));
	_mm256_storeu_ps(dst + 8, _mm256_permute2f128_ps(u2, u3, 0x20));
	_mm256_storeu_ps(dst + 16, _mm256_permute2f128_ps(u0, u1, 0x31));
	_mm256_storeu_ps(dst + 24, _mm256_permute2f128_ps(u2, u3, 0x31));
}

// pack4_pd is pack4_ps for 4 columns of doubles: one 4×4 transpose.
ALWAYS_INLINE void pack4_pd(double *dst, const double *s0, const double *s1, const double *s2, const double *s3) {
	__m256d r[4] = {_mm256_loadu_pd(s0), _mm256_loadu_pd(s1), _mm256_loadu_pd(s2), _mm256_loadu_pd(s3)};
	transpose_pd(r);
	for (int q = 0; q < 4; q++) _mm256_storeu_pd(dst + 4 * q, r[q]);
}
_Static_assert(MR == 4, "pack4_ps and pack4_pd fill panels of MR = 4 rows");
#define VPACK_MR(dst, s0, lda) DLNB_SD(pack4_ps, pack4_pd)(dst, s0, (s0) + (lda), (s0) + 2 * (lda), (s0) + 3 * (lda))

// Left-packing, for the sparse path's list of the nonzero entries of a row
// of A (gather in gemm_body.h): for a mask mk of four lanes, left64[mk]
// holds the 32-bit lane indices (_mm256_permutevar8x32) that move the 64-bit
// lanes set in mk to the front, in lane order, and left32[mk] the lane
// indices (_mm_permutevar_ps) that do the same for four 32-bit lanes. The
// lanes after them are the others, and never read.
static const int left64[16][8] __attribute__((unused)) = {
	{0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7},
	{2, 3, 0, 1, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7},
	{4, 5, 0, 1, 2, 3, 6, 7}, {0, 1, 4, 5, 2, 3, 6, 7},
	{2, 3, 4, 5, 0, 1, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7},
	{6, 7, 0, 1, 2, 3, 4, 5}, {0, 1, 6, 7, 2, 3, 4, 5},
	{2, 3, 6, 7, 0, 1, 4, 5}, {0, 1, 2, 3, 6, 7, 4, 5},
	{4, 5, 6, 7, 0, 1, 2, 3}, {0, 1, 4, 5, 6, 7, 2, 3},
	{2, 3, 4, 5, 6, 7, 0, 1}, {0, 1, 2, 3, 4, 5, 6, 7},
};
static const int left32[16][4] __attribute__((unused)) = {
	{0, 1, 2, 3}, {0, 1, 2, 3}, {1, 0, 2, 3}, {0, 1, 2, 3},
	{2, 0, 1, 3}, {0, 2, 1, 3}, {1, 2, 0, 3}, {0, 1, 2, 3},
	{3, 0, 1, 2}, {0, 3, 1, 2}, {1, 3, 0, 2}, {0, 1, 3, 2},
	{2, 3, 0, 1}, {0, 2, 3, 1}, {1, 2, 3, 0}, {0, 1, 2, 3},
};

// nonzero_pd lists the lanes of the 4 doubles at x that are not zero (NaN
// counts as not zero), in lane order: their values to av and the offsets
// off0 + u·ldb of B's rows u to boff. It returns how many, and stores 4
// values and 4 offsets whatever the count: the caller's arrays have room, and
// the next call writes over the extra ones. No branch depends on the data.
ALWAYS_INLINE int nonzero_pd(const double *x, long off0, long ldb, double *av, long *boff) {
	__m256d v = _mm256_loadu_pd(x);
	unsigned mk = (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(v, _mm256_setzero_pd(), _CMP_NEQ_UQ));
	__m256i perm = _mm256_loadu_si256((const __m256i *)left64[mk]);
	__m256i off = _mm256_add_epi64(_mm256_set1_epi64x(off0), _mm256_set_epi64x(3 * ldb, 2 * ldb, ldb, 0));
	_mm256_storeu_pd(av, _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(v), perm)));
	_mm256_storeu_si256((__m256i *)boff, _mm256_permutevar8x32_epi32(off, perm));
	return __builtin_popcount(mk);
}

// nonzero_ps is nonzero_pd for the 8 floats at x, four at a time.
ALWAYS_INLINE int nonzero_ps(const float *x, long off0, long ldb, float *av, long *boff) {
	__m256 v = _mm256_loadu_ps(x);
	unsigned mk = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_NEQ_UQ));
	__m256i step = _mm256_set_epi64x(3 * ldb, 2 * ldb, ldb, 0);
	int q = 0;
#pragma GCC unroll 2
	for (int h = 0; h < 2; h++) {
		unsigned m4 = (mk >> (4 * h)) & 15;
		__m128 half = h ? _mm256_extractf128_ps(v, 1) : _mm256_castps256_ps128(v);
		__m256i off = _mm256_add_epi64(_mm256_set1_epi64x(off0 + 4 * h * ldb), step);
		_mm_storeu_ps(av + q, _mm_permutevar_ps(half, _mm_loadu_si128((const __m128i *)left32[m4])));
		_mm256_storeu_si256((__m256i *)(boff + q),
		                    _mm256_permutevar8x32_epi32(off, _mm256_loadu_si256((const __m256i *)left64[m4])));
		q += __builtin_popcount(m4);
	}
	return q;
}
#define VNONZERO(x, off0, ldb, av, boff) DLNB_SD(nonzero_ps, nonzero_pd)(x, off0, ldb, av, boff)

DLNB_TARGET_END
#endif
