package layers

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/dlnb/course/dlnb/ref"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// TestConvBackwardOnAnyCoreCount runs a convolution's Backward on batches of
// several sizes, one after the other as a training loop with a short last
// batch does, with 1 to 8 cores: dW, db and dx must match the reference
// every time and be the same bits on every core count (the batch is summed
// in gradChunks parts, not one per core). With per-core parts a batch of 5
// after a batch of 100 on 4 cores added a part left over from the batch of 100,
// and an empty batch returned the last part of the batch before.
func TestConvBackwardOnAnyCoreCount(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	type result struct{ dw, db, dx []float64 }
	var want []result
	for _, cores := range []int{2, 1, 3, 4, 8} {
		runtime.GOMAXPROCS(cores)
		r := rng.New(3)
		w, b := randn(r, 0.3, 8, 2, 3, 3), randn(r, 0.3, 8)
		fast := NewConvolution(w.Clone(), b.Clone(), 1, 1)
		slow := ref.NewConvolution(w.Clone(), b.Clone(), 1, 1)
		for k, n := range []int{100, 5, 1, 7, 100} {
			x := randn(r, 1, n, 2, 6, 6)
			out := fast.Forward(x, true)
			slow.Forward(x)
			dout := randn(r, 1, out.Shape...)
			name := fmt.Sprintf("%d cores, batch %d of %d", cores, k+1, n)
			dx := fast.Backward(dout)
			same(t, name+" dx", dx, slow.Backward(dout))
			same(t, name+" dW", fast.DW, slow.DW)
			same(t, name+" db", fast.DB, slow.DB)
			got := result{fast.DW.Clone().Data, fast.DB.Clone().Data, dx.Clone().Data}
			if cores == 2 {
				want = append(want, got)
				continue
			}
			for _, c := range []struct {
				what      string
				got, want []float64
			}{{"dW", got.dw, want[k].dw}, {"db", got.db, want[k].db}, {"dx", got.dx, want[k].dx}} {
				for i := range c.got {
					if math.Float64bits(c.got[i]) != math.Float64bits(c.want[i]) {
						t.Fatalf("%s %s: element %d = %v, with 2 cores %v: the numbers depend on the core count", name, c.what, i, c.got[i], c.want[i])
					}
				}
			}
		}
		// An empty batch has no gradient: dW and db are 0, not what the batch before left.
		out := fast.Forward(tensor.New[float64](0, 2, 6, 6), true)
		fast.Backward(tensor.New[float64](out.Shape...))
		for i, v := range append(fast.DW.Clone().Data, fast.DB.Data...) {
			if v != 0 {
				t.Fatalf("%d cores, empty batch: gradient entry %d = %v, want 0", cores, i, v)
			}
		}
	}
}
