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
package backend
