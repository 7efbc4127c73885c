//go:build dlnb_simde

// gemm_avx512.c on SIMDe's emulation of AVX-512, for the tests (see
// avx512_simde.h and avx512_simde.go).
#include "avx512_simde.h"
#include "gemm_avx512.c"
