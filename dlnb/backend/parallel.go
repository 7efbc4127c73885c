package backend

import "sync"

// Parallel splits the index range [0, n) into at most Workers() contiguous
// chunks of at least grain indices and calls fn(lo, hi) on each, concurrently,
// returning when all are done. Small ranges run on the calling goroutine.
func Parallel(n, grain int, fn func(lo, hi int)) {
	w := Workers()
	if grain < 1 {
		grain = 1
	}
	if c := n / grain; c < w {
		w = c
	}
	if w <= 1 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + w - 1) / w
	for lo := chunk; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	fn(0, min(chunk, n))
	wg.Wait()
}
