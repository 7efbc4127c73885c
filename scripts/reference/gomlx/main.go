// Command gomlxbench times the course networks in GoMLX (github.com/gomlx/gomlx
// v0.26.0) on its pure-Go "simplego" backend, the way `dlnb bench` times dlnb:
// Adam (GoMLX's optimizers.Adam, lr 0.001), batch 100 of random real MNIST
// images drawn with replacement, softmax cross-entropy, float32; warm-up steps
// first (the first one builds and compiles the graph), then N timed steps. Or
// inference over the 10,000 test images in batches of 1000 (one untimed batch,
// then whole passes for at least 2 s).
//
// It prints one line in the format of scripts/reference/benchutil.py:
//
//	net=mlp precision=float32 impl=gomlx-v0.26.0-simplego threads=2 mode=train optimizer=Adam batch=100 steps=N step_ms=… img/s=…
//
// usage (in scripts/reference/gomlx; build once with `go build -o ../../../build/gomlxbench .`):
//
//	go run . MNIST_DIR NET STEPS [--infer [--images=N]] [--warmup=N] [--gemm-grad] [--im2col] [--check]
//
// --images=N times inference on the first N test images only (a multiple of
// 1000): simplego is slow enough that a whole pass takes minutes.
//
// NET is mlp, simpleconv, doubleconv or deepconv (same shapes as bench_torch.py;
// images are N×28×28×1, GoMLX's channels-last layout). MNIST_DIR "-" means the
// GoMNIST module's data folder in the Go module cache.
//
// As GoMLX v0.26.0 ships it, simplego cannot train a CNN: max pooling
// differentiates to SelectAndScatterMax and a convolution's input gradient
// uses Reverse, neither implemented in simplego. So pooling is a reshape and a
// ReduceMax, and the convolution's gradient is this program's (gradients.go,
// checked against central differences by gradients_test.go). The rest is
// GoMLX's: layers.Dense, Convolve (simplego's direct convolution), the
// autodiff, the Trainer and Adam. Two options replace slow parts:
//
//	--gemm-grad  the gradient of a matrix product as two matrix products (GoMLX
//	             v0.26.0 broadcasts to [i,j,k], multiplies and sums; changed
//	             upstream after v0.26.0); impl=…+gemmgrad
//	--im2col     convolutions as zero padding + Gather of the patches + one matrix
//	             product (simplego's blocked, parallel DotGeneral) instead of
//	             simplego's direct convolution; implies --gemm-grad; impl=…+im2col+gemmgrad
//
// --check trains STEPS steps printing the batch loss every 10 steps and then
// the test accuracy, to show that the graph really learns (it prints no
// benchmark line). The simplego backend splits matrix products and runs
// independent ops on a pool of runtime.GOMAXPROCS(0) workers (threads= in the
// line; GoMLX's own default is runtime.NumCPU()): set GOMAXPROCS to change it.
// Its convolutions, elementwise ops and reductions run on one core.
//
// This is its own Go module so that the main module does not depend on GoMLX
// (and `go vet ./...`, `go test ./...` at the repository root do not come here).
package main

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/layers/activations"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/losses"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// gomlxVersion is the GoMLX version pinned in go.mod (printed in impl=).
const gomlxVersion = "v0.26.0"

// --- MNIST ---------------------------------------------------------------------

// mnistSHA256 are the published SHA-256 of the four files (as in datasets/mnist.go).
var mnistSHA256 = map[string]string{
	"train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
	"train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
	"t10k-images-idx3-ubyte.gz":  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
	"t10k-labels-idx1-ubyte.gz":  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

// readIDX reads a gzipped IDX file (after checking its SHA-256) and returns its
// dimensions and bytes.
func readIDX(dir, name string) ([]int, []byte, error) {
	path := filepath.Join(dir, name)
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != mnistSHA256[name] {
		return nil, nil, fmt.Errorf("%s: SHA-256 %s is not the published %s", path, got, mnistSHA256[name])
	}
	zr, err := gzip.NewReader(strings.NewReader(string(raw)))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	r := bufio.NewReader(zr)
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 {
		return nil, nil, fmt.Errorf("%s: not an unsigned-byte IDX file", path)
	}
	dims := make([]int, magic[3])
	n := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		dims[i] = int(d)
		n *= int(d)
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return dims, data, nil
}

// split is one half of MNIST: images normalised like the course's load_mnist
// (float32(k)/255), N×784 row-major, and labels.
type split struct {
	x []float32
	d []int32
	n int
}

func loadSplit(dir, images, labels string) (split, error) {
	dims, px, err := readIDX(dir, images)
	if err != nil {
		return split{}, err
	}
	ldims, lab, err := readIDX(dir, labels)
	if err != nil {
		return split{}, err
	}
	if len(dims) != 3 || dims[1] != 28 || dims[2] != 28 || len(ldims) != 1 || ldims[0] != dims[0] {
		return split{}, fmt.Errorf("%s/%s: unexpected dimensions %v and %v", images, labels, dims, ldims)
	}
	s := split{x: make([]float32, len(px)), d: make([]int32, len(lab)), n: dims[0]}
	for i, v := range px {
		s.x[i] = float32(v) / 255
	}
	for i, v := range lab {
		s.d[i] = int32(v)
	}
	return s, nil
}

// mnistDir returns the directory given, or the GoMNIST module's data folder in
// the Go module cache (where scripts/setup.sh puts MNIST).
func mnistDir(arg string) string {
	if arg != "" && arg != "-" {
		return arg
	}
	const rel = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data"
	roots := []string{os.Getenv("GOMODCACHE")}
	if g := os.Getenv("GOPATH"); g != "" {
		roots = append(roots, filepath.Join(filepath.SplitList(g)[0], "pkg", "mod"))
	}
	if h, err := os.UserHomeDir(); err == nil {
		roots = append(roots, filepath.Join(h, "go", "pkg", "mod"))
	}
	for _, r := range roots {
		if r == "" {
			continue
		}
		if st, err := os.Stat(filepath.Join(r, rel)); err == nil && st.IsDir() {
			return filepath.Join(r, rel)
		}
	}
	return filepath.Join(os.Getenv("HOME"), "go", "pkg", "mod", rel)
}

// --- networks (same shapes as bench_torch.py; images are N×28×28×1, GoMLX's
// default channels-last layout) ---------------------------------------------------

// conv2d is a 2-D convolution with explicit symmetric padding and a bias, its
// variables in ctx's scope ("weights" kh×kw×cin×cout and "biases").
func conv2d(ctx *context.Context, x *Node, channels, kernel, pad int) *Node {
	cin := x.Shape().Dimensions[3]
	w := ctx.VariableWithShape("weights", shapeOf(x, kernel, kernel, cin, channels)).ValueGraph(x.Graph())
	b := ctx.VariableWithShape("biases", shapeOf(x, channels)).ValueGraph(x.Graph())
	var y *Node
	if useIm2col {
		y = convIm2col(x, w, pad)
	} else {
		y = convDirect(x, w, pad)
	}
	return Add(y, Reshape(b, 1, 1, 1, channels))
}

// useIm2col selects convIm2col for conv2d (--im2col).
var useIm2col bool

// convDirect is GoMLX's convolution (simplego's ConvGeneral: a direct loop
// over output positions and kernel taps, on one core), stride 1, padding pad.
func convDirect(x, w *Node, pad int) *Node {
	y := Convolve(x, w).Strides(1).PaddingPerDim([][2]int{{pad, pad}, {pad, pad}}).Done()
	markConv(y) // its gradient is installConvGradient's
	return y
}

// convIm2col is the same convolution written as the course's im2col: pad with
// zeros (Concatenate), gather the k×k×C patch of every output position
// (Gather; its gradient is a ScatterSum) and multiply by the kernel as a
// (k·k·C)×Cout matrix (Dot, simplego's blocked, parallel matrix product).
func convIm2col(x, w *Node, pad int) *Node {
	d := x.Shape().Dimensions
	n, h, wd, c := d[0], d[1], d[2], d[3]
	k, cout := w.Shape().Dimensions[0], w.Shape().Dimensions[3]
	if pad > 0 {
		zr := Zeros(x.Graph(), shapes.Make(x.DType(), n, pad, wd, c))
		x = Concatenate([]*Node{zr, x, zr}, 1)
		zc := Zeros(x.Graph(), shapes.Make(x.DType(), n, h+2*pad, pad, c))
		x = Concatenate([]*Node{zc, x, zc}, 2)
		h, wd = h+2*pad, wd+2*pad
	}
	ho, wo := h-k+1, wd-k+1
	idx := make([]int32, 0, n*ho*wo*k*k)
	for b := range n {
		for oy := range ho {
			for ox := range wo {
				for ky := range k {
					for kx := range k {
						idx = append(idx, int32((b*h+oy+ky)*wd+ox+kx))
					}
				}
			}
		}
	}
	indices := Const(x.Graph(), tensors.FromFlatDataAndDimensions(idx, len(idx), 1))
	cols := Reshape(Gather(Reshape(x, n*h*wd, c), indices), n*ho*wo, k*k*c)
	y := Dot(cols, Reshape(w, k*k*c, cout))
	return Reshape(y, n, ho, wo, cout)
}

// pool2 is a 2×2 max pooling with stride 2 written as a reshape and a
// ReduceMax: GoMLX's MaxPool differentiates to SelectAndScatterMax, which
// simplego v0.26.0 does not implement ("op not implemented in SimpleGo yet").
// H and W are even in all four networks.
func pool2(x *Node) *Node {
	d := x.Shape().Dimensions // N, H, W, C
	return ReduceMax(Reshape(x, d[0], d[1]/2, 2, d[2]/2, 2, d[3]), 2, 4)
}

func flatten(x *Node) *Node { return Reshape(x, x.Shape().Dimensions[0], -1) }

func dense(ctx *context.Context, x *Node, n int) *Node { return layers.DenseWithBias(ctx, x, n) }

// nets maps a network name to its graph: x is N×784 (mlp) or N×28×28×1; it
// returns the logits N×10.
var nets = map[string]func(ctx *context.Context, x *Node) *Node{
	// MLP 784-[100×5]-10, ReLU.
	"mlp": func(ctx *context.Context, x *Node) *Node {
		for i := range 5 {
			x = activations.Relu(dense(ctx.Inf("affine%d", i+1), x, 100))
		}
		return dense(ctx.In("affine6"), x, 10)
	},
	// SimpleConvNet: conv 30@5×5, relu, maxpool 2, affine 4320→100, relu, affine 10.
	"simpleconv": func(ctx *context.Context, x *Node) *Node {
		x = pool2(activations.Relu(conv2d(ctx.In("conv1"), x, 30, 5, 0)))
		x = activations.Relu(dense(ctx.In("affine1"), flatten(x), 100))
		return dense(ctx.In("affine2"), x, 10)
	},
	// DoubleConvNet: conv 10@7×7 pad 1, relu, pool, conv 20@3×3 pad 1, relu, pool, 720→100→10.
	"doubleconv": func(ctx *context.Context, x *Node) *Node {
		x = pool2(activations.Relu(conv2d(ctx.In("conv1"), x, 10, 7, 1)))
		x = pool2(activations.Relu(conv2d(ctx.In("conv2"), x, 20, 3, 1)))
		x = activations.Relu(dense(ctx.In("affine1"), flatten(x), 100))
		return dense(ctx.In("affine2"), x, 10)
	},
	// DeepConvNet (the book's ch08): 3×3 convs 16,16,pool,32,32 (pad 2),pool,64,64,pool,
	// affine 1024→50, relu, dropout 0.5, affine 10, dropout 0.5.
	"deepconv": func(ctx *context.Context, x *Node) *Node {
		convs := []struct{ ch, pad int }{{16, 1}, {16, 1}, {32, 1}, {32, 2}, {64, 1}, {64, 1}}
		for i, c := range convs {
			x = activations.Relu(conv2d(ctx.Inf("conv%d", i+1), x, c.ch, 3, c.pad))
			if i%2 == 1 {
				x = pool2(x)
			}
		}
		x = activations.Relu(dense(ctx.In("affine1"), flatten(x), 50))
		x = layers.DropoutStatic(ctx, x, 0.5)
		x = dense(ctx.In("affine2"), x, 10)
		return layers.DropoutStatic(ctx, x, 0.5)
	},
}

var netNames = []string{"mlp", "simpleconv", "doubleconv", "deepconv"}

// --- benchmark -----------------------------------------------------------------------

type config struct {
	dir, net      string
	steps, warmup int
	infer, check  bool
	cpuprofile    string
	gemmGrad      bool
	im2col        bool
	images        int // inference: the first images test images (0: all 10,000)
}

func parseArgs(args []string) (config, error) {
	c := config{warmup: 5}
	var pos []string
	for _, a := range args {
		switch {
		case a == "--infer" || a == "-infer":
			c.infer = true
		case a == "--check" || a == "-check":
			c.check = true
		case a == "--gemm-grad" || a == "-gemm-grad":
			c.gemmGrad = true
		case a == "--im2col" || a == "-im2col":
			c.im2col, c.gemmGrad = true, true
		case strings.HasPrefix(a, "--warmup=") || strings.HasPrefix(a, "-warmup="):
			v, err := strconv.Atoi(a[strings.Index(a, "=")+1:])
			if err != nil || v < 1 {
				return c, fmt.Errorf("bad %s: warm-up needs at least 1 step (the first one compiles the graph)", a)
			}
			c.warmup = v
		case strings.HasPrefix(a, "--images="):
			v, err := strconv.Atoi(a[len("--images="):])
			if err != nil || v < evalBatch || v%evalBatch != 0 {
				return c, fmt.Errorf("bad %s: inference takes a multiple of %d test images", a, evalBatch)
			}
			c.images = v
		case strings.HasPrefix(a, "--cpuprofile="):
			c.cpuprofile = a[len("--cpuprofile="):]
		case strings.HasPrefix(a, "-") && a != "-":
			return c, fmt.Errorf("unknown option %s", a)
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) != 3 {
		return c, errors.New("usage: gomlxbench MNIST_DIR NET STEPS [--infer [--images=N]] [--warmup=N] [--gemm-grad] [--im2col] [--check]   (MNIST_DIR '-' = the Go module cache's GoMNIST)")
	}
	c.dir, c.net = mnistDir(pos[0]), pos[1]
	if _, ok := nets[c.net]; !ok {
		return c, fmt.Errorf("unknown network %q: choose one of %s", c.net, strings.Join(netNames, ", "))
	}
	steps, err := strconv.Atoi(pos[2])
	if err != nil || steps < 0 {
		return c, fmt.Errorf("STEPS must be a count, got %q", pos[2])
	}
	c.steps = steps
	return c, nil
}

// newBackend returns a simplego backend whose worker pool has `threads`
// workers (simplego's default is runtime.NumCPU()), running the graph's ops
// one after the other ("ops_sequential"; each matrix product still splits its
// work over the pool). simplego v0.26.0's default runs independent ops on pool
// workers too, and a small matrix product running on a worker waits for a free
// worker to split its work without giving its own up: two matrix products
// ready at once (the two gradients of one, with --gemm-grad) deadlock it, as
// does any with a pool of one.
func newBackend(threads int) (backends.Backend, error) {
	cfg := "ops_sequential"
	if threads != runtime.NumCPU() {
		cfg += fmt.Sprintf(",parallelism=%d", threads)
	}
	// simplego.New announces a parallelism setting on stdout: keep stdout to
	// the one benchmark line.
	stdout := os.Stdout
	if devnull, err := os.Open(os.DevNull); err == nil {
		os.Stdout = devnull
		defer func() { os.Stdout = stdout; devnull.Close() }()
	}
	return simplego.New(cfg)
}

func shapeOf(x *Node, dims ...int) shapes.Shape { return shapes.Make(x.DType(), dims...) }

func run(c config) error {
	threads := runtime.GOMAXPROCS(0)
	backend, err := newBackend(threads)
	if err != nil {
		return err
	}
	defer backend.Finalize()
	trainSet, err := loadSplit(c.dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
	if err != nil {
		return err
	}
	testSet, err := loadSplit(c.dir, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
	if err != nil {
		return err
	}
	imgDims := func(n int) []int {
		if c.net == "mlp" {
			return []int{n, 784}
		}
		return []int{n, 28, 28, 1}
	}
	ctx := context.New()
	if err := ctx.SetRNGStateFromSeed(0); err != nil {
		return err
	}
	model := nets[c.net]
	modelFn := func(ctx *context.Context, _ any, inputs []*Node) []*Node {
		return []*Node{model(ctx.In("model"), inputs[0])}
	}
	installConvGradient()
	impl := "gomlx-" + gomlxVersion + "-simplego"
	if c.im2col {
		useIm2col = true
		impl += "+im2col"
	}
	if c.gemmGrad {
		installGemmDotGradient()
		impl += "+gemmgrad"
	}
	head := fmt.Sprintf("net=%s precision=float32 impl=%s threads=%d", c.net, impl, threads)

	if c.infer {
		if c.images > 0 && c.images < testSet.n {
			testSet.n = c.images
		}
		return inference(backend, ctx, model, testSet, imgDims, head)
	}

	trainer := train.NewTrainer(backend, ctx, modelFn, losses.SparseCategoricalCrossEntropyLogits,
		optimizers.Adam().LearningRate(0.001).Done(), nil, nil)
	const batch = 100
	rng := rand.New(rand.NewPCG(0, 0))
	xb := make([]float32, batch*784)
	db := make([]int32, batch)
	step := func() (float32, error) {
		for i := range batch {
			k := rng.IntN(trainSet.n)
			copy(xb[i*784:(i+1)*784], trainSet.x[k*784:(k+1)*784])
			db[i] = trainSet.d[k]
		}
		x := tensors.FromFlatDataAndDimensions(xb, imgDims(batch)...)
		d := tensors.FromFlatDataAndDimensions(db, batch, 1)
		metrics, err := trainer.TrainStep(nil, []*tensors.Tensor{x}, []*tensors.Tensor{d})
		x.FinalizeAll()
		d.FinalizeAll()
		if err != nil {
			return 0, err
		}
		loss := tensors.ToScalar[float32](metrics[0]) // batch loss: also waits for the step to finish
		for _, m := range metrics {
			m.FinalizeAll()
		}
		return loss, nil
	}

	if c.check {
		for i := range c.steps {
			loss, err := step()
			if err != nil {
				return err
			}
			if i%10 == 0 || i == c.steps-1 {
				fmt.Printf("%s step %d loss %.4f\n", c.net, i+1, loss)
			}
		}
		acc, err := accuracy(backend, ctx.Reuse(), model, testSet, imgDims)
		if err != nil {
			return err
		}
		fmt.Printf("%s after %d steps: test accuracy %.4f\n", c.net, c.steps, acc)
		return nil
	}

	for range c.warmup {
		if _, err := step(); err != nil {
			return err
		}
	}
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	for range c.steps {
		if _, err := step(); err != nil {
			return err
		}
	}
	el := time.Since(start).Seconds()
	fmt.Printf("%s mode=train optimizer=Adam batch=%d steps=%d step_ms=%.3f img/s=%.1f\n",
		head, batch, c.steps, el*1000/float64(max(c.steps, 1)), float64(c.steps*batch)/el)
	return nil
}

// predictor returns an executor of the network in inference mode (no dropout).
func predictor(backend backends.Backend, ctx *context.Context, model func(*context.Context, *Node) *Node) (*context.Exec, error) {
	return context.NewExec(backend, ctx, func(ctx *context.Context, x *Node) *Node {
		ctx.SetTraining(x.Graph(), false)
		return model(ctx.In("model"), x)
	})
}

const evalBatch = 1000

// inference times the forward pass over the test images in batches of 1000:
// one untimed batch (compilation), then whole passes for at least 2 s.
func inference(backend backends.Backend, ctx *context.Context, model func(*context.Context, *Node) *Node,
	test split, imgDims func(int) []int, head string) error {
	exec, err := predictor(backend, ctx, model)
	if err != nil {
		return err
	}
	batches := make([]*tensors.Tensor, 0, test.n/evalBatch)
	for lo := 0; lo+evalBatch <= test.n; lo += evalBatch {
		batches = append(batches, tensors.FromFlatDataAndDimensions(test.x[lo*784:(lo+evalBatch)*784], imgDims(evalBatch)...))
	}
	predict := func(x *tensors.Tensor) error {
		out, err := exec.Exec(x)
		if err != nil {
			return err
		}
		for _, o := range out {
			o.FinalizeAll()
		}
		return nil
	}
	if err := predict(batches[0]); err != nil {
		return err
	}
	start := time.Now()
	reps := 0
	for reps < 1 || time.Since(start) < 2*time.Second {
		for _, x := range batches {
			if err := predict(x); err != nil {
				return err
			}
		}
		reps++
	}
	el := time.Since(start).Seconds()
	images := len(batches) * evalBatch
	fmt.Printf("%s mode=inference images=%d reps=%d img/s=%.1f\n", head, images, reps, float64(reps*images)/el)
	return nil
}

// accuracy is the share of test images whose largest logit is the label.
func accuracy(backend backends.Backend, ctx *context.Context, model func(*context.Context, *Node) *Node,
	test split, imgDims func(int) []int) (float64, error) {
	exec, err := predictor(backend, ctx, model)
	if err != nil {
		return 0, err
	}
	right := 0
	for lo := 0; lo+evalBatch <= test.n; lo += evalBatch {
		x := tensors.FromFlatDataAndDimensions(test.x[lo*784:(lo+evalBatch)*784], imgDims(evalBatch)...)
		out, err := exec.Exec(x)
		if err != nil {
			return 0, err
		}
		logits, err := tensors.CopyFlatData[float32](out[0])
		if err != nil {
			return 0, err
		}
		for i := range evalBatch {
			row := logits[i*10 : (i+1)*10]
			best := 0
			for j, v := range row {
				if v > row[best] {
					best = j
				}
			}
			if int32(best) == test.d[lo+i] {
				right++
			}
		}
	}
	return float64(right) / float64(test.n/evalBatch*evalBatch), nil
}

func main() {
	c, err := parseArgs(os.Args[1:])
	if err == nil {
		err = run(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gomlxbench:", err)
		os.Exit(1)
	}
}
