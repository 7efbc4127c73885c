package nets

import (
	"math"
	"runtime"
	"testing"
)

// TestSameNumbersOnAnyCoreCount trains each course network for three Adam
// steps with 1, 2, 3 and 4 cores: every parameter must end up the same bits,
// so that a student's laptop reproduces reports/results.md (made on 2 cores).
func TestSameNumbersOnAnyCoreCount(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, name := range []string{"mlp", "simpleconv", "deepconv"} {
		var want map[string][]float64
		for _, cores := range []int{2, 1, 3, 4} {
			runtime.GOMAXPROCS(cores)
			step, n := trainStep[float64](name)
			for range 3 {
				step()
			}
			if want == nil {
				want = map[string][]float64{}
				for k, p := range n.Params {
					want[k] = p.Clone().Data
				}
				continue
			}
			for k, p := range n.Params {
				for i, v := range p.Data {
					if math.Float64bits(v) != math.Float64bits(want[k][i]) {
						t.Fatalf("%s on %d cores: %s[%d] = %v, on 2 cores %v", name, cores, k, i, v, want[k][i])
					}
				}
			}
		}
	}
}
