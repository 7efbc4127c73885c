package nb

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/dlnb/train"
)

// TestRunInterruptAndResume interrupts nb.Run with SIGINT (what the
// kernel's interrupt sends), checks it stops with a failure exit after saving
// a checkpoint, runs it again to the end, and compares the result with an
// uninterrupted run.
func TestRunInterruptAndResume(t *testing.T) {
	t.Setenv("DLNB_OUT_DIR", t.TempDir())
	var codes []int
	exit = func(c int) { codes = append(codes, c) }
	defer func() { exit = os.Exit }()
	mk := func(ckpt string) *train.Trainer[float64] {
		r := rng.New(1)
		net := nets.NewTwoLayerNet(4, 5, 2, 0.5, nets.WithRand(r))
		x, d := tensor.New[float64](40, 4), tensor.New[float64](40)
		for i := range x.Data {
			x.Data[i] = r.Float64()
		}
		for i := range d.Data {
			if x.Data[4*i] > 0.5 {
				d.Data[i] = 1
			}
		}
		return &train.Trainer[float64]{Net: net, Opt: optim.NewSGD(0.1), XTrain: x, DTrain: d, XTest: x, DTest: d, Rand: r,
			Config: train.Config{Iters: 200, BatchSize: 10, EvalEvery: 10, CheckpointPath: ckpt, CheckpointEvery: 5}}
	}
	ckpt := filepath.Join(t.TempDir(), "run", "checkpoint.npz")
	first := mk(ckpt)
	first.OnStep = append(first.OnStep, func(iter int, _ float64) error {
		if iter == 12 {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
		}
		return nil
	})
	h := Run(first, "demo")
	if len(codes) == 0 || codes[0] != 1 || len(h.Loss) >= 200 {
		t.Fatalf("interrupted run: exit codes %v after %d iterations", codes, len(h.Loss))
	}
	if _, err := os.Stat(ckpt); err != nil {
		t.Fatalf("no checkpoint after the interrupt: %v", err)
	}
	codes = nil
	resumed := mk(ckpt)
	h = Run(resumed, "demo")
	if len(codes) != 0 || len(h.Loss) != 200 || h.StartIter == 0 {
		t.Fatalf("resumed run: exit codes %v, %d iterations, started at %d", codes, len(h.Loss), h.StartIter)
	}
	whole := mk("")
	Run(whole, "demo")
	for name, p := range whole.Net.Params {
		for i, v := range p.Data {
			if resumed.Net.Params[name].Data[i] != v {
				t.Fatalf("%s[%d]: resumed %v, uninterrupted %v", name, i, resumed.Net.Params[name].Data[i], v)
			}
		}
	}
}

// TestRunWithoutOptimizer: a Trainer without an optimizer (or network)
// stops the cell with a message naming what is missing, not a nil-pointer
// panic inside nb.Run.
func TestRunWithoutOptimizer(t *testing.T) {
	type exited struct{ code int }
	exit = func(c int) { panic(exited{c}) }
	defer func() { exit = os.Exit }()
	r := rng.New(1)
	net := nets.NewTwoLayerNet(4, 5, 2, 0.5, nets.WithRand(r))
	x, d := tensor.New[float64](10, 4), tensor.New[float64](10)
	for _, c := range []struct {
		tr   *train.Trainer[float64]
		want string
	}{
		{&train.Trainer[float64]{Net: net, XTrain: x, DTrain: d, Config: train.Config{Iters: 5}}, "no optimizer"},
		{&train.Trainer[float64]{Opt: optim.NewSGD(0.1), XTrain: x, DTrain: d, Config: train.Config{Iters: 5}}, "no network"},
		{nil, "Trainer is nil"},
	} {
		stderr := captureStderr(t, func() {
			defer func() {
				if e, ok := recover().(exited); !ok || e.code != 1 {
					t.Errorf("want a failure exit (status 1), got %v", e)
				}
			}()
			Run(c.tr, "demo")
		})
		if !strings.Contains(stderr, c.want) || strings.Contains(stderr, "goroutine") {
			t.Errorf("message %q, want one containing %q", stderr, c.want)
		}
	}
}

// captureStderr returns what f writes to os.Stderr.
func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	f()
	os.Stderr = old
	w.Close()
	b, _ := io.ReadAll(r)
	return string(b)
}
