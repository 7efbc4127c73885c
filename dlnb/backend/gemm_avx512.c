// AVX-512 matrix multiplication for dlnb (float32 and float64), used through
// gonum's BLAS interface when the CPU supports AVX-512F (see avx512_cgo.go).
//
// The structure follows BLIS: C (m×n, row-major) = alpha·op(A)·op(B) + beta·C
// is computed in blocks; for each KC-deep slice, op(B) is packed into panels
// of NR columns and op(A) into panels of MR rows, and a register-blocked
// micro-kernel multiplies one MR×KC panel by one KC×NR panel, keeping the
// MR×NR tile of C in 24 zmm registers. The functions carry
// target("avx512f,fma") attributes (DLNB_AVX512F_FMA) so the rest of the
// build needs no special flags; callers check dlnb_avx512_supported() first.
//
// Tests also compile this file on SIMDe's emulation of AVX-512
// (gemm_avx512_simde.c, -tags dlnb_simde), which defines the macros below
// first, so the kernels' logic runs on CPUs without AVX-512 too.
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>
#include "dlnb_avx512.h"
#include "dlnb_thread.h"
#include "dlnb_sparse.h"

#ifndef DLNB_AVX512F_FMA
#define DLNB_AVX512F __attribute__((target("avx512f")))
#define DLNB_AVX512F_FMA __attribute__((target("avx512f,fma")))
#define DLNB_CPU_SUPPORTED() (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
#endif

#define KC 256
#define MC 128
#define NC 3072 /* a multiple of 48 and 24 */
#define NARROW_MAX 64 /* n ≤ 64, no transposes: fewrows for any m */

int dlnb_avx512_supported(void) {
	__builtin_cpu_init();
	return DLNB_CPU_SUPPORTED();
}

// Per-thread state (dlnb_thread.h): a call runs entirely on one OS thread.
//
// The packing buffers are allocated on first use; a failed allocation is
// retried on the next call, and a call that needs a missing buffer writes
// nothing and returns -1 (the Go caller then uses gonum's pure-Go GEMM).
//
// fail_allocs is a test hook: bit i set makes the i-th allocation from now
// fail.
//
// hits are the path counters for the tests, always compiled in. Every path
// function returns the bits (1 << DLNB_P_*) of the paths it took, ORed into a
// register per tile (never in the inner loops); the entry points add them to
// these per-thread counters once per call: a few nanoseconds, less than the
// cgo call itself costs. Per thread, so that concurrent calls share no cache
// line.
DLNB_THREAD_STATE(struct dlnb_gemm_state, this_thread, dlnb_release_gemm_state)

void *dlnb_aligned_alloc(unsigned long bytes) { return dlnb_state_alloc(this_thread(), bytes); }

#define BIT(p) (1u << DLNB_P_##p)

static void record(int prec, unsigned seen) { dlnb_record(this_thread(), prec, seen); }


/* ------------- small dimensions: no packing ------------- */
// With a tiny inner dimension (k ≤ 16, neither operand transposed) C is built
// from k rank-1 updates, C[i, :] = beta·C[i, :] + alpha·Σ_p A[i, p]·B[p, :],
// streaming each row of C once. With a tiny n and C = A·Bᵀ (both operands
// contiguous along p) each entry is a vector dot product. Both skip the
// packing that dominates such shapes.
#define SMALL(PRE, TYPE, VEC, W, LOADU, STOREU, SET1, FMADD, MUL, ZERO, REDUCE)                         \
	DLNB_AVX512F_FMA                                                                                  \
	static unsigned PRE##_smallk(int m, int n, int k, TYPE alpha, const TYPE *a, int lda, const TYPE *b, \
	                             int ldb, TYPE beta, TYPE *c, int ldc) {                              \
		unsigned seen = 0;                                                                        \
		TYPE ai[4][16];                                                                           \
		for (int i0 = 0; i0 < m; i0 += 4) {                                                       \
			int rows = m - i0 < 4 ? m - i0 : 4;                                               \
			for (int r = 0; r < 4; r++)                                                       \
				for (int p = 0; p < k; p++) ai[r][p] = r < rows ? alpha * a[(size_t)(i0 + r) * lda + p] : 0; \
			int j = 0;                                                                        \
			for (; j + W <= n; j += W) {                                                      \
				seen |= BIT(SMALLK);                                                      \
				VEC acc[4];                                                               \
				for (int r = 0; r < 4; r++)                                               \
					acc[r] = beta == 0 || r >= rows ? ZERO() : MUL(SET1(beta), LOADU(c + (size_t)(i0 + r) * ldc + j)); \
				for (int p = 0; p < k; p++) {                                             \
					VEC bp = LOADU(b + (size_t)p * ldb + j);                          \
					acc[0] = FMADD(SET1(ai[0][p]), bp, acc[0]);                       \
					acc[1] = FMADD(SET1(ai[1][p]), bp, acc[1]);                       \
					acc[2] = FMADD(SET1(ai[2][p]), bp, acc[2]);                       \
					acc[3] = FMADD(SET1(ai[3][p]), bp, acc[3]);                       \
				}                                                                         \
				for (int r = 0; r < rows; r++) STOREU(c + (size_t)(i0 + r) * ldc + j, acc[r]); \
			}                                                                                 \
			for (; j < n; j++)                                                                \
				for (int r = 0; r < rows; r++) {                                          \
					seen |= BIT(SMALLK_TAIL);                                         \
					TYPE *cij = c + (size_t)(i0 + r) * ldc + j;                       \
					TYPE s = beta == 0 ? 0 : beta * *cij;                             \
					for (int p = 0; p < k; p++) s += ai[r][p] * b[(size_t)p * ldb + j]; \
					*cij = s;                                                         \
				}                                                                         \
		}                                                                                         \
		return seen;                                                                              \
	}                                                                                                 \
	/* One entry: a vectorised dot product of row i of A and row j of B. */                          \
	DLNB_AVX512F_FMA                                                                                  \
	static void PRE##_dot1(int i, int j, int k, TYPE alpha, const TYPE *a, int lda, const TYPE *b,     \
	                       int ldb, TYPE beta, TYPE *c, int ldc) {                                    \
		const TYPE *x = a + (size_t)i * lda, *y = b + (size_t)j * ldb;                            \
		VEC s0 = ZERO(), s1 = ZERO();                                                             \
		int p = 0;                                                                                \
		for (; p + 2 * W <= k; p += 2 * W) {                                                      \
			s0 = FMADD(LOADU(x + p), LOADU(y + p), s0);                                       \
			s1 = FMADD(LOADU(x + p + W), LOADU(y + p + W), s1);                               \
		}                                                                                         \
		for (; p + W <= k; p += W) s0 = FMADD(LOADU(x + p), LOADU(y + p), s0);                    \
		TYPE s = REDUCE(s0) + REDUCE(s1);                                                         \
		for (; p < k; p++) s += x[p] * y[p];                                                      \
		TYPE *cij = c + (size_t)i * ldc + j;                                                      \
		*cij = beta == 0 ? alpha * s : alpha * s + beta * *cij;                                   \
	}                                                                                                 \
	DLNB_AVX512F_FMA                                                                                  \
	static unsigned PRE##_smalln(int m, int n, int k, TYPE alpha, const TYPE *a, int lda, const TYPE *b, \
	                             int ldb, TYPE beta, TYPE *c, int ldc) {                              \
		unsigned seen = 0;                                                                        \
		int kv = k / W * W;                                                                       \
		int i = 0;                                                                                \
		for (; i + 4 <= m; i += 4) {                                                              \
			const TYPE *a0 = a + (size_t)i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;     \
			int j = 0;                                                                        \
			for (; j + 2 <= n; j += 2) {                                                      \
				seen |= BIT(SMALLN);                                                      \
				const TYPE *b0 = b + (size_t)j * ldb, *b1 = b0 + ldb;                     \
				VEC s00 = ZERO(), s01 = ZERO(), s10 = ZERO(), s11 = ZERO();               \
				VEC s20 = ZERO(), s21 = ZERO(), s30 = ZERO(), s31 = ZERO();               \
				for (int p = 0; p < kv; p += W) {                                         \
					VEC x0 = LOADU(b0 + p), x1 = LOADU(b1 + p), v;                    \
					v = LOADU(a0 + p); s00 = FMADD(v, x0, s00); s01 = FMADD(v, x1, s01); \
					v = LOADU(a1 + p); s10 = FMADD(v, x0, s10); s11 = FMADD(v, x1, s11); \
					v = LOADU(a2 + p); s20 = FMADD(v, x0, s20); s21 = FMADD(v, x1, s21); \
					v = LOADU(a3 + p); s30 = FMADD(v, x0, s30); s31 = FMADD(v, x1, s31); \
				}                                                                         \
				TYPE r[4][2] = {{REDUCE(s00), REDUCE(s01)}, {REDUCE(s10), REDUCE(s11)},   \
				                {REDUCE(s20), REDUCE(s21)}, {REDUCE(s30), REDUCE(s31)}};  \
				for (int q = 0; q < 4; q++)                                               \
					for (int t = 0; t < 2; t++) {                                     \
						const TYPE *aq = a0 + (size_t)q * lda, *bt = b0 + (size_t)t * ldb; \
						TYPE s = r[q][t];                                         \
						for (int p = kv; p < k; p++) s += aq[p] * bt[p];          \
						TYPE *cij = c + (size_t)(i + q) * ldc + j + t;            \
						*cij = beta == 0 ? alpha * s : alpha * s + beta * *cij;   \
					}                                                                 \
			}                                                                                 \
			for (; j < n; j++) {                                                              \
				seen |= BIT(SMALLN_DOT1);                                                 \
				for (int q = 0; q < 4; q++) PRE##_dot1(i + q, j, k, alpha, a, lda, b, ldb, beta, c, ldc); \
			}                                                                                 \
		}                                                                                         \
		for (; i < m; i++) {                                                                      \
			seen |= BIT(SMALLN_DOT1);                                                         \
			for (int j = 0; j < n; j++) PRE##_dot1(i, j, k, alpha, a, lda, b, ldb, beta, c, ldc);     \
		}                                                                                         \
		return seen;                                                                              \
	}
SMALL(s, float, __m512, 16, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_mul_ps, _mm512_setzero_ps, _mm512_reduce_add_ps)
SMALL(d, double, __m512d, 8, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd, _mm512_fmadd_pd, _mm512_mul_pd, _mm512_setzero_pd, _mm512_reduce_add_pd)

/* ------------------------------- float32 ------------------------------- */
#define SMR 8
#define SNR 48

// Packs op(A)[i0:i0+mc, p0:p0+kc] into MR-row panels: panel r holds, for
// each p, the MR values of column p (zero-padded past mc).
static void spack_a(int trans, const float *a, int lda, int i0, int p0, int mc, int kc, float *pa) {
	for (int ir = 0; ir < mc; ir += SMR) {
		int mr = mc - ir < SMR ? mc - ir : SMR;
		float *dst = pa + ir * kc;
		if (!trans) {
			for (int r = 0; r < mr; r++) {
				const float *src = a + (size_t)(i0 + ir + r) * lda + p0;
				for (int p = 0; p < kc; p++) dst[p * SMR + r] = src[p];
			}
		} else {
			for (int p = 0; p < kc; p++) {
				const float *src = a + (size_t)(p0 + p) * lda + i0 + ir;
				for (int r = 0; r < mr; r++) dst[p * SMR + r] = src[r];
			}
		}
		if (mr < SMR)
			for (int p = 0; p < kc; p++)
				for (int r = mr; r < SMR; r++) dst[p * SMR + r] = 0;
	}
}

// tr16 transposes the 16×16 block held in r[0..15] (row i in r[i]).
// unpack*_ps pairs rows, unpack*_pd pairs pairs (so u[4b+c] holds rows
// 4b..4b+3 at column 4L+c in lane L), and two rounds of 128-bit lane
// shuffles gather lane L of u[c], u[4+c], u[8+c], u[12+c] into row 4L+c.
DLNB_AVX512F
static inline void tr16(__m512 *r) {
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

// spack_bt16 packs 16 columns of op(B) = Bᵀ (rows j..j+15 of B) for p in
// [p0, p0+kc) into dst (stride SNR), 16×16 blocks at a time.
DLNB_AVX512F
static int spack_bt16(const float *b, int ldb, int p0, int kc, float *dst) {
	int p = 0;
	for (; p + 16 <= kc; p += 16) {
		__m512 r[16];
		for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(b + (size_t)i * ldb + p0 + p);
		tr16(r);
		for (int q = 0; q < 16; q++) _mm512_storeu_ps(dst + (size_t)(p + q) * SNR, r[q]);
	}
	return p;
}

// Packs op(B)[p0:p0+kc, j0:j0+nc] into NR-column panels.
static unsigned spack_b(int trans, const float *b, int ldb, int p0, int j0, int kc, int nc, float *pb) {
	unsigned seen = 0;
	for (int jr = 0; jr < nc; jr += SNR) {
		int nr = nc - jr < SNR ? nc - jr : SNR;
		float *dst = pb + jr * kc;
		if (!trans) {
			for (int p = 0; p < kc; p++) {
				const float *src = b + (size_t)(p0 + p) * ldb + j0 + jr;
				if (nr == SNR) {
					memcpy(dst + p * SNR, src, SNR * sizeof(float));
				} else {
					int j = 0;
					for (; j < nr; j++) dst[p * SNR + j] = src[j];
					for (; j < SNR; j++) dst[p * SNR + j] = 0;
				}
			}
		} else {
			int j = 0;
			for (; j + 16 <= nr; j += 16) { // full 16-column groups: vector transposes
				const float *src = b + (size_t)(j0 + jr + j) * ldb;
				int p = spack_bt16(src, ldb, p0, kc, dst + j);
				seen |= (p > 0 ? BIT(PACK_BT_VEC) : 0) | (p < kc ? BIT(PACK_BT_SCALAR) : 0);
				for (int jj = 0; jj < 16; jj++)
					for (int q = p; q < kc; q++) dst[q * SNR + j + jj] = src[(size_t)jj * ldb + p0 + q];
			}
			for (; j < nr; j++) {
				seen |= BIT(PACK_BT_SCALAR);
				const float *src = b + (size_t)(j0 + jr + j) * ldb + p0;
				for (int p = 0; p < kc; p++) dst[p * SNR + j] = src[p];
			}
			for (j = nr; j < SNR; j++)
				for (int p = 0; p < kc; p++) dst[p * SNR + j] = 0;
		}
	}
	return seen;
}

#define SROW(r) __m512 c##r##0 = _mm512_setzero_ps(), c##r##1 = _mm512_setzero_ps(), c##r##2 = _mm512_setzero_ps();
#define SFMA(r) { __m512 ar = _mm512_set1_ps(a[r]); c##r##0 = _mm512_fmadd_ps(ar, b0, c##r##0); \
	c##r##1 = _mm512_fmadd_ps(ar, b1, c##r##1); c##r##2 = _mm512_fmadd_ps(ar, b2, c##r##2); }
#define SSTORE(r) { _mm512_store_ps(t + r * SNR, c##r##0); _mm512_store_ps(t + r * SNR + 16, c##r##1); \
	_mm512_store_ps(t + r * SNR + 32, c##r##2); }

// SOUT writes row r of a full tile: C = alpha·acc + beta·C, skipping the
// multiply when alpha is 1 and the read of C when beta is 0.
#define SOUT1(r, h, acc) { float *cp = c + (size_t)(r) * ldc + (h); __m512 v = alpha == 1 ? acc : _mm512_mul_ps(va, acc); \
	if (beta != 0) v = beta == 1 ? _mm512_add_ps(v, _mm512_loadu_ps(cp)) : _mm512_fmadd_ps(vb, _mm512_loadu_ps(cp), v); \
	_mm512_storeu_ps(cp, v); }
#define SOUT(r) SOUT1(r, 0, c##r##0) SOUT1(r, 16, c##r##1) SOUT1(r, 32, c##r##2)

DLNB_AVX512F_FMA
static unsigned skernel(int kc, const float *a, const float *b, float *c, int ldc, float alpha, float beta, int mr, int nr) {
	SROW(0) SROW(1) SROW(2) SROW(3) SROW(4) SROW(5) SROW(6) SROW(7)
	for (int p = 0; p < kc; p++) {
		__m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16), b2 = _mm512_load_ps(b + 32);
		SFMA(0) SFMA(1) SFMA(2) SFMA(3) SFMA(4) SFMA(5) SFMA(6) SFMA(7)
		a += SMR;
		b += SNR;
	}
	if (mr == SMR && nr == SNR) { // full tile: straight from the registers
		__m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
		SOUT(0) SOUT(1) SOUT(2) SOUT(3) SOUT(4) SOUT(5) SOUT(6) SOUT(7)
		return BIT(TILE_FULL);
	}
	float t[SMR * SNR] __attribute__((aligned(64)));
	SSTORE(0) SSTORE(1) SSTORE(2) SSTORE(3) SSTORE(4) SSTORE(5) SSTORE(6) SSTORE(7)
	__m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
	for (int r = 0; r < mr; r++) {
		float *cr = c + (size_t)r * ldc;
		const float *tr = t + r * SNR;
		if (nr == SNR) {
			for (int h = 0; h < SNR; h += 16) {
				__m512 v = _mm512_mul_ps(va, _mm512_load_ps(tr + h));
				if (beta != 0) v = _mm512_fmadd_ps(vb, _mm512_loadu_ps(cr + h), v);
				_mm512_storeu_ps(cr + h, v);
			}
		} else {
			for (int j = 0; j < nr; j++) cr[j] = beta != 0 ? alpha * tr[j] + beta * cr[j] : alpha * tr[j];
		}
	}
	return nr == SNR ? BIT(TILE_EDGE_ROWS) : BIT(TILE_EDGE_COLS);
}


/* ------------- in-place kernels for few rows (m ≤ 64, B not transposed) ------------- */
// PRE##kb##NV multiplies an MR×kc block of A by a kc×(NV·W) block of B read in
// place (row stride ldb, columns past nr masked off) and writes C = alpha·AB +
// beta·C for the mr×nr tile. A is read at a[r·ars + p·acs]: in place (ars =
// lda, acs = 1) or from a packed panel (ars = 1, acs = MR). Rows past mr
// repeat row 0 and are not stored. One, two or three vector columns, so a
// narrow right edge (a 7×7 or 8×8 feature map) does not pay for 48 columns.
// PRE##kbi##NV is the same with row p of B at b + boff[p] (see PRE##_rows).
#define KB(PRE, TYPE, VEC, W, MASK, NV) KBX(PRE, TYPE, VEC, W, MASK, NV, kb, 0) KBX(PRE, TYPE, VEC, W, MASK, NV, kbi, 1)
#define KBX(PRE, TYPE, VEC, W, MASK, NV, NAME, IND)                                                          \
	DLNB_AVX512F_FMA static inline unsigned PRE##NAME##NV##_body(                                    \
	    int kc, const TYPE *a, long ars, long acs, const TYPE *b, int ldb, const long *boff, TYPE *c,   \
	    int ldc, TYPE alpha, TYPE beta, int mr, int nr) {                                              \
		MASK km[3];                                                                                \
		for (int v = 0; v < 3; v++) {                                                              \
			int rem = nr - v * W;                                                              \
			km[v] = rem >= W ? (MASK)~0u : rem <= 0 ? (MASK)0 : (MASK)((1u << rem) - 1);       \
		}                                                                                          \
		long off[8];                                                                               \
		for (int r = 0; r < 8; r++) off[r] = (r < mr ? r : 0) * ars;                               \
		VEC acc[8][NV];                                                                            \
		_Pragma("GCC unroll 8") for (int r = 0; r < 8; r++)                                        \
		    _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) acc[r][v] = ZERO_##PRE();          \
		for (int p = 0; p < kc; p++) {                                                             \
			VEC bv[NV];                                                                        \
			const TYPE *bp = IND ? b + boff[p] : b;                                            \
			_Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) bv[v] = MLOAD_##PRE(km[v], bp + v * W); \
			_Pragma("GCC unroll 8") for (int r = 0; r < 8; r++) {                              \
				VEC ar = SET1_##PRE(a[off[r]]);                                            \
				_Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) acc[r][v] = FMA_##PRE(ar, bv[v], acc[r][v]); \
			}                                                                                  \
			a += acs;                                                                          \
			if (!IND) b += ldb;                                                                \
		}                                                                                          \
		VEC va = SET1_##PRE(alpha), vb = SET1_##PRE(beta);                                         \
		_Pragma("GCC unroll 8") for (int r = 0; r < 8; r++) {                                      \
			if (r >= mr) break;                                                                \
			_Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) {                             \
				TYPE *cp = c + (size_t)r * ldc + v * W;                                    \
				VEC x = alpha == 1 ? acc[r][v] : MUL_##PRE(va, acc[r][v]);                 \
				if (beta != 0) {                                                           \
					VEC old = MLOAD_##PRE(km[v], cp);                                  \
					x = beta == 1 ? ADD_##PRE(x, old) : FMA_##PRE(vb, old, x);         \
				}                                                                          \
				MSTORE_##PRE(cp, km[v], x);                                                \
			}                                                                                  \
		}                                                                                          \
		return 1u << (DLNB_P_KB1 + NV - 1);                                                        \
	}
#define ZERO_s() _mm512_setzero_ps()
#define MLOAD_s(k, p) _mm512_maskz_loadu_ps(k, p)
#define MSTORE_s(p, k, x) _mm512_mask_storeu_ps(p, k, x)
#define SET1_s(x) _mm512_set1_ps(x)
#define FMA_s(a, b, c) _mm512_fmadd_ps(a, b, c)
#define MUL_s(a, b) _mm512_mul_ps(a, b)
#define ADD_s(a, b) _mm512_add_ps(a, b)
#define ZERO_d() _mm512_setzero_pd()
#define MLOAD_d(k, p) _mm512_maskz_loadu_pd(k, p)
#define MSTORE_d(p, k, x) _mm512_mask_storeu_pd(p, k, x)
#define SET1_d(x) _mm512_set1_pd(x)
#define FMA_d(a, b, c) _mm512_fmadd_pd(a, b, c)
#define MUL_d(a, b) _mm512_mul_pd(a, b)
#define ADD_d(a, b) _mm512_add_pd(a, b)
KB(s, float, __m512, 16, __mmask16, 1)
KB(s, float, __m512, 16, __mmask16, 2)
KB(s, float, __m512, 16, __mmask16, 3)

// PRE##_fewrows computes C = alpha·op(A)·B + beta·C for m ≤ 64 reading B in
// place: each B panel would serve only a few row panels, so packing it costs
// more than it saves. A is read in place too unless transposed (then packed).
// It also serves any m when n ≤ NARROW_MAX and A is not transposed: packing A
// would then cost more than its few column panels of B gain from it.
#define FEWROWS(PRE, TYPE, W, MR)                                                                          \
	DLNB_AVX512F_FMA static unsigned PRE##kb_packed(int nv, int kc, const TYPE *a, const TYPE *b,    \
	    int ldb, TYPE *c, int ldc, TYPE alpha, TYPE beta, int mr, int nr) {                           \
		if (nv == 3) return PRE##kb3_body(kc, a, 1, MR, b, ldb, NULL, c, ldc, alpha, beta, mr, nr);      \
		else if (nv == 2) return PRE##kb2_body(kc, a, 1, MR, b, ldb, NULL, c, ldc, alpha, beta, mr, nr); \
		else return PRE##kb1_body(kc, a, 1, MR, b, ldb, NULL, c, ldc, alpha, beta, mr, nr);              \
	}                                                                                                  \
	DLNB_AVX512F_FMA static unsigned PRE##kb_inplace(int nv, int kc, const TYPE *a, long lda,        \
	    const TYPE *b, int ldb, TYPE *c, int ldc, TYPE alpha, TYPE beta, int mr, int nr) {            \
		if (nv == 3) return PRE##kb3_body(kc, a, lda, 1, b, ldb, NULL, c, ldc, alpha, beta, mr, nr);     \
		else if (nv == 2) return PRE##kb2_body(kc, a, lda, 1, b, ldb, NULL, c, ldc, alpha, beta, mr, nr); \
		else return PRE##kb1_body(kc, a, lda, 1, b, ldb, NULL, c, ldc, alpha, beta, mr, nr);             \
	}                                                                                                  \
	static unsigned PRE##_fewrows(int ta, int m, int n, int k, TYPE alpha, const TYPE *a, int lda,    \
	                              const TYPE *b, int ldb, TYPE beta, TYPE *c, int ldc, TYPE *pa) {    \
		unsigned seen = ta ? BIT(FEWROWS_PACKED) : BIT(FEWROWS_INPLACE);                           \
		for (int pc = 0; pc < k; pc += KC) {                                                       \
			int kc = k - pc < KC ? k - pc : KC;                                                \
			TYPE be = pc == 0 ? beta : 1;                                                      \
			seen |= pc > 0 ? BIT(KBLOCK2) : 0;                                                 \
			if (ta) PRE##pack_a(ta, a, lda, 0, pc, m, kc, pa);                                 \
			for (int ic = 0; ic < m; ic += MC) { /* MC rows of A at a time, kept in L2 */      \
				int me = m - ic < MC ? m : ic + MC;                                        \
				for (int jr = 0; jr < n; jr += 3 * W) {                                    \
					int nr = n - jr < 3 * W ? n - jr : 3 * W;                          \
					int nv = (nr + W - 1) / W;                                         \
					const TYPE *bp = b + (size_t)pc * ldb + jr;                        \
					for (int ir = ic; ir < me; ir += MR) {                             \
						int mr = me - ir < MR ? me - ir : MR;                      \
						TYPE *cp = c + (size_t)ir * ldc + jr;                      \
						if (ta) seen |= PRE##kb_packed(nv, kc, pa + ir * kc, bp, ldb, cp, ldc, alpha, be, mr, nr); \
						else seen |= PRE##kb_inplace(nv, kc, a + (size_t)ir * lda + pc, lda, bp, ldb, cp, ldc, alpha, be, mr, nr); \
					}                                                                  \
				}                                                                          \
			}                                                                                  \
		}                                                                                          \
		return seen;                                                                               \
	}                                                                                                  \
	DLNB_AVX512F_FMA static unsigned PRE##kb_rows(int nv, int kc, const TYPE *a, long lda,           \
	    const TYPE *b, const long *boff, TYPE *c, int ldc, TYPE alpha, TYPE beta, int mr, int nr) {    \
		if (nv == 3) return PRE##kbi3_body(kc, a, lda, 1, b, 0, boff, c, ldc, alpha, beta, mr, nr); \
		else if (nv == 2) return PRE##kbi2_body(kc, a, lda, 1, b, 0, boff, c, ldc, alpha, beta, mr, nr); \
		else return PRE##kbi1_body(kc, a, lda, 1, b, 0, boff, c, ldc, alpha, beta, mr, nr);        \
	}                                                                                                  \
	/* PRE##_rows computes C = alpha·A·B + beta·C with row p of B at b + boff[p] (a stride-1      \
	   convolution's column matrix read from the padded image), A in place; each entry is summed   \
	   as PRE##_fewrows sums it. */                                                                \
	static unsigned PRE##_rows(int m, int n, int k, TYPE alpha, const TYPE *a, int lda, const TYPE *b, \
	                           const long *boff, TYPE beta, TYPE *c, int ldc) {                        \
		unsigned seen = BIT(ROWS);                                                                 \
		for (int pc = 0; pc < k; pc += KC) {                                                       \
			int kc = k - pc < KC ? k - pc : KC;                                                \
			TYPE be = pc == 0 ? beta : 1;                                                      \
			seen |= pc > 0 ? BIT(KBLOCK2) : 0;                                                 \
			for (int ic = 0; ic < m; ic += MC) {                                               \
				int me = m - ic < MC ? m : ic + MC;                                        \
				for (int jr = 0; jr < n; jr += 3 * W) {                                    \
					int nr = n - jr < 3 * W ? n - jr : 3 * W;                          \
					int nv = (nr + W - 1) / W;                                         \
					for (int ir = ic; ir < me; ir += MR) {                             \
						int mr = me - ir < MR ? me - ir : MR;                      \
						seen |= PRE##kb_rows(nv, kc, a + (size_t)ir * lda + pc, lda, b + jr, boff + pc, \
						                     c + (size_t)ir * ldc + jr, ldc, alpha, be, mr, nr); \
					}                                                                  \
				}                                                                          \
			}                                                                                  \
		}                                                                                          \
		return seen;                                                                               \
	}
FEWROWS(s, float, 16, SMR)

/* ------------- A mostly zeros: only its nonzero columns (see gemm_avx2_body.h) ------------- */
// PRE##_sparse computes C = op(A)·B + beta·C (alpha 1, beta 0 or 1) a row of C
// at a time, summing for each KC block of k only the terms where the row of
// op(A) is not zero, in the order of p, one FMA chain per block and entry:
// bit for bit what the dense paths give when B is finite, since a skipped
// term 0·B[p, j] = ±0 never changes a chain that started at +0. The AVX2
// version in gemm_avx2_body.h explains it in full; PRE##_sparse_takes
// (dlnb_sparse.h) decides whether it is taken.
#define SPARSE(PRE, TYPE, VEC, W, MASK, CMPMASK)                                                           \
	DLNB_SPARSE_SCALAR(PRE, TYPE)                                                                      \
	DLNB_AVX512F_FMA static int PRE##_gather(int ta, const TYPE *a, int lda, int i, int pc, int kc, int ldb, \
	                                         TYPE *av, long *boff) {                                   \
		if (ta) return PRE##_gather_col(a, lda, i, pc, kc, ldb, av, boff);                         \
		int q = 0;                                                                                 \
		const TYPE *x = a + (size_t)i * lda + pc;                                                  \
		for (int t = 0; t < kc; t += W) {                                                          \
			MASK in = kc - t >= W ? (MASK)~0u : (MASK)((1u << (kc - t)) - 1);                  \
			for (unsigned mk = CMPMASK(MLOAD_##PRE(in, x + t)); mk; mk &= mk - 1) {            \
				int u = t + __builtin_ctz(mk);                                             \
				av[q] = x[u], boff[q++] = (long)(pc + u) * ldb;                            \
			}                                                                                  \
		}                                                                                          \
		return q;                                                                                  \
	}                                                                                                  \
	DLNB_AVX512F_FMA static inline void PRE##_sparse_cols(int nv, const MASK *km, int q, const TYPE *av, \
	                                                      const long *boff, const TYPE *b, TYPE *c, TYPE beta) { \
		VEC acc[8];                                                                                \
		_Pragma("GCC unroll 8") for (int v = 0; v < nv; v++) acc[v] = ZERO_##PRE();                \
		for (int t = 0; t < q; t++) {                                                              \
			VEC x = SET1_##PRE(av[t]);                                                         \
			const TYPE *bp = b + boff[t];                                                      \
			_Pragma("GCC unroll 8") for (int v = 0; v < nv; v++)                               \
			    acc[v] = FMA_##PRE(x, MLOAD_##PRE(km[v], bp + v * W), acc[v]);                 \
		}                                                                                          \
		_Pragma("GCC unroll 8") for (int v = 0; v < nv; v++) {                                     \
			VEC y = acc[v];                                                                    \
			if (beta != 0) y = ADD_##PRE(y, MLOAD_##PRE(km[v], c + v * W));                    \
			MSTORE_##PRE(c + v * W, km[v], y);                                                 \
		}                                                                                          \
	}                                                                                                  \
	DLNB_AVX512F_FMA static unsigned PRE##_sparse(int ta, int m, int n, int k, const TYPE *a, int lda,  \
	                                              const TYPE *b, int ldb, TYPE beta, TYPE *c, int ldc) { \
		unsigned seen = BIT(SPARSE);                                                               \
		TYPE av[KC];                                                                               \
		long boff[KC];                                                                             \
		for (int ic = 0; ic < m; ic += MC) {                                                       \
			int me = m - ic < MC ? m : ic + MC;                                                \
			for (int pc = 0; pc < k; pc += KC) {                                               \
				int kc = k - pc < KC ? k - pc : KC;                                        \
				TYPE be = pc == 0 ? beta : 1;                                              \
				seen |= pc > 0 ? BIT(KBLOCK2) : 0;                                         \
				for (int i = ic; i < me; i++) {                                            \
					int q = PRE##_gather(ta, a, lda, i, pc, kc, ldb, av, boff);        \
					TYPE *ci = c + (size_t)i * ldc;                                    \
					for (int j = 0; j < n; j += 8 * W) {                               \
						int rem = n - j;                                           \
						MASK km[8];                                                \
						for (int v = 0; v < 8; v++) {                              \
							int r = rem - v * W;                               \
							km[v] = r >= W ? (MASK)~0u : r <= 0 ? (MASK)0 : (MASK)((1u << r) - 1); \
						}                                                          \
						if (rem > 4 * W) PRE##_sparse_cols(8, km, q, av, boff, b + j, ci + j, be); \
						else if (rem > 2 * W) PRE##_sparse_cols(4, km, q, av, boff, b + j, ci + j, be); \
						else if (rem > W) PRE##_sparse_cols(2, km, q, av, boff, b + j, ci + j, be); \
						else PRE##_sparse_cols(1, km, q, av, boff, b + j, ci + j, be); \
					}                                                                  \
				}                                                                          \
			}                                                                                  \
		}                                                                                          \
		return seen;                                                                               \
	}
// CMPMASK_*(x): the lanes of x that are not zero (NaN included); gather loads
// the lanes past the row's end as 0.
#define CMPMASK_s(x) (unsigned)_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NEQ_UQ)
#define CMPMASK_d(x) (unsigned)_mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_NEQ_UQ)
SPARSE(s, float, __m512, 16, __mmask16, CMPMASK_s)

// sgemm computes the product on the path that suits the shape and returns
// the paths it took; BIT(NOBUF) alone when a packing buffer it needs could
// not be allocated (nothing was written then).
static unsigned sgemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, float beta, float *c, int ldc) {
	if (!ta && !tb && k <= 16) return s_smallk(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	if (!ta && tb && n <= 32 && k >= 64) return s_smalln(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	struct dlnb_gemm_state *st = this_thread();
	if (s_sparse_takes(st, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta))
		return s_sparse(ta, m, n, k, a, lda, b, ldb, beta, c, ldc);
	if (!st) return BIT(NOBUF);
	if (!tb && m <= 64) { // A is packed only when transposed
		if (ta && !st->s_pa) st->s_pa = dlnb_aligned_alloc(sizeof(float) * MC * KC);
		if (ta && !st->s_pa) return BIT(NOBUF);
		return s_fewrows(ta, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, st->s_pa);
	}
	if (!ta && !tb && n <= NARROW_MAX)
		return BIT(NARROW) | s_fewrows(0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL);
	if (!st->s_pa) st->s_pa = dlnb_aligned_alloc(sizeof(float) * MC * KC);
	if (!st->s_pb) st->s_pb = dlnb_aligned_alloc(sizeof(float) * KC * NC);
	if (!st->s_pa || !st->s_pb) return BIT(NOBUF);
	unsigned seen = BIT(PACKED);
	for (int jc = 0; jc < n; jc += NC) {
		int nc = n - jc < NC ? n - jc : NC;
		seen |= jc > 0 ? BIT(NBLOCK2) : 0;
		for (int pc = 0; pc < k; pc += KC) {
			int kc = k - pc < KC ? k - pc : KC;
			float be = pc == 0 ? beta : 1.0f;
			seen |= pc > 0 ? BIT(KBLOCK2) : 0;
			seen |= spack_b(tb, b, ldb, pc, jc, kc, nc, st->s_pb);
			for (int ic = 0; ic < m; ic += MC) {
				int mc = m - ic < MC ? m - ic : MC;
				seen |= ic > 0 ? BIT(MBLOCK2) : 0;
				spack_a(ta, a, lda, ic, pc, mc, kc, st->s_pa);
				for (int jr = 0; jr < nc; jr += SNR) {
					int nr = nc - jr < SNR ? nc - jr : SNR;
					for (int ir = 0; ir < mc; ir += SMR) {
						int mr = mc - ir < SMR ? mc - ir : SMR;
						seen |= skernel(kc, st->s_pa + ir * kc, st->s_pb + jr * kc, c + (size_t)(ic + ir) * ldc + jc + jr, ldc, alpha, be, mr, nr);
					}
				}
			}
		}
	}
	return seen;
}

// dlnb_sgemm_avx512 returns 0, or -1 when a packing buffer could not be
// allocated and C was left untouched.
int dlnb_sgemm_avx512(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, float beta, float *c, int ldc) {
	unsigned seen = sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	record(0, seen);
	return seen & BIT(NOBUF) ? -1 : 0;
}

void dlnb_srows_avx512(int m, int n, int k, float alpha, const float *a, int lda, const float *b, const long *boff,
                       float beta, float *c, int ldc) {
	record(0, s_rows(m, n, k, alpha, a, lda, b, boff, beta, c, ldc));
}

/* ------------------------------- float64 ------------------------------- */
#define DMR 8
#define DNR 24

static void dpack_a(int trans, const double *a, int lda, int i0, int p0, int mc, int kc, double *pa) {
	for (int ir = 0; ir < mc; ir += DMR) {
		int mr = mc - ir < DMR ? mc - ir : DMR;
		double *dst = pa + ir * kc;
		if (!trans) {
			for (int r = 0; r < mr; r++) {
				const double *src = a + (size_t)(i0 + ir + r) * lda + p0;
				for (int p = 0; p < kc; p++) dst[p * DMR + r] = src[p];
			}
		} else {
			for (int p = 0; p < kc; p++) {
				const double *src = a + (size_t)(p0 + p) * lda + i0 + ir;
				for (int r = 0; r < mr; r++) dst[p * DMR + r] = src[r];
			}
		}
		if (mr < DMR)
			for (int p = 0; p < kc; p++)
				for (int r = mr; r < DMR; r++) dst[p * DMR + r] = 0;
	}
}

// tr8 transposes the 8×8 block of doubles in r[0..7] (as tr16, one level less).
DLNB_AVX512F
static inline void tr8(__m512d *r) {
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

DLNB_AVX512F
static int dpack_bt8(const double *b, int ldb, int p0, int kc, double *dst) {
	int p = 0;
	for (; p + 8 <= kc; p += 8) {
		__m512d r[8];
		for (int i = 0; i < 8; i++) r[i] = _mm512_loadu_pd(b + (size_t)i * ldb + p0 + p);
		tr8(r);
		for (int q = 0; q < 8; q++) _mm512_storeu_pd(dst + (size_t)(p + q) * DNR, r[q]);
	}
	return p;
}

static unsigned dpack_b(int trans, const double *b, int ldb, int p0, int j0, int kc, int nc, double *pb) {
	unsigned seen = 0;
	for (int jr = 0; jr < nc; jr += DNR) {
		int nr = nc - jr < DNR ? nc - jr : DNR;
		double *dst = pb + jr * kc;
		if (!trans) {
			for (int p = 0; p < kc; p++) {
				const double *src = b + (size_t)(p0 + p) * ldb + j0 + jr;
				if (nr == DNR) {
					memcpy(dst + p * DNR, src, DNR * sizeof(double));
				} else {
					int j = 0;
					for (; j < nr; j++) dst[p * DNR + j] = src[j];
					for (; j < DNR; j++) dst[p * DNR + j] = 0;
				}
			}
		} else {
			int j = 0;
			for (; j + 8 <= nr; j += 8) {
				const double *src = b + (size_t)(j0 + jr + j) * ldb;
				int p = dpack_bt8(src, ldb, p0, kc, dst + j);
				seen |= (p > 0 ? BIT(PACK_BT_VEC) : 0) | (p < kc ? BIT(PACK_BT_SCALAR) : 0);
				for (int jj = 0; jj < 8; jj++)
					for (int q = p; q < kc; q++) dst[q * DNR + j + jj] = src[(size_t)jj * ldb + p0 + q];
			}
			for (; j < nr; j++) {
				seen |= BIT(PACK_BT_SCALAR);
				const double *src = b + (size_t)(j0 + jr + j) * ldb + p0;
				for (int p = 0; p < kc; p++) dst[p * DNR + j] = src[p];
			}
			for (j = nr; j < DNR; j++)
				for (int p = 0; p < kc; p++) dst[p * DNR + j] = 0;
		}
	}
	return seen;
}

#define DROW(r) __m512d c##r##0 = _mm512_setzero_pd(), c##r##1 = _mm512_setzero_pd(), c##r##2 = _mm512_setzero_pd();
#define DFMA(r) { __m512d ar = _mm512_set1_pd(a[r]); c##r##0 = _mm512_fmadd_pd(ar, b0, c##r##0); \
	c##r##1 = _mm512_fmadd_pd(ar, b1, c##r##1); c##r##2 = _mm512_fmadd_pd(ar, b2, c##r##2); }
#define DSTORE(r) { _mm512_store_pd(t + r * DNR, c##r##0); _mm512_store_pd(t + r * DNR + 8, c##r##1); \
	_mm512_store_pd(t + r * DNR + 16, c##r##2); }

#define DOUT1(r, h, acc) { double *cp = c + (size_t)(r) * ldc + (h); __m512d v = alpha == 1 ? acc : _mm512_mul_pd(va, acc); \
	if (beta != 0) v = beta == 1 ? _mm512_add_pd(v, _mm512_loadu_pd(cp)) : _mm512_fmadd_pd(vb, _mm512_loadu_pd(cp), v); \
	_mm512_storeu_pd(cp, v); }
#define DOUT(r) DOUT1(r, 0, c##r##0) DOUT1(r, 8, c##r##1) DOUT1(r, 16, c##r##2)

DLNB_AVX512F_FMA
static unsigned dkernel(int kc, const double *a, const double *b, double *c, int ldc, double alpha, double beta, int mr, int nr) {
	DROW(0) DROW(1) DROW(2) DROW(3) DROW(4) DROW(5) DROW(6) DROW(7)
	for (int p = 0; p < kc; p++) {
		__m512d b0 = _mm512_load_pd(b), b1 = _mm512_load_pd(b + 8), b2 = _mm512_load_pd(b + 16);
		DFMA(0) DFMA(1) DFMA(2) DFMA(3) DFMA(4) DFMA(5) DFMA(6) DFMA(7)
		a += DMR;
		b += DNR;
	}
	if (mr == DMR && nr == DNR) {
		__m512d va = _mm512_set1_pd(alpha), vb = _mm512_set1_pd(beta);
		DOUT(0) DOUT(1) DOUT(2) DOUT(3) DOUT(4) DOUT(5) DOUT(6) DOUT(7)
		return BIT(TILE_FULL);
	}
	double t[DMR * DNR] __attribute__((aligned(64)));
	DSTORE(0) DSTORE(1) DSTORE(2) DSTORE(3) DSTORE(4) DSTORE(5) DSTORE(6) DSTORE(7)
	__m512d va = _mm512_set1_pd(alpha), vb = _mm512_set1_pd(beta);
	for (int r = 0; r < mr; r++) {
		double *cr = c + (size_t)r * ldc;
		const double *tr = t + r * DNR;
		if (nr == DNR) {
			for (int h = 0; h < DNR; h += 8) {
				__m512d v = _mm512_mul_pd(va, _mm512_load_pd(tr + h));
				if (beta != 0) v = _mm512_fmadd_pd(vb, _mm512_loadu_pd(cr + h), v);
				_mm512_storeu_pd(cr + h, v);
			}
		} else {
			for (int j = 0; j < nr; j++) cr[j] = beta != 0 ? alpha * tr[j] + beta * cr[j] : alpha * tr[j];
		}
	}
	return nr == DNR ? BIT(TILE_EDGE_ROWS) : BIT(TILE_EDGE_COLS);
}


KB(d, double, __m512d, 8, __mmask8, 1)
KB(d, double, __m512d, 8, __mmask8, 2)
KB(d, double, __m512d, 8, __mmask8, 3)
FEWROWS(d, double, 8, DMR)
SPARSE(d, double, __m512d, 8, __mmask8, CMPMASK_d)

// dgemm computes the product on the path that suits the shape and returns
// the paths it took; BIT(NOBUF) alone when a packing buffer it needs could
// not be allocated (nothing was written then).
static unsigned dgemm(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                      const double *b, int ldb, double beta, double *c, int ldc) {
	if (!ta && !tb && k <= 16) return d_smallk(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	if (!ta && tb && n <= 32 && k >= 64) return d_smalln(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	struct dlnb_gemm_state *st = this_thread();
	if (d_sparse_takes(st, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta))
		return d_sparse(ta, m, n, k, a, lda, b, ldb, beta, c, ldc);
	if (!st) return BIT(NOBUF);
	if (!tb && m <= 64) { // A is packed only when transposed
		if (ta && !st->d_pa) st->d_pa = dlnb_aligned_alloc(sizeof(double) * MC * KC);
		if (ta && !st->d_pa) return BIT(NOBUF);
		return d_fewrows(ta, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, st->d_pa);
	}
	if (!ta && !tb && n <= NARROW_MAX)
		return BIT(NARROW) | d_fewrows(0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL);
	if (!st->d_pa) st->d_pa = dlnb_aligned_alloc(sizeof(double) * MC * KC);
	if (!st->d_pb) st->d_pb = dlnb_aligned_alloc(sizeof(double) * KC * NC);
	if (!st->d_pa || !st->d_pb) return BIT(NOBUF);
	unsigned seen = BIT(PACKED);
	for (int jc = 0; jc < n; jc += NC) {
		int nc = n - jc < NC ? n - jc : NC;
		seen |= jc > 0 ? BIT(NBLOCK2) : 0;
		for (int pc = 0; pc < k; pc += KC) {
			int kc = k - pc < KC ? k - pc : KC;
			double be = pc == 0 ? beta : 1.0;
			seen |= pc > 0 ? BIT(KBLOCK2) : 0;
			seen |= dpack_b(tb, b, ldb, pc, jc, kc, nc, st->d_pb);
			for (int ic = 0; ic < m; ic += MC) {
				int mc = m - ic < MC ? m - ic : MC;
				seen |= ic > 0 ? BIT(MBLOCK2) : 0;
				dpack_a(ta, a, lda, ic, pc, mc, kc, st->d_pa);
				for (int jr = 0; jr < nc; jr += DNR) {
					int nr = nc - jr < DNR ? nc - jr : DNR;
					for (int ir = 0; ir < mc; ir += DMR) {
						int mr = mc - ir < DMR ? mc - ir : DMR;
						seen |= dkernel(kc, st->d_pa + ir * kc, st->d_pb + jr * kc, c + (size_t)(ic + ir) * ldc + jc + jr, ldc, alpha, be, mr, nr);
					}
				}
			}
		}
	}
	return seen;
}

// dlnb_dgemm_avx512 returns 0, or -1 when a packing buffer could not be
// allocated and C was left untouched.
int dlnb_dgemm_avx512(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                      const double *b, int ldb, double beta, double *c, int ldc) {
	unsigned seen = dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	record(1, seen);
	return seen & BIT(NOBUF) ? -1 : 0;
}

void dlnb_drows_avx512(int m, int n, int k, double alpha, const double *a, int lda, const double *b,
                       const long *boff, double beta, double *c, int ldc) {
	record(1, d_rows(m, n, k, alpha, a, lda, b, boff, beta, c, ldc));
}

/* ------------------------------- test hooks ------------------------------- */
static void gemm_hits(unsigned long long *out, int reset) { dlnb_gemm_hits(this_thread(), out, reset); }

static unsigned set_fail_allocs(unsigned mask) { return dlnb_set_fail_allocs(this_thread(), mask); }

static void free_buffers(void) {
	struct dlnb_gemm_state *st = this_thread();
	if (st) dlnb_release_gemm_state(st);
	dlnb_kernels_free_buffers();
}

static void dense_only(int on) { dlnb_set_dense_only(this_thread(), on); }

#ifndef DLNB_IMPL_NAME
#define DLNB_IMPL_NAME "native AVX-512"
#endif

static const struct dlnb_impl impl = {
	DLNB_IMPL_NAME, dlnb_avx512_supported, {KC, MC, NC, SMR, SNR, DNR, 16, 8, 64, 16, 32, 64, NARROW_MAX},
	dlnb_sgemm_avx512, dlnb_dgemm_avx512, dlnb_srows_avx512, dlnb_drows_avx512,
	dlnb_adam_s, dlnb_adam_d, dlnb_relu_fwd_s, dlnb_relu_fwd_d, dlnb_relu_bwd_s, dlnb_relu_bwd_d,
	dlnb_im2col_s, dlnb_im2col_d, dlnb_col2im_s, dlnb_col2im_d, dlnb_rowsum_add_s, dlnb_rowsum_add_d,
	dlnb_maxpool2_s, dlnb_maxpool2_d, gemm_hits, set_fail_allocs, free_buffers, dense_only,
};

const struct dlnb_impl *dlnb_get_impl(void) { return &impl; }
#endif
