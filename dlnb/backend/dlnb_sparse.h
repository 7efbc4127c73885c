// The scalar parts of the GEMM's sparse path (sparse in gemm_avx2_body.h and
// gemm_avx512.c), shared by both implementations: DLNB_SPARSE_SCALAR(PRE,
// TYPE) defines, for one precision,
//
//   PRE##_sparse_takes whether a product takes the sparse path: B not
//                      transposed, alpha 1, beta 0 or 1 (the stores the dense
//                      paths make then), the path not turned off by the
//                      thread's dense_only test hook, op(A) mostly zero and B
//                      finite (0·∞ would be NaN). st may be NULL.
//   PRE##_sparse_pays  whether op(A) looks mostly zero (70 % or more), judged
//                      from its first stored rows (up to 8). MNIST images are
//                      about four fifths zeros: an MLP's first-layer input in
//                      the forward pass and, transposed, in its weight
//                      gradient. The choice changes only the speed, never a
//                      bit of C.
//   PRE##_finite       whether rows×cols values (row stride ld) are all
//                      finite: x − x is 0 for a finite x, NaN otherwise.
//   PRE##_gather_col   the list of nonzero terms of row i of op(A) = Aᵀ in
//                      [pc, pc+kc) (column i of the stored A): their values
//                      in av, the offsets of B's rows in boff; NaN counts as
//                      not zero. It returns how many. (The rows of A itself
//                      are listed with vector compares in each file.)
#ifndef DLNB_SPARSE_H
#define DLNB_SPARSE_H
// Needs struct dlnb_gemm_state (dlnb_thread.h) included first.

#define DLNB_SPARSE_SCALAR(PRE, TYPE)                                                                    \
	static int PRE##_sparse_pays(int ta, int m, int k, const TYPE *a, int lda) {                     \
		int rows = ta ? k : m, cols = ta ? m : k;                                                \
		if (rows > 8) rows = 8;                                                                  \
		long zeros = 0;                                                                          \
		for (int r = 0; r < rows; r++)                                                           \
			for (int j = 0; j < cols; j++) zeros += a[(size_t)r * lda + j] == 0;             \
		return zeros * 10 >= (long)rows * cols * 7;                                              \
	}                                                                                                \
	static int PRE##_finite(const TYPE *b, int rows, int cols, int ld) {                             \
		for (int p = 0; p < rows; p++) {                                                         \
			const TYPE *x = b + (size_t)p * ld;                                              \
			int bad = 0;                                                                     \
			for (int j = 0; j < cols; j++) bad |= !(x[j] - x[j] == 0);                       \
			if (bad) return 0;                                                               \
		}                                                                                        \
		return 1;                                                                                \
	}                                                                                                \
	static int PRE##_gather_col(const TYPE *a, int lda, int i, int pc, int kc, int ldb, TYPE *av,     \
	                            long *boff) {                                                        \
		const TYPE *x = a + (size_t)pc * lda + i;                                                \
		int q = 0;                                                                               \
		for (int t = 0; t < kc; t++) {                                                           \
			TYPE v = x[(size_t)t * lda];                                                     \
			av[q] = v, boff[q] = (long)(pc + t) * ldb;                                       \
			q += v != 0; /* written always, kept when not zero: no branch */                  \
		}                                                                                        \
		return q;                                                                                \
	}                                                                                                \
	static int PRE##_sparse_takes(const struct dlnb_gemm_state *st, int ta, int tb, int m, int n, int k,  \
	                              TYPE alpha, const TYPE *a, int lda, const TYPE *b, int ldb, TYPE beta) { \
		return !tb && alpha == 1 && (beta == 0 || beta == 1) && !(st && st->dense_only) &&        \
		       PRE##_sparse_pays(ta, m, k, a, lda) && PRE##_finite(b, k, n, ldb);                 \
	}

#endif
