package npyio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/internal/pyref"
)

func sample() map[string]*Array {
	return map[string]*Array{
		"W1":    {Shape: []int{2, 3}, Data: []float64{1, -2.5, 3e-10, 4, 5, 6}},
		"b1":    {Shape: []int{3}, Data: []float32{0.5, -1, 2}},
		"iter":  {Shape: []int{}, Data: []int64{42}},
		"state": {Shape: []int{4}, Data: []uint32{1, 2, 3, 4294967295}},
		"empty": {Shape: []int{0, 5}, Data: []float64{}},
	}
}

func equal(t *testing.T, got, want map[string]*Array) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d arrays, want %d", len(got), len(want))
	}
	for k, w := range want {
		g := got[k]
		if g == nil {
			t.Fatalf("array %s missing", k)
		}
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		if string(gj) != string(wj) {
			t.Fatalf("%s: got %s, want %s", k, gj, wj)
		}
	}
}

func TestNPZRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.npz")
	if err := WriteNPZ(p, sample()); err != nil {
		t.Fatal(err)
	}
	got, err := ReadNPZ(p)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, got, sample())
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".*tmp*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// TestNumPyInterop writes files with NumPy (npz, compressed npz, Fortran
// order, pickles of protocols 2–5) and reads them, then writes an npz in Go
// and reads it back in NumPy.
func TestNumPyInterop(t *testing.T) {
	py := pyref.Python(t)
	dir := t.TempDir()
	pyref.Run(t, py, dir, `
import numpy as np, pickle
W = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
b = np.array([0.5, -1.25, 3.0], dtype=np.float32)
np.savez('plain.npz', W1=W, b1=b)
np.savez_compressed('compressed.npz', W1=W, b1=b)
np.save('fortran.npy', np.asfortranarray(W))
for proto in (2, 3, 4, 5):
    with open('params%d.pkl' % proto, 'wb') as f:
        pickle.dump({'W1': W, 'b1': b, 'g': np.asfortranarray(W)}, f, protocol=proto)
# More than 256 memo entries: LONG_BINPUT / LONG_BINGET in protocol 2.
with open('many.pkl', 'wb') as f:
    d = {'W%d' % i: np.full((2,), i, dtype=np.float64) for i in range(150)}
    d['late1'] = d['late2'] = np.array([7.5])  # a shared late object: LONG_BINGET
    pickle.dump(d, f, protocol=2)
`)
	want := map[string]*Array{
		"W1": {Shape: []int{3, 4}, Data: []float64{0, 1.0 / 7, 2.0 / 7, 3.0 / 7, 4.0 / 7, 5.0 / 7, 6.0 / 7, 1, 8.0 / 7, 9.0 / 7, 10.0 / 7, 11.0 / 7}},
		"b1": {Shape: []int{3}, Data: []float32{0.5, -1.25, 3}},
	}
	for _, f := range []string{"plain.npz", "compressed.npz"} {
		got, err := ReadNPZ(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		equal(t, got, want)
	}
	fb, _ := os.Open(filepath.Join(dir, "fortran.npy"))
	fa, err := ReadNPY(fb, "fortran.npy")
	fb.Close()
	if err != nil {
		t.Fatal(err)
	}
	equal(t, map[string]*Array{"W1": fa}, map[string]*Array{"W1": want["W1"]})
	for _, proto := range []string{"2", "3", "4", "5"} {
		got, err := ReadPickle(filepath.Join(dir, "params"+proto+".pkl"))
		if err != nil {
			t.Fatalf("protocol %s: %v", proto, err)
		}
		g := got["g"]
		delete(got, "g")
		equal(t, got, want)
		equal(t, map[string]*Array{"W1": g}, map[string]*Array{"W1": want["W1"]})
	}
	many, err := ReadPickle(filepath.Join(dir, "many.pkl"))
	if err != nil {
		t.Fatalf("pickle with 150 arrays: %v", err)
	}
	for i := range 150 {
		a := many[fmt.Sprintf("W%d", i)]
		if a == nil || a.Data.([]float64)[1] != float64(i) {
			t.Fatalf("many.pkl: W%d = %v", i, a)
		}
	}
	for _, k := range []string{"late1", "late2"} {
		if a := many[k]; a == nil || a.Data.([]float64)[0] != 7.5 {
			t.Fatalf("many.pkl: %s = %v", k, a)
		}
	}
	// Go writes, NumPy reads.
	if err := WriteNPZ(filepath.Join(dir, "go.npz"), sample()); err != nil {
		t.Fatal(err)
	}
	out := pyref.Run(t, py, dir, `
import numpy as np, json
z = np.load('go.npz')
print(json.dumps({k: [str(z[k].dtype), list(z[k].shape), z[k].ravel().tolist()] for k in sorted(z.files)}))`)
	var got map[string][3]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	norm := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	checks := map[string][3]string{
		"W1":    {`"float64"`, `[2,3]`, `[1,-2.5,3e-10,4,5,6]`},
		"b1":    {`"float32"`, `[3]`, `[0.5,-1,2]`},
		"state": {`"uint32"`, `[4]`, `[1,2,3,4294967295]`},
		"iter":  {`"int64"`, `[]`, `[42]`},
		"empty": {`"float64"`, `[0,5]`, `[]`},
	}
	for k, want := range checks {
		for i := range 3 {
			if g := norm(got[k][i]); g != want[i] {
				t.Errorf("NumPy read %s[%d] = %s, want %s", k, i, g, want[i])
			}
		}
	}
}

func TestCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.npz")
	WriteNPZ(p, sample())
	b, _ := os.ReadFile(p)
	trunc := filepath.Join(dir, "trunc.npz")
	os.WriteFile(trunc, b[:len(b)/2], 0o644)
	if _, err := ReadNPZ(trunc); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "trunc.npz") {
		t.Errorf("truncated npz: %v", err)
	}
	flipped := append([]byte(nil), b...)
	flipped[60] ^= 0xff // inside the first entry's data
	fp := filepath.Join(dir, "flipped.npz")
	os.WriteFile(fp, flipped, 0o644)
	if _, err := ReadNPZ(fp); err == nil {
		t.Error("npz with a flipped byte accepted (CRC not checked)")
	}
	if _, err := ReadNPY(bytes.NewReader([]byte("\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'")), "x.npy"); !errors.Is(err, ErrFormat) {
		t.Errorf("truncated npy header: %v", err)
	}
	var buf bytes.Buffer
	WriteNPY(&buf, &Array{Shape: []int{10}, Data: make([]float64, 10)})
	if _, err := ReadNPY(bytes.NewReader(buf.Bytes()[:buf.Len()-8]), "x.npy"); err == nil || !strings.Contains(err.Error(), "truncated data") {
		t.Errorf("truncated npy data: %v", err)
	}
	if _, err := ReadNPZ(filepath.Join(dir, "missing.npz")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestPickleSafety(t *testing.T) {
	py := pyref.Python(t)
	dir := t.TempDir()
	pyref.Run(t, py, dir, `
import pickle, os, numpy as np
class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned',))
with open('evil.pkl', 'wb') as f:
    pickle.dump({'W1': Evil()}, f)
with open('list.pkl', 'wb') as f:
    pickle.dump([np.zeros(3)], f)
with open('good.pkl', 'wb') as f:
    pickle.dump({'W1': np.zeros((2, 2))}, f)
`)
	if _, err := ReadPickle(filepath.Join(dir, "evil.pkl")); err == nil || !strings.Contains(err.Error(), "system") {
		t.Errorf("pickle calling os.system: %v", err)
	}
	if _, err := ReadPickle(filepath.Join(dir, "list.pkl")); err == nil || !strings.Contains(err.Error(), "not a dict") {
		t.Errorf("pickled list: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "good.pkl"))
	for _, n := range []int{0, 1, 10, len(b) / 2, len(b) - 1} {
		if _, err := DecodePickle(bytes.NewReader(b[:n]), "good.pkl"); err == nil {
			t.Errorf("pickle truncated to %d bytes accepted", n)
		}
	}
}

// TestPickleOfOtherValues: a pickle of something other than a dict of
// arrays is named in Python's terms ("the pickle holds a
// *[]interface {}" before), with what was expected.
func TestPickleOfOtherValues(t *testing.T) {
	for _, c := range []struct{ pickle, want string }{ // pickle.dumps(value, protocol=2)
		{"\x80\x02]q\x00(K\x01K\x02K\x03e.", "the pickle holds a list (or a set), not a dict of parameter arrays such as {'W1': array"},
		{"\x80\x02K\x01K\x02\x86q\x00.", "the pickle holds a tuple of 2 items, not a dict"},
		{"\x80\x02X\x04\x00\x00\x00textq\x00.", "the pickle holds a str, not a dict"},
		{"\x80\x02}q\x00X\x02\x00\x00\x00W1q\x01K\x01s.", `entry "W1" is an int, not a NumPy array`},
	} {
		_, err := DecodePickle(strings.NewReader(c.pickle), "x.pkl")
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "interface") {
			t.Errorf("%q: error %v, want %q", c.pickle, err, c.want)
		}
	}
}

func FuzzReadNPY(f *testing.F) {
	var buf bytes.Buffer
	WriteNPY(&buf, &Array{Shape: []int{2, 2}, Data: []float32{1, 2, 3, 4}})
	f.Add(buf.Bytes())
	f.Add([]byte("\x93NUMPY\x02\x00\x10\x00\x00\x00{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := ReadNPY(bytes.NewReader(b), "fuzz"); err == nil {
			if n := a.Len(); n != product(a.Shape) {
				t.Fatalf("shape %v with %d values", a.Shape, n)
			}
		}
	})
}

func FuzzDecodePickle(f *testing.F) {
	f.Add([]byte("\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s."))
	f.Add([]byte("\x80\x02}q\x00X\x02\x00\x00\x00W1q\x01cnumpy.core.multiarray\n_reconstruct\nq\x02cnumpy\nndarray\nq\x03K\x00\x85q\x04c_codecs\nencode\nq\x05X\x01\x00\x00\x00bq\x06X\x06\x00\x00\x00latin1q\x07\x86q\x08Rq\x09\x87q\nRq\x0b(K\x01K\x01\x85q\x0ccnumpy\ndtype\nq\rX\x02\x00\x00\x00f8q\x0e\x89\x88\x87q\x0fRq\x10(K\x03X\x01\x00\x00\x00<q\x11NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tq\x12b\x89h\x05X\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf0?q\x13h\x07\x86q\x14Rq\x15tq\x16bs."))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodePickle(bytes.NewReader(b), "fuzz")
		if err == nil {
			for k, a := range m {
				if a.Len() != product(a.Shape) {
					t.Fatalf("%s: shape %v with %d values", k, a.Shape, a.Len())
				}
			}
		}
	})
}

func FuzzReadNPZ(f *testing.F) {
	p := filepath.Join(f.TempDir(), "seed.npz")
	WriteNPZ(p, sample())
	b, _ := os.ReadFile(p)
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodeNPZ(bytes.NewReader(data), int64(len(data)), "fuzz.npz"); err == nil {
			for k, a := range m {
				if a.Len() != product(a.Shape) {
					t.Fatalf("%s: shape %v with %d values", k, a.Shape, a.Len())
				}
			}
		}
	})
}

func product(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
