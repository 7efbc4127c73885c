// The machine's arithmetic ceiling: how many fused multiply-adds one core
// retires per second when nothing waits for memory. BenchmarkFMAPeak reports
// it as GFLOP/s, to set GEMM's figures against (BenchmarkGemm in this package
// and in package layers): a product cannot run faster than this.
#if defined(__x86_64__)
#include <immintrin.h>
#include "dlnb_kernels.h"

// PEAK defines NAME(iters): iters rounds of 12 independent FMA chains of one
// 256-bit vector each (12 · lanes · 2 flops per round), enough chains in
// flight to cover the FMA latency on two FMA units, operands in registers
// only. It returns a sum of the results so that the compiler keeps the work.
#define PEAK(NAME, T, V, LANES, SET1, FMA, STOREU)                                   \
	__attribute__((target("avx2,fma"))) T NAME(long iters) {                      \
		V acc[12], x = SET1((T)0.999999), y = SET1((T)1e-7);                  \
		for (int j = 0; j < 12; j++) acc[j] = SET1((T)j);                     \
		for (long i = 0; i < iters; i++) {                                    \
			_Pragma("GCC unroll 12") for (int j = 0; j < 12; j++) acc[j] = FMA(acc[j], x, y); \
		}                                                                     \
		T s = 0, v[LANES];                                                    \
		for (int j = 0; j < 12; j++) {                                        \
			STOREU(v, acc[j]);                                            \
			s += v[0];                                                    \
		}                                                                     \
		return s;                                                             \
	}

PEAK(dlnb_avx2_fma_peak_s, float, __m256, 8, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_storeu_ps)
PEAK(dlnb_avx2_fma_peak_d, double, __m256d, 4, _mm256_set1_pd, _mm256_fmadd_pd, _mm256_storeu_pd)
#endif
