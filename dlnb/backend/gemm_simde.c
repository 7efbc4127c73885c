//go:build dlnb_simde

// gemm_simde.c: gemm_avx512.c on SIMDe's emulation of AVX-512, for the tests
// (the simde build; see avx512_simde.h and simde_cgo.go).
#include "avx512_simde.h"
#include "gemm_avx512.c"
