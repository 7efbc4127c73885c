package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// runSize is what a run holds in memory: batches of batch images, the
// evaluation chunks of eval images and a dataset of images images.
type runSize struct {
	net                 string
	batch, eval, images int
}

// memoryNeed is an estimate of the memory a run of the network takes.
type memoryNeed struct {
	layers float64 // bytes per image of a batch or an evaluation chunk the layers keep
	batch  float64 // bytes per image of a batch besides: its copy and its index
	eval   int     // images per evaluation chunk, which reuses the layers' buffers
	data   float64 // the dataset
	name   string  // the network's full name
}

// estimateMemory measures what a training step of the network allocates
// per image of its batch: the layers keep their buffers between steps, so
// a step of 32 images after one of 8 allocates 32 images' worth. Against
// the peak RSS of one-step runs: DeepConvNet in float64 with batches of
// 2000, 3.5 GB estimated and 3.2 GB used; MultiLayerNet in float32 with
// 20000, 0.81 and 0.88 GB. The network is a copy of its own: the run's
// random numbers are not touched.
func estimateMemory[T tensor.Float](s runSize) (memoryNeed, error) {
	net, err := buildNet[T](s.net, rng.New(0))
	if err != nil {
		return memoryNeed{}, err
	}
	alloc := func(b int) float64 {
		x := tensor.New[T](append([]int{b}, net.Spec.Input...)...)
		d := tensor.New[T](b)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		net.Gradient(x, d)
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc - before.TotalAlloc)
	}
	alloc(8)
	size, input := float64(sizeOf[T]()), float64(tensor.Size(net.Spec.Input))
	return memoryNeed{layers: alloc(32) / 32, batch: (input+1)*size + 8, eval: s.eval,
		data: float64(s.images) * input * (8 + size), // the data loads in float64, then converts
		name: net.Spec.Name}, nil
}

// bytes is the estimate for batches of b images.
func (m memoryNeed) bytes(b int) float64 {
	return m.data + m.layers*float64(max(b, m.eval)) + m.batch*float64(b)
}

// checkMemory refuses a batch size whose run would not fit in the memory
// this machine has free, naming -batch and the largest size that fits.
// Where the free memory cannot be read, it checks nothing.
func checkMemory[T tensor.Float](s runSize) error {
	free, from, ok := availableMemory()
	if !ok {
		return nil
	}
	m, err := estimateMemory[T](s)
	if err != nil {
		return err
	}
	need := m.bytes(s.batch)
	if need <= free {
		return nil
	}
	msg := fmt.Sprintf("-batch %d: training %s in float%d on batches of %d images needs about %s of memory (%s per image), and this machine has %s free (%s)",
		s.batch, m.name, 8*sizeOf[T](), s.batch, fmtBytes(need), fmtBytes(m.layers+m.batch), fmtBytes(free), from)
	if m.bytes(1) > free {
		return fmt.Errorf("%s, too little even for a batch of 1: close other programs, or use fewer images (-train-samples)", msg)
	}
	fit := (free - m.data) / (m.layers + m.batch)
	return fmt.Errorf("%s; use -batch %d or less (the course uses 100)", msg, roundDown(int(math.Min(fit, math.MaxInt32))))
}

// roundDown rounds n down to two significant digits: 2583 → 2500.
func roundDown(n int) int {
	p := 1
	for n/p >= 100 {
		p *= 10
	}
	return n / p * p
}

// fmtBytes formats a size in decimal units: 870 GB, 8.7 kB.
func fmtBytes(b float64) string {
	for _, u := range []struct {
		unit string
		size float64
	}{{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}} {
		if b >= u.size {
			return strconv.FormatFloat(b/u.size, 'g', 3, 64) + " " + u.unit
		}
	}
	return fmt.Sprintf("%.0f bytes", b)
}

// availableMemory returns the memory a new allocation can still get: the
// kernel's MemAvailable, or less under a cgroup limit (a container), else
// the free RAM sysinfo(2) reports. from names the figure used.
func availableMemory() (free float64, from string, ok bool) {
	free, ok = memInfo("MemAvailable")
	from = "MemAvailable in /proc/meminfo"
	if !ok {
		var si syscall.Sysinfo_t
		if syscall.Sysinfo(&si) != nil {
			return 0, "", false
		}
		free, from = float64(si.Freeram+si.Bufferram)*float64(si.Unit), "free RAM by sysinfo"
	}
	if limit, ok := cgroupFree(); ok && limit < free {
		free, from = limit, "the cgroup's memory.max less memory.current"
	}
	return free, from, true
}

// memInfo returns a /proc/meminfo field in bytes.
func memInfo(field string) (float64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, _ := strings.Cut(sc.Text(), ":")
		if name != field {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		return kb * 1024, err == nil
	}
	return 0, false
}

// cgroupFree returns what the cgroup (v2) of this process may still
// allocate, when it has a limit.
func cgroupFree() (float64, bool) {
	read := func(name string) (float64, bool) {
		b, err := os.ReadFile("/sys/fs/cgroup/" + name)
		if err != nil {
			return 0, false
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
		return v, err == nil
	}
	limit, ok := read("memory.max") // "max" when unlimited: not a number
	if !ok {
		return 0, false
	}
	used, _ := read("memory.current")
	return math.Max(0, limit-used), true
}
