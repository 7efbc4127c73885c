//go:build cgo && amd64

package backend

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/blas/testblas"
)

// The tests below run dlnb's C kernels in three builds, each through its
// table (struct dlnb_impl): the AVX-512 build (gemm_avx512.c and
// kernels_avx512.c) native (AVX-512 instructions: only on CPUs with
// AVX-512F) and on SIMDe (the same C on SIMDe's emulation of AVX-512 with
// AVX2, built with -tags dlnb_simde), and the AVX2 build (gemm_avx2.c and
// kernels_avx2.c: CPUs with AVX2 and FMA). A build the machine cannot run is
// skipped with the reason, so that a green run there does not read as
// "tested".

func nativeOrSkip(t *testing.T) *cImpl {
	t.Helper()
	if !native.supported() {
		t.Skip("NOT TESTED: this CPU has no AVX-512F (or FMA), so the native AVX-512 kernels cannot run here; " +
			"the same C code runs emulated with: go test -tags dlnb_simde ./dlnb/backend (needs libsimde-dev)")
	}
	return native
}

func simdeOrSkip(t *testing.T) *cImpl {
	t.Helper()
	if simde == nil {
		t.Skip("NOT TESTED: " + simdeMissing)
	}
	if !simde.supported() {
		t.Skip("NOT TESTED: the SIMDe build of the AVX-512 kernels needs AVX2 and FMA, which this CPU lacks")
	}
	return simde
}

func avx2OrSkip(t *testing.T) *cImpl {
	t.Helper()
	if !avx2.supported() {
		t.Skip("NOT TESTED: this CPU has no AVX2 and FMA, so the AVX2 kernels cannot run here")
	}
	return avx2
}

// boundaries returns the boundary values of each dimension for a build
// with the block sizes b: 1 to 3, and ±1 around every size that decides a
// path, a tile or a mask: the 4-row blocks of smallk and smalln, the tile
// rows MR and 2·MR; the vector widths, tile widths NR and 2·NR of both
// precisions; twice the vector widths (the unrolled dot products); the
// path thresholds; KC, 2·KC, MC and NC.
func boundaries(b gemmBlocks) (m, n, k []int) {
	around := func(sizes ...int) []int {
		v := []int{1, 2, 3}
		for _, s := range sizes {
			v = append(v, s-1, s, s+1)
		}
		slices.Sort(v)
		return slices.Compact(v)
	}
	m = around(4, b.mr, 2*b.mr, b.fewRows, b.mc)
	n = around(b.w[0], b.w[1], b.nr[0], b.nr[1], 2*b.nr[0], 2*b.nr[1], b.smallN, b.narrow, b.nc)
	k = around(b.w[0], b.w[1], 2*b.w[0], 2*b.w[1], b.smallK, b.smallNMK, b.kc, 2*b.kc)
	return m, n, k
}

// The values the other two dimensions take when one runs through its
// boundaries: small, but large enough for the 4×2 blocks of smalln and for
// a full 8-row tile; fewer around NC, where products are larger.
var (
	smallDims   = []int{1, 2, 3, 5, 9}
	smallDimsNC = []int{2, 9}
)

// gemmShape is one product: op(A) is m×k, op(B) k×n. all runs it with all
// four transpose combinations, otherwise with tA, tB only.
type gemmShape struct {
	m, n, k int
	tA, tB  bool
	all     bool
	what    string
}

// courseShapes are the products of the course's networks at batch 100, as
// the layers call them (see dlnb/layers/conv.go and affine.go): per image
// for convolutions, and for the affine layers both whole and split in two
// by rows as ParallelGemm does on 2 cores (which moves the product onto the
// fewrows path).
func courseShapes() []gemmShape {
	var s []gemmShape
	conv := func(net string, fn, c, h, w, fs, pad int, first bool) {
		oh, ow := h+2*pad-fs+1, w+2*pad-fs+1
		k, p := c*fs*fs, oh*ow
		s = append(s,
			gemmShape{fn, p, k + 1, false, false, false, net + " conv forward W·col (bias row)"},
			gemmShape{fn, k, p, false, true, false, net + " conv dW = dout·colᵀ"})
		if !first { // dx through the flipped filters (stride 1, Pad ≤ FH−1)
			s = append(s, gemmShape{c, h * w, fn * fs * fs, false, false, false, net + " conv dx = W_flip·im2col(dout)"})
		}
	}
	affine := func(net string, n, d, m int) {
		for _, rows := range []int{n, (n + 1) / 2} {
			s = append(s,
				gemmShape{rows, m, d, false, false, false, net + " affine forward x·W"},
				gemmShape{rows, d, m, false, true, false, net + " affine dx = dout·Wᵀ"})
		}
		s = append(s, gemmShape{d, m, n, true, false, false, net + " affine dW = xᵀ·dout"})
	}
	const batch = 100
	// SimpleConvNet: conv 30×5×5 on 1×28×28, pool, affine 4320→100→10.
	conv("SimpleConvNet", 30, 1, 28, 28, 5, 0, true)
	affine("SimpleConvNet", batch, 30*12*12, 100)
	affine("SimpleConvNet", batch, 100, 10)
	// DoubleConvNet: conv 10×7×7 pad 1, pool, conv 20×3×3 pad 1, pool, affine 720→100→10;
	// "after": no pool between the convolutions, affine 2880→100.
	conv("DoubleConvNet", 10, 1, 28, 28, 7, 1, true)
	conv("DoubleConvNet", 20, 10, 12, 12, 3, 1, false)
	affine("DoubleConvNet", batch, 20*6*6, 100)
	conv("DoubleConvNet(after)", 20, 10, 24, 24, 3, 1, false)
	affine("DoubleConvNet(after)", batch, 20*12*12, 100)
	// DeepConvNet: 3×3 convolutions 16, 16 | 32, 32 (pad 2) | 64, 64, pools, affine 1024→50→10.
	conv("DeepConvNet", 16, 1, 28, 28, 3, 1, true)
	conv("DeepConvNet", 16, 16, 28, 28, 3, 1, false)
	conv("DeepConvNet", 32, 16, 14, 14, 3, 1, false)
	conv("DeepConvNet", 32, 32, 14, 14, 3, 2, false)
	conv("DeepConvNet", 64, 32, 8, 8, 3, 1, false)
	conv("DeepConvNet", 64, 64, 8, 8, 3, 1, false)
	affine("DeepConvNet", batch, 64*4*4, 50)
	affine("DeepConvNet", batch, 50, 10)
	// The col2im fallback of Convolution.Backward: dcol = W_flatᵀ·dout.
	s = append(s, gemmShape{25, 576, 30, true, false, false, "conv dcol = W_flatᵀ·dout (col2im path)"})
	return s
}

// gemmShapes is the table for a build with the block sizes b: each
// dimension through its boundaries crossed with small values of the other
// two (all transposes), the course's shapes, and random shapes from a fixed
// seed (all transposes).
func gemmShapes(b gemmBlocks) []gemmShape {
	boundM, boundN, boundK := boundaries(b)
	var s []gemmShape
	seen := map[[3]int]bool{}
	add := func(m, n, k int, what string) {
		if !seen[[3]int{m, n, k}] {
			seen[[3]int{m, n, k}] = true
			s = append(s, gemmShape{m: m, n: n, k: k, all: true, what: what})
		}
	}
	for _, x := range smallDims {
		for _, y := range smallDims {
			for _, v := range boundM {
				add(v, x, y, "m boundary")
			}
			for _, v := range boundN {
				if v < b.nc-1 || slices.Contains(smallDimsNC, x) && slices.Contains(smallDimsNC, y) {
					add(x, v, y, "n boundary")
				}
			}
			for _, v := range boundK {
				add(x, y, v, "k boundary")
			}
		}
	}
	// n around the narrow threshold with more rows than fewrows takes alone:
	// the narrow path (one MC block of rows and more) or the packed one.
	for _, n := range []int{b.narrow - 1, b.narrow, b.narrow + 1} {
		for _, m := range []int{b.fewRows + 1, b.mc + 1} {
			add(m, n, 9, "n boundary")
		}
	}
	s = append(s, courseShapes()...)
	r := rand.New(rand.NewPCG(12, 2024))
	logUniform := func(max int) int { return int(math.Exp(r.Float64() * math.Log(float64(max)))) }
	for range 40 {
		add(1+logUniform(200), 1+logUniform(400), 1+logUniform(600), "random")
	}
	return s
}

// The data of a case. exactData holds multiples of 1/16 in [−1, 1]: every
// product and partial sum of the table is then exact in float32 and
// float64, whatever the order and fusion, so the result must equal the
// reference exactly. randomData holds uniform values (rounded to float32)
// compared within a bound on the rounding error.
type dataKind int

const (
	exactData dataKind = iota
	randomData
)

func (d dataKind) String() string { return [...]string{"exact", "random"}[d] }

func fillData(r *rand.Rand, kind dataKind, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		if kind == exactData {
			x[i] = float64(r.IntN(33)-16) / 16
		} else {
			x[i] = float64(float32(2*r.Float64() - 1))
		}
	}
	return x
}

// The alpha and beta of the cases: every combination on exact data, two on
// random data. beta = 0 runs with C full of NaN.
var (
	alphas       = []float64{0, 1, -0.5}
	betas        = []float64{0, 1, 2}
	exactCombos  = allCombos()
	randomCombos = [][2]float64{{1, 0}, {-0.5, 2}}
)

func allCombos() (c [][2]float64) {
	for _, b := range betas {
		for _, a := range alphas {
			c = append(c, [2]float64{a, b})
		}
	}
	return c
}

// padCycle holds the paddings of the leading dimensions of A, B and C, used
// in turn by the shapes of the table: unpadded, and padded by a few values.
var padCycle = [][3]int{{0, 0, 0}, {3, 2, 5}, {1, 0, 0}, {0, 1, 3}, {0, 0, 1}}

// Values around the matrices: NaN in the padding of A and B (a kernel that
// reads it spreads NaN into C), a marker in C's padding (a kernel that writes
// it changes it), and a guard zone after each slice holding the same.
const (
	cMarker   = 7777.5
	guardLen  = 64
	maxErrors = 10
)

// layout copies the rows×cols row-major src into a slice with leading
// dimension ld, returning the backing array (with pad in the padding and in
// a guard zone after the last row) and the view passed to GEMM, which ends
// exactly after the last element.
func layout[T float32 | float64](src []float64, rows, cols, ld int, pad float64) (full, view []T) {
	n := ld*(rows-1) + cols
	full = make([]T, n+guardLen*guardOn)
	for i := range full {
		full[i] = T(pad)
	}
	for i := range rows {
		for j := range cols {
			full[i*ld+j] = T(src[i*cols+j])
		}
	}
	return full, full[:n:n]
}

// gemmOn calls the build's GEMM through the Go wrapper, as blas32/blas64 do.
func gemmOn[T float32 | float64](im *cImpl, tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int,
	b []T, ldb int, beta T, c []T, ldc int) {
	o := kernelBLAS{im: im}
	switch a := any(a).(type) {
	case []float32:
		o.Sgemm(tA, tB, m, n, k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	case []float64:
		o.Dgemm(tA, tB, m, n, k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	}
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// gemmRef holds one product's reference: P = op(A)·op(B) and
// M = |op(A)|·|op(B)|, computed by gonum's pure-Go Dgemm in float64 from
// values exact in float32.
type gemmRef struct {
	m, n, k int
	tA, tB  bool
	kind    dataKind
	a, b    []float64 // stored as passed: A is m×k (k×m when transposed), B k×n (n×k)
	c0      []float64 // C before the call (m×n)
	p, mag  []float64
}

func newRef(r *rand.Rand, m, n, k int, tA, tB bool, kind dataKind) *gemmRef {
	g := &gemmRef{m: m, n: n, k: k, tA: tA, tB: tB, kind: kind}
	g.a, g.b, g.c0 = fillData(r, kind, m*k), fillData(r, kind, k*n), fillData(r, kind, m*n)
	lda, ldb := g.dims()
	g.p, g.mag = make([]float64, m*n), make([]float64, m*n)
	ref := gonum.Implementation{}
	ref.Dgemm(trans(tA), trans(tB), m, n, k, 1, g.a, lda, g.b, ldb, 0, g.p, n)
	if kind == randomData {
		abs := func(x []float64) []float64 {
			y := make([]float64, len(x))
			for i, v := range x {
				y[i] = math.Abs(v)
			}
			return y
		}
		ref.Dgemm(trans(tA), trans(tB), m, n, k, 1, abs(g.a), lda, abs(g.b), ldb, 0, g.mag, n)
	}
	return g
}

// dims returns the unpadded leading dimensions of A and B as stored.
func (g *gemmRef) dims() (lda, ldb int) {
	lda, ldb = g.k, g.n
	if g.tA {
		lda = g.m
	}
	if g.tB {
		ldb = g.k
	}
	return lda, ldb
}

func (g *gemmRef) String() string {
	return fmt.Sprintf("m=%d n=%d k=%d tA=%v tB=%v (%s data)", g.m, g.n, g.k, g.tA, g.tB, g.kind)
}

// run computes the product on im in precision T with each alpha/beta
// combination, the leading dimensions padded by pad, and checks C, its
// padding, its guard zone and that A and B are unchanged; it returns a
// description of each problem found (three at most).
func run[T float32 | float64](im *cImpl, g *gemmRef, combos [][2]float64, pad [3]int) []string {
	lda0, ldb0 := g.dims()
	rowsA, rowsB := len(g.a)/lda0, len(g.b)/ldb0
	lda, ldb, ldc := lda0+pad[0], ldb0+pad[1], g.n+pad[2]
	aFull, a := layout[T](g.a, rowsA, lda0, lda, math.NaN())
	bFull, b := layout[T](g.b, rowsB, ldb0, ldb, math.NaN())
	nanC := make([]float64, len(g.c0))
	for i := range nanC {
		nanC[i] = math.NaN()
	}
	u := math.Ldexp(1, -53)
	if sizeof[T]() == 4 {
		u = math.Ldexp(1, -24)
	}
	var probs []string
	for _, ab := range combos {
		alpha, beta := ab[0], ab[1]
		where := func(format string, args ...any) {
			if len(probs) < 3 {
				probs = append(probs, fmt.Sprintf("%v alpha=%g beta=%g lda=%d ldb=%d ldc=%d float%d: ",
					g, alpha, beta, lda, ldb, ldc, 8*sizeof[T]())+fmt.Sprintf(format, args...))
			}
		}
		c0 := g.c0
		if beta == 0 {
			c0 = nanC
		}
		cFull, c := layout[T](c0, g.m, g.n, ldc, cMarker)

		gemmOn(im, trans(g.tA), trans(g.tB), g.m, g.n, g.k, T(alpha), a, lda, b, ldb, T(beta), c, ldc)

		for i := range g.m {
			for j := range g.n {
				got := float64(c[i*ldc+j])
				var want, tol float64
				if alpha == 0 { // C = beta·C exactly (0 when beta = 0, whatever C held)
					if beta != 0 {
						want = beta * g.c0[i*g.n+j]
					}
				} else {
					want = alpha * g.p[i*g.n+j]
					if beta != 0 {
						want += beta * g.c0[i*g.n+j]
					}
					if g.kind == randomData {
						// The kernel's and the reference's rounding errors, each at most
						// (k+2)·u·(|alpha|·Σ|a||b| + |beta·c|) to first order.
						tol = 2 * float64(g.k+2) * u * (math.Abs(alpha)*g.mag[i*g.n+j] + math.Abs(beta*g.c0[i*g.n+j]))
					}
				}
				if !(math.Abs(got-want) <= tol) { // also catches NaN
					where("C[%d,%d] = %g, want %g (tolerance %.3g)", i, j, got, want, tol)
				}
			}
		}
		for i, v := range cFull {
			if i < len(c) && i%ldc < g.n {
				continue
			}
			if v != cMarker {
				where("element %d of C's padding or guard (ldc %d, length %d) changed to %g", i, ldc, len(c), v)
				break
			}
		}
	}
	if !intact(aFull, g.a, rowsA, lda0, lda) || !intact(bFull, g.b, rowsB, ldb0, ldb) {
		probs = append(probs, fmt.Sprintf("%v lda=%d ldb=%d float%d: A or B was written", g, lda, ldb, 8*sizeof[T]()))
	}
	return probs
}

// intact reports whether full still holds layout(src, rows, cols, ld, NaN).
func intact[T float32 | float64](full []T, src []float64, rows, cols, ld int) bool {
	for i, v := range full {
		r, j := i/ld, i%ld
		if r < rows && j < cols {
			if v != T(src[r*cols+j]) {
				return false
			}
		} else if v == v {
			return false
		}
	}
	return true
}

func sizeof[T float32 | float64]() int {
	var x T
	if _, ok := any(x).(float32); ok {
		return 4
	}
	return 8
}

// same compares bit for bit (NaN equals NaN).
func same[T float32 | float64](x, y []T) bool {
	for i := range x {
		if math.Float64bits(float64(x[i])) != math.Float64bits(float64(y[i])) && !(x[i] != x[i] && y[i] != y[i]) {
			return false
		}
	}
	return len(x) == len(y)
}

// TestGemmTableNative runs the table on the native AVX-512 build.
func TestGemmTableNative(t *testing.T) { testGemmTable(t, nativeOrSkip(t)) }

// TestGemmTableSIMDe runs the table on the SIMDe build (-tags dlnb_simde).
func TestGemmTableSIMDe(t *testing.T) { testGemmTable(t, simdeOrSkip(t)) }

// TestGemmTableAVX2 runs the table on the AVX2 implementation.
func TestGemmTableAVX2(t *testing.T) { testGemmTable(t, avx2OrSkip(t)) }

// testGemmTable compares im's SGEMM and DGEMM with gonum's pure-Go DGEMM on
// every shape of gemmShapes, with every transpose combination (the course's
// shapes with their own), alpha ∈ {0, 1, −0.5}, beta ∈ {0 (C full of NaN),
// 1, 2}, padded and unpadded leading dimensions, on exact and random data;
// then checks that every path of the build's GEMM was taken in both
// precisions.
func testGemmTable(t *testing.T, im *cImpl) {
	// The path counters are per OS thread: keep every call on this one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	im.pathHits(true)
	testblas.TestDgemm(t, kernelBLAS{im: im})

	start := time.Now()
	r := rand.New(rand.NewPCG(1, 2))
	var nCalls, nShapes, nErrors int
	perKind := map[string]int{}
	trs := [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}}
	for _, s := range gemmShapes(im.blocks()) {
		tr := trs
		if !s.all {
			tr = [][2]bool{{s.tA, s.tB}}
			perKind["course"]++
		} else {
			perKind[s.what]++
		}
		for _, ab := range tr {
			pad := padCycle[nShapes%len(padCycle)]
			nShapes++
			for _, kind := range []dataKind{exactData, randomData} {
				g := newRef(r, s.m, s.n, s.k, ab[0], ab[1], kind)
				combos := exactCombos
				if kind == randomData {
					combos = randomCombos
				}
				probs := run[float32](im, g, combos, pad)
				probs = append(probs, run[float64](im, g, combos, pad)...)
				nCalls += 2 * len(combos)
				for _, p := range probs {
					if nErrors++; nErrors <= maxErrors {
						t.Errorf("%s [%s]", p, s.what)
					}
				}
			}
		}
	}
	if nErrors > maxErrors {
		t.Errorf("... %d problems in all", nErrors)
	}
	t.Logf("%s: %d products in %v: %d shape×transpose combinations × 2 precisions × "+
		"(%d alpha × %d beta on exact data + %d alpha/beta pairs on random data)",
		im.name(), nCalls, time.Since(start).Round(time.Millisecond), nShapes, len(alphas), len(betas), len(randomCombos))
	t.Logf("shapes: %d at m boundaries, %d at n boundaries, %d at k boundaries, %d random (all with 4 transpose combinations), "+
		"%d from the course's networks (with their own)", perKind["m boundary"], perKind["n boundary"],
		perKind["k boundary"], perKind["random"], perKind["course"])
	checkPathsReached(t, im, "NOBUF", "ROWS", "SPARSE") // ROWS: GemmRows, see rows_test.go; SPARSE: sparse_test.go
}

// checkPathsReached fails for every path of the GEMM (but those in except) that no call on this thread took since the last reset, and logs
// the counts.
func checkPathsReached(t *testing.T, im *cImpl, except ...string) {
	t.Helper()
	hits := im.pathHits(true)
	names, descs := pathNames()
	var b strings.Builder
	fmt.Fprintf(&b, "calls per path (float32, float64):")
	for p, name := range names {
		fmt.Fprintf(&b, "\n  %-15s %7d %7d  %s", name, hits[0][p], hits[1][p], descs[p])
		if strings.Contains(" "+strings.Join(except, " ")+" ", " "+name+" ") {
			continue
		}
		for prec, bits := range []int{32, 64} {
			if hits[prec][p] == 0 {
				t.Errorf("path %s (%s) never taken in float%d", name, descs[p], bits)
			}
		}
	}
	t.Log(b.String())
}

// TestGemmAllocFailureNative checks the fallback when a packing buffer
// cannot be allocated (native build).
func TestGemmAllocFailureNative(t *testing.T) { testAllocFailure(t, nativeOrSkip(t)) }

// TestGemmAllocFailureSIMDe is TestGemmAllocFailureNative on the SIMDe build.
func TestGemmAllocFailureSIMDe(t *testing.T) { testAllocFailure(t, simdeOrSkip(t)) }

// TestGemmAllocFailureAVX2 is TestGemmAllocFailureNative on the AVX2
// implementation.
func TestGemmAllocFailureAVX2(t *testing.T) { testAllocFailure(t, avx2OrSkip(t)) }

// testAllocFailure makes the first, second or both buffer allocations of a
// call fail (the test hook in dlnb_aligned_alloc): the call must then leave
// C alone and report it (path NOBUF), the Go wrapper must compute the
// product with gonum, and the next call must allocate and use the kernels.
// Paths that need no buffer must not notice. The im2col kernel must fall
// back to its plain loop.
func testAllocFailure(t *testing.T, im *cImpl) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer im.failAllocs(0)
	nobuf := pathIndex(t, "NOBUF")
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		what           string
		tA, tB         bool
		m, n, k        int
		mask           uint
		allocs         int  // allocations the call attempts
		fallsBack      bool // whether it must fall back
		pathAfterwards string
	}{
		{"packed, A buffer fails", false, true, 100, 50, 40, 0b01, 2, true, "PACKED"},
		{"packed, B buffer fails", false, true, 100, 50, 40, 0b10, 2, true, "PACKED"},
		{"packed, both fail", true, false, 100, 50, 40, 0b11, 2, true, "PACKED"},
		{"fewrows with Aᵀ packed, buffer fails", true, false, 20, 50, 40, 0b1, 1, true, "FEWROWS_PACKED"},
		{"fewrows with A in place needs no buffer", false, false, 20, 50, 40, 0b1, 0, false, "FEWROWS_INPLACE"},
		{"smallk needs no buffer", false, false, 20, 50, 4, 0b1, 0, false, "SMALLK"},
		{"smalln needs no buffer", false, true, 20, 5, 100, 0b1, 0, false, "SMALLN"},
	} {
		g := newRef(r, tc.m, tc.n, tc.k, tc.tA, tc.tB, exactData)
		after := pathIndex(t, tc.pathAfterwards)
		for prec, bits := range []int{32, 64} {
			im.freeBuffers()
			im.pathHits(true)
			im.failAllocs(tc.mask)
			probs := runPrec(im, g, bits)
			left := im.failAllocs(0)
			hits := im.pathHits(true)
			for _, p := range probs {
				t.Errorf("%s: %s", tc.what, p)
			}
			if want := tc.mask >> tc.allocs; left != want {
				t.Errorf("%s, float%d: the call made %d allocations, want %d", tc.what, bits,
					bitsConsumed(tc.mask, left), tc.allocs)
			}
			if fell := hits[prec][nobuf] > 0; fell != tc.fallsBack {
				t.Errorf("%s, float%d: fell back = %v, want %v", tc.what, bits, fell, tc.fallsBack)
			}
			// Nothing fails now: the buffers are allocated and the kernels run.
			probs = runPrec(im, g, bits)
			hits = im.pathHits(true)
			for _, p := range probs {
				t.Errorf("%s, next call: %s", tc.what, p)
			}
			if hits[prec][nobuf] != 0 || hits[prec][after] == 0 {
				t.Errorf("%s, float%d, next call: NOBUF %d, %s %d", tc.what, bits, hits[prec][nobuf],
					tc.pathAfterwards, hits[prec][after])
			}
		}
	}

	// im2col: its padded-plane buffer cannot be allocated → the plain loop.
	c, h, w, fs, pad := 3, 9, 11, 3, 2
	oh, ow := h+2*pad-fs+1, w+2*pad-fs+1
	img := fillData(r, randomData, c*h*w)
	for _, bits := range []int{32, 64} {
		im.freeBuffers()
		want := make([]float64, c*fs*fs*oh*ow)
		got := make([]float64, len(want))
		if bits == 32 {
			img32, want32, got32 := to32(img), make([]float32, len(want)), make([]float32, len(want))
			im2colOn(im, want32, img32, c, h, w, fs, fs, pad, oh, ow)
			im.freeBuffers()
			im.failAllocs(1)
			im2colOn(im, got32, img32, c, h, w, fs, fs, pad, oh, ow)
			want, got = to64(want32), to64(got32)
		} else {
			im2colOn(im, want, img, c, h, w, fs, fs, pad, oh, ow)
			im.freeBuffers()
			im.failAllocs(1)
			im2colOn(im, got, img, c, h, w, fs, fs, pad, oh, ow)
		}
		if left := im.failAllocs(0); left != 0 {
			t.Errorf("im2col float%d did not try to allocate its buffer", bits)
		}
		if !same(got, want) {
			t.Errorf("im2col float%d without its buffer differs from im2col with it", bits)
		}
	}
}

func bitsConsumed(mask, left uint) int {
	for n := 0; n < 32; n++ {
		if mask>>n == left {
			return n
		}
	}
	return -1
}

func pathIndex(t *testing.T, name string) int {
	names, _ := pathNames()
	for i, n := range names {
		if n == name {
			return i
		}
	}
	t.Fatalf("no path %s", name)
	return -1
}

// runPrec is run in float32 (bits 32) or float64 with alpha = −0.5, beta = 2
// and padded leading dimensions.
func runPrec(im *cImpl, g *gemmRef, bits int) []string {
	combos, pad := [][2]float64{{-0.5, 2}}, [3]int{3, 2, 5}
	if bits == 32 {
		return run[float32](im, g, combos, pad)
	}
	return run[float64](im, g, combos, pad)
}

func to32(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

func to64[T float32 | float64](x []T) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

// TestGemmConcurrentNative runs products from several goroutines at once, as
// ParallelGemm and the convolution layers do: every thread has its own
// packing buffers.
func TestGemmConcurrentNative(t *testing.T) { testConcurrent(t, nativeOrSkip(t)) }

// TestGemmConcurrentSIMDe is TestGemmConcurrentNative on the SIMDe build.
func TestGemmConcurrentSIMDe(t *testing.T) { testConcurrent(t, simdeOrSkip(t)) }

// TestGemmConcurrentAVX2 is TestGemmConcurrentNative on the AVX2
// implementation.
func TestGemmConcurrentAVX2(t *testing.T) { testConcurrent(t, avx2OrSkip(t)) }

func testConcurrent(t *testing.T, im *cImpl) {
	shapes := [][3]int{{100, 100, 300}, {30, 576, 26}, {64, 64, 577}, {16, 9, 784}, {129, 49, 257}}
	var refs []*gemmRef
	r := rand.New(rand.NewPCG(5, 6))
	for i, s := range shapes {
		refs = append(refs, newRef(r, s[0], s[1], s[2], i%2 == 1, i%3 == 2, exactData))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for gr := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 5 {
				g := refs[(gr+round)%len(refs)]
				probs := append(run[float32](im, g, exactCombos, padCycle[1]), run[float64](im, g, exactCombos, padCycle[3])...)
				mu.Lock()
				for _, p := range probs {
					t.Errorf("goroutine %d: %s", gr, p)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
