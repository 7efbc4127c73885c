package nb

import (
	"errors"
	"fmt"
	"io/fs"
	"math"

	"github.com/dlnb/course/dlnb/chart"
	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/dlnb/train"
)

// Run trains t with a live progress display and shows the accuracy chart at
// the end (its y axis fitted to the accuracies, which long runs push close
// to 1), for long runs that must survive interruptions:
//
//   - When t.Config.CheckpointPath names an existing checkpoint, the run
//     continues from it; the Generation lines and chart points of the part
//     already done are shown again. A finished checkpoint just shows the
//     result.
//   - Ctrl-C, the kernel's interrupt button or SIGTERM stop it after the
//     current step, with a checkpoint saved: running the cell again resumes.
//   - Every other error (divergence, a checkpoint of another network) stops
//     the cell with its message, like Check.
//
// t.Config.CheckpointEvery sets how much work an interruption that cannot be
// caught (a killed process) may lose.
//
// A trainer without a network, optimizer or training data stops the cell
// with a message naming what is missing.
func Run[T tensor.Float](t *train.Trainer[T], title string) *train.History {
	if err := t.Validate(); err != nil {
		Fail(fmt.Errorf("%s: %w", title, err))
		return &train.History{}
	}
	path := t.Config.CheckpointPath
	p := NewProgress(title, t.Config.Iters)
	p.Settings = t.Opt.Name()
	if path != "" {
		resumed, err := t.ResumeOrStart(path)
		Check(err)
		if resumed {
			h := t.History
			if h.StartIter >= t.Config.Iters {
				fmt.Printf("%s: finished earlier; showing the run saved in %s\n", title, path)
			} else {
				fmt.Printf("%s: resuming at iteration %d of %d from %s\n", title, h.StartIter, t.Config.Iters, path)
			}
			for _, e := range h.Evals {
				if t.Config.Print {
					lesson.PrintGeneration(e.Iter, e.TrainAcc, e.TestAcc)
				}
				p.Eval(e.Iter, e.TrainAcc, e.TestAcc)
			}
			p.Resume(h.StartIter, h.Elapsed)
		}
	}
	attach(t, p, func(h *train.History) *chart.Figure { return runChart(title, h) })
	ctx, stop := train.SignalContext()
	defer stop()
	h, err := t.Run(ctx)
	if errors.Is(err, train.ErrInterrupted) && path != "" {
		p.Done()
		Fail(fmt.Errorf("%s: interrupted after %d iterations; the checkpoint %s is saved: run the cell again to continue (中断しました。セルをもう一度実行すると続きから再開します)",
			title, len(h.Loss), path))
	}
	Check(err)
	return h
}

// runChart draws a long run's accuracies against iterations, the y axis
// fitted to the data so that differences near 1 stay visible.
func runChart(title string, h *train.History) *chart.Figure {
	xs := make([]float64, len(h.Evals))
	lo := 1.0
	for i, e := range h.Evals {
		xs[i] = float64(e.Iter)
		lo = min(lo, e.TrainAcc, e.TestAcc)
	}
	spec := chart.LineSpec{Title: title + ": accuracy", XLabel: "iteration", YLabel: "accuracy", YMax: chart.Float(1)}
	if lo > 0.5 {
		spec.YMin = chart.Float(math.Floor(lo*50) / 50) // a multiple of 0.02 below the lowest point
	}
	return chart.Lines(spec, chart.Series{Name: "training set", X: xs, Y: h.TrainAcc()},
		chart.Series{Name: "test set", X: xs, Y: h.TestAcc()})
}

// LoadHistory returns the record of the run whose checkpoint is at path (as
// nb.Run with Config.CheckpointPath leaves it): losses, evaluations and
// training time, for charts that compare runs made in earlier cells. A
// missing checkpoint stops the cell with a message saying which cell to run.
func LoadHistory(path string) *train.History {
	h, err := train.ReadHistory(path)
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("no finished run at %s: run the training cell that writes it first (先に学習のセルを実行してください)", path)
	}
	Check(err)
	return h
}
