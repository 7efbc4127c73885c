package nbrun

import (
	"cmp"
	"context"
	"os"
	"slices"
	"sync"
	"time"
)

// Result is one notebook of an ExecuteAll run.
type Result struct {
	Src      string        // the notebook that ran
	Executed string        // the executed notebook ("" if nbconvert failed outright)
	Err      error         // as Execute returns it
	Wall     time.Duration // from its start to its end
}

// Batch says how ExecuteAll runs its notebooks.
type Batch struct {
	Jobs int // notebooks at a time (< 1 counts as 1)
	// Expected are the wall times of an earlier run by notebook name (without
	// .ipynb), to start the longest first; may be nil.
	Expected map[string]time.Duration
	Started  func(src string) // called as a notebook starts (may be nil)
	Done     func(Result)     // called as a notebook ends (may be nil)
}

// ExecuteAll runs Execute on every notebook of srcs, at most b.Jobs at a
// time, and calls b.Started and b.Done as each starts and ends, one call at
// a time. With one job the notebooks run in the order given; with more, the
// longest start first (by b.Expected; notebooks it does not know, then the
// largest files, before those it knows), so that a long notebook does not
// start last and run alone while the other cores idle.
//
// A GoNB kernel spends much of a notebook compiling cells, starting and
// loading data on one core, so two notebooks side by side on two cores take
// less wall time than one after the other; each notebook's own wall time
// grows, since they share the cores.
func ExecuteAll(ctx context.Context, srcs []string, outDir string, o Options, b Batch) {
	jobs := b.Jobs
	order := slices.Clone(srcs)
	if jobs > 1 {
		slices.SortStableFunc(order, func(x, y string) int { return cmp.Compare(b.weight(y), b.weight(x)) })
	}
	jobs = max(1, min(jobs, len(order)))
	var mu sync.Mutex
	next := make(chan string)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for src := range next {
				mu.Lock()
				if b.Started != nil {
					b.Started(src)
				}
				mu.Unlock()
				start := time.Now()
				executed, err := Execute(ctx, src, outDir, o)
				r := Result{Src: src, Executed: executed, Err: err, Wall: time.Since(start)}
				mu.Lock()
				if b.Done != nil {
					b.Done(r)
				}
				mu.Unlock()
			}
		})
	}
	for _, src := range order {
		next <- src
	}
	close(next)
	wg.Wait()
}

// weight orders a notebook for ExecuteAll: its expected seconds, or, when
// b.Expected does not know it, more than any of those plus its file size.
func (b Batch) weight(src string) float64 {
	if d, ok := b.Expected[Name(src)]; ok {
		return d.Seconds()
	}
	w := 1e9
	if fi, err := os.Stat(src); err == nil {
		w += float64(fi.Size())
	}
	return w
}
