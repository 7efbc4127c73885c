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

// SaveCheckpoint writes the trainer's state to path.
func (t *Trainer[T]) SaveCheckpoint(path string) error {
	st, err := t.Net.State()
	if err != nil {
		return err
	}
	for k, v := range optim.State(t.Opt) {
		st[k] = v
	}
	st[keyOptimizer] = bytesArray([]byte(t.Opt.Name()))
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
// after the last saved iteration.
func (t *Trainer[T]) LoadCheckpoint(path string) error {
	st, err := npyio.ReadNPZ(path)
	if err != nil {
		return fmt.Errorf("train: checkpoint: %w", err)
	}
	str := func(k string) string {
		if a, ok := st[k]; ok {
			if b, ok := a.Data.([]uint8); ok {
				return string(b)
			}
		}
		return ""
	}
	if got, want := str(keyOptimizer), t.Opt.Name(); got != want {
		return fmt.Errorf("train: checkpoint %s was written with %s, this run uses %s: resume with the same settings, or use another checkpoint path", path, got, want)
	}
	cur, err := t.Net.State()
	if err != nil {
		return err
	}
	if got, want := str(nets.SpecKey), string(cur[nets.SpecKey].Data.([]uint8)); got != want {
		return fmt.Errorf("train: checkpoint %s holds a different network than %s: resume with the same network, or use another checkpoint path", path, t.Net.Spec.Name)
	}
	if err := t.Net.SetState(st, path); err != nil {
		return err
	}
	if err := optim.SetState(t.Opt, st); err != nil {
		return fmt.Errorf("train: checkpoint %s: %w", path, err)
	}
	if t.Rand == nil {
		t.Rand = t.Net.Rand
	}
	rb, ok := st[keyRand]
	if !ok {
		return fmt.Errorf("train: checkpoint %s has no random generator state", path)
	}
	if err := t.Rand.UnmarshalBinary(rb.Data.([]uint8)); err != nil {
		return fmt.Errorf("train: checkpoint %s: %w", path, err)
	}
	h := &History{}
	if l, ok := st[keyLoss].Data.([]float64); ok {
		h.Loss = append(h.Loss, l...)
	}
	if ev, ok := st[keyEvals]; ok {
		v, _ := ev.Data.([]float64)
		for i := 0; i+5 <= len(v); i += 5 {
			h.Evals = append(h.Evals, Eval{Iter: int(v[i]), Loss: v[i+1], TrainAcc: v[i+2], TestAcc: v[i+3],
				Elapsed: time.Duration(v[i+4] * float64(time.Second))})
		}
	}
	if e, ok := st[keyElapsed].Data.([]float64); ok && len(e) == 1 {
		h.Elapsed = time.Duration(e[0] * float64(time.Second))
	}
	h.StartIter = len(h.Loss)
	t.History = h
	if p, ok := st[keyPerm]; ok {
		perm64, _ := p.Data.([]int64)
		pe, _ := st[keySampler].Data.([]int64)
		if len(pe) != 2 {
			return fmt.Errorf("train: checkpoint %s: corrupt sampler state", path)
		}
		perm := make([]int, len(perm64))
		for i, v := range perm64 {
			perm[i] = int(v)
		}
		t.resumeSampler = func() error { return t.sampler.Restore(perm, int(pe[0]), int(pe[1])) }
	}
	return nil
}

// ResumeOrStart loads the checkpoint at path when it exists and reports
// whether it did; a missing file means a fresh run.
func (t *Trainer[T]) ResumeOrStart(path string) (bool, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return true, t.LoadCheckpoint(path)
}

// SignalContext returns a context cancelled by Ctrl-C (SIGINT), SIGTERM or a
// Jupyter kernel interrupt, so Run stops cleanly after the current step and a
// checkpoint can be written.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
