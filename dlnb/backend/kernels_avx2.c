// Vectorised element-wise kernels for dlnb's layers and optimizers with
// AVX2: the AVX2 implementation's versions of kernels_avx512.c, same
// operations in the same order with 256-bit vectors (8 floats, 4 doubles).
// The Go code in package layers and optim is the reference they are tested
// against. Every operation is written with separate multiply and add steps
// and contraction into fused multiply-adds is turned off below, so results
// round exactly like the scalar Go code.
#if defined(__x86_64__)
#pragma GCC optimize("fp-contract=off")
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dlnb_avx2.h"
#include "dlnb_thread.h"

#pragma GCC push_options
#pragma GCC target("avx2")

/* ---------------- Adam: m += b1·(g − m); v += b2·(g² − v); p −= lr·m/(√v + eps) ---------------- */
void dlnb_avx2_adam_s(float *p, const float *g, float *m, float *v, long n, float lr, float b1, float b2, float eps) {
	__m256 vlr = _mm256_set1_ps(lr), vb1 = _mm256_set1_ps(b1), vb2 = _mm256_set1_ps(b2), ve = _mm256_set1_ps(eps);
	long i = 0;
	for (; i + 8 <= n; i += 8) {
		__m256 gi = _mm256_loadu_ps(g + i), mi = _mm256_loadu_ps(m + i), vi = _mm256_loadu_ps(v + i);
		mi = _mm256_add_ps(mi, _mm256_mul_ps(vb1, _mm256_sub_ps(gi, mi)));
		vi = _mm256_add_ps(vi, _mm256_mul_ps(vb2, _mm256_sub_ps(_mm256_mul_ps(gi, gi), vi)));
		__m256 step = _mm256_div_ps(_mm256_mul_ps(vlr, mi), _mm256_add_ps(_mm256_sqrt_ps(vi), ve));
		_mm256_storeu_ps(m + i, mi);
		_mm256_storeu_ps(v + i, vi);
		_mm256_storeu_ps(p + i, _mm256_sub_ps(_mm256_loadu_ps(p + i), step));
	}
	for (; i < n; i++) {
		m[i] += b1 * (g[i] - m[i]);
		v[i] += b2 * (g[i] * g[i] - v[i]);
		p[i] -= (lr * m[i]) / (sqrtf(v[i]) + eps);
	}
}

void dlnb_avx2_adam_d(double *p, const double *g, double *m, double *v, long n, double lr, double b1, double b2,
                      double eps) {
	__m256d vlr = _mm256_set1_pd(lr), vb1 = _mm256_set1_pd(b1), vb2 = _mm256_set1_pd(b2), ve = _mm256_set1_pd(eps);
	long i = 0;
	for (; i + 4 <= n; i += 4) {
		__m256d gi = _mm256_loadu_pd(g + i), mi = _mm256_loadu_pd(m + i), vi = _mm256_loadu_pd(v + i);
		mi = _mm256_add_pd(mi, _mm256_mul_pd(vb1, _mm256_sub_pd(gi, mi)));
		vi = _mm256_add_pd(vi, _mm256_mul_pd(vb2, _mm256_sub_pd(_mm256_mul_pd(gi, gi), vi)));
		__m256d step = _mm256_div_pd(_mm256_mul_pd(vlr, mi), _mm256_add_pd(_mm256_sqrt_pd(vi), ve));
		_mm256_storeu_pd(m + i, mi);
		_mm256_storeu_pd(v + i, vi);
		_mm256_storeu_pd(p + i, _mm256_sub_pd(_mm256_loadu_pd(p + i), step));
	}
	for (; i < n; i++) {
		m[i] += b1 * (g[i] - m[i]);
		v[i] += b2 * (g[i] * g[i] - v[i]);
		p[i] -= (lr * m[i]) / (sqrt(v[i]) + eps);
	}
}

/* ---------------- ReLU ---------------- */
// out = max(0, x); a NaN input stays NaN (MAXPS returns its second operand).
void dlnb_avx2_relu_fwd_s(float *out, const float *x, long n) {
	__m256 z = _mm256_setzero_ps();
	long i = 0;
	for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, _mm256_max_ps(z, _mm256_loadu_ps(x + i)));
	for (; i < n; i++) out[i] = x[i] > 0 || x[i] != x[i] ? x[i] : 0;
}
void dlnb_avx2_relu_fwd_d(double *out, const double *x, long n) {
	__m256d z = _mm256_setzero_pd();
	long i = 0;
	for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, _mm256_max_pd(z, _mm256_loadu_pd(x + i)));
	for (; i < n; i++) out[i] = x[i] > 0 || x[i] != x[i] ? x[i] : 0;
}

// dx = dout where out > 0, else +0: the comparison's all-ones lanes select
// dout by a bitwise and.
void dlnb_avx2_relu_bwd_s(float *dx, const float *dout, const float *out, long n) {
	__m256 z = _mm256_setzero_ps();
	long i = 0;
	for (; i + 8 <= n; i += 8) {
		__m256 pos = _mm256_cmp_ps(_mm256_loadu_ps(out + i), z, _CMP_GT_OQ);
		_mm256_storeu_ps(dx + i, _mm256_and_ps(pos, _mm256_loadu_ps(dout + i)));
	}
	for (; i < n; i++) dx[i] = out[i] > 0 ? dout[i] : 0;
}
void dlnb_avx2_relu_bwd_d(double *dx, const double *dout, const double *out, long n) {
	__m256d z = _mm256_setzero_pd();
	long i = 0;
	for (; i + 4 <= n; i += 4) {
		__m256d pos = _mm256_cmp_pd(_mm256_loadu_pd(out + i), z, _CMP_GT_OQ);
		_mm256_storeu_pd(dx + i, _mm256_and_pd(pos, _mm256_loadu_pd(dout + i)));
	}
	for (; i < n; i++) dx[i] = out[i] > 0 ? dout[i] : 0;
}

/* ---------------- im2col / col2im for one image, stride 1 ---------------- */
// col has C·fh·fw rows of oh·ow values (see layers.Im2ColImage). Each channel
// is first copied into a zero-padded plane (h+2·pad)×(w+2·pad); then line oy
// of row (ch, ky, kx) is the ow values of padded line oy+ky from column kx: a
// plain copy, done W values at a time with whole vectors. The last vector of
// a line may run past it into the next line, which is written after it
// (writes only move forward), and past the padded plane into its slack of W
// values; a line whose last vector would run past the end of col ends with
// scalar copies instead. The padded planes live in a per-thread buffer
// (P##_buf of struct dlnb_planes, dlnb_thread.h), grown as needed; without
// memory for it, a plain loop.
DLNB_THREAD_STATE(struct dlnb_planes, this_thread, dlnb_release_planes)

#define IM2COL(NAME, P, TYPE, W, LOADU, STOREU)                                                              \
	static void NAME##_plain(TYPE *col, const TYPE *img, int c, int h, int w, int fh, int fw, int pad, int oh, \
	                         int ow) {                                                                    \
		long q = (long)oh * ow, r = 0;                                                                \
		for (int ch = 0; ch < c; ch++)                                                                \
			for (int ky = 0; ky < fh; ky++)                                                       \
				for (int kx = 0; kx < fw; kx++, r++)                                          \
					for (int oy = 0; oy < oh; oy++)                                       \
						for (int ox = 0; ox < ow; ox++) {                             \
							int iy = oy - pad + ky, ix = ox - pad + kx;           \
							col[r * q + (long)oy * ow + ox] =                     \
							    iy >= 0 && iy < h && ix >= 0 && ix < w             \
							        ? img[((long)ch * h + iy) * w + ix] : 0;       \
						}                                                             \
	}                                                                                                     \
	void NAME(TYPE *col, const TYPE *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow) {  \
		int hp = h + 2 * pad, wp = w + 2 * pad;                                                       \
		long need = (long)hp * wp + W;                                                                \
		struct dlnb_planes *st = this_thread();                                                            \
		if (st && need > st->P##_cap) {                                                               \
			free(st->P##_buf);                                                                    \
			st->P##_buf = dlnb_avx2_aligned_alloc(sizeof(TYPE) * need);                           \
			st->P##_cap = st->P##_buf ? need : 0;                                                 \
		}                                                                                             \
		TYPE *buf = st ? st->P##_buf : NULL;                                                          \
		if (!buf) {                                                                                   \
			NAME##_plain(col, img, c, h, w, fh, fw, pad, oh, ow);                                 \
			return;                                                                               \
		}                                                                                             \
		memset(buf, 0, sizeof(TYPE) * need);                                                          \
		long p = (long)oh * ow;                                                                       \
		const TYPE *end = col + (long)c * fh * fw * p;                                               \
		int whole = (ow + W - 1) / W * W; /* values a line writes with whole vectors */              \
		long r = 0;                                                                                   \
		for (int ch = 0; ch < c; ch++) {                                                              \
			const TYPE *plane = img + (long)ch * h * w;                                           \
			for (int y = 0; y < h; y++)                                                           \
				memcpy(buf + (long)(y + pad) * wp + pad, plane + (long)y * w, sizeof(TYPE) * w); \
			for (int ky = 0; ky < fh; ky++)                                                       \
				for (int kx = 0; kx < fw; kx++, r++) {                                        \
					TYPE *dst = col + r * p;                                              \
					const TYPE *src = buf + (long)ky * wp + kx;                           \
					for (int oy = 0; oy < oh; oy++, dst += ow, src += wp) {               \
						if (dst + whole <= end) {                                     \
							for (int x = 0; x < ow; x += W) STOREU(dst + x, LOADU(src + x)); \
							continue;                                             \
						}                                                             \
						int x = 0;                                                    \
						for (; x + W <= ow; x += W) STOREU(dst + x, LOADU(src + x));  \
						for (; x < ow; x++) dst[x] = src[x];                          \
					}                                                                     \
				}                                                                             \
		}                                                                                             \
	}
IM2COL(dlnb_avx2_im2col_s, s, float, 8, _mm256_loadu_ps, _mm256_storeu_ps)
IM2COL(dlnb_avx2_im2col_d, d, double, 4, _mm256_loadu_pd, _mm256_storeu_pd)

// col2im (img (C, H, W) = the sum of every column entry at the pixel it was
// read from) and 2×2 max pooling: the loops of kernels_scalar.h.
#include "kernels_scalar.h"
COL2IM(dlnb_avx2_col2im_s, float, )
COL2IM(dlnb_avx2_col2im_d, double, )
MAXPOOL(dlnb_avx2_maxpool2_s, float, )
MAXPOOL(dlnb_avx2_maxpool2_d, double, )

/* ---------------- row sums: dst[r] += Σ_j src[r·cols + j] ---------------- */
// Two accumulators (even and odd vectors) halve the chain of dependent adds.
void dlnb_avx2_rowsum_add_s(float *dst, const float *src, long rows, long cols) {
	for (long r = 0; r < rows; r++) {
		const float *x = src + r * cols;
		__m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
		long j = 0;
		for (; j + 16 <= cols; j += 16) {
			s0 = _mm256_add_ps(s0, _mm256_loadu_ps(x + j));
			s1 = _mm256_add_ps(s1, _mm256_loadu_ps(x + j + 8));
		}
		if (j + 8 <= cols) s0 = _mm256_add_ps(s0, _mm256_loadu_ps(x + j)), j += 8;
		__m256 s = _mm256_add_ps(s0, s1);
		__m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
		h = _mm_add_ps(h, _mm_movehl_ps(h, h));
		float t = _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
		for (; j < cols; j++) t += x[j];
		dst[r] += t;
	}
}
void dlnb_avx2_rowsum_add_d(double *dst, const double *src, long rows, long cols) {
	for (long r = 0; r < rows; r++) {
		const double *x = src + r * cols;
		__m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
		long j = 0;
		for (; j + 8 <= cols; j += 8) {
			s0 = _mm256_add_pd(s0, _mm256_loadu_pd(x + j));
			s1 = _mm256_add_pd(s1, _mm256_loadu_pd(x + j + 4));
		}
		if (j + 4 <= cols) s0 = _mm256_add_pd(s0, _mm256_loadu_pd(x + j)), j += 4;
		__m256d s = _mm256_add_pd(s0, s1);
		__m128d h = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
		double t = _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
		for (; j < cols; j++) t += x[j];
		dst[r] += t;
	}
}

#pragma GCC pop_options

// Test hook: frees this thread's im2col buffers, so that the next call
// allocates (see fail_allocs in gemm_avx2.c).
void dlnb_avx2_kernels_free_buffers(void) {
	struct dlnb_planes *st = this_thread();
	if (st) dlnb_release_planes(st);
}
#endif
