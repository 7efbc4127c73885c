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

// The sparse path (sparse in gemm_body.h) sums only
// the terms of each row of op(A) that are not zero. It claims C bit for bit
// equal to the dense paths' whenever it is taken. These tests hold it to
// that claim by computing every product twice on one build, with the sparse
// path allowed and with it turned off (the dense_only test hook), on shapes
// around each of its boundaries.

// TestGemmSparseNative runs the sparse tests on the native AVX-512 build.
func TestGemmSparseNative(t *testing.T) { testGemmSparse(t, nativeOrSkip(t)) }

// TestGemmSparseSIMDe runs them on the SIMDe build (-tags dlnb_simde).
func TestGemmSparseSIMDe(t *testing.T) { testGemmSparse(t, simdeOrSkip(t)) }

// TestGemmSparseAVX2 runs them on the AVX2 implementation.
func TestGemmSparseAVX2(t *testing.T) { testGemmSparse(t, avx2OrSkip(t)) }

// sparseShapes are (m, n, k) around the sparse path's boundaries: the KC
// blocks of k, the row blocks of MC, the passes over a row's list of terms
// (up to SPARSE_NV vectors each: 8 on AVX-512, 12 on AVX2, so one to four
// passes here) and a masked edge, in both precisions' vector widths.
func sparseShapes(bl gemmBlocks) [][3]int {
	kc, mc := bl.kc, bl.mc
	var out [][3]int
	for _, k := range []int{17, 40, kc - 1, kc, kc + 1, 2*kc + 3, 784} {
		out = append(out, [3]int{9, 100, k})
	}
	for _, n := range []int{1, 3, 4, 5, 8, 15, 16, 17, 24, 31, 32, 33, 40, 47, 48, 49, 63, 64, 65, 95, 96, 97, 100, 129, 130, 193} {
		out = append(out, [3]int{5, n, 300})
	}
	for _, m := range []int{1, mc - 1, mc, mc + 1, 2*mc + 7} {
		out = append(out, [3]int{m, 40, 100})
	}
	return out
}

// sparseMatrix fills rows×cols values, about four fifths of them zero (+0
// or −0), the rest in [−1, 1); with nan set, one of the nonzero values is NaN.
func sparseMatrix(r *rand.Rand, rows, cols int, nan bool) []float64 {
	x := make([]float64, rows*cols)
	for i := range x {
		switch v := r.Float64(); {
		case v < 0.4:
			x[i] = 0
		case v < 0.8:
			x[i] = math.Copysign(0, -1)
		default:
			x[i] = 2*r.Float64() - 1
		}
	}
	if nan {
		x[r.IntN(len(x))] = math.NaN()
	}
	return x
}

// sparseOnce computes C = op(A)·B + beta·C on im with the sparse path
// allowed and with it turned off, and reports where the two differ, and
// whether the sparse path (path number sparse) was taken.
func sparseOnce[T float32 | float64](im *cImpl, sparse int, ta bool, m, n, k int, a64, b64, c64 []float64, beta T) (diff string, taken bool) {
	conv := func(x []float64) []T {
		out := make([]T, len(x))
		for i, v := range x {
			out[i] = T(v)
		}
		return out
	}
	a, b := conv(a64), conv(b64)
	lda := k
	if ta {
		lda = m
	}
	prec := 1
	if _, ok := any(beta).(float32); ok {
		prec = 0
	}
	got, want := conv(c64), conv(c64)
	im.pathHits(true)
	gemmOn(im, trans(ta), blas.NoTrans, m, n, k, 1, a, lda, b, n, beta, got, n)
	taken = im.pathHits(true)[prec][sparse] > 0
	im.denseOnly(true)
	gemmOn(im, trans(ta), blas.NoTrans, m, n, k, 1, a, lda, b, n, beta, want, n)
	im.denseOnly(false)
	if im.pathHits(true)[prec][sparse] > 0 {
		return "the sparse path was taken with dense_only set", taken
	}
	if !same(got, want) {
		for i := range got {
			if math.Float64bits(float64(got[i])) != math.Float64bits(float64(want[i])) {
				return fmt.Sprintf("C[%d,%d] = %v (bits %x) with the sparse path, %v (bits %x) without", i/n, i%n,
					got[i], math.Float64bits(float64(got[i])), want[i], math.Float64bits(float64(want[i]))), taken
			}
		}
	}
	return "", taken
}

func testGemmSparse(t *testing.T, im *cImpl) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer im.denseOnly(false)
	r := rand.New(rand.NewPCG(7, 8))
	sparse := pathIndex(t, "SPARSE")
	taken := [2]int{} // products that took the sparse path, float32 and float64
	total := 0
	// check compares the two ways for beta 0 and 1 in both precisions; with
	// never set, the sparse path must not be taken.
	check := func(what string, ta bool, m, n, k int, a, b, c []float64, never bool) {
		t.Helper()
		for _, beta := range []float64{0, 1} {
			d32, t32 := sparseOnce(im, sparse, ta, m, n, k, a, b, c, float32(beta))
			d64, t64 := sparseOnce(im, sparse, ta, m, n, k, a, b, c, beta)
			total++
			for i, p := range []struct {
				bits  int
				diff  string
				taken bool
			}{{32, d32, t32}, {64, d64, t64}} {
				if p.diff != "" {
					t.Errorf("%s, m=%d n=%d k=%d transA=%v beta=%v float%d: %s", what, m, n, k, ta, beta, p.bits, p.diff)
				}
				if p.taken && never {
					t.Errorf("%s, m=%d n=%d k=%d transA=%v beta=%v float%d: the sparse path was taken",
						what, m, n, k, ta, beta, p.bits)
				}
				if p.taken {
					taken[i]++
				}
			}
		}
	}
	for _, s := range sparseShapes(im.blocks()) {
		m, n, k := s[0], s[1], s[2]
		for _, ta := range []bool{false, true} {
			a := sparseMatrix(r, m, k, false)
			b := fillData(r, randomData, k*n)
			c := fillData(r, randomData, m*n)
			check("mostly zero A", ta, m, n, k, a, b, c, false)
		}
	}
	// The path decides from a sample of A's first rows, so a few small
	// products may not take it; most must.
	if taken[0]*10 < total*9 || taken[1]*10 < total*9 {
		t.Errorf("the sparse path took %d (float32) and %d (float64) of %d products of a mostly zero A, want 90 %% or more",
			taken[0], taken[1], total)
	}
	m, n, k := 37, 50, 300
	a, b, c := sparseMatrix(r, m, k, true), fillData(r, randomData, k*n), fillData(r, randomData, m*n)
	check("mostly zero A with a NaN", false, m, n, k, a, b, c, false)
	// 0·∞ is NaN: with a B that is not finite everywhere, only the dense
	// paths give the product's NaNs.
	a = sparseMatrix(r, m, k, false)
	b[3*n+7] = math.Inf(1)
	check("B with an infinity", false, m, n, k, a, b, c, true)
	b[3*n+7] = math.NaN()
	check("B with a NaN", false, m, n, k, a, b, c, true)
	// Mostly nonzero A: the dense paths.
	check("dense A", false, m, n, k, fillData(r, randomData, m*k), fillData(r, randomData, k*n), c, true)
	t.Logf("%s: %d products in each precision, %d and %d of them on the sparse path", im.name(), total, taken[0], taken[1])
}
