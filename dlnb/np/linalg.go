package np

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Dot is np.dot for vectors and matrices: the inner product of two vectors, a
// matrix times a vector, or the matrix product (N, D)·(D, M) → (N, M). The
// product runs on the same BLAS as dlnb's layers, with the rows of a large
// product split across the cores (tensor.ParallelGemm).
func Dot(a, b *Array) *Array {
	a, b = asArray(a), asArray(b)
	if len(a.Shape) < 1 || len(a.Shape) > 2 || len(b.Shape) < 1 || len(b.Shape) > 2 {
		mistake.Panic(&tensor.ShapeError{Op: "np.Dot", A: a.Shape, B: b.Shape, Reason: "np.Dot takes vectors and matrices"})
	}
	m, k := 1, a.Shape[0]
	if len(a.Shape) == 2 {
		m, k = a.Shape[0], a.Shape[1]
	}
	kb, n := b.Shape[0], 1
	if len(b.Shape) == 2 {
		n = b.Shape[1]
	}
	if k != kb {
		mistake.Panic(&tensor.ShapeError{Op: "np.Dot", A: a.Shape, B: b.Shape,
			Reason: "the first array's last dimension must equal the second's first"})
	}
	var shape []int
	if len(a.Shape) == 2 {
		shape = append(shape, m)
	}
	if len(b.Shape) == 2 {
		shape = append(shape, n)
	}
	out := tensor.New[float64](shape...)
	if m*n*k > 0 {
		tensor.ParallelGemm(false, false, m, n, k, 1, a.Data, k, b.Data, n, 0, out.Data, n)
	}
	return out
}

// T returns the transpose of a matrix (a.T); a vector is returned as a copy,
// as NumPy leaves vectors unchanged.
func T(a *Array) *Array {
	a = asArray(a)
	if len(a.Shape) < 2 {
		return a.Clone()
	}
	return Transpose(a)
}

// Transpose reorders the axes of a (np.transpose(a, axes) or
// a.transpose(0, 2, 3, 1)); without axes it reverses them.
func Transpose(a *Array, axes ...int) *Array {
	a = asArray(a)
	if len(axes) == 0 {
		for i := len(a.Shape) - 1; i >= 0; i-- {
			axes = append(axes, i)
		}
	}
	return tensor.Permute(a, axes...)
}
