// Per-thread state of the C kernels (packing and im2col buffers, path
// counters, the allocation test hook), kept behind a POSIX thread key instead
// of in __thread variables.
//
// Why: an object file with thread-local (TLS) symbols cannot be linked by
// Go's internal linker, so every program that imports dlnb would need the
// external linker (gcc), which is slower. GoNB builds a program for every
// notebook cell, and scripts/setup.sh has the kernel link them internally
// (docs/jupyterlab.md gives the times).
//
// DLNB_THREAD_STATE(TYPE, GET, RELEASE) defines
//
//   static TYPE *GET(void)
//
// which returns the calling thread's TYPE, zeroed on first use and on cache
// lines of its own, or NULL if it could not be allocated (callers then take
// a path that needs no state).
// RELEASE(TYPE *) frees what a TYPE holds; it runs when the thread exits.
// A call costs a pthread_once check and a pthread_getspecific, a few
// nanoseconds, once per kernel call.
#ifndef DLNB_THREAD_H
#define DLNB_THREAD_H
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "dlnb_kernels.h" // DLNB_NPATHS

#define DLNB_THREAD_STATE(TYPE, GET, RELEASE)                                                    \
	static pthread_key_t GET##_key;                                                         \
	static pthread_once_t GET##_once = PTHREAD_ONCE_INIT;                                   \
	static int GET##_ok;                                                                    \
	static void GET##_exit(void *p) {                                                       \
		RELEASE((TYPE *)p);                                                             \
		free(p);                                                                        \
	}                                                                                       \
	static void GET##_init(void) { GET##_ok = pthread_key_create(&GET##_key, GET##_exit) == 0; } \
	static TYPE *GET(void) {                                                                \
		if (pthread_once(&GET##_once, GET##_init) != 0 || !GET##_ok) return NULL;       \
		TYPE *s = pthread_getspecific(GET##_key);                                       \
		if (s) return s;                                                                \
		/* whole cache lines of its own: no false sharing with another thread */     \
		size_t size = (sizeof(TYPE) + 63) / 64 * 64;                                    \
		void *p = NULL;                                                                 \
		if (posix_memalign(&p, 64, size) != 0) return NULL;                             \
		memset(p, 0, size);                                                             \
		if (pthread_setspecific(GET##_key, p) != 0) {                                   \
			free(p);                                                                \
			return NULL;                                                            \
		}                                                                               \
		return p;                                                                       \
	}

// The state of a build's GEMM (gemm_build.h): packing
// buffers of A and B per precision, the allocation test hook and the path
// counters.
struct dlnb_gemm_state {
	float *s_pa, *s_pb;
	double *d_pa, *d_pb;
	unsigned fail_allocs;
	int dense_only; // test hook: no sparse path, so that the tests can compare the two
	unsigned long long hits[2][DLNB_NPATHS];
};

static inline void dlnb_release_gemm_state(struct dlnb_gemm_state *st) {
	free(st->s_pa), free(st->s_pb), free(st->d_pa), free(st->d_pb);
	st->s_pa = st->s_pb = NULL, st->d_pa = st->d_pb = NULL;
}

// dlnb_state_alloc allocates 64-byte aligned memory (free with free), or
// returns NULL: on failure, or when st's test hook says so (bit 0 of
// fail_allocs, which then shifts to the next allocation).
static inline void *dlnb_state_alloc(struct dlnb_gemm_state *st, unsigned long bytes) {
	unsigned f = st ? st->fail_allocs : 0;
	if (st) st->fail_allocs >>= 1;
	void *p = NULL;
	if ((f & 1) || posix_memalign(&p, 64, bytes) != 0) return NULL;
	return p;
}

// dlnb_record adds the path bits seen (1 << DLNB_P_*) of one call in
// precision prec (0 float32, 1 float64) to st's counters.
static inline void dlnb_record(struct dlnb_gemm_state *st, int prec, unsigned seen) {
	if (!st) return;
	for (; seen; seen &= seen - 1) st->hits[prec][__builtin_ctz(seen)]++;
}

// dlnb_gemm_hits copies st's path counters to out (zeros when st is NULL)
// and zeroes them when reset is set.
static inline void dlnb_gemm_hits(struct dlnb_gemm_state *st, unsigned long long *out, int reset) {
	if (!st) {
		memset(out, 0, sizeof st->hits);
		return;
	}
	memcpy(out, st->hits, sizeof st->hits);
	if (reset) memset(st->hits, 0, sizeof st->hits);
}

// dlnb_set_dense_only sets st's dense_only test hook.
static inline void dlnb_set_dense_only(struct dlnb_gemm_state *st, int on) {
	if (st) st->dense_only = on;
}

// dlnb_set_fail_allocs sets st's allocation test hook and returns the old
// one (0 when st is NULL).
static inline unsigned dlnb_set_fail_allocs(struct dlnb_gemm_state *st, unsigned mask) {
	if (!st) return 0;
	unsigned old = st->fail_allocs;
	st->fail_allocs = mask;
	return old;
}

// The padded image planes of im2col (kernels_build.h) per
// precision, and how many values each holds.
struct dlnb_planes {
	float *s_buf;
	double *d_buf;
	long s_cap, d_cap;
};

static inline void dlnb_release_planes(struct dlnb_planes *st) {
	free(st->s_buf), free(st->d_buf);
	st->s_buf = NULL, st->d_buf = NULL;
	st->s_cap = st->d_cap = 0;
}

#endif
