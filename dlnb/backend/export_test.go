//go:build cgo && amd64

package backend

import "testing"

// Exports for the external tests of the element-wise kernels
// (kernels_test.go), which compare them with their Go loops (package
// dlnb/internal/loops, and package layers, which an internal test cannot
// import).

// CImpl is a build of the C kernels (native or SIMDe).
type CImpl = cImpl

// NativeOrSkip returns the native build, or skips t when the CPU cannot run it.
func NativeOrSkip(t *testing.T) *CImpl { t.Helper(); return nativeOrSkip(t) }

// SIMDeOrSkip returns the SIMDe build, or skips t when it is not compiled in
// or the CPU cannot run it.
func SIMDeOrSkip(t *testing.T) *CImpl { t.Helper(); return simdeOrSkip(t) }

// AVX2OrSkip returns the AVX2 implementation, or skips t when the CPU cannot
// run it.
func AVX2OrSkip(t *testing.T) *CImpl { t.Helper(); return avx2OrSkip(t) }

// Name describes the build.
func (im *cImpl) Name() string { return im.name() }

// GuardOn is 0 under -asan (no guard zones after the slices), else 1.
const GuardOn = guardOn

func AdamOn[T float32 | float64](im *CImpl, p, g, m, v []T, lr, b1, b2, eps T) {
	adamOn(im, p, g, m, v, lr, b1, b2, eps)
}
func ReluForwardOn[T float32 | float64](im *CImpl, out, x []T) { reluForwardOn(im, out, x) }
func ReluBackwardOn[T float32 | float64](im *CImpl, dx, dout, out []T) {
	reluBackwardOn(im, dx, dout, out)
}
func Im2ColOn[T float32 | float64](im *CImpl, col, img []T, c, h, w, fh, fw, pad, oh, ow int) {
	im2colOn(im, col, img, c, h, w, fh, fw, pad, oh, ow)
}
func Col2ImOn[T float32 | float64](im *CImpl, img, col []T, c, h, w, fh, fw, pad, oh, ow int) {
	col2imOn(im, img, col, c, h, w, fh, fw, pad, oh, ow)
}
func MaxPool2On[T float32 | float64](im *CImpl, out []T, argmax []int32, x []T, planes, h, w int) {
	maxPool2On(im, out, argmax, x, planes, h, w)
}
func RowSumAddOn[T float32 | float64](im *CImpl, dst, src []T, rows, cols int) {
	rowSumAddOn(im, dst, src, rows, cols)
}
