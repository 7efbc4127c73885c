package notebooks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/course/internal/nbrun"
)

// errorCells are notebook cells with a student's typical mistakes and the
// text each must show in the cell output.
var errorCells = []struct{ code, want string }{
	{`a := tensor.New[float64](2, 3)
b := tensor.New[float64](4, 5)
nb.Must(tensor.MatMul(a, b))`, "(2, 3) and (4, 5)"},
	{`nb.Must(datasets.LoadMNIST(datasets.Dir("/nonexistent/mnist")))`, "/nonexistent/mnist"},
	{`network := nb.Must(nets.NewTwoLayerNet[float64](784, 10, 10, 0.01, rng.New(0)))
nb.Must(network.Accuracy(tensor.New[float64](10, 784), tensor.New[float64](9)))`, "9 labels for 10 samples"},
	{`nb.Must(optim.New[float64]("adamw", 0.1))`, `unknown optimizer "adamw"`},
	{`nb.Must(nets.NewMultiLayerNet[float64](nets.MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{50}, OutputSize: 10, WeightInitStd: "kaiming"}, rng.New(0)))`, `unknown weight initialisation "kaiming"`},
	{`nb.Must(nets.NewSimpleConvNet[float64](nets.SimpleConvNetConfig{Conv: nets.ConvParam{FilterNum: 30, FilterSize: 5, Stride: 2}}, rng.New(0)))`, "not a whole number"},
	{`opt := optim.NewSGD[float64](-0.1)
network := nb.Must(nets.NewTwoLayerNet[float64](4, 3, 2, 0.1, rng.New(0)))
x, d := tensor.New[float64](5, 4), tensor.New[float64](5)
nb.Check(opt.Update(network.Params, nb.Must(network.Gradient(x, d))))`, "learning rate must be a positive number"},
	{`network := nb.Must(nets.NewTwoLayerNet[float64](784, 10, 10, 0.01, rng.New(0)))
nb.Must(network.Gradient(tensor.New[float64](0, 784), tensor.New[float64](0)))`, "empty batch"},
	{`data := nb.Must(datasets.LoadMNIST())
r := rng.New(3)
network := nb.Must(nets.NewMultiLayerNet[float64](nets.MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{50, 50}, OutputSize: 10, WeightDecayLambda: 10}, r))
opt := optim.NewSGD[float64](10)
progress := nb.NewProgress("diverging", 200)
progress.Settings = opt.Name()
for i := 0; i < 200; i++ {
	mask := nb.Must(r.ChoiceN(60000, 100))
	x := nb.Must(tensor.SelectRows(data.Train.X, mask))
	d := nb.Must(tensor.SelectRows(data.Train.D, mask))
	nb.Check(opt.Update(network.Params, nb.Must(network.Gradient(x, d))))
	progress.Step(i+1, nb.Must(network.Loss(x, d)))
}
progress.Done()`, "lower the learning rate"},
}

// TestErrorsAreReadableCellOutput executes a notebook of mistakes through the
// GoNB kernel (every cell runs, --allow-errors) and checks that each failing
// cell shows the library's message, as text and as an HTML error box, and no
// Go panic trace; the kernel keeps working afterwards.
func TestErrorsAreReadableCellOutput(t *testing.T) {
	requireKernel(t)
	src := testHeader("datasets", "dlnb/nb", "dlnb/nets", "dlnb/optim", "dlnb/rng", "dlnb/tensor")
	for _, c := range errorCells {
		src += "#### code\n%%\n" + c.code + "\nfmt.Println(\"NOT REACHED\")\n"
	}
	src += "#### code\n%%\nfmt.Println(\"kernel still works\")\n"
	dir := t.TempDir()
	path := writeNotebook(t, dir, "mistakes.ipynb", src)
	out, err := nbrun.Execute(context.Background(), path, filepath.Join(dir, "out"), nbrun.Options{AllowErrors: true, CellTimeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	nb, err := nbrun.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	cells := nb.Cells[2:]
	if len(cells) != len(errorCells)+1 {
		t.Fatalf("%d cells executed", len(nb.Cells))
	}
	for i, c := range errorCells {
		text := outputText(cells[i])
		if !strings.Contains(cells[i].Text(), "Error: ") || !strings.Contains(text, c.want) {
			t.Errorf("cell %d (%s…): output lacks %q:\n%s", i+3, firstLine(c.code), c.want, text)
		}
		if !strings.Contains(text, `<b>Error</b>`) {
			t.Errorf("cell %d: no HTML error box:\n%s", i+3, text)
		}
		for _, bad := range []string{"goroutine ", "panic:", "NOT REACHED"} {
			if strings.Contains(text, bad) {
				t.Errorf("cell %d: output contains %q:\n%s", i+3, bad, text)
			}
		}
	}
	if last := outputText(cells[len(errorCells)]); !strings.Contains(last, "kernel still works") {
		t.Errorf("last cell: %q", last)
	}
	if n := strings.Count(cells[0].Text(), "(2, 3) and (4, 5)"); n != 1 {
		t.Errorf("the message is shown %d times as text, want once:\n%s", n, cells[0].Text())
	}
}

// TestFailedNotebookNamesTheCell executes a notebook with a failing cell the
// way the main job does and checks the error names the cell, its code and
// its message, and that the executed notebook (for the report) is written.
func TestFailedNotebookNamesTheCell(t *testing.T) {
	requireKernel(t)
	src := testHeader("dlnb/nb", "dlnb/optim") +
		"#### code\n%%\nfmt.Println(\"fine\")\n" +
		"#### code\n%%\nnb.Must(optim.New[float64](\"adamw\", 0.1))\n"
	dir := t.TempDir()
	path := writeNotebook(t, dir, "broken.ipynb", src)
	out, err := nbrun.Execute(context.Background(), path, filepath.Join(dir, "out"), nbrun.Options{CellTimeout: 5 * time.Minute})
	var ce *nbrun.CellError
	if !errors.As(err, &ce) {
		t.Fatalf("want a CellError, got %v", err)
	}
	msg := err.Error()
	t.Log(msg)
	for _, want := range []string{"broken.ipynb: cell 4 failed", `nb.Must(optim.New[float64]("adamw", 0.1))`, `Error: unknown optimizer "adamw"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("executed notebook not written: %v", err)
	}
}

// testHeader is the start of a test notebook's source: the cell that links
// the notebook to this checkout, and an import cell with fmt and the given
// packages of the module (paths relative to github.com/dlnb/course).
func testHeader(pkgs ...string) string {
	root, _ := filepath.Abs("..")
	s := "#### code\n!*go mod edit -require=github.com/dlnb/course@v0.0.0 -replace=github.com/dlnb/course=" + root + "\n" +
		"#### code\nimport (\n\t\"fmt\"\n\n"
	for _, p := range pkgs {
		s += "\t\"github.com/dlnb/course/" + p + "\"\n"
	}
	return s + ")\n"
}

// writeNotebook converts a notebook source to dir/name and returns its path.
func writeNotebook(t *testing.T, dir, name, src string) string {
	t.Helper()
	b, err := nbrun.FromSource(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// outputText joins what a cell showed as text and its HTML displays.
func outputText(c nbrun.Cell) string {
	var s strings.Builder
	s.WriteString(c.Text())
	for _, o := range c.Outputs {
		if raw, ok := o.Data["text/html"]; ok {
			var t nbrun.Text
			if t.UnmarshalJSON(raw) == nil {
				s.WriteString(string(t) + "\n")
			}
		}
	}
	return s.String()
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }
