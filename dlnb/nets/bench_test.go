package nets

import (
	"runtime"
	"testing"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// benchNet builds a course network as the CLI trains it: fused, in T.
func benchNet[T tensor.Float](name string, r *rng.RandomState) (*Net[T], []int) {
	var n *Net[float64]
	sample := []int{1, 28, 28}
	switch name {
	case "mlp":
		n = NewMultiLayerNet(MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{100, 100, 100, 100, 100}, OutputSize: 10}, WithRand(r))
		sample = []int{784}
	case "simpleconv":
		n = NewSimpleConvNet(SimpleConvNetConfig{}, WithRand(r))
	case "deepconv":
		n = NewDeepConvNet(DeepConvNetConfig{}, WithRand(r))
	default:
		panic(name)
	}
	out, err := Convert[T](n.Fuse())
	if err != nil {
		panic(err)
	}
	return out, sample
}

// trainStep returns one Adam training step on a fixed random batch of 100.
func trainStep[T tensor.Float](name string) (func(), *Net[T]) {
	r := rng.New(1)
	n, sample := benchNet[T](name, r)
	x := tensor.New[T](append([]int{100}, sample...)...)
	for i := range x.Data {
		x.Data[i] = T(r.Float64())
	}
	d := tensor.New[T](100)
	for i := range d.Data {
		d.Data[i] = T(r.Intn(10))
	}
	opt, _ := optim.New[T]("adam", 0.001)
	return func() { opt.Update(n.Params, n.Gradient(x, d)) }, n
}

// BenchmarkTrainStep times one Adam step (forward, backward, update) at
// batch 100 for the MLP, SimpleConvNet and DeepConvNet in both precisions.
func BenchmarkTrainStep(b *testing.B) {
	for _, name := range []string{"mlp", "simpleconv", "deepconv"} {
		b.Run(name+"/float64", func(b *testing.B) { runStep[float64](b, name) })
		b.Run(name+"/float32", func(b *testing.B) { runStep[float32](b, name) })
	}
}

func runStep[T tensor.Float](b *testing.B, name string) {
	step, _ := trainStep[T](name)
	step()
	b.ReportAllocs()
	for b.Loop() {
		step()
	}
	b.ReportMetric(100*float64(b.N)/b.Elapsed().Seconds(), "img/s")
}

// TestAllocationsPerStep guards buffer reuse: once the shapes are known a
// training step allocates only small bookkeeping (the closures of the
// parallel sections), never tensors: a reallocated activation buffer alone
// would be hundreds of kilobytes.
func TestAllocationsPerStep(t *testing.T) {
	for _, name := range []string{"mlp", "simpleconv", "deepconv"} {
		step, _ := trainStep[float32](name)
		for range 2 {
			step()
		}
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		const steps = 5
		for range steps {
			step()
		}
		runtime.ReadMemStats(&b)
		per := (b.Mallocs - a.Mallocs) / steps
		bytes := (b.TotalAlloc - a.TotalAlloc) / steps
		t.Logf("%s: %d allocations, %d bytes per step (%s)", name, per, bytes, backend.Name())
		if backend.Kind() == "go" {
			continue // gonum's pure-Go GEMM allocates for its own goroutines
		}
		if bytes > 256<<10 || per > 1000 {
			t.Errorf("%s: %d allocations (%d bytes) per training step; buffers are not being reused", name, per, bytes)
		}
	}
}
