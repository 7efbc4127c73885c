package backend

import (
	"math"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

func TestSelection(t *testing.T) {
	if err := Err(); err != nil {
		t.Fatal(err)
	}
	switch os.Getenv("DLNB_BLAS") {
	case "go":
		if Kind() != "go" || !strings.Contains(Name(), "pure Go") || Fast() {
			t.Fatalf("DLNB_BLAS=go but Name() = %q", Name())
		}
		return
	case "openblas":
		if !OpenBLAS() || Fast() {
			t.Fatalf("DLNB_BLAS=openblas but %s", Name())
		}
		return
	case "avx2":
		if Kind() != "avx2" || !Fast() || !strings.Contains(Name(), "AVX2") {
			t.Fatalf("DLNB_BLAS=avx2 but Name() = %q", Name())
		}
		return
	}
	switch {
	case avx512Supported() && Kind() != "avx512":
		t.Fatalf("the CPU has AVX-512 but %s is used", Name())
	case !avx512Supported() && avx2Supported() && (Kind() != "avx2" || !Fast() || !strings.Contains(Name(), "AVX2")):
		t.Fatalf("the CPU has AVX2 and FMA but no AVX-512F, yet %s is used", Name())
	case !avx512Supported() && !avx2Supported() && cgoBuild && Kind() != "openblas":
		if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"); err == nil {
			t.Fatalf("libopenblas is installed but not used: %s", Name())
		}
	}
	t.Logf("active BLAS: %s", Name())
}

// TestGemmAgreesWithGonum compares the active BLAS with gonum's pure-Go
// reference on all transpose combinations, in float64 and float32.
func TestGemmAgreesWithGonum(t *testing.T) {
	ref := gonum.Implementation{}
	for _, tc := range []struct {
		tr      [2]blas.Transpose
		m, n, k int
	}{
		{[2]blas.Transpose{blas.NoTrans, blas.NoTrans}, 37, 29, 53}, {[2]blas.Transpose{blas.Trans, blas.NoTrans}, 37, 29, 53},
		{[2]blas.Transpose{blas.NoTrans, blas.Trans}, 37, 29, 53}, {[2]blas.Transpose{blas.Trans, blas.Trans}, 37, 29, 53},
		{[2]blas.Transpose{blas.NoTrans, blas.NoTrans}, 30, 577, 25}, // small k (conv with one input channel)
		{[2]blas.Transpose{blas.NoTrans, blas.Trans}, 16, 9, 784},    // small n (its weight gradient)
		{[2]blas.Transpose{blas.NoTrans, blas.Trans}, 20, 50, 300},   // large blocks, transposed B
		{[2]blas.Transpose{blas.Trans, blas.NoTrans}, 300, 130, 17},  // short inner dimension
		{[2]blas.Transpose{blas.NoTrans, blas.NoTrans}, 64, 49, 577}, // few rows, 7×7 map: one- and three-vector tiles, two k blocks
		{[2]blas.Transpose{blas.NoTrans, blas.NoTrans}, 9, 16, 300},  // one full vector column, a single-row panel
		{[2]blas.Transpose{blas.Trans, blas.NoTrans}, 61, 33, 260},   // few rows, A packed, two-vector tiles
	} {
		tr, m, n, k := tc.tr, tc.m, tc.n, tc.k
		a := make([]float64, m*k)
		b := make([]float64, k*n)
		for i := range a {
			a[i] = math.Sin(float64(i) * 0.37)
		}
		for i := range b {
			b[i] = math.Cos(float64(i) * 0.11)
		}
		lda, ldb := k, n
		if tr[0] == blas.Trans {
			lda = m
		}
		if tr[1] == blas.Trans {
			ldb = k
		}
		c1 := make([]float64, m*n)
		c2 := make([]float64, m*n)
		for i := range c1 {
			c1[i], c2[i] = 1, 1
		}
		blas64.Implementation().Dgemm(tr[0], tr[1], m, n, k, 0.5, a, lda, b, ldb, 2, c1, n)
		ref.Dgemm(tr[0], tr[1], m, n, k, 0.5, a, lda, b, ldb, 2, c2, n)
		for i := range c1 {
			if math.Abs(c1[i]-c2[i]) > 1e-12 {
				t.Fatalf("dgemm %v: %v vs gonum %v", tr, c1[i], c2[i])
			}
		}
		a32, b32 := make([]float32, len(a)), make([]float32, len(b))
		for i := range a {
			a32[i] = float32(a[i])
		}
		for i := range b {
			b32[i] = float32(b[i])
		}
		s1, s2 := make([]float32, m*n), make([]float32, m*n)
		for i := range s1 {
			s1[i], s2[i] = 1, 1
		}
		blas32.Implementation().Sgemm(tr[0], tr[1], m, n, k, 0.5, a32, lda, b32, ldb, 2, s1, n)
		ref.Sgemm(tr[0], tr[1], m, n, k, 0.5, a32, lda, b32, ldb, 2, s2, n)
		for i := range s1 {
			if math.Abs(float64(s1[i]-s2[i])) > 1e-5*float64(k) {
				t.Fatalf("sgemm %v: %v vs gonum %v", tr, s1[i], s2[i])
			}
		}
	}
}

func TestParallelCoversRange(t *testing.T) {
	for _, n := range []int{0, 1, 5, 100, 1001} {
		seen := make([]int32, n)
		Parallel(n, 7, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, v := range seen {
			if v != 1 {
				t.Fatalf("n=%d: index %d visited %d times", n, i, v)
			}
		}
	}
}

// TestParallelNestedAndConcurrent runs parallel sections inside parallel
// sections and from several goroutines at once: every index must be visited
// exactly once and nothing may deadlock.
func TestParallelNestedAndConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 50 {
				n := 10 + g + round
				var count atomic.Int64
				Parallel(n, 1, func(lo, hi int) {
					for i := lo; i < hi; i++ {
						Parallel(20, 1, func(a, b int) { count.Add(int64(b - a)) })
					}
				})
				if got := count.Load(); got != int64(n*20) {
					t.Errorf("goroutine %d round %d: %d visits, want %d", g, round, got, n*20)
				}
			}
		}()
	}
	wg.Wait()
}
