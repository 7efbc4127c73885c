// Package tensor is dlnb's N-dimensional array: a shape and a contiguous,
// row-major (C-ordered) slice of float32 or float64 values, like a NumPy
// ndarray without broadcasting.
//
// Operations that combine tensors check their shapes and return a
// *ShapeError naming both shapes instead of broadcasting silently. Matrix
// products go through gonum's BLAS interface (blas64/blas32); package backend
// decides which implementation runs (OpenBLAS or pure Go).
//
// One rule for arithmetic, shared with package np (whose Array is a
// Tensor[float64]): a method changes its receiver in place and returns
// nothing (x.Add(y), x.Sub(y), x.Scale(a), x.AddScaled(a, y): Python's
// x += y), while a function returns a new tensor (np.Add(x, y), MatMul).
// Since the in-place methods have no result, z := x.Add(y) does not
// compile: the two cannot be mistaken for each other.
//
// float64 is the course's precision and the one used for gradient checks;
// float32 is the fast path for training.
package tensor
