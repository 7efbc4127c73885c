package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/chart"
	"github.com/dlnb/course/dlnb/course"
	"github.com/dlnb/course/dlnb/nb"
	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/npyio"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/dlnb/train"
)

func init() {
	register("train", "train a course network (checkpoints, resumes, charts)", runTrain)
	register("eval", "evaluate a saved model on a test set", runEval)
}

type trainOptions struct {
	net, dataset, optimizer, precision, out string
	epochs, iters, batch, seed              int
	trainSamples, testSamples, evalSamples  int
	evalEvery, checkpointEvery              int
	lr                                      float64
	shuffle, fresh                          bool
}

func runTrain(args []string) error {
	var o trainOptions
	fs := flag.NewFlagSet("train", flag.ExitOnError)
	fs.StringVar(&o.net, "net", "simpleconv", "network: "+strings.Join(append(benchNets, "twolayer", "doubleconv-after"), ", "))
	fs.StringVar(&o.dataset, "dataset", "mnist", "mnist or fashion")
	fs.IntVar(&o.epochs, "epochs", 20, "passes over the training data (batch-size steps each)")
	fs.IntVar(&o.iters, "iters", 0, "iterations instead of epochs")
	fs.IntVar(&o.batch, "batch", 100, "mini-batch size")
	fs.StringVar(&o.optimizer, "optimizer", "adam", "sgd, momentum, nesterov, adagrad, rmsprop or adam")
	fs.Float64Var(&o.lr, "lr", 0, "learning rate (0: the course's default for the optimizer)")
	fs.StringVar(&o.precision, "precision", "float32", "float32 (fast) or float64 (the course's)")
	fs.IntVar(&o.seed, "seed", 0, "random seed (np.random.seed)")
	fs.BoolVar(&o.shuffle, "shuffle", true, "shuffled epochs; false draws batches with replacement like the course")
	fs.IntVar(&o.trainSamples, "train-samples", 0, "use only the first N training images (the course uses 5000)")
	fs.IntVar(&o.testSamples, "test-samples", 0, "use only the first N test images")
	fs.IntVar(&o.evalSamples, "eval-train-samples", 10000, "training images the per-epoch train accuracy is measured on (0: all)")
	fs.IntVar(&o.evalEvery, "eval-every", 0, "iterations between evaluations (0: once per epoch)")
	fs.IntVar(&o.checkpointEvery, "checkpoint-every", 0, "iterations between checkpoints (0: once per epoch)")
	fs.StringVar(&o.out, "out", "", "output directory (default runs/NET-DATASET)")
	fs.BoolVar(&o.fresh, "fresh", false, "start over even if a checkpoint exists")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dlnb train [flags]\n\nTrains a course network, writing checkpoints, charts and the final model to -out.\nAn interrupted run (Ctrl-C, kill) resumes from its last checkpoint when started again with the same flags.")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if err := backend.Err(); err != nil {
		return err
	}
	if o.batch <= 0 || o.epochs < 0 || o.iters < 0 {
		return fmt.Errorf("batch (%d) must be positive and epochs/iters (%d/%d) not negative", o.batch, o.epochs, o.iters)
	}
	if o.out == "" {
		o.out = filepath.Join("runs", o.net+"-"+o.dataset)
	}
	switch o.precision {
	case "float32":
		return trainWith[float32](o)
	case "float64":
		return trainWith[float64](o)
	}
	return fmt.Errorf("precision must be float32 or float64, got %q", o.precision)
}

// loadDataset loads MNIST or Fashion-MNIST in the layout the network expects
// (flat for mlp/twolayer, N×1×28×28 otherwise) in precision T, keeping only
// the first trainN/testN images when they are positive.
func loadDataset[T tensor.Float](net, name string, trainN, testN int) (x, d, xt, dt *tensor.Tensor[T], classes [10]string, err error) {
	src := datasets.MNIST
	switch name {
	case "mnist":
	case "fashion", "fashion-mnist":
		src = datasets.FashionMNIST
	default:
		return nil, nil, nil, nil, classes, fmt.Errorf("unknown dataset %q: use mnist or fashion", name)
	}
	var opts []datasets.Option
	if net != "mlp" && net != "twolayer" {
		opts = append(opts, datasets.Flatten(false))
	}
	ds, err := datasets.Load(src, opts...)
	if err != nil {
		return nil, nil, nil, nil, classes, err
	}
	cut := func(t *tensor.Tensor[float64], n int) *tensor.Tensor[float64] {
		if n > 0 && n < t.Rows() {
			t, _ = t.Slice(0, n)
		}
		return t
	}
	return tensor.Cast[T](cut(ds.Train.X, trainN)), tensor.Cast[T](cut(ds.Train.D, trainN)),
		tensor.Cast[T](cut(ds.Test.X, testN)), tensor.Cast[T](cut(ds.Test.D, testN)), ds.Classes, nil
}

func trainWith[T tensor.Float](o trainOptions) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	x, d, xt, dt, _, err := loadDataset[T](o.net, o.dataset, o.trainSamples, o.testSamples)
	if err != nil {
		return err
	}
	r := rng.New(uint32(o.seed))
	net, err := buildNet[T](o.net, r)
	if err != nil {
		return err
	}
	opt, err := optim.New[T](o.optimizer, o.lr)
	if err != nil {
		return err
	}
	perEpoch := max(1, x.Rows()/o.batch)
	iters := o.iters
	if iters == 0 {
		iters = o.epochs * perEpoch
	}
	evalEvery, ckEvery := o.evalEvery, o.checkpointEvery
	if evalEvery <= 0 {
		evalEvery = perEpoch
	}
	if ckEvery <= 0 {
		ckEvery = perEpoch
	}
	ckpt := filepath.Join(o.out, "checkpoint.npz")
	t := &train.Trainer[T]{Net: net, Opt: opt, XTrain: x, DTrain: d, XTest: xt, DTest: dt, Rand: r,
		Config: train.Config{Iters: iters, BatchSize: o.batch, EvalEvery: evalEvery, Shuffle: o.shuffle,
			TrainEval: train.TrainOnAll, TrainEvalSamples: o.evalSamples, BatchedAccuracy: 0,
			CheckpointPath: ckpt, CheckpointEvery: ckEvery}}
	if o.fresh {
		os.Remove(ckpt)
	}
	resumed, err := t.ResumeOrStart(ckpt)
	if err != nil {
		return err
	}
	fmt.Printf("%s on %s: %d training / %d test images, %s, batch %d, %d iterations (%d per epoch), %s, %s\n",
		net.Spec.Name, o.dataset, x.Rows(), xt.Rows(), opt.Name(), o.batch, iters, perEpoch, o.precision, backend.Name())
	if resumed {
		fmt.Printf("resuming from iteration %d (epoch %.1f) of %s\n", t.History.StartIter, float64(t.History.StartIter)/float64(perEpoch), ckpt)
	}
	progress := nb.NewProgress(net.Spec.Name, iters)
	progress.Settings = opt.Name()
	t.OnStep = append(t.OnStep, func(iter int, loss float64) error { progress.Step(iter, loss); return nil })
	t.OnEval = append(t.OnEval, func(e train.Eval) error {
		progress.Eval(e.Iter, e.TrainAcc, e.TestAcc)
		if isTTY() {
			fmt.Print("\r\x1b[K")
		}
		fmt.Printf("epoch %5.2f  iter %6d  loss %.4f  train acc %s  test acc %s  %s\n", float64(e.Iter)/float64(perEpoch),
			e.Iter, e.Loss, course.PyFloat(e.TrainAcc), course.PyFloat(e.TestAcc), e.Elapsed.Round(time.Second))
		return nil
	})
	ctx, stop := train.SignalContext()
	defer stop()
	h, err := t.Run(ctx)
	progress.Done()
	if errors.Is(err, train.ErrInterrupted) {
		fmt.Printf("interrupted at iteration %d; checkpoint saved to %s — run the same command again to resume\n", len(h.Loss), ckpt)
		os.Exit(130)
	}
	if err != nil {
		return err
	}
	return finishRun(o.out, net, h, perEpoch)
}

// finishRun writes the model, the charts and the history of a run.
func finishRun[T tensor.Float](out string, net *nets.Net[T], h *train.History, perEpoch int) error {
	model := filepath.Join(out, "model.npz")
	if err := net.Save(model); err != nil {
		return err
	}
	xs := make([]float64, len(h.Evals))
	for i, e := range h.Evals {
		xs[i] = float64(e.Iter) / float64(perEpoch)
	}
	acc := chart.Lines(chart.LineSpec{Title: net.Spec.Name + ": accuracy", XLabel: "epoch", YLabel: "accuracy", YMax: chart.Float(1)},
		chart.Series{Name: "training set", X: xs, Y: h.TrainAcc()}, chart.Series{Name: "test set", X: xs, Y: h.TestAcc()})
	if len(acc.Plots) > 0 {
		acc.Plots[0].X.Min = 0 // epochs from 0: round tick labels
	}
	if err := acc.Save(filepath.Join(out, "accuracy.png")); err != nil {
		return err
	}
	if err := chart.Loss(h.Loss, 100).Save(filepath.Join(out, "loss.png")); err != nil {
		return err
	}
	hist, _ := json.MarshalIndent(h, "", " ")
	if err := npyio.WriteFileAtomic(filepath.Join(out, "history.json"), hist); err != nil {
		return err
	}
	f := h.Final()
	fmt.Printf("done: final train accuracy %s, test accuracy %s, %s of training; model %s, charts %s\n",
		course.PyFloat(f.TrainAcc), course.PyFloat(f.TestAcc), h.Elapsed.Round(time.Second), model, filepath.Join(out, "accuracy.png"))
	return nil
}

func isTTY() bool {
	st, err := os.Stdout.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func runEval(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	model := fs.String("model", "", "model file written by dlnb train (model.npz or a checkpoint)")
	dataset := fs.String("dataset", "mnist", "mnist or fashion")
	precision := fs.String("precision", "float32", "float32 or float64")
	testN := fs.Int("test-samples", 0, "use only the first N test images")
	fs.Parse(args)
	if *model == "" {
		return errors.New("-model is required (e.g. runs/deepconv-mnist/model.npz)")
	}
	switch *precision {
	case "float32":
		return evalWith[float32](*model, *dataset, *testN)
	case "float64":
		return evalWith[float64](*model, *dataset, *testN)
	}
	return fmt.Errorf("precision must be float32 or float64, got %q", *precision)
}

func evalWith[T tensor.Float](model, dataset string, testN int) error {
	net, err := nets.Load[T](model, rng.New(0))
	if err != nil {
		return err
	}
	kind := "mlp"
	if len(net.Spec.Input) == 3 {
		kind = "conv"
	}
	_, _, xt, dt, classes, err := loadDataset[T](kind, dataset, 1, testN)
	if err != nil {
		return err
	}
	start := time.Now()
	y, err := net.PredictAll(xt)
	if err != nil {
		return err
	}
	el := time.Since(start)
	loss, err := net.LossMode(xt, dt, false)
	if err != nil {
		return err
	}
	pred := y.ArgMaxRows()
	correct := 0
	perClass := make([][2]int, 10)
	for i, p := range pred {
		want := int(dt.Data[i])
		perClass[want][1]++
		if p == want {
			correct++
			perClass[want][0]++
		}
	}
	fmt.Printf("%s (%s) on %d %s test images: accuracy %s, loss %.4f, %.0f img/s\n", net.Spec.Name, model, xt.Rows(), dataset,
		course.PyFloat(float64(correct)/float64(len(pred))), loss, float64(len(pred))/el.Seconds())
	for c, pc := range perClass {
		if pc[1] > 0 {
			fmt.Printf("  %-12s %5d / %5d = %.4f\n", classes[c], pc[0], pc[1], float64(pc[0])/float64(pc[1]))
		}
	}
	return nil
}
