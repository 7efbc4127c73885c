// Package tensor is dlnb's N-dimensional array: a shape and a contiguous,
// row-major (C-ordered) slice of float32 or float64 values, like a NumPy
// ndarray without broadcasting.
//
// Operations that combine tensors check their shapes and return a
// *ShapeError naming both shapes instead of broadcasting silently. Matrix
// products go through gonum's BLAS interface (blas64/blas32); package backend
// decides which implementation runs (OpenBLAS or pure Go).
//
// float64 is the course's precision and the one used for gradient checks;
// float32 is the fast path for training.
package tensor
