// Entry points of gemm_avx512.c and kernels_avx512.c, and the table through
// which the Go code calls one build of them. The AVX2 implementation
// (gemm_avx2.c, kernels_avx2.c; dlnb_avx2.h) fills in the same table.
//
// The same C sources are compiled twice: natively, with the AVX-512 functions
// marked by target attributes (every build), and, in tests built with
// -tags dlnb_simde, on SIMDe's emulation of AVX-512 with AVX2 under other
// symbol names (gemm_avx512_simde.c, kernels_avx512_simde.c). Each build has
// its own struct dlnb_impl (dlnb_get_impl), so the Go wrappers and the tests
// run either one through the same code.
#ifndef DLNB_AVX512_H
#define DLNB_AVX512_H

// The code paths of the GEMM, counted per precision for the tests (see
// dlnb_gemm_hits in gemm_avx512.c): X(enum name, description).
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

struct dlnb_impl {
	const char *name;
	int (*supported)(void);
	struct dlnb_blocks blocks;
	// C = alpha·op(A)·op(B) + beta·C, row-major; 0 on success, -1 (C untouched)
	// when a packing buffer could not be allocated.
	int (*sgemm)(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
	             const float *b, int ldb, float beta, float *c, int ldc);
	int (*dgemm)(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
	             const double *b, int ldb, double beta, double *c, int ldc);
	// C = alpha·A·B + beta·C where row p of B (n values) starts at
	// b + boff[p]: rows anywhere, such as the shifted copies of a padded image
	// that a stride-1 convolution's column matrix is made of. A (m×k) is read
	// in place, row-major. Summed as the gemm paths other than smalln sum.
	void (*srows)(int m, int n, int k, float alpha, const float *a, int lda, const float *b, const long *boff,
	              float beta, float *c, int ldc);
	void (*drows)(int m, int n, int k, double alpha, const double *a, int lda, const double *b, const long *boff,
	              double beta, double *c, int ldc);
	void (*adam_s)(float *p, const float *g, float *m, float *v, long n, float lr, float b1, float b2, float eps);
	void (*adam_d)(double *p, const double *g, double *m, double *v, long n, double lr, double b1, double b2, double eps);
	void (*relu_fwd_s)(float *out, const float *x, long n);
	void (*relu_fwd_d)(double *out, const double *x, long n);
	void (*relu_bwd_s)(float *dx, const float *dout, const float *out, long n);
	void (*relu_bwd_d)(double *dx, const double *dout, const double *out, long n);
	void (*im2col_s)(float *col, const float *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
	void (*im2col_d)(double *col, const double *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
	void (*col2im_s)(float *img, const float *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
	void (*col2im_d)(double *img, const double *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
	void (*rowsum_add_s)(float *dst, const float *src, long rows, long cols);
	void (*rowsum_add_d)(double *dst, const double *src, long rows, long cols);
	void (*maxpool2_s)(float *out, int *argmax, const float *x, long planes, int h, int w);
	void (*maxpool2_d)(double *out, int *argmax, const double *x, long planes, int h, int w);
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

// The native build's table; the SIMDe build renames it dlnb_emu_get_impl.
const struct dlnb_impl *dlnb_get_impl(void);

// Allocates 64-byte aligned memory (free with free), or returns NULL: on
// failure, or when the test hook fail_allocs says so.
void *dlnb_aligned_alloc(unsigned long bytes);
void dlnb_kernels_free_buffers(void);

int dlnb_avx512_supported(void);
int dlnb_sgemm_avx512(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, float beta, float *c, int ldc);
int dlnb_dgemm_avx512(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                      const double *b, int ldb, double beta, double *c, int ldc);
void dlnb_srows_avx512(int m, int n, int k, float alpha, const float *a, int lda, const float *b, const long *boff,
                       float beta, float *c, int ldc);
void dlnb_drows_avx512(int m, int n, int k, double alpha, const double *a, int lda, const double *b,
                       const long *boff, double beta, double *c, int ldc);
void dlnb_adam_s(float *p, const float *g, float *m, float *v, long n, float lr, float b1, float b2, float eps);
void dlnb_adam_d(double *p, const double *g, double *m, double *v, long n, double lr, double b1, double b2, double eps);
void dlnb_relu_fwd_s(float *out, const float *x, long n);
void dlnb_relu_fwd_d(double *out, const double *x, long n);
void dlnb_relu_bwd_s(float *dx, const float *dout, const float *out, long n);
void dlnb_relu_bwd_d(double *dx, const double *dout, const double *out, long n);
void dlnb_im2col_s(float *col, const float *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
void dlnb_im2col_d(double *col, const double *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
void dlnb_col2im_s(float *img, const float *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
void dlnb_col2im_d(double *img, const double *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
void dlnb_rowsum_add_s(float *dst, const float *src, long rows, long cols);
void dlnb_rowsum_add_d(double *dst, const double *src, long rows, long cols);
void dlnb_maxpool2_s(float *out, int *argmax, const float *x, long planes, int h, int w);
void dlnb_maxpool2_d(double *out, int *argmax, const double *x, long planes, int h, int w);

#endif
