// exp_avx2.c: e^x, the logistic function 1/(1 + e^−x) and tanh x, four
// float64 at a time with AVX2 and FMA, giving bit for bit what Go's math.Exp
// and math.Tanh give on amd64, so that a network with sigmoid or tanh layers
// trains to the same numbers with these kernels or without them.
//
// Go's math.Exp on amd64 (exp_amd64.s, on CPUs with FMA) computes, for a
// finite x ≤ 709.78…:
//
//	k  = round(x·log2 e)               (to nearest, as a 32-bit integer)
//	r  = x − k·ln2_hi − k·ln2_lo       (two fused multiply-subtracts)
//	r /= 16
//	p  = Taylor series of (e^r − 1)/r to degree 8, Horner with FMA
//	s  = r·p                           s = e^r − 1
//	s  = s·(s + 2), three times        e^{2r} − 1 = s·(s + 2): back to e^{16r} − 1
//	e  = s·(s + 2) + 1                 (fused)
//	result = e·2^k                     (in two steps when 2^k is subnormal)
//
// and +Inf above 709.78…, 0 for −Inf and far below, x itself for NaN and
// +Inf. exp_core below is the vector form of the main line, operation for
// operation; lanes that need any of the special cases are finished one by one
// in finish_lane, which follows the assembly's branches.
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>
#include <string.h>
#include "dlnb_kernels.h"

#define TARGET __attribute__((target("avx2,fma")))

// Every fused multiply-add below is written as one (as the assembly has
// them); no multiply and add written apart may be fused by the compiler.
#pragma GCC optimize("fp-contract=off")

#define LOG2E 1.4426950408889634073599246810018920
#define LN2U 0.69314718055966295651160180568695068359375
#define LN2L 0.28235290563031577122588448175013436025525412068e-12
#define OVERFLOW 7.09782712893384e+02

static inline double from_bits(uint64_t b) {
	double d;
	memcpy(&d, &b, sizeof d);
	return d;
}

static inline uint64_t to_bits(double d) {
	uint64_t b;
	memcpy(&b, &d, sizeof b);
	return b;
}

// exp_core returns e^r (before the scaling by 2^k) for the four lanes of x
// and sets k.
TARGET static inline __m256d exp_core(__m256d x, __m128i *k) {
	__m128i ki = _mm256_cvtpd_epi32(_mm256_mul_pd(_mm256_set1_pd(LOG2E), x));
	__m256d kd = _mm256_cvtepi32_pd(ki);
	x = _mm256_fnmadd_pd(_mm256_set1_pd(LN2U), kd, x);
	x = _mm256_fnmadd_pd(_mm256_set1_pd(LN2L), kd, x);
	x = _mm256_mul_pd(x, _mm256_set1_pd(0.0625));
	__m256d p = _mm256_set1_pd(2.4801587301587301587e-5);
	p = _mm256_fmadd_pd(p, x, _mm256_set1_pd(1.9841269841269841270e-4));
	p = _mm256_fmadd_pd(p, x, _mm256_set1_pd(1.3888888888888888889e-3));
	p = _mm256_fmadd_pd(p, x, _mm256_set1_pd(8.3333333333333333333e-3));
	p = _mm256_fmadd_pd(p, x, _mm256_set1_pd(4.1666666666666666667e-2));
	p = _mm256_fmadd_pd(p, x, _mm256_set1_pd(1.6666666666666666667e-1));
	p = _mm256_fmadd_pd(p, x, _mm256_set1_pd(0.5));
	p = _mm256_fmadd_pd(p, x, _mm256_set1_pd(1.0));
	x = _mm256_mul_pd(x, p);
	const __m256d two = _mm256_set1_pd(2.0);
	x = _mm256_mul_pd(x, _mm256_add_pd(x, two));
	x = _mm256_mul_pd(x, _mm256_add_pd(x, two));
	x = _mm256_mul_pd(x, _mm256_add_pd(x, two));
	*k = ki;
	return _mm256_fmadd_pd(x, _mm256_add_pd(x, two), _mm256_set1_pd(1.0));
}

// finish_lane is the result for one lane given its input x, its e^r and its
// k, with the special cases of the assembly: not finite, overflow, and a
// subnormal or vanishing 2^k.
static inline double finish_lane(double x, double er, int32_t k) {
	uint64_t b = to_bits(x);
	if ((b & ~(1ull << 63)) >= 0x7FF0000000000000ull) return b == 0xFFF0000000000000ull ? 0 : x;
	if (x > OVERFLOW) return from_bits(0x7FF0000000000000ull);
	int32_t e = (int32_t)((uint32_t)k + 0x3FF); // ADDL: wraps as the 32-bit register does
	if (e >= 0x7FF) return from_bits(0x7FF0000000000000ull);
	if (e > 0) return er * from_bits((uint64_t)(uint32_t)e << 52);
	if (e < -52) return 0;
	er *= from_bits((uint64_t)(uint32_t)(e + 0x3FE) << 52);
	return er * from_bits(1ull << 52);
}

// exp4 returns e^x for four lanes.
TARGET static inline __m256d exp4(__m256d x) {
	__m128i k;
	__m256d er = exp_core(x, &k);
	__m128i e = _mm_add_epi32(k, _mm_set1_epi32(0x3FF));
	// The main line holds when every lane is finite, ≤ OVERFLOW and has a
	// biased exponent e in [1, 0x7FE].
	__m256d absx = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
	int bad = _mm256_movemask_pd(_mm256_cmp_pd(absx, _mm256_set1_pd(from_bits(0x7FF0000000000000ull)), _CMP_NLT_UQ)) |
	          _mm256_movemask_pd(_mm256_cmp_pd(x, _mm256_set1_pd(OVERFLOW), _CMP_GT_OQ)) |
	          _mm_movemask_ps(_mm_castsi128_ps(_mm_or_si128(_mm_cmpgt_epi32(_mm_set1_epi32(1), e),
	                                                        _mm_cmpgt_epi32(e, _mm_set1_epi32(0x7FE)))));
	if (!bad) return _mm256_mul_pd(er, _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_cvtepi32_epi64(e), 52)));
	double xs[4], ers[4], out[4];
	int32_t ks[4];
	_mm256_storeu_pd(xs, x);
	_mm256_storeu_pd(ers, er);
	_mm_storeu_si128((__m128i *)ks, k);
	for (int i = 0; i < 4; i++) out[i] = finish_lane(xs[i], ers[i], ks[i]);
	return _mm256_loadu_pd(out);
}

// sigmoid4 returns 1 / (1 + e^−x) for four lanes, rounded as Go rounds
// 1 / (1 + math.Exp(−x)).
TARGET static inline __m256d sigmoid4(__m256d x) {
	const __m256d one = _mm256_set1_pd(1.0);
	return _mm256_div_pd(one, _mm256_add_pd(one, exp4(_mm256_xor_pd(x, _mm256_set1_pd(-0.0)))));
}

// tanh4 returns tanh(x) for four lanes, as Go's math.Tanh (tanh.go) computes
// it: ±1 beyond |x| > MAXLOG/2; 1 − 2/(e^{2|x|} + 1), with x's sign, for
// |x| ≥ 0.625; below, x itself for ±0 and otherwise the rational function
// x + x·s·P(s)/Q(s) of s = x², evaluated operation for operation. Each lane
// takes its branch by blending; the exponential is taken of 0 in the lanes
// that do not need it, so that it stays on its main line.
TARGET static inline __m256d tanh4(__m256d x) {
	const __m256d one = _mm256_set1_pd(1.0), sign = _mm256_set1_pd(-0.0);
	__m256d z = _mm256_andnot_pd(sign, x);
	__m256d big = _mm256_cmp_pd(z, _mm256_set1_pd(0.5 * 8.8029691931113054295988e+01), _CMP_GT_OQ);
	__m256d mid = _mm256_andnot_pd(big, _mm256_cmp_pd(z, _mm256_set1_pd(0.625), _CMP_GE_OQ));
	__m256d e = exp4(_mm256_and_pd(mid, _mm256_add_pd(z, z)));
	__m256d rmid = _mm256_sub_pd(one, _mm256_div_pd(_mm256_set1_pd(2.0), _mm256_add_pd(e, one)));
	rmid = _mm256_or_pd(rmid, _mm256_and_pd(sign, x));
	__m256d s = _mm256_mul_pd(x, x);
	__m256d p = _mm256_add_pd(_mm256_mul_pd(_mm256_set1_pd(-9.64399179425052238628e-1), s),
	                          _mm256_set1_pd(-9.92877231001918586564e1));
	p = _mm256_add_pd(_mm256_mul_pd(p, s), _mm256_set1_pd(-1.61468768441708447952e3));
	__m256d q = _mm256_add_pd(s, _mm256_set1_pd(1.12811678491632931402e2));
	q = _mm256_add_pd(_mm256_mul_pd(q, s), _mm256_set1_pd(2.23548839060100448583e3));
	q = _mm256_add_pd(_mm256_mul_pd(q, s), _mm256_set1_pd(4.84406305325125486048e3));
	__m256d rsmall = _mm256_add_pd(x, _mm256_div_pd(_mm256_mul_pd(_mm256_mul_pd(x, s), p), q));
	rsmall = _mm256_blendv_pd(rsmall, x, _mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_EQ_OQ));
	__m256d r = _mm256_blendv_pd(rsmall, rmid, mid);
	return _mm256_blendv_pd(r, _mm256_or_pd(one, _mm256_and_pd(sign, x)), big);
}

// MAP_D defines NAME(out, x, n), which writes F4 of each element of x to out:
// four at a time, and the last n mod 4 through a zero-padded vector.
#define MAP_D(NAME, F4)                                                                 \
	TARGET void NAME(double *out, const double *x, long n) {                        \
		long i = 0;                                                             \
		for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, F4(_mm256_loadu_pd(x + i))); \
		if (i < n) {                                                            \
			double t[4] = {0, 0, 0, 0};                                     \
			memcpy(t, x + i, sizeof(double) * (n - i));                     \
			_mm256_storeu_pd(t, F4(_mm256_loadu_pd(t)));                    \
			memcpy(out + i, t, sizeof(double) * (n - i));                   \
		}                                                                       \
	}

// dlnb_avx2_exp_d writes e^x to out (math.Exp on each element).
MAP_D(dlnb_avx2_exp_d, exp4)

// dlnb_avx2_sigmoid_d writes 1 / (1 + e^−x) to out.
MAP_D(dlnb_avx2_sigmoid_d, sigmoid4)

// dlnb_avx2_tanh_d writes tanh(x) to out (math.Tanh on each element).
MAP_D(dlnb_avx2_tanh_d, tanh4)

// MAP_S defines NAME(out, x, n) for float32 data: F4 computed in float64
// and rounded to float32, as float32(F(float64(x))) is.
#define MAP_S(NAME, F4)                                                                                   \
	TARGET void NAME(float *out, const float *x, long n) {                                            \
		long i = 0;                                                                               \
		for (; i + 4 <= n; i += 4) _mm_storeu_ps(out + i, _mm256_cvtpd_ps(F4(_mm256_cvtps_pd(_mm_loadu_ps(x + i))))); \
		if (i < n) {                                                                              \
			float t[4] = {0, 0, 0, 0};                                                        \
			memcpy(t, x + i, sizeof(float) * (n - i));                                        \
			_mm_storeu_ps(t, _mm256_cvtpd_ps(F4(_mm256_cvtps_pd(_mm_loadu_ps(t)))));          \
			memcpy(out + i, t, sizeof(float) * (n - i));                                      \
		}                                                                                         \
	}

// dlnb_avx2_sigmoid_s is dlnb_avx2_sigmoid_d for float32 data.
MAP_S(dlnb_avx2_sigmoid_s, sigmoid4)

// dlnb_avx2_tanh_s is dlnb_avx2_tanh_d for float32 data.
MAP_S(dlnb_avx2_tanh_s, tanh4)
#endif
