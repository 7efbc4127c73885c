// kernels_build.h: one build's element-wise kernels. Included by
// kernels_avx2.c and kernels_avx512.c (and kernels_simde.c) after their ISA
// header and with contraction into fused multiply-adds turned off: it
// instantiates kernels_body.h for float32 and float64, with the per-thread
// buffer of im2col. The build's table (gemm_build.h) points at them.
#include "dlnb_kernels.h"
#include "dlnb_thread.h"

void *DLNB_BUILD_FN(aligned_alloc)(unsigned long bytes); // gemm_build.h

// The padded image planes of im2col, per thread (dlnb_thread.h).
DLNB_THREAD_STATE(struct dlnb_planes, this_thread, dlnb_release_planes)

#define DLNB_BODY "kernels_body.h"
#include "instantiate.h"

// Test hook: frees this thread's im2col buffers, so that the next call
// allocates (see fail_allocs in gemm_build.h).
void DLNB_BUILD_FN(kernels_free_buffers)(void) {
	struct dlnb_planes *st = this_thread();
	if (st) dlnb_release_planes(st);
}
