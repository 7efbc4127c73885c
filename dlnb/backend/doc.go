// Package backend chooses the BLAS behind every matrix product in dlnb and
// runs loops in parallel over the machine's cores.
//
// dlnb calls matrix products through gonum's BLAS interface (blas64 and
// blas32). At start-up this package installs the fastest implementation it
// finds:
//
//   - dlnb's own AVX-512 GEMM kernels (gemm_avx512.c, C through cgo) when the
//     CPU has AVX-512F: on the course machines they run the course's matrix
//     shapes up to twice as fast as OpenBLAS, whose kernels are limited to
//     AVX2 there (OPENBLAS_CORETYPE=Haswell).
//   - OpenBLAS, loaded at run time with dlopen (Debian: libopenblas0 /
//     libopenblas-dev) when the program is built with cgo. No link flags are
//     needed, so the same code builds on a machine without OpenBLAS.
//   - gonum's pure-Go BLAS otherwise, or when CGO_ENABLED=0.
//
// DLNB_BLAS=avx512, openblas or go forces one (an unavailable choice is an
// error reported by Err); DLNB_OPENBLAS names the shared library to load.
// Name reports which BLAS is active.
//
// OpenBLAS runs single-threaded: dlnb parallelises over the batch with
// goroutines (Parallel), and two thread pools competing for the same cores
// would slow both down.
//
// The AVX-512 kernels are tested against gonum's pure-Go BLAS and the Go
// loops of package layers. On a CPU without AVX-512 those tests skip with
// the reason; go test -tags dlnb_simde (Debian: libsimde-dev) also compiles
// the same C code on SIMDe's emulation of AVX-512 with AVX2 and runs the
// tests on it, so the kernels' logic is tested on any x86-64 machine with
// AVX2.
package backend
