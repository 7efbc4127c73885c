package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/augment"
	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/chart"
	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/dlnb/nb"
	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/npyio"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/dlnb/train"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func init() {
	register("train", "train a course network (checkpoints, resumes, charts)", runTrain)
}

type trainOptions struct {
	net, dataset, optimizer, precision, out string
	epochs, iters, batch, seed              int
	trainSamples, testSamples, evalSamples  int
	evalEvery, checkpointEvery              int
	lr, lrDecay                             float64
	shuffle, fresh                          bool
	outFrom                                 folderOrigin    // what chose the run folder
	set                                     map[string]bool // the flags given on the command line
	cmd                                     cmdLine         // the command line, for the hints
}

// trainFlags defines the train flags on o.
func trainFlags(o *trainOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("train", flag.ExitOnError)
	fs.StringVar(&o.net, "net", "simpleconv", "network: "+strings.Join(trainNets, ", "))
	fs.StringVar(&o.dataset, "dataset", "mnist", "mnist or fashion")
	fs.IntVar(&o.epochs, "epochs", 20, "passes over the training data (batch-size steps each)")
	fs.IntVar(&o.iters, "iters", 0, "iterations instead of epochs")
	fs.IntVar(&o.batch, "batch", 100, "mini-batch size")
	fs.StringVar(&o.optimizer, "optimizer", "adam", "sgd, momentum, nesterov, adagrad, rmsprop or adam")
	fs.Float64Var(&o.lr, "lr", 0, "learning rate (0: the course's default for the optimizer)")
	fs.Float64Var(&o.lrDecay, "lr-decay", 0, "multiply the learning rate by this after every epoch, e.g. 0.7 (0: constant)")
	fs.StringVar(&o.precision, "precision", "float32", "float32 (fast) or float64 (the course's)")
	fs.IntVar(&o.seed, "seed", 0, "random seed (np.random.seed)")
	fs.BoolVar(&o.shuffle, "shuffle", true, "shuffled epochs; false draws batches with replacement like the course")
	fs.IntVar(&o.trainSamples, "train-samples", 0, "use only the first N training images (0: all; the course uses 5000)")
	fs.IntVar(&o.testSamples, "test-samples", 0, "use only the first N test images (0: all)")
	fs.IntVar(&o.evalSamples, "eval-train-samples", 10000, "training images the per-epoch train accuracy is measured on (0: all)")
	fs.IntVar(&o.evalEvery, "eval-every", 0, "iterations between evaluations (0: once per epoch)")
	fs.IntVar(&o.checkpointEvery, "checkpoint-every", 0, "iterations between checkpoints (0: once per epoch)")
	fs.StringVar(&o.out, "out", "", "output folder (default: NET-DATASET in $DLNB_RUNS_DIR, else in the repository's runs/)")
	fs.BoolVar(&o.fresh, "fresh", false, "start over even if a checkpoint exists")
	return fs
}

func runTrain(args []string) error {
	var o trainOptions
	fs := trainFlags(&o)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dlnb train [flags]\n\nTrains a course network, writing checkpoints, charts and the final model to -out.\n"+
			"An interrupted run (Ctrl-C, kill) resumes from its last checkpoint when started again with the same flags.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	o.cmd = append(cmdLine{"train"}, args...)
	if err := o.check(); err != nil {
		return err
	}
	switch o.precision {
	case "float32":
		return trainWith[float32](o)
	case "float64":
		return trainWith[float64](o)
	}
	return fmt.Errorf("-precision %s: use float32 or float64", o.precision)
}

// check validates the flags that need no data, normalising the dataset
// name and resolving the run folder; sizes are checked against the
// dataset's before it is loaded.
func (o *trainOptions) check() error {
	for _, c := range []struct {
		name string
		v    int
		what string
	}{{"epochs", o.epochs, "passes"}, {"iters", o.iters, "iterations"}, {"train-samples", o.trainSamples, "training images (0: all)"},
		{"test-samples", o.testSamples, "test images (0: all)"}, {"eval-train-samples", o.evalSamples, "training images (0: all)"},
		{"eval-every", o.evalEvery, "iterations (0: once per epoch)"}, {"checkpoint-every", o.checkpointEvery, "iterations (0: once per epoch)"}} {
		if c.v < 0 {
			return fmt.Errorf("-%s %d: must be 0 or more %s", c.name, c.v, c.what)
		}
	}
	if err := o.checkSettings(); err != nil {
		return err
	}
	var err error
	if o.dataset, err = datasetName(o.dataset); err != nil {
		return err
	}
	if err := o.checkSizes(); err != nil {
		return err
	}
	o.out, o.outFrom, err = runFolder(o.out, o.net, o.dataset)
	return err
}

// checkSettings validates the flags that are checked on their own.
func (o *trainOptions) checkSettings() error {
	switch {
	case !(o.lrDecay == 0 || o.lrDecay > 0 && o.lrDecay <= 1): // NaN too
		return fmt.Errorf("-lr-decay %v: give a factor above 0 and at most 1, such as 0.7 (the learning rate is multiplied by it after every epoch), or 0 for a constant rate", o.lrDecay)
	case o.batch <= 0:
		return fmt.Errorf("-batch %d: the mini-batch size must be positive", o.batch)
	case o.seed < 0 || int64(o.seed) > math.MaxUint32:
		return fmt.Errorf("-seed %d: use a seed from 0 to %d, as np.random.seed does", o.seed, uint32(math.MaxUint32))
	case o.set["iters"] && o.iters == 0:
		return errors.New("nothing to train: -iters 0 asks for no iterations; give -iters N with N of 1 or more, or leave -iters out to train -epochs passes")
	case o.iters == 0 && o.epochs == 0:
		return errors.New("nothing to train: -epochs 0 asks for no iterations; give -epochs N or -iters N with N of 1 or more")
	case o.precision != "float32" && o.precision != "float64":
		return fmt.Errorf("-precision %s: use float32 or float64", o.precision)
	}
	return nil
}

// checkSizes checks the sample counts and the batch size against the
// dataset's size, and that the run's iterations and images can be counted:
// -epochs × iterations per epoch wrapped round to a few iterations before.
func (o *trainOptions) checkSizes() error {
	src := datasetSource(o.dataset)
	if err := tooManySamples(src, o.trainSamples, o.testSamples); err != nil {
		return err
	}
	n := o.trainImages()
	if o.shuffle && o.batch > n {
		what := fmt.Sprintf("-batch %d", o.batch)
		if o.trainSamples > 0 {
			what += fmt.Sprintf(" with -train-samples %d", o.trainSamples)
		}
		return fmt.Errorf("%s: a shuffled epoch of %d training images cannot fill a batch of %d; lower -batch to %d or less, use more images (-train-samples), or draw batches with replacement as the course does (-shuffle=false)",
			what, n, o.batch, n)
	}
	perEpoch := max(1, n/o.batch)
	limit := math.MaxInt / o.batch // iterations whose images can be counted
	if o.iters == 0 && o.epochs > limit/perEpoch {
		return fmt.Errorf("-epochs %d: that many epochs of %d iterations are more iterations than a run can count (at most %d epochs with -batch %d); give fewer epochs, e.g. -epochs 20 as the course trains",
			o.epochs, perEpoch, limit/perEpoch, o.batch)
	}
	if o.iters > limit {
		return fmt.Errorf("-iters %d: that many iterations of %d images are more than a run can count (at most %d with -batch %d); give fewer iterations",
			o.iters, o.batch, limit, o.batch)
	}
	return nil
}

// testImages is the number of test images the run uses.
func (o *trainOptions) testImages() int {
	if o.testSamples > 0 {
		return o.testSamples
	}
	return datasetSource(o.dataset).TestImages
}

// trainImages is the number of training images the run uses.
func (o *trainOptions) trainImages() int {
	if o.trainSamples > 0 {
		return o.trainSamples
	}
	return datasetSource(o.dataset).TrainImages
}

// iterations is the run's length: -iters, else -epochs passes.
func (o *trainOptions) iterations() (iters, perEpoch int) {
	perEpoch = max(1, o.trainImages()/o.batch)
	if o.iters > 0 {
		return o.iters, perEpoch
	}
	return o.epochs * perEpoch, perEpoch
}

// datasetSource returns the source of a canonical dataset name.
func datasetSource(name string) datasets.Source {
	if name == "fashion" {
		return datasets.FashionMNIST
	}
	return datasets.MNIST
}

// tooManySamples refuses sample counts beyond what the dataset has.
func tooManySamples(src datasets.Source, trainN, testN int) error {
	for _, c := range []struct {
		flag    string
		n, have int
	}{{"train-samples", trainN, src.TrainImages}, {"test-samples", testN, src.TestImages}} {
		if c.n > c.have {
			return fmt.Errorf("-%s %d: %s has only %d of these images; use at most %d (or 0 for all)", c.flag, c.n, src.Name, c.have, c.have)
		}
	}
	return nil
}

// datasetName returns the canonical name of a -dataset value: mnist or fashion.
func datasetName(name string) (string, error) {
	switch strings.ToLower(name) {
	case "mnist":
		return "mnist", nil
	case "fashion", "fashion-mnist":
		return "fashion", nil
	}
	return "", fmt.Errorf("unknown dataset %q: use mnist or fashion", name)
}

// loadDataset loads MNIST or Fashion-MNIST in the layout of a network whose
// samples have shape input (flat for mlp/twolayer, N×1×28×28 for the
// convolution nets, padded to 32×32 for LeNet) in precision T, keeping only
// the first trainN/testN images when they are positive; asking for more
// images than the dataset has is an error.
func loadDataset[T tensor.Float](input []int, name string, trainN, testN int) (x, d, xt, dt *tensor.Tensor[T], classes [10]string, err error) {
	name, err = datasetName(name)
	if err != nil {
		return nil, nil, nil, nil, classes, err
	}
	src := datasetSource(name)
	if err := tooManySamples(src, trainN, testN); err != nil {
		return nil, nil, nil, nil, classes, err
	}
	var opts []datasets.Option
	if len(input) == 3 {
		opts = append(opts, datasets.Flatten(false))
	}
	ds, err := datasets.Load(src, opts...)
	if err != nil {
		return nil, nil, nil, nil, classes, err
	}
	if ds.CacheErr != nil {
		fmt.Fprintf(os.Stderr, "note: %v\n", ds.CacheErr)
	}
	xs, ds2 := [2]*tensor.Tensor[float64]{ds.Train.X, ds.Test.X}, [2]*tensor.Tensor[float64]{ds.Train.D, ds.Test.D}
	for i, n := range []int{trainN, testN} {
		if n > 0 {
			xs[i], ds2[i] = xs[i].Slice(0, n), ds2[i].Slice(0, n)
		}
	}
	if p := inputPad(input); p > 0 {
		xs[0], xs[1] = augment.PadImages(xs[0], p), augment.PadImages(xs[1], p)
	}
	return tensor.Cast[T](xs[0]), tensor.Cast[T](ds2[0]), tensor.Cast[T](xs[1]), tensor.Cast[T](ds2[1]), ds.Classes, nil
}

// trainRun is a training run being set up and executed by dlnb train.
type trainRun[T tensor.Float] struct {
	o        trainOptions
	t        *train.Trainer[T]
	iters    int
	perEpoch int
	ckpt     string
	resumed  bool
}

func trainWith[T tensor.Float](o trainOptions) error {
	r := rng.New(uint32(o.seed))
	net, err := buildNet[T](o.net, r)
	if err != nil {
		return err
	}
	opt, err := optim.New[T](o.optimizer, o.lr)
	if err != nil {
		return err
	}
	size := runSize{net: o.net, batch: o.batch, eval: net.EvalBatchSize(), images: o.trainImages() + o.testImages()}
	if err := checkMemory[T](size); err != nil {
		return err
	}
	if err := makeRunFolder(o.out, o.outFrom); err != nil {
		return err
	}
	lock, note, err := lockRun(o.out, o.cmd)
	if err != nil {
		return err
	}
	defer lock.release()
	if note != "" {
		fmt.Fprintln(stdout, note)
	}
	run, err := newTrainRun(o, net, opt, r)
	if err != nil {
		return err
	}
	if err := run.resume(); err != nil {
		return err
	}
	return run.run(lock)
}

// run trains, stopping on a signal with a checkpoint and the command that
// resumes, and writes the results.
func (run *trainRun[T]) run(lock *runLock) error {
	run.printHeader()
	progress := run.attachOutput()
	ctx, stop := train.SignalContext(syscall.SIGPIPE) // SIGPIPE: dlnb train | head, or a tee the closed terminal ended
	defer stop()
	h, err := run.t.Run(ctx)
	progress.Done()
	if errors.Is(err, train.ErrInterrupted) {
		code := run.stopped(len(h.Loss), context.Cause(ctx))
		lock.release()
		os.Exit(code)
	}
	if err != nil {
		return err
	}
	return run.finish()
}

// stopped says which signal stopped the run after iters iterations, where
// its checkpoint is and how to resume, and returns the exit status: 128 +
// the signal's number, as a shell reports a process the signal ended.
func (run *trainRun[T]) stopped(iters int, cause error) int {
	sig, how := syscall.SIGINT, "interrupted (Ctrl-C)"
	var se *train.SignalError
	if errors.As(cause, &se) {
		if s, ok := se.Signal.(syscall.Signal); ok {
			sig = s
		}
	}
	switch sig {
	case syscall.SIGTERM:
		how = "stopped by SIGTERM"
	case syscall.SIGHUP:
		how = "stopped by SIGHUP (its terminal was closed)"
	case syscall.SIGPIPE:
		how = "stopped by SIGPIPE (the program reading its output ended)"
	}
	msg := fmt.Sprintf("%s at iteration %d; checkpoint saved to %s\nTo resume, run:\n  %s\n", how, iters, run.ckpt, run.o.cmd.without("fresh"))
	if sig == syscall.SIGHUP || sig == syscall.SIGPIPE {
		msg += "(a run that must outlive its terminal can be started with nohup, or inside tmux or screen)\n"
	}
	fmt.Fprint(stdout, msg)
	if stdout.err != nil { // the terminal or pipe is gone: stderr may still reach a log
		fmt.Fprint(os.Stderr, msg)
	}
	return 128 + int(sig)
}

// newTrainRun loads the data and builds the trainer.
func newTrainRun[T tensor.Float](o trainOptions, net *nets.Net[T], opt optim.Optimizer[T], r *rng.RandomState) (*trainRun[T], error) {
	x, d, xt, dt, _, err := loadDataset[T](net.Spec.Input, o.dataset, o.trainSamples, o.testSamples)
	if err != nil {
		return nil, err
	}
	iters, perEpoch := o.iterations()
	evalEvery, ckEvery := o.evalEvery, o.checkpointEvery
	if evalEvery <= 0 {
		evalEvery = perEpoch
	}
	if ckEvery <= 0 {
		ckEvery = perEpoch
	}
	ckpt := filepath.Join(o.out, "checkpoint.npz")
	optName := strings.ToLower(o.optimizer)
	if optName == "rmsprpo" {
		optName = "rmsprop"
	}
	t := &train.Trainer[T]{Net: net, Opt: opt, XTrain: x, DTrain: d, XTest: xt, DTest: dt, Rand: r,
		Config: train.Config{Iters: iters, BatchSize: o.batch, EvalEvery: evalEvery, Shuffle: o.shuffle, LRDecay: o.lrDecay,
			TrainEval: train.TrainOnAll, TrainEvalSamples: o.evalSamples, BatchedAccuracy: 0,
			CheckpointPath: ckpt, CheckpointEvery: ckEvery,
			Settings: []train.Setting{{Name: "net", Value: o.net}, {Name: "dataset", Value: o.dataset},
				{Name: "seed", Value: strconv.Itoa(o.seed)}, {Name: "optimizer", Value: optName},
				{Name: "lr", Value: strconv.FormatFloat(learningRate(opt), 'g', -1, 64)}}}}
	return &trainRun[T]{o: o, t: t, iters: iters, perEpoch: perEpoch, ckpt: ckpt}, nil
}

// resume starts over (-fresh) or continues the saved run of the folder,
// refusing a checkpoint of other settings or of more iterations.
func (run *trainRun[T]) resume() error {
	o := run.o
	if o.fresh {
		if err := run.setAside(); err != nil {
			return err
		}
	}
	resumed, err := run.t.ResumeOrStart(run.ckpt)
	var se *train.SettingsError
	var ce *train.CheckpointError
	switch {
	case errors.As(err, &se):
		return settingsMismatch(se, o.out, o.cmd)
	case errors.As(err, &ce):
		return checkpointDamaged(ce, o.cmd)
	case err != nil && exists(run.ckpt):
		return fmt.Errorf("%w\nTo start over (the saved run is replaced), run:\n  %s", err, o.cmd.withFresh())
	case err != nil:
		return err
	}
	run.resumed = resumed
	if !resumed {
		return nil
	}
	if done := run.t.History.StartIter; done > run.iters {
		return fmt.Errorf("the saved run in %s has %d iterations, more than the %d asked for.\nTo continue it, run:\n  %s\nTo start over, run:\n  %s",
			o.out, done, run.iters, o.cmd.without("fresh").without("epochs").with("iters", strconv.Itoa(done)), o.cmd.withFresh())
	}
	return nil
}

// setAside moves the checkpoint of the run -fresh starts over to
// checkpoint-before-fresh.npz (replacing the one an earlier -fresh set
// aside) and says which run that was and how to go back to it: a -fresh
// command run again from the shell's history would otherwise drop an hour
// of training without a word. -fresh itself is not questioned: it is how
// a student asks to start over, and dlnb prints it in its own advice.
func (run *trainRun[T]) setAside() error {
	h, err := train.ReadHistory(run.ckpt)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	what := "a damaged checkpoint"
	if err == nil {
		what = fmt.Sprintf("the run saved at iteration %d (%s of training)", len(h.Loss), h.Elapsed.Round(time.Second))
	}
	kept := filepath.Join(run.o.out, "checkpoint-before-fresh.npz")
	if err := os.Rename(run.ckpt, kept); err != nil {
		return fmt.Errorf("-fresh: setting the saved run aside: %w", err)
	}
	fmt.Fprintf(stdout, "-fresh: starting over; %s in %s is set aside as %s (the next -fresh replaces it).\n"+
		"To go back to it instead, stop this run (Ctrl-C) and run:\n  mv %s %s && %s\n",
		what, run.o.out, filepath.Base(kept), shellQuote(kept), shellQuote(run.ckpt), run.o.cmd.without("fresh"))
	return nil
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// printHeader prints what is trained, where, and from which iteration.
func (run *trainRun[T]) printHeader() {
	o, t := run.o, run.t
	opt := t.Opt.Name()
	if o.lrDecay != 0 && o.lrDecay != 1 {
		opt += fmt.Sprintf(" with the learning rate ×%v after every epoch", o.lrDecay)
	}
	fmt.Fprintf(stdout, "%s on %s: %d training / %d test images, %s, batch %d, %d iterations (%d per epoch), %s, %s\n",
		t.Net.Spec.Name, o.dataset, t.XTrain.Rows(), t.XTest.Rows(), opt, o.batch, run.iters, run.perEpoch, o.precision, backend.Name())
	fmt.Fprintf(stdout, "run folder %s\n", o.out)
	if run.resumed {
		fmt.Fprintf(stdout, "resuming from iteration %d (epoch %.1f) of %s\n", t.History.StartIter, float64(t.History.StartIter)/float64(run.perEpoch), run.ckpt)
	}
}

// attachOutput shows a progress bar and one line per evaluation.
func (run *trainRun[T]) attachOutput() *nb.Progress {
	t := run.t
	progress := nb.NewProgress(t.Net.Spec.Name, run.iters)
	progress.Settings = t.Opt.Name()
	t.OnStep = append(t.OnStep, func(iter int, loss float64) error { progress.Step(iter, loss); return nil })
	t.OnEval = append(t.OnEval, func(e train.Eval) error {
		progress.Eval(e.Iter, e.TrainAcc, e.TestAcc)
		if isTTY() {
			fmt.Fprint(stdout, "\r\x1b[K")
		}
		fmt.Fprintf(stdout, "epoch %5.2f  iter %6d  loss %.4f  train acc %s  test acc %s  %s\n", float64(e.Iter)/float64(run.perEpoch),
			e.Iter, e.Loss, lesson.Accuracy(e.TrainAcc), lesson.Accuracy(e.TestAcc), e.Elapsed.Round(time.Second))
		return nil
	})
	return progress
}

// finish writes the model (with how it was trained), the charts and the
// history, and prints the final evaluation.
func (run *trainRun[T]) finish() error {
	o, t, h := run.o, run.t, run.t.History
	model := filepath.Join(o.out, "model.npz")
	info := &nets.ModelInfo{Dataset: o.dataset, Net: o.net, Precision: o.precision, Seed: int64(o.seed), Iters: len(h.Loss),
		Optimizer: t.Opt.Name(), TrainSamples: t.XTrain.Rows()}
	if err := t.Net.SaveWithInfo(model, info); err != nil {
		return err
	}
	if err := saveCharts(o.out, t.Net.Spec.Name, h, run.perEpoch); err != nil {
		return err
	}
	hist, _ := json.MarshalIndent(h, "", " ")
	if err := npyio.WriteFileAtomic(filepath.Join(o.out, "history.json"), hist); err != nil {
		return err
	}
	f := h.Final()
	fmt.Fprintf(stdout, "done: final train accuracy %s, test accuracy %s (iteration %d), %s of training; model %s, charts %s\n",
		lesson.Accuracy(f.TrainAcc), lesson.Accuracy(f.TestAcc), f.Iter, h.Elapsed.Round(time.Second), model, filepath.Join(o.out, "accuracy.png"))
	return nil
}

// saveCharts draws the accuracy and loss charts of a run into out.
func saveCharts(out, title string, h *train.History, perEpoch int) error {
	xs := make([]float64, len(h.Evals))
	for i, e := range h.Evals {
		xs[i] = float64(e.Iter) / float64(perEpoch)
	}
	acc := chart.Lines(chart.LineSpec{Title: title + ": accuracy", XLabel: "epoch", YLabel: "accuracy", YMax: chart.Float(1)},
		chart.Series{Name: "training set", X: xs, Y: h.TrainAcc()}, chart.Series{Name: "test set", X: xs, Y: h.TestAcc()})
	if len(acc.Plots) > 0 {
		acc.Plots[0].X.Min = 0 // epochs from 0: round tick labels
		if len(xs) == 1 {
			markPoints(acc.Plots[0], xs, h.TrainAcc(), h.TestAcc())
		}
	}
	if err := acc.Save(filepath.Join(out, "accuracy.png")); err != nil {
		return err
	}
	return chart.Loss(h.Loss, 100).Save(filepath.Join(out, "loss.png"))
}

// markPoints draws the accuracies as dots, away from the edges and the
// legend: a single evaluation makes no line.
func markPoints(p *plot.Plot, xs []float64, series ...[]float64) {
	p.X.Max = 1.25 * xs[len(xs)-1]
	p.Y.Min = 0
	p.Legend.Top, p.Legend.Left = true, true
	for i, ys := range series {
		pts := make(plotter.XYs, len(xs))
		for k := range xs {
			pts[k] = plotter.XY{X: xs[k], Y: ys[k]}
		}
		if sc, err := plotter.NewScatter(pts); err == nil {
			sc.Color = chart.Color(i)
			sc.Radius = vg.Points(4)
			p.Add(sc)
		}
	}
}

// learningRate returns an optimizer's learning rate (the course's default
// when -lr was 0).
func learningRate[T tensor.Float](o optim.Optimizer[T]) float64 {
	switch o := o.(type) {
	case *optim.SGD[T]:
		return o.LR
	case *optim.Momentum[T]:
		return o.LR
	case *optim.Nesterov[T]:
		return o.LR
	case *optim.AdaGrad[T]:
		return o.LR
	case *optim.RMSprop[T]:
		return o.LR
	case *optim.Adam[T]:
		return o.LR
	}
	return 0
}

// knownOptimizer reports whether name is an optimizer optim.New knows.
func knownOptimizer(name string) bool {
	_, err := optim.New[float64](name, 0)
	return err == nil
}

func isTTY() bool {
	st, err := os.Stdout.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
