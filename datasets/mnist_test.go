package datasets

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/internal/pyref"
)

// MNIST training label counts for the digits 0–9 (the published figures).
var mnistTrainCounts = [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}

func isolateCache(t *testing.T) string {
	d := t.TempDir()
	t.Setenv("DLNB_CACHE_DIR", d)
	t.Setenv("DLNB_MNIST_DIR", "")
	return d
}

func TestLoadMNISTDefaults(t *testing.T) {
	isolateCache(t)
	ds, err := LoadMNIST()
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, ds.Train.X.Shape, 60000, 784)
	checkShape(t, ds.Train.D.Shape, 60000)
	checkShape(t, ds.Test.X.Shape, 10000, 784)
	checkShape(t, ds.Test.D.Shape, 10000)
	if lo, hi := ds.Train.X.Min(), ds.Train.X.Max(); lo != 0 || hi != 1 {
		t.Errorf("normalised pixels span [%v, %v], want [0, 1]", lo, hi)
	}
	var counts [10]int
	for _, v := range ds.Train.D.Data {
		counts[int(v)]++
	}
	if counts != mnistTrainCounts {
		t.Errorf("train label counts %v, want %v", counts, mnistTrainCounts)
	}
	// The second load comes from the decoded cache and must be identical.
	again, err := LoadMNIST()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range ds.Train.X.Data {
		if again.Train.X.Data[i] != v {
			t.Fatalf("cached load differs at %d", i)
		}
	}
}

func TestLoadOptions(t *testing.T) {
	isolateCache(t)
	ds, err := LoadMNIST(Normalize(false), Flatten(false), OneHotLabel(true))
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, ds.Train.X.Shape, 60000, 1, 28, 28)
	checkShape(t, ds.Test.D.Shape, 10000, 10)
	if ds.Train.X.Max() != 255 {
		t.Errorf("raw max = %v, want 255", ds.Train.X.Max())
	}
	for i := range 10000 {
		row := ds.Test.D.Row(i)
		s := 0.0
		for _, v := range row {
			s += v
		}
		if s != 1 {
			t.Fatalf("one-hot row %d sums to %v", i, s)
		}
	}
}

func TestFashionMNIST(t *testing.T) {
	isolateCache(t)
	if _, err := os.Stat("/usr/share/datasets/fashion-mnist"); err != nil && os.Getenv("DLNB_FASHION_MNIST_DIR") == "" {
		if os.Getenv("DLNB_REQUIRE_PYTHON") == "1" { // the full test run installs everything
			t.Fatal("Fashion-MNIST missing: scripts/setup.sh installs dataset-fashion-mnist")
		}
		t.Skip("Fashion-MNIST not installed (sudo apt-get install dataset-fashion-mnist)")
	}
	ds, err := LoadFashionMNIST(OneHotLabel(true))
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, ds.Train.X.Shape, 60000, 784)
	checkShape(t, ds.Test.D.Shape, 10000, 10)
	var counts [10]int
	for _, v := range ds.Train.D.ArgMaxRows() {
		counts[v]++
	}
	for c, n := range counts { // Fashion-MNIST is balanced: 6000 per class
		if n != 6000 {
			t.Errorf("class %d (%s): %d images, want 6000", c, ds.Classes[c], n)
		}
	}
}

func checkShape(t *testing.T, got []int, want ...int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("shape %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("shape %v, want %v", got, want)
		}
	}
}

// TestNormalizationMatchesNumPy checks the 256 normalised pixel values against
// NumPy's x.astype(np.float32) / 255.0, widened to float64.
func TestNormalizationMatchesNumPy(t *testing.T) {
	py := pyref.Python(t)
	out := pyref.Run(t, py, ".", `
import json, numpy as np
x = np.arange(256, dtype=np.uint8).astype(np.float32); x /= 255.0
print(json.dumps(x.astype(np.float64).tolist()))`)
	var want []float64
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for k, v := range want {
		if pixelTable[k] != v {
			t.Fatalf("pixel %d: %v, NumPy %v", k, pixelTable[k], v)
		}
	}
}

// copyMNIST copies the four files to a fresh directory for corruption tests.
func copyMNIST(t *testing.T) string {
	src, err := goMNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, n := range fileNames {
		b, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBadHashAndMissingFile(t *testing.T) {
	isolateCache(t)
	dir := copyMNIST(t)
	p := filepath.Join(dir, "t10k-labels-idx1-ubyte.gz")
	b, _ := os.ReadFile(p)
	b[100] ^= 1
	os.WriteFile(p, b, 0o644)
	_, err := LoadMNIST(Dir(dir))
	if err == nil || !strings.Contains(err.Error(), "t10k-labels-idx1-ubyte.gz") || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("corrupt file: error %v, want a SHA-256 mismatch naming the file", err)
	}
	os.Remove(p)
	_, err = LoadMNIST(Dir(dir))
	if err == nil || !strings.Contains(err.Error(), "t10k-labels-idx1-ubyte.gz not found") {
		t.Fatalf("missing file: %v", err)
	}
	t.Setenv("DLNB_MNIST_DIR", dir)
	if _, err := LoadMNIST(); err == nil || !strings.Contains(err.Error(), "DLNB_MNIST_DIR="+dir) {
		t.Fatalf("env dir: error %v should name DLNB_MNIST_DIR", err)
	}
}

// TestCorruptCacheIsRebuilt damages the decoded cache: the loader must notice
// the checksum mismatch, decode the original again and repair the cache.
func TestCorruptCacheIsRebuilt(t *testing.T) {
	cache := isolateCache(t)
	if _, err := LoadMNIST(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(cache, "decoded", MNIST.SHA256["train-images-idx3-ubyte.gz"]+".idx")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[5000] ^= 0xff
	os.WriteFile(p, b, 0o644)
	if _, err := readDecoded(p, "x"); err == nil {
		t.Fatal("corrupt cache accepted")
	}
	ds, err := LoadMNIST()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readDecoded(p, "x"); err != nil {
		t.Fatalf("cache not repaired: %v", err)
	}
	var counts [10]int
	for _, v := range ds.Train.D.Data {
		counts[int(v)]++
	}
	if counts != mnistTrainCounts {
		t.Fatal("wrong data after cache repair")
	}
}

// BenchmarkLoadMNISTCached measures a repeated load (decoded cache warm), the
// cost every GoNB cell pays.
func BenchmarkLoadMNISTCached(b *testing.B) {
	if _, err := LoadMNIST(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := LoadMNIST(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadMNISTUncached measures a first load: SHA-256, gunzip, decode.
func BenchmarkLoadMNISTUncached(b *testing.B) {
	for b.Loop() {
		if _, err := LoadMNIST(NoCache()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCorruptFileAdvice: a damaged file gets advice that works where it
// lives — never "it is fetched again" for the user's own DLNB_MNIST_DIR or
// Dir folder, which nothing refills; "rm" for the per-user copy, which the
// default source replaces.
func TestCorruptFileAdvice(t *testing.T) {
	cache := isolateCache(t)
	dir := copyMNIST(t)
	p := filepath.Join(dir, "train-images-idx3-ubyte.gz")
	b, _ := os.ReadFile(p)
	b[100] ^= 1
	os.WriteFile(p, b, 0o644)
	t.Setenv("DLNB_MNIST_DIR", dir)
	_, err := LoadMNIST()
	if err == nil || strings.Contains(err.Error(), "fetched again") || !strings.Contains(err.Error(), "unset DLNB_MNIST_DIR") {
		t.Errorf("damaged file in DLNB_MNIST_DIR: %v\nwant advice to replace it or unset DLNB_MNIST_DIR", err)
	}
	t.Setenv("DLNB_MNIST_DIR", "")
	_, err = LoadMNIST(Dir(dir))
	if err == nil || strings.Contains(err.Error(), "fetched again") || !strings.Contains(err.Error(), "datasets.Dir") {
		t.Errorf("damaged file in a Dir folder: %v", err)
	}
	own := filepath.Join(cache, "mnist")
	os.MkdirAll(own, 0o755)
	os.WriteFile(filepath.Join(own, "train-images-idx3-ubyte.gz"), b, 0o644)
	_, err = LoadMNIST()
	if err == nil || !strings.Contains(err.Error(), "rm "+filepath.Join(own, "train-images-idx3-ubyte.gz")) {
		t.Errorf("damaged file in the per-user cache: %v", err)
	}
	os.Remove(filepath.Join(own, "train-images-idx3-ubyte.gz"))
	if _, err := LoadMNIST(); err != nil {
		t.Errorf("after following the advice (rm): %v", err)
	}
}

// TestUnusableFoldersAreNamed: a DLNB_MNIST_DIR that is missing or a file
// was reported as a missing .gz file or a raw "open …: not a directory";
// the error now names the variable and what it is. A DLNB_CACHE_DIR that is
// a file broke the load the same way, and one that could not be made was
// ignored without a word: now the load goes on uncached and CacheErr says
// why; FromCache is true only for a load the cache served.
func TestUnusableFoldersAreNamed(t *testing.T) {
	isolateCache(t)
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	missing := filepath.Join(t.TempDir(), "missing")
	for dir, want := range map[string]string{missing: "DLNB_MNIST_DIR=" + missing + ": no such folder", file: "DLNB_MNIST_DIR=" + file + " is a file, not a folder"} {
		t.Setenv("DLNB_MNIST_DIR", dir)
		if _, err := LoadMNIST(); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "unset DLNB_MNIST_DIR") {
			t.Errorf("DLNB_MNIST_DIR=%s: error %v, want %q", dir, err, want)
		}
	}
	t.Setenv("DLNB_MNIST_DIR", "")
	for dir, want := range map[string]string{file: "it is a file, not a folder", "/proc/dlnb-cache": "mkdir /proc/dlnb-cache"} {
		t.Setenv("DLNB_CACHE_DIR", dir)
		ds, err := LoadMNIST()
		if err != nil {
			t.Errorf("DLNB_CACHE_DIR=%s: %v; want the load to go on uncached", dir, err)
			continue
		}
		if ds.FromCache || ds.CacheErr == nil || !strings.Contains(ds.CacheErr.Error(), "DLNB_CACHE_DIR="+dir) || !strings.Contains(ds.CacheErr.Error(), want) {
			t.Errorf("DLNB_CACHE_DIR=%s: FromCache %v, CacheErr %v; want a CacheErr saying %q", dir, ds.FromCache, ds.CacheErr, want)
		}
	}
	isolateCache(t)
	for i, want := range []bool{false, true} { // the first load writes the cache, the second reads it
		ds, err := LoadMNIST()
		if err != nil {
			t.Fatal(err)
		}
		if ds.FromCache != want || ds.CacheErr != nil {
			t.Errorf("load %d into a fresh cache: FromCache %v (want %v), CacheErr %v", i+1, ds.FromCache, want, ds.CacheErr)
		}
	}
}
