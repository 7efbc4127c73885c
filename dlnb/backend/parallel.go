package backend

import "sync"

// Parallel splits the index range [0, n) into at most Workers() contiguous
// chunks of at least grain indices and calls fn(lo, hi) on each, concurrently,
// returning when all are done. Small ranges run on the calling goroutine.
func Parallel(n, grain int, fn func(lo, hi int)) {
	ParallelChunks(n, grain, func(_, lo, hi int) { fn(lo, hi) })
}

// Chunks returns how many chunks ParallelChunks splits [0, n) into.
func Chunks(n, grain int) int {
	w := Workers()
	if grain < 1 {
		grain = 1
	}
	if c := n / grain; c < w {
		w = c
	}
	return max(w, 1)
}

// ParallelChunks is Parallel that also passes each chunk's index c in
// [0, Chunks(n, grain)), so callers can give every chunk its own scratch
// buffers and gradient accumulators.
func ParallelChunks(n, grain int, fn func(c, lo, hi int)) {
	w := Workers()
	if grain < 1 {
		grain = 1
	}
	if c := n / grain; c < w {
		w = c
	}
	if w <= 1 {
		if n > 0 {
			fn(0, 0, n)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + w - 1) / w
	for c, lo := 1, chunk; lo < n; c, lo = c+1, lo+chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(c, lo, hi)
		}()
	}
	fn(0, 0, min(chunk, n))
	wg.Wait()
}
