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
// FLOP count (see FLOPs) in a file: with DLNB_FLOP_DIR=dir set, the count
// lives in dir/<pid>.flops, eight bytes mapped into the process's memory, so
// the file holds the whole count once the process has ended, however it
// ended. dlnb notebooks sets it for each notebook's kernel, whose every cell
// is a process of its own, and sums the files with ReadFLOPDir.
const FLOPDirEnv = "DLNB_FLOP_DIR"

// flopFileSuffix ends the name of each process's count file in the folder.
const flopFileSuffix = ".flops"

// flops is this process's count: the mapped file's eight bytes when
// DLNB_FLOP_DIR is set (flops_unix.go), else a plain counter.
var flops = newFLOPCounter()

// CountGemm adds the work of one matrix product, op(A) (m×k) times op(B)
// (k×n), to the process's count: 2·m·n·k floating-point operations, a
// multiply and an add for each term of each entry of the m×n result.
// tensor.Gemm and GemmRows call it for every product they compute, whatever
// path computes it (the sparse path, which skips the terms whose A entry is
// zero, executes fewer).
func CountGemm(m, n, k int) {
	if m > 0 && n > 0 && k > 0 {
		flops.Add(2 * uint64(m) * uint64(n) * uint64(k))
	}
}

// FLOPs returns the floating-point operations of the matrix products this
// process has computed so far (see CountGemm): a measure of the work a
// training run or a cell did, independent of the machine's speed. The
// element-wise layers (activations, pooling, normalisation) are not counted.
func FLOPs() uint64 { return flops.Load() }

// ReadFLOPDir returns the sum of the counts that processes run with
// DLNB_FLOP_DIR=dir left in dir, and how many files it read. A folder that
// does not exist holds no counts (0, 0, nil); a count file of the wrong size
// is an error naming it.
func ReadFLOPDir(dir string) (total uint64, files int, err error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
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
			return 0, 0, err
		}
		if len(b) != 8 {
			return 0, 0, fmt.Errorf("%s: a FLOP count file holds 8 bytes, this one %d: remove the folder and run again",
				filepath.Join(dir, name), len(b))
		}
		total += binary.NativeEndian.Uint64(b)
	}
	return total, len(names), nil
}
