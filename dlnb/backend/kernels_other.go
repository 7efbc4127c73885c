//go:build !cgo || !amd64

package backend

// Fast reports whether the vectorised kernels may be called: never in a
// build without cgo or off amd64.
func Fast() bool { return false }

// The kernels below exist in this build only so that callers compile; they
// are never called because Fast reports false.

// Adam is unavailable in this build (see Fast).
func Adam[T float32 | float64](p, g, m, v []T, lr, b1, b2, eps T) { panic("backend: no fast kernels") }

// ReluForward is unavailable in this build (see Fast).
func ReluForward[T float32 | float64](out, x []T) { panic("backend: no fast kernels") }

// ReluBackward is unavailable in this build (see Fast).
func ReluBackward[T float32 | float64](dx, dout, out []T) { panic("backend: no fast kernels") }

// Im2ColImage is unavailable in this build (see Fast).
func Im2ColImage[T float32 | float64](col, img []T, c, h, w, fh, fw, pad, oh, ow int) {
	panic("backend: no fast kernels")
}

// Col2ImImage is unavailable in this build (see Fast).
func Col2ImImage[T float32 | float64](img, col []T, c, h, w, fh, fw, pad, oh, ow int) {
	panic("backend: no fast kernels")
}

// GemmRows is unavailable in this build (see Fast).
func GemmRows[T float32 | float64](m, n, k int, a []T, lda int, b []T, boff []int, c []T, ldc int) {
	panic("backend: no fast kernels")
}

// MaxPool2 is unavailable in this build (see Fast).
func MaxPool2[T float32 | float64](out []T, argmax []int32, x []T, planes, h, w int) {
	panic("backend: no fast kernels")
}

// MaxPool is unavailable in this build (see Fast).
func MaxPool[T float32 | float64](out []T, argmax []int32, x []T, planes, h, w, ph, pw, stride, oh, ow int) {
	panic("backend: no fast kernels")
}

// AvgPool is unavailable in this build (see Fast).
func AvgPool[T float32 | float64](out, x []T, planes, h, w, ph, pw, stride, oh, ow int, inv T) {
	panic("backend: no fast kernels")
}

// WindowSum is unavailable in this build (see Fast).
func WindowSum(dst, src, run []float64, c, p, half int) { panic("backend: no fast kernels") }

// LRNScale is unavailable in this build (see Fast).
func LRNScale[T float32 | float64](out []T, s, pw []float64, x []T, k, alpha float64) {
	panic("backend: no fast kernels")
}

// RowSumAdd is unavailable in this build (see Fast).
func RowSumAdd[T float32 | float64](dst, src []T, rows, cols int) { panic("backend: no fast kernels") }

// Exp is unavailable in this build (see Fast).
func Exp(out, x []float64) { panic("backend: no fast kernels") }

// Sigmoid is unavailable in this build (see Fast).
func Sigmoid[T float32 | float64](out, x []T) { panic("backend: no fast kernels") }

// Tanh is unavailable in this build (see Fast).
func Tanh[T float32 | float64](out, x []T) { panic("backend: no fast kernels") }
