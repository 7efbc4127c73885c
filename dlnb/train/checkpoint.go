package train

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/npyio"
	"github.com/dlnb/course/dlnb/optim"
)

// A checkpoint is one .npz file with everything a run needs to continue as if
// it had never stopped: the network (parameters, batch-norm statistics,
// architecture), the optimizer state, the random generator, the sampler's
// epoch permutation, and the history so far. It is written atomically, so
// a run killed while saving keeps the previous checkpoint.

const (
	keyOptimizer = "train/optimizer"
	keyRand      = "train/rng"
	keyPerm      = "train/sampler_perm"
	keySampler   = "train/sampler" // pos, epoch
	keyLoss      = "train/loss"
	keyEvals     = "train/evals" // rows: iter, loss, train, test, elapsed seconds
	keyElapsed   = "train/elapsed"
)

func bytesArray(b []byte) *npyio.Array { return &npyio.Array{Shape: []int{len(b)}, Data: b} }

// SaveCheckpoint writes the trainer's state to path, with its Settings.
func (t *Trainer[T]) SaveCheckpoint(path string) error {
	if err := t.Validate(); err != nil {
		return err
	}
	st, err := t.Net.State()
	if err != nil {
		return err
	}
	for k, v := range optim.State(t.Opt) {
		st[k] = v
	}
	st[keyOptimizer] = bytesArray([]byte(t.Opt.Name()))
	st[SettingsKey] = settingsArray(t.Settings())
	r := t.Rand
	if r == nil {
		r = t.Net.Rand
	}
	rb, _ := r.MarshalBinary()
	st[keyRand] = bytesArray(rb)
	if s := t.sampler; s != nil && s.Shuffle {
		perm := make([]int64, len(s.PermState()))
		for i, v := range s.PermState() {
			perm[i] = int64(v)
		}
		st[keyPerm] = &npyio.Array{Shape: []int{len(perm)}, Data: perm}
		pos, epoch := s.Position()
		st[keySampler] = &npyio.Array{Shape: []int{2}, Data: []int64{int64(pos), int64(epoch)}}
	}
	h := t.History
	if h == nil {
		h = &History{}
	}
	st[keyLoss] = &npyio.Array{Shape: []int{len(h.Loss)}, Data: append([]float64(nil), h.Loss...)}
	ev := make([]float64, 0, 5*len(h.Evals))
	for _, e := range h.Evals {
		ev = append(ev, float64(e.Iter), e.Loss, e.TrainAcc, e.TestAcc, e.Elapsed.Seconds())
	}
	st[keyEvals] = &npyio.Array{Shape: []int{len(h.Evals), 5}, Data: ev}
	st[keyElapsed] = &npyio.Array{Shape: []int{}, Data: []float64{h.Elapsed.Seconds()}}
	if err := npyio.WriteNPZ(path, st); err != nil {
		return fmt.Errorf("train: checkpoint: %w", err)
	}
	return nil
}

// LoadCheckpoint restores a state written by SaveCheckpoint into the trainer,
// whose network and optimizer must be built the same way. Run then continues
// after the last saved iteration. A checkpoint of a run with other settings
// is a *SettingsError; nothing is restored then.
func (t *Trainer[T]) LoadCheckpoint(path string) error {
	if err := t.Validate(); err != nil {
		return err
	}
	st, err := npyio.ReadNPZ(path)
	if err != nil {
		return &CheckpointError{Path: path, Err: err}
	}
	if err := t.checkCompatible(st, path); err != nil {
		return err
	}
	if err := t.Net.SetState(st, path); err != nil {
		return err
	}
	if err := optim.SetState(t.Opt, st); err != nil {
		return fmt.Errorf("train: checkpoint %s: %w", path, err)
	}
	if err := t.restoreRand(st, path); err != nil {
		return err
	}
	t.History = readHistory(st)
	return t.restoreSampler(st, path)
}

// checkCompatible compares the checkpoint's settings, precision, optimizer
// and architecture with the trainer's.
func (t *Trainer[T]) checkCompatible(st map[string]*npyio.Array, path string) error {
	saved, ok, err := savedSettings(st, path)
	if err != nil {
		return err
	}
	now := t.Settings()
	if ok {
		if d := diffSettings(saved, now); len(d) > 0 {
			return &SettingsError{Path: path, Diffs: d}
		}
	}
	if p, want := precisionOf(st, t.Net.ParamNames), valueOf(now, "precision"); p != "" && p != want {
		return &SettingsError{Path: path, Diffs: []SettingDiff{{Name: "precision", Saved: p, Now: want}}}
	}
	if got, want := str(st, keyOptimizer), t.Opt.Name(); got != want {
		return &SettingsError{Path: path, Diffs: []SettingDiff{{Name: "optimizer", Saved: got, Now: want}}}
	}
	cur, err := t.Net.State()
	if err != nil {
		return err
	}
	if got, want := str(st, nets.SpecKey), string(cur[nets.SpecKey].Data.([]uint8)); got != want {
		return fmt.Errorf("train: the checkpoint %s holds a different network than this %s (another architecture): "+
			"resume with the same network, or delete it to start over (rm %s)", path, t.Net.Spec.Name, path)
	}
	return nil
}

// str returns the text of a byte-string entry, or "".
func str(st map[string]*npyio.Array, k string) string {
	if a, ok := st[k]; ok {
		if b, ok := a.Data.([]uint8); ok {
			return string(b)
		}
	}
	return ""
}

// precisionOf returns the element type of the saved parameters ("float32"
// or "float64"), or "" when they cannot tell.
func precisionOf(st map[string]*npyio.Array, names []string) string {
	for _, name := range names {
		if a, ok := st[name]; ok {
			switch a.Data.(type) {
			case []float32:
				return "float32"
			case []float64:
				return "float64"
			}
		}
	}
	return ""
}

// restoreRand restores the random generator that draws the mini-batches.
func (t *Trainer[T]) restoreRand(st map[string]*npyio.Array, path string) error {
	if t.Rand == nil {
		t.Rand = t.Net.Rand
	}
	rb, ok := st[keyRand]
	if !ok {
		return &CheckpointError{Path: path, Err: errors.New("no random generator state")}
	}
	b, _ := rb.Data.([]uint8)
	if err := t.Rand.UnmarshalBinary(b); err != nil {
		return &CheckpointError{Path: path, Err: err}
	}
	return nil
}

// readHistory returns the history saved in a checkpoint.
func readHistory(st map[string]*npyio.Array) *History {
	h := &History{}
	if a, ok := st[keyLoss]; ok {
		l, _ := a.Data.([]float64)
		h.Loss = append(h.Loss, l...)
	}
	if ev, ok := st[keyEvals]; ok {
		v, _ := ev.Data.([]float64)
		for i := 0; i+5 <= len(v); i += 5 {
			h.Evals = append(h.Evals, Eval{Iter: int(v[i]), Loss: v[i+1], TrainAcc: v[i+2], TestAcc: v[i+3],
				Elapsed: time.Duration(v[i+4] * float64(time.Second))})
		}
	}
	if a, ok := st[keyElapsed]; ok {
		if e, ok := a.Data.([]float64); ok && len(e) == 1 {
			h.Elapsed = time.Duration(e[0] * float64(time.Second))
		}
	}
	h.StartIter = len(h.Loss)
	return h
}

// restoreSampler arranges for Run to continue the saved epoch permutation.
func (t *Trainer[T]) restoreSampler(st map[string]*npyio.Array, path string) error {
	p, ok := st[keyPerm]
	if !ok {
		return nil
	}
	perm64, _ := p.Data.([]int64)
	var pe []int64
	if a, ok := st[keySampler]; ok {
		pe, _ = a.Data.([]int64)
	}
	if len(pe) != 2 {
		return &CheckpointError{Path: path, Err: errors.New("corrupt sampler state")}
	}
	perm := make([]int, len(perm64))
	for i, v := range perm64 {
		perm[i] = int(v)
	}
	t.resumeSampler = func() error { return t.sampler.Restore(perm, int(pe[0]), int(pe[1])) }
	return nil
}

// CheckpointError reports a checkpoint that cannot be read: truncated,
// corrupt, or missing a part.
type CheckpointError struct {
	Path string
	Err  error
}

// Error says what is wrong and how to start over.
func (e *CheckpointError) Error() string {
	return fmt.Sprintf("train: the checkpoint %s is damaged (%v): delete it to start over (rm %s)", e.Path, e.Err, e.Path)
}

// Unwrap returns the cause.
func (e *CheckpointError) Unwrap() error { return e.Err }

// ResumeOrStart loads the checkpoint at path when it exists and reports
// whether it did; a missing file means a fresh run.
func (t *Trainer[T]) ResumeOrStart(path string) (bool, error) {
	if err := t.Validate(); err != nil {
		return false, err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err := t.LoadCheckpoint(path); err != nil {
		return false, err
	}
	return true, nil
}

// SignalContext returns a context cancelled by Ctrl-C (SIGINT), SIGTERM,
// SIGHUP (the terminal was closed) or a Jupyter kernel interrupt, so Run
// stops cleanly after the current step and a checkpoint can be written;
// without SIGHUP a closed terminal ended the run at once, losing what it
// had trained since its last checkpoint. extra signals stop the run too
// (the dlnb command adds SIGPIPE: its output was closed). context.Cause of
// the cancelled context is a *SignalError naming the signal.
func SignalContext(extra ...os.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, append([]os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}, extra...)...)
	go func() {
		select {
		case s := <-ch:
			cancel(&SignalError{Signal: s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(context.Canceled)
	}
}

// SignalError is the cause of a SignalContext's cancellation: the signal
// that arrived.
type SignalError struct {
	Signal os.Signal
}

// Error names the signal.
func (e *SignalError) Error() string { return e.Signal.String() + " signal received" }

// ReadHistory returns what the run saved in the checkpoint at path recorded:
// its losses, evaluations and training time, without building its network.
func ReadHistory(path string) (*History, error) {
	st, err := npyio.ReadNPZ(path)
	if err != nil {
		return nil, &CheckpointError{Path: path, Err: err}
	}
	if _, ok := st[keyLoss]; !ok {
		return nil, &CheckpointError{Path: path, Err: errors.New("not a training checkpoint (it has no loss record)")}
	}
	return readHistory(st), nil
}
