package backend

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FLOPDirEnv names the environment variable that makes a process keep its
// FLOP counts (see FLOPs) in a file: with DLNB_FLOP_DIR=dir set, the counts
// live in dir/<pid>.flops, 16 bytes mapped into the process's memory (the
// float32 count, then the float64 one, in the machine's byte order), so the
// file holds the whole counts once the process has ended, however it ended.
// dlnb notebooks sets it for each notebook's kernel, whose every cell is a
// process of its own, and sums the files with ReadFLOPDir. A process that
// cannot make its file says so on standard error (in a notebook, under the
// cell) and counts in memory only.
const FLOPDirEnv = "DLNB_FLOP_DIR"

// flopFileSuffix ends the name of each process's count file in the folder.
const flopFileSuffix = ".flops"

// flopFileSize is the size of a count file: two 8-byte counts.
const flopFileSize = 16

// flops are this process's counts, float32 then float64: the mapped file's
// 16 bytes when DLNB_FLOP_DIR is set (flops_unix.go), else plain counters.
var flops = newFLOPCounters()

// Work is an amount of floating-point work in operations, by precision.
type Work struct {
	Float32, Float64 uint64
}

// Total returns the work in both precisions.
func (w Work) Total() uint64 { return w.Float32 + w.Float64 }

// Add returns the work of w and o together.
func (w Work) Add(o Work) Work {
	return Work{Float32: w.Float32 + o.Float32, Float64: w.Float64 + o.Float64}
}

// Sub returns the work of w that is not in before: what was done between
// two readings of FLOPs.
func (w Work) Sub(before Work) Work {
	return Work{Float32: w.Float32 - before.Float32, Float64: w.Float64 - before.Float64}
}

// CountGemm adds the work of one matrix product of T, op(A) (m×k) times
// op(B) (k×n), to the process's count: 2·m·n·k floating-point operations, a
// multiply and an add for each term of each entry of the m×n result.
// tensor.Gemm and GemmRows call it for every product they compute, whatever
// path computes it (the sparse path, which skips the terms whose A entry is
// zero, executes fewer).
func CountGemm[T float32 | float64](m, n, k int) {
	if m <= 0 || n <= 0 || k <= 0 {
		return
	}
	c := &flops[1]
	if _, single := any(T(0)).(float32); single {
		c = &flops[0]
	}
	c.Add(2 * uint64(m) * uint64(n) * uint64(k))
}

// FLOPs returns the floating-point operations of the matrix products this
// process has computed so far, by precision (see CountGemm): a measure of
// the work a training run or a cell did, independent of the machine's speed.
// The element-wise layers (activations, pooling, normalisation) are not
// counted.
func FLOPs() Work { return Work{Float32: flops[0].Load(), Float64: flops[1].Load()} }

// ReadFLOPDir returns the sum of the counts that processes run with
// DLNB_FLOP_DIR=dir left in dir, and how many files it read. A folder that
// does not exist holds no counts (no work, 0, nil); a count file of the
// wrong size is an error naming it.
func ReadFLOPDir(dir string) (total Work, files int, err error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return Work{}, 0, nil
	}
	if err != nil {
		return Work{}, 0, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), flopFileSuffix) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return Work{}, 0, err
		}
		if len(b) != flopFileSize {
			return Work{}, 0, fmt.Errorf("%s: a FLOP count file holds %d bytes, this one %d: remove the folder and run again",
				filepath.Join(dir, name), flopFileSize, len(b))
		}
		total = total.Add(Work{Float32: binary.NativeEndian.Uint64(b), Float64: binary.NativeEndian.Uint64(b[8:])})
	}
	return total, len(names), nil
}
