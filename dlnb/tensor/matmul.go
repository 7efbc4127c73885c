package tensor

import (
	"fmt"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/mistake"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// Gemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices, where
// op(x) is x or xᵀ, op(a) is m×k, op(b) is k×n and c is m×n with leading
// dimensions lda, ldb, ldc. It calls the active BLAS (see package backend) on
// the calling goroutine; ParallelGemm splits the work over the cores. The
// product's 2·m·n·k operations count in backend.FLOPs.
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	backend.CountGemm[T](m, n, k)
	switch a := any(a).(type) {
	case []float64:
		blas64.Implementation().Dgemm(trans(transA), trans(transB), m, n, k, float64(alpha), a, lda,
			any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	case []float32:
		blas32.Implementation().Sgemm(trans(transA), trans(transB), m, n, k, float32(alpha), a, lda,
			any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	}
}

// ParallelGemm is Gemm with the rows of c split across backend.Workers()
// goroutines, each running a single-threaded BLAS call on its block.
func ParallelGemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	ParallelGemmThen(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// ParallelGemmThen is ParallelGemm that also calls then(lo, hi), when it is
// not nil, for each block of rows [lo, hi) of c right after that block's
// product, on the same goroutine: the block is still in that core's cache,
// and the second pass (adding a bias, say) is split across the cores too.
func ParallelGemmThen[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int,
	then func(lo, hi int)) {
	grain := 16
	if m*n*k < 1<<21 { // too little work to pay for waking a second thread
		grain = m
	}
	backend.Parallel(m, grain, func(lo, hi int) {
		aOff := lo * lda
		if transA {
			aOff = lo
		}
		Gemm(transA, transB, hi-lo, n, k, alpha, a[aOff:], lda, b, ldb, beta, c[lo*ldc:], ldc)
		if then != nil {
			then(lo, hi)
		}
	})
}

// MatMul returns the matrix product a·b of two matrices (np.dot for 2-D
// arrays). Shapes that do not fit panic with a *mistake.Error carrying a *ShapeError (package mistake).
func MatMul[T Float](a, b *Tensor[T]) *Tensor[T] { return MatMulT(a, b, false, false) }

// MatMulT returns op(a)·op(b), transposing a and/or b first when transA /
// transB are set: np.dot(z2.T, delta3) is MatMulT(z2, delta3, true, false).
func MatMulT[T Float](a, b *Tensor[T], transA, transB bool) *Tensor[T] {
	if len(a.Shape) != 2 || len(b.Shape) != 2 {
		mistake.Panic(&ShapeError{Op: "MatMul", A: a.Shape, B: b.Shape, Reason: "both operands must be matrices"})
	}
	m, n := a.Shape[0], b.Shape[1]
	if transA {
		m = a.Shape[1]
	}
	if transB {
		n = b.Shape[0]
	}
	out := New[T](m, n)
	MatMulInto(out, a, b, transA, transB)
	return out
}

// MatMulInto computes c = op(a)·op(b), where op transposes its argument when
// the matching flag is set; c must already have the product's shape.
func MatMulInto[T Float](c, a, b *Tensor[T], transA, transB bool) {
	if len(a.Shape) != 2 || len(b.Shape) != 2 || len(c.Shape) != 2 {
		mistake.Panic(&ShapeError{Op: "MatMul", A: a.Shape, B: b.Shape, Reason: "operands must be matrices"})
	}
	m, ka := a.Shape[0], a.Shape[1]
	if transA {
		m, ka = ka, m
	}
	kb, n := b.Shape[0], b.Shape[1]
	if transB {
		kb, n = n, kb
	}
	if ka != kb {
		mistake.Panic(&ShapeError{Op: "MatMul", A: a.Shape, B: b.Shape,
			Reason: fmt.Sprintf("inner dimensions %d and %d differ", ka, kb)})
	}
	if c.Shape[0] != m || c.Shape[1] != n {
		mistake.Panic(&ShapeError{Op: "MatMul (output)", A: c.Shape, B: []int{m, n}})
	}
	if m == 0 || n == 0 {
		return
	}
	if ka == 0 {
		c.Fill(0)
		return
	}
	ParallelGemm(transA, transB, m, n, ka, 1, a.Data, a.Shape[1], b.Data, b.Shape[1], 0, c.Data, n)
}
