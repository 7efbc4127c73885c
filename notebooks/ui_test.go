package notebooks

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dlnb/course/internal/nbrun"
	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// uiNotebook is the notebook the UI test runs: lesson 2_1 in quick mode
// (Generation lines, a live progress display and accuracy charts).
const uiNotebook = "2_1_network_modified.ipynb"

// workspace makes a directory that looks like the repository (symbolic links
// to its top-level entries) with a private copy of one notebook, so the
// notebook's first cell (replace … => ${GONB_DIR}/..) finds the library and
// whatever the UI saves never touches the repository's notebooks.
func workspace(t *testing.T, notebook string) string {
	t.Helper()
	root, _ := filepath.Abs("..")
	ws := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "notebooks" || e.Name() == ".git" {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(ws, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	os.Mkdir(filepath.Join(ws, "notebooks"), 0o755)
	b, err := os.ReadFile(notebook)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "notebooks", filepath.Base(notebook)), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return ws
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startJupyter starts the classic Notebook server through scripts/notebook.sh
// (the command students use) on localhost with a random token and returns its
// base URL and token.
func startJupyter(t *testing.T, dir string) (base, token string) {
	t.Helper()
	tok := make([]byte, 16)
	rand.Read(tok)
	token = hex.EncodeToString(tok)
	port := freePort(t)
	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command("../scripts/notebook.sh", "--no-setup", "--classic", "--dir", dir, "--",
		"--no-browser", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--NotebookApp.token="+token,
		"--NotebookApp.port_retries=0")
	cmd.Env = append(nbrun.ToolEnv(), "DLNB_QUICK=1", "JUPYTER_RUNTIME_DIR="+t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("jupyter log:\n%s", tail(log.String(), 40))
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, token
			}
		}
		select {
		case <-exited:
			t.Fatalf("the Jupyter server exited:\n%s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Jupyter server did not answer on %s within a minute:\n%s", base, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// kernelIdle is true once the notebook is loaded and its kernel connected
// and idle.
const kernelIdle = `() => !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
	Jupyter.notebook.kernel.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon'))`

// allCellsRan is true when every code cell has an execution number and the
// kernel is idle.
const allCellsRan = `() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').every(c => typeof c.input_prompt_number === 'number') &&
	!!document.querySelector('#kernel_indicator_icon.kernel_idle_icon')`

// openNotebook opens a notebook of the running server in headless Chromium,
// waits for its GoNB kernel, and returns the page and a function that saves
// a screenshot to build/screenshots/.
func openNotebook(t *testing.T, base, token, name string, timeout time.Duration) (*rod.Page, func(string)) {
	t.Helper()
	b := launch(t)
	page, err := b.Page(proto.TargetCreateTarget{URL: base + "/notebooks/" + name + "?token=" + token})
	if err != nil {
		t.Fatal(err)
	}
	page = page.Timeout(timeout)
	if err := page.SetViewport(&proto.EmulationSetDeviceMetricsOverride{Width: 1200, Height: 900, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	shots := screenshotDir(t)
	shoot := func(file string) {
		png, err := page.Screenshot(false, nil)
		if err == nil {
			err = os.WriteFile(filepath.Join(shots, file), png, 0o644)
		}
		if err != nil {
			t.Errorf("screenshot %s: %v", file, err)
		}
	}
	if err := page.Timeout(3 * time.Minute).Wait(rod.Eval(kernelIdle)); err != nil {
		shoot("ui-not-ready.png")
		t.Fatalf("%s did not open with a connected kernel: %v", name, err)
	}
	if k := page.MustEval(`() => Jupyter.notebook.kernel.name`).String(); k != "gonb" {
		t.Fatalf("kernel %q, want gonb", k)
	}
	return page, shoot
}

// runAll clears the execution numbers and clicks Cell ▸ Run All.
func runAll(page *rod.Page) {
	page.MustEval(`() => Jupyter.notebook.get_cells().forEach(c => { if (c.cell_type === 'code') c.set_input_prompt(null); })`)
	page.MustElement("#celllink").MustClick()
	page.MustElement("#run_all_cells > a").MustClick()
}

// TestNotebookInTheJupyterUI starts the Jupyter server, opens lesson 2_1 in
// headless Chromium, runs all cells from the Cell menu as a student would, and
// checks that the Generation lines and the chart images appear with no error
// output. Screenshots go to build/screenshots/ui-*.png.
func TestNotebookInTheJupyterUI(t *testing.T) {
	requireKernel(t)
	if _, err := exec.Command("jupyter", "notebook", "--version").Output(); err != nil {
		t.Skip("the classic Jupyter Notebook is not installed")
	}
	ws := workspace(t, uiNotebook)
	base, token := startJupyter(t, filepath.Join(ws, "notebooks"))
	page, shoot := openNotebook(t, base, token, uiNotebook, 15*time.Minute)
	shoot("ui-2_1-opened.png")

	runAll(page)
	start := time.Now()
	if err := page.Timeout(12 * time.Minute).Wait(rod.Eval(allCellsRan)); err != nil {
		shoot("ui-2_1-timeout.png")
		t.Fatalf("the cells did not finish: %v", err)
	}
	t.Logf("all cells ran in the UI in %s", time.Since(start).Round(time.Second))

	text := page.MustEval(`() => Array.from(document.querySelectorAll('.output_subarea')).map(e => e.innerText).join('\n')`).String()
	if n := len(generation.FindAllString(text, -1)); n == 0 {
		t.Errorf("no Generation lines in the page:\n%s", tail(text, 30))
	} else {
		t.Logf("%d Generation line pairs shown", n)
	}
	if errs := page.MustEval(`() => document.querySelectorAll('.output_error').length`).Int(); errs > 0 {
		t.Errorf("%d cells show an error", errs)
	}
	if strings.Contains(text, "Error:") {
		t.Errorf("an error message is shown:\n%s", tail(text, 30))
	}
	imgs := page.MustElements(".output_png img")
	loaded := 0
	for _, img := range imgs {
		if img.MustEval(`() => this.complete && this.naturalWidth > 0`).Bool() {
			loaded++
		}
	}
	if loaded == 0 || loaded != len(imgs) {
		t.Errorf("%d of %d chart images loaded", loaded, len(imgs))
	}
	t.Logf("%d chart images shown", loaded)
	for i, img := range imgs {
		if i >= 3 {
			break
		}
		img.MustScrollIntoView()
		time.Sleep(300 * time.Millisecond)
		shoot(fmt.Sprintf("ui-2_1-chart-%d.png", i+1))
	}
}

// interruptSource is a notebook whose training cell checkpoints every 20
// iterations under ckpt.
func interruptSource(ckpt string) string {
	return testHeader("datasets", "dlnb/nb", "dlnb/nets", "dlnb/optim", "dlnb/rng", "dlnb/train") +
		`#### code
%%
data := nb.Must(datasets.LoadMNIST(datasets.Flatten(false)))
x, d := nb.Must(data.Train.X.Slice(0, 5000)), nb.Must(data.Train.D.Slice(0, 5000))
xt, dt := nb.Must(data.Test.X.Slice(0, 1000)), nb.Must(data.Test.D.Slice(0, 1000))
r := rng.New(0)
network := nb.Must(nets.NewSimpleConvNet[float64](nets.SimpleConvNetConfig{}, r))
trainer := &train.Trainer[float64]{Net: network, Opt: optim.NewAdam[float64](0.001), Rand: r,
	XTrain: x, DTrain: d, XTest: xt, DTest: dt,
	Config: train.Config{Iters: 600, BatchSize: 100, EvalEvery: 100, Print: true,
		CheckpointPath: "` + ckpt + `", CheckpointEvery: 20}}
h := nb.Run(trainer, "SimpleConvNet")
fmt.Printf("finished %d iterations\n", len(h.Loss))
`
}

// TestKernelInterruptResumes runs a checkpointing training cell in the
// Jupyter UI, presses Kernel ▸ Interrupt once the first checkpoint exists,
// checks the cell says how to continue, runs it again and checks that it
// resumed and finished.
func TestKernelInterruptResumes(t *testing.T) {
	requireKernel(t)
	if _, err := exec.Command("jupyter", "notebook", "--version").Output(); err != nil {
		t.Skip("the classic Jupyter Notebook is not installed")
	}
	ws := t.TempDir()
	ckpt := filepath.Join(ws, "runs", "checkpoint.npz")
	writeNotebook(t, ws, "interrupt.ipynb", interruptSource(ckpt))
	base, token := startJupyter(t, ws)
	page, shoot := openNotebook(t, base, token, "interrupt.ipynb", 10*time.Minute)
	output := func() string {
		return page.MustEval(`() => document.querySelectorAll('.code_cell')[2].querySelector('.output').innerText`).String()
	}

	runAll(page)
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if _, err := os.Stat(ckpt); err == nil {
			break
		}
		if time.Now().After(deadline) {
			shoot("ui-interrupt-no-checkpoint.png")
			t.Fatalf("no checkpoint after 5 minutes; cell output:\n%s", output())
		}
		time.Sleep(20 * time.Millisecond)
	}
	page.MustElement("#kernellink").MustClick()
	page.MustElement("#int_kernel > a").MustClick()
	if err := page.Wait(rod.Eval(allCellsRan)); err != nil {
		t.Fatalf("the cell did not stop after the interrupt: %v", err)
	}
	out := output()
	shoot("ui-interrupt-stopped.png")
	if !strings.Contains(out, "interrupted after") || !strings.Contains(out, "run the cell again to continue") {
		t.Fatalf("after the interrupt the cell shows:\n%s", out)
	}
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "finished 600 iterations") {
		t.Fatalf("after the interrupt the cell shows:\n%s", out)
	}

	runAll(page)
	if err := page.Wait(rod.Eval(allCellsRan)); err != nil {
		t.Fatalf("the second run did not finish: %v", err)
	}
	out = output()
	page.MustElements(".code_cell")[2].MustScrollIntoView()
	shoot("ui-interrupt-resumed.png")
	for _, want := range []string{"resuming at iteration", "finished 600 iterations", "Generation: 600."} {
		if !strings.Contains(out, want) {
			t.Errorf("the resumed run's output lacks %q:\n%s", want, out)
		}
	}
}
