// Command linkprobe is built by TestInternalLinking with Go's internal linker
// (-ldflags=-linkmode=internal), as the notebook kernel links cells. It runs
// the C kernels on several threads at once, each with its own packing and
// im2col buffers, lets those threads exit (which frees the buffers), checks
// every result against a plain loop and prints "ok" and the kernels' name.
package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"sync"

	"github.com/dlnb/course/dlnb/backend"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

func main() {
	if err := backend.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for w := range errs {
		wg.Go(func() {
			runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
			errs[w] = check(w)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Println("ok", backend.Name())
}

// check multiplies a 150×300 by a 300×70 matrix (big enough for the packed
// path) and unrolls a 3-channel image into columns, and compares both with
// plain loops.
func check(seed int) error {
	const m, k, n = 150, 300, 70
	a, b := fill(m*k, seed), fill(k*n, seed+1)
	c := make([]float64, m*n)
	blas64.Implementation().Dgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n)
	for i := range m {
		for j := range n {
			want := 0.0
			for p := range k {
				want += a[i*k+p] * b[p*n+j]
			}
			if d := math.Abs(c[i*n+j] - want); d > 1e-9*(1+math.Abs(want)) {
				return fmt.Errorf("thread %d: C[%d,%d] = %v, want %v", seed, i, j, c[i*n+j], want)
			}
		}
	}
	const ch, h, w, f, pad = 3, 9, 11, 3, 1
	img := fill(ch*h*w, seed+2)
	col := make([]float64, ch*f*f*h*w)
	backend.Im2ColImage(col, img, ch, h, w, f, f, pad, h, w)
	r := 0
	for plane := range ch {
		for ky := range f {
			for kx := range f {
				for oy := range h {
					for ox := range w {
						iy, ix, want := oy-pad+ky, ox-pad+kx, 0.0
						if iy >= 0 && iy < h && ix >= 0 && ix < w {
							want = img[(plane*h+iy)*w+ix]
						}
						if got := col[r*h*w+oy*w+ox]; got != want {
							return fmt.Errorf("thread %d: im2col row %d at (%d, %d) = %v, want %v", seed, r, oy, ox, got, want)
						}
					}
				}
				r++
			}
		}
	}
	return nil
}

func fill(n, seed int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Sin(float64(i*7 + seed*13)) // deterministic values in [-1, 1]
	}
	return x
}
