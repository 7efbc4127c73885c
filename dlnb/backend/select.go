package backend

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

var (
	active = "gonum (pure Go)"
	kind   = "go"
	selErr error
)

func init() {
	choice := strings.ToLower(os.Getenv("DLNB_BLAS"))
	switch choice {
	case "go", "gonum", "purego":
		active = "gonum (pure Go, DLNB_BLAS=" + choice + ")"
		return
	case "avx512":
		if !avx512Supported() {
			selErr = fmt.Errorf("backend: DLNB_BLAS=avx512 but this CPU (or a build without cgo) has no AVX-512F")
			return
		}
		installAVX512()
		active, kind = "dlnb AVX-512 GEMM (cgo, DLNB_BLAS=avx512)", "avx512"
		return
	case "avx2":
		if !avx2Supported() {
			selErr = fmt.Errorf("backend: DLNB_BLAS=avx2 but this CPU (or a build without cgo) has no AVX2 and FMA")
			return
		}
		installAVX2()
		active, kind = "dlnb AVX2+FMA GEMM (cgo, DLNB_BLAS=avx2)", "avx2"
		return
	case "", "auto":
		if avx512Supported() {
			installAVX512()
			active, kind = "dlnb AVX-512 GEMM (cgo; CPU has AVX-512F)", "avx512"
			return
		}
		if avx2Supported() {
			installAVX2()
			active, kind = "dlnb AVX2+FMA GEMM (cgo; CPU has AVX2 and FMA, no AVX-512F)", "avx2"
			return
		}
	case "openblas":
	default:
		selErr = fmt.Errorf("backend: unknown DLNB_BLAS=%q (use avx512, avx2, openblas or go)", choice)
		return
	}
	name, err := openOpenBLAS()
	if err != nil {
		if choice == "openblas" {
			selErr = fmt.Errorf("backend: DLNB_BLAS=openblas but OpenBLAS could not be loaded: %w "+
				"(install it with: sudo apt-get install libopenblas-dev)", err)
		}
		return
	}
	installOpenBLAS()
	active, kind = name, "openblas"
}

// Name describes the active BLAS, e.g. "OpenBLAS 0.3.21 (libopenblas.so.0,
// 1 thread)" or "gonum (pure Go)".
func Name() string { return active }

// Kind is the active implementation: "avx512" or "avx2" (dlnb's kernels),
// "openblas" or "go".
func Kind() string { return kind }

// OpenBLAS reports whether matrix products run on OpenBLAS.
func OpenBLAS() bool { return kind == "openblas" }

// Err reports a problem with the requested BLAS (an unknown DLNB_BLAS value,
// or DLNB_BLAS=openblas without OpenBLAS); nil when the choice was honoured.
func Err() error { return selErr }

// Workers is the number of goroutines Parallel uses: GOMAXPROCS.
func Workers() int { return runtime.GOMAXPROCS(0) }
