//go:build !cgo || !amd64

package backend

// Fast reports whether the vectorised kernels may be called: never in a
// build without cgo or off amd64.
func Fast() bool { return false }

func Adam[T float32 | float64](p, g, m, v []T, lr, b1, b2, eps T) { panic("backend: no fast kernels") }
func ReluForward[T float32 | float64](out, x []T)                 { panic("backend: no fast kernels") }
func ReluBackward[T float32 | float64](dx, dout, out []T)         { panic("backend: no fast kernels") }
func Im2ColImage[T float32 | float64](col, img []T, c, h, w, fh, fw, pad, oh, ow int) {
	panic("backend: no fast kernels")
}
func Col2ImImage[T float32 | float64](img, col []T, c, h, w, fh, fw, pad, oh, ow int) {
	panic("backend: no fast kernels")
}
func MaxPool2[T float32 | float64](out []T, argmax []int32, x []T, planes, h, w int) {
	panic("backend: no fast kernels")
}

func RowSumAdd[T float32 | float64](dst, src []T, rows, cols int) { panic("backend: no fast kernels") }
