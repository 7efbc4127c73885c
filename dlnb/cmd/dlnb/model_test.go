package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/npyio"
	"github.com/dlnb/course/internal/pyref"
)

// TestEvalUsesTheModelsDataset: a model records its dataset and eval scores
// it on that test set by default — it scored a Fashion-MNIST model on MNIST
// (0.084) without a word. Another -dataset is an error unless -force; a
// model without the record is scored on MNIST with a note; a model with NaN
// weights is reported, not scored.
func TestEvalUsesTheModelsDataset(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fashion")
	mustCLI(t, "", nil, tinyArgs(out, "-dataset", "fashion", "-iters", "3")...)
	model := filepath.Join(out, "model.npz")
	ev := mustCLI(t, "", nil, "eval", "-model", model, "-test-samples", "100")
	if !strings.Contains(ev, "100 fashion test images") || !strings.Contains(ev, "Ankle boot") {
		t.Errorf("eval without -dataset did not use the model's dataset:\n%s", ev)
	}
	wantError(t, nil, []string{"eval", "-model", model, "-dataset", "mnist"}, "was trained on fashion, not mnist", "-force",
		"dlnb eval -model "+model)
	forced := mustCLI(t, "", nil, "eval", "-model", model, "-dataset", "mnist", "-force", "-test-samples", "100")
	if !strings.Contains(forced, "warning") || !strings.Contains(forced, "100 mnist test images") {
		t.Errorf("-force:\n%s", forced)
	}
	arrays, err := npyio.ReadNPZ(model)
	if err != nil {
		t.Fatal(err)
	}
	delete(arrays, nets.InfoKey) // a model saved before dlnb recorded its dataset
	old := filepath.Join(out, "old.npz")
	npyio.WriteNPZ(old, arrays)
	if ev := mustCLI(t, "", nil, "eval", "-model", old, "-test-samples", "100"); !strings.Contains(ev, "assuming mnist") {
		t.Errorf("a model without a dataset record:\n%s", ev)
	}
	w := arrays["W2"].Data.([]float64) // tinyArgs trains in float64
	w[7] = math.NaN()
	bad := filepath.Join(out, "nan.npz")
	npyio.WriteNPZ(bad, arrays)
	msg := wantError(t, nil, []string{"eval", "-model", bad, "-dataset", "fashion"}, "W2 has 1 NaN", "diverged")
	if strings.Contains(msg, "accuracy") {
		t.Errorf("a NaN model was scored:\n%s", msg)
	}
}

// TestEvalBookPickles: dlnb eval scores the book's save_params pickles
// (params.pkl of SimpleConvNet, deep_convnet_params.pkl of DeepConvNet)
// when told the network, detecting the format by content — they used to be
// called "truncated or corrupt". Python pickles the parameters of briefly
// trained Go networks with the book's shapes; eval must give the accuracy it
// gives the Go model. A pickle without -net, or a folder, is explained.
func TestEvalBookPickles(t *testing.T) {
	py := pyref.Python(t)
	dir := t.TempDir()
	books := []struct{ net, file, shapes string }{
		{"simpleconv", "params.pkl", `{'W1': (30, 1, 5, 5), 'b1': (30,), 'W2': (4320, 100), 'b2': (100,), 'W3': (100, 10), 'b3': (10,)}`},
		{"deepconv", "deep_convnet_params.pkl", `{'W1': (16, 1, 3, 3), 'b1': (16,), 'W2': (16, 16, 3, 3), 'b2': (16,), 'W3': (32, 16, 3, 3), 'b3': (32,),
 'W4': (32, 32, 3, 3), 'b4': (32,), 'W5': (64, 32, 3, 3), 'b5': (64,), 'W6': (64, 64, 3, 3), 'b6': (64,),
 'W7': (1024, 50), 'b7': (50,), 'W8': (50, 10), 'b8': (10,)}`},
	}
	for _, c := range books {
		out := filepath.Join(dir, c.net)
		mustCLI(t, "", nil, "train", "-net", c.net, "-precision", "float64", "-train-samples", "200", "-test-samples", "100",
			"-eval-train-samples", "100", "-batch", "20", "-iters", "4", "-seed", "1", "-out", out)
		goEval := mustCLI(t, "", nil, "eval", "-model", filepath.Join(out, "model.npz"), "-precision", "float64", "-test-samples", "100")
		pkl := filepath.Join(dir, c.file)
		pyref.Run(t, py, dir, `
import pickle, numpy as np
shapes = `+c.shapes+`
z = np.load('`+filepath.Join(out, "model.npz")+`')
params = {k: np.asarray(z[k], dtype=np.float64) for k in shapes}
for k, s in shapes.items():
    assert params[k].shape == s, (k, params[k].shape, s)
with open('`+pkl+`', 'wb') as f:
    pickle.dump(params, f)
`)
		bookEval := mustCLI(t, "", nil, "eval", "-model", pkl, "-net", c.net, "-precision", "float64", "-test-samples", "100")
		if g, b := field(goEval, "accuracy"), field(bookEval, "accuracy"); g == "" || g != b {
			t.Errorf("%s: the pickle scores %q, the Go model %q:\n%s\n%s", c.file, b, g, bookEval, goEval)
		}
		msg := wantError(t, nil, []string{"eval", "-model", pkl}, "holds parameters only", "-net "+c.net)
		if strings.Contains(msg, "corrupt") {
			t.Errorf("%s without -net: %s", c.file, msg)
		}
	}
	renamed := filepath.Join(dir, "params.npz") // the content decides, not the name
	b, _ := os.ReadFile(filepath.Join(dir, "params.pkl"))
	os.WriteFile(renamed, b, 0o644)
	mustCLI(t, "", nil, "eval", "-model", renamed, "-net", "simpleconv", "-test-samples", "100")
	msg := wantError(t, nil, []string{"eval", "-model", filepath.Join(dir, "simpleconv")}, "is a folder", filepath.Join(dir, "simpleconv", "model.npz"))
	if strings.Contains(msg, "corrupt") {
		t.Errorf("a folder: %s", msg)
	}
}
