// Vectorised element-wise kernels for dlnb's layers and optimizers (AVX-512),
// used when the CPU supports it; the Go code in package layers and optim is
// the reference they are tested against. Every operation is written with
// separate multiply and add steps and contraction into fused multiply-adds
// is turned off below, so results round exactly like the scalar Go code.
// Tests also compile this file on SIMDe's emulation of AVX-512
// (kernels_avx512_simde.c, -tags dlnb_simde), which defines T512 first.
#if defined(__x86_64__)
#pragma GCC optimize("fp-contract=off")
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dlnb_avx512.h"
#include "dlnb_thread.h"

#ifndef T512
#define T512 __attribute__((target("avx512f,avx512dq")))
#endif

/* ---------------- Adam: m += b1·(g − m); v += b2·(g² − v); p −= lr·m/(√v + eps) ---------------- */
T512 void dlnb_adam_s(float *p, const float *g, float *m, float *v, long n, float lr, float b1, float b2, float eps) {
	__m512 vlr = _mm512_set1_ps(lr), vb1 = _mm512_set1_ps(b1), vb2 = _mm512_set1_ps(b2), ve = _mm512_set1_ps(eps);
	long i = 0;
	for (; i + 16 <= n; i += 16) {
		__m512 gi = _mm512_loadu_ps(g + i), mi = _mm512_loadu_ps(m + i), vi = _mm512_loadu_ps(v + i);
		mi = _mm512_add_ps(mi, _mm512_mul_ps(vb1, _mm512_sub_ps(gi, mi)));
		vi = _mm512_add_ps(vi, _mm512_mul_ps(vb2, _mm512_sub_ps(_mm512_mul_ps(gi, gi), vi)));
		__m512 step = _mm512_div_ps(_mm512_mul_ps(vlr, mi), _mm512_add_ps(_mm512_sqrt_ps(vi), ve));
		_mm512_storeu_ps(m + i, mi);
		_mm512_storeu_ps(v + i, vi);
		_mm512_storeu_ps(p + i, _mm512_sub_ps(_mm512_loadu_ps(p + i), step));
	}
	for (; i < n; i++) {
		m[i] += b1 * (g[i] - m[i]);
		v[i] += b2 * (g[i] * g[i] - v[i]);
		p[i] -= (lr * m[i]) / (sqrtf(v[i]) + eps);
	}
}

T512 void dlnb_adam_d(double *p, const double *g, double *m, double *v, long n, double lr, double b1, double b2, double eps) {
	__m512d vlr = _mm512_set1_pd(lr), vb1 = _mm512_set1_pd(b1), vb2 = _mm512_set1_pd(b2), ve = _mm512_set1_pd(eps);
	long i = 0;
	for (; i + 8 <= n; i += 8) {
		__m512d gi = _mm512_loadu_pd(g + i), mi = _mm512_loadu_pd(m + i), vi = _mm512_loadu_pd(v + i);
		mi = _mm512_add_pd(mi, _mm512_mul_pd(vb1, _mm512_sub_pd(gi, mi)));
		vi = _mm512_add_pd(vi, _mm512_mul_pd(vb2, _mm512_sub_pd(_mm512_mul_pd(gi, gi), vi)));
		__m512d step = _mm512_div_pd(_mm512_mul_pd(vlr, mi), _mm512_add_pd(_mm512_sqrt_pd(vi), ve));
		_mm512_storeu_pd(m + i, mi);
		_mm512_storeu_pd(v + i, vi);
		_mm512_storeu_pd(p + i, _mm512_sub_pd(_mm512_loadu_pd(p + i), step));
	}
	for (; i < n; i++) {
		m[i] += b1 * (g[i] - m[i]);
		v[i] += b2 * (g[i] * g[i] - v[i]);
		p[i] -= (lr * m[i]) / (sqrt(v[i]) + eps);
	}
}

/* ---------------- ReLU ---------------- */
// out = max(0, x); a NaN input stays NaN (MAXPS returns its second operand).
T512 void dlnb_relu_fwd_s(float *out, const float *x, long n) {
	__m512 z = _mm512_setzero_ps();
	long i = 0;
	for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, _mm512_max_ps(z, _mm512_loadu_ps(x + i)));
	for (; i < n; i++) out[i] = x[i] > 0 || x[i] != x[i] ? x[i] : 0;
}
T512 void dlnb_relu_fwd_d(double *out, const double *x, long n) {
	__m512d z = _mm512_setzero_pd();
	long i = 0;
	for (; i + 8 <= n; i += 8) _mm512_storeu_pd(out + i, _mm512_max_pd(z, _mm512_loadu_pd(x + i)));
	for (; i < n; i++) out[i] = x[i] > 0 || x[i] != x[i] ? x[i] : 0;
}
// dx = dout where out > 0, else 0.
T512 void dlnb_relu_bwd_s(float *dx, const float *dout, const float *out, long n) {
	__m512 z = _mm512_setzero_ps();
	long i = 0;
	for (; i + 16 <= n; i += 16) {
		__mmask16 k = _mm512_cmp_ps_mask(_mm512_loadu_ps(out + i), z, _CMP_GT_OQ);
		_mm512_storeu_ps(dx + i, _mm512_maskz_mov_ps(k, _mm512_loadu_ps(dout + i)));
	}
	for (; i < n; i++) dx[i] = out[i] > 0 ? dout[i] : 0;
}
T512 void dlnb_relu_bwd_d(double *dx, const double *dout, const double *out, long n) {
	__m512d z = _mm512_setzero_pd();
	long i = 0;
	for (; i + 8 <= n; i += 8) {
		__mmask8 k = _mm512_cmp_pd_mask(_mm512_loadu_pd(out + i), z, _CMP_GT_OQ);
		_mm512_storeu_pd(dx + i, _mm512_maskz_mov_pd(k, _mm512_loadu_pd(dout + i)));
	}
	for (; i < n; i++) dx[i] = out[i] > 0 ? dout[i] : 0;
}

/* ---------------- im2col / col2im for one image, stride 1 ---------------- */
// col has C·fh·fw rows of oh·ow values (see layers.Im2ColImage). Each channel
// is first copied into a zero-padded plane (h+2·pad)×(w+2·pad); then line oy
// of row (ch, ky, kx) is the ow values of padded line oy+ky from column kx: a
// plain copy. Lines are copied W values at a time with whole vectors; the
// last vector may run past the line into the next one, which is written
// after it (writes only move forward), and past the padded plane into its
// slack. The lines that start less than ⌈ow/W⌉·W values before the end of
// col (the last one, and more when ow < W/2) end with a masked vector, so
// that nothing is written past col.
// The padded planes live in a per-thread buffer (P##_buf of struct dlnb_planes,
// dlnb_thread.h), grown as needed.
DLNB_THREAD_STATE(struct dlnb_planes, this_thread, dlnb_release_planes)

#define IM2COL(NAME, P, TYPE, W, LOADU, STOREU, MASK, MLOAD, MSTORE)                                       \
	T512 void NAME(TYPE *col, const TYPE *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow) { \
		struct dlnb_planes *st = this_thread();                                                              \
		TYPE *buf = st ? st->P##_buf : NULL;                                                            \
		int hp = h + 2 * pad, wp = w + 2 * pad;                                                         \
		long need = (long)hp * wp + W;                                                                  \
		if (!st || need > st->P##_cap) {                                                                \
			if (st) {                                                                               \
				free(buf);                                                                      \
				buf = st->P##_buf = dlnb_aligned_alloc(sizeof(TYPE) * need);                    \
				st->P##_cap = buf ? need : 0;                                                   \
			}                                                                                       \
			if (!buf) { /* out of memory: the plain loop, no buffer */                              \
				long q = (long)oh * ow, r = 0;                                                  \
				for (int ch = 0; ch < c; ch++)                                                  \
					for (int ky = 0; ky < fh; ky++)                                         \
						for (int kx = 0; kx < fw; kx++, r++)                            \
							for (int oy = 0; oy < oh; oy++)                         \
								for (int ox = 0; ox < ow; ox++) {               \
									int iy = oy - pad + ky, ix = ox - pad + kx; \
									col[r * q + (long)oy * ow + ox] = iy >= 0 && iy < h && ix >= 0 && ix < w \
									    ? img[((long)ch * h + iy) * w + ix] : 0; \
								}                                               \
				return;                                                                         \
			}                                                                                       \
		}                                                                                               \
		memset(buf, 0, sizeof(TYPE) * need);                                                            \
		long p = (long)oh * ow;                                                                         \
		long tail = (long)c * fh * fw * p - (ow + W - 1) / W * W; /* lines after it end masked */        \
		long r = 0;                                                                                     \
		for (int ch = 0; ch < c; ch++) {                                                                \
			const TYPE *plane = img + (long)ch * h * w;                                             \
			for (int y = 0; y < h; y++) memcpy(buf + (long)(y + pad) * wp + pad, plane + (long)y * w, sizeof(TYPE) * w); \
			for (int ky = 0; ky < fh; ky++)                                                         \
				for (int kx = 0; kx < fw; kx++, r++) {                                          \
					TYPE *dst = col + r * p;                                                \
					const TYPE *src = buf + (long)ky * wp + kx;                             \
					for (int oy = 0; oy < oh; oy++, dst += ow, src += wp) {                 \
						if (dst - col > tail) {                                         \
							int x = 0;                                              \
							for (; x + W <= ow; x += W) STOREU(dst + x, LOADU(src + x)); \
							if (x < ow) {                                           \
								MASK m = (MASK)((1u << (ow - x)) - 1);          \
								MSTORE(dst + x, m, MLOAD(m, src + x));          \
							}                                                       \
							continue;                                               \
						}                                                               \
						for (int x = 0; x < ow; x += W) STOREU(dst + x, LOADU(src + x)); \
					}                                                                       \
				}                                                                               \
		}                                                                                               \
	}
IM2COL(dlnb_im2col_s, s, float, 16, _mm512_loadu_ps, _mm512_storeu_ps, __mmask16, _mm512_maskz_loadu_ps, _mm512_mask_storeu_ps)
IM2COL(dlnb_im2col_d, d, double, 8, _mm512_loadu_pd, _mm512_storeu_pd, __mmask8, _mm512_maskz_loadu_pd, _mm512_mask_storeu_pd)

// col2im (img (C, H, W) = the sum of every column entry at the pixel it was
// read from) and 2×2 max pooling: the loops of kernels_scalar.h.
#include "kernels_scalar.h"
COL2IM(dlnb_col2im_s, float, T512)
COL2IM(dlnb_col2im_d, double, T512)
MAXPOOL(dlnb_maxpool2_s, float, )
MAXPOOL(dlnb_maxpool2_d, double, )

// Test hook: frees this thread's im2col buffers, so that the next call
// allocates (see fail_allocs in gemm_avx512.c).
void dlnb_kernels_free_buffers(void) {
	struct dlnb_planes *st = this_thread();
	if (st) dlnb_release_planes(st);
}
#endif

#if defined(__x86_64__)
/* ---------------- row sums: dst[r] += Σ_j src[r·cols + j] ---------------- */
T512 void dlnb_rowsum_add_s(float *dst, const float *src, long rows, long cols) {
	for (long r = 0; r < rows; r++) {
		const float *x = src + r * cols;
		__m512 acc = _mm512_setzero_ps();
		long j = 0;
		for (; j + 16 <= cols; j += 16) acc = _mm512_add_ps(acc, _mm512_loadu_ps(x + j));
		float s = _mm512_reduce_add_ps(acc);
		for (; j < cols; j++) s += x[j];
		dst[r] += s;
	}
}
T512 void dlnb_rowsum_add_d(double *dst, const double *src, long rows, long cols) {
	for (long r = 0; r < rows; r++) {
		const double *x = src + r * cols;
		__m512d acc = _mm512_setzero_pd();
		long j = 0;
		for (; j + 8 <= cols; j += 8) acc = _mm512_add_pd(acc, _mm512_loadu_pd(x + j));
		double s = _mm512_reduce_add_pd(acc);
		for (; j < cols; j++) s += x[j];
		dst[r] += s;
	}
}
#endif
