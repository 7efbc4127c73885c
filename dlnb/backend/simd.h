// simd.h: the vocabulary the kernel bodies are written in, shared by every
// build. A body (gemm_body.h, kernels_body.h) is written once against the
// names below and included once per precision by each build (gemm_build.h,
// kernels_build.h); the build's ISA header (simd_avx2.h, simd_avx512.h)
// says what each name means on its vectors. See doc.go for the layout.
//
// An ISA header defines, then includes this file:
//
//   DLNB_BUILD           the build's name in symbols: avx2, avx512, simde
//   DLNB_IMPL_NAME       the build's description (struct dlnb_impl's name)
//   DLNB_CPU_SUPPORTED() whether the CPU can run the build (baseline code)
//   DLNB_TARGET_BEGIN, DLNB_TARGET_END
//                        what turns the ISA on for the code between them
//   DLNB_VPFX            the prefix of its intrinsics: _mm256_, _mm512_
//   DLNB_V_S, DLNB_V_D   the vector types of float32 and float64
//   DLNB_W_S, DLNB_W_D   their lanes
//   VM, VMASK(n), VMNONE(), VMLOAD(m, p), VMSTORE(p, m, x)
//                        a mask of the first n lanes (0 ≤ n ≤ W), no lane;
//                        loads (zeros elsewhere) and stores under a mask
//   VREDUCE(x)           the sum of x's lanes, in the ISA's own order
//   VTRANSPOSE(r)        transposes the W×W block in r[0..W-1]
//   VNONZERO(x, off0, ldb, av, boff)
//                        lists the lanes of the W values at x that are not
//                        zero (NaN counts as not zero), in lane order: their
//                        values to av, off0 + lane·ldb to boff; returns how
//                        many (it may write up to W of each)
//   VKEEP_GT0(x, y)      y where x > 0, else +0 (ReLU's backward pass)
//   VPACK_MR(dst, src, lda), optional
//                        packs W columns of MR rows (lda apart) into an A panel
//   and the block sizes of gemm_body.h (KC, MC, NC, MR, SPARSE_NV and the
//   path thresholds) and DLNB_ROWSUM_ACCS (1 or 2: row sums' accumulators).
//
// A build's files set DLNB_D to 0 (float32) or 1 (float64) before each
// inclusion of a body; T, V, W, F(name), DLNB_FN(kernel) and the vector
// operations resolve to that precision wherever the body uses them.
#ifndef DLNB_SIMD_H
#define DLNB_SIMD_H
// The C library first: the short names below (T, V, W, F) must not reach it.
#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define DLNB_CAT(a, b) DLNB_CAT_(a, b)
#define DLNB_CAT_(a, b) a##b
#define DLNB_CAT3(a, b, c) DLNB_CAT(DLNB_CAT(a, b), c)

// DLNB_SD(s, d) is s in float32 (DLNB_D = 0) and d in float64 (DLNB_D = 1).
#define DLNB_SD(s, d) DLNB_CAT(DLNB_SD_, DLNB_D)(s, d)
#define DLNB_SD_0(s, d) s
#define DLNB_SD_1(s, d) d

// The precision: scalar and vector type, lanes, and the names of the
// functions a body defines. F(name) is a body's internal (static) function,
// s_name or d_name; DLNB_FN(kernel) an exported entry point,
// dlnb_<build>_<kernel>_<s|d>; DLNB_BUILD_FN(name) a build's own,
// dlnb_<build>_<name>.
#define T DLNB_SD(float, double)
#define V DLNB_SD(DLNB_V_S, DLNB_V_D)
#define W DLNB_SD(DLNB_W_S, DLNB_W_D)
#define PREC DLNB_D
#define F(name) DLNB_SD(s_##name, d_##name)
#define DLNB_BUILD_FN(name) DLNB_CAT3(dlnb_, DLNB_BUILD, _##name)
#define DLNB_FN(kernel) DLNB_CAT(DLNB_BUILD_FN(kernel), DLNB_SD(_s, _d))

// The operations that every ISA names alike: DLNB_VPFX op _ps (or _pd).
#define DLNB_VI(op) DLNB_CAT3(DLNB_VPFX, op, DLNB_SD(_ps, _pd))
#define VZERO() DLNB_VI(setzero)()
#define VSET1(x) DLNB_VI(set1)(x)
#define VLOAD(p) DLNB_VI(load)(p)
#define VLOADU(p) DLNB_VI(loadu)(p)
#define VSTORE(p, x) DLNB_VI(store)(p, x)
#define VSTOREU(p, x) DLNB_VI(storeu)(p, x)
#define VADD(a, b) DLNB_VI(add)(a, b)
#define VSUB(a, b) DLNB_VI(sub)(a, b)
#define VMUL(a, b) DLNB_VI(mul)(a, b)
#define VDIV(a, b) DLNB_VI(div)(a, b)
#define VSQRT(a) DLNB_VI(sqrt)(a)
#define VMAX(a, b) DLNB_VI(max)(a, b)
#define VFMA(a, b, c) DLNB_VI(fmadd)(a, b, c)

#define ALWAYS_INLINE static inline __attribute__((always_inline))

#endif
