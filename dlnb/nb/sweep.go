package nb

import (
	"sync"

	"github.com/dlnb/course/dlnb/backend"
)

// Sweep runs run(0) … run(n−1) — one training run per setting of a [try]
// cell's sweep — on all cores at once and returns their results in order.
// Each run must draw from its own generator (nets.WithRand(rng.New(0)), its
// own batch sampling), never from np.Random, which the runs would share: then
// every result is the one the run gives alone, whatever the order in which
// the runs finish.
func Sweep[R any](n int, run func(i int) R) []R {
	out := make([]R, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, backend.Workers()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = run(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
