package main

import (
	"flag"
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/batch"
	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

func init() {
	register("bench", "measure training (or inference) speed of a course network", runBench)
}

// benchNets are the networks the benchmark knows.
var benchNets = []string{"mlp", "simpleconv", "doubleconv", "deepconv"}

// trainNets are the networks dlnb train knows: the benchmark's, the rest of
// the course's, and the Day 2 report's LeNet-5 and AlexNet (lesson 2_9).
var trainNets = append(append([]string{}, benchNets...), "twolayer", "doubleconv-after",
	"lenet", "lenet-original", "alexnet", "alexnet-no-lrn", "alexnet-no-dropout", "alexnet-gap")

// alexNetConfigs are the AlexNet-style variants lesson 2_9 compares.
var alexNetConfigs = map[string]nets.AlexNetConfig{
	"alexnet":            {},
	"alexnet-no-lrn":     {NoLRN: true},
	"alexnet-no-dropout": {NoDropout: true},
	"alexnet-gap":        {Head: nets.GlobalAvgHead},
}

// inputPad is the zero padding around 28×28 images that a network taking
// samples of shape input needs: 2 for LeNet-5's 32×32.
func inputPad(input []int) int {
	if len(input) == 3 && input[1] == input[2] && input[1] > 28 {
		return (input[1] - 28) / 2
	}
	return 0
}

// buildNet builds a course network by its short name in precision T, with
// its initial weights drawn from r and ReLU + max pooling fused (same
// results, less work).
func buildNet[T tensor.Float](name string, r *rng.RandomState) (*nets.Net[T], error) {
	var n *nets.Net[float64]
	with := nets.WithRand(r)
	switch name {
	case "mlp": // 784-[100×5]-10, ReLU, He
		n = nets.NewMultiLayerNet(nets.MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{100, 100, 100, 100, 100}, OutputSize: 10}, with)
	case "twolayer":
		n = nets.NewTwoLayerNet(784, 40, 10, 0.01, with)
	case "simpleconv":
		n = nets.NewSimpleConvNet(nets.SimpleConvNetConfig{}, with)
	case "doubleconv":
		n = nets.NewDoubleConvNet(nets.DoubleConvNetConfig{}, with)
	case "doubleconv-after":
		n = nets.NewDoubleConvNet(nets.DoubleConvNetConfig{After: true}, with)
	case "deepconv":
		n = nets.NewDeepConvNet(nets.DeepConvNetConfig{}, with)
	case "lenet", "lenet-original":
		n = nets.NewLeNet(nets.LeNetConfig{Original: name == "lenet-original"}, with)
	case "alexnet", "alexnet-no-lrn", "alexnet-no-dropout", "alexnet-gap":
		n = nets.NewAlexNet(alexNetConfigs[name], with)
	default:
		return nil, fmt.Errorf("unknown network %q: choose one of %s", name, strings.Join(trainNets, ", "))
	}
	n.Fuse()
	if out, ok := any(n).(*nets.Net[T]); ok {
		return out, nil
	}
	return nets.Convert[T](n)
}

// knownNet reports whether buildNet knows the network name.
func knownNet(name string) bool {
	_, err := buildNet[float32](name, rng.New(0))
	return err == nil
}

type benchConfig struct {
	net           string
	steps, warmup int
	batch         int
	infer         bool
}

func runBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	netName := fs.String("net", "simpleconv", "network: "+strings.Join(benchNets, ", ")+" (comma-separated list allowed)")
	steps := fs.Int("steps", 50, "timed training steps")
	warmup := fs.Int("warmup", 5, "untimed steps first")
	batch := fs.Int("batch", 100, "mini-batch size")
	precision := fs.String("precision", "float64", "float64 (the course's) or float32 (fast path)")
	infer := fs.Bool("infer", false, "measure inference over the 10,000 test images instead of training")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	cfg := benchConfig{steps: *steps, warmup: *warmup, batch: *batch, infer: *infer}
	names, err := checkBench(cfg, *netName, *precision)
	if err != nil {
		return err
	}
	for _, name := range names {
		cfg.net = name
		line, err := benchAs(cfg, *precision)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// checkBench validates the flags and the whole list of networks before
// any is measured, returning the names.
func checkBench(c benchConfig, list, precision string) ([]string, error) {
	switch {
	case c.steps < 1:
		return nil, fmt.Errorf("-steps %d: the number of timed steps must be at least 1", c.steps)
	case c.warmup < 0:
		return nil, fmt.Errorf("-warmup %d: the number of untimed steps must be 0 or more", c.warmup)
	case c.batch < 1:
		return nil, fmt.Errorf("-batch %d: the mini-batch size must be at least 1", c.batch)
	case c.steps > math.MaxInt/c.batch:
		return nil, fmt.Errorf("-steps %d with -batch %d: more images than can be counted; give fewer steps (the default is 50)", c.steps, c.batch)
	case precision != "float64" && precision != "float32":
		return nil, fmt.Errorf("-precision %s: use float64 or float32", precision)
	}
	var names []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if !knownNet(name) {
			return nil, fmt.Errorf("-net %s: unknown network %q: choose from %s (a comma-separated list)", list, name, strings.Join(trainNets, ", "))
		}
		if err := benchMemory(c, name, precision); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

// benchMemory refuses a -batch whose training steps would not fit in
// memory (inference runs in chunks of 1000 whatever -batch says).
func benchMemory(c benchConfig, name, precision string) error {
	if c.infer {
		return nil
	}
	size := runSize{net: name, batch: c.batch, images: datasets.MNIST.TrainImages + datasets.MNIST.TestImages}
	if precision == "float32" {
		return checkMemory[float32](size)
	}
	return checkMemory[float64](size)
}

// benchAs measures in the named precision.
func benchAs(c benchConfig, precision string) (string, error) {
	if precision == "float32" {
		return bench[float32](c)
	}
	return bench[float64](c)
}

func bench[T tensor.Float](c benchConfig) (string, error) {
	r := rng.New(0)
	net, err := buildNet[T](c.net, r)
	if err != nil {
		return "", err
	}
	xTrain, dTrain, xTest, _, _, err := loadDataset[T](net.Spec.Input, "mnist", 0, 0)
	if err != nil {
		return "", err
	}
	prec := fmt.Sprintf("float%d", 8*sizeOf[T]())
	head := fmt.Sprintf("net=%s precision=%s blas=%q threads=%d", c.net, prec, backend.Name(), runtime.GOMAXPROCS(0))
	if c.infer {
		net.EvalBatch = 1000
		net.PredictAll(xTest) // warm-up
		start := time.Now()
		reps := 0
		for time.Since(start) < 2*time.Second || reps < 1 {
			net.PredictAll(xTest)
			reps++
		}
		el := time.Since(start)
		return fmt.Sprintf("%s mode=inference images=%d reps=%d img/s=%.1f", head, xTest.Rows(), reps, float64(reps*xTest.Rows())/el.Seconds()), nil
	}
	opt, err := optim.New[T]("adam", 0.001)
	if err != nil {
		return "", err
	}
	sampler, err := batch.NewSampler(xTrain.Rows(), c.batch, false, r)
	if err != nil {
		return "", err
	}
	var batcher batch.Batcher[T]
	step := func() error {
		xb, db, err := batcher.Take(xTrain, dTrain, sampler.Next())
		if err != nil {
			return err
		}
		opt.Update(net.Params, net.Gradient(xb, db))
		return nil
	}
	for range c.warmup {
		if err := step(); err != nil {
			return "", err
		}
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	start := time.Now()
	for range c.steps {
		if err := step(); err != nil {
			return "", err
		}
	}
	el := time.Since(start)
	runtime.ReadMemStats(&ms1)
	return fmt.Sprintf("%s mode=train optimizer=Adam batch=%d steps=%d step_ms=%.3f allocs/step=%d img/s=%.1f",
		head, c.batch, c.steps, el.Seconds()*1000/float64(c.steps), (ms1.Mallocs-ms0.Mallocs)/uint64(max(c.steps, 1)),
		float64(c.steps*c.batch)/el.Seconds()), nil
}

func sizeOf[T tensor.Float]() int {
	var v T
	switch any(v).(type) {
	case float32:
		return 4
	}
	return 8
}
