//go:build dlnb_simde

// kernels_simde.c: kernels_avx512.c on SIMDe's emulation of AVX-512, for the
// tests (the simde build; see avx512_simde.h and simde_cgo.go). Contraction
// is turned off before SIMDe's inline functions are defined, as the source
// does for its own code.
#pragma GCC optimize("fp-contract=off")
#include "avx512_simde.h"
#include "kernels_avx512.c"
