package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/dlnb/course/dlnb/batch"
	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// TrainEval says on which samples the training accuracy is measured.
type TrainEval int

const (
	// TrainOnBatch uses the current mini-batch (lessons 2_1 to 2_4).
	TrainOnBatch TrainEval = iota
	// TrainOnAll uses the whole training set (2_5 to 2_8).
	TrainOnAll
)

// Config sets up a training run. Zero fields take the course's values:
// batch 100, evaluation every 10 iterations.
type Config struct {
	Iters     int  // iterations; each draws one mini-batch
	BatchSize int  // default 100
	EvalEvery int  // plot_interval, default 10
	Shuffle   bool // shuffled epochs instead of sampling with replacement
	TrainEval TrainEval
	// TrainEvalSamples > 0 measures TrainOnAll accuracy on the first
	// TrainEvalSamples training samples only (the book's
	// evaluate_sample_num_per_epoch), which keeps full-data runs fast.
	TrainEvalSamples int
	// BatchedAccuracy > 0 evaluates with the course's batched accuracy of
	// the convolution nets (full batches only, divided by N).
	BatchedAccuracy int
	// Print writes the course's Generation lines to Out (os.Stdout if nil).
	Print bool
	Out   io.Writer
	// LRDecay, when neither 0 nor 1, multiplies the optimizer's learning
	// rate by LRDecay after every epoch (every N/BatchSize iterations for N
	// training samples): epoch e (from 0) uses lr·LRDecay^e, a step decay
	// that helps a run settle at the end; it must lie in [0, 1] (a factor
	// above 1 would make the steps grow). The optimizer keeps its own
	// learning rate between steps, so its Name and checkpoints show the
	// starting rate.
	LRDecay float64
	// CheckpointPath, when set, receives a checkpoint every CheckpointEvery
	// iterations, when the run is interrupted and when it ends.
	CheckpointPath  string
	CheckpointEvery int
	// Settings are settings that change the result which the trainer cannot
	// see itself (the random seed, the dataset); a Setting named like one of
	// the trainer's own (see Trainer.Settings) replaces it. A checkpoint
	// records them all, and resuming it with any of them changed is a
	// *SettingsError.
	Settings []Setting
}

// Eval is one evaluation point.
type Eval struct {
	Iter              int // iterations done (the course's Generation number)
	Loss              float64
	TrainAcc, TestAcc float64
	Elapsed           time.Duration // since the run started
}

// History is what a run recorded.
type History struct {
	Loss  []float64 // the loss after every iteration
	Evals []Eval
	// StartIter is the iteration the run resumed from (0 for a fresh run).
	StartIter int
	Elapsed   time.Duration
}

// X returns the course's x values for the accuracy chart:
// range(0, iters, plot_interval) — one per evaluation, shifted down by one
// interval from the Generation numbers.
func (h *History) X() []float64 {
	out := make([]float64, len(h.Evals))
	step := 0
	if len(h.Evals) > 0 {
		step = h.Evals[0].Iter
		if len(h.Evals) > 1 {
			step = h.Evals[1].Iter - h.Evals[0].Iter
		}
	}
	for i, e := range h.Evals {
		out[i] = float64(e.Iter - step)
	}
	return out
}

// TrainAcc returns the training accuracies in order.
func (h *History) TrainAcc() []float64 {
	out := make([]float64, len(h.Evals))
	for i, e := range h.Evals {
		out[i] = e.TrainAcc
	}
	return out
}

// TestAcc returns the test accuracies in order.
func (h *History) TestAcc() []float64 {
	out := make([]float64, len(h.Evals))
	for i, e := range h.Evals {
		out[i] = e.TestAcc
	}
	return out
}

// Final returns the last evaluation (zero if there was none).
func (h *History) Final() Eval {
	if len(h.Evals) == 0 {
		return Eval{}
	}
	return h.Evals[len(h.Evals)-1]
}

// DivergedError reports a loss that became NaN or infinite.
type DivergedError struct {
	Iter      int
	Loss      float64
	Optimizer string
}

// Error names the iteration, the loss value and what to change.
func (e *DivergedError) Error() string {
	with := ""
	if e.Optimizer != "" {
		with = " with " + e.Optimizer
	}
	return fmt.Sprintf("training stopped: the loss became %v at iteration %d%s. "+
		"The steps are too large for this network: lower the learning rate (for example to a tenth) and run again",
		e.Loss, e.Iter, with)
}

// CheckLoss returns a *DivergedError when loss is NaN or ±Inf — for
// hand-written training loops: nb.Check(train.CheckLoss(i+1, loss, "SGD(lr=0.5)")).
func CheckLoss(iter int, loss float64, optimizer string) error {
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return &DivergedError{Iter: iter, Loss: loss, Optimizer: optimizer}
	}
	return nil
}

// Trainer trains a network on a dataset.
type Trainer[T tensor.Float] struct {
	Net            *nets.Net[T]
	Opt            optim.Optimizer[T]
	XTrain, DTrain *tensor.Tensor[T]
	XTest, DTest   *tensor.Tensor[T]
	Config         Config
	Rand           *rng.RandomState // draws the mini-batches
	OnEval         []func(Eval) error
	OnStep         []func(iter int, loss float64) error
	OnEnd          []func(*History) error
	History        *History
	sampler        *batch.Sampler
	batcher        batch.Batcher[T]
	resumeSampler  func() error
	start          time.Time         // when the run started, minus the time of earlier sessions
	xb, db         *tensor.Tensor[T] // the last mini-batch
}

// New returns a trainer of net with opt on the training data x, d and the
// test data xt, dt (nil for none); the precision follows the arguments, so a
// cell writes no type parameter:
//
//	trainer := train.New(network, optim.NewAdam(0.001), xTrain, dTrain, xTest, dTest, train.Config{Iters: 1000})
func New[T tensor.Float](net *nets.Net[T], opt optim.Optimizer[T], x, d, xt, dt *tensor.Tensor[T], c Config) *Trainer[T] {
	return &Trainer[T]{Net: net, Opt: opt, XTrain: x, DTrain: d, XTest: xt, DTest: dt, Config: c}
}

// ErrInterrupted is returned (wrapped) when the context is cancelled.
var ErrInterrupted = errors.New("training interrupted")

func (t *Trainer[T]) defaults() Config {
	c := t.Config
	if c.BatchSize == 0 {
		c.BatchSize = 100
	}
	if c.EvalEvery == 0 {
		c.EvalEvery = 10
	}
	return c
}

// Validate reports what is missing or inconsistent in the trainer: the
// network, the optimizer, the training data, negative settings, sample and
// label counts that differ.
func (t *Trainer[T]) Validate() error {
	if t == nil {
		return errors.New("train: the Trainer is nil: create one with &train.Trainer[float64]{Net: net, Opt: opt, XTrain: x, DTrain: d, Config: train.Config{Iters: 1000}}")
	}
	c := t.defaults()
	switch {
	case t.Net == nil:
		return errors.New("train: the Trainer has no network: set Net, e.g. Net: net (from nets.NewSimpleConvNet)")
	case t.Opt == nil:
		return errors.New("train: the Trainer has no optimizer: set Opt, e.g. Opt: optim.NewAdam[float64](0.001)")
	case t.XTrain == nil || t.DTrain == nil:
		return errors.New("train: the Trainer has no training data: set XTrain and DTrain, e.g. XTrain: ds.Train.X, DTrain: ds.Train.D")
	case c.Iters < 0 || c.BatchSize < 0 || c.EvalEvery < 0:
		return fmt.Errorf("train: iterations (%d), batch size (%d) and evaluation interval (%d) must not be negative", c.Iters, c.BatchSize, c.EvalEvery)
	case !(c.LRDecay >= 0 && c.LRDecay <= 1): // NaN too
		return fmt.Errorf("train: LRDecay %v: use a factor above 0 and at most 1 such as 0.7 (the learning rate is multiplied by it after every epoch), or 0 for none", c.LRDecay)
	case t.XTrain.Rows() != t.DTrain.Rows():
		return fmt.Errorf("train: %d training samples but %d labels", t.XTrain.Rows(), t.DTrain.Rows())
	case t.XTest != nil && t.DTest != nil && t.XTest.Rows() != t.DTest.Rows():
		return fmt.Errorf("train: %d test samples but %d labels", t.XTest.Rows(), t.DTest.Rows())
	}
	if err := t.Net.Check(t.XTrain, t.DTrain); err != nil {
		return fmt.Errorf("train: training data: %w", err)
	}
	if t.XTest != nil && t.DTest != nil {
		if err := t.Net.Check(t.XTest, t.DTest); err != nil {
			return fmt.Errorf("train: test data: %w", err)
		}
	}
	return nil
}

func (t *Trainer[T]) accuracy(x, d *tensor.Tensor[T], c Config) float64 {
	if c.BatchedAccuracy > 0 {
		return t.Net.AccuracyBatched(x, d, c.BatchedAccuracy)
	}
	return t.Net.Accuracy(x, d)
}

// Run trains for Config.Iters iterations (continuing from History.Loss when
// the trainer was restored from a checkpoint), evaluating every EvalEvery
// iterations and once more at the end when the last iteration was not an
// evaluation point, so that History.Final always describes the final model.
// It stops early with a *DivergedError when the loss is NaN or Inf, and with
// ErrInterrupted when ctx is cancelled; the history so far is returned in
// both cases.
func (t *Trainer[T]) Run(ctx context.Context) (*History, error) {
	c := t.defaults()
	if err := t.prepare(c); err != nil {
		return t.History, err
	}
	h := t.History
	for i := len(h.Loss); i < c.Iters; i++ {
		if ctx.Err() != nil {
			return h, t.interrupted(c, i, context.Cause(ctx))
		}
		if err := t.iteration(c, i); err != nil {
			return h, err
		}
	}
	if err := t.finalEval(c); err != nil {
		return h, err
	}
	return h, t.finish(c)
}

// prepare checks the trainer and sets up the history, the random generator
// and the mini-batch sampler.
func (t *Trainer[T]) prepare(c Config) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if t.Rand == nil {
		t.Rand = t.Net.Rand
	}
	if t.History == nil {
		t.History = &History{}
	}
	if done := len(t.History.Loss); done > c.Iters {
		return fmt.Errorf("train: the checkpoint already holds %d iterations, more than the %d asked for (Config.Iters): ask for at least %d to continue it, or start over with another checkpoint path",
			done, c.Iters, done)
	}
	t.start = time.Now().Add(-t.History.Elapsed)
	if t.sampler != nil {
		return nil
	}
	s, err := batch.NewSampler(t.XTrain.Rows(), c.BatchSize, c.Shuffle, t.Rand)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	t.sampler = s
	if t.resumeSampler != nil {
		if err := t.resumeSampler(); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	return nil
}

// save writes a checkpoint when the run has a checkpoint path.
func (t *Trainer[T]) save(c Config) error {
	t.History.Elapsed = time.Since(t.start)
	if c.CheckpointPath == "" {
		return nil
	}
	return t.SaveCheckpoint(c.CheckpointPath)
}

// interrupted saves a checkpoint after i iterations and returns the
// ErrInterrupted error for the cancellation cause.
func (t *Trainer[T]) interrupted(c Config, i int, cause error) error {
	err := fmt.Errorf("%w after %d iterations: %v", ErrInterrupted, i, cause)
	if serr := t.save(c); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}

// step draws the next mini-batch, updates the parameters and returns the
// loss on the batch.
func (t *Trainer[T]) step() (float64, error) {
	xb, db, err := t.batcher.Take(t.XTrain, t.DTrain, t.sampler.Next())
	if err != nil {
		return 0, err
	}
	t.xb, t.db = xb, db
	grads := t.Net.Gradient(xb, db)
	t.withDecay(func() { t.Opt.Update(t.Net.Params, grads) })
	return t.Net.Loss(xb, db), nil
}

// withDecay runs update with the learning rate of the current epoch under
// Config.LRDecay, restoring the optimizer's own rate afterwards.
func (t *Trainer[T]) withDecay(update func()) {
	c := t.defaults()
	o, ok := t.Opt.(optim.LearningRater)
	if c.LRDecay == 0 || c.LRDecay == 1 || !ok {
		update()
		return
	}
	base := o.LearningRate()
	epoch := len(t.History.Loss) * c.BatchSize / max(1, t.XTrain.Rows())
	o.SetLearningRate(base * math.Pow(c.LRDecay, float64(epoch)))
	defer o.SetLearningRate(base)
	update()
}

// iteration runs iteration i+1: a step, the loss record, the hooks, and the
// evaluation and checkpoint when due.
func (t *Trainer[T]) iteration(c Config, i int) error {
	h := t.History
	loss, err := t.step()
	if err != nil {
		return err
	}
	if err := CheckLoss(i+1, loss, t.Opt.Name()); err != nil {
		h.Elapsed = time.Since(t.start)
		return err
	}
	h.Loss = append(h.Loss, loss)
	ckpt := c.CheckpointEvery > 0 && (i+1)%c.CheckpointEvery == 0
	evalDue := (i+1)%c.EvalEvery == 0
	if ckpt && !evalDue {
		if err := t.save(c); err != nil {
			return err
		}
	}
	for _, f := range t.OnStep {
		if err := f(i+1, loss); err != nil {
			return err
		}
	}
	if !evalDue {
		return nil
	}
	e, err := t.evaluate(c, loss)
	if err != nil {
		return err
	}
	if ckpt {
		if err := t.save(c); err != nil {
			return err
		}
	}
	return t.report(e)
}

// evaluate measures the accuracies of the current model, records them in
// the history (and prints the Generation lines when Config.Print is set).
func (t *Trainer[T]) evaluate(c Config, loss float64) (Eval, error) {
	h := t.History
	e := Eval{Iter: len(h.Loss), Loss: loss, Elapsed: time.Since(t.start)}
	var err error
	if c.TrainEval == TrainOnAll {
		x, d := t.XTrain, t.DTrain
		if n := c.TrainEvalSamples; n > 0 && n < x.Rows() {
			x, d = x.Slice(0, n), d.Slice(0, n)
		}
		e.TrainAcc = t.accuracy(x, d, c)
	} else {
		if t.xb == nil { // resumed after the last step: measure on the next batch
			if t.xb, t.db, err = t.batcher.Take(t.XTrain, t.DTrain, t.sampler.Next()); err != nil {
				return e, err
			}
		}
		e.TrainAcc = t.accuracy(t.xb, t.db, c)
	}
	if t.XTest != nil && t.DTest != nil {
		e.TestAcc = t.accuracy(t.XTest, t.DTest, c)
	}
	h.Evals = append(h.Evals, e)
	if c.Print {
		if c.Out == nil {
			lesson.PrintGeneration(e.Iter, e.TrainAcc, e.TestAcc)
		} else {
			lesson.FprintGeneration(c.Out, e.Iter, e.TrainAcc, e.TestAcc)
		}
	}
	return e, nil
}

// report calls the OnEval hooks.
func (t *Trainer[T]) report(e Eval) error {
	for _, f := range t.OnEval {
		if err := f(e); err != nil {
			return err
		}
	}
	return nil
}

// finalEval evaluates the final model when the last iteration was not an
// evaluation point (fewer iterations than EvalEvery, or a remainder).
func (t *Trainer[T]) finalEval(c Config) error {
	h := t.History
	n := len(h.Loss)
	if n == 0 || (len(h.Evals) > 0 && h.Final().Iter == n) {
		return nil
	}
	e, err := t.evaluate(c, h.Loss[n-1])
	if err != nil {
		return err
	}
	return t.report(e)
}

// finish saves the final checkpoint and calls the OnEnd hooks.
func (t *Trainer[T]) finish(c Config) error {
	if err := t.save(c); err != nil {
		return err
	}
	for _, f := range t.OnEnd {
		if err := f(t.History); err != nil {
			return err
		}
	}
	return nil
}
