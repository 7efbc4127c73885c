package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/npyio"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/dlnb/train"
)

func init() {
	register("eval", "evaluate a saved model (model.npz, a checkpoint, or the book's params.pkl with -net) on a test set", runEval)
}

type evalOptions struct {
	model, dataset, precision, net string
	testN                          int
	force                          bool
	cmd                            cmdLine
}

func runEval(args []string) error {
	var o evalOptions
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	fs.StringVar(&o.model, "model", "", "model file: model.npz or checkpoint.npz written by dlnb train, or a pickle of parameters (the book's params.pkl) with -net")
	fs.StringVar(&o.dataset, "dataset", "", "mnist or fashion (default: the dataset the model was trained on)")
	fs.StringVar(&o.precision, "precision", "float32", "float32 or float64")
	fs.StringVar(&o.net, "net", "", "the network of a parameters-only file: "+strings.Join(trainNets, ", "))
	fs.IntVar(&o.testN, "test-samples", 0, "use only the first N test images (0: all)")
	fs.BoolVar(&o.force, "force", false, "evaluate on -dataset even when the model was trained on another dataset")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	o.cmd = append(cmdLine{"eval"}, args...)
	switch {
	case o.model == "":
		return errors.New("-model is required, e.g. dlnb eval -model runs/simpleconv-mnist/model.npz")
	case o.testN < 0:
		return fmt.Errorf("-test-samples %d: must be 0 (all test images) or a positive count", o.testN)
	}
	switch o.precision {
	case "float32":
		return evalWith[float32](o)
	case "float64":
		return evalWith[float64](o)
	}
	return fmt.Errorf("-precision %s: use float32 or float64", o.precision)
}

func evalWith[T tensor.Float](o evalOptions) error {
	net, arrays, err := loadModel[T](o)
	if err != nil {
		return err
	}
	if err := net.CheckFinite(); err != nil {
		return fmt.Errorf("%s cannot be scored: %w; retrain it with a lower learning rate (-lr)", o.model, err)
	}
	dataset, err := evalDataset(o, arrays)
	if err != nil {
		return err
	}
	_, _, xt, dt, classes, err := loadDataset[T](net.Spec.Input, dataset, 1, o.testN)
	if err != nil {
		return err
	}
	return score(net, o.model, dataset, xt, dt, classes)
}

// loadModel reads the model file and builds its network: from the
// architecture saved with it, or the -net network for a parameters-only file.
func loadModel[T tensor.Float](o evalOptions) (*nets.Net[T], map[string]*npyio.Array, error) {
	arrays, err := nets.ReadParams(o.model)
	if err != nil {
		return nil, nil, err
	}
	if o.net != "" {
		net, err := buildNet[T](o.net, rng.New(0))
		if err != nil {
			return nil, nil, err
		}
		if err := net.SetState(arrays, o.model); err != nil {
			return nil, nil, paramsMismatch(err, o, arrays)
		}
		return net, arrays, nil
	}
	net, err := nets.Rebuild[T](arrays, o.model, rng.New(0))
	var po *nets.ParamsOnlyError
	switch {
	case errors.As(err, &po):
		return nil, nil, fmt.Errorf("%s holds parameters only (%s, as the book's save_params pickles them), not the network: name it with -net%s",
			o.model, strings.Join(po.Names, ", "), guessHint(arrays, o.cmd))
	case err != nil:
		return nil, nil, paramsMismatch(err, o, arrays)
	}
	return net, arrays, nil
}

// paramsMismatch explains parameters that do not fit the network they are
// loaded into (-net, or the architecture saved with them): they belong to
// another network, named when their names and shapes fit one, with the
// command that evaluates them with it.
func paramsMismatch(err error, o evalOptions, arrays map[string]*npyio.Array) error {
	into := "the one saved with them"
	if o.net != "" {
		into = "-net " + o.net
	}
	fits := fittingNets(arrays)
	if len(fits) == 0 {
		return fmt.Errorf("the parameters in %s do not fit %s, nor any of %s: the file is damaged or holds another kind of network (%v)",
			o.model, into, strings.Join(trainNets, ", "), err)
	}
	return fmt.Errorf("the parameters in %s belong to another network than %s: their names and shapes fit %s.\nTo evaluate them, run:\n  %s",
		o.model, into, strings.Join(fits, " or "), o.cmd.with("net", fits[0]))
}

// guessHint names the networks whose parameter shapes fit arrays, as the
// command to run.
func guessHint(arrays map[string]*npyio.Array, cmd cmdLine) string {
	fits := fittingNets(arrays)
	if len(fits) == 0 {
		return "; its shapes fit none of " + strings.Join(trainNets, ", ")
	}
	return fmt.Sprintf("; its shapes fit %s:\n  %s", strings.Join(fits, " or "), cmd.with("net", fits[0]))
}

// fittingNets lists the networks whose parameter names and shapes arrays
// hold.
func fittingNets(arrays map[string]*npyio.Array) []string {
	var fits []string
	for _, name := range trainNets {
		n, err := buildNet[float32](name, rng.New(0))
		if err == nil && fitsShapes(n, arrays) {
			fits = append(fits, name)
		}
	}
	return fits
}

// fitsShapes reports whether arrays hold every parameter of n with its shape.
func fitsShapes[T tensor.Float](n *nets.Net[T], arrays map[string]*npyio.Array) bool {
	for _, name := range n.ParamNames {
		a, ok := arrays[name]
		if !ok || !tensor.SameShape(a.Shape, n.Params[name].Shape) {
			return false
		}
	}
	return true
}

// evalDataset chooses the test set: the one the model was trained on, which
// -dataset may only contradict with -force.
func evalDataset(o evalOptions, arrays map[string]*npyio.Array) (string, error) {
	trained, err := trainedOn(arrays, o.model)
	if err != nil {
		return "", err
	}
	asked := ""
	if o.dataset != "" {
		if asked, err = datasetName(o.dataset); err != nil {
			return "", err
		}
	}
	switch {
	case asked == "" && trained == "":
		fmt.Fprintf(stdout, "note: %s does not record its dataset (a model saved before dlnb recorded it, or parameters saved by NumPy); assuming mnist: pass -dataset fashion for Fashion-MNIST\n", o.model)
		return "mnist", nil
	case asked == "":
		return trained, nil
	case trained == "" || asked == trained:
		return asked, nil
	case o.force:
		fmt.Fprintf(stdout, "warning: %s was trained on %s; scoring it on %s as -force asks\n", o.model, trained, asked)
		return asked, nil
	}
	return "", fmt.Errorf("%s was trained on %s, not %s: its score on %s images would mean nothing.\nTo evaluate it on its own test set, run:\n  %s\n(add -force to score it on %s anyway)",
		o.model, trained, asked, asked, o.cmd.without("dataset"), asked)
}

// trainedOn returns the dataset recorded in a model (nets.ModelInfo) or a
// checkpoint (its run settings), or "" when neither records it.
func trainedOn(arrays map[string]*npyio.Array, path string) (string, error) {
	info, err := nets.ReadInfo(arrays, path)
	if err != nil {
		return "", err
	}
	if info != nil && info.Dataset != "" {
		return datasetName(info.Dataset)
	}
	if a, ok := arrays[train.SettingsKey]; ok {
		if b, ok := a.Data.([]uint8); ok {
			var s []train.Setting
			if json.Unmarshal(b, &s) == nil {
				for _, x := range s {
					if x.Name == "dataset" {
						return datasetName(x.Value)
					}
				}
			}
		}
	}
	return "", nil
}

// score prints the accuracy and loss of net on the test set, and per class.
func score[T tensor.Float](net *nets.Net[T], model, dataset string, xt, dt *tensor.Tensor[T], classes [10]string) error {
	start := time.Now()
	if err := net.Check(xt, dt); err != nil {
		return err
	}
	y := net.PredictAll(xt)
	el := time.Since(start)
	loss := net.LossMode(xt, dt, false)
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
	fmt.Fprintf(stdout, "%s (%s) on %d %s test images: accuracy %s, loss %.4f, %.0f img/s\n", net.Spec.Name, model, xt.Rows(), dataset,
		lesson.Accuracy(float64(correct)/float64(len(pred))), loss, float64(len(pred))/el.Seconds())
	for c, pc := range perClass {
		if pc[1] > 0 {
			fmt.Fprintf(stdout, "  %-12s %5d / %5d = %.4f\n", classes[c], pc[0], pc[1], float64(pc[0])/float64(pc[1]))
		}
	}
	return nil
}
