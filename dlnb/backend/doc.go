// Package backend chooses the BLAS behind every matrix product in dlnb and
// runs loops in parallel over the machine's cores.
//
// dlnb calls matrix products through gonum's BLAS interface (blas64 and
// blas32). At start-up this package installs the fastest implementation it
// finds:
//
//   - dlnb's own AVX-512 kernels (gemm_avx512.c, kernels_avx512.c: C through
//     cgo) when the CPU has AVX-512F: on the course machines they run the
//     course's matrix shapes up to twice as fast as OpenBLAS, whose kernels
//     are limited to AVX2 there (OPENBLAS_CORETYPE=Haswell).
//   - dlnb's own AVX2 kernels (gemm_avx2.c, kernels_avx2.c) when the CPU has
//     AVX2 and FMA but no AVX-512F, as most laptops and AMD Zen 1 to 3: the
//     same paths with 256-bit vectors and 4-row tiles.
//   - OpenBLAS, loaded at run time with dlopen (Debian: libopenblas0 /
//     libopenblas-dev) when the program is built with cgo. No link flags are
//     needed, so the same code builds on a machine without OpenBLAS.
//   - gonum's pure-Go BLAS otherwise, or when CGO_ENABLED=0.
//
// DLNB_BLAS=avx512, avx2, openblas or go forces one (an unavailable choice
// is an error reported by Err; avx2 runs on AVX-512 CPUs too); DLNB_OPENBLAS
// names the shared library to load. Name reports which BLAS is active and
// Kind which of the four.
//
// # How an implementation is selected
//
// Each set of C kernels fills in a table of function pointers (struct
// dlnb_impl in dlnb_avx512.h: GEMM in both precisions, the element-wise
// kernels of Fast, block sizes and test hooks), and the Go code calls the
// chosen table through one set of wrappers (cImpl, kernelBLAS). The choice
// is made once, in init (select.go), from the CPU's features as the C
// library reports them (__builtin_cpu_supports, which also checks that the
// operating system saves the vector registers): AVX-512F and FMA, else AVX2
// and FMA, else OpenBLAS, else gonum. The AVX-512 and AVX2 sources are
// compiled into every cgo build on amd64 with per-function or per-file
// target attributes, so one binary runs the best kernels of whatever x86-64
// CPU it lands on and no build flags are needed. With dlnb's kernels
// installed, Fast reports true and packages layers and optim call the
// element-wise kernels too (ReLU, Adam, im2col, col2im, 2×2 max pooling, row
// sums; Exp, Sigmoid and Tanh from exp_avx2.c: Go's math.Exp and math.Tanh
// algorithms four lanes at a time, bit for bit, so sigmoid and tanh networks
// train to the same numbers either way; and, from pool_lrn_avx2.c, max and
// average pooling over any window without padding and the sums and scaling
// of LRN, each bit for bit its Go loop); with OpenBLAS or gonum they keep
// their Go loops.
//
// OpenBLAS runs single-threaded: dlnb parallelises over the batch with
// goroutines (Parallel), and two thread pools competing for the same cores
// would slow both down. So do dlnb's kernels: every call runs on the calling
// thread with per-thread packing buffers.
//
// The kernels are tested against gonum's pure-Go BLAS and the Go loops of
// package layers, each build through its table (gemm_avx512_test.go,
// kernels_avx512_test.go), with cases at every block boundary of that
// build. A build the CPU cannot run skips with the reason. go test -tags
// dlnb_simde (Debian: libsimde-dev) also compiles the AVX-512 C code on
// SIMDe's emulation of AVX-512 with AVX2 and runs the tests on it, so the
// AVX-512 kernels' logic is tested on any x86-64 machine with AVX2.
package backend
