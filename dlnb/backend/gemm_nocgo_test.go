//go:build !(cgo && amd64)

package backend

import "testing"

// TestGemmTableNative stands for the tests of the C kernels (gemm_test.go,
// kernels_test.go and the others of every build), which need cgo on amd64.
func TestGemmTableNative(t *testing.T) {
	t.Skip("NOT TESTED: the AVX-512 kernels are not in this build (no cgo, or not amd64)")
}
