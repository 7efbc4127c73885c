package notebooks

import (
	"context"
	"errors"
	"fmt"
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
	{`a := np.Zeros(2, 3)
b := np.Zeros(4, 5)
np.Dot(a, b)`, "(2, 3) and (4, 5)"},
	{`np.Add(np.Zeros(2, 3), np.Zeros(3, 2))`, "do not broadcast"},
	{`var W *np.Array
np.Dot(np.Ones(1, 2), W)`, "nil array"},
	{`nb.LoadMNIST(datasets.Dir("/nonexistent/mnist"))`, "/nonexistent/mnist"},
	{`network := nets.NewTwoLayerNet(784, 10, 10, 0.01)
network.Accuracy(np.Zeros(10, 784), np.Zeros(9))`, "9 labels for 10 samples"},
	{`nets.NewMultiLayerNet(nets.MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{50}, OutputSize: 10, Activation: "gelu"})`, `unknown activation "gelu"`},
	{`nets.Sequential("my net", []int{1, 28, 28}, nets.Conv(16, 3), nets.MaxPool(2, 2), nets.Conv(8, 30), nets.Affine(10))`, "layer 3 (Conv2, convolution 8@30×30) does not fit its input of shape (16, 13, 13)"},
	{`optimizer := optim.NewSGD(-0.1)
network := nets.NewTwoLayerNet(4, 3, 2, 0.1)
x, d := np.Zeros(5, 4), np.Zeros(5)
optimizer.Update(network.Params, network.Gradient(x, d))`, "learning rate must be a positive number"},
	{`network := nets.NewTwoLayerNet(784, 10, 10, 0.01)
network.Gradient(np.Zeros(0, 784), np.Zeros(0))`, "empty batch"},
	{`xTrain, dTrain, _, _ := nb.LoadMNIST()
np.Random.Seed(3)
network := nets.NewMultiLayerNet(nets.MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{50, 50}, OutputSize: 10, WeightDecayLambda: 10})
optimizer := optim.NewSGD(10)
progress := nb.NewProgress("diverging", 200)
progress.Settings = optimizer.Name()
for i := range 200 {
	batchMask := np.Random.Choice(60000, 100)
	x, d := xTrain.Take(batchMask), dTrain.Take(batchMask)
	optimizer.Update(network.Params, network.Gradient(x, d))
	progress.Step(i+1, network.Loss(x, d))
}
progress.Done()`, "lower the learning rate"},
}

// TestErrorsAreReadableCellOutput executes a notebook of mistakes through the
// GoNB kernel (every cell runs, --allow-errors) and checks that each failing
// cell shows the library's message, as text and as an HTML error box, and no
// Go panic trace; the kernel keeps working afterwards.
func TestErrorsAreReadableCellOutput(t *testing.T) {
	requireKernel(t)
	src := testHeader("datasets", "dlnb/nb", "dlnb/nets", "dlnb/np", "dlnb/optim")
	for _, c := range errorCells {
		src += "#### code\n%%\n" + c.code + "\nfmt.Println(\"NOT REACHED\")\n"
	}
	src += "#### code\n%%\nfmt.Println(\"kernel still works\")\n"
	nb := executeWithErrors(t, "mistakes.ipynb", src)
	cells := nb.Cells[headerCells:]
	if len(cells) != len(errorCells)+1 {
		t.Fatalf("%d cells executed", len(nb.Cells))
	}
	for i, c := range errorCells {
		text := outputText(cells[i])
		if !strings.Contains(cells[i].Text(), "Error: ") || !strings.Contains(text, c.want) {
			t.Errorf("cell %d (%s…): output lacks %q:\n%s", i+headerCells+1, firstLine(c.code), c.want, text)
		}
		if !strings.Contains(text, `<b>Error</b>`) {
			t.Errorf("cell %d: no HTML error box:\n%s", i+headerCells+1, text)
		}
		for _, bad := range []string{"goroutine ", "panic:", "NOT REACHED"} {
			if strings.Contains(text, bad) {
				t.Errorf("cell %d: output contains %q:\n%s", i+headerCells+1, bad, text)
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

// TestMissingModuleSaysWhatToDo: the notebooks turn off GoNB's `go get`
// before every cell (%noautoget in the first cell, see firstCodeLine), so a
// cell that imports a module dlnb does not use fails to build. It must say
// which package and how to add it, and the kernel must keep working.
func TestMissingModuleSaysWhatToDo(t *testing.T) {
	requireKernel(t)
	src := testHeader() +
		"#### code\nimport \"example.com/notamodule/pkg\"\n\n%%\nfmt.Println(pkg.X)\n" +
		"#### code\n%%\nfmt.Println(\"kernel still works\")\n"
	nb := executeWithErrors(t, "newmodule.ipynb", src)
	if len(nb.Cells) != headerCells+2 {
		t.Fatalf("%d cells executed", len(nb.Cells))
	}
	text := outputText(nb.Cells[headerCells])
	for _, want := range []string{"no required module provides package example.com/notamodule/pkg", "go get example.com/notamodule/pkg"} {
		if !strings.Contains(text, want) {
			t.Errorf("the cell importing a new module does not show %q:\n%s", want, text)
		}
	}
	if last := outputText(nb.Cells[headerCells+1]); !strings.Contains(last, "kernel still works") {
		t.Errorf("last cell: %q", last)
	}
}

// TestFailedNotebookNamesTheCell executes a notebook with a failing cell the
// way the main job does and checks the error names the cell, its code and
// its message, and that the executed notebook (for the report) is written.
func TestFailedNotebookNamesTheCell(t *testing.T) {
	requireKernel(t)
	src := testHeader("dlnb/nets") +
		"#### code\n%%\nfmt.Println(\"fine\")\n" +
		"#### code\n%%\nnets.NewMultiLayerNet(nets.MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{50}, OutputSize: 10, Activation: \"gelu\"})\n"
	dir := t.TempDir()
	path := writeNotebook(t, dir, "broken.ipynb", src)
	out, err := nbrun.Execute(context.Background(), path, filepath.Join(dir, "out"), nbrun.Options{CellTimeout: 5 * time.Minute})
	var ce *nbrun.CellError
	if !errors.As(err, &ce) {
		t.Fatalf("want a CellError, got %v", err)
	}
	msg := err.Error()
	t.Log(msg)
	for _, want := range []string{fmt.Sprintf("broken.ipynb: cell %d failed", headerCells+2), `nets.NewMultiLayerNet(nets.MultiLayerNetConfig{`, `Error: MultiLayerNet: unknown activation "gelu"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("executed notebook not written: %v", err)
	}
}

// firstCodeLine is how every course notebook's first code cell begins: it
// turns off GoNB's `go get` before every cell (dlnb's modules are already in
// the module cache, and the kernel's go.work, written by scripts/setup.sh,
// links the notebook to this checkout). The import cell follows on the next
// line.
const firstCodeLine = "%noautoget"

// errboxImport is the blank import every import cell ends with: the library
// reports a mistake by panicking with a *mistake.Error, and package errbox
// shows it as one red box and ends the cell. GoNB drops the imports a cell
// does not use but keeps blank ones, so even a cell that uses only np shows
// its mistake that way.
const errboxImport = `_ "github.com/dlnb/course/dlnb/nb/errbox" // エラーを赤い枠の一文で表示する`

// headerCells is how many cells testHeader makes.
const headerCells = 1

// firstCode returns the first code cell of nb's source.
func firstCode(nb *nbrun.Notebook) string {
	for _, c := range nb.Cells {
		if c.Type == "code" {
			return string(c.Source)
		}
	}
	return ""
}

// testHeader is the start of a test notebook's source, as the course
// notebooks start: one cell with firstCodeLine and an import cell with fmt
// and the given packages of the module (paths relative to
// github.com/dlnb/course), then errboxImport. Nothing in it names the
// checkout: the kernel's go.work does.
func testHeader(pkgs ...string) string {
	s := "#### code\n" + firstCodeLine + "\nimport (\n\t\"fmt\"\n\n"
	for _, p := range pkgs {
		s += "\t\"github.com/dlnb/course/" + p + "\"\n"
	}
	return s + "\n\t" + errboxImport + "\n)\n"
}

// executeWithErrors executes the notebook source src as name in a temporary
// directory through the GoNB kernel, every cell even after errors, and
// returns the executed notebook.
func executeWithErrors(t *testing.T, name, src string) *nbrun.Notebook {
	t.Helper()
	dir := t.TempDir()
	path := writeNotebook(t, dir, name, src)
	out, err := nbrun.Execute(context.Background(), path, filepath.Join(dir, "out"), nbrun.Options{AllowErrors: true, CellTimeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	nb, err := nbrun.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	return nb
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

// TestEveryNotebookStartsTheSameWay: every course notebook's first code
// cell is its import cell, after firstCodeLine, ending with errboxImport
// (without it a cell's mistake would show a goroutine trace), and no cell
// links the
// notebook to the checkout or fetches modules itself (the kernel's go.work
// does the one, scripts/setup.sh the other), so that a notebook runs with no
// network and from any folder.
func TestEveryNotebookStartsTheSameWay(t *testing.T) {
	paths, err := nbrun.List(".")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks: %v", err)
	}
	for _, p := range paths {
		nb, err := nbrun.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := firstCode(nb); !strings.HasPrefix(got, firstCodeLine+"\nimport (") {
			t.Errorf("%s: the first code cell does not start with %q and the imports:\n%s", p, firstCodeLine, got)
		}
		if got := firstCode(nb); !strings.HasSuffix(got, "\n\n\t"+errboxImport+"\n)") {
			t.Errorf("%s: the import cell does not end with %s:\n%s", p, errboxImport, got)
		}
		for i, c := range nb.Cells {
			for _, bad := range []string{"go mod edit", "go get", "GONB_DIR", "%goworkfix"} {
				if c.Type == "code" && strings.Contains(string(c.Source), bad) {
					t.Errorf("%s cell %d: %q (a notebook must not link or fetch modules itself)", p, i, bad)
				}
			}
		}
	}
}
