//go:build cgo && amd64

package backend

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// TestGemmRowsNative, TestGemmRowsSIMDe and TestGemmRowsAVX2 check GemmRows
// (C = A·B with B's rows anywhere) on each build of the kernels.
func TestGemmRowsNative(t *testing.T) { testGemmRows(t, nativeOrSkip(t)) }
func TestGemmRowsSIMDe(t *testing.T)  { testGemmRows(t, simdeOrSkip(t)) }
func TestGemmRowsAVX2(t *testing.T)   { testGemmRows(t, avx2OrSkip(t)) }

// testGemmRows runs GemmRows on m, n and k around every size that decides
// its blocks, tiles and masks, with rows of B at random, overlapping
// offsets, and requires C to be close to a float64 reference, to leave
// everything outside C alone, and, for k above the GEMM's small-k
// threshold, to be bit for bit what the build's GEMM gives on B written out
// (the layers rely on that: see layers.Convolution).
func testGemmRows(t *testing.T, im *cImpl) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	im.pathHits(true)
	bl := im.blocks()
	mAll, nAll, kAll := boundaries(bl)
	r := rand.New(rand.NewPCG(3, 4))
	var shapes [][3]int
	for _, m := range mAll {
		shapes = append(shapes, [3]int{m, 2*bl.nr[0] + 3, 37})
	}
	for _, n := range nAll {
		if n <= 2*bl.nr[0]+1 || n%7 == 0 {
			shapes = append(shapes, [3]int{9, n, 29})
		}
	}
	for _, k := range kAll {
		shapes = append(shapes, [3]int{5, bl.nr[1] + 1, k})
	}
	// The course's convolutions (rows, columns of the implicit matrix, K).
	shapes = append(shapes, [3]int{16, 838, 145}, [3]int{32, 286, 289}, [3]int{1, 892, 750}, [3]int{16, 222, 288})
	problems := 0
	for _, s := range shapes {
		exact := s[2] > bl.smallK
		for _, p := range append(rowsCase[float32](im, r, s[0], s[1], s[2], exact), rowsCase[float64](im, r, s[0], s[1], s[2], exact)...) {
			if problems++; problems <= 20 {
				t.Error(p)
			}
		}
	}
	hits := im.pathHits(true)
	rows, k2 := pathIndex(t, "ROWS"), pathIndex(t, "KBLOCK2")
	for prec := range 2 {
		if hits[prec][rows] == 0 || hits[prec][k2] == 0 {
			t.Errorf("precision %d: ROWS taken %d times, with a second KC block %d times", prec, hits[prec][rows], hits[prec][k2])
		}
	}
	t.Logf("%s: %d shapes × 2 precisions", im.name(), len(shapes))
}

// rowsCase runs one product in one precision and returns what went wrong.
func rowsCase[T float32 | float64](im *cImpl, r *rand.Rand, m, n, k int, exact bool) (problems []string) {
	lda, ldc := k+r.IntN(3), n+r.IntN(3)
	a := make([]T, (m-1)*lda+k)
	for i := range a {
		a[i] = T(r.NormFloat64())
	}
	buf := make([]T, n+2*k+5) // rows overlap, as a padded image's shifts do
	for i := range buf {
		buf[i] = T(r.NormFloat64())
	}
	off := make([]int, k)
	written := make([]T, k*n) // B written out
	for p := range off {
		off[p] = r.IntN(len(buf) - n + 1)
		copy(written[p*n:(p+1)*n], buf[off[p]:])
	}
	const guard = -7.25
	c := make([]T, (m-1)*ldc+n+4)
	for i := range c {
		c[i] = T(math.NaN()) // overwritten, never read
		if i%ldc >= n || i >= (m-1)*ldc+n {
			c[i] = guard
		}
	}
	want := make([]T, m*n)
	gemmOn(im, blas.NoTrans, blas.NoTrans, m, n, k, 1, a, lda, written, n, 0, want, n)
	gemmRowsOn(im, m, n, k, a, lda, buf, off, c, ldc)
	for i := range m {
		for j := range n {
			got, w := c[i*ldc+j], want[i*n+j]
			ref, mag := 0.0, 0.0
			for p := range k {
				x := float64(a[i*lda+p]) * float64(written[p*n+j])
				ref, mag = ref+x, mag+math.Abs(x)
			}
			eps := 1e-13
			if _, ok := any(got).(float32); ok {
				eps = 1e-5
			}
			if (exact && got != w) || math.Abs(float64(got)-ref) > eps*(mag+1) {
				problems = append(problems, fmt.Sprintf("%T m=%d n=%d k=%d: C[%d,%d] = %v, GEMM on B written out %v, float64 sum %v",
					got, m, n, k, i, j, got, w, ref))
				return problems
			}
		}
	}
	for i, v := range c {
		if (i%ldc >= n || i >= (m-1)*ldc+n) && v != guard {
			return append(problems, fmt.Sprintf("%T m=%d n=%d k=%d: C[%d] outside the matrix changed to %v", v, m, n, k, i, v))
		}
	}
	return nil
}
