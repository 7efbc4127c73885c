//go:build cgo && amd64

package backend

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
)

// BenchmarkGemm times the products of DeepConvNet's training step at batch
// 100 (courseShapes), one image's product per operation, on every GEMM this
// machine can run: dlnb's AVX-512 and AVX2 kernels and OpenBLAS, in float32
// and float64, on one core (the nets give each core its own image). It
// reports GFLOP/s (2·m·n·k per product) and, on AVX2 machines, %peak: that
// speed as a share of one core's FMA ceiling measured right after it
// (onePeak). Compare builds with interleaved runs (-count=1 in a loop), not
// one run each: the machine's load changes.
func BenchmarkGemm(b *testing.B) {
	type impl struct {
		name string
		blas interface {
			Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int,
				beta float32, c []float32, ldc int)
			Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int,
				beta float64, c []float64, ldc int)
		}
	}
	var impls []impl
	if native.supported() {
		impls = append(impls, impl{"avx512", kernelBLAS{im: native}})
	}
	if avx2.supported() {
		impls = append(impls, impl{"avx2", kernelBLAS{im: avx2}})
	}
	if _, err := openOpenBLAS(); err == nil {
		impls = append(impls, impl{"openblas", openBLAS{}})
	}
	for _, s := range courseShapes() {
		if len(s.what) < 11 || s.what[:11] != "DeepConvNet" {
			continue
		}
		name := fmt.Sprintf("%dx%dx%d%s%s", s.m, s.n, s.k, tname(s.tA), tname(s.tB))
		for _, prec := range []string{"float32", "float64"} {
			for _, im := range impls {
				b.Run(name+"/"+prec+"/"+im.name, func(b *testing.B) {
					g := newRef(rand.New(rand.NewPCG(1, 1)), s.m, s.n, s.k, s.tA, s.tB, randomData)
					lda, ldb := g.dims()
					tA, tB := trans(s.tA), trans(s.tB)
					var run func()
					if prec == "float32" {
						a, bb, c := to32(g.a), to32(g.b), to32(g.c0)
						run = func() { im.blas.Sgemm(tA, tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n) }
					} else {
						a, bb, c := g.a, g.b, append([]float64(nil), g.c0...)
						run = func() { im.blas.Dgemm(tA, tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n) }
					}
					run()
					for b.Loop() {
						run()
					}
					gflops := 2 * float64(s.m*s.n*s.k) * float64(b.N) / b.Elapsed().Seconds() / 1e9
					b.ReportMetric(gflops, "GFLOP/s")
					if peak := onePeak(prec == "float32"); peak > 0 {
						b.ReportMetric(100*gflops/peak, "%peak")
					}
				})
			}
		}
	}
}

func tname(t bool) string {
	if t {
		return "T"
	}
	return "N"
}

// onePeak measures one core's FMA ceiling (see BenchmarkFMAPeak) for about
// 20 ms, in GFLOP/s; 0 without AVX2. BenchmarkGemm reports each product's
// speed as a share of it (%peak), measured right after the product, so that
// a machine whose speed varies over the day still gives comparable shares.
func onePeak(single bool) float64 {
	if !avx2Supported() {
		return 0
	}
	start := time.Now()
	flops := fmaPeak(1<<23, single)
	return flops / time.Since(start).Seconds() / 1e9
}

// BenchmarkFMAPeak measures the machine's arithmetic ceiling: 12 independent
// AVX2 FMA chains in registers, no memory traffic, on one core and on every
// core at once (one goroutine per core). GEMM's GFLOP/s in BenchmarkGemm
// (here and in package layers) are to be read against it: go test
// ./dlnb/backend -bench FMAPeak.
func BenchmarkFMAPeak(b *testing.B) {
	if !avx2Supported() {
		b.Skip("the CPU has no AVX2 and FMA")
	}
	for _, prec := range []string{"float32", "float64"} {
		for _, threads := range []int{1, Workers()} {
			b.Run(fmt.Sprintf("%s/threads=%d", prec, threads), func(b *testing.B) {
				const rounds = 1 << 25
				flops := 0.0
				for b.Loop() {
					flops += onThreads(threads, func(int) float64 { return fmaPeak(rounds, prec == "float32") })
				}
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkMemoryBandwidth measures the machine's other ceiling: how fast
// memory feeds the cores, on arrays of 256 MB, far beyond the caches. read
// sums an array (8 bytes per value read); copy copies one array into another
// with Go's copy (16 bytes per value: read and written). Each runs on one
// core and on every core at once, each goroutine taking its own share. go
// test reports the rate as MB/s: go test ./dlnb/backend -bench
// MemoryBandwidth.
func BenchmarkMemoryBandwidth(b *testing.B) {
	const n = 1 << 25 // float64 values per array
	src, dst := make([]float64, n), make([]float64, n)
	for i := range src {
		src[i] = float64(i & 1023)
	}
	copy(dst, src) // every page touched before timing
	run := func(b *testing.B, threads int, work func(lo, hi int) float64) {
		var sink float64
		for b.Loop() {
			sink += onThreads(threads, func(t int) float64 { return work(t*n/threads, (t+1)*n/threads) })
		}
		if sink < 0 {
			b.Fatal("negative sum of non-negative values")
		}
	}
	for _, threads := range []int{1, Workers()} {
		b.Run(fmt.Sprintf("read/threads=%d", threads), func(b *testing.B) {
			b.SetBytes(8 * n)
			run(b, threads, func(lo, hi int) float64 {
				// Eight independent sums, so that the adds keep up with memory.
				var s0, s1, s2, s3, s4, s5, s6, s7 float64
				s := src[lo:hi]
				for len(s) >= 8 {
					s0, s1, s2, s3 = s0+s[0], s1+s[1], s2+s[2], s3+s[3]
					s4, s5, s6, s7 = s4+s[4], s5+s[5], s6+s[6], s7+s[7]
					s = s[8:]
				}
				return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7
			})
		})
		b.Run(fmt.Sprintf("copy/threads=%d", threads), func(b *testing.B) {
			b.SetBytes(16 * n)
			run(b, threads, func(lo, hi int) float64 {
				copy(dst[lo:hi], src[lo:hi])
				return dst[lo]
			})
		})
	}
}

// onThreads runs work(0), …, work(threads−1) on as many goroutines at once
// and returns the sum of their results.
func onThreads(threads int, work func(t int) float64) float64 {
	done := make(chan float64, threads)
	for t := range threads {
		go func() { done <- work(t) }()
	}
	var sum float64
	for range threads {
		sum += <-done
	}
	return sum
}
