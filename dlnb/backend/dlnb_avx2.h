// Entry points of the AVX2 + FMA implementation (gemm_avx2.c and
// kernels_avx2.c). Go calls them through the table of dlnb_avx512.h
// (struct dlnb_impl), as it calls the AVX-512 ones; each function does what
// its AVX-512 namesake does.
#ifndef DLNB_AVX2_H
#define DLNB_AVX2_H
#include "dlnb_avx512.h"

// The implementation's table.
const struct dlnb_impl *dlnb_avx2_get_impl(void);

// Allocates 64-byte aligned memory (free with free), or returns NULL: on
// failure, or when the test hook fail_allocs says so.
void *dlnb_avx2_aligned_alloc(unsigned long bytes);
void dlnb_avx2_kernels_free_buffers(void);

int dlnb_avx2_supported(void);
int dlnb_avx2_sgemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda, const float *b,
                    int ldb, float beta, float *c, int ldc);
int dlnb_avx2_dgemm(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda, const double *b,
                    int ldb, double beta, double *c, int ldc);
void dlnb_avx2_srows(int m, int n, int k, float alpha, const float *a, int lda, const float *b, const long *boff,
                     float beta, float *c, int ldc);
void dlnb_avx2_drows(int m, int n, int k, double alpha, const double *a, int lda, const double *b, const long *boff,
                     double beta, double *c, int ldc);
void dlnb_avx2_adam_s(float *p, const float *g, float *m, float *v, long n, float lr, float b1, float b2, float eps);
void dlnb_avx2_adam_d(double *p, const double *g, double *m, double *v, long n, double lr, double b1, double b2,
                      double eps);
void dlnb_avx2_relu_fwd_s(float *out, const float *x, long n);
void dlnb_avx2_relu_fwd_d(double *out, const double *x, long n);
void dlnb_avx2_relu_bwd_s(float *dx, const float *dout, const float *out, long n);
void dlnb_avx2_relu_bwd_d(double *dx, const double *dout, const double *out, long n);
void dlnb_avx2_im2col_s(float *col, const float *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
void dlnb_avx2_im2col_d(double *col, const double *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
void dlnb_avx2_col2im_s(float *img, const float *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
void dlnb_avx2_col2im_d(double *img, const double *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow);
void dlnb_avx2_rowsum_add_s(float *dst, const float *src, long rows, long cols);
void dlnb_avx2_rowsum_add_d(double *dst, const double *src, long rows, long cols);
void dlnb_avx2_maxpool2_s(float *out, int *argmax, const float *x, long planes, int h, int w);
void dlnb_avx2_maxpool2_d(double *out, int *argmax, const double *x, long planes, int h, int w);
float dlnb_avx2_fma_peak_s(long iters);
double dlnb_avx2_fma_peak_d(long iters);

#endif
