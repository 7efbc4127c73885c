// gemm_body.h: the GEMM of every build for one precision, C (m×n,
// row-major) = alpha·op(A)·op(B) + beta·C, written once against the
// vocabulary of simd.h. gemm_build.h includes it twice per build, for
// float32 (DLNB_D = 0) and float64 (DLNB_D = 1), after the build's ISA header
// (simd_avx2.h, simd_avx512.h) has defined the vector operations, the block
// sizes KC, MC, NC, MR and the path thresholds.
//
// The paths, counted per call for the tests (DLNB_PATHS in dlnb_kernels.h):
// smallk (k ≤ 16), smalln (C = A·Bᵀ with n ≤ 32), sparse (op(A) mostly
// zero), fewrows (m ≤ 64, or n ≤ 64 with no transposes: B read in place),
// rows (B's rows anywhere: a convolution's implicit im2col) and the packed
// path (BLIS-style: panels of op(A) and op(B) packed per KC block, tiles of
// MR rows by NR = three vectors). Every path sums each entry of C in the
// order of k, one FMA chain per KC block (smalln and smallk aside), so the
// paths agree bit for bit where they overlap.
//
// Every function below is compiled for the build's ISA (DLNB_TARGET_BEGIN in
// gemm_build.h); the callers check the build's supported() first.
#define NR (3 * W)

// The packing buffers of A (MC·KC) and B (KC·NC) are the calling thread's
// (struct dlnb_gemm_state, dlnb_thread.h), allocated on first use; a failed
// allocation is retried on the next call.

/* ------------- small dimensions: no packing ------------- */

// smallk_cols updates the 4 rows of C at c by rank-1 updates over k,
// nv (1 or 2) vectors wide: C = beta·C + Σ_p ai[r][p]·B[p, :], where ai
// already holds alpha·A. Rows past rows are computed with zeros and not
// stored.
ALWAYS_INLINE void F(smallk_cols)(int nv, int rows, int k, T ai[4][SMALLK_MAX], const T *b, int ldb, T beta,
                                  T *c, int ldc) {
	V acc[4][2];
#pragma GCC unroll 4
	for (int r = 0; r < 4; r++)
#pragma GCC unroll 2
		for (int v = 0; v < nv; v++)
			acc[r][v] = beta == 0 || r >= rows ? VZERO() : VMUL(VSET1(beta), VLOADU(c + (size_t)r * ldc + v * W));
	for (int p = 0; p < k; p++) {
		V b0 = VLOADU(b + (size_t)p * ldb), b1 = nv > 1 ? VLOADU(b + (size_t)p * ldb + W) : b0;
#pragma GCC unroll 4
		for (int r = 0; r < 4; r++) {
			V ar = VSET1(ai[r][p]);
			acc[r][0] = VFMA(ar, b0, acc[r][0]);
			if (nv > 1) acc[r][1] = VFMA(ar, b1, acc[r][1]);
		}
	}
#pragma GCC unroll 4
	for (int r = 0; r < 4; r++)
#pragma GCC unroll 2
		for (int v = 0; v < nv; v++)
			if (r < rows) VSTOREU(c + (size_t)r * ldc + v * W, acc[r][v]);
}

// smallk computes the product for a tiny inner dimension (k ≤ SMALLK_MAX, no
// transposes) from k rank-1 updates, streaming each row of C once: 4 rows
// at a time, two vectors of columns per step (8 accumulators), then one,
// then the last columns one by one.
static unsigned F(smallk)(int m, int n, int k, T alpha, const T *a, int lda, const T *b, int ldb, T beta, T *c,
                          int ldc) {
	unsigned seen = n >= W ? BIT(SMALLK) : 0;
	T ai[4][SMALLK_MAX];
	for (int i0 = 0; i0 < m; i0 += 4) {
		int rows = m - i0 < 4 ? m - i0 : 4;
		for (int r = 0; r < 4; r++)
			for (int p = 0; p < k; p++) ai[r][p] = r < rows ? alpha * a[(size_t)(i0 + r) * lda + p] : 0;
		T *ci = c + (size_t)i0 * ldc;
		int j = 0;
		for (; j + 2 * W <= n; j += 2 * W) F(smallk_cols)(2, rows, k, ai, b + j, ldb, beta, ci + j, ldc);
		for (; j + W <= n; j += W) F(smallk_cols)(1, rows, k, ai, b + j, ldb, beta, ci + j, ldc);
		for (; j < n; j++)
			for (int r = 0; r < rows; r++) {
				seen |= BIT(SMALLK_TAIL);
				T *cij = ci + (size_t)r * ldc + j;
				T s = beta == 0 ? 0 : beta * *cij;
				for (int p = 0; p < k; p++) s += ai[r][p] * b[(size_t)p * ldb + j];
				*cij = s;
			}
	}
	return seen;
}

// dot1 computes one entry of C = A·Bᵀ: a vectorised dot product of row i of
// A and row j of B.
static void F(dot1)(int i, int j, int k, T alpha, const T *a, int lda, const T *b, int ldb, T beta, T *c, int ldc) {
	const T *x = a + (size_t)i * lda, *y = b + (size_t)j * ldb;
	V s0 = VZERO(), s1 = VZERO();
	int p = 0;
	for (; p + 2 * W <= k; p += 2 * W) {
		s0 = VFMA(VLOADU(x + p), VLOADU(y + p), s0);
		s1 = VFMA(VLOADU(x + p + W), VLOADU(y + p + W), s1);
	}
	for (; p + W <= k; p += W) s0 = VFMA(VLOADU(x + p), VLOADU(y + p), s0);
	T s = VREDUCE(s0) + VREDUCE(s1);
	for (; p < k; p++) s += x[p] * y[p];
	T *cij = c + (size_t)i * ldc + j;
	*cij = beta == 0 ? alpha * s : alpha * s + beta * *cij;
}

// smalln computes C = A·Bᵀ for a small n (≤ SMALLN_MAX) and k ≥ SMALLN_MINK,
// where both operands are contiguous along k: each entry is a dot product,
// 4×2 of them at a time (8 accumulators sharing their loads), then the
// leftover entries one by one.
static unsigned F(smalln)(int m, int n, int k, T alpha, const T *a, int lda, const T *b, int ldb, T beta, T *c,
                          int ldc) {
	unsigned seen = 0;
	int kv = k / W * W;
	int i = 0;
	for (; i + 4 <= m; i += 4) {
		const T *a0 = a + (size_t)i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
		int j = 0;
		for (; j + 2 <= n; j += 2) {
			seen |= BIT(SMALLN);
			const T *b0 = b + (size_t)j * ldb, *b1 = b0 + ldb;
			V s00 = VZERO(), s01 = VZERO(), s10 = VZERO(), s11 = VZERO();
			V s20 = VZERO(), s21 = VZERO(), s30 = VZERO(), s31 = VZERO();
			for (int p = 0; p < kv; p += W) {
				V x0 = VLOADU(b0 + p), x1 = VLOADU(b1 + p), v;
				v = VLOADU(a0 + p), s00 = VFMA(v, x0, s00), s01 = VFMA(v, x1, s01);
				v = VLOADU(a1 + p), s10 = VFMA(v, x0, s10), s11 = VFMA(v, x1, s11);
				v = VLOADU(a2 + p), s20 = VFMA(v, x0, s20), s21 = VFMA(v, x1, s21);
				v = VLOADU(a3 + p), s30 = VFMA(v, x0, s30), s31 = VFMA(v, x1, s31);
			}
			T r[4][2] = {{VREDUCE(s00), VREDUCE(s01)}, {VREDUCE(s10), VREDUCE(s11)},
			             {VREDUCE(s20), VREDUCE(s21)}, {VREDUCE(s30), VREDUCE(s31)}};
			for (int q = 0; q < 4; q++)
				for (int t = 0; t < 2; t++) {
					const T *aq = a0 + (size_t)q * lda, *bt = b0 + (size_t)t * ldb;
					T s = r[q][t];
					for (int p = kv; p < k; p++) s += aq[p] * bt[p];
					T *cij = c + (size_t)(i + q) * ldc + j + t;
					*cij = beta == 0 ? alpha * s : alpha * s + beta * *cij;
				}
		}
		for (; j < n; j++) {
			seen |= BIT(SMALLN_DOT1);
			for (int q = 0; q < 4; q++) F(dot1)(i + q, j, k, alpha, a, lda, b, ldb, beta, c, ldc);
		}
	}
	for (; i < m; i++) {
		seen |= BIT(SMALLN_DOT1);
		for (int j = 0; j < n; j++) F(dot1)(i, j, k, alpha, a, lda, b, ldb, beta, c, ldc);
	}
	return seen;
}

/* ------------- packing ------------- */

// pack_a packs op(A)[i0:i0+mc, p0:p0+kc] into MR-row panels: panel r holds,
// for each p, the MR values of column p (zero-padded past mc).
static void F(pack_a)(int trans, const T *a, int lda, int i0, int p0, int mc, int kc, T *pa) {
	for (int ir = 0; ir < mc; ir += MR) {
		int mr = mc - ir < MR ? mc - ir : MR;
		T *dst = pa + (size_t)ir * kc;
#ifdef VPACK_MR
		if (!trans && mr == MR) { // W columns of the MR rows at a time, in registers
			const T *s0 = a + (size_t)(i0 + ir) * lda + p0;
			int p = 0;
			for (; p + W <= kc; p += W) VPACK_MR(dst + p * MR, s0 + p, lda);
			for (; p < kc; p++)
				for (int r = 0; r < MR; r++) dst[p * MR + r] = s0[(size_t)r * lda + p];
		} else
#endif
		if (!trans) {
			for (int r = 0; r < mr; r++) {
				const T *src = a + (size_t)(i0 + ir + r) * lda + p0;
				for (int p = 0; p < kc; p++) dst[p * MR + r] = src[p];
			}
		} else {
			for (int p = 0; p < kc; p++) {
				const T *src = a + (size_t)(p0 + p) * lda + i0 + ir;
				for (int r = 0; r < mr; r++) dst[p * MR + r] = src[r];
			}
		}
		if (mr < MR)
			for (int p = 0; p < kc; p++)
				for (int r = mr; r < MR; r++) dst[p * MR + r] = 0;
	}
}

// pack_bt packs W columns of op(B) = Bᵀ (the W rows of B at b) for p in
// [p0, p0+kc) into dst (row stride NR), a W×W block transpose at a time; it
// returns how far it got (a multiple of W).
static int F(pack_bt)(const T *b, int ldb, int p0, int kc, T *dst) {
	int p = 0;
	for (; p + W <= kc; p += W) {
		V r[W];
		for (int i = 0; i < W; i++) r[i] = VLOADU(b + (size_t)i * ldb + p0 + p);
		VTRANSPOSE(r);
		for (int q = 0; q < W; q++) VSTOREU(dst + (size_t)(p + q) * NR, r[q]);
	}
	return p;
}

// pack_b packs op(B)[p0:p0+kc, j0:j0+nc] into NR-column panels (zero-padded
// past nc) and returns the packing paths it took.
static unsigned F(pack_b)(int trans, const T *b, int ldb, int p0, int j0, int kc, int nc, T *pb) {
	unsigned seen = 0;
	for (int jr = 0; jr < nc; jr += NR) {
		int nr = nc - jr < NR ? nc - jr : NR;
		T *dst = pb + (size_t)jr * kc;
		if (!trans) {
			for (int p = 0; p < kc; p++) {
				const T *src = b + (size_t)(p0 + p) * ldb + j0 + jr;
				int j = 0;
				if (nr == NR) {
					memcpy(dst + p * NR, src, NR * sizeof(T));
					continue;
				}
				for (; j < nr; j++) dst[p * NR + j] = src[j];
				for (; j < NR; j++) dst[p * NR + j] = 0;
			}
			continue;
		}
		int j = 0;
		for (; j + W <= nr; j += W) { // whole groups of W columns: block transposes
			const T *src = b + (size_t)(j0 + jr + j) * ldb;
			int p = F(pack_bt)(src, ldb, p0, kc, dst + j);
			seen |= (p > 0 ? BIT(PACK_BT_VEC) : 0) | (p < kc ? BIT(PACK_BT_SCALAR) : 0);
			for (int jj = 0; jj < W; jj++)
				for (int q = p; q < kc; q++) dst[q * NR + j + jj] = src[(size_t)jj * ldb + p0 + q];
		}
		for (; j < nr; j++) {
			seen |= BIT(PACK_BT_SCALAR);
			const T *src = b + (size_t)(j0 + jr + j) * ldb + p0;
			for (int p = 0; p < kc; p++) dst[p * NR + j] = src[p];
		}
		for (j = nr; j < NR; j++)
			for (int p = 0; p < kc; p++) dst[p * NR + j] = 0;
	}
	return seen;
}

/* ------------- tiles ------------- */

// accumulate computes the MR×(nv·W) tile acc = Σ_p A[r, p]·B[p, :] over kc
// steps, with A[r, p] at a[off[r] + p·acs] and B[p, :] at b + p·ldb, or, when
// boff is not NULL, at b + boff[p] (rows anywhere: see rows below). When
// edge is set, the last vector of B is loaded under the mask bm, so that
// nothing past the right edge of B is read. nv, edge and whether boff is
// NULL are constants after inlining, so each call site gets its own fully
// unrolled loop.
ALWAYS_INLINE void F(accumulate)(V acc[MR][3], int nv, int edge, VM bm, int kc, const T *a, const long *off,
                                 long acs, const T *b, long ldb, const long *boff) {
#pragma GCC unroll 8
	for (int r = 0; r < MR; r++)
#pragma GCC unroll 3
		for (int v = 0; v < nv; v++) acc[r][v] = VZERO();
	for (int p = 0; p < kc; p++) {
		V bv[3];
		const T *bp = boff ? b + boff[p] : b;
#pragma GCC unroll 3
		for (int v = 0; v < nv; v++) bv[v] = edge && v == nv - 1 ? VMLOAD(bm, bp + v * W) : VLOADU(bp + v * W);
#pragma GCC unroll 8
		for (int r = 0; r < MR; r++) {
			V ar = VSET1(a[off[r]]);
#pragma GCC unroll 3
			for (int v = 0; v < nv; v++) acc[r][v] = VFMA(ar, bv[v], acc[r][v]);
		}
		a += acs;
		if (!boff) b += ldb;
	}
}

// store_tile writes rows r < mr of the tile: C = alpha·acc + beta·C,
// skipping the multiply when alpha is 1 and the read of C when beta is 0 (C
// may then hold anything, NaN included). When edge is set, the last vector
// is read and written under the mask cm.
ALWAYS_INLINE void F(store_tile)(V acc[MR][3], int nv, int edge, VM cm, int mr, T *c, int ldc, T alpha,
                                 T beta) {
	V va = VSET1(alpha), vb = VSET1(beta);
#pragma GCC unroll 8
	for (int r = 0; r < MR; r++) {
		if (r >= mr) break;
#pragma GCC unroll 3
		for (int v = 0; v < nv; v++) {
			T *cp = c + (size_t)r * ldc + v * W;
			int masked = edge && v == nv - 1;
			V x = alpha == 1 ? acc[r][v] : VMUL(va, acc[r][v]);
			if (beta != 0) {
				V old = masked ? VMLOAD(cm, cp) : VLOADU(cp);
				x = beta == 1 ? VADD(x, old) : VFMA(vb, old, x);
			}
			if (masked) VMSTORE(cp, cm, x);
			else VSTOREU(cp, x);
		}
	}
}

// The packed path's micro-kernel, F(kernel): the build's own
// (DLNB_MICROKERNEL), or the one below.
#ifdef DLNB_MICROKERNEL
#include DLNB_MICROKERNEL
#else
// accumulate_packed is accumulate for the packed panels of the main path: A
// as MR×kc (column p at a + p·MR), B as kc×NR (row p at b + p·NR), all NR
// columns. The loop is unrolled four times: with both panels contiguous the
// loop's own counting is a fifth of its instructions; on the packed shapes
// of BenchmarkGemm (AVX2, 8 interleaved rounds) unrolling gained 12–23 % in
// float32 and −2 to +6 % in float64. accumulate itself stays rolled: the
// same unrolling there, where B and A are read in place, lost 2–40 %. Each
// accumulator still takes its FMAs in the order of p, so the sums are the
// same.
ALWAYS_INLINE void F(accumulate_packed)(V acc[MR][3], int kc, const T *a, const T *b) {
#pragma GCC unroll 8
	for (int r = 0; r < MR; r++)
#pragma GCC unroll 3
		for (int v = 0; v < 3; v++) acc[r][v] = VZERO();
#pragma GCC unroll 4
	for (int p = 0; p < kc; p++) {
		V b0 = VLOADU(b), b1 = VLOADU(b + W), b2 = VLOADU(b + 2 * W);
#pragma GCC unroll 8
		for (int r = 0; r < MR; r++) {
			V ar = VSET1(a[r]);
			acc[r][0] = VFMA(ar, b0, acc[r][0]);
			acc[r][1] = VFMA(ar, b1, acc[r][1]);
			acc[r][2] = VFMA(ar, b2, acc[r][2]);
		}
		a += MR;
		b += NR;
	}
}

// kernel multiplies a packed MR×kc panel of A by a packed kc×NR panel of B
// into the mr×nr tile of C: a full tile straight from the registers, an edge
// tile through a buffer (vector stores when it has all NR columns).
static unsigned F(kernel)(int kc, const T *a, const T *b, T *c, int ldc, T alpha, T beta, int mr, int nr) {
	V acc[MR][3];
	F(accumulate_packed)(acc, kc, a, b);
	if (mr == MR && nr == NR) {
		F(store_tile)(acc, 3, 0, VMNONE(), MR, c, ldc, alpha, beta);
		return BIT(TILE_FULL);
	}
	if (nr == NR) {
		F(store_tile)(acc, 3, 0, VMNONE(), mr, c, ldc, alpha, beta);
		return BIT(TILE_EDGE_ROWS);
	}
	T t[MR * NR] __attribute__((aligned(sizeof(V))));
#pragma GCC unroll 8
	for (int r = 0; r < MR; r++)
#pragma GCC unroll 3
		for (int v = 0; v < 3; v++) VSTORE(t + r * NR + v * W, acc[r][v]);
	for (int r = 0; r < mr; r++) {
		T *cr = c + (size_t)r * ldc;
		for (int j = 0; j < nr; j++) cr[j] = beta != 0 ? alpha * t[r * NR + j] + beta * cr[j] : alpha * t[r * NR + j];
	}
	return BIT(TILE_EDGE_COLS);
}
#endif

/* ------------- few rows (m ≤ FEWROWS_MAX, B not transposed): B read in place ------------- */

// kb_tile multiplies MR rows of A (A[r, p] at a[off[r] + p·acs]) by the
// kc×nv·W block of B at b, read in place, into C.
ALWAYS_INLINE void F(kb_tile)(int nv, int edge, VM m, int kc, const T *a, const long *off, long acs,
                              const T *b, int ldb, const long *boff, T *c, int ldc, T alpha, T beta, int mr) {
	V acc[MR][3];
	F(accumulate)(acc, nv, edge, m, kc, a, off, acs, b, ldb, boff);
	F(store_tile)(acc, nv, edge, m, mr, c, ldc, alpha, beta);
}

// kb_any computes the mr×nr tile of C (nr ≤ NR) from MR rows of A read at
// a[r·ars + p·acs] (in place: ars = lda, acs = 1; packed: ars = 1, acs = MR)
// and B in place (row p at b + p·ldb, or at b + boff[p] when boff is not
// NULL): one, two or three vectors wide, so that a narrow right edge (a 7×7
// or 8×8 feature map) does not pay for NR columns. Rows past mr repeat row 0
// and are not stored.
ALWAYS_INLINE unsigned F(kb_any)(int nr, int kc, const T *a, long ars, long acs, const T *b, int ldb,
                                 const long *boff, T *c, int ldc, T alpha, T beta, int mr) {
	int nv = (nr + W - 1) / W, rem = nr - (nv - 1) * W;
	long off[MR];
	for (int r = 0; r < MR; r++) off[r] = (r < mr ? r : 0) * ars;
	VM m = VMASK(rem);
	switch (nv * 2 + (rem < W)) {
	case 2: F(kb_tile)(1, 0, m, kc, a, off, acs, b, ldb, boff, c, ldc, alpha, beta, mr); break;
	case 3: F(kb_tile)(1, 1, m, kc, a, off, acs, b, ldb, boff, c, ldc, alpha, beta, mr); break;
	case 4: F(kb_tile)(2, 0, m, kc, a, off, acs, b, ldb, boff, c, ldc, alpha, beta, mr); break;
	case 5: F(kb_tile)(2, 1, m, kc, a, off, acs, b, ldb, boff, c, ldc, alpha, beta, mr); break;
	case 6: F(kb_tile)(3, 0, m, kc, a, off, acs, b, ldb, boff, c, ldc, alpha, beta, mr); break;
	default: F(kb_tile)(3, 1, m, kc, a, off, acs, b, ldb, boff, c, ldc, alpha, beta, mr); break;
	}
	return 1u << (DLNB_P_KB1 + nv - 1);
}

// kb is kb_any with B's rows ldb apart; kbi with row p of B at b + boff[p]
// and A in place.
static unsigned F(kb)(int nr, int kc, const T *a, long ars, long acs, const T *b, int ldb, T *c, int ldc, T alpha,
                      T beta, int mr) {
	return F(kb_any)(nr, kc, a, ars, acs, b, ldb, NULL, c, ldc, alpha, beta, mr);
}
static unsigned F(kbi)(int nr, int kc, const T *a, long lda, const T *b, const long *boff, T *c, int ldc, T alpha,
                       T beta, int mr) {
	return F(kb_any)(nr, kc, a, lda, 1, b, 0, boff, c, ldc, alpha, beta, mr);
}

// fewrows computes C = alpha·op(A)·B + beta·C for m ≤ FEWROWS_MAX reading B
// in place: each panel of B would serve only a few row panels, so packing it
// would cost more than it saves. A is read in place too unless transposed
// (then packed into pa). It also serves any m when n ≤ NARROW_MAX and A is
// not transposed (an MLP's 1000×784 · 784×40 evaluation): packing A would
// then cost more than its few column panels of B gain from it.
static unsigned F(fewrows)(int ta, int m, int n, int k, T alpha, const T *a, int lda, const T *b, int ldb, T beta,
                           T *c, int ldc, T *pa) {
	unsigned seen = ta ? BIT(FEWROWS_PACKED) : BIT(FEWROWS_INPLACE);
	for (int pc = 0; pc < k; pc += KC) {
		int kc = k - pc < KC ? k - pc : KC;
		T be = pc == 0 ? beta : 1;
		seen |= pc > 0 ? BIT(KBLOCK2) : 0;
		if (ta) F(pack_a)(ta, a, lda, 0, pc, m, kc, pa);
		for (int ic = 0; ic < m; ic += MC) { // MC rows of A at a time, kept in L2 (one block when m ≤ 64)
			int me = m - ic < MC ? m : ic + MC;
			for (int jr = 0; jr < n; jr += NR) {
				int nr = n - jr < NR ? n - jr : NR;
				const T *bp = b + (size_t)pc * ldb + jr;
				for (int ir = ic; ir < me; ir += MR) {
					int mr = me - ir < MR ? me - ir : MR;
					T *cp = c + (size_t)ir * ldc + jr;
					if (ta) seen |= F(kb)(nr, kc, pa + (size_t)ir * kc, 1, MR, bp, ldb, cp, ldc, alpha, be, mr);
					else seen |= F(kb)(nr, kc, a + (size_t)ir * lda + pc, lda, 1, bp, ldb, cp, ldc, alpha, be, mr);
				}
			}
		}
	}
	return seen;
}

/* ------------- B's rows anywhere: the convolution's implicit im2col ------------- */

// rows computes C = alpha·A·B + beta·C where row p of B (n values) starts at
// b + boff[p]: a stride-1 convolution reads the rows of its column matrix
// straight from the padded image this way (each row is the image shifted by
// one filter tap) instead of writing the matrix out. A is read in place.
// Each entry is summed in the same order as on the paths of gemm other than
// smalln (and smallk with alpha ≠ 1): by KC blocks of k, one FMA chain per
// block, so the result is bit for bit that of gemm on the written-out B.
static __attribute__((noinline)) unsigned F(rows)(int m, int n, int k, T alpha, const T *a, int lda, const T *b,
                                                   const long *boff, T beta, T *c, int ldc) {
	unsigned seen = BIT(ROWS);
	for (int pc = 0; pc < k; pc += KC) {
		int kc = k - pc < KC ? k - pc : KC;
		T be = pc == 0 ? beta : 1;
		seen |= pc > 0 ? BIT(KBLOCK2) : 0;
		for (int ic = 0; ic < m; ic += MC) { // MC rows of A at a time, kept in L2
			int me = m - ic < MC ? m : ic + MC;
			for (int jr = 0; jr < n; jr += NR) {
				int nr = n - jr < NR ? n - jr : NR;
				for (int ir = ic; ir < me; ir += MR) {
					int mr = me - ir < MR ? me - ir : MR;
					seen |= F(kbi)(nr, kc, a + (size_t)ir * lda + pc, lda, b + jr, boff + pc,
					               c + (size_t)ir * ldc + jr, ldc, alpha, be, mr);
				}
			}
		}
	}
	return seen;
}

/* ------------- A mostly zeros: only its nonzero columns ------------- */

// sparse_pays reports whether op(A) looks mostly zero (70 % or more), judged
// from its first stored rows (up to 8). MNIST images are about four fifths
// zeros: an MLP's first-layer input in the forward pass and, transposed, in
// its weight gradient. The choice changes only the speed, never a bit of C.
static int F(sparse_pays)(int ta, int m, int k, const T *a, int lda) {
	int rows = ta ? k : m, cols = ta ? m : k;
	if (rows > 8) rows = 8;
	long zeros = 0;
	for (int r = 0; r < rows; r++)
		for (int j = 0; j < cols; j++) zeros += a[(size_t)r * lda + j] == 0;
	return zeros * 10 >= (long)rows * cols * 7;
}

// finite reports whether rows×cols values (row stride ld) are all finite:
// x − x is 0 for a finite x, NaN otherwise.
static int F(finite)(const T *b, int rows, int cols, int ld) {
	for (int p = 0; p < rows; p++) {
		const T *x = b + (size_t)p * ld;
		int bad = 0;
		for (int j = 0; j < cols; j++) bad |= !(x[j] - x[j] == 0);
		if (bad) return 0;
	}
	return 1;
}

// sparse_takes reports whether a product takes the sparse path: B not
// transposed, alpha 1, beta 0 or 1 (the stores the dense paths make then),
// the path not turned off by the thread's dense_only test hook, op(A) mostly
// zero and B finite (0·∞ would be NaN). st may be NULL.
static int F(sparse_takes)(const struct dlnb_gemm_state *st, int ta, int tb, int m, int n, int k, T alpha,
                           const T *a, int lda, const T *b, int ldb, T beta) {
	return !tb && alpha == 1 && (beta == 0 || beta == 1) && !(st && st->dense_only) &&
	       F(sparse_pays)(ta, m, k, a, lda) && F(finite)(b, k, n, ldb);
}

// gather_col lists the nonzero terms of row i of op(A) = Aᵀ in [pc, pc+kc)
// (column i of the stored A): their values in av, the offsets of B's rows
// in boff; NaN counts as not zero. It returns how many.
static int F(gather_col)(const T *a, int lda, int i, int pc, int kc, int ldb, T *av, long *boff) {
	const T *x = a + (size_t)pc * lda + i;
	int q = 0;
	for (int t = 0; t < kc; t++) {
		T v = x[(size_t)t * lda];
		av[q] = v, boff[q] = (long)(pc + t) * ldb;
		q += v != 0; /* written always, kept when not zero: no branch */
	}
	return q;
}

// gather lists the columns p in [pc, pc+kc) where row i of op(A) is not
// zero (NaN counts as not zero): their values in av, the offsets of B's rows
// p in boff. It returns how many. When A is not
// transposed and row i+1 exists (i + 1 < m), it also asks the cache for that
// row's block, one prefetch per 64 bytes: listing a block takes so few
// instructions that, without it, the path waited on memory for the rows of
// A (10,000 MNIST images, 63 MB in float64) more than half of its time.
static int F(gather)(int ta, const T *a, int lda, int m, int i, int pc, int kc, int ldb, T *av, long *boff) {
	if (ta) return F(gather_col)(a, lda, i, pc, kc, ldb, av, boff);
	int q = 0;
	const T *x = a + (size_t)i * lda + pc;
	const T *next = i + 1 < m ? x + lda : x; // x again: already in the cache, a no-op
	int t = 0;
	for (; t + W <= kc; t += W) {
		if ((t * (int)sizeof(T)) % 64 == 0) _mm_prefetch((const char *)(next + t), _MM_HINT_T0);
		q += VNONZERO(x + t, (long)(pc + t) * ldb, ldb, av + q, boff + q);
	}
	for (; t < kc; t++) {
		av[q] = x[t], boff[q] = (long)(pc + t) * ldb;
		q += x[t] != 0;
	}
	return q;
}

// sparse_cols computes nv vectors of one row of C from the q terms that
// gather listed: acc = Σ_t av[t]·B[p_t, :] in the order of t, then C = acc,
// or C = acc + C when beta is 1, as store_tile does for alpha 1. With edge
// set, the last vector is read and written under the mask mk.
ALWAYS_INLINE void F(sparse_cols)(int nv, int edge, VM mk, int q, const T *av, const long *boff, const T *b,
                                  T *c, T beta) {
	V acc[SPARSE_NV];
#pragma GCC unroll 12
	for (int v = 0; v < nv; v++) acc[v] = VZERO();
	for (int t = 0; t < q; t++) {
		V x = VSET1(av[t]);
		const T *bp = b + boff[t];
#pragma GCC unroll 12
		for (int v = 0; v < nv; v++)
			acc[v] = VFMA(x, edge && v == nv - 1 ? VMLOAD(mk, bp + v * W) : VLOADU(bp + v * W), acc[v]);
	}
#pragma GCC unroll 12
	for (int v = 0; v < nv; v++) {
		T *cp = c + v * W;
		int masked = edge && v == nv - 1;
		V y = acc[v];
		if (beta != 0) y = VADD(y, masked ? VMLOAD(mk, cp) : VLOADU(cp));
		if (masked) VMSTORE(cp, mk, y);
		else VSTOREU(cp, y);
	}
}

// sparse_row computes row i of C (n values) from the q listed terms, in as
// few passes over the list as SPARSE_NV accumulators allow, the vectors
// shared out evenly among the passes (n = 100 in float64: 13 + 12 vectors,
// not 8 + 8 + 8 + 1). Each pass reloads the list from L1, and a pass of one
// or two vectors waits on its FMA chains' latency, so fewer and wider passes
// are faster; each column's sum is the same chain whichever pass computes it.
static void F(sparse_row)(int n, VM edge, int q, const T *av, const long *boff, const T *b, T *c, T beta) {
	int vectors = (n + W - 1) / W; // the last one masked when W does not divide n
	int passes = (vectors + SPARSE_NV - 1) / SPARSE_NV;
	VM none = VMNONE();
	for (int j = 0; passes > 0; passes--) {
		int nv = (vectors - j / W + passes - 1) / passes;
		int masked = passes == 1 && n % W != 0;
		VM mk = masked ? edge : none;
		switch (nv * 2 + masked) {
#define SPARSE_CASE(K)                                                                       \
	case 2 * K: F(sparse_cols)(K, 0, mk, q, av, boff, b + j, c + j, beta); break;      \
	case 2 * K + 1: F(sparse_cols)(K, 1, mk, q, av, boff, b + j, c + j, beta); break;
			SPARSE_CASE(1) SPARSE_CASE(2) SPARSE_CASE(3) SPARSE_CASE(4)
			SPARSE_CASE(5) SPARSE_CASE(6) SPARSE_CASE(7) SPARSE_CASE(8)
#if SPARSE_NV > 8
			SPARSE_CASE(9) SPARSE_CASE(10) SPARSE_CASE(11) SPARSE_CASE(12)
#endif
#undef SPARSE_CASE
		}
		j += nv * W;
	}
}

// sparse computes C = op(A)·B + beta·C (alpha 1, beta 0 or 1) for an op(A)
// whose entries are mostly zero, a row of C at a time. For each KC block of
// k it lists the columns p where the row of op(A) is not zero and sums only
// those terms, in the order of p, one FMA chain per block and entry, as
// every other path sums. A skipped term is 0·B[p, j] = ±0, and adding ±0
// to a chain that started at +0 never changes it (+0 + −0 is +0, so the
// chain is never −0): C is bit for bit what the dense paths give, as long
// as B is finite (the caller checks; 0·∞ would be NaN). Rows go in blocks
// of MC, so that their part of C stays in L2 while each KC block of B does.
static unsigned F(sparse)(int ta, int m, int n, int k, const T *a, int lda, const T *b, int ldb, T beta, T *c,
                          int ldc) {
	unsigned seen = BIT(SPARSE);
	T av[KC];
	long boff[KC];
	VM edge = VMASK(n % W);
	for (int ic = 0; ic < m; ic += MC) {
		int me = m - ic < MC ? m : ic + MC;
		for (int pc = 0; pc < k; pc += KC) {
			int kc = k - pc < KC ? k - pc : KC;
			T be = pc == 0 ? beta : 1;
			seen |= pc > 0 ? BIT(KBLOCK2) : 0;
			for (int i = ic; i < me; i++) {
				int q = F(gather)(ta, a, lda, m, i, pc, kc, ldb, av, boff);
				F(sparse_row)(n, edge, q, av, boff, b, c + (size_t)i * ldc, be);
			}
		}
	}
	return seen;
}

/* ------------- the product ------------- */

// gemm computes the product on the path that suits the shape and returns
// the paths it took; BIT(NOBUF) alone when a packing buffer it needs could
// not be allocated (nothing was written then). It and rows stay functions of
// their own (noinline), not folded into the entry points: the paths inlined
// into them then compile to the same code whatever calls them, down to the
// registers, which decide which NaN an operation on two NaNs keeps.
static __attribute__((noinline)) unsigned F(gemm)(int ta, int tb, int m, int n, int k, T alpha, const T *a, int lda, const T *b, int ldb,
                        T beta, T *c, int ldc) {
	if (!ta && !tb && k <= SMALLK_MAX) return F(smallk)(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	if (!ta && tb && n <= SMALLN_MAX && k >= SMALLN_MINK)
		return F(smalln)(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	struct dlnb_gemm_state *st = this_thread();
	if (F(sparse_takes)(st, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta))
		return F(sparse)(ta, m, n, k, a, lda, b, ldb, beta, c, ldc);
	if (!st) return BIT(NOBUF);
	if (!tb && m <= FEWROWS_MAX) { // A is packed only when transposed
		if (ta && !st->F(pa)) st->F(pa) = DLNB_BUILD_FN(aligned_alloc)(sizeof(T) * MC * KC);
		if (ta && !st->F(pa)) return BIT(NOBUF);
		return F(fewrows)(ta, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, st->F(pa));
	}
	if (!ta && !tb && n <= NARROW_MAX) return BIT(NARROW) | F(fewrows)(0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL);
	if (!st->F(pa)) st->F(pa) = DLNB_BUILD_FN(aligned_alloc)(sizeof(T) * MC * KC);
	if (!st->F(pb)) st->F(pb) = DLNB_BUILD_FN(aligned_alloc)(sizeof(T) * KC * NC);
	if (!st->F(pa) || !st->F(pb)) return BIT(NOBUF);
	unsigned seen = BIT(PACKED);
	for (int jc = 0; jc < n; jc += NC) {
		int nc = n - jc < NC ? n - jc : NC;
		seen |= jc > 0 ? BIT(NBLOCK2) : 0;
		for (int pc = 0; pc < k; pc += KC) {
			int kc = k - pc < KC ? k - pc : KC;
			T be = pc == 0 ? beta : 1;
			seen |= pc > 0 ? BIT(KBLOCK2) : 0;
			seen |= F(pack_b)(tb, b, ldb, pc, jc, kc, nc, st->F(pb));
			for (int ic = 0; ic < m; ic += MC) {
				int mc = m - ic < MC ? m - ic : MC;
				seen |= ic > 0 ? BIT(MBLOCK2) : 0;
				F(pack_a)(ta, a, lda, ic, pc, mc, kc, st->F(pa));
				for (int jr = 0; jr < nc; jr += NR) {
					int nr = nc - jr < NR ? nc - jr : NR;
					for (int ir = 0; ir < mc; ir += MR) {
						int mr = mc - ir < MR ? mc - ir : MR;
						seen |= F(kernel)(kc, st->F(pa) + (size_t)ir * kc, st->F(pb) + (size_t)jr * kc,
						                  c + (size_t)(ic + ir) * ldc + jc + jr, ldc, alpha, be, mr, nr);
					}
				}
			}
		}
	}
	return seen;
}
/* ------------- entry points ------------- */

// DLNB_FN(gemm) (dlnb_<build>_gemm_s, _d) returns 0, or −1 when a packing
// buffer could not be allocated and C was left untouched (the Go caller then
// uses gonum).
int DLNB_FN(gemm)(int ta, int tb, int m, int n, int k, T alpha, const T *a, int lda, const T *b, int ldb, T beta,
                  T *c, int ldc) {
	unsigned seen = F(gemm)(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	record(PREC, seen);
	return seen & BIT(NOBUF) ? -1 : 0;
}

// DLNB_FN(rows) computes C = alpha·A·B + beta·C with row p of B at b + boff[p].
void DLNB_FN(rows)(int m, int n, int k, T alpha, const T *a, int lda, const T *b, const long *boff, T beta, T *c,
                   int ldc) {
	record(PREC, F(rows)(m, n, k, alpha, a, lda, b, boff, beta, c, ldc));
}
#undef NR
