//go:build unix

package backend

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// newFLOPCounters returns the process's FLOP counters: with DLNB_FLOP_DIR
// set, the 16 bytes of a shared mapping of dir/<pid>.flops, which the kernel
// writes back to the file whatever way the process ends; without it, or if
// the file cannot be made (said once on standard error), plain counters.
func newFLOPCounters() *[2]atomic.Uint64 {
	dir := os.Getenv(FLOPDirEnv)
	if dir == "" {
		return new([2]atomic.Uint64)
	}
	c, err := mapFLOPFile(filepath.Join(dir, strconv.Itoa(os.Getpid())+flopFileSuffix))
	if err != nil {
		fmt.Fprintf(os.Stderr, "dlnb: %s=%s: the FLOP counts of this process are not kept: %v\n", FLOPDirEnv, dir, err)
		return new([2]atomic.Uint64)
	}
	return c
}

// mapFLOPFile creates the 16-byte file at path and maps it into memory.
func mapFLOPFile(path string) (*[2]atomic.Uint64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the mapping outlives the descriptor
	if err := f.Truncate(flopFileSize); err != nil {
		return nil, err
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, flopFileSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	// The mapping starts on a page boundary, aligned for 64-bit atomics.
	return (*[2]atomic.Uint64)(unsafe.Pointer(unsafe.SliceData(mem))), nil
}
