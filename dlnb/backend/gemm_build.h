// gemm_build.h: one build's GEMM and table. Included by gemm_avx2.c and
// gemm_avx512.c (and gemm_simde.c) after their ISA header: it instantiates
// gemm_body.h for float32 and float64, and defines the build's CPU check,
// per-thread state, test hooks and its table of every kernel (struct
// dlnb_impl, dlnb_kernels.h), whose element-wise entries kernels_build.h
// defines in the build's other file.
#include "dlnb_kernels.h"
#include "dlnb_thread.h"

// Baseline code, safe on any CPU: the Go code asks it before calling
// anything else of the build.
int DLNB_BUILD_FN(supported)(void) {
	__builtin_cpu_init();
	return DLNB_CPU_SUPPORTED();
}

// Per-thread state (dlnb_thread.h): a call runs entirely on one OS thread.
//
// The packing buffers of each precision are allocated on first use; a
// failed allocation is retried on the next call, and a call that needs a
// missing buffer writes nothing and returns -1 (the Go caller then uses
// gonum's pure-Go GEMM).
//
// fail_allocs is a test hook: bit i set makes the i-th allocation from now
// fail.
//
// hits are the path counters for the tests, always compiled in. Every path
// function returns the bits (1 << DLNB_P_*) of the paths it took, ORed into
// a register per tile (never in the inner loops); the entry points add them
// to these per-thread counters once per call: a few nanoseconds, less than
// the cgo call itself costs. Per thread, so that concurrent calls share no
// cache line.
DLNB_THREAD_STATE(struct dlnb_gemm_state, this_thread, dlnb_release_gemm_state)

void *DLNB_BUILD_FN(aligned_alloc)(unsigned long bytes) { return dlnb_state_alloc(this_thread(), bytes); }

#define BIT(p) (1u << DLNB_P_##p)

static void record(int prec, unsigned seen) { dlnb_record(this_thread(), prec, seen); }

#define DLNB_BODY "gemm_body.h"
#include "instantiate.h"

/* ------------------------------- test hooks ------------------------------- */
// The element-wise kernels, defined by kernels_build.h in the build's other
// file.
#define DLNB_DECLARE(name, ret, params, sfx) ret DLNB_CAT(DLNB_BUILD_FN(name), sfx) params;
DLNB_ELEMENTWISE(DLNB_DECLARE, float, _s)
DLNB_ELEMENTWISE(DLNB_DECLARE, double, _d)
#undef DLNB_DECLARE
void DLNB_BUILD_FN(kernels_free_buffers)(void);

static void gemm_hits(unsigned long long *out, int reset) { dlnb_gemm_hits(this_thread(), out, reset); }

static unsigned set_fail_allocs(unsigned mask) { return dlnb_set_fail_allocs(this_thread(), mask); }

static void dense_only(int on) { dlnb_set_dense_only(this_thread(), on); }

static void free_buffers(void) {
	struct dlnb_gemm_state *st = this_thread();
	if (st) dlnb_release_gemm_state(st);
	DLNB_BUILD_FN(kernels_free_buffers)();
}

/* ------------------------------- the table ------------------------------- */
#define DLNB_ENTRY(name, ret, params, sfx) .name##sfx = DLNB_CAT(DLNB_BUILD_FN(name), sfx),
static const struct dlnb_impl impl = {
	.name = DLNB_IMPL_NAME,
	.supported = DLNB_BUILD_FN(supported),
	.blocks = {.kc = KC, .mc = MC, .nc = NC, .mr = MR, .nr_s = 3 * DLNB_W_S, .nr_d = 3 * DLNB_W_D,
	           .w_s = DLNB_W_S, .w_d = DLNB_W_D, .fewrows = FEWROWS_MAX, .smallk = SMALLK_MAX,
	           .smalln = SMALLN_MAX, .smalln_mink = SMALLN_MINK, .narrow = NARROW_MAX},
	DLNB_GEMMS(DLNB_ENTRY, float, _s) DLNB_GEMMS(DLNB_ENTRY, double, _d)
	DLNB_ELEMENTWISE(DLNB_ENTRY, float, _s) DLNB_ELEMENTWISE(DLNB_ENTRY, double, _d)
	.hits = gemm_hits,
	.fail_allocs = set_fail_allocs,
	.free_buffers = free_buffers,
	.dense_only = dense_only,
};
#undef DLNB_ENTRY

const struct dlnb_impl *DLNB_BUILD_FN(get_impl)(void) { return &impl; }
