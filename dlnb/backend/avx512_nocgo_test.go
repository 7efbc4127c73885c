//go:build !(cgo && amd64)

package backend

import "testing"

// TestGemmTableNative stands for the tests of the AVX-512 kernels
// (gemm_avx512_test.go, kernels_avx512_test.go), which need cgo on amd64.
func TestGemmTableNative(t *testing.T) {
	t.Skip("NOT TESTED: the AVX-512 kernels are not in this build (no cgo, or not amd64)")
}
