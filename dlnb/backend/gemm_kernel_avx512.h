// gemm_kernel_avx512.h: the AVX-512 build's micro-kernel for the packed
// path of gemm_body.h, which includes it once per precision in place of its
// own (DLNB_MICROKERNEL in simd_avx512.h): an MR = 8 row by three-vector
// tile of C kept in 24 named registers while one packed MR×kc panel of A
// meets one packed kc×NR panel of B. It returns the tile's path bit.
_Static_assert(MR == 8, "the AVX-512 micro-kernel holds 8 rows");

#define ROW(r) V c##r##0 = VZERO(), c##r##1 = VZERO(), c##r##2 = VZERO();
#define FMA3(r)                                                                                 \
	{                                                                                       \
		V ar = VSET1(a[r]);                                                             \
		c##r##0 = VFMA(ar, b0, c##r##0), c##r##1 = VFMA(ar, b1, c##r##1), c##r##2 = VFMA(ar, b2, c##r##2); \
	}
#define TOBUF(r) VSTORE(t + r * NR, c##r##0), VSTORE(t + r * NR + W, c##r##1), VSTORE(t + r * NR + 2 * W, c##r##2);
// OUT writes row r of a full tile: C = alpha·acc + beta·C, skipping the
// multiply when alpha is 1 and the read of C when beta is 0.
#define OUT1(r, h, acc)                                                                                \
	{                                                                                              \
		T *cp = c + (size_t)(r) * ldc + (h);                                                   \
		V v = alpha == 1 ? acc : VMUL(va, acc);                                                \
		if (beta != 0) v = beta == 1 ? VADD(v, VLOADU(cp)) : VFMA(vb, VLOADU(cp), v);          \
		VSTOREU(cp, v);                                                                        \
	}
#define OUT(r) OUT1(r, 0, c##r##0) OUT1(r, W, c##r##1) OUT1(r, 2 * W, c##r##2)

static unsigned F(kernel)(int kc, const T *a, const T *b, T *c, int ldc, T alpha, T beta, int mr, int nr) {
	ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
	for (int p = 0; p < kc; p++) {
		V b0 = VLOAD(b), b1 = VLOAD(b + W), b2 = VLOAD(b + 2 * W);
		FMA3(0) FMA3(1) FMA3(2) FMA3(3) FMA3(4) FMA3(5) FMA3(6) FMA3(7)
		a += MR;
		b += NR;
	}
	if (mr == MR && nr == NR) { // full tile: straight from the registers
		V va = VSET1(alpha), vb = VSET1(beta);
		OUT(0) OUT(1) OUT(2) OUT(3) OUT(4) OUT(5) OUT(6) OUT(7)
		return BIT(TILE_FULL);
	}
	T t[MR * NR] __attribute__((aligned(64)));
	TOBUF(0) TOBUF(1) TOBUF(2) TOBUF(3) TOBUF(4) TOBUF(5) TOBUF(6) TOBUF(7)
	V va = VSET1(alpha), vb = VSET1(beta);
	for (int r = 0; r < mr; r++) {
		T *cr = c + (size_t)r * ldc;
		const T *tr = t + r * NR;
		if (nr == NR) {
			for (int h = 0; h < NR; h += W) {
				V v = VMUL(va, VLOAD(tr + h));
				if (beta != 0) v = VFMA(vb, VLOADU(cr + h), v);
				VSTOREU(cr + h, v);
			}
		} else {
			for (int j = 0; j < nr; j++) cr[j] = beta != 0 ? alpha * tr[j] + beta * cr[j] : alpha * tr[j];
		}
	}
	return nr == NR ? BIT(TILE_EDGE_ROWS) : BIT(TILE_EDGE_COLS);
}

#undef ROW
#undef FMA3
#undef TOBUF
#undef OUT1
#undef OUT
