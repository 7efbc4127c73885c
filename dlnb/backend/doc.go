// Package backend chooses the BLAS behind every matrix product in dlnb and
// runs loops in parallel over the machine's cores.
//
// dlnb calls matrix products through gonum's BLAS interface (blas64 and
// blas32). At start-up this package installs the fastest implementation it
// finds:
//
//   - dlnb's own AVX-512 kernels (the avx512 build: C through cgo) when the
//     CPU has AVX-512F: on the course machines they run the
//     course's matrix shapes up to twice as fast as OpenBLAS, whose kernels
//     are limited to AVX2 there (OPENBLAS_CORETYPE=Haswell).
//   - dlnb's own AVX2 kernels (the avx2 build) when the CPU has AVX2 and FMA
//     but no AVX-512F, as most laptops and AMD Zen 1 to 3: the same code with
//     256-bit vectors and 4-row tiles.
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
// Each build of the C kernels fills in a table of function pointers (struct
// dlnb_impl in dlnb_kernels.h: GEMM in both precisions, the element-wise
// kernels of Fast, block sizes and test hooks), and the Go code calls the
// chosen table through one set of wrappers (cImpl, kernelBLAS). The choice
// is made once, in init (select.go), from the CPU's features as the C
// library reports them (__builtin_cpu_supports, which also checks that the
// operating system saves the vector registers): AVX-512F and FMA, else AVX2
// and FMA, else OpenBLAS, else gonum. Both builds are compiled into every
// cgo build on amd64 with target pragmas around their code, so one binary
// runs the best kernels of whatever x86-64 CPU it lands on and no build
// flags are needed. With dlnb's kernels
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
// The kernels are tested against gonum's pure-Go BLAS and their Go loops,
// each build through its table (gemm_test.go, kernels_test.go), with cases
// at every block boundary of that build. A build the CPU cannot run skips
// with the reason. go test -tags dlnb_simde (Debian: libsimde-dev) also
// compiles the AVX-512 C code on SIMDe's emulation of AVX-512 with AVX2 (the
// simde build) and runs the tests on it, so the AVX-512 kernels' logic is
// tested on any x86-64 machine with AVX2.
//
// # How the C code is laid out
//
// Each kernel is written once, for one precision, against a small
// vocabulary of vector operations (simd.h: the vector type V, its lanes W,
// VLOADU, VFMA, VSET1, masks, VREDUCE, ...), and instantiated per build and
// precision: a build's ISA header (simd_avx2.h, simd_avx512.h; the simde
// build's avx512_simde.h before the latter) says what each operation is on
// its vectors and sets its block sizes, and instantiate.h includes a body
// once per precision (DLNB_D = 0 for float32, 1 for float64). gemm_body.h
// is every path of the GEMM (packing, loops, drivers); a build may replace
// only its micro-kernel (gemm_kernel_avx512.h, whose 8×3 tile is the
// AVX-512 build's own). kernels_body.h holds the element-wise kernels.
// gemm_build.h and kernels_build.h instantiate the bodies and fill in the
// table; gemm_avx2.c, kernels_avx2.c, gemm_avx512.c and kernels_avx512.c
// (and gemm_simde.c, kernels_simde.c) only name the ISA header and the
// build file. The element-wise kernels sit in files of their own because
// they are compiled without contraction into fused multiply-adds, so that
// they round as Go does; the GEMM's files keep the compiler's default.
// Every exported symbol is dlnb_<build>_<kernel>_<s|d> (dlnb_avx2_gemm_s,
// dlnb_avx512_adam_d, dlnb_simde_im2col_s). The AVX2 kernels that every
// build shares (exp_avx2.c, pool_lrn_avx2.c) follow the same names.
//
// To add a kernel: write its body once in kernels_body.h (or in a new
// NAME_body.h) with the names of simd.h, adding to each ISA header any
// operation it lacks; instantiate it in kernels_build.h, which includes
// kernels_body.h for every build and precision (a new body takes one more
// #define DLNB_BODY "NAME_body.h" and #include "instantiate.h" there);
// declare it by one line in DLNB_ELEMENTWISE in dlnb_kernels.h, which gives
// the table
// its entries and every build its declaration; call it from Go through a
// dlnb_call_ helper and an On wrapper in kernels_cgo.go; and test it in
// kernels_test.go against its Go reference loop, exported from package
// dlnb/internal/loops, which layers or optim run when the kernels are not
// in use.
package backend
