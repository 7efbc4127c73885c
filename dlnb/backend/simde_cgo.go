//go:build dlnb_simde && cgo && amd64

package backend

/*
#cgo CFLAGS: -Wno-psabi
#include "dlnb_kernels.h"
*/
import "C"

// simde is the build of gemm_avx512.c and kernels_avx512.c on SIMDe's
// emulation of AVX-512 (gemm_simde.c, kernels_simde.c): the tests run the
// AVX-512 code's logic through it on CPUs without AVX-512. Only tests use
// it, and only with -tags dlnb_simde (Debian: libsimde-dev).
var simde = &cImpl{C.dlnb_simde_get_impl()}

const simdeMissing = ""
