// pool_lrn_avx2.c: the layers of the AlexNet-style and LeNet-5 networks
// (2_9), vectorised with AVX2 (which every CPU with AVX-512F also has), each
// giving bit for bit what its Go loop in package layers gives:
//
//   - max pooling with any window and stride and no padding (AlexNet's
//     overlapping 3×3 windows with stride 2): eight (four) outputs of a row
//     at a time, each tap of the window gathered into one vector and kept
//     where it is greater than the maximum so far, so that the first maximum
//     wins, as np.argmax, and a NaN maximum stays; and average pooling the
//     same way (the original LeNet-5's);
//   - local response normalisation's sums over a window of channels, and its
//     scaling with AlexNet's β = 0.75: s = K + α·s, s^(−3/4) = 1/(√s·√√s),
//     out = x·s^(−3/4), in float64.
//
// The multiplies and adds stay separate operations (no fused multiply-add),
// as in Go's loops.
#if defined(__x86_64__)
#include <immintrin.h>
#include "dlnb_kernels.h"

#pragma GCC push_options
#pragma GCC target("avx2")
#pragma GCC optimize("fp-contract=off")

/* --------------------- max pooling without padding --------------------- */

#define LANES8(s) _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(s))
#define LANES4(s) _mm_mullo_epi32(_mm_setr_epi32(0, 1, 2, 3), _mm_set1_epi32(s))
#define GATHER_S(p, idx) _mm256_i32gather_ps(p, idx, 4)
#define GATHER_D(p, idx) _mm256_i32gather_pd(p, idx, 8)

// The indices where gt is set, from at; else from bi: eight 32-bit lanes
// under a float comparison, or four under a double one (its 64-bit lanes'
// high halves).
static inline __m256i pick_s(__m256i bi, __m256i at, __m256 gt) {
	return _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(bi), _mm256_castsi256_ps(at), gt));
}
static inline __m128i pick_d(__m128i bi, __m128i at, __m256d gt) {
	const __m256i high = _mm256_setr_epi32(1, 3, 5, 7, 1, 3, 5, 7);
	__m128 gt32 = _mm256_castps256_ps128(_mm256_permutevar8x32_ps(_mm256_castpd_ps(gt), high));
	return _mm_castps_si128(_mm_blendv_ps(_mm_castsi128_ps(bi), _mm_castsi128_ps(at), gt32));
}

// MAXPOOL defines NAME(out, argmax, x, planes, h, w, ph, pw, s, oh, ow): it
// pools planes of h×w values by ph×pw windows moving by stride s (oh×ow
// outputs, every window inside the plane), writing each maximum to out and
// its index within the plane to argmax. VW outputs of a row at a time, each
// tap gathered at the 32-bit indices IDX and kept where CMP finds it greater
// than the maximum so far (PICK selects the indices alike); the rest of the
// row one by one, as the Go loop does.
#define MAXPOOL(NAME, T, V, VW, IDX, SETIDX, ADDIDX, GATHER, CMP, BLEND, PICK, STORE, STOREIDX)                     \
	void NAME(T *out, int *argmax, const T *x, long planes, int h, int w, int ph, int pw, int s, int oh,    \
	          int ow) {                                                                                 \
		const IDX lanes = SETIDX(s);                                                                \
		for (long pl = 0; pl < planes; pl++) {                                                      \
			const T *src = x + pl * h * w;                                                      \
			T *dst = out + pl * oh * ow;                                                        \
			int *am = argmax + pl * oh * ow;                                                    \
			for (int oy = 0; oy < oh; oy++) {                                                   \
				int ox = 0;                                                                 \
				for (; ox + VW <= ow; ox += VW) {                                           \
					IDX first = ADDIDX(lanes, oy * s * w + ox * s), bi = first;         \
					V best = GATHER(src, first);                                        \
					for (int ky = 0; ky < ph; ky++)                                     \
						for (int kx = ky == 0; kx < pw; kx++) {                     \
							IDX at = ADDIDX(first, ky * w + kx);                \
							V v = GATHER(src, at), gt = CMP(v, best, _CMP_GT_OQ); \
							best = BLEND(best, v, gt);                          \
							bi = PICK(bi, at, gt);                              \
						}                                                           \
					STORE(dst + oy * ow + ox, best);                                    \
					STOREIDX(am + oy * ow + ox, bi);                                    \
				}                                                                           \
				for (; ox < ow; ox++) {                                                     \
					int start = oy * s * w + ox * s, at = start;                        \
					T b = src[start];                                                   \
					for (int ky = 0; ky < ph; ky++)                                     \
						for (int kx = 0; kx < pw; kx++)                             \
							if (src[start + ky * w + kx] > b)                   \
								b = src[start + ky * w + kx], at = start + ky * w + kx; \
					dst[oy * ow + ox] = b, am[oy * ow + ox] = at;                       \
				}                                                                           \
			}                                                                                   \
		}                                                                                           \
	}
#define ADD8(v, n) _mm256_add_epi32(v, _mm256_set1_epi32(n))
#define ADD4(v, n) _mm_add_epi32(v, _mm_set1_epi32(n))
#define STORE8(p, v) _mm256_storeu_si256((__m256i *)(p), v)
#define STORE4(p, v) _mm_storeu_si128((__m128i *)(p), v)
MAXPOOL(dlnb_avx2_maxpool_s, float, __m256, 8, __m256i, LANES8, ADD8, GATHER_S, _mm256_cmp_ps, _mm256_blendv_ps, pick_s,
        _mm256_storeu_ps, STORE8)
MAXPOOL(dlnb_avx2_maxpool_d, double, __m256d, 4, __m128i, LANES4, ADD4, GATHER_D, _mm256_cmp_pd, _mm256_blendv_pd, pick_d,
        _mm256_storeu_pd, STORE4)

// AVGPOOL defines NAME(out, x, planes, h, w, ph, pw, s, oh, ow, inv), average
// pooling without padding: each window's sum taken from 0 tap by tap in the
// order of the Go loop, then multiplied by inv = 1/(ph·pw), VW outputs of a
// row at a time (each tap gathered at the 32-bit indices of IDX) and the rest
// one by one.
#define AVGPOOL(NAME, T, V, VW, IDX, SETIDX, GATHER, ZERO, ADD, MUL, SET1, STORE)                        \
	void NAME(T *out, const T *x, long planes, int h, int w, int ph, int pw, int s, int oh, int ow, T inv) { \
		const IDX lanes = SETIDX(s);                                                              \
		for (long pl = 0; pl < planes; pl++) {                                                    \
			const T *src = x + pl * h * w;                                                    \
			T *dst = out + pl * oh * ow;                                                      \
			for (int oy = 0; oy < oh; oy++) {                                                 \
				int ox = 0;                                                               \
				for (; ox + VW <= ow; ox += VW) {                                         \
					int start = oy * s * w + ox * s;                                  \
					V sum = ZERO();                                                   \
					for (int ky = 0; ky < ph; ky++)                                   \
						for (int kx = 0; kx < pw; kx++)                           \
							sum = ADD(sum, GATHER(src + start + ky * w + kx, lanes)); \
					STORE(dst + oy * ow + ox, MUL(sum, SET1(inv)));                   \
				}                                                                         \
				for (; ox < ow; ox++) {                                                   \
					const T *win = src + oy * s * w + ox * s;                         \
					T sum = 0;                                                        \
					for (int ky = 0; ky < ph; ky++)                                   \
						for (int kx = 0; kx < pw; kx++) sum += win[ky * w + kx];  \
					dst[oy * ow + ox] = sum * inv;                                    \
				}                                                                         \
			}                                                                                 \
		}                                                                                         \
	}
AVGPOOL(dlnb_avx2_avgpool_s, float, __m256, 8, __m256i, LANES8, GATHER_S, _mm256_setzero_ps, _mm256_add_ps, _mm256_mul_ps,
        _mm256_set1_ps, _mm256_storeu_ps)
AVGPOOL(dlnb_avx2_avgpool_d, double, __m256d, 4, __m128i, LANES4, GATHER_D, _mm256_setzero_pd, _mm256_add_pd, _mm256_mul_pd,
        _mm256_set1_pd, _mm256_storeu_pd)

/* ------------------ local response normalisation, β = 0.75 ------------------ */

// dlnb_avx2_window_sum_d sets dst[ch] = Σ src[ch′] over the channels ch′ from ch −
// half to ch + half that exist, for c planes of p values, with a running
// sum over channels (run, p values of scratch): run += src[ch + half], then
// run −= src[ch − half − 1], then dst[ch] = run, as the Go loop does.
void dlnb_avx2_window_sum_d(double *dst, const double *src, double *run, int c, long p, int half) {
	for (long j = 0; j < p; j++) run[j] = 0;
	for (int ch = 0; ch < half && ch < c; ch++)
		for (long j = 0; j < p; j++) run[j] += src[ch * p + j];
	for (int ch = 0; ch < c; ch++) {
		const double *in = ch + half < c ? src + (ch + half) * p : 0;
		const double *out = ch - half - 1 >= 0 ? src + (ch - half - 1) * p : 0;
		double *d = dst + ch * p;
		long j = 0;
		for (; j + 4 <= p; j += 4) {
			__m256d v = _mm256_loadu_pd(run + j);
			if (in) v = _mm256_add_pd(v, _mm256_loadu_pd(in + j));
			if (out) v = _mm256_sub_pd(v, _mm256_loadu_pd(out + j));
			_mm256_storeu_pd(run + j, v);
			_mm256_storeu_pd(d + j, v);
		}
		for (; j < p; j++) {
			if (in) run[j] += in[j];
			if (out) run[j] -= out[j];
			d[j] = run[j];
		}
	}
}

// lrn_pow sets s = k + α·s and returns s^(−3/4) = 1/(√s·√√s) for four
// lanes, storing both.
static inline __m256d lrn_pow(double *s, double *pw, double k, double alpha) {
	__m256d v = _mm256_add_pd(_mm256_set1_pd(k), _mm256_mul_pd(_mm256_set1_pd(alpha), _mm256_loadu_pd(s)));
	__m256d r = _mm256_sqrt_pd(v);
	__m256d p = _mm256_div_pd(_mm256_set1_pd(1), _mm256_mul_pd(r, _mm256_sqrt_pd(r)));
	_mm256_storeu_pd(s, v);
	_mm256_storeu_pd(pw, p);
	return p;
}

static inline double lrn_pow1(double *s, double *pw, double k, double alpha) {
	double v = k + alpha * *s, r = __builtin_sqrt(v);
	*s = v;
	return *pw = 1 / (r * __builtin_sqrt(r));
}

// dlnb_avx2_lrn_scale_s takes the window sums of squares in s (n values) to s =
// k + α·s, writes s^(−3/4) to pw and out = x·s^(−3/4), rounded once to float.
void dlnb_avx2_lrn_scale_s(float *out, double *s, double *pw, const float *x, long n, double k, double alpha) {
	long i = 0;
	for (; i + 4 <= n; i += 4) {
		__m256d p = lrn_pow(s + i, pw + i, k, alpha);
		_mm_storeu_ps(out + i, _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i)), p)));
	}
	for (; i < n; i++) out[i] = (float)((double)x[i] * lrn_pow1(s + i, pw + i, k, alpha));
}

// dlnb_avx2_lrn_scale_d is dlnb_avx2_lrn_scale_s for doubles.
void dlnb_avx2_lrn_scale_d(double *out, double *s, double *pw, const double *x, long n, double k, double alpha) {
	long i = 0;
	for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, _mm256_mul_pd(_mm256_loadu_pd(x + i), lrn_pow(s + i, pw + i, k, alpha)));
	for (; i < n; i++) out[i] = x[i] * lrn_pow1(s + i, pw + i, k, alpha);
}

#pragma GCC pop_options
#endif
