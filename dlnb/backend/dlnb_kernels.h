// dlnb_kernels.h: what the Go code and every build of the C kernels share:
// the table through which Go calls a build (struct dlnb_impl), the GEMM's
// path counters and block sizes, the kernels in the table (DLNB_GEMMS,
// DLNB_ELEMENTWISE), each build's entry point, and the AVX2 kernels that
// every build shares (exp_avx2.c, pool_lrn_avx2.c, peak_avx2.c).
//
// Every exported symbol is named dlnb_<build>_<kernel>_<s|d> (float32 or
// float64), the build being avx2, avx512 or simde (the AVX-512 code on
// SIMDe's emulation, tests only, -tags dlnb_simde). Go reaches a build's
// kernels only through its table, dlnb_<build>_get_impl().
#ifndef DLNB_KERNELS_H
#define DLNB_KERNELS_H

// The code paths of the GEMM, counted per precision for the tests (see
// dlnb_gemm_hits in dlnb_thread.h): X(enum name, description).
#define DLNB_PATHS(X)                                                                      \
	X(SMALLK, "smallk: k ≤ 16, rank-1 updates, vector columns")                        \
	X(SMALLK_TAIL, "smallk: scalar right-edge columns")                                \
	X(SMALLN, "smalln: C = A·Bᵀ, n ≤ 32, 4×2 blocks of dot products")                  \
	X(SMALLN_DOT1, "smalln: single dot products (dot1) for the leftover entries")     \
	X(FEWROWS_INPLACE, "fewrows: m ≤ 64, A read in place")                             \
	X(FEWROWS_PACKED, "fewrows: m ≤ 64, Aᵀ packed")                                    \
	X(NARROW, "fewrows for m > 64: n ≤ 64, A and B in place, rows in MC blocks")      \
	X(ROWS, "rows: B's rows at given offsets (a convolution's implicit im2col)")      \
	X(KB1, "fewrows: one-vector tile")                                                 \
	X(KB2, "fewrows: two-vector tile")                                                 \
	X(KB3, "fewrows: three-vector tile")                                               \
	X(PACKED, "packed path (BLIS-style)")                                              \
	X(TILE_FULL, "packed: full tile written from registers")                           \
	X(TILE_EDGE_ROWS, "packed: edge tile with all columns (vector output)")            \
	X(TILE_EDGE_COLS, "packed: edge tile with fewer columns (scalar output)")          \
	X(PACK_BT_VEC, "packed: Bᵀ packed with register transposes")                       \
	X(PACK_BT_SCALAR, "packed: Bᵀ columns or rows packed one by one")                  \
	X(KBLOCK2, "a second KC block of k (accumulating with beta = 1)")                  \
	X(MBLOCK2, "packed: a second MC block of rows")                                    \
	X(NBLOCK2, "packed: a second NC block of columns")                                 \
	X(SPARSE, "sparse: op(A) mostly zeros, only its nonzero columns summed")         \
	X(NOBUF, "no packing buffer: returned -1 (the caller falls back)")

#define DLNB_ENUM(name, desc) DLNB_P_##name,
enum { DLNB_PATHS(DLNB_ENUM) DLNB_NPATHS };
#undef DLNB_ENUM

// The block sizes and thresholds that decide a GEMM's paths, tiles and
// masks: the tests put the dimensions of their cases around each of them.
struct dlnb_blocks {
	int kc, mc, nc;                          // the k, m and n blocks of the packed path
	int mr, nr_s, nr_d;                      // tile rows; tile columns in float32 and float64
	int w_s, w_d;                            // lanes per vector in float32 and float64
	int fewrows, smallk, smalln, smalln_mink; // m ≤ fewrows; k ≤ smallk; n ≤ smalln with k ≥ smalln_mink
	int narrow;                              // n ≤ narrow, A and B not transposed: fewrows for any m
};

// The kernels of a build's table, X(name, return type, parameters, suffix)
// for one precision: X is expanded with TY float and SFX _s, and with TY
// double and SFX _d. The GEMMs are defined by gemm_body.h:
//
//   gemm  C = alpha·op(A)·op(B) + beta·C, row-major; 0 on success, -1 (C
//         untouched) when a packing buffer could not be allocated.
//   rows  C = alpha·A·B + beta·C where row p of B (n values) starts at
//         b + boff[p]: rows anywhere, such as the shifted copies of a padded
//         image that a stride-1 convolution's column matrix is made of. A
//         (m×k) is read in place, row-major. Summed as the gemm paths other
//         than smalln sum.
#define DLNB_GEMMS(X, TY, SFX)                                                                          \
	X(gemm, int, (int ta, int tb, int m, int n, int k, TY alpha, const TY *a, int lda, const TY *b, int ldb, \
	              TY beta, TY *c, int ldc), SFX)                                                      \
	X(rows, void, (int m, int n, int k, TY alpha, const TY *a, int lda, const TY *b, const long *boff,     \
	               TY beta, TY *c, int ldc), SFX)

// The element-wise kernels, defined by kernels_body.h, each bit for bit its
// Go loop (the reference of the tests, package dlnb/internal/loops; im2col
// and col2im are package layers' Im2ColImage and Col2ImImage).
#define DLNB_ELEMENTWISE(X, TY, SFX)                                                                     \
	X(adam, void, (TY *p, const TY *g, TY *m, TY *v, long n, TY lr, TY b1, TY b2, TY eps), SFX)            \
	X(relu_fwd, void, (TY *out, const TY *x, long n), SFX)                                                 \
	X(relu_bwd, void, (TY *dx, const TY *dout, const TY *out, long n), SFX)                                \
	X(im2col, void, (TY *col, const TY *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow), SFX) \
	X(col2im, void, (TY *img, const TY *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow), SFX) \
	X(rowsum_add, void, (TY *dst, const TY *src, long rows, long cols), SFX)                               \
	X(maxpool2, void, (TY *out, int *argmax, const TY *x, long planes, int h, int w), SFX)

// The table of one build. Its kernels are named as in the lists above, with
// the precision's suffix: gemm_s, gemm_d, adam_s, ...
struct dlnb_impl {
	const char *name;
	int (*supported)(void);
	struct dlnb_blocks blocks;
#define DLNB_FIELD(name, ret, params, sfx) ret(*name##sfx) params;
	DLNB_GEMMS(DLNB_FIELD, float, _s)
	DLNB_GEMMS(DLNB_FIELD, double, _d)
	DLNB_ELEMENTWISE(DLNB_FIELD, float, _s)
	DLNB_ELEMENTWISE(DLNB_FIELD, double, _d)
#undef DLNB_FIELD
	// Test hooks, all per OS thread: the path counters ([0, DLNB_NPATHS) for
	// float32, then float64), copied to out and optionally reset; a mask of
	// upcoming buffer allocations to fail (bit i: the i-th from now); and
	// freeing this thread's cached buffers so that the next call allocates;
	// turning the sparse path off (on ≠ 0), so that the tests can compare it
	// with the dense paths bit for bit.
	void (*hits)(unsigned long long *out, int reset);
	unsigned (*fail_allocs)(unsigned mask); // returns the mask it replaces
	void (*free_buffers)(void);
	void (*dense_only)(int on);
};

// Each build's table (gemm_build.h): native AVX-512 (gemm_avx512.c), AVX2 +
// FMA (gemm_avx2.c), and the AVX-512 code on SIMDe (gemm_simde.c, only with
// -tags dlnb_simde).
const struct dlnb_impl *dlnb_avx512_get_impl(void);
const struct dlnb_impl *dlnb_avx2_get_impl(void);
const struct dlnb_impl *dlnb_simde_get_impl(void);

// The AVX2 kernels that every build calls directly (AVX2 and FMA, which
// every CPU with AVX-512F also has), each bit for bit its Go counterpart.
// exp_avx2.c: math.Exp, 1/(1 + math.Exp(−x)), math.Tanh.
void dlnb_avx2_exp_d(double *out, const double *x, long n);
void dlnb_avx2_sigmoid_s(float *out, const float *x, long n);
void dlnb_avx2_sigmoid_d(double *out, const double *x, long n);
void dlnb_avx2_tanh_s(float *out, const float *x, long n);
void dlnb_avx2_tanh_d(double *out, const double *x, long n);
// pool_lrn_avx2.c: pooling over any window without padding, and LRN.
void dlnb_avx2_maxpool_s(float *out, int *argmax, const float *x, long planes, int h, int w, int ph, int pw, int s,
                         int oh, int ow);
void dlnb_avx2_maxpool_d(double *out, int *argmax, const double *x, long planes, int h, int w, int ph, int pw, int s,
                         int oh, int ow);
void dlnb_avx2_avgpool_s(float *out, const float *x, long planes, int h, int w, int ph, int pw, int s, int oh, int ow,
                         float inv);
void dlnb_avx2_avgpool_d(double *out, const double *x, long planes, int h, int w, int ph, int pw, int s, int oh,
                         int ow, double inv);
void dlnb_avx2_window_sum_d(double *dst, const double *src, double *run, int c, long p, int half);
void dlnb_avx2_lrn_scale_s(float *out, double *s, double *pw, const float *x, long n, double k, double alpha);
void dlnb_avx2_lrn_scale_d(double *out, double *s, double *pw, const double *x, long n, double k, double alpha);
// peak_avx2.c: the machine's FMA ceiling, for the benchmarks.
float dlnb_avx2_fma_peak_s(long iters);
double dlnb_avx2_fma_peak_d(long iters);

#endif
