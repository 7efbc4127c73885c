package nets

import (
	"fmt"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"testing"
	"time"
)

func TestScratchLayers(t *testing.T) {
	for _, name := range []string{"simpleconv", "deepconv"} {
		r := rng.New(1)
		fmt.Println(name, "f64")
		timeLayers[float64](name, r)
		fmt.Println(name, "f32")
		timeLayers[float32](name, r)
	}
}
func timeLayers[T tensor.Float](name string, r *rng.RandomState) {
	n, sample := benchNet[T](name, r)
	x := tensor.New[T](append([]int{100}, sample...)...)
	for i := range x.Data {
		x.Data[i] = T(r.Float64())
	}
	d := tensor.New[T](100)
	fwd, bwd := map[string]time.Duration{}, map[string]time.Duration{}
	steps := n.steps()
	var tot time.Duration
	for it := 0; it < 22; it++ {
		h := x
		t00 := time.Now()
		for _, l := range steps {
			t0 := time.Now()
			h, _ = l.Layer.Forward(h, true)
			if it >= 2 {
				fwd[l.Name] += time.Since(t0)
			}
		}
		n.Last.Forward(h, d)
		dout, _ := n.Last.Backward()
		for i := len(steps) - 1; i >= 0; i-- {
			t0 := time.Now()
			dout, _ = steps[i].Layer.Backward(dout)
			if it >= 2 {
				bwd[steps[i].Name] += time.Since(t0)
			}
			if dout == nil {
				break
			}
		}
		if it >= 2 {
			tot += time.Since(t00)
		}
	}
	for _, l := range steps {
		fmt.Printf("   %-14s fwd %6.2fms bwd %6.2fms\n", l.Name, float64(fwd[l.Name].Microseconds())/20000, float64(bwd[l.Name].Microseconds())/20000)
	}
	fmt.Printf("   total %.2fms\n", float64(tot.Microseconds())/20000)
}
