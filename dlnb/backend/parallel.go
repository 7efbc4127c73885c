package backend

import (
	"sync"
	"sync/atomic"
)

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
// buffers. The calling goroutine runs chunk 0; the others go to a pool of
// helper goroutines (see worker). A helper that is busy — with another
// caller's section, or because this call is nested in its own chunk — is not
// waited for: the caller runs that chunk itself, so nested and concurrent use
// cannot deadlock. The chunks depend on the number of cores: sums kept per
// chunk and added afterwards belong in ParallelSplit.
func ParallelChunks(n, grain int, fn func(c, lo, hi int)) {
	runChunks(n, Chunks(n, grain), fn)
}

// ParallelSplit is ParallelChunks with chunks that do not depend on the
// machine: [0, n) is cut into chunks of ⌈n/k⌉ indices (k of them, fewer when
// n is small), whatever the number of cores. A caller that sums per chunk and
// then adds the chunks' sums in order gets the same numbers, bit for bit, on
// one core or on sixteen. Up to Workers()−1 helpers take chunks; the caller
// runs the rest one after the other. It returns the number of chunks, which
// is how many partial sums fn wrote.
func ParallelSplit(n, k int, fn func(c, lo, hi int)) int {
	return runChunks(n, k, fn)
}

// runChunks cuts [0, n) into chunks of ⌈n/w⌉ indices, runs them (chunk 0 on
// the calling goroutine, the others on free helpers, at most Workers()−1 of
// them, or else on the caller after chunk 0) and returns how many there were.
func runChunks(n, w int, fn func(c, lo, hi int)) int {
	if n <= 0 {
		return 0
	}
	if w <= 1 {
		fn(0, 0, n)
		return 1
	}
	chunk := (n + w - 1) / w
	t := &task{fn: fn}
	var jobs []job
	for c, lo := 1, chunk; lo < n; c, lo = c+1, lo+chunk {
		jobs = append(jobs, job{t, c, lo, min(lo+chunk, n)})
	}
	t.pending.Store(int32(len(jobs)))
	t.done.Add(len(jobs))
	helpers := min(len(jobs), Workers()-1)
	var p *pool
	if helpers > 0 {
		p = getPool(helpers)
	}
	var mine []job
	for i, j := range jobs {
		if i >= helpers || !p.workers[i].post(j) {
			mine = append(mine, j)
		}
	}
	fn(0, 0, min(chunk, n))
	for _, j := range mine {
		fn(j.c, j.lo, j.hi)
		t.finish()
	}
	t.wait()
	return len(jobs) + 1
}

// task is one parallel section; pending counts the chunks still running on
// helpers, and done lets the caller sleep until they have finished.
type task struct {
	fn      func(c, lo, hi int)
	pending atomic.Int32
	done    sync.WaitGroup
}

// finish marks one chunk as done.
func (t *task) finish() {
	t.pending.Add(-1)
	t.done.Done()
}

type job struct {
	t         *task
	c, lo, hi int
}

// spinRounds bounds how long a helper, and a caller waiting for helpers,
// spin before sleeping (a few microseconds): training steps start their
// parallel sections a few microseconds apart, and a helper that is still
// spinning picks up the next one without the thread wake-up (futex) that
// sleeping would cost. Past that bound both sleep, so that no thread keeps
// a core busy while another program (a browser beside the notebook) needs
// it, and a helper that lost its core to such a program is waited for
// without burning the caller's.
const spinRounds = 2000

// wait returns when every chunk posted to a helper has finished: it spins
// for spinRounds checks, then sleeps until the last helper wakes it.
func (t *task) wait() {
	for i := 0; i < spinRounds; i++ {
		if t.pending.Load() == 0 {
			break
		}
	}
	t.done.Wait()
}

// pool holds helper goroutines, one per extra core, started on first use.
type pool struct{ workers []*worker }

var (
	poolMu  sync.Mutex
	thePool atomic.Pointer[pool]
)

func getPool(need int) *pool {
	if p := thePool.Load(); p != nil && len(p.workers) >= need {
		return p
	}
	poolMu.Lock()
	defer poolMu.Unlock()
	p := thePool.Load()
	if p == nil {
		p = &pool{}
	}
	if len(p.workers) < need {
		np := &pool{workers: append([]*worker(nil), p.workers...)}
		for len(np.workers) < need {
			w := &worker{wake: make(chan struct{}, 1)}
			np.workers = append(np.workers, w)
			go w.run()
		}
		p = np
		thePool.Store(p)
	}
	return p
}

// worker runs posted jobs one at a time. A caller claims it (busy) before
// posting; the worker releases the claim when the job is done. It spins for a
// while after each job, then parks on wake; post only signals wake when the
// worker has parked, and the worker checks for a job again after announcing
// that it parks, so no job is lost.
type worker struct {
	busy   atomic.Bool
	next   atomic.Pointer[job]
	parked atomic.Bool
	wake   chan struct{}
}

// post hands j to the worker, or reports false when the worker is busy.
func (w *worker) post(j job) bool {
	if !w.busy.CompareAndSwap(false, true) {
		return false
	}
	w.next.Store(&j)
	if w.parked.Load() {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return true
}

func (w *worker) run() {
	for {
		var j *job
		for i := 0; i < spinRounds && j == nil; i++ {
			j = w.next.Swap(nil)
		}
		if j == nil {
			w.parked.Store(true)
			if j = w.next.Swap(nil); j == nil {
				<-w.wake
			}
			w.parked.Store(false)
			if j == nil {
				continue
			}
		}
		j.t.fn(j.c, j.lo, j.hi)
		w.busy.Store(false)
		j.t.finish()
	}
}
