package backend

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

var (
	active = "gonum (pure Go)"
	isOpen bool
	selErr error
)

func init() {
	choice := strings.ToLower(os.Getenv("DLNB_BLAS"))
	switch choice {
	case "go", "gonum", "purego":
		active = "gonum (pure Go, DLNB_BLAS=" + choice + ")"
		return
	case "", "auto", "openblas":
	default:
		selErr = fmt.Errorf("backend: unknown DLNB_BLAS=%q (use go or openblas)", choice)
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
	isOpen = true
	active = name
}

// Name describes the active BLAS, e.g. "OpenBLAS 0.3.21 (libopenblas.so.0,
// 1 thread)" or "gonum (pure Go)".
func Name() string { return active }

// OpenBLAS reports whether matrix products run on OpenBLAS.
func OpenBLAS() bool { return isOpen }

// Err reports a problem with the requested BLAS (an unknown DLNB_BLAS value,
// or DLNB_BLAS=openblas without OpenBLAS); nil when the choice was honoured.
func Err() error { return selErr }

// Workers is the number of goroutines Parallel uses: GOMAXPROCS.
func Workers() int { return runtime.GOMAXPROCS(0) }
